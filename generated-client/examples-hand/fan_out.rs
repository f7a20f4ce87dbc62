//! Sends one text message from `sender` to FAN_OUT_RECIPIENTS accounts (r0, r1, …) with
//! `send_batch_msg`, in chunks, with safe retries on; progress goes to stderr, and one JSON
//! object to stdout: calls, retries, counts per outcome and each recipient's outcome. Exits 0
//! when every recipient is accounted for.
//!
//! Hand-written (`examples/` holds only generated examples). Run:
//! YUNXIN_APP_KEY=… YUNXIN_APP_SECRET=… [YUNXIN_BASE_URL=url[,url…]] FAN_OUT_RECIPIENTS=1000 \
//!   [FAN_OUT_CALLS=n FAN_OUT_WINDOW_MS=ms] [FAN_OUT_BLOCK_MS=ms] [FAN_OUT_TIMEOUT_MS=ms] \
//!   cargo run -p yunxin-im --example fan_out
//!
//! YUNXIN_BASE_URL: hosts tried in order (a refused connection moves a call to the next).
//! FAN_OUT_CALLS per FAN_OUT_WINDOW_MS: the pace (unset: the spec's 120 a minute);
//! FAN_OUT_BLOCK_MS: how long a rate-limit answer blocks (unset: the spec's); FAN_OUT_TIMEOUT_MS:
//! the per-call timeout.
//! FAN_OUT_REDIS_URL (optional, needs the `redis` feature): keep the rate budget in this
//! Redis, shared by every process of the app; FAN_OUT_REDIS_PREFIX (optional): its key
//! prefix (default `yunxin-im:pace`). While Redis is unavailable calls wait.
//! FAN_OUT_JOB (optional): makes the run resumable under this job id: killed at any point and
//! started again with the same job, it sends nothing already answered and its stdout accounts
//! for every recipient of the job, those answered before the restart included (`resumed`);
//! FAN_OUT_JOURNAL: the journal, a file (default `fan_out-<job>.journal`; one process at a time)
//! or a `redis://` URL (needs the `redis` feature; several processes may run the job at once and
//! split it, each printing the whole job's account once every chunk is answered);
//! FAN_OUT_JOURNAL_TTL_MS: how long a dead process's chunks wait before another takes them over
//! (Redis only, default 10 s). FAN_OUT_CHUNK_SIZE (optional): recipients per call, at most the
//! endpoint's.

use std::time::Duration;

use serde_json::{json, Map, Value};
use yunxin_im::fan_out::{FanOutReport, Journal, RetryPolicy};
use yunxin_im::pacing::Pace;
use yunxin_im::send_batch_msg::{SendBatchMsgRequest, SEND_BATCH_MSG};
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

/// Paces `send_batch_msg` to `calls` per `window` when given, else to the spec's limit; `block`
/// overrides how long a rate-limit answer blocks.
fn with_pace(
    builder: ClientBuilder,
    pace: Option<(u32, Duration)>,
    block: Option<Duration>,
) -> ClientBuilder {
    let mut pace = match pace {
        Some((calls, window)) => Pace::new(calls, window),
        None => match SEND_BATCH_MSG.rate_limit {
            Some(limit) => Pace::from(limit),
            None => return builder.pace_to_rate_limits(true),
        },
    };
    if let Some(block) = block {
        pace = pace.block(block);
    }
    builder.rate_limit(SEND_BATCH_MSG.name, pace)
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
    if !urls.is_empty() {
        // Tried in order: a refused connection moves the call to the next.
        builder = builder.base_urls(urls);
    }
    builder = with_pace(builder, pace, block);
    builder = with_shared_budget(builder)?;
    if let Some(ms) = env_u64("FAN_OUT_TIMEOUT_MS")? {
        builder = builder.timeout(Duration::from_millis(ms));
    }
    let client = builder.build()?;

    let template = SendBatchMsgRequest::new("sender", vec![], MsgType::Text, r#"{"msg":"hello"}"#);
    let recipients = (0..n).map(|i| format!("r{i}"));
    let mut fan_out = client
        .send_batch_msg_fan_out(&template, recipients)
        .retries(RetryPolicy::attempts(5))
        .on_progress(|p| {
            let c = p.counts;
            eprintln!(
                "fan_out: {} calls ({} retries): {} sent, {} unregistered, {} failed, {} unknown, {} not attempted",
                p.calls, p.retries, c.sent, c.unregistered, c.failed, c.unknown, c.not_attempted
            );
        });
    if let Some(size) = env_u64("FAN_OUT_CHUNK_SIZE")? {
        fan_out = fan_out.chunk_size(size as usize);
    }
    let report: FanOutReport = match std::env::var("FAN_OUT_JOB") {
        Ok(job) => {
            let location = std::env::var("FAN_OUT_JOURNAL")
                .unwrap_or_else(|_| format!("fan_out-{job}.journal"));
            let journal = with_owner_ttl(Journal::parse(&location)?)?;
            fan_out.journal(job, journal).send().await?
        }
        Err(_) if std::env::var_os("FAN_OUT_JOURNAL").is_some() => {
            return Err("FAN_OUT_JOURNAL needs FAN_OUT_JOB".into());
        }
        Err(_) => fan_out.send().await,
    };

    let counts = report.counts();
    let outcomes: Map<String, Value> = report
        .recipients
        .iter()
        .map(|(r, o)| (r.clone(), Value::from(o.name())))
        .collect();
    let out = json!({
        "calls": report.calls,
        "retries": report.retries,
        "resumed": report.resumed,
        "resent_chunks": report.resent_chunks,
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

/// With `FAN_OUT_REDIS_URL` set, the pacing budget lives in that Redis, shared by every process
/// of the app (key prefix `FAN_OUT_REDIS_PREFIX`, default `yunxin-im:pace`); calls wait while
/// Redis is unavailable, so none goes out unpaced.
#[cfg(feature = "redis")]
fn with_shared_budget(builder: ClientBuilder) -> Result<ClientBuilder, Box<dyn std::error::Error>> {
    use yunxin_im::pacing::{RedisPaceStore, Unavailable};
    let Ok(url) = std::env::var("FAN_OUT_REDIS_URL") else {
        return Ok(builder);
    };
    let mut store = RedisPaceStore::builder(url).when_unavailable(Unavailable::Wait);
    if let Ok(prefix) = std::env::var("FAN_OUT_REDIS_PREFIX") {
        store = store.key_prefix(prefix);
    }
    Ok(builder.pace_store(std::sync::Arc::new(store.build()?)))
}

/// `FAN_OUT_JOURNAL_TTL_MS`, for a Redis journal: how soon a dead process's chunks are taken over.
#[cfg(feature = "redis")]
fn with_owner_ttl(journal: Journal) -> Result<Journal, String> {
    Ok(match env_u64("FAN_OUT_JOURNAL_TTL_MS")? {
        Some(ms) => journal.owner_ttl(Duration::from_millis(ms)),
        None => journal,
    })
}

#[cfg(not(feature = "redis"))]
fn with_owner_ttl(journal: Journal) -> Result<Journal, String> {
    Ok(journal)
}

/// Without the `redis` feature a Redis URL cannot be honoured: refuse it rather than pace alone.
#[cfg(not(feature = "redis"))]
fn with_shared_budget(builder: ClientBuilder) -> Result<ClientBuilder, Box<dyn std::error::Error>> {
    if std::env::var_os("FAN_OUT_REDIS_URL").is_some() {
        return Err("FAN_OUT_REDIS_URL needs yunxin-im's `redis` feature".into());
    }
    Ok(builder)
}
