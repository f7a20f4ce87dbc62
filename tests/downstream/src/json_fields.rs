//! JSON-text fields as a user fills them: from `serde_json::json!` or a struct of their own,
//! through the field's JSON setter, with no `to_string` of their own.

use serde::Serialize;
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::types::AttachMsgType;

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
