// `returnMsgid` belongs to sendBatchMsg; sendBatchAttachMsg has no such setter.
use yunxin_im::send_batch_attach_msg::SendBatchAttachMsgRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;

fn main() {
    let attach = SendBatchAttachMsgRequest::new("alice", vec!["bob".to_owned()], "{}");
    let batch = SendBatchMsgRequest::new("alice", vec!["bob".to_owned()], MsgType::Text, "{}");
    case! {
        forbidden: {
            let _ = attach.return_msgid(true);
        }
        allowed: {
            let _ = (attach, batch.return_msgid(true));
        }
    }
}
