// Only open enums (MsgType) have an `Other(_)` catch-all, for codes replies may carry; a closed
// enum such as SaveMode cannot even express a code the spec does not list.
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::types::{AttachMsgType, SaveMode};

fn main() {
    let _ = SendAttachMsgRequest::new("alice", AttachMsgType::P2p, "bob", "{}")
        .save(SaveMode::Other(3));
}
