//! What the server checks and reads in a sendBatchMsg call: the signature and the form body.

use sha1::{Digest, Sha1};

use super::http::Head;

/// The only path served (v1 sendBatchMsg).
pub const SEND_BATCH_MSG: &str = "/nimserver/msg/sendBatchMsg.action";

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
    if list.is_empty() || list.len() > 500 {
        return Err(format!(
            "toAccids holds {} accids, not 1 to 500",
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
