//! The bench's inputs, each as a generated request and as the baseline's struct with the same
//! values.

use yunxin_im::send_batch_attach_msg::SendBatchAttachMsgRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::{MessageOption, MsgType, SaveMode};

use super::baseline::{BatchAttachMsg, BatchMsg, MsgOption};

/// `n` accids: `user-000000`, `user-000001`, ...
pub fn accids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user-{i:06}")).collect()
}

/// `sendBatchMsg` to `n` receivers: a text body, an option and a push text.
pub fn batch_msg(n: usize) -> (SendBatchMsgRequest, BatchMsg) {
    let generated =
        SendBatchMsgRequest::new("sender", accids(n), MsgType::Text, r#"{"msg":"hello"}"#)
            .option(MessageOption::new().push(true).badge(false))
            .pushcontent("You have a new message");
    let baseline = BatchMsg {
        from_accid: "sender".into(),
        to_accids: accids(n),
        msg_type: 0,
        body: r#"{"msg":"hello"}"#.into(),
        option: MsgOption {
            push: true,
            badge: false,
        },
        pushcontent: "You have a new message".into(),
    };
    (generated, baseline)
}

/// `sendBatchAttachMsg` to `n` receivers: an attachment, a push text, kept for offline receivers.
pub fn batch_attach_msg(n: usize) -> (SendBatchAttachMsgRequest, BatchAttachMsg) {
    let generated = SendBatchAttachMsgRequest::new("sender", accids(n), r#"{"myattach":"test"}"#)
        .pushcontent("You have a new notification")
        .save(SaveMode::Offline);
    let baseline = BatchAttachMsg {
        from_accid: "sender".into(),
        to_accids: accids(n),
        attach: r#"{"myattach":"test"}"#.into(),
        pushcontent: "You have a new notification".into(),
        save: 2,
    };
    (generated, baseline)
}
