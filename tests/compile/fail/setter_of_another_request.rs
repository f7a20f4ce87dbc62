// `returnMsgid` belongs to sendBatchMsg; sendBatchAttachMsg has no such setter.
use yunxin_im::send_batch_attach_msg::SendBatchAttachMsgRequest;

fn main() {
    let _ =
        SendBatchAttachMsgRequest::new("alice", vec!["bob".to_owned()], "{}").return_msgid(true);
}
