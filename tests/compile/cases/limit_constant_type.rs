// A number limit constant has its setter's type, so it can be passed as written; a value of
// another integer type (here widened to i64, the type the constants used to have) still cannot.
use yunxin_im::list_friends::{limits, ListFriendsRequest};

fn main() {
    case! {
        forbidden: {
            let request = ListFriendsRequest::new("a").limit(i64::from(limits::LIMIT_MAX));
        }
        allowed: {
            let request = ListFriendsRequest::new("a").limit(limits::LIMIT_MAX);
        }
    }
    let _ = request;
}
