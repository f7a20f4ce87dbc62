// Only open enums (MsgType) have an `Other(_)` catch-all, for codes replies may carry; a closed
// enum such as SaveMode cannot even express a code the spec does not list.
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::types::{AttachMsgType, MsgType, SaveMode};

fn main() {
    let request = SendAttachMsgRequest::new("alice", AttachMsgType::P2p, "bob", "{}");
    case! {
        forbidden: {
            let _ = request.save(SaveMode::Other(3));
        }
        allowed: {
            let _ = request.save(SaveMode::Offline);
            let _ = MsgType::Other(3);
        }
    }
}
