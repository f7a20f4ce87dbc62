//! The `fan_out` example sends one message to 100,000 recipients through the `fault-server`
//! binary, with a scaled-down rate limit (20 calls per second, a 1.5 s block, a 300 ms call
//! timeout): once with every fault on, where every recipient must be accounted for exactly once
//! and agree with what the server did, and once without faults (20 calls per 2 s), where no call
//! may be refused and the pace must reach 95 % of the limit's bound (see
//! `fan_out_check::throughput`).
//! `cargo test --workspace` builds the example; the fault server is this package's binary.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yunxin_tests::fan_out_check::{self, FanOutOutput};
use yunxin_tests::fault_server::{request, Fault, Summary};

use crate::fault_child::FaultChild;

const RECIPIENTS: usize = 100_000;
const CALLS: u32 = 20;
const WINDOW_MS: u64 = 1000;
/// The window of the run whose pace is measured. The pacer holds each slot a window after its
/// answer, so every window costs the pace one call's latency; in this debug build, with a test
/// beside it on 2 cores, that was 50 ms, 0.949 of the bound at 1000 ms. At 2000 ms the same
/// latency costs half as much.
const PACE_WINDOW_MS: u64 = 2000;
const BLOCK_MS: u64 = 1500;
const TIMEOUT_MS: u64 = 300;
/// Longer than the client's timeout, so a slow reply is one the client never reads.
const SLOW_MS: u64 = 1000;
/// Draws every fault within the first 60 requests (the run makes over 200), no burst hiding one.
const SEED: u64 = 7;
const SECRET: &str = "fault-secret";
/// The longest one run may take before it is killed; the test is meant to take about 40 s.
const RUN_DEADLINE: Duration = Duration::from_secs(120);

/// A `fault-server` at this test's limit, with `extra` options.
fn start_server(window_ms: u64, extra: &[&str]) -> FaultChild {
    let limit = [
        "--calls".to_owned(),
        CALLS.to_string(),
        "--window-ms".to_owned(),
        window_ms.to_string(),
        "--block-ms".to_owned(),
        BLOCK_MS.to_string(),
        "--slow-ms".to_owned(),
        SLOW_MS.to_string(),
    ];
    let args: Vec<String> = limit
        .into_iter()
        .chain(extra.iter().map(|a| a.to_string()))
        .collect();
    FaultChild::start(&args)
}

/// Runs the example against `server` (the refusing port first, for failover) and returns its
/// parsed stdout and wall time.
fn fan_out(binary: &Path, server: &FaultChild, window_ms: u64) -> (FanOutOutput, Duration) {
    let urls = format!(
        "http://127.0.0.1:{},http://127.0.0.1:{}",
        server.refused_port, server.port
    );
    let started = Instant::now();
    let mut child = Command::new(binary)
        .env("YUNXIN_APP_KEY", "fault-key")
        .env("YUNXIN_APP_SECRET", SECRET)
        .env("YUNXIN_BASE_URL", urls)
        .env("FAN_OUT_RECIPIENTS", RECIPIENTS.to_string())
        .env("FAN_OUT_CALLS", CALLS.to_string())
        .env("FAN_OUT_WINDOW_MS", window_ms.to_string())
        .env("FAN_OUT_BLOCK_MS", BLOCK_MS.to_string())
        .env("FAN_OUT_TIMEOUT_MS", TIMEOUT_MS.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on threads: a full pipe would stall the child.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > RUN_DEADLINE {
            let _ = child.kill();
            panic!("fan_out took over {RUN_DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    let tail: String = stderr.lines().rev().take(20).collect::<Vec<_>>().join("\n");
    assert!(
        status.success(),
        "fan_out exited with {status}; last stderr lines (reversed):\n{tail}"
    );
    let output = fan_out_check::parse(&stdout).unwrap_or_else(|e| panic!("{e}\n{tail}"));
    (output, elapsed)
}

fn report(run: &str, output: &FanOutOutput, summary: &Summary, wall: Duration) {
    let pace = fan_out_check::throughput(summary);
    eprintln!(
        "{run}: calls {} retries {} counts {:?}; server: requests {} answered_416 {} \
         (injected {}, self {}); wall {:.1} s; first-to-last receive {:.0} ms, bound {:.0} ms, \
         ratio {:.3}",
        output.calls,
        output.retries,
        output.counts,
        summary.requests,
        summary.answered_416,
        summary.injected_416,
        summary.self_416,
        wall.as_secs_f64(),
        pace.elapsed_ms,
        pace.bound_ms,
        pace.ratio
    );
}

fn assert_consistent(output: &FanOutOutput, summary: &Summary) {
    let problems = fan_out_check::check(output, summary, RECIPIENTS, BLOCK_MS);
    let shown: Vec<_> = problems.iter().take(30).collect();
    assert!(
        problems.is_empty(),
        "{} problems, first ones:\n{shown:#?}",
        problems.len()
    );
}

/// Both runs in one test, one after the other: run side by side they would slow each other
/// down on a small machine and spoil the pace measured.
#[test]
fn fan_out_accounts_for_every_recipient_under_faults_and_keeps_pace_without() {
    let binary = crate::example_binary("fan_out");

    let server = start_server(
        WINDOW_MS,
        &[
            "--faults",
            "all",
            "--seed",
            &SEED.to_string(),
            "--unregistered-every",
            "97",
        ],
    );
    let (output, wall) = fan_out(&binary, &server, WINDOW_MS);
    let summary: Summary = server.finish();
    report("faults on", &output, &summary, wall);
    assert_consistent(&output, &summary);
    let log = summary.log.as_ref().unwrap();
    for fault in [
        Fault::Burst416,
        Fault::Status500,
        Fault::Status502,
        Fault::Status503,
        Fault::ResetBeforeBody,
        Fault::ResetAfterProcess,
        Fault::SlowReply,
    ] {
        assert!(
            log.iter().any(|e| e.fault == fault),
            "no request got {fault:?}"
        );
    }
    assert!(output.counts.unregistered > 0 && output.counts.unknown > 0);

    // The pace is measured: no child build beside it.
    let quiet = yunxin_tests::cores::quiet();
    let server = start_server(PACE_WINDOW_MS, &["--faults", "none"]);
    let (output, wall) = fan_out(&binary, &server, PACE_WINDOW_MS);
    let summary: Summary = server.finish();
    drop(quiet);
    report("faults off", &output, &summary, wall);
    assert_consistent(&output, &summary);
    assert_eq!(output.counts.sent, RECIPIENTS as u64, "{:?}", output.counts);
    assert_eq!(summary.answered_416, 0, "the client went over the limit");
    let pace = fan_out_check::throughput(&summary);
    assert!(pace.ratio >= 0.95, "{pace:?}");
}

/// The binary's contract, without the example: ports on one line, a refusing second port,
/// requests served, and the summary written once stdin closes.
#[test]
fn fault_server_prints_its_ports_and_writes_the_summary_when_stdin_closes() {
    let server = start_server(
        WINDOW_MS,
        &["--faults", "none", "--unregistered-every", "2"],
    );
    let refused = TcpStream::connect(("127.0.0.1", server.refused_port)).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .write_all(&request::encode(&["r1", "r2"], SECRET))
        .unwrap();
    let mut answer = [0u8; 512];
    let n = stream.read(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""unregister":["r2"]"#), "{answer}");
    drop(stream);
    let summary: Summary = server.finish();
    assert_eq!(summary.requests, 1);
    assert_eq!((summary.calls, summary.window_ms), (CALLS, WINDOW_MS));
    assert_eq!(
        summary.delivered.into_iter().collect::<Vec<_>>(),
        [("r1".to_string(), 1)]
    );
    assert_eq!(summary.log.unwrap()[0].recipients, ["r1", "r2"]);
}
