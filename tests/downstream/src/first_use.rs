//! The three snippets issue 20 says a new user writes first, each exactly as written there, in a
//! crate outside the workspace that depends on the client by path: this module not compiling is
//! the failure.

use futures_util::StreamExt;
use yunxin_im::list_friends::ListFriendsRequest;
use yunxin_im::{ApiError, ApiErrorKind, Client, Error, ValidationError};

/// A page size at the documented maximum: the limit constant has the setter's type.
pub fn largest_page_request() -> ListFriendsRequest {
    ListFriendsRequest::new("a").limit(yunxin_im::list_friends::limits::LIMIT_MAX)
}

/// Every friend's account id, one item at a time.
pub async fn every_friend(client: &Client, req: ListFriendsRequest) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut items = client.list_friends_items(&req);
    while let Some(item) = items.next().await {
        out.extend(item?.friend_account_id);
    }
    Ok(out)
}

/// The root's error types, each used in a signature so an unused import cannot hide one.
pub fn describe(error: &Error) -> String {
    let from_api = |e: &ApiError| match e.kind() {
        ApiErrorKind::RateLimited => "rate limited".to_owned(),
        kind => format!("{kind:?}"),
    };
    let invalid = |e: &ValidationError| format!("{} broken rule(s)", e.violations.len());
    match error {
        Error::Api(e) => from_api(e),
        Error::Validation(e) => invalid(e),
        other => other.to_string(),
    }
}
