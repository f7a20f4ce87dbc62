//! Sends one text message from `sender` to FAN_OUT_RECIPIENTS accounts (r0, r1, …) with
//! `send_batch_msg`, in chunks, with safe retries on; progress goes to stderr, and one JSON
//! object to stdout: calls, retries, counts per outcome and each recipient's outcome. Exits 0
//! when every recipient is accounted for.
//!
//! Hand-written (`examples/` holds only generated examples). Run:
//! YUNXIN_APP_KEY=… YUNXIN_APP_SECRET=… [YUNXIN_BASE_URL=url[,url…]] FAN_OUT_RECIPIENTS=1000 \
//!   [FAN_OUT_CALLS=n FAN_OUT_WINDOW_MS=ms [FAN_OUT_BLOCK_MS=ms]] [FAN_OUT_TIMEOUT_MS=ms] \
//!   cargo run -p yunxin-im --example fan_out

use std::time::Duration;

use serde_json::{json, Map, Value};
use yunxin_im::runtime::fan_out::RetryPolicy;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, ClientBuilder};

fn env_u64(name: &str) -> Result<Option<u64>, String> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|e| format!("{name}={text:?}: {e}")),
        Err(_) => Ok(None),
    }
}

/// Hosts to try in order. TODO(merge): `builder.base_urls(urls)` once ClientBuilder has host
/// failover; until then only the first URL is used.
fn with_base_urls(builder: ClientBuilder, urls: &[String]) -> ClientBuilder {
    match urls.first() {
        Some(first) => {
            if urls.len() > 1 {
                eprintln!("fan_out: host failover is not in this client yet; using {first} only");
            }
            builder.base_url(first)
        }
        None => builder,
    }
}

/// Paces `send_batch_msg`: the spec's rate limit, or `calls` per `window` (blocking `block`
/// after a rate-limit answer) when given. TODO(merge): `builder.rate_limit("send_batch_msg",
/// Pace { calls, window, block })` once ClientBuilder has it; until then the spec's limit applies.
fn with_pace(
    builder: ClientBuilder,
    pace: Option<(u32, Duration)>,
    block: Option<Duration>,
) -> ClientBuilder {
    if pace.is_some() || block.is_some() {
        eprintln!("fan_out: rate-limit overrides are not in this client yet; pacing to the spec's");
    }
    builder.pace_to_rate_limits(true)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n = env_u64("FAN_OUT_RECIPIENTS")?.ok_or("set FAN_OUT_RECIPIENTS")? as usize;
    let pace = match (env_u64("FAN_OUT_CALLS")?, env_u64("FAN_OUT_WINDOW_MS")?) {
        (Some(calls), Some(ms)) => Some((u32::try_from(calls)?, Duration::from_millis(ms))),
        (None, None) => None,
        _ => return Err("set both FAN_OUT_CALLS and FAN_OUT_WINDOW_MS, or neither".into()),
    };
    let block = env_u64("FAN_OUT_BLOCK_MS")?.map(Duration::from_millis);
    let urls: Vec<String> = std::env::var("YUNXIN_BASE_URL")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect();

    let mut builder = Client::builder(
        std::env::var("YUNXIN_APP_KEY")?,
        std::env::var("YUNXIN_APP_SECRET")?,
    );
    builder = with_base_urls(builder, &urls);
    builder = with_pace(builder, pace, block);
    if let Some(ms) = env_u64("FAN_OUT_TIMEOUT_MS")? {
        builder = builder.timeout(Duration::from_millis(ms));
    }
    let client = builder.build()?;

    let template = SendBatchMsgRequest::new("sender", vec![], MsgType::Text, r#"{"msg":"hello"}"#);
    let recipients = (0..n).map(|i| format!("r{i}"));
    let report = client
        .send_batch_msg_fan_out(&template, recipients)
        .retries(RetryPolicy::attempts(5))
        .on_progress(|p| {
            let c = p.counts;
            eprintln!(
                "fan_out: {} calls ({} retries): {} sent, {} unregistered, {} failed, {} unknown, {} not attempted",
                p.calls, p.retries, c.sent, c.unregistered, c.failed, c.unknown, c.not_attempted
            );
        })
        .send()
        .await;

    let counts = report.counts();
    let outcomes: Map<String, Value> = report
        .recipients
        .iter()
        .map(|(r, o)| (r.clone(), Value::from(o.name())))
        .collect();
    let out = json!({
        "calls": report.calls,
        "retries": report.retries,
        "counts": counts,
        "recipients": outcomes,
    });
    println!("{out}");
    if counts.total() != n {
        eprintln!(
            "fan_out: {} of {n} recipients accounted for",
            counts.total()
        );
        std::process::exit(1);
    }
    Ok(())
}
