//! Fan-out: one request template sent to many recipients, in chunks of the endpoint's effective
//! maximum, a bounded number at a time, with retries only where they cannot deliver twice, and a
//! report that accounts for every distinct recipient exactly once.
//!
//! Generated code implements [`FanOutRequest`] for the endpoints whose spec has `fan_out:`; this
//! file names nothing generated.

use std::collections::{BTreeMap, HashSet};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};

use super::client::Client;
use super::endpoint::ApiRequest;
use super::fan_out_run::{Run, Sink};

/// The default number of chunks in flight at once: few, since the batch endpoints allow about
/// two calls a second and one call too many blocks the whole app.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The most attempts a [`RetryPolicy`] makes per chunk, whatever it is asked for.
pub const MAX_ATTEMPTS: u32 = 10;
/// Body codes after which no further chunk is sent: the same template (or credentials) would be
/// refused again. 414 is also the answer to a bad CheckSum or unknown AppKey; 403 a permission.
pub const FATAL_CODES: &[i64] = &[403, 414];

/// A request that can be fanned out: implemented by the generated request of every endpoint
/// whose spec has `fan_out:`.
pub trait FanOutRequest: ApiRequest + Clone + Send + Sync {
    /// How many recipients one call may carry, with this request's other fields (conditional
    /// maxima included, e.g. 100 instead of 500 when message ids are asked for).
    fn recipients_max(&self) -> usize;
    /// This request addressed to `recipients`: a new logical request (a v2 one gets its own trace id).
    fn with_recipients(&self, recipients: Vec<String>) -> Self;
    /// What to send again when an attempt's outcome is unknown (it may have reached the server),
    /// such that the server cannot act twice: the same value for v2 (same trace id, de-duplicated),
    /// a v1 request marked as a resend where the spec says how, else `None`: never resent.
    fn resend(&self) -> Option<Self>;
    /// What a success reply says of the chunk's recipients.
    fn report(reply: &Self::Reply) -> ChunkReport;
}

/// What one success reply says of its recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChunkReport {
    /// Recipients the server does not know.
    pub unregistered: Vec<String>,
    /// Recipients the server refused, with its reason.
    pub failed: Vec<(String, String)>,
    /// Recipients the server says it reached, when the reply lists them; then a recipient in no
    /// list is [`Outcome::Unknown`].
    pub succeeded: Option<Vec<String>>,
    /// Items of the request (messages, by id) the server refused, with its reason: each fails the
    /// whole chunk, since every recipient misses it.
    pub failed_items: Vec<(String, String)>,
}

impl ChunkReport {
    /// An empty report: every recipient reached.
    pub fn new() -> Self {
        Self::default()
    }
}

/// What became of one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
#[non_exhaustive]
pub enum Outcome {
    /// The server accepted the call carrying it and names no problem with it.
    Sent,
    /// The server does not know the recipient.
    Unregistered,
    /// Not delivered, and known not to be: the server refused (an API error, or the reply names
    /// it as failed), or every attempt failed before reaching the server.
    Failed {
        /// Why.
        reason: String,
    },
    /// The request may have reached the server and no answer says what happened (a timeout or
    /// reset after the request was written, a 5xx on v1, an unreadable reply…). Not resent
    /// unless resending is known to be safe.
    Unknown {
        /// Why.
        reason: String,
    },
    /// Never sent: the run was cancelled, or stopped after a fatal error.
    NotAttempted {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// The outcome's snake_case name: `sent`, `unregistered`, `failed`, `unknown`, `not_attempted`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Unregistered => "unregistered",
            Outcome::Failed { .. } => "failed",
            Outcome::Unknown { .. } => "unknown",
            Outcome::NotAttempted { .. } => "not_attempted",
        }
    }

    /// Why, for every outcome but `Sent` and `Unregistered`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Failed { reason }
            | Outcome::Unknown { reason }
            | Outcome::NotAttempted { reason } => Some(reason),
            Outcome::Sent | Outcome::Unregistered => None,
        }
    }
}

/// How many recipients ended in each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// [`Outcome::Sent`].
    pub sent: usize,
    /// [`Outcome::Unregistered`].
    pub unregistered: usize,
    /// [`Outcome::Failed`].
    pub failed: usize,
    /// [`Outcome::Unknown`].
    pub unknown: usize,
    /// [`Outcome::NotAttempted`].
    pub not_attempted: usize,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Sent => self.sent += 1,
            Outcome::Unregistered => self.unregistered += 1,
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::Unknown { .. } => self.unknown += 1,
            Outcome::NotAttempted { .. } => self.not_attempted += 1,
        }
    }

    /// Every recipient counted.
    pub fn total(&self) -> usize {
        self.sent + self.unregistered + self.failed + self.unknown + self.not_attempted
    }
}

/// Where a run stands, given to [`FanOut::on_progress`] after each chunk settles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Progress {
    /// Outcomes so far.
    pub counts: Counts,
    /// Repeated recipients dropped so far.
    pub duplicates: usize,
    /// HTTP calls made so far, retries included.
    pub calls: usize,
    /// Of those, retries.
    pub retries: usize,
}

/// The result of a run: one outcome per distinct recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FanOutReport {
    /// Each distinct recipient's outcome.
    pub recipients: BTreeMap<String, Outcome>,
    /// Repeated recipients dropped (each was sent at most once).
    pub duplicates: usize,
    /// HTTP calls made, retries included.
    pub calls: usize,
    /// Of those, retries.
    pub retries: usize,
    /// Of [`Self::recipients`], those answered before a restart, or by another process sharing
    /// a Redis journal: their outcome comes from the journal (see [`FanOut::journal`]); 0
    /// without a journal.
    pub resumed: usize,
    /// Chunks an earlier run had started but not recorded the end of, sent again after the
    /// restart because doing so cannot deliver twice (v2's trace id, v1's resend marker).
    pub resent_chunks: usize,
}

impl FanOutReport {
    /// How many recipients ended in each outcome.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        self.recipients.values().for_each(|o| counts.add(o));
        counts
    }
}

/// When and how often a chunk is sent again. Only failures that cannot deliver twice are
/// retried (see [`FanOutRequest::resend`]); the default makes one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per chunk, the first included (at most [`MAX_ATTEMPTS`]).
    pub attempts: u32,
    /// The backoff before the first retry; doubled per retry up to `max_backoff`, then jittered.
    pub initial_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// One attempt: nothing is retried.
    pub const fn none() -> Self {
        RetryPolicy {
            attempts: 1,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
        }
    }

    /// Up to `attempts` attempts per chunk (capped at [`MAX_ATTEMPTS`]), backing off from 200 ms
    /// to 10 s.
    pub fn attempts(attempts: u32) -> Self {
        RetryPolicy {
            attempts: attempts.clamp(1, MAX_ATTEMPTS),
            ..Self::none()
        }
    }

    /// The same policy backing off from `initial` up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The wait before retry `retry` (1-based): exponential, capped, with full jitter so that
    /// chunks failing together do not retry together.
    pub fn delay(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
            .min(self.max_backoff);
        let mut bytes = [0u8; 4];
        let unit = match getrandom::fill(&mut bytes) {
            Ok(()) => u32::from_le_bytes(bytes) as f64 / u32::MAX as f64,
            Err(_) => 1.0,
        };
        // Half fixed, half random: never zero, so a retry always waits.
        exp.mul_f64(0.5 + unit / 2.0)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::none()
    }
}

/// Stops a run from starting new calls; chunks not yet sent end [`Outcome::NotAttempted`].
#[derive(Debug, Clone, Default)]
pub struct CancelHandle(Arc<AtomicBool>);

impl CancelHandle {
    /// Asks the run to start no new call (calls in flight finish).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Self::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

type ProgressFn<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;
type Recipients<'a> = Pin<Box<dyn Stream<Item = String> + Send + 'a>>;

/// A fan-out run being set up; [`FanOut::send`] runs it. Made by the generated
/// `Client::<endpoint>_fan_out` and `_fan_out_stream` methods.
#[must_use = "nothing is sent until .send().await"]
pub struct FanOut<'a, R: FanOutRequest> {
    client: &'a Client,
    template: R,
    recipients: Recipients<'a>,
    concurrency: usize,
    retry: RetryPolicy,
    chunk_size: Option<usize>,
    progress: Option<ProgressFn<'a>>,
    cancel: CancelHandle,
}

impl<'a, R: FanOutRequest + 'a> FanOut<'a, R> {
    /// Sends `template` to every recipient of `recipients` (its own recipients are replaced).
    pub fn new<I>(client: &'a Client, template: R, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let all: Vec<String> = recipients.into_iter().map(Into::into).collect();
        Self::from_stream(client, template, futures_util::stream::iter(all))
    }

    /// Sends `template` to every recipient `recipients` yields, chunking as they come.
    pub fn from_stream(
        client: &'a Client,
        template: R,
        recipients: impl Stream<Item = String> + Send + 'a,
    ) -> Self {
        FanOut {
            client,
            template,
            recipients: Box::pin(recipients),
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::none(),
            chunk_size: None,
            progress: None,
            cancel: CancelHandle::default(),
        }
    }

    /// At most `n` calls in flight at once (at least 1; default [`DEFAULT_CONCURRENCY`]).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Retries where they cannot deliver twice; see [`RetryPolicy`]. Off by default.
    pub fn retries(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Chunks of at most `n` recipients; never more than the endpoint allows.
    pub fn chunk_size(mut self, n: usize) -> Self {
        self.chunk_size = Some(n.max(1));
        self
    }

    /// Called after each chunk settles, with the totals so far.
    pub fn on_progress(mut self, f: impl FnMut(&Progress) + Send + 'a) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// A handle that stops the run from starting new calls.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// The chunk size this run uses.
    pub fn effective_chunk_size(&self) -> usize {
        let max = self.template.recipients_max().max(1);
        self.chunk_size.map_or(max, |n| n.min(max))
    }

    /// Runs the fan-out to the end of the recipients and reports every distinct one.
    pub async fn send(self) -> FanOutReport {
        let (recipients, size, settings) = self.into_parts();
        let mut seen = HashSet::new();
        let duplicates = Arc::new(Mutex::new(0usize));
        let dups = duplicates.clone();
        let unique = recipients.filter(move |r| {
            let fresh = seen.insert(r.clone());
            if !fresh {
                *dups.lock().unwrap() += 1;
            }
            std::future::ready(fresh)
        });
        let plans = unique.chunks(size).map(Plan::fresh(0));
        let stop = Mutex::new(None);
        let mut report = settings
            .drive(plans, None, FanOutReport::default(), &duplicates, &stop)
            .await;
        report.duplicates = *duplicates.lock().unwrap();
        report
    }

    /// Splits the builder into its recipients and the rest.
    pub(crate) fn into_parts(self) -> (Recipients<'a>, usize, Settings<'a, R>) {
        let size = self.effective_chunk_size();
        let settings = Settings {
            client: self.client,
            template: self.template,
            concurrency: self.concurrency,
            retry: self.retry,
            progress: self.progress,
            cancel: self.cancel,
        };
        (self.recipients, size, settings)
    }
}

/// A run's settings, once its recipients are taken out.
pub(crate) struct Settings<'a, R> {
    client: &'a Client,
    pub(crate) template: R,
    concurrency: usize,
    retry: RetryPolicy,
    progress: Option<ProgressFn<'a>>,
    pub(crate) cancel: CancelHandle,
}

/// One chunk to send.
pub(crate) struct Plan<R> {
    /// Its number in the journal.
    pub chunk: u64,
    pub recipients: Vec<String>,
    /// The exact request an earlier run recorded the intent of, without its outcome: it may
    /// have reached the server. `None`: a fresh chunk, the template addressed to `recipients`.
    pub resumed: Option<R>,
}

impl<R> Plan<R> {
    /// Numbers fresh chunks from `first`.
    pub fn fresh(first: u64) -> impl FnMut(Vec<String>) -> Plan<R> {
        let mut next = first;
        move |recipients| {
            next += 1;
            Plan {
                chunk: next - 1,
                recipients,
                resumed: None,
            }
        }
    }
}

impl<'a, R: FanOutRequest + 'a> Settings<'a, R> {
    /// Sends `plans`, journaling each chunk when `journal` is given, onto `report`; `stop`
    /// gets why no further chunk is sent, if something stops the run.
    pub(crate) async fn drive(
        self,
        plans: impl Stream<Item = Plan<R>>,
        journal: Option<Sink<'_>>,
        mut report: FanOutReport,
        duplicates: &Mutex<usize>,
        stop: &Mutex<Option<String>>,
    ) -> FanOutReport {
        let run = Run {
            client: self.client,
            template: &self.template,
            retry: self.retry,
            cancel: self.cancel.clone(),
            stop,
            journal,
        };
        let run = &run;
        let mut chunks = std::pin::pin!(plans
            .map(|plan| run.chunk(plan))
            .buffer_unordered(self.concurrency));
        let mut progress = Progress::default();
        report
            .recipients
            .values()
            .for_each(|o| progress.counts.add(o));
        let mut on_progress = self.progress;
        while let Some(done) = chunks.next().await {
            report.calls += done.calls;
            report.retries += done.retries;
            report.resent_chunks += usize::from(done.resent);
            for (recipient, outcome) in done.outcomes {
                progress.counts.add(&outcome);
                report.recipients.insert(recipient, outcome);
            }
            progress.calls = report.calls;
            progress.retries = report.retries;
            progress.duplicates = *duplicates.lock().unwrap();
            if let Some(f) = on_progress.as_mut() {
                f(&progress);
            }
        }
        report
    }
}
