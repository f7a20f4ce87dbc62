//! Fields as a user fills them: JSON-text fields from `serde_json::json!` or a struct of their
//! own, through the field's JSON setter, with no `to_string` of their own; 0/1 switches as `bool`.

use serde::Serialize;
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::{AttachMsgType, MsgType};

/// What the application pushes with a notification.
#[derive(Serialize)]
pub struct PushPayload {
    /// Where tapping the push leads.
    pub deep_link: String,
}

/// A notification whose push payload is a `json!` value.
pub fn notify_with_json(to: &str) -> SendAttachMsgRequest {
    SendAttachMsgRequest::new("system", AttachMsgType::P2p, to, "{}")
        .payload_json(&serde_json::json!({"a": 1}))
}

/// A notification whose push payload is the application's own type.
pub fn notify_with_struct(to: &str, payload: &PushPayload) -> SendAttachMsgRequest {
    SendAttachMsgRequest::new("system", AttachMsgType::P2p, to, "{}").payload_json(payload)
}

/// A batch message hidden from its sender: the page's `msgSenderNoSense=1`, set as a `bool`.
pub fn hidden_from_sender(to: Vec<String>) -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("system", to, MsgType::Text, r#"{"msg":"hi"}"#)
        .msg_sender_no_sense(true)
}
