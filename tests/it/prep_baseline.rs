//! The request-preparation bench (`benches/prep.rs`) compares like with like:
//! its hand-written baseline produces the body and checksum that `Client::prepare` produces for
//! the same inputs, byte for byte, and `send` puts those bytes on the wire.

#[path = "../../benches/support/baseline.rs"]
mod baseline;
#[path = "../../benches/support/inputs.rs"]
mod inputs;

use yunxin_im::auth::{FixedClock, FixedNonce};
use yunxin_im::Client;

const SECRET: &str = "bench-app-secret";
const NONCE: &str = "0123456789abcdef0123456789abcdef";

fn client(base: &str) -> Client {
    Client::builder("bench-app", SECRET)
        .base_url(base)
        .clock(FixedClock(1_700_000_000))
        .nonce_source(FixedNonce(NONCE.into()))
        .build()
        .unwrap()
}

#[test]
fn the_bench_baseline_produces_the_generated_bytes() {
    let client = client("http://127.0.0.1:9");
    for n in [1, 500] {
        let (request, hand) = inputs::batch_msg(n);
        let generated = client.prepare(&request).unwrap();
        let hand = baseline::prepare_batch_msg(&hand, SECRET, NONCE, "1700000000");
        assert_eq!(
            String::from_utf8_lossy(generated.body()),
            String::from_utf8_lossy(&hand.body)
        );
        assert_eq!(generated.signed_headers().checksum, hand.checksum);
        assert_eq!(generated.signed_headers().nonce, hand.nonce);
    }
    for n in [1, 5000] {
        let (request, hand) = inputs::batch_attach_msg(n);
        let generated = client.prepare(&request).unwrap();
        let hand = baseline::prepare_batch_attach_msg(&hand, SECRET, NONCE, "1700000000");
        assert!(generated.body() == hand.body.as_slice(), "{n} receivers");
        assert_eq!(generated.signed_headers().checksum, hand.checksum);
    }
    // The checksum is the one the vendor's algorithm gives (Python's hashlib:
    // sha1(b'bench-app-secret' + b'0123456789abcdef0123456789abcdef' + b'1700000000')).
    assert_eq!(
        baseline::checksum(SECRET, NONCE, "1700000000"),
        "f1f39295625a59a3f14aabe093eee32080e1e889"
    );
}

#[test]
fn a_different_input_gives_different_bytes() {
    // The comparison can fail: one receiver more, or another option, changes the body.
    let client = client("http://127.0.0.1:9");
    let (request, _) = inputs::batch_msg(500);
    let (_, mut hand) = inputs::batch_msg(500);
    hand.to_accids.push("user-999999".into());
    let hand = baseline::prepare_batch_msg(&hand, SECRET, NONCE, "1700000000");
    assert_ne!(
        client.prepare(&request).unwrap().body(),
        hand.body.as_slice()
    );
    let (_, mut hand) = inputs::batch_msg(500);
    hand.option.badge = true;
    let hand = baseline::prepare_batch_msg(&hand, SECRET, NONCE, "1700000000");
    assert_ne!(
        client.prepare(&request).unwrap().body(),
        hand.body.as_slice()
    );
    let hand = baseline::checksum("another-secret", NONCE, "1700000000");
    assert_ne!(
        client.prepare(&request).unwrap().signed_headers().checksum,
        hand
    );
}
