// Request fields are private: a request is built by `new` (every required field) and setters.
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::types::AttachMsgType;

fn main() {
    case! {
        forbidden: {
            let request = SendAttachMsgRequest {
                from: "alice".to_owned(),
                msgtype: AttachMsgType::P2p,
                to: "bob".to_owned(),
                attach: "{}".to_owned(),
            };
        }
        allowed: {
            let request = SendAttachMsgRequest::new("alice", AttachMsgType::P2p, "bob", "{}");
        }
    }
    let _ = request.get_from();
}
