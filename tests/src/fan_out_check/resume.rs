//! Whether the final account of a fan-out that was killed and restarted agrees with what the
//! server did. A killed process may leave a chunk whose answer it never recorded, so a `sent`
//! or a clearly answered chunk of the log can end `unknown` in the account: the rules here are
//! those a restart can keep. Every recipient once in the account; `sent` delivered exactly once,
//! on an answer the client read; `unregistered`, `failed`, `not_attempted` never delivered;
//! only `unknown` may have been delivered twice.

use std::collections::{BTreeMap, HashSet};

use super::consistency::accounted_once;
use super::output::FanOutOutput;
use crate::fault_server::{Fault, LogEntry, Summary};

/// What the server saw of the resumed runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResumeFigures {
    /// Requests the server received, every process together.
    pub requests: u64,
    /// Requests carrying a recipient an earlier request had already delivered to: resends.
    pub resent: u64,
    /// Recipients delivered to more than once.
    pub delivered_twice: u64,
    /// Recipients the account says `unknown`.
    pub unknown: u64,
}

/// The disagreements (empty when consistent) and the figures of a resumed run of `n` recipients.
pub fn check_resumed(
    output: &FanOutOutput,
    summary: &Summary,
    n: usize,
) -> (Vec<String>, ResumeFigures) {
    let mut problems = Vec::new();
    let Some(log) = &summary.log else {
        return (
            vec!["the summary has no log (run without --no-log)".into()],
            ResumeFigures::default(),
        );
    };
    accounted_once(output, n, &mut problems);
    let mut log: Vec<&LogEntry> = log.iter().collect();
    log.sort_by_key(|e| e.seq);
    let mut requests: BTreeMap<&str, Vec<&LogEntry>> = BTreeMap::new();
    for entry in &log {
        for r in &entry.recipients {
            requests.entry(r).or_default().push(entry);
        }
    }
    let mut figures = ResumeFigures {
        requests: summary.requests,
        unknown: output.counts.unknown,
        ..ResumeFigures::default()
    };
    for (accid, outcome) in &output.recipients {
        let delivered = summary.delivered.get(accid).copied().unwrap_or(0);
        let seen = requests
            .get(accid.as_str())
            .map_or(&[][..], |v| v.as_slice());
        if delivered > 1 {
            figures.delivered_twice += 1;
        }
        let problem = match outcome.as_str() {
            "unknown" => None,
            _ if delivered > 1 => Some(format!("delivered {delivered} times")),
            "sent" if delivered != 1 => Some(format!("delivered {delivered} times")),
            "sent" if !seen.iter().any(|e| read_as_delivered(e)) => {
                Some("no answer the client read said so".into())
            }
            "unregistered"
                if !seen
                    .iter()
                    .any(|e| read_as_delivered(e) && e.unregistered.iter().any(|u| u == accid)) =>
            {
                Some("no answer the client read reported it unregistered".into())
            }
            "failed" | "not_attempted" | "unregistered" if delivered > 0 => {
                Some("it was delivered".into())
            }
            _ => None,
        };
        if let Some(problem) = problem {
            problems.push(format!("{accid}: {outcome} but {problem}"));
        }
    }
    // A resend: a request carrying a recipient some earlier request had delivered to.
    let mut delivered_so_far: HashSet<&str> = HashSet::new();
    for entry in &log {
        if entry
            .recipients
            .iter()
            .any(|r| delivered_so_far.contains(r.as_str()))
        {
            figures.resent += 1;
        }
        if entry.delivered {
            delivered_so_far.extend(entry.recipients.iter().map(String::as_str));
        }
    }
    (problems, figures)
}

/// A 200 the client could read in time.
fn read_as_delivered(entry: &LogEntry) -> bool {
    entry.code == Some(200) && entry.status == Some(200) && entry.fault != Fault::SlowReply
}
