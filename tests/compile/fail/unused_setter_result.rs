// Requests are #[must_use]: a setter returns the changed request, so dropping its result (and
// sending the unchanged one) is a mistake the compiler points out.
#![deny(unused_must_use)]
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;

fn main() {
    let request = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], MsgType::Text, "{}");
    request.clone().pushcontent("never sent");
    let _ = request;
}
