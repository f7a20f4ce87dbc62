//! Whether the example's account of each recipient agrees with what the server did.
//!
//! A request's answer is *unclear* to a v1 client when it says nothing about delivery: no
//! answer (a reset, or a reply later than the client's timeout: a `slow_reply`), or an HTTP
//! 5xx. Every other answer is *clear*: 200 (delivered), or a refusal (414, 416: not delivered).

use std::collections::{BTreeMap, BTreeSet};

use super::output::{FanOutOutput, OUTCOMES};
use crate::fault_server::{Fault, LogEntry, Summary};

/// How long after a 416 answer a request that was already under way may still arrive: the
/// client's other calls in flight, sent before it could read the 416. A request whose head
/// arrives between the answer + this and the end of the block ignored the block.
pub const BLOCK_SLACK_US: u64 = 100_000;

/// Whether the client could not tell from the answer what happened.
fn unclear(entry: &LogEntry) -> bool {
    entry.status.is_none_or(|s| s >= 500) || entry.fault == Fault::SlowReply
}

/// Every disagreement, one line each; empty when the run is consistent. `n` recipients were
/// `r0..r{n-1}`; `block_ms` is the block the client was told to wait after a 416.
pub fn check(output: &FanOutOutput, summary: &Summary, n: usize, block_ms: u64) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(log) = &summary.log else {
        return vec!["the summary has no log (run without --no-log)".into()];
    };
    accounted_once(output, n, &mut problems);
    // Requests containing each recipient, in the order the server numbered them.
    let mut requests: BTreeMap<&str, Vec<&LogEntry>> = BTreeMap::new();
    let mut log: Vec<&LogEntry> = log.iter().collect();
    log.sort_by_key(|e| e.seq);
    for entry in &log {
        for r in &entry.recipients {
            requests.entry(r).or_default().push(entry);
        }
    }
    for (accid, count) in &summary.delivered {
        if *count > 1 {
            problems.push(format!("{accid}: delivered {count} times"));
        }
    }
    for (accid, outcome) in &output.recipients {
        let delivered = summary.delivered.get(accid).copied().unwrap_or(0);
        let seen = requests
            .get(accid.as_str())
            .map_or(&[][..], |v| v.as_slice());
        if let Some(problem) = outcome_problem(accid, outcome, delivered, seen, &log) {
            problems.push(format!("{accid}: {outcome} but {problem}"));
        }
    }
    no_resend_after_unclear(&requests, &mut problems);
    block_honoured(&log, block_ms * 1000, &mut problems);
    problems
}

/// All of r0..r{n-1}, nothing else, each with a known outcome, and counts that add up.
pub(super) fn accounted_once(output: &FanOutOutput, n: usize, problems: &mut Vec<String>) {
    let expected: BTreeSet<String> = (0..n).map(|i| format!("r{i}")).collect();
    let got: BTreeSet<String> = output.recipients.keys().cloned().collect();
    let missing: Vec<_> = expected.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(&expected).take(5).collect();
    if !missing.is_empty() {
        let count = expected.difference(&got).count();
        problems.push(format!(
            "{count} recipients missing from the output, e.g. {missing:?}"
        ));
    }
    if !extra.is_empty() {
        problems.push(format!(
            "recipients never asked for in the output: {extra:?}"
        ));
    }
    let mut tally: BTreeMap<&str, u64> = BTreeMap::new();
    for (accid, outcome) in &output.recipients {
        if OUTCOMES.contains(&outcome.as_str()) {
            *tally.entry(outcome).or_default() += 1;
        } else {
            problems.push(format!("{accid}: unknown outcome {outcome:?}"));
        }
    }
    let c = &output.counts;
    let counted = [c.sent, c.unregistered, c.failed, c.unknown, c.not_attempted];
    for (name, count) in OUTCOMES.iter().zip(counted) {
        let listed = tally.get(name).copied().unwrap_or(0);
        if listed != count {
            problems.push(format!(
                "counts.{name} is {count} but {listed} recipients have it"
            ));
        }
    }
    if c.total() != n as u64 {
        problems.push(format!("the counts add up to {}, not {n}", c.total()));
    }
}

/// What is wrong with `outcome` given the deliveries and the requests carrying the recipient.
fn outcome_problem(
    accid: &str,
    outcome: &str,
    delivered: u32,
    seen: &[&LogEntry],
    log: &[&LogEntry],
) -> Option<String> {
    match outcome {
        "sent" if delivered != 1 => Some(format!("delivered {delivered} times")),
        // Delivered by luck is not enough: the client must have read a 200 saying so.
        "sent" => match seen.last() {
            Some(last) if last.code == Some(200) && !unclear(last) => None,
            _ => Some("no answer the client read said so".into()),
        },
        "unregistered" => {
            let reported = seen.iter().any(|e| {
                e.code == Some(200) && !unclear(e) && e.unregistered.iter().any(|u| u == accid)
            });
            (!reported).then(|| "no answer the client read reported it unregistered".into())
        }
        "failed" if delivered > 0 => Some("it was delivered".into()),
        "not_attempted" if !seen.is_empty() => {
            Some(format!("the server received it (request {})", seen[0].seq))
        }
        "unknown" => match seen.last() {
            Some(last) if !unclear(last) => Some(format!(
                "its last request ({}) was answered {:?} {:?}, which the client could read",
                last.seq, last.status, last.code
            )),
            // A request whose body never arrived in full has no recipients in the log.
            None if log.iter().all(|e| e.receive_us.is_some()) => {
                Some("the server never received it".into())
            }
            _ => None,
        },
        _ => None,
    }
}

/// No recipient of a request with an unclear answer is sent again: v1 cannot de-duplicate.
fn no_resend_after_unclear(requests: &BTreeMap<&str, Vec<&LogEntry>>, problems: &mut Vec<String>) {
    for (accid, entries) in requests {
        if let Some(i) = entries.iter().position(|e| unclear(e)) {
            if let Some(again) = entries.get(i + 1) {
                problems.push(format!(
                    "{accid}: resent in request {} after request {} left its outcome unknown",
                    again.seq, entries[i].seq
                ));
            }
        }
    }
}

/// After every 416 answer written at time a, no request's head arrives in
/// (a + BLOCK_SLACK_US, a + block − BLOCK_SLACK_US): the client waits the block out, and only
/// calls it had started before reading the 416 may arrive just after it.
fn block_honoured(log: &[&LogEntry], block_us: u64, problems: &mut Vec<String>) {
    for refusal in log.iter().filter(|e| e.code == Some(416)) {
        let Some(a) = refusal.answer_us else { continue };
        let (from, to) = (
            a + BLOCK_SLACK_US,
            (a + block_us).saturating_sub(BLOCK_SLACK_US),
        );
        for e in log.iter().filter(|e| e.start_us > from && e.start_us < to) {
            problems.push(format!(
                "request {} started {} ms after the 416 answer to request {}, inside the {} ms block",
                e.seq,
                (e.start_us - a) / 1000,
                refusal.seq,
                block_us / 1000
            ));
        }
    }
}
