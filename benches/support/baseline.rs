//! The hand-written baseline of `benches/prep.rs`: what a caller without the generated client
//! writes to send `sendBatchMsg` and `sendBatchAttachMsg`. Plain structs with the fields the
//! bench sets, in the generated requests' field order; `serde_json` for the lists and objects
//! that travel as JSON text, `serde_urlencoded` for the form, SHA-1 for the `CheckSum`. It
//! produces the same bytes as the generated client (checked by the bench before measuring and
//! by the `prep_baseline` test), so the two timings compare the same work.

use std::fmt::Write as _;

use serde::Serialize;
use sha1::{Digest, Sha1};

/// `sendBatchMsg`'s `option`, as a caller writes it.
#[derive(Debug, Clone, Serialize)]
pub struct MsgOption {
    /// `push`.
    pub push: bool,
    /// `badge`.
    pub badge: bool,
}

/// A `sendBatchMsg` call.
#[derive(Debug, Clone)]
pub struct BatchMsg {
    /// `fromAccid`.
    pub from_accid: String,
    /// `toAccids`.
    pub to_accids: Vec<String>,
    /// `type`: 0 is text.
    pub msg_type: i32,
    /// `body`, JSON text.
    pub body: String,
    /// `option`.
    pub option: MsgOption,
    /// `pushcontent`.
    pub pushcontent: String,
}

/// A `sendBatchAttachMsg` call.
#[derive(Debug, Clone)]
pub struct BatchAttachMsg {
    /// `fromAccid`.
    pub from_accid: String,
    /// `toAccids`.
    pub to_accids: Vec<String>,
    /// `attach`.
    pub attach: String,
    /// `pushcontent`.
    pub pushcontent: String,
    /// `save`: 2 keeps it for offline receivers.
    pub save: i32,
}

/// A signed request: the body and the signing headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The form body.
    pub body: Vec<u8>,
    /// `Nonce`.
    pub nonce: String,
    /// `CurTime`.
    pub cur_time: String,
    /// `CheckSum`.
    pub checksum: String,
}

/// `CheckSum`: lowercase hex SHA-1 of `secret + nonce + cur_time`.
pub fn checksum(secret: &str, nonce: &str, cur_time: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(secret.as_bytes());
    hasher.update(nonce.as_bytes());
    hasher.update(cur_time.as_bytes());
    let mut hex = String::with_capacity(40);
    for byte in hasher.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

fn signed(body: String, secret: &str, nonce: &str, cur_time: &str) -> Prepared {
    Prepared {
        body: body.into_bytes(),
        nonce: nonce.to_owned(),
        cur_time: cur_time.to_owned(),
        checksum: checksum(secret, nonce, cur_time),
    }
}

/// Encodes and signs a `sendBatchMsg` call.
pub fn prepare_batch_msg(msg: &BatchMsg, secret: &str, nonce: &str, cur_time: &str) -> Prepared {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Form<'a> {
        from_accid: &'a str,
        to_accids: String,
        #[serde(rename = "type")]
        msg_type: i32,
        body: &'a str,
        option: String,
        pushcontent: &'a str,
    }
    let form = Form {
        from_accid: &msg.from_accid,
        to_accids: serde_json::to_string(&msg.to_accids).unwrap(),
        msg_type: msg.msg_type,
        body: &msg.body,
        option: serde_json::to_string(&msg.option).unwrap(),
        pushcontent: &msg.pushcontent,
    };
    let body = serde_urlencoded::to_string(&form).unwrap();
    signed(body, secret, nonce, cur_time)
}

/// Encodes and signs a `sendBatchAttachMsg` call.
pub fn prepare_batch_attach_msg(
    msg: &BatchAttachMsg,
    secret: &str,
    nonce: &str,
    cur_time: &str,
) -> Prepared {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Form<'a> {
        from_accid: &'a str,
        to_accids: String,
        attach: &'a str,
        pushcontent: &'a str,
        save: i32,
    }
    let form = Form {
        from_accid: &msg.from_accid,
        to_accids: serde_json::to_string(&msg.to_accids).unwrap(),
        attach: &msg.attach,
        pushcontent: &msg.pushcontent,
        save: msg.save,
    };
    let body = serde_urlencoded::to_string(&form).unwrap();
    signed(body, secret, nonce, cur_time)
}
