//! The fan-out engine through the generated `<endpoint>_fan_out` methods, against a scripted
//! server on 127.0.0.1: chunking, de-duplication, each outcome, which failures are resent (and
//! how) and which never are, cancel, fatal errors, the concurrency bound and progress.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use yunxin_im::chatroom_batch_send_msg_to_someone::ChatroomBatchSendMsgToSomeoneRequest;
use yunxin_im::custom_notification_batch::CustomNotificationBatchRequest;
use yunxin_im::fan_out::{FanOutReport, Outcome, Progress, RetryPolicy};
use yunxin_im::send_batch_msg::{limits, SendBatchMsgRequest};
use yunxin_im::types::{ChatroomMessage, MsgType};
use yunxin_im::Client;

/// Recipients per `send_batch_msg` call with returnMsgid=true (the conditional maximum) and
/// without it, as the spec states them: the tests size their runs by these, never by numbers.
const SMALL: usize = limits::TO_ACCIDS_MAX_ITEMS_WHEN_RETURN_MSGID;
const LARGE: usize = limits::TO_ACCIDS_MAX_ITEMS;

/// Recipients per call of a fan-out endpoint, read from the model.
fn chunk_of(endpoint: &str) -> usize {
    let model = yunxin_tests::calls::model();
    let e = model.endpoints.iter().find(|e| e.name == endpoint).unwrap();
    e.fan_out.as_ref().expect("a fan-out endpoint").max as usize
}

type Script = dyn Fn(usize, &Request) -> ResponseTemplate + Send + Sync;

/// Answers the n-th call (0-based) as `script` says, keeping every request.
#[derive(Clone)]
struct Scripted {
    seen: Arc<Mutex<Vec<Request>>>,
    script: Arc<Script>,
}

impl Respond for Scripted {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        seen.push(request.clone());
        (self.script)(seen.len() - 1, request)
    }
}

async fn server(
    script: impl Fn(usize, &Request) -> ResponseTemplate + Send + Sync + 'static,
) -> (MockServer, Arc<Mutex<Vec<Request>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::any())
        .respond_with(Scripted {
            seen: seen.clone(),
            script: Arc::new(script),
        })
        .mount(&server)
        .await;
    (server, seen)
}

fn client(url: &str) -> Client {
    Client::builder("key", "secret")
        .base_url(url)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn code(code: i64) -> ResponseTemplate {
    ok(json!({"code": code, "desc": "scripted"}))
}

/// A v1 form field of a request, JSON text parsed.
fn form(request: &Request, name: &str) -> Value {
    let (_, value) = form_urlencoded::parse(&request.body)
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no {name}"));
    serde_json::from_str(&value).unwrap_or(Value::String(value.into_owned()))
}

fn to_accids(request: &Request) -> Vec<String> {
    serde_json::from_value(form(request, "toAccids")).unwrap()
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("r{i}")).collect()
}

fn template() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", vec![], MsgType::Text, r#"{"msg":"hi"}"#)
}

fn all(report: &FanOutReport, pred: impl Fn(&Outcome) -> bool) -> bool {
    report.recipients.values().all(pred)
}

#[tokio::test]
async fn fan_out_drops_duplicates_and_chunks_by_the_conditional_maximum() {
    let unique = 2 * SMALL + SMALL / 2;
    for (return_msgid, max) in [(true, SMALL), (false, LARGE)] {
        let calls = unique.div_ceil(max);
        let (server, seen) = server(|_, _| ok(json!({"code": 200}))).await;
        let client = client(&server.uri());
        let mut recipients = names(unique);
        recipients.extend(names(40)); // 40 repeats
        let report = client
            .send_batch_msg_fan_out(&template().return_msgid(return_msgid), recipients)
            .send()
            .await;
        assert_eq!(report.recipients.len(), unique);
        assert_eq!(report.duplicates, 40);
        assert_eq!(report.counts().sent, unique);
        assert_eq!(report.calls, calls, "returnMsgid={return_msgid}");
        let seen = seen.lock().unwrap();
        let sizes: Vec<usize> = seen.iter().map(|r| to_accids(r).len()).collect();
        assert!(sizes.iter().all(|n| *n <= max), "{sizes:?}");
        let sent: HashSet<String> = seen.iter().flat_map(to_accids).collect();
        assert_eq!(sent.len(), unique, "each recipient went out exactly once");
    }
}

#[tokio::test]
async fn fan_out_reports_unregistered_recipients_from_the_reply() {
    let (server, _) = server(|_, r| {
        let unknown: Vec<String> = to_accids(r)
            .into_iter()
            .filter(|a| a.ends_with('7'))
            .collect();
        ok(json!({"code": 200, "unregister": unknown}))
    })
    .await;
    let report = client(&server.uri())
        .send_batch_msg_fan_out(&template(), names(30))
        .send()
        .await;
    let c = report.counts();
    assert_eq!((c.sent, c.unregistered), (27, 3));
    assert_eq!(report.recipients["r17"], Outcome::Unregistered);
    assert_eq!(report.recipients["r16"], Outcome::Sent);
}

#[tokio::test]
async fn fan_out_a_refusal_fails_its_chunk_and_the_run_goes_on_but_414_stops_it() {
    for (refusal, stops) in [(423, false), (414, true)] {
        let (server, seen) = server(move |n, _| {
            if n == 0 {
                code(refusal)
            } else {
                ok(json!({"code": 200}))
            }
        })
        .await;
        let report = client(&server.uri())
            .send_batch_msg_fan_out(&template().return_msgid(true), names(3 * SMALL))
            .concurrency(1)
            .retries(RetryPolicy::attempts(3))
            .send()
            .await;
        let c = report.counts();
        assert_eq!(
            c.failed, SMALL,
            "{refusal}: the refused chunk fails, and is not retried"
        );
        assert!(
            matches!(&report.recipients["r0"], Outcome::Failed { reason } if reason.contains(&refusal.to_string()))
        );
        if stops {
            assert_eq!(
                (c.sent, c.not_attempted, seen.lock().unwrap().len()),
                (0, 2 * SMALL, 1)
            );
            let last = format!("r{}", 3 * SMALL - 1);
            assert!(
                matches!(&report.recipients[&last], Outcome::NotAttempted { reason } if reason.contains("fatal"))
            );
        } else {
            assert_eq!(
                (c.sent, c.not_attempted, seen.lock().unwrap().len()),
                (2 * SMALL, 0, 3)
            );
        }
        assert_eq!(c.total(), 3 * SMALL);
    }
}

#[tokio::test]
async fn fan_out_never_resends_a_v1_call_whose_outcome_is_unknown() {
    // A 502 after the request was sent, and a reply slower than the client's timeout.
    for slow in [false, true] {
        let (server, seen) = server(move |_, _| match slow {
            true => ok(json!({"code": 200})).set_delay(Duration::from_secs(2)),
            false => ResponseTemplate::new(502),
        })
        .await;
        let report = client(&server.uri())
            .send_batch_msg_fan_out(&template(), names(5))
            .retries(
                RetryPolicy::attempts(4)
                    .backoff(Duration::from_millis(1), Duration::from_millis(5)),
            )
            .send()
            .await;
        assert_eq!(seen.lock().unwrap().len(), 1, "slow={slow}: resent");
        assert_eq!((report.calls, report.retries), (1, 0));
        assert!(
            all(&report, |o| matches!(o, Outcome::Unknown { .. })),
            "{report:?}"
        );
    }
}

fn chatroom() -> ChatroomBatchSendMsgToSomeoneRequest {
    let message = ChatroomMessage::new("m-1", MsgType::Text)
        .attach("hi")
        .resend_flag(false);
    ChatroomBatchSendMsgToSomeoneRequest::new(72, vec![message], "sender", vec![])
}

#[tokio::test]
async fn fan_out_resends_an_unknown_v1_call_marked_as_the_spec_says() {
    for retries in [true, false] {
        let (server, seen) = server(|n, _| {
            if n == 0 {
                ResponseTemplate::new(502)
            } else {
                ok(json!({"code": 200}))
            }
        })
        .await;
        let policy = RetryPolicy::attempts(if retries { 3 } else { 1 })
            .backoff(Duration::from_millis(1), Duration::from_millis(5));
        let report = client(&server.uri())
            .chatroom_batch_send_msg_to_someone_fan_out(&chatroom(), names(3))
            .retries(policy)
            .send()
            .await;
        let seen = seen.lock().unwrap();
        if retries {
            assert_eq!(report.counts().sent, 3);
            assert_eq!((report.calls, report.retries), (2, 1));
            let first = form(&seen[0], "msgList");
            let again = form(&seen[1], "msgList");
            assert_eq!(first[0]["resendFlag"], 0);
            assert_eq!(again[0]["resendFlag"], 1, "the resend is marked");
            assert_eq!(again[0]["msgId"], first[0]["msgId"], "with the same msgId");
            assert_eq!(to_accids(&seen[1]), to_accids(&seen[0]));
        } else {
            assert_eq!(seen.len(), 1);
            assert_eq!(report.counts().unknown, 3);
        }
    }
}

#[tokio::test]
async fn fan_out_a_refused_chatroom_message_fails_every_recipient_of_the_call() {
    for fail in [true, false] {
        let (server, _) = server(move |_, _| match fail {
            true => ok(json!({"code": 200, "fail": [{"m-1": "parameter resendFlag should be used for RESEND!"}]})),
            false => ok(json!({"code": 200, "fail": []})),
        })
        .await;
        let report = client(&server.uri())
            .chatroom_batch_send_msg_to_someone_fan_out(&chatroom(), names(4))
            .send()
            .await;
        if fail {
            assert!(all(
                &report,
                |o| matches!(o, Outcome::Failed { reason } if reason.contains("m-1"))
            ));
        } else {
            assert_eq!(report.counts().sent, 4);
        }
    }
}

fn notification() -> CustomNotificationBatchRequest {
    CustomNotificationBatchRequest::new("sender", "hello", vec![])
}

#[tokio::test]
async fn fan_out_resends_a_v2_call_with_its_trace_id_and_reads_its_lists() {
    let chunk = chunk_of("custom_notification_batch");
    let (server, seen) = server(|n, r| {
        if n == 0 {
            return ResponseTemplate::new(503);
        }
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let ids: Vec<String> = serde_json::from_value(body["receiver_ids"].clone()).unwrap();
        let success: Vec<&String> = ids.iter().filter(|a| !a.ends_with('3') && !a.ends_with('4')).collect();
        let failed: Vec<Value> = ids
            .iter()
            .filter(|a| a.ends_with('3'))
            .map(|a| json!({"account_id": a, "error_msg": "blocked", "error_code": 102404}))
            .collect();
        ok(json!({"code": 200, "msg": "success", "data": {"success_list": success, "failed_list": failed}}))
    })
    .await;
    let report = client(&server.uri())
        .custom_notification_batch_fan_out(&notification(), names(chunk + chunk / 2))
        .concurrency(1)
        .retries(
            RetryPolicy::attempts(3).backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .send()
        .await;
    let seen = seen.lock().unwrap();
    let trace = |r: &Request| {
        r.headers
            .get("X-custom-traceid")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(seen.len(), 3, "two chunks, the first sent twice");
    assert_eq!(
        trace(&seen[0]),
        trace(&seen[1]),
        "the resend keeps the trace id"
    );
    assert_ne!(
        trace(&seen[1]),
        trace(&seen[2]),
        "each chunk is its own request"
    );
    assert_eq!(
        report.recipients["r13"],
        Outcome::Failed {
            reason: "blocked".into()
        }
    );
    // Named in neither list of a reply that lists successes.
    assert!(matches!(report.recipients["r14"], Outcome::Unknown { .. }));
    assert_eq!(report.recipients["r15"], Outcome::Sent);
    assert_eq!(report.counts().total(), chunk + chunk / 2);
}

#[tokio::test]
async fn fan_out_resends_after_a_rate_limit_answer_only_when_retries_are_on() {
    for retries in [true, false] {
        let (server, seen) = server(|n, _| {
            if n == 0 {
                code(416)
            } else {
                ok(json!({"code": 200}))
            }
        })
        .await;
        let policy = RetryPolicy::attempts(if retries { 2 } else { 1 })
            .backoff(Duration::from_millis(1), Duration::from_millis(5));
        let report = client(&server.uri())
            .send_batch_msg_fan_out(&template(), names(3))
            .retries(policy)
            .send()
            .await;
        assert_eq!(seen.lock().unwrap().len(), if retries { 2 } else { 1 });
        if retries {
            assert_eq!(report.counts().sent, 3);
        } else {
            assert!(all(
                &report,
                |o| matches!(o, Outcome::Failed { reason } if reason.contains("rate limited"))
            ));
        }
    }
}

#[tokio::test]
async fn fan_out_retries_a_refused_connection_within_its_bound_and_reports_it_failed() {
    // A port that was just free: connecting is refused, so nothing reached a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let report = client
        .send_batch_msg_fan_out(&template(), names(3))
        .retries(
            RetryPolicy::attempts(3).backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .send()
        .await;
    assert_eq!((report.calls, report.retries), (3, 2));
    assert!(
        all(&report, |o| matches!(o, Outcome::Failed { .. })),
        "{report:?}"
    );
}

#[tokio::test]
async fn fan_out_cancel_stops_new_calls_and_reports_the_rest_not_attempted() {
    for cancel in [true, false] {
        let (server, seen) = server(|_, _| ok(json!({"code": 200}))).await;
        let client = client(&server.uri());
        let run = client
            .send_batch_msg_fan_out(&template().return_msgid(true), names(3 * SMALL))
            .concurrency(1);
        let handle = run.cancel_handle();
        let report = run
            .on_progress(move |_| {
                if cancel {
                    handle.cancel()
                }
            })
            .send()
            .await;
        let c = report.counts();
        if cancel {
            assert_eq!(
                (c.sent, c.not_attempted, seen.lock().unwrap().len()),
                (SMALL, 2 * SMALL, 1)
            );
            let last = format!("r{}", 3 * SMALL - 1);
            assert!(
                matches!(&report.recipients[&last], Outcome::NotAttempted { reason } if reason == "cancelled")
            );
        } else {
            assert_eq!((c.sent, c.not_attempted), (3 * SMALL, 0));
        }
    }
}

#[tokio::test]
async fn fan_out_keeps_at_most_concurrency_calls_in_flight() {
    let (server, _) =
        server(|_, _| ok(json!({"code": 200})).set_delay(Duration::from_millis(150))).await;
    let client = client(&server.uri());
    let mut elapsed = Vec::new();
    for n in [1, 4] {
        let started = Instant::now();
        let report = client
            .send_batch_msg_fan_out(&template().return_msgid(true), names(4 * SMALL))
            .concurrency(n)
            .send()
            .await;
        assert_eq!((report.calls, report.counts().sent), (4, 4 * SMALL));
        elapsed.push(started.elapsed());
    }
    assert!(
        elapsed[0] >= Duration::from_millis(600),
        "concurrency 1 overlapped: {elapsed:?}"
    );
    assert!(
        elapsed[1] < Duration::from_millis(450),
        "concurrency 4 did not overlap: {elapsed:?}"
    );
}

#[tokio::test]
async fn fan_out_reports_progress_after_each_chunk_from_a_stream_in_a_spawned_task() {
    let (server, _) = server(|_, _| ok(json!({"code": 200}))).await;
    let client = client(&server.uri());
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let log = seen.clone();
    let unique = 2 * SMALL + SMALL / 2;
    let recipients = futures_util::stream::iter(names(unique));
    // Spawning proves the run is `Send`.
    let report = tokio::spawn(async move {
        client
            .send_batch_msg_fan_out_stream(&template().return_msgid(true), recipients)
            .on_progress(move |p| log.lock().unwrap().push(*p))
            .send()
            .await
    })
    .await
    .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "one call per chunk");
    assert!(seen.windows(2).all(|w| w[0].counts.sent < w[1].counts.sent));
    let last = seen.last().unwrap();
    assert_eq!((last.counts, last.calls), (report.counts(), report.calls));
    assert_eq!(report.counts().sent, unique);
}

/// `examples-hand/fan_out.rs`, built by `cargo test --workspace` like every example.
#[tokio::test]
async fn fan_out_example_prints_one_json_object_accounting_for_every_recipient() {
    let exe = std::env::current_exe().unwrap();
    let binary = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/fan_out");
    assert!(
        binary.exists(),
        "{} is not built; run `cargo test --workspace`",
        binary.display()
    );
    let (server, seen) = server(|_, r| {
        let unknown: Vec<String> = to_accids(r).into_iter().filter(|a| a == "r3").collect();
        ok(json!({"code": 200, "unregister": unknown}))
    })
    .await;
    let url = format!("{},http://127.0.0.1:9", server.uri());
    let everyone = 2 * LARGE + LARGE / 5;
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(binary)
            .env("YUNXIN_APP_KEY", "key")
            .env("YUNXIN_APP_SECRET", "secret")
            .env("YUNXIN_BASE_URL", url)
            .env("FAN_OUT_RECIPIENTS", everyone.to_string())
            .env("FAN_OUT_TIMEOUT_MS", "2000")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("calls"), "no progress on stderr: {stderr}");
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed["calls"], 3,
        "{everyone} recipients in chunks of {LARGE}"
    );
    assert_eq!(
        printed["counts"],
        json!({"sent": everyone - 1, "unregistered": 1, "failed": 0, "unknown": 0, "not_attempted": 0})
    );
    assert_eq!(printed["recipients"]["r3"], "unregistered");
    assert_eq!(printed["recipients"][format!("r{}", everyone - 1)], "sent");
    assert_eq!(printed["recipients"].as_object().unwrap().len(), everyone);
    assert_eq!(seen.lock().unwrap().len(), 3);
}
