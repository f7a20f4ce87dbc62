//! What the server checks and reads in a sendBatchMsg call: the signature and the form body.

use sha1::{Digest, Sha1};

use super::http::Head;

use yunxin_im::send_batch_msg::{limits, SEND_BATCH_MSG as ENDPOINT};

/// The only path served (v1 sendBatchMsg), as the spec states it.
pub const SEND_BATCH_MSG: &str = ENDPOINT.path;

/// SHA1(AppSecret + Nonce + CurTime) in lowercase hex, as the vendor signs.
pub fn checksum(secret: &str, nonce: &str, cur_time: &str) -> String {
    let digest = Sha1::digest(format!("{secret}{nonce}{cur_time}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the head carries an AppKey and a CheckSum matching its Nonce and CurTime.
pub fn signed(head: &Head, secret: &str) -> bool {
    let (Some(_), Some(nonce), Some(time), Some(sum)) = (
        head.header("AppKey"),
        head.header("Nonce"),
        head.header("CurTime"),
        head.header("CheckSum"),
    ) else {
        return false;
    };
    checksum(secret, nonce, time) == sum
}

/// The recipients of a sendBatchMsg form body, or why the body is not one.
pub fn recipients(body: &[u8]) -> Result<Vec<String>, String> {
    let mut to = None;
    let mut from = false;
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "toAccids" => to = Some(value.into_owned()),
            "fromAccid" => from = true,
            _ => {}
        }
    }
    if !from {
        return Err("fromAccid is missing".into());
    }
    let to = to.ok_or("toAccids is missing")?;
    let list: Vec<String> = serde_json::from_str(&to)
        .map_err(|e| format!("toAccids is not a JSON array of text: {e}"))?;
    // The spec's own maximum, so a vendor update of the limit moves the server with the client.
    let max = limits::TO_ACCIDS_MAX_ITEMS;
    if list.is_empty() || list.len() > max {
        return Err(format!(
            "toAccids holds {} accids, not 1 to {max}",
            list.len()
        ));
    }
    Ok(list)
}

/// Whether `accid` is `r<n>` with n a multiple of `every`.
pub fn unregistered(accid: &str, every: Option<u64>) -> bool {
    let Some(every) = every else { return false };
    accid
        .strip_prefix('r')
        .and_then(|n| n.parse::<u64>().ok())
        .is_some_and(|n| n % every == 0)
}

/// A complete signed sendBatchMsg request to `accids`, as a client would send it: for tests
/// that talk to the server with a bare socket.
pub fn encode(accids: &[&str], secret: &str) -> Vec<u8> {
    let to = serde_json::to_string(accids).expect("text serializes");
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("fromAccid", "sender")
        .append_pair("toAccids", &to)
        .append_pair("type", "0")
        .append_pair("body", r#"{"msg":"hi"}"#)
        .finish();
    let (nonce, time) = ("nonce1", "1443592222");
    let head = format!(
        "POST {SEND_BATCH_MSG} HTTP/1.1\r\nhost: 127.0.0.1\r\nAppKey: k\r\nNonce: {nonce}\r\n\
         CurTime: {time}\r\nCheckSum: {}\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         content-length: {}\r\n\r\n",
        checksum(secret, nonce, time),
        body.len()
    );
    [head.into_bytes(), body.into_bytes()].concat()
}
