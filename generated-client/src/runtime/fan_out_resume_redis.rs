//! A journaled fan-out on a Redis journal: every process running the job claims chunks until
//! each has its outcome, taking over those of processes that died, then accounts for every
//! recipient of the job from the journal.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::fan_out::{CancelHandle, FanOutReport, FanOutRequest, Outcome, Plan, Settings};
use super::fan_out_journal::{JobHeader, JournalError};
use super::fan_out_journal_redis::{Claim, RedisJournal, RedisWriter};
use super::fan_out_run::Sink;

/// Runs (or joins, or resumes) job `job.0` for its distinct recipients `job.1` (`job.2`
/// repeats dropped), in chunks of `size`.
pub(crate) async fn send<'a, R: FanOutRequest + 'a>(
    journal: &RedisJournal,
    (job, mut distinct, duplicates): (&str, Vec<String>, usize),
    size: usize,
    settings: Settings<'a, R>,
) -> Result<FanOutReport, JournalError> {
    // Chunk k is slice k of the sorted recipients, whichever process sends it.
    distinct.sort_unstable();
    let header = JobHeader::new(job, &settings.template, &distinct);
    let writer = journal.open(&header, size).await?;
    let stop = Mutex::new(None);
    let cancel = settings.cancel.clone();
    let claims = Claims {
        cancel: &cancel,
        writer: &writer,
        recipients: &distinct,
        size,
        stop: &stop,
    };
    let plans = futures_util::stream::unfold(&claims, |claims| async move {
        claims.next::<R>().await.map(|plan| (plan, claims))
    });
    let duplicates = Mutex::new(duplicates);
    let sink = Some(Sink::Redis(&writer));
    let own = settings
        .drive(plans, sink, FanOutReport::default(), &duplicates, &stop)
        .await;
    let answered = writer.answered().await;
    writer.finish().await;
    let answered = answered.map_err(|e| journal.error(format!("reading the account: {e}")))?;

    let mut report = FanOutReport {
        duplicates: duplicates.into_inner().unwrap_or_else(|p| p.into_inner()),
        calls: own.calls,
        retries: own.retries,
        resent_chunks: own.resent_chunks,
        ..FanOutReport::default()
    };
    report.resumed = answered
        .keys()
        .filter(|r| !own.recipients.contains_key(*r))
        .count();
    // The journal's outcome stands over this process's where both exist (the first recorded).
    let mut recipients: BTreeMap<String, Outcome> = own.recipients;
    recipients.extend(answered);
    let stopped = stop.into_inner().unwrap_or_else(|p| p.into_inner());
    let why = match (cancel.is_cancelled(), stopped) {
        (true, _) => "cancelled".to_owned(),
        (false, Some(why)) => why,
        (false, None) => "no outcome was recorded for it".to_owned(),
    };
    for r in distinct {
        recipients
            .entry(r)
            .or_insert_with(|| Outcome::NotAttempted {
                reason: format!("not sent by this process ({why}); another may still send it"),
            });
    }
    report.recipients = recipients;
    Ok(report)
}

/// The chunks this process gets, one claim at a time.
struct Claims<'c> {
    cancel: &'c CancelHandle,
    writer: &'c RedisWriter,
    recipients: &'c [String],
    size: usize,
    stop: &'c Mutex<Option<String>>,
}

impl Claims<'_> {
    fn stopped(&self) -> bool {
        self.cancel.is_cancelled()
            || self
                .stop
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some()
    }

    fn stop_with(&self, reason: String) {
        self.stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(reason);
    }

    /// The next chunk to send: `None` once every chunk has its outcome or the run stopped.
    async fn next<R: FanOutRequest>(&self) -> Option<Plan<R>> {
        loop {
            if self.stopped() {
                return None;
            }
            let (chunk, intent) = match self.writer.claim().await {
                Ok(Claim::Fresh(chunk)) => (chunk, None),
                Ok(Claim::Takeover(chunk, intent)) => (chunk, intent),
                Ok(Claim::Wait) => {
                    tokio::time::sleep(self.writer.poll_interval()).await;
                    continue;
                }
                Ok(Claim::Done) => return None,
                Err(e) => {
                    self.stop_with(format!("stopped: the journal could not claim a chunk: {e}"));
                    return None;
                }
            };
            let from = (chunk as usize).saturating_mul(self.size);
            let to = from.saturating_add(self.size).min(self.recipients.len());
            let recipients = self.recipients.get(from..to).unwrap_or_default().to_vec();
            let resumed = match intent.map(|text| serde_json::from_str::<R>(&text)) {
                None => None,
                Some(Ok(request)) => Some(request),
                Some(Err(e)) => {
                    self.stop_with(format!(
                        "stopped: chunk {chunk}'s recorded request cannot be read back: {e}"
                    ));
                    return None;
                }
            };
            return Some(Plan {
                chunk,
                recipients,
                resumed,
            });
        }
    }
}
