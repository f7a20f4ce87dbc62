// Requests are #[must_use]: a setter returns the changed request, so dropping its result (and
// sending the unchanged one) is a mistake the compiler points out.
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;

#[deny(unused_must_use)]
fn main() {
    let request = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], MsgType::Text, "{}");
    case! {
        forbidden: {
            request.clone().pushcontent("never sent");
        }
        allowed: {
            let _ = request.clone().pushcontent("sent");
        }
    }
    let _ = request;
}
