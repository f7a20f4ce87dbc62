// Shared objects are #[non_exhaustive]: fields may be read, but a new object starts from `new()`.
use yunxin_im::types::ChatroomMessage;
use yunxin_im::types::MsgType;

fn main() {
    let _ = ChatroomMessage {
        msg_id: "m1".to_owned(),
        msg_type: MsgType::Text,
        attach: None,
        ext: None,
        sub_type: None,
        resend_flag: None,
    };
}
