// A page stream borrows its client, so the client cannot be dropped while it is walked; and the
// stream is `Unpin`, so the plain `while let … next().await` walks it with no `pin!`.
use futures_util::StreamExt;
use yunxin_im::list_friends::ListFriendsRequest;
use yunxin_im::{Client, Error};

async fn walk(request: ListFriendsRequest) -> Result<usize, Error> {
    let client = Client::builder("app-key", "app-secret").build()?;
    let mut items = client.list_friends_items(&request);
    case! {
        forbidden: {
            drop(client);
        }
        allowed: {
            let _ = &client;
        }
    }
    let mut count = 0;
    while let Some(item) = items.next().await {
        item?;
        count += 1;
    }
    Ok(count)
}

fn main() {
    let _ = walk(ListFriendsRequest::new("alice"));
}
