//! Calls per second against a local HTTP server (127.0.0.1): the generated client's
//! `send_batch_msg` against raw reqwest sending the same request (the same form body, made by
//! the hand-written baseline of `benches/prep.rs`, and the same headers, CheckSum computed by
//! hand), at concurrency 1 and 64. Both sides build, sign, send and read the reply's code on
//! every call.
//!
//! ```sh
//! cargo bench -p yunxin-bench --bench loopback [-- --rounds N --round-ms MS]
//! ```
//!
//! Rounds alternate the two sides (ABBA) for `round-ms` each, so load that comes and goes on a
//! shared machine slows both sides of a pair alike; the figure is the median of the pairs'
//! ratios, client calls/s over raw calls/s. Prints a line per concurrency and, last, one JSON
//! line (`cargo xtask bench` reads it): `{"c1":{"ratio":…,"client_cps":…,"raw_cps":…},"c64":…}`.
//! `cargo test --benches` runs one short round of each to check both sides succeed.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use yunxin_im::client::DEFAULT_TIMEOUT;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::Client;

// Shared with `prep.rs`, which also uses their sendBatchAttachMsg half.
#[allow(dead_code)]
#[path = "support/baseline.rs"]
mod baseline;
#[path = "support/fresh.rs"]
mod fresh;
#[path = "support/http_server.rs"]
mod http_server;
#[allow(dead_code)]
#[path = "support/inputs.rs"]
mod inputs;

const APP_KEY: &str = "bench-app";
const SECRET: &str = "bench-app-secret";
/// Receivers per call: a typical batch, well under the endpoint's 500.
const RECEIVERS: usize = 100;

type Call = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The generated client: one `send_batch_msg` per call, its reply decoded.
fn client_call(base_url: &str) -> Call {
    let client = Client::builder(APP_KEY, SECRET)
        .base_url(base_url)
        .build()
        .unwrap();
    let (request, _) = inputs::batch_msg(RECEIVERS);
    let request: Arc<SendBatchMsgRequest> = Arc::new(request);
    Arc::new(move || {
        let (client, request) = (client.clone(), request.clone());
        Box::pin(async move {
            client
                .send_batch_msg(&request)
                .await
                .expect("the client's call succeeds");
        })
    })
}

/// Raw reqwest: the baseline's body and CheckSum made per call, the client's headers, the
/// reply's `code` read, and the client's default timeout: a call without one can hang forever,
/// which no caller of a send API can accept, and its timer is a per-call cost that the
/// comparison must not count against the client.
fn raw_call(base_url: &str) -> Call {
    // The content type and user agent the client sends, so both requests are the same bytes.
    let probe = Client::builder(APP_KEY, SECRET)
        .base_url(base_url)
        .build()
        .unwrap();
    let prepared = probe.prepare(&inputs::batch_msg(RECEIVERS).0).unwrap();
    let url = prepared.url().to_owned();
    let header = |name: &str| {
        prepared
            .headers()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
            .unwrap()
    };
    let (content_type, user_agent) = (header("Content-Type"), header("User-Agent"));
    // Plain HTTP on 127.0.0.1, so no roots; the ring provider only because reqwest 0.13 under the
    // client's rustls feature refuses to build a client without one.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (_, hand) = inputs::batch_msg(RECEIVERS);
    let hand = Arc::new(hand);
    Arc::new(move || {
        let (http, hand, url) = (http.clone(), hand.clone(), url.clone());
        let (content_type, user_agent) = (content_type.clone(), user_agent.clone());
        Box::pin(async move {
            let (nonce, now) = fresh::fresh_nonce_and_time();
            let prepared = baseline::prepare_batch_msg(&hand, SECRET, &nonce, &now);
            let reply = http
                .post(url)
                .header("AppKey", APP_KEY)
                .header("Nonce", prepared.nonce)
                .header("CurTime", prepared.cur_time)
                .header("CheckSum", prepared.checksum)
                .header("Content-Type", content_type)
                .header("User-Agent", user_agent)
                .body(prepared.body)
                .timeout(DEFAULT_TIMEOUT)
                .send()
                .await
                .expect("the raw call is answered");
            let bytes = reply.bytes().await.expect("the raw reply is read");
            let value: Value = serde_json::from_slice(&bytes).expect("the raw reply is JSON");
            assert_eq!(value["code"], 200);
        })
    })
}

/// Calls per second of `call` run by `concurrency` tasks for `length`.
async fn rate(call: &Call, concurrency: usize, length: Duration) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + length;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (call, done) = (call.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    call().await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a bench task panicked");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `rounds` pairs of rounds at `concurrency`, alternating which side goes first.
async fn compare(
    client: &Call,
    raw: &Call,
    concurrency: usize,
    rounds: usize,
    length: Duration,
) -> Value {
    // Warm-up: connections opened, pools filled, caches warm.
    rate(client, concurrency, length / 2).await;
    rate(raw, concurrency, length / 2).await;
    let (mut ratios, mut clients, mut raws) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..rounds {
        let (c, r) = if i % 2 == 0 {
            let c = rate(client, concurrency, length).await;
            (c, rate(raw, concurrency, length).await)
        } else {
            let r = rate(raw, concurrency, length).await;
            (rate(client, concurrency, length).await, r)
        };
        ratios.push(c / r);
        clients.push(c);
        raws.push(r);
    }
    let (ratio, client_cps, raw_cps) =
        (median(&mut ratios), median(&mut clients), median(&mut raws));
    println!(
        "loopback c{concurrency}: client {client_cps:.0} calls/s, raw reqwest {raw_cps:.0} calls/s (medians); paired ratio {ratio:.3}"
    );
    json!({ "ratio": ratio, "client_cps": client_cps, "raw_cps": raw_cps, "rounds": rounds })
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} takes a number"))
        })
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` passes no `--bench`: one short round checks that both sides work.
    let measuring = args.iter().any(|a| a == "--bench");
    let rounds = if measuring {
        arg(&args, "--rounds", 16) as usize
    } else {
        1
    };
    let length = Duration::from_millis(if measuring {
        arg(&args, "--round-ms", 500)
    } else {
        50
    });
    let base_url = format!("http://{}", http_server::start());
    let (client, raw) = (client_call(&base_url), raw_call(&base_url));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(async {
        let c1 = compare(&client, &raw, 1, rounds, length).await;
        let c64 = compare(&client, &raw, 64, rounds, length).await;
        json!({ "c1": c1, "c64": c64, "receivers": RECEIVERS })
    });
    println!("{report}");
}
