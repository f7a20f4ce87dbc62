//! The spec fuzzer's driver: sends every call of `SPEC_FUZZ_CALLS` (a JSON list of
//! `{endpoint, request, trace_id}`) through `yunxin_im::dynamic::send_json` to
//! `SPEC_FUZZ_BASE_URL`, in order, and prints one JSON line per outcome. It knows no endpoint:
//! the generated `dynamic` module maps names onto the typed requests.

use serde_json::{json, Value};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::var("SPEC_FUZZ_BASE_URL").expect("SPEC_FUZZ_BASE_URL");
    let calls = std::env::var("SPEC_FUZZ_CALLS").expect("SPEC_FUZZ_CALLS");
    let calls: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(calls).expect("the calls file"))
            .expect("the calls file holds JSON");
    let client = yunxin_im::Client::builder("fuzz-key", "fuzz-secret")
        .base_url(base)
        .build()
        .expect("a client");
    for call in &calls {
        let endpoint = call["endpoint"].as_str().expect("an endpoint name");
        let trace_id = call["trace_id"].as_str();
        let sent =
            yunxin_im::dynamic::send_json(&client, endpoint, &call["request"], trace_id).await;
        let line = match sent {
            Ok(reply) => json!({
                "reply": reply.reply,
                "unreadable": reply.unreadable,
                "warnings": reply.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            }),
            Err(err) => {
                // Whether the request left the process: the harness pairs requests with calls.
                let sent = !matches!(
                    &err,
                    yunxin_im::dynamic::DynamicError::BadCall(_)
                        | yunxin_im::dynamic::DynamicError::UnknownEndpoint(_)
                        | yunxin_im::dynamic::DynamicError::Client(yunxin_im::Error::Validation(_))
                );
                json!({ "error": err.to_string(), "sent": sent })
            }
        };
        println!("{line}");
    }
}
