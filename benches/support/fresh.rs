//! What the client's defaults make for each call, for the baselines that stand in for it.

use std::time::{SystemTime, UNIX_EPOCH};

/// A fresh nonce and the current second: 16 bytes from the OS as hex, Unix seconds as decimal.
pub fn fresh_nonce_and_time() -> (String, String) {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source");
    let nonce = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    (nonce, now.as_secs().to_string())
}
