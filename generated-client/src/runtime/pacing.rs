//! Client-side pacing to the rate limits, so that no window the server counts ever holds more
//! calls than the limit.
//!
//! Past a batch endpoint's limit the server blocks the whole application for a minute, so a
//! sender of thousands of messages is better served by waiting for a free slot than by an error.
//! The server counts a call when it receives it, somewhere between the moment the client lets it
//! go and the moment the answer arrives; a slot stamped at admission therefore lets a later wave
//! of calls, sent on warm pooled connections, arrive bunched with a slow first wave. So a slot is
//! taken before the call and held until a full window after its answer arrived (or it failed):
//! any window at the server then overlaps at most `calls` slots.
//!
//! The budget lives in a [`PaceStore`]: [`LocalPaceStore`] (the default) for the calls of one
//! `Client` and its clones; a shared store (such as the `redis` feature's) for every process of
//! an application.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::endpoint::{Blocks, Endpoint, RateLimit, DEFAULT_BLOCK_SECONDS};
use super::error::Error;

/// A rate limit to pace to: `calls` per `window`, and how long the server refuses calls once it
/// is passed (`None`: the spec's block time, else the builder's
/// [`unstated_block`](crate::ClientBuilder::unstated_block)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Pace {
    /// Calls allowed per window.
    pub calls: u32,
    /// The window the server counts in.
    pub window: Duration,
    /// How long a passed limit blocks.
    pub block: Option<Duration>,
}

impl Pace {
    /// `calls` per `window`, with the spec's block time.
    pub const fn new(calls: u32, window: Duration) -> Self {
        Pace {
            calls,
            window,
            block: None,
        }
    }

    /// The same pace with the block after a passed limit set to `block`.
    #[must_use]
    pub const fn block(mut self, block: Duration) -> Self {
        self.block = Some(block);
        self
    }
}

impl From<RateLimit> for Pace {
    fn from(limit: RateLimit) -> Self {
        Pace {
            calls: limit.calls,
            window: Duration::from_secs(limit.window_seconds.into()),
            block: limit
                .block_seconds
                .map(|seconds| Duration::from_secs(seconds.into())),
        }
    }
}

/// Whose budget a slot is taken from: one application's calls to one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceKey<'a> {
    /// The AppKey (never the secret): the server counts per application.
    pub app_key: &'a str,
    /// The endpoint's spec name, e.g. `send_batch_msg`.
    pub endpoint: &'a str,
}

/// The answer of [`PaceStore::try_take`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// A slot was taken; hand its id back to [`PaceStore::finish`].
    Slot(u64),
    /// No slot is free or the key is blocked: try again after at most this long (sooner when a
    /// call of this process finishes).
    Wait(Duration),
}

/// A pacing store failed (for a shared store: it could not be reached); the call was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaceError {
    /// Which store, without credentials (e.g. `redis://127.0.0.1:6379/0`).
    pub store: String,
    /// What went wrong.
    pub reason: String,
}

impl PaceError {
    /// A failure of `store`.
    pub fn new(store: impl Into<String>, reason: impl Into<String>) -> Self {
        PaceError {
            store: store.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the rate budget store {} failed: {}",
            super::error::bounded(&self.store),
            super::error::bounded(&self.reason)
        )
    }
}

impl std::error::Error for PaceError {}

/// Where pacing keeps its budget. Each method is one atomic step, so that callers (threads,
/// tasks, processes) sharing a store never take the same slot.
pub trait PaceStore: Send + Sync + fmt::Debug + 'static {
    /// Takes a slot of `key` when fewer than `pace.calls` are held and nothing blocks it. A slot
    /// is held until [`finish`](Self::finish) plus a window; a store shared by processes frees
    /// a slot never finished (its holder died) `lease` after it was taken.
    fn try_take<'a>(
        &'a self,
        key: PaceKey<'a>,
        pace: Pace,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Take, PaceError>>;

    /// The call holding `slot` ended now (answered or failed): the slot frees a window later.
    fn finish<'a>(
        &'a self,
        key: PaceKey<'a>,
        slot: u64,
        pace: Pace,
    ) -> BoxFuture<'a, Result<(), PaceError>>;

    /// The server answered the rate-limit code: no slot of `key` — of every endpoint of its app
    /// when `blocks` is [`Blocks::App`] — is taken until `block` has passed.
    fn block<'a>(
        &'a self,
        key: PaceKey<'a>,
        blocks: Blocks,
        block: Duration,
    ) -> BoxFuture<'a, Result<(), PaceError>>;
}

/// The in-process budget: shared by a `Client` and its clones (and by clients given the same
/// store), not by other processes.
#[derive(Debug, Default)]
pub struct LocalPaceStore {
    state: Mutex<LocalState>,
}

#[derive(Debug, Default)]
struct LocalState {
    next_slot: u64,
    windows: HashMap<(String, String), Window>,
    app_blocked: HashMap<String, Instant>,
}

#[derive(Debug, Default)]
struct Window {
    /// Slots whose call has not ended.
    in_flight: HashSet<u64>,
    /// When each ended slot frees, oldest first.
    frees_at: VecDeque<Instant>,
    blocked_until: Option<Instant>,
}

impl LocalPaceStore {
    /// An empty budget.
    pub fn new() -> Self {
        LocalPaceStore::default()
    }

    fn take_now(&self, key: PaceKey<'_>, pace: Pace) -> Take {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let app_block = state.app_blocked.get(key.app_key).copied();
        let LocalState {
            next_slot, windows, ..
        } = &mut *state;
        let w = windows
            .entry((key.app_key.to_owned(), key.endpoint.to_owned()))
            .or_default();
        while w.frees_at.front().is_some_and(|t| *t <= now) {
            w.frees_at.pop_front();
        }
        let blocked = [app_block, w.blocked_until]
            .into_iter()
            .flatten()
            .filter(|until| *until > now)
            .max();
        if let Some(until) = blocked {
            return Take::Wait(until - now);
        }
        if w.in_flight.len() + w.frees_at.len() < pace.calls as usize {
            *next_slot += 1;
            w.in_flight.insert(*next_slot);
            return Take::Slot(*next_slot);
        }
        // Every slot held: the oldest ended one frees first; calls in flight wake the waiters
        // when they end, so the window is only a bound.
        Take::Wait(w.frees_at.front().map_or(pace.window, |t| *t - now))
    }
}

impl PaceStore for LocalPaceStore {
    fn try_take<'a>(
        &'a self,
        key: PaceKey<'a>,
        pace: Pace,
        _lease: Duration,
    ) -> BoxFuture<'a, Result<Take, PaceError>> {
        let take = self.take_now(key, pace);
        Box::pin(async move { Ok(take) })
    }

    fn finish<'a>(
        &'a self,
        key: PaceKey<'a>,
        slot: u64,
        pace: Pace,
    ) -> BoxFuture<'a, Result<(), PaceError>> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let window_key = (key.app_key.to_owned(), key.endpoint.to_owned());
        if let Some(w) = state.windows.get_mut(&window_key) {
            if w.in_flight.remove(&slot) {
                // Ends are stamped with the current time, so the queue stays ordered.
                w.frees_at.push_back(Instant::now() + pace.window);
            }
        }
        Box::pin(async { Ok(()) })
    }

    fn block<'a>(
        &'a self,
        key: PaceKey<'a>,
        blocks: Blocks,
        block: Duration,
    ) -> BoxFuture<'a, Result<(), PaceError>> {
        let until = Instant::now() + block;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let later = |earlier: Option<Instant>| Some(earlier.map_or(until, |e| e.max(until)));
        match blocks {
            Blocks::Endpoint => {
                let w = state
                    .windows
                    .entry((key.app_key.to_owned(), key.endpoint.to_owned()))
                    .or_default();
                w.blocked_until = later(w.blocked_until);
            }
            _ => {
                let app = key.app_key.to_owned();
                let until = later(state.app_blocked.get(&app).copied()).unwrap_or(until);
                state.app_blocked.insert(app, until);
            }
        }
        Box::pin(async { Ok(()) })
    }
}

/// The pacing of one client and its clones: which endpoints are paced and how, over a store.
#[derive(Debug)]
pub(crate) struct Pacer {
    store: Arc<dyn PaceStore>,
    app_key: String,
    /// Per endpoint name, from the builder; they win over `every` and the spec.
    overrides: HashMap<String, Pace>,
    /// From the builder: every endpoint, including those the spec gives no limit.
    every: Option<Pace>,
    /// The block where neither the builder nor the spec states one.
    unstated_block: Duration,
    /// Woken when a call of this process ends, so local waiters need not poll.
    ended: Notify,
}

/// Settings of a [`Pacer`], gathered by the client builder.
#[derive(Debug)]
pub(crate) struct PacerSettings {
    pub(crate) store: Option<Arc<dyn PaceStore>>,
    pub(crate) overrides: HashMap<String, Pace>,
    pub(crate) every: Option<Pace>,
    pub(crate) unstated_block: Duration,
}

impl Default for PacerSettings {
    fn default() -> Self {
        PacerSettings {
            store: None,
            overrides: HashMap::new(),
            every: None,
            unstated_block: Duration::from_secs(DEFAULT_BLOCK_SECONDS.into()),
        }
    }
}

/// A taken slot: give it back with [`Permit::finish`] when the call ended. Dropped unfinished
/// (the call's future was dropped mid-flight), it finishes in the background: the call may have
/// reached the server, so its slot must still count.
pub(crate) struct Permit {
    pacer: Arc<Pacer>,
    endpoint: &'static str,
    pace: Pace,
    slot: Option<u64>,
}

impl Pacer {
    pub(crate) fn new(app_key: &str, settings: PacerSettings) -> Self {
        Pacer {
            store: settings
                .store
                .unwrap_or_else(|| Arc::new(LocalPaceStore::new())),
            app_key: app_key.to_owned(),
            overrides: settings.overrides,
            every: settings.every,
            unstated_block: settings.unstated_block,
            ended: Notify::new(),
        }
    }

    /// The pace of `endpoint`: the builder's for it, else the builder's for every endpoint,
    /// else the spec's; `None` when nothing limits it.
    pub(crate) fn pace_for(&self, endpoint: &Endpoint) -> Option<Pace> {
        let spec = endpoint.rate_limit.map(Pace::from);
        let chosen = self
            .overrides
            .get(endpoint.name)
            .or(self.every.as_ref())
            .copied()
            .or(spec)?;
        Some(Pace {
            block: chosen
                .block
                .or(spec.and_then(|s| s.block))
                .or(Some(self.unstated_block)),
            ..chosen
        })
    }

    fn key<'a>(&'a self, endpoint: &'a str) -> PaceKey<'a> {
        PaceKey {
            app_key: &self.app_key,
            endpoint,
        }
    }

    /// Waits for a slot of `endpoint` under `pace`. `lease` bounds how long the call can hold
    /// it unfinished.
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        endpoint: &'static Endpoint,
        pace: Pace,
        lease: Duration,
    ) -> Result<Permit, Error> {
        let key = self.key(endpoint.name);
        loop {
            // Registered before asking, so an end between the answer and the wait still wakes us.
            let ended = self.ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            match self.store.try_take(key, pace, lease).await {
                Ok(Take::Slot(slot)) => {
                    return Ok(Permit {
                        pacer: Arc::clone(self),
                        endpoint: endpoint.name,
                        pace,
                        slot: Some(slot),
                    })
                }
                Ok(Take::Wait(wait)) => {
                    let _ = tokio::time::timeout(wait, ended).await;
                }
                Err(error) => {
                    return Err(Error::Pacing {
                        endpoint: endpoint.name,
                        error,
                    })
                }
            }
        }
    }

    /// The server answered `endpoint` with its rate-limit code.
    pub(crate) async fn blocked(&self, endpoint: &'static Endpoint, pace: Pace) {
        let blocks = endpoint.rate_limit.map_or(Blocks::App, |l| l.blocks);
        let block = pace.block.unwrap_or(self.unstated_block);
        // A store that cannot record the block still lets the slots pace later calls.
        let _ = self
            .store
            .block(self.key(endpoint.name), blocks, block)
            .await;
    }

    async fn finish(&self, endpoint: &str, slot: u64, pace: Pace) {
        // A store that cannot be told frees the slot by its lease.
        let _ = self.store.finish(self.key(endpoint), slot, pace).await;
        self.ended.notify_waiters();
    }
}

impl Permit {
    /// The call ended now.
    pub(crate) async fn finish(mut self) {
        if let Some(slot) = self.slot.take() {
            self.pacer.finish(self.endpoint, slot, self.pace).await;
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        let (pacer, endpoint, pace) = (Arc::clone(&self.pacer), self.endpoint, self.pace);
        // With no runtime left to finish on, the lease frees the slot.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { pacer.finish(endpoint, slot, pace).await });
        }
    }
}

#[cfg(test)]
#[path = "pacing_tests.rs"]
mod tests;
