// Request objects keep their fields private (read them with getters): a new object starts from
// `new()` and setters, so a rule checked on construction cannot be bypassed.
use yunxin_im::types::{ChatroomMessage, MsgType};

fn main() {
    case! {
        forbidden: {
            let message = ChatroomMessage {
                msg_id: "m1".to_owned(),
                msg_type: MsgType::Text,
                attach: None,
                ext: None,
                sub_type: None,
                resend_flag: None,
            };
        }
        allowed: {
            let message = ChatroomMessage::new("m1", MsgType::Text);
        }
    }
    let _ = message.get_msg_id();
}
