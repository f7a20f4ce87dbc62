//! The engine of a fan-out: one chunk's attempts, how each failure is classified, and what a
//! reply says of each recipient; journaled when the run has a journal.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::client::Client;
use super::error::{bounded, ApiError, Error};
use super::fan_out::{
    CancelHandle, ChunkReport, FanOutRequest, Outcome, Plan, RetryPolicy, FATAL_CODES,
};
use super::fan_out_journal::JournalWriter;
#[cfg(feature = "redis")]
use super::fan_out_journal_redis::RedisWriter;

/// Where a run's journal records go: a file (one process) or Redis (several).
#[derive(Clone, Copy)]
pub(crate) enum Sink<'r> {
    File(&'r JournalWriter),
    #[cfg(feature = "redis")]
    Redis(&'r RedisWriter),
}

impl Sink<'_> {
    async fn intent<R: FanOutRequest>(
        self,
        chunk: u64,
        recipients: &[String],
        request: &R,
    ) -> Result<(), String> {
        match self {
            Sink::File(file) => file
                .intent(chunk, recipients, request)
                .map_err(|e| e.to_string()),
            #[cfg(feature = "redis")]
            Sink::Redis(redis) => redis.intent(chunk, request).await,
        }
    }

    async fn release(self, chunk: u64) -> Result<(), String> {
        match self {
            Sink::File(file) => file.release(chunk).map_err(|e| e.to_string()),
            #[cfg(feature = "redis")]
            Sink::Redis(redis) => redis.release(chunk).await,
        }
    }

    async fn outcome(self, chunk: u64, outcomes: &[(String, Outcome)]) -> Result<(), String> {
        match self {
            Sink::File(file) => file.outcome(chunk, outcomes).map_err(|e| e.to_string()),
            #[cfg(feature = "redis")]
            Sink::Redis(redis) => redis.outcome(chunk, outcomes).await,
        }
    }
}

/// What the chunks of one run share.
pub(crate) struct Run<'r, R> {
    pub(crate) client: &'r Client,
    pub(crate) template: &'r R,
    pub(crate) retry: RetryPolicy,
    pub(crate) cancel: CancelHandle,
    /// Set by a fatal error: why no further chunk is sent.
    pub(crate) stop: &'r Mutex<Option<String>>,
    pub(crate) journal: Option<Sink<'r>>,
}

pub(crate) struct ChunkDone {
    pub(crate) outcomes: Vec<(String, Outcome)>,
    pub(crate) calls: usize,
    pub(crate) retries: usize,
    /// Whether it was a chunk of an earlier run sent again.
    pub(crate) resent: bool,
}

/// How an attempt's failure is handled.
enum Class {
    /// Did not reach the server, or was refused unacted (rate limit): the same value may go again.
    Again,
    /// May have reached the server: only [`FanOutRequest::resend`] may go again.
    Unknown,
    /// The server refused; the chunk fails.
    Refused,
    /// The server refused in a way every later chunk would share: stop the run.
    Fatal,
    /// Nothing was sent and nothing would be (validation, configuration): stop the run.
    NotSent,
}

fn classify(err: &Error) -> Class {
    match err {
        Error::Validation(_) | Error::Config { .. } => Class::NotSent,
        _ if err.is_retry_safe() => Class::Again,
        Error::Api(api) if is_fatal(api) => Class::Fatal,
        // A body code 5xx says the server failed while handling it: it may have acted.
        Error::Api(api) if api.code >= 500 => Class::Unknown,
        Error::Api(_) => Class::Refused,
        Error::HttpStatus { status, .. } if *status >= 500 => Class::Unknown,
        // Another HTTP status (404, 401…) means the URL or a proxy is wrong for every chunk.
        Error::HttpStatus { .. } => Class::Fatal,
        _ if err.may_have_reached_server() => Class::Unknown,
        _ => Class::Again,
    }
}

fn is_fatal(api: &ApiError) -> bool {
    FATAL_CODES.contains(&api.code)
}

impl<R: FanOutRequest> Run<'_, R> {
    fn stopped(&self) -> Option<String> {
        if self.cancel.is_cancelled() {
            return Some("cancelled".into());
        }
        self.stop.lock().unwrap().clone()
    }

    /// Sends one chunk; with a journal, its intent is on disk before the first call and its
    /// outcome after the last (a chunk never sent releases its intent).
    pub(crate) async fn chunk(&self, plan: Plan<R>) -> ChunkDone {
        let chunk = plan.chunk;
        let resumed = plan.resumed.is_some();
        let mut intent_written = resumed;
        let done = self.attempts(plan, &mut intent_written).await;
        if let (Some(journal), true) = (self.journal, intent_written) {
            if let Err(e) = journal.outcome(chunk, &done.outcomes).await {
                self.stop_with(format!(
                    "stopped: the journal could not record an outcome: {e}"
                ));
            }
        }
        done
    }

    fn stop_with(&self, reason: String) {
        self.stop.lock().unwrap().get_or_insert(reason);
    }

    async fn attempts(&self, plan: Plan<R>, intent_written: &mut bool) -> ChunkDone {
        let Plan {
            chunk,
            recipients,
            resumed,
        } = plan;
        let mut done = ChunkDone {
            outcomes: Vec::new(),
            calls: 0,
            retries: 0,
            resent: false,
        };
        let all = |outcome: Outcome| -> Vec<(String, Outcome)> {
            recipients
                .iter()
                .map(|r| (r.clone(), outcome.clone()))
                .collect()
        };
        // Set once an attempt may have reached the server: from then on only a resend may go,
        // and a later clean failure does not prove nothing was delivered.
        let mut maybe_delivered: Option<String> = None;
        let mut request = match resumed {
            None => self.template.with_recipients(recipients.clone()),
            Some(earlier) => {
                let reason = "an earlier run sent it (or was about to) and stopped before it \
                              recorded the answer"
                    .to_owned();
                match earlier.resend() {
                    Some(again) => {
                        done.resent = true;
                        maybe_delivered = Some(reason);
                        again
                    }
                    None => {
                        done.outcomes = all(Outcome::Unknown { reason });
                        return done;
                    }
                }
            }
        };
        let mut attempt = 0;
        loop {
            if let Some(why) = self.stopped() {
                done.outcomes = all(match maybe_delivered {
                    Some(reason) => Outcome::Unknown { reason },
                    None => Outcome::NotAttempted { reason: why },
                });
                return done;
            }
            attempt += 1;
            done.calls += 1;
            // Atomic, not a Cell: the future must stay Send across the call.
            let intent = AtomicBool::new(*intent_written);
            // After the pacing wait: a process killed while waiting leaves no intent.
            let record_intent = || async {
                match self.journal {
                    Some(journal) if !intent.load(Ordering::Relaxed) => {
                        journal
                            .intent(chunk, &recipients, &request)
                            .await
                            .map_err(|e| {
                                format!("the fan-out journal could not record an intent: {e}")
                            })?;
                        intent.store(true, Ordering::Relaxed);
                        Ok(())
                    }
                    _ => Ok(()),
                }
            };
            let result = self.client.send_after(&request, record_intent).await;
            *intent_written = intent.into_inner();
            let err = match result {
                Ok(reply) => {
                    done.outcomes = outcomes(&recipients, R::report(&reply));
                    return done;
                }
                Err(err) => err,
            };
            let reason = err.to_string();
            let next = match classify(&err) {
                Class::Again => Some(request.clone()),
                Class::Unknown => {
                    maybe_delivered = Some(reason.clone());
                    request.resend()
                }
                Class::Refused | Class::Fatal | Class::NotSent => None,
            };
            if matches!(classify(&err), Class::Fatal | Class::NotSent) {
                self.stop
                    .lock()
                    .unwrap()
                    .get_or_insert_with(|| format!("stopped after a fatal error: {reason}"));
            }
            let give_up = match next {
                Some(next) if attempt < self.retry.attempts => {
                    request = next;
                    None
                }
                _ => Some(match (&maybe_delivered, classify(&err)) {
                    (Some(first), _) => Outcome::Unknown {
                        reason: if *first == reason {
                            reason
                        } else {
                            format!("{first}; then: {reason}")
                        },
                    },
                    (None, Class::NotSent) => Outcome::NotAttempted { reason },
                    (None, _) => Outcome::Failed { reason },
                }),
            };
            if let Some(outcome) = give_up {
                done.outcomes = all(outcome);
                return done;
            }
            if let (Some(journal), None, true) = (self.journal, &maybe_delivered, *intent_written) {
                // Known unsent so far: a kill during the backoff must not leave it `Unknown`.
                // The next attempt records its intent again.
                if journal.release(chunk).await.is_ok() {
                    *intent_written = false;
                }
            }
            done.retries += 1;
            tokio::time::sleep(self.retry.delay(attempt)).await;
        }
    }
}

/// Each recipient's outcome under a success reply's report.
fn outcomes(recipients: &[String], report: ChunkReport) -> Vec<(String, Outcome)> {
    let unregistered: HashSet<&str> = report.unregistered.iter().map(String::as_str).collect();
    let failed: BTreeMap<&str, &str> = report
        .failed
        .iter()
        .map(|(r, why)| (r.as_str(), why.as_str()))
        .collect();
    let succeeded: Option<HashSet<&str>> = report
        .succeeded
        .as_ref()
        .map(|s| s.iter().map(String::as_str).collect());
    let items_failed = (!report.failed_items.is_empty()).then(|| {
        let items: Vec<String> = report
            .failed_items
            .iter()
            .map(|(id, why)| format!("{}: {}", bounded(id), bounded(why)))
            .collect();
        format!(
            "the server refused item(s) of the request: {}",
            bounded(&items.join("; "))
        )
    });
    recipients
        .iter()
        .map(|r| {
            let outcome = if unregistered.contains(r.as_str()) {
                Outcome::Unregistered
            } else if let Some(why) = failed.get(r.as_str()) {
                Outcome::Failed {
                    reason: match why.is_empty() {
                        true => "the reply names it as failed, without a reason".into(),
                        false => bounded(why).into_owned(),
                    },
                }
            } else if let Some(reason) = &items_failed {
                Outcome::Failed {
                    reason: reason.clone(),
                }
            } else if succeeded.as_ref().is_some_and(|s| !s.contains(r.as_str())) {
                Outcome::Unknown {
                    reason: "the reply names it neither as reached nor as failed".into(),
                }
            } else {
                Outcome::Sent
            };
            (r.clone(), outcome)
        })
        .collect()
}

#[cfg(test)]
#[path = "fan_out_tests.rs"]
mod tests;
