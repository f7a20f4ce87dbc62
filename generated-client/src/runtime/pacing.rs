//! Optional client-side pacing to the spec's documented rate limits.
//!
//! Past a batch endpoint's limit the server blocks the whole application for a minute, so a
//! sender of thousands of messages is better served by waiting for a free slot than by an error.
//! Each endpoint gets a sliding window of its documented `calls` per `window_seconds`, which never
//! exceeds the limit in any window the server may count; after a rate-limit answer, calls wait out
//! the documented block. This covers the calls of one `Client` and its clones: the server's limit
//! is per application, so several processes sending for one app must share the budget themselves.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::endpoint::{RateLimit, DEFAULT_BLOCK_SECONDS};

/// Per-endpoint windows of recent calls.
#[derive(Debug)]
pub(crate) struct Pacer {
    windows: Mutex<HashMap<&'static str, Window>>,
    /// How long a block lasts where no source states it.
    unstated_block: Duration,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(Duration::from_secs(DEFAULT_BLOCK_SECONDS.into()))
    }
}

#[derive(Debug, Default)]
struct Window {
    /// When each call still inside the window was let through, oldest first.
    sent: VecDeque<Instant>,
    /// Set after a rate-limit answer: the server refuses calls until then.
    blocked_until: Option<Instant>,
}

impl Pacer {
    /// A pacer that assumes `unstated_block` where a rate limit's block time is not documented.
    pub(crate) fn new(unstated_block: Duration) -> Self {
        Pacer {
            windows: Mutex::default(),
            unstated_block,
        }
    }

    /// Waits until a call to `endpoint` keeps within `limit`, then counts it.
    pub(crate) async fn acquire(&self, endpoint: &'static str, limit: RateLimit) {
        let window = Duration::from_secs(limit.window_seconds.into());
        loop {
            let wait = {
                let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
                let w = windows.entry(endpoint).or_default();
                let now = Instant::now();
                while w
                    .sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= window)
                {
                    w.sent.pop_front();
                }
                match (w.blocked_until.filter(|until| *until > now), w.sent.front()) {
                    (Some(until), _) => until - now,
                    (None, _) if w.sent.len() < limit.calls as usize => {
                        w.sent.push_back(now);
                        return;
                    }
                    (None, Some(oldest)) => (*oldest + window) - now,
                    // A limit of zero calls: nothing can ever be sent; wait a window at a time.
                    (None, None) => window,
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// The server answered the rate-limit code: it refuses this endpoint for `block_seconds`.
    pub(crate) fn blocked(&self, endpoint: &'static str, limit: RateLimit) {
        let block = limit
            .block_seconds
            .map_or(self.unstated_block, |s| Duration::from_secs(s.into()));
        let until = Instant::now() + block;
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let w = windows.entry(endpoint).or_default();
        w.blocked_until = Some(w.blocked_until.map_or(until, |earlier| earlier.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::endpoint::Blocks;

    const BATCH: RateLimit = RateLimit::new(120, 60, Some(60), 416, Blocks::App);

    #[tokio::test(start_paused = true)]
    async fn lets_the_documented_calls_through_then_waits_for_the_window() {
        let pacer = Pacer::default();
        let start = Instant::now();
        for _ in 0..120 {
            pacer.acquire("send_batch_msg", BATCH).await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the first 120 calls do not wait"
        );
        pacer.acquire("send_batch_msg", BATCH).await;
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(60),
            "the 121st waits until the first leaves the window"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn never_exceeds_the_limit_in_any_window() {
        let pacer = Pacer::default();
        let limit = RateLimit::new(5, 10, Some(10), 416, Blocks::App);
        let mut times = Vec::new();
        for _ in 0..23 {
            pacer.acquire("e", limit).await;
            times.push(Instant::now());
        }
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .filter(|u| u.duration_since(*t) < Duration::from_secs(10))
                .count();
            assert!(in_window <= 5, "{in_window} calls within 10 s of call {i}");
        }
        assert_eq!(
            times[22].duration_since(times[0]),
            Duration::from_secs(40),
            "and does not wait longer than needed"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_rate_limit_answer_waits_out_the_block() {
        let pacer = Pacer::default();
        let start = Instant::now();
        pacer.acquire("send_batch_msg", BATCH).await;
        pacer.blocked("send_batch_msg", BATCH);
        pacer.acquire("send_batch_msg", BATCH).await;
        assert_eq!(start.elapsed(), Duration::from_secs(60));
    }

    #[tokio::test(start_paused = true)]
    async fn endpoints_have_their_own_windows() {
        let pacer = Pacer::default();
        let one = RateLimit::new(1, 60, Some(60), 416, Blocks::App);
        let start = Instant::now();
        pacer.acquire("a", one).await;
        pacer.blocked("a", one);
        pacer.acquire("b", one).await;
        assert_eq!(start.elapsed(), Duration::ZERO, "b is not held back by a");
    }

    #[tokio::test(start_paused = true)]
    async fn an_unstated_block_lasts_the_configured_default() {
        let unstated = RateLimit::new(10, 1, None, 416, Blocks::App);
        for (pacer, expected) in [
            (Pacer::default(), DEFAULT_BLOCK_SECONDS.into()),
            (Pacer::new(Duration::from_secs(7)), 7),
        ] {
            let start = Instant::now();
            pacer.blocked("e", unstated);
            pacer.acquire("e", unstated).await;
            assert_eq!(start.elapsed(), Duration::from_secs(expected));
        }
        // A documented block wins over the default.
        let pacer = Pacer::new(Duration::from_secs(7));
        let start = Instant::now();
        pacer.blocked("e", RateLimit::new(10, 1, Some(2), 416, Blocks::App));
        pacer.acquire("e", unstated).await;
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }
}
