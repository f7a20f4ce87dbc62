//! Self-tests of the server over real sockets, with a raw HTTP client.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::config::{Config, DEFAULT_APP_SECRET};
use super::faults::{Fault, FaultPlan, MAX_BURST, RATES};
use super::log::Refusal;
use super::request::encode;
use super::FaultServer;

/// The status and body of an answer; `None` when the connection ended without one.
type Answer = Option<(u16, String)>;

/// Sends one signed sendBatchMsg on a new connection and waits up to `timeout` for the answer.
async fn send(port: u16, accids: &[&str], secret: &str, timeout: Duration) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(&encode(accids, secret)).await.unwrap();
    tokio::time::timeout(timeout, read_answer(&mut stream))
        .await
        .ok()
        .flatten()
}

async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))?
                .parse()
                .ok()?;
            if body.len() >= length {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                return Some((status, body.to_owned()));
            }
        }
        match stream.read(&mut chunk).await {
            Ok(n) if n > 0 => data.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
}

const QUICK: Duration = Duration::from_secs(5);

fn code(answer: &Answer) -> Option<u64> {
    let (_, body) = answer.as_ref()?;
    serde_json::from_str::<serde_json::Value>(body).ok()?["code"].as_u64()
}

#[tokio::test]
async fn the_call_past_the_limit_gets_416_and_the_app_stays_blocked() {
    let server = FaultServer::start(Config::new(3, 300, 700)).await.unwrap();
    let port = server.port();
    for i in 0..3 {
        let answer = send(port, &[&format!("a{i}")], DEFAULT_APP_SECRET, QUICK).await;
        assert_eq!(code(&answer), Some(200), "call {i}: {answer:?}");
    }
    assert_eq!(
        code(&send(port, &["a3"], DEFAULT_APP_SECRET, QUICK).await),
        Some(416)
    );
    // The window has room again after 300 ms, but the block lasts 700.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        code(&send(port, &["a4"], DEFAULT_APP_SECRET, QUICK).await),
        Some(416)
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        code(&send(port, &["a5"], DEFAULT_APP_SECRET, QUICK).await),
        Some(200)
    );

    let summary = server.summary();
    assert_eq!(
        (
            summary.requests,
            summary.answered_416,
            summary.self_416,
            summary.injected_416
        ),
        (6, 2, 2, 0)
    );
    let log = summary.log.unwrap();
    let refused: Vec<_> = log.iter().map(|e| e.refused).collect();
    assert_eq!(
        refused,
        [
            None,
            None,
            None,
            Some(Refusal::OverLimit),
            Some(Refusal::Blocked),
            None
        ]
    );
    let delivered: Vec<_> = summary.delivered.keys().cloned().collect();
    assert_eq!(delivered, ["a0", "a1", "a2", "a5"]);
    assert!(log
        .iter()
        .all(|e| e.receive_us.is_some() && e.answer_us.is_some()));
}

#[tokio::test]
async fn calls_within_the_limit_are_all_admitted() {
    let server = FaultServer::start(Config::new(3, 300, 700)).await.unwrap();
    for i in 0..6 {
        let answer = send(
            server.port(),
            &[&format!("a{i}")],
            DEFAULT_APP_SECRET,
            QUICK,
        )
        .await;
        assert_eq!(code(&answer), Some(200), "call {i}");
        if i == 2 {
            tokio::time::sleep(Duration::from_millis(350)).await;
        }
    }
    assert_eq!(server.summary().answered_416, 0);
}

#[tokio::test]
async fn a_wrong_checksum_gets_414_and_delivers_nothing() {
    let server = FaultServer::start(Config::new(1, 1000, 1000))
        .await
        .unwrap();
    let answer = send(server.port(), &["a0"], "not-the-secret", QUICK).await;
    assert_eq!(code(&answer), Some(414));
    // Refused calls do not use up the window.
    let answer = send(server.port(), &["a1"], DEFAULT_APP_SECRET, QUICK).await;
    assert_eq!(code(&answer), Some(200));
    let summary = server.summary();
    assert_eq!(summary.log.unwrap()[0].refused, Some(Refusal::Checksum));
    assert_eq!(summary.delivered.keys().collect::<Vec<_>>(), ["a1"]);
}

#[tokio::test]
async fn each_fault_does_what_it_says() {
    use Fault::*;
    let script = vec![
        Burst416,
        Status500,
        Status502,
        Status503,
        ResetBeforeBody,
        ResetAfterProcess,
        SlowReply,
        None,
    ];
    let mut config = Config::new(100, 1000, 1000).script(script.clone());
    config.slow = Duration::from_millis(600);
    let server = FaultServer::start(config).await.unwrap();
    let timeout = Duration::from_millis(300);
    let mut answers = Vec::new();
    for i in 0..script.len() {
        answers.push(
            send(
                server.port(),
                &[&format!("a{i}")],
                DEFAULT_APP_SECRET,
                timeout,
            )
            .await,
        );
    }
    let statuses: Vec<_> = answers
        .iter()
        .map(|a| a.as_ref().map(|(s, _)| *s))
        .collect();
    assert_eq!(
        statuses,
        [
            Some(200),
            Some(500),
            Some(502),
            Some(503),
            Option::None,
            Option::None,
            Option::None,
            Some(200)
        ]
    );
    assert_eq!(code(&answers[0]), Some(416));
    // The late answer is still written, after the client gave up.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let summary = server.summary();
    let log = summary.log.unwrap();
    let faults: Vec<_> = log.iter().map(|e| e.fault).collect();
    assert_eq!(faults, script);
    let delivered: Vec<_> = log.iter().map(|e| e.delivered).collect();
    assert_eq!(
        delivered,
        [false, true, true, false, false, true, true, true]
    );
    let keys: Vec<_> = summary.delivered.keys().cloned().collect();
    assert_eq!(keys, ["a1", "a2", "a5", "a6", "a7"]);
    assert_eq!((summary.injected_416, summary.self_416), (1, 0));
    let slow = &log[6];
    let late = slow.answer_us.unwrap() - slow.receive_us.unwrap();
    assert!(late >= 600_000, "answered after {late} µs");
    assert_eq!((log[4].status, log[5].status), (Option::None, Option::None));
    assert_eq!(
        log[4].recipients,
        ["a4"],
        "a reset request's recipients are logged"
    );
}

#[tokio::test]
async fn unregistered_accids_are_reported_and_not_delivered() {
    let mut config = Config::new(10, 1000, 1000);
    config.unregistered_every = Some(97);
    let server = FaultServer::start(config).await.unwrap();
    let answer = send(
        server.port(),
        &["r96", "r97", "r194", "x"],
        DEFAULT_APP_SECRET,
        QUICK,
    )
    .await;
    let body: serde_json::Value = serde_json::from_str(&answer.unwrap().1).unwrap();
    assert_eq!(body["unregister"], serde_json::json!(["r97", "r194"]));
    let keys: Vec<_> = server.summary().delivered.keys().cloned().collect();
    assert_eq!(keys, ["r96", "x"]);
}

#[tokio::test]
async fn the_refused_port_refuses_connections() {
    let server = FaultServer::start(Config::new(1, 1000, 1000))
        .await
        .unwrap();
    let err = TcpStream::connect(("127.0.0.1", server.refused_port()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .is_ok());
    let ports: serde_json::Value = serde_json::from_str(&server.ports_json()).unwrap();
    assert_eq!(ports["refused_port"], server.refused_port());
}

#[test]
fn random_faults_depend_on_the_seed_alone_and_come_at_their_rates() {
    let draws = |seed| -> Vec<_> {
        (0..20_000)
            .map(|s| FaultPlan::Random { seed }.draw(s))
            .collect()
    };
    let (a, b, c) = (draws(1), draws(1), draws(2));
    assert_eq!(a, b);
    assert_ne!(a, c);
    for &(fault, rate) in RATES {
        let n = a.iter().filter(|(f, _)| *f == fault).count() as f64;
        assert!((n / 20_000.0 - rate).abs() < rate / 3.0, "{fault:?}: {n}");
    }
    let bursts: Vec<_> = a
        .iter()
        .filter(|(f, _)| *f == Fault::Burst416)
        .map(|(_, k)| *k)
        .collect();
    assert!(bursts.iter().all(|k| (1..=MAX_BURST).contains(k)));
    assert!(bursts.contains(&MAX_BURST));
    assert!(FaultPlan::None.draw(3).0 == Fault::None);
}

#[test]
fn the_command_line_needs_the_limit_and_the_summary_path() {
    let args = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    let config = Config::from_args(args(
        "--calls 20 --window-ms 1000 --block-ms 1500 --seed 7 --faults all --unregistered-every 97 --no-log --summary summary.json",
    ))
    .unwrap();
    assert_eq!(config.calls, 20);
    assert_eq!(config.block, Duration::from_millis(1500));
    assert!(matches!(config.faults, FaultPlan::Random { seed: 7 }));
    assert_eq!(config.unregistered_every, Some(97));
    assert!(!config.log);
    assert_eq!(config.app_secret, DEFAULT_APP_SECRET);
    assert!(Config::from_args(args("--calls 20 --window-ms 1000 --block-ms 1500")).is_err());
    assert!(Config::from_args(args("--calls 20 --window-ms 1000 --summary x")).is_err());
    assert!(Config::from_args(args("--calls 0 --window-ms 1 --block-ms 1 --summary x")).is_err());
    assert!(Config::from_args(args(
        "--calls 1 --window-ms 1 --block-ms 1 --faults some --summary x"
    ))
    .is_err());
}
