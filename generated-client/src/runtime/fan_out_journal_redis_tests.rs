//! The Redis journal against a real `redis-server` (started here on a free port): claims,
//! takeovers of a dead owner's chunks and none of a live one's, a crash between intent and
//! outcome resumed by the v2 and v1 rules, refusals, compaction and removal. Processes killed
//! at random points are in `tests/it/fan_out_resume_redis.rs`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;
use crate::runtime::endpoint::ApiRequest;
use crate::runtime::fan_out::FanOut;
use crate::runtime::fan_out_journal::Journal;
use crate::runtime::fan_out_requests_tests::{v1, V1, V2};

/// A `redis-server` on a free port, killed when dropped.
struct Server {
    port: u16,
    child: Child,
}

impl Server {
    fn start() -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        Server::start_on(port)
    }

    /// A fresh, empty server on `port`.
    fn start_on(port: u16) -> Server {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (`cargo xtask test` installs it)");
        let started = Instant::now();
        while !pong(port) {
            assert!(started.elapsed() < Duration::from_secs(10), "no PONG");
            std::thread::sleep(Duration::from_millis(20));
        }
        Server { port, child }
    }

    fn journal(&self) -> RedisJournal {
        let mut journal = RedisJournal::new(&format!("redis://127.0.0.1:{}/0", self.port)).unwrap();
        journal.owner_ttl = TTL;
        journal
    }
}

fn pong(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let mut buf = [0u8; 16];
    s.write_all(b"PING\r\n").is_ok()
        && s.read(&mut buf)
            .is_ok_and(|n| buf[..n].starts_with(b"+PONG"))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const TTL: Duration = Duration::from_millis(300);

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const ALL: [&str; 4] = ["a", "b", "c", "d"];

fn v2() -> V2 {
    crate::runtime::fan_out_requests_tests::v2("hello")
}

async fn open(
    journal: &RedisJournal,
    job: &str,
    recipients: &[&str],
    size: usize,
) -> Result<RedisWriter, JournalError> {
    journal
        .open(&JobHeader::new(job, &v2(), &names(recipients)), size)
        .await
}

/// A process that claimed `chunk`, wrote `request` as its intent, and died.
async fn crashed_with_intent<R: FanOutRequest>(writer: RedisWriter, chunk: u64, request: &R) {
    assert!(matches!(writer.claim().await.unwrap(), Claim::Fresh(c) if c == chunk));
    writer.intent(chunk, request).await.unwrap();
    drop(writer); // the renewals stop: the liveness key expires after TTL
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_owners_chunk_is_taken_over_with_its_exact_request_and_a_live_ones_is_not() {
    let server = Server::start();
    let journal = server.journal();
    let first = open(&journal, "job", &ALL, 2).await.unwrap();
    let request = v2().with_recipients(names(&["a", "b"]));
    crashed_with_intent(first, 0, &request).await;

    let second = open(&journal, "job", &ALL, 2).await.unwrap();
    // Chunk 1 was never claimed: fresh. Chunk 0's owner is still alive (its key has not expired).
    assert!(matches!(second.claim().await.unwrap(), Claim::Fresh(1)));
    assert!(matches!(second.claim().await.unwrap(), Claim::Wait));
    tokio::time::sleep(TTL * 2).await;
    let Claim::Takeover(0, Some(intent)) = second.claim().await.unwrap() else {
        panic!("chunk 0 not taken over with its intent");
    };
    let pending: V2 = serde_json::from_str(&intent).unwrap();
    // The same logical request: a v2 resend is de-duplicated by its trace id.
    assert_eq!(pending.trace_id(), request.trace_id());
    // Its own chunks in flight are no one's to take: it waits for them.
    assert!(matches!(second.claim().await.unwrap(), Claim::Wait));
    second
        .outcome(
            0,
            &[("a".into(), Outcome::Sent), ("b".into(), Outcome::Sent)],
        )
        .await
        .unwrap();
    second
        .outcome(
            1,
            &[
                ("c".into(), Outcome::Unregistered),
                ("d".into(), Outcome::Sent),
            ],
        )
        .await
        .unwrap();
    assert!(matches!(second.claim().await.unwrap(), Claim::Done));
    let answered = second.answered().await.unwrap();
    assert_eq!(answered.len(), 4);
    assert_eq!(answered["c"], Outcome::Unregistered);
    second.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_without_intent_is_taken_over_as_never_sent_and_the_old_owner_may_not_send_it() {
    let server = Server::start();
    let journal = server.journal();
    let first = open(&journal, "job", &ALL, 4).await.unwrap();
    assert!(matches!(first.claim().await.unwrap(), Claim::Fresh(0)));
    // The first process stalls past its time to live (its renewals stopped, not its process).
    first.renew.abort();
    tokio::time::sleep(TTL * 2).await;
    let second = open(&journal, "job", &ALL, 4).await.unwrap();
    assert!(matches!(
        second.claim().await.unwrap(),
        Claim::Takeover(0, None)
    ));
    let err = first.intent(0, &v2()).await.unwrap_err();
    assert!(err.contains("taken over"), "{err}");
    second.intent(0, &v2()).await.unwrap();
    // A first outcome stands; a late one of the old owner changes nothing.
    let sent: Vec<_> = ALL.iter().map(|r| (r.to_string(), Outcome::Sent)).collect();
    second.outcome(0, &sent).await.unwrap();
    let unknown = Outcome::Unknown {
        reason: "late".into(),
    };
    first.outcome(0, &[("a".into(), unknown)]).await.unwrap();
    assert_eq!(second.answered().await.unwrap()["a"], Outcome::Sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_job_other_recipients_or_another_chunk_size_are_refused() {
    let mut server = Server::start();
    let journal = server.journal();
    open(&journal, "job", &ALL, 2).await.unwrap().finish().await;
    // The same set in another order, with a template of another trace id: the same job.
    open(&journal, "job", &["d", "c", "b", "a"], 2)
        .await
        .unwrap()
        .finish()
        .await;
    let err = open(&journal, "job", &["a", "b"], 2).await.err().unwrap();
    assert!(matches!(err, JournalError::OtherRecipients { .. }), "{err}");
    let err = open(&journal, "job", &ALL, 3).await.err().unwrap();
    assert!(matches!(err, JournalError::OtherRecipients { .. }), "{err}");
    let header = JobHeader::new(
        "job",
        &crate::runtime::fan_out_requests_tests::v2("other"),
        &names(&ALL),
    );
    let err = journal.open(&header, 2).await.err().unwrap();
    assert!(matches!(err, JournalError::OtherRecipients { .. }), "{err}");
    // Redis gone mid-run: the intent cannot be recorded, so the caller must not send.
    let writer = open(&journal, "job", &ALL, 2).await.unwrap();
    assert!(matches!(writer.claim().await.unwrap(), Claim::Fresh(_)));
    let _ = server.child.kill();
    let _ = server.child.wait();
    assert!(writer.intent(0, &v2()).await.is_err());
    let _restarted = Server::start_on(server.port);
    // Another job id has keys of its own: no refusal, no mixing.
    open(&journal, "job-2", &["x"], 2)
        .await
        .unwrap()
        .finish()
        .await;
    // No Redis there: refused at once, the URL masked.
    let mut nowhere = RedisJournal::new("redis://:hunter2@127.0.0.1:1/0").unwrap();
    nowhere.owner_ttl = TTL;
    let err = open(&nowhere, "job", &ALL, 2).await.err().unwrap();
    assert!(matches!(err, JournalError::Redis { .. }), "{err}");
    assert!(
        !err.to_string().contains("hunter2") && err.to_string().contains("****"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_keeps_outcomes_and_pending_chunks_and_removal_deletes_the_job() {
    let server = Server::start();
    let journal = server.journal();
    let writer = open(&journal, "job", &ALL, 2).await.unwrap();
    assert!(matches!(writer.claim().await.unwrap(), Claim::Fresh(0)));
    writer
        .outcome(
            0,
            &[("a".into(), Outcome::Sent), ("b".into(), Outcome::Sent)],
        )
        .await
        .unwrap();
    crashed_with_intent(writer, 1, &v2().with_recipients(names(&["c", "d"]))).await;
    journal.compact("job").await.unwrap();
    let err = journal.compact("no-such-job").await.unwrap_err();
    assert!(err.to_string().contains("no journal"), "{err}");
    tokio::time::sleep(TTL * 2).await;
    let again = open(&journal, "job", &ALL, 2).await.unwrap();
    assert_eq!(again.answered().await.unwrap().len(), 2);
    // Without the counter, the answered chunk is not claimed again; the pending one is resumed.
    assert!(matches!(
        again.claim().await.unwrap(),
        Claim::Takeover(1, Some(_))
    ));
    again.finish().await;

    journal.remove("job").await.unwrap();
    let fresh = open(&journal, "job", &["z"], 5).await.unwrap();
    assert!(fresh.answered().await.unwrap().is_empty());
    assert!(matches!(fresh.claim().await.unwrap(), Claim::Fresh(0)));
}

/// A client whose every call is refused at the TCP level: nothing reaches a server.
fn unreachable_client() -> crate::Client {
    crate::Client::builder("key", "secret")
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_intent_and_outcome_is_resumed_by_the_v2_and_v1_rules() {
    let server = Server::start();
    let journal = Journal {
        kind: super::super::fan_out_journal::Kind::Redis(server.journal()),
    };
    let client = unreachable_client();

    // v1 without a resend marker: the pending chunk ends `unknown`, never sent again.
    let v1: V1 = v1("{}");
    let header = JobHeader::new("v1", &v1, &names(&ALL));
    let writer = server.journal().open(&header, 5000).await.unwrap();
    crashed_with_intent(writer, 0, &v1.with_recipients(names(&ALL))).await;
    tokio::time::sleep(TTL * 2).await;
    let report = FanOut::new(&client, v1.clone(), ALL)
        .journal("v1", journal.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(report.calls, 0, "{report:?}");
    assert_eq!(report.counts().unknown, 4, "{report:?}");

    // v2: sent again, same trace id (here it cannot reach the server: `unknown` still, but tried).
    let header = JobHeader::new("v2", &v2(), &names(&ALL));
    let writer = server.journal().open(&header, 100).await.unwrap();
    crashed_with_intent(writer, 0, &v2().with_recipients(names(&ALL))).await;
    tokio::time::sleep(TTL * 2).await;
    let report = FanOut::new(&client, v2(), ALL)
        .journal("v2", journal.clone())
        .send()
        .await
        .unwrap();
    assert_eq!((report.calls, report.resent_chunks), (1, 1), "{report:?}");
    assert_eq!(report.counts().unknown, 4, "{report:?}");

    // A fresh job: never sent, nothing of it can have been delivered.
    let report = FanOut::new(&client, v2(), ["x", "y"])
        .journal("fresh", journal)
        .send()
        .await
        .unwrap();
    assert_eq!(report.counts().unknown, 0, "{report:?}");
    assert_eq!(report.recipients.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_process_claims_no_more_and_another_finishes_the_job() {
    let server = Server::start();
    let journal = Journal {
        kind: super::super::fan_out_journal::Kind::Redis(server.journal()),
    };
    let client = unreachable_client();
    let fan_out = FanOut::new(&client, v2(), ALL).chunk_size(1).concurrency(1);
    let cancel = fan_out.cancel_handle();
    let stopped = fan_out
        .on_progress(move |_| cancel.cancel())
        .journal("job", journal.clone())
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = stopped.recipients.values().map(Outcome::name).collect();
    assert_eq!(
        names,
        ["failed", "not_attempted", "not_attempted", "not_attempted"]
    );
    let finished = FanOut::new(&client, v2(), ALL)
        .chunk_size(1)
        .journal("job", journal)
        .send()
        .await
        .unwrap();
    assert_eq!(finished.counts().failed, 4, "{finished:?}");
    assert_eq!((finished.resumed, finished.calls), (1, 3), "{finished:?}");
}
