//! The client's streams used the obvious way: `StreamExt::next` in a `while let`, with no
//! `pin!`. The paginators are `Unpin`, so this module does not compile if they stop being so.

use futures_util::StreamExt;
use yunxin_im::fan_out::FanOutReport;
use yunxin_im::list_friends::ListFriendsRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::{Client, Error};

/// The account ids of every friend of `request`'s account, every page walked.
pub async fn friend_ids(
    client: &Client,
    request: &ListFriendsRequest,
) -> Result<Vec<String>, Error> {
    let mut ids = Vec::new();
    let mut items = client.list_friends_items(request);
    while let Some(friend) = items.next().await {
        ids.extend(friend?.friend_account_id);
    }
    Ok(ids)
}

/// How many pages the friend list of `request`'s account has.
pub async fn friend_pages(client: &Client, request: &ListFriendsRequest) -> Result<usize, Error> {
    let mut count = 0;
    let mut pages = client.list_friends_pages(request);
    while let Some(page) = pages.next().await {
        page?;
        count += 1;
    }
    Ok(count)
}

/// Sends `template` to every friend of `friends`' account, as the friend list pages in: one
/// client stream feeding another. A page that fails ends the recipients there.
pub async fn message_every_friend(
    client: &Client,
    friends: &ListFriendsRequest,
    template: &SendBatchMsgRequest,
) -> FanOutReport {
    let recipients = client
        .list_friends_items(friends)
        .take_while(|friend| std::future::ready(friend.is_ok()))
        .filter_map(|friend| std::future::ready(friend.ok().and_then(|f| f.friend_account_id)));
    client
        .send_batch_msg_fan_out_stream(template, recipients)
        .send()
        .await
}
