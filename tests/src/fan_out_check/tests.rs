//! The checks on hand-made runs: a consistent one passes, and each kind of wrong account or
//! wrong client behaviour is caught.

use std::collections::BTreeMap;

use super::*;
use crate::fault_server::{Fault, LogEntry, Refusal, Summary};

const BLOCK_MS: u64 = 1500;

struct Req {
    seq: u64,
    recipients: &'static [&'static str],
    fault: Fault,
    refused: Option<Refusal>,
    status: Option<u16>,
    code: Option<u16>,
    start_ms: u64,
}

fn entry(r: Req) -> LogEntry {
    let delivered = r.refused.is_none()
        && !matches!(
            r.fault,
            Fault::Burst416 | Fault::Status503 | Fault::ResetBeforeBody
        );
    LogEntry {
        seq: r.seq,
        conn: r.seq,
        start_us: r.start_ms * 1000,
        receive_us: Some(r.start_ms * 1000 + 200),
        answer_us: r.status.map(|_| r.start_ms * 1000 + 500),
        recipients: r.recipients.iter().map(|s| s.to_string()).collect(),
        fault: r.fault,
        refused: r.refused,
        delivered,
        status: r.status,
        code: r.code,
        unregistered: r
            .recipients
            .iter()
            .filter(|a| **a == "r1")
            .map(|s| s.to_string())
            .collect(),
    }
}

/// r0 sent, r1 unregistered, r2 sent after an injected 416 and the block, r3 unknown (500
/// after delivering), r4 unknown (reset before delivering), r5 failed (414), r6 not attempted.
fn consistent() -> (FanOutOutput, Summary) {
    let ok = |seq, recipients, start_ms| Req {
        seq,
        recipients,
        fault: Fault::None,
        refused: None,
        status: Some(200),
        code: Some(200),
        start_ms,
    };
    let log = vec![
        entry(ok(0, &["r0", "r1"], 0)),
        entry(Req {
            fault: Fault::Burst416,
            code: Some(416),
            ..ok(1, &["r2"], 2)
        }),
        entry(ok(2, &["r2"], 1600)),
        entry(Req {
            fault: Fault::Status500,
            status: Some(500),
            code: Some(500),
            ..ok(3, &["r3"], 1700)
        }),
        entry(Req {
            fault: Fault::ResetBeforeBody,
            status: None,
            code: None,
            ..ok(4, &["r4"], 1701)
        }),
        entry(Req {
            refused: Some(Refusal::Checksum),
            code: Some(414),
            ..ok(5, &["r5"], 1702)
        }),
    ];
    let delivered: BTreeMap<String, u32> = ["r0", "r2", "r3"]
        .iter()
        .map(|r| (r.to_string(), 1))
        .collect();
    let summary = Summary {
        requests: 6,
        calls: 20,
        window_ms: 1000,
        block_ms: BLOCK_MS,
        delivered,
        log: Some(log),
        ..Summary::default()
    };
    let stdout = r#"{"calls":6,"retries":1,
        "counts":{"sent":2,"unregistered":1,"failed":1,"unknown":2,"not_attempted":1},
        "recipients":{"r0":"sent","r1":"unregistered","r2":"sent","r3":"unknown","r4":"unknown",
                      "r5":"failed","r6":"not_attempted"}}"#;
    (parse(stdout).unwrap(), summary)
}

fn problems(output: &FanOutOutput, summary: &Summary) -> Vec<String> {
    check(output, summary, 7, BLOCK_MS)
}

/// The run after `change` is caught with a problem containing `expected`.
fn caught(expected: &str, change: impl FnOnce(&mut FanOutOutput, &mut Summary)) {
    let (mut output, mut summary) = consistent();
    change(&mut output, &mut summary);
    let found = problems(&output, &summary);
    assert!(
        found.iter().any(|p| p.contains(expected)),
        "expected a problem with {expected:?}, got {found:#?}"
    );
}

fn count_of<'a>(counts: &'a mut Counts, outcome: &str) -> &'a mut u64 {
    match outcome {
        "sent" => &mut counts.sent,
        "unregistered" => &mut counts.unregistered,
        "failed" => &mut counts.failed,
        "unknown" => &mut counts.unknown,
        _ => &mut counts.not_attempted,
    }
}

/// Changes one recipient's outcome and keeps the counts right, so only the label is wrong.
fn relabel(output: &mut FanOutOutput, accid: &str, from: &str, to: &str) {
    output.recipients.insert(accid.into(), to.into());
    *count_of(&mut output.counts, from) -= 1;
    *count_of(&mut output.counts, to) += 1;
}

#[test]
fn a_consistent_run_passes() {
    let (output, summary) = consistent();
    assert_eq!(problems(&output, &summary), Vec::<String>::new());
}

#[test]
fn a_duplicate_delivery_is_caught() {
    caught("r0: delivered 2 times", |_, s| {
        s.delivered.insert("r0".into(), 2);
    });
}

#[test]
fn a_resent_unknown_is_caught() {
    caught("r3: resent in request 6 after request 3", |_, s| {
        let log = s.log.as_mut().unwrap();
        let mut again = log[0].clone();
        again.seq = 6;
        again.start_us = 1_800_000;
        again.recipients = vec!["r3".into()];
        again.unregistered.clear();
        log.push(again);
    });
}

#[test]
fn a_missing_recipient_is_caught() {
    caught("1 recipients missing", |o, _| {
        o.recipients.remove("r6");
        o.counts.not_attempted -= 1;
    });
}

#[test]
fn counts_that_do_not_match_the_recipients_are_caught() {
    caught("counts.sent is 3 but 2", |o, _| o.counts.sent = 3);
    caught("add up to 8", |o, _| o.counts.failed += 1);
    caught("unknown outcome \"lost\"", |o, _| {
        o.recipients.insert("r6".into(), "lost".into());
    });
}

#[test]
fn each_outcome_is_checked_against_the_server() {
    caught("r3: failed but it was delivered", |o, _| {
        relabel(o, "r3", "unknown", "failed")
    });
    caught("r4: not_attempted but the server received it", |o, _| {
        relabel(o, "r4", "unknown", "not_attempted")
    });
    caught(
        "r0: unknown but its last request (0) was answered",
        |o, _| relabel(o, "r0", "sent", "unknown"),
    );
    caught("r0: unregistered but no answer", |o, _| {
        relabel(o, "r0", "sent", "unregistered")
    });
    // Delivered, but the client only saw a 500: it cannot know.
    caught("r3: sent but no answer the client read", |o, _| {
        relabel(o, "r3", "unknown", "sent")
    });
    caught("r6: unknown but the server never received it", |o, _| {
        relabel(o, "r6", "not_attempted", "unknown")
    });
    caught("r5: sent but delivered 0 times", |o, _| {
        relabel(o, "r5", "failed", "sent")
    });
}

#[test]
fn a_request_inside_the_block_is_caught() {
    caught(
        "request 2 started 597 ms after the 416 answer to request 1",
        |_, s| {
            s.log.as_mut().unwrap()[2].start_us = 600_000;
        },
    );
}

#[test]
fn stdout_must_be_one_json_object() {
    assert!(parse("progress\n{}").is_err());
    assert!(parse(r#"{"calls":1,"retries":0,"counts":{},"recipients":{}} {}"#).is_err());
}

#[test]
fn the_bound_is_the_limits_fastest_pace() {
    let log: Vec<LogEntry> = (0..41u64)
        .map(|i| {
            let mut e = consistent().1.log.unwrap()[0].clone();
            e.seq = i;
            e.receive_us = Some(i * 100_000);
            e
        })
        .collect();
    let mut summary = Summary {
        calls: 20,
        window_ms: 1000,
        log: Some(log),
        ..Summary::default()
    };
    // 41 calls at 20 per second: the 41st cannot come before 2 s; they came over 4 s.
    let t = throughput(&summary);
    assert_eq!((t.calls, t.bound_ms, t.elapsed_ms), (41, 2000.0, 4000.0));
    assert_eq!(t.ratio, 0.5);
    summary.log = None;
    summary.requests = 40;
    summary.last_receive_ms = 1000;
    assert_eq!(throughput(&summary).ratio, 1.0);
}

/// The consistent run, checked as a resumed one.
fn resumed_problems(output: &FanOutOutput, summary: &Summary) -> (Vec<String>, ResumeFigures) {
    check_resumed(output, summary, 7)
}

#[test]
fn a_resumed_run_may_leave_a_clear_answer_unknown_and_an_unknown_delivered_twice() {
    let (mut output, mut summary) = consistent();
    // Killed after the server answered r0's 200: the restart could only say unknown.
    relabel(&mut output, "r0", "sent", "unknown");
    summary.delivered.insert("r3".into(), 2);
    let (found, figures) = resumed_problems(&output, &summary);
    assert_eq!(found, Vec::<String>::new());
    assert_eq!((figures.delivered_twice, figures.unknown), (1, 3));
    assert_eq!(figures.resent, 0);
}

#[test]
fn a_resumed_run_catches_a_known_outcome_delivered_twice_and_counts_resends() {
    let (output, mut summary) = consistent();
    summary.delivered.insert("r0".into(), 2);
    let log = summary.log.as_mut().unwrap();
    let mut again = log[0].clone();
    again.seq = 6;
    log.push(again);
    let (found, figures) = resumed_problems(&output, &summary);
    assert!(
        found
            .iter()
            .any(|p| p.contains("r0: sent but delivered 2 times")),
        "{found:#?}"
    );
    assert_eq!(figures.resent, 1);
    let (mut output, summary) = consistent();
    relabel(&mut output, "r3", "unknown", "failed");
    let (found, _) = resumed_problems(&output, &summary);
    assert!(
        found
            .iter()
            .any(|p| p.contains("r3: failed but it was delivered")),
        "{found:#?}"
    );
    let (mut output, summary) = consistent();
    output.recipients.remove("r6");
    output.counts.not_attempted -= 1;
    let (found, _) = resumed_problems(&output, &summary);
    assert!(
        found.iter().any(|p| p.contains("1 recipients missing")),
        "{found:#?}"
    );
}
