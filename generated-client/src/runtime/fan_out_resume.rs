//! A fan-out that survives its process: [`FanOut::journal`] gives it a job id and a
//! [`Journal`]; a run killed at any point and started again with the same job and recipients
//! sends nothing already answered and accounts for every recipient once.

use std::collections::HashSet;
use std::sync::Mutex;

use futures_util::StreamExt;

use super::fan_out::{FanOut, FanOutReport, FanOutRequest, Plan};
#[cfg(feature = "redis")]
use super::fan_out_journal::Kind;
use super::fan_out_journal::{JobHeader, Journal, JournalError};
use super::fan_out_run::Sink;

/// A fan-out with a journal, set up by [`FanOut::journal`]; [`Self::send`] runs or resumes it.
#[must_use = "nothing is sent until .send().await"]
pub struct JournaledFanOut<'a, R: FanOutRequest> {
    fan_out: FanOut<'a, R>,
    job: String,
    journal: Journal,
}

impl<'a, R: FanOutRequest + 'a> FanOut<'a, R> {
    /// Makes the run resumable: job `job`'s intent for each chunk (its recipients and the exact
    /// request, v2 trace id included) is written and flushed to `journal` before the chunk is
    /// sent, and its outcome after.
    ///
    /// Started again with the same job id and the same recipients and template, the run sends
    /// nothing already answered, reports those recipients with their recorded outcome (counted
    /// in [`FanOutReport::resumed`]), and treats a chunk whose intent was recorded without its
    /// outcome as a retry would: a v2 request is sent again with its trace id (the server
    /// de-duplicates it), a v1 request with its resend marker where the spec has one, any other
    /// ends [`Outcome::Unknown`](crate::fan_out::Outcome::Unknown) unsent. The recipients are read in full before the first call
    /// (their digest identifies the job).
    ///
    /// With a Redis journal several processes may run the job at once: chunk k is slice k of
    /// the sorted recipients, each chunk is claimed by one live process, a dead process's
    /// chunks are taken over by the rules above, and each process returns once every chunk has
    /// its outcome, with the account of the whole job.
    pub fn journal(self, job: impl Into<String>, journal: Journal) -> JournaledFanOut<'a, R> {
        JournaledFanOut {
            fan_out: self,
            job: job.into(),
            journal,
        }
    }
}

impl<'a, R: FanOutRequest + 'a> JournaledFanOut<'a, R> {
    /// Runs the job, or resumes it from its journal, to the end of its recipients. Fails before
    /// sending anything when the journal cannot be opened or belongs to another job, or to the
    /// same job with other recipients or another template
    /// ([`JournalError::OtherJob`], [`JournalError::OtherRecipients`]). A journal write failing
    /// mid-run stops the run: later chunks end [`Outcome::NotAttempted`](crate::fan_out::Outcome::NotAttempted).
    pub async fn send(self) -> Result<FanOutReport, JournalError> {
        let (recipients, size, settings) = self.fan_out.into_parts();
        let mut seen = HashSet::new();
        let mut duplicates = 0;
        let mut distinct = Vec::new();
        let mut recipients = recipients;
        while let Some(r) = recipients.next().await {
            if seen.insert(r.clone()) {
                distinct.push(r);
            } else {
                duplicates += 1;
            }
        }
        #[cfg(feature = "redis")]
        if let Kind::Redis(redis) = &self.journal.kind {
            let job = (self.job.as_str(), distinct, duplicates);
            return super::fan_out_resume_redis::send(redis, job, size, settings).await;
        }
        let header = JobHeader::new(&self.job, &settings.template, &distinct);
        let (writer, resumed) = self.journal.open::<R>(&header)?;

        let mut report = FanOutReport {
            resumed: resumed.answered.len(),
            ..FanOutReport::default()
        };
        let mut started: HashSet<&str> = resumed.answered.keys().map(String::as_str).collect();
        for pending in &resumed.pending {
            started.extend(pending.recipients.iter().map(String::as_str));
        }
        let fresh: Vec<String> = distinct
            .iter()
            .filter(|r| !started.contains(r.as_str()))
            .cloned()
            .collect();
        report.recipients = resumed.answered;
        let pending = resumed.pending.into_iter().map(|p| Plan {
            chunk: p.chunk,
            recipients: p.recipients,
            resumed: Some(p.request),
        });
        let fresh_chunks: Vec<Vec<String>> = fresh.chunks(size).map(<[String]>::to_vec).collect();
        let plans = futures_util::stream::iter(
            pending.chain(
                fresh_chunks
                    .into_iter()
                    .map(Plan::fresh(resumed.next_chunk)),
            ),
        );
        let duplicates = Mutex::new(duplicates);
        let stop = Mutex::new(None);
        let sink = Some(Sink::File(&writer));
        let mut report = settings
            .drive(plans, sink, report, &duplicates, &stop)
            .await;
        report.duplicates = duplicates.into_inner().unwrap_or_else(|p| p.into_inner());
        Ok(report)
    }
}

// A client generated from another spec has no `notification` feature (see the tests' header).
#[cfg(test)]
#[path = "fan_out_resume_tests.rs"]
#[allow(unexpected_cfgs)]
mod tests;
