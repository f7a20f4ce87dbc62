// Enums are distinct types: a save mode is not a message type, though both are integers on the wire.
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::{MsgType, SaveMode};

fn main() {
    case! {
        forbidden: {
            let _ = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], SaveMode::Offline, "{}");
        }
        allowed: {
            let _ = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], MsgType::Text, "{}");
        }
    }
    let _ = SaveMode::Offline;
}
