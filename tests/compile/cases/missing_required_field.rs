// `new` takes every required field; leaving `body` out does not compile.
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;

fn main() {
    case! {
        forbidden: {
            let _ = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], MsgType::Text);
        }
        allowed: {
            let _ = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], MsgType::Text, "{}");
        }
    }
}
