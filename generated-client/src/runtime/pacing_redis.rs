//! One rate budget for every process of an application, kept in Redis (the `redis` feature).
//!
//! The server counts calls per AppKey, so processes sending for one app must share one budget.
//! Each step is one Lua script, atomic in Redis, timed by Redis's own clock (`TIME`) so that
//! processes with skewed clocks agree. Per (key prefix, AppKey, endpoint) a sorted set holds the
//! slots: member a slot id (from `INCR`, unique across processes), score when it frees — taken:
//! now + lease; finished: now + window. A rate-limit answer sets a key with a `PX` time to live,
//! the app's or the endpoint's, that takes honour until it expires. Only the AppKey, endpoint
//! names, slot ids and times reach Redis; never the AppSecret.
//!
//! When Redis cannot be reached or answers later than the command timeout, the store does what
//! [`Unavailable`] says: wait (the default; no call goes out unpaced) or fail the call with
//! [`Error::Pacing`](crate::Error::Pacing) (nothing is sent). A configuration error, which
//! waiting cannot fix (a refused password, a database that does not exist, no script support, a
//! server at the address that does not speak Redis), fails the call at once in either mode. A `finish` or `block` that fails
//! is dropped, not retried: the slot's lease frees it (late, which only slows calls down), and
//! another process that passes the limit gets its own rate-limit answer and records the block.
//!
//! Redis keeps the budget in memory: a Redis restarted without persistence forgets every slot
//! and block, so in the window around the restart up to one more window's worth of calls may
//! reach the server (which may answer the rate-limit code; the pacer then waits out the block).
//! Run Redis with `appendonly yes` to keep the budget across restarts.

pub(crate) mod url;

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ErrorKind, RedisError, Script, ServerErrorKind};

use super::endpoint::Blocks;
use super::pacing::{Pace, PaceError, PaceKey, PaceStore, Take};

/// The key prefix unless [`RedisPaceStoreBuilder::key_prefix`] sets another.
pub const DEFAULT_KEY_PREFIX: &str = "yunxin-im:pace";

/// How long one Redis command may take unless [`RedisPaceStoreBuilder::command_timeout`] says.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_millis(500);

/// The longest wait between attempts while Redis is unavailable and the store waits.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// What a call does when Redis cannot be reached or is slower than the command timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Unavailable {
    /// Wait, retrying with backoff (25 ms doubling up to 1 s), until Redis answers: no call is
    /// sent unpaced. Bound the wait with a timeout around the call if it must end. With the
    /// `tracing` feature, a warning when the waiting starts and an event when it ends, each
    /// naming the cause. A configuration error is never waited for.
    #[default]
    Wait,
    /// Fail the call at once with [`Error::Pacing`](crate::Error::Pacing); nothing is sent.
    Fail,
}

/// A [`PaceStore`] in Redis, shared by every process that uses the same Redis and key prefix.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use yunxin_im::pacing::{RedisPaceStore, Unavailable};
///
/// let store = RedisPaceStore::builder("redis://127.0.0.1:6379/0")
///     .when_unavailable(Unavailable::Wait)
///     .build()?;
/// let client = yunxin_im::Client::builder("app-key", "app-secret")
///     .pace_store(Arc::new(store))
///     .build()?;
/// # Ok(()) }
/// ```
pub struct RedisPaceStore {
    client: redis::Client,
    /// The URL without its password, for errors and `Debug`.
    shown_url: String,
    prefix: String,
    when_unavailable: Unavailable,
    command_timeout: Duration,
    /// One connection, made on first use and again after it failed.
    connection: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    /// Failures in a row, for the backoff while waiting.
    failures: AtomicU32,
    /// Why calls wait for Redis, while they do (for the event when the waiting ends).
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    waiting_for: std::sync::Mutex<Option<String>>,
    take: Script,
    finish: Script,
    block: Script,
}

/// Settings of a [`RedisPaceStore`]; from [`RedisPaceStore::builder`].
pub struct RedisPaceStoreBuilder {
    url: String,
    prefix: String,
    when_unavailable: Unavailable,
    command_timeout: Duration,
}

impl fmt::Debug for RedisPaceStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisPaceStoreBuilder")
            .field("url", &url::shown(&self.url))
            .field("prefix", &self.prefix)
            .field("when_unavailable", &self.when_unavailable)
            .field("command_timeout", &self.command_timeout)
            .finish()
    }
}

impl fmt::Debug for RedisPaceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisPaceStore")
            .field("url", &self.shown_url)
            .field("prefix", &self.prefix)
            .field("when_unavailable", &self.when_unavailable)
            .field("command_timeout", &self.command_timeout)
            .finish_non_exhaustive()
    }
}

impl RedisPaceStore {
    /// A store in the Redis at `url` (`redis://[:password@]host[:port][/db]`, `rediss://` needs
    /// a TLS feature of the `redis` crate). A user or password holding `/`, `?`, `#` or `@` must
    /// be percent-encoded (`build` refuses the URL otherwise).
    pub fn builder(url: impl Into<String>) -> RedisPaceStoreBuilder {
        RedisPaceStoreBuilder {
            url: url.into(),
            prefix: DEFAULT_KEY_PREFIX.to_owned(),
            when_unavailable: Unavailable::default(),
            command_timeout: DEFAULT_COMMAND_TIMEOUT,
        }
    }

    /// The Redis URL with its user and password masked (`redis://:****@host:6379/0`).
    pub fn url(&self) -> &str {
        &self.shown_url
    }

    fn error(&self, reason: impl Into<String>) -> PaceError {
        PaceError::new(self.shown_url.clone(), reason)
    }

    async fn connection(&self) -> Result<MultiplexedConnection, Failure> {
        let mut held = self.connection.lock().await;
        if let Some(connection) = &*held {
            return Ok(connection.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.command_timeout))
            .set_response_timeout(Some(self.command_timeout));
        let connecting = self
            .client
            .get_multiplexed_async_connection_with_config(&config);
        let connection = tokio::time::timeout(self.command_timeout, connecting)
            .await
            .map_err(|_| {
                Failure::Unavailable(format!("no connection within {:?}", self.command_timeout))
            })?
            .map_err(|e| Failure::of("cannot connect", &e))?;
        *held = Some(connection.clone());
        Ok(connection)
    }

    /// Runs `script` with `keys` and `args` within the command timeout; a failed connection is
    /// dropped so that the next step connects again.
    async fn run(&self, script: &Script, keys: &[&str], args: &[u64]) -> Result<Vec<i64>, Failure> {
        let mut connection = match self.connection().await {
            Ok(connection) => connection,
            Err(failure) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                return Err(failure);
            }
        };
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(*key);
        }
        for arg in args {
            invocation.arg(*arg);
        }
        let answer = tokio::time::timeout(
            self.command_timeout,
            invocation.invoke_async::<Vec<i64>>(&mut connection),
        )
        .await;
        let result = match answer {
            Ok(Ok(values)) => Ok(values),
            Ok(Err(e)) => Err(Failure::of("the script failed", &e)),
            Err(_) => Err(Failure::Unavailable(format!(
                "no answer within {:?}",
                self.command_timeout
            ))),
        };
        match &result {
            Ok(_) => self.failures.store(0, Ordering::Relaxed),
            Err(_) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                *self.connection.lock().await = None;
            }
        }
        result
    }
}

impl RedisPaceStore {
    /// Calls wait for Redis from now, for `reason` (an event the first time in a row).
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    fn waiting_started(&self, reason: String) {
        #[cfg(feature = "tracing")]
        {
            let mut waiting = self.waiting_for.lock().unwrap_or_else(|e| e.into_inner());
            if waiting.is_none() {
                tracing::warn!(
                    store = %self.shown_url,
                    cause = %reason,
                    "the rate budget store is unavailable; calls wait for it"
                );
                *waiting = Some(reason);
            }
        }
    }

    /// Redis answered: the waiting, if any, is over.
    fn waiting_ended(&self) {
        #[cfg(feature = "tracing")]
        {
            let ended = self
                .waiting_for
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some(cause) = ended {
                tracing::info!(
                    store = %self.shown_url,
                    %cause,
                    "the rate budget store is available again; calls go on"
                );
            }
        }
    }
}

impl RedisPaceStoreBuilder {
    /// The prefix of every key this store writes (default [`DEFAULT_KEY_PREFIX`]); processes
    /// share a budget when they use the same Redis and prefix.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// What a call does when Redis is unavailable (default [`Unavailable::Wait`]).
    pub fn when_unavailable(mut self, choice: Unavailable) -> Self {
        self.when_unavailable = choice;
        self
    }

    /// How long connecting or one command may take before Redis counts as unavailable
    /// (default [`DEFAULT_COMMAND_TIMEOUT`]).
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// The store; it connects on first use. Fails when the URL is not a Redis URL.
    pub fn build(self) -> Result<RedisPaceStore, PaceError> {
        let parsed = url::parse(&self.url)
            .map_err(|r| PaceError::new(r.shown, format!("not a Redis URL: {}", r.reason)))?;
        let shown_url = parsed.shown;
        // The crate's errors name no part of the URL; ours names the masked one.
        let client = redis::Client::open(parsed.url)
            .map_err(|e| PaceError::new(shown_url.clone(), format!("not a Redis URL: {e}")))?;
        Ok(RedisPaceStore {
            client,
            shown_url,
            prefix: self.prefix,
            when_unavailable: self.when_unavailable,
            command_timeout: self.command_timeout,
            connection: tokio::sync::Mutex::new(None),
            failures: AtomicU32::new(0),
            waiting_for: std::sync::Mutex::new(None),
            take: Script::new(include_str!("pacing_redis/take.lua")),
            finish: Script::new(include_str!("pacing_redis/finish.lua")),
            block: Script::new(include_str!("pacing_redis/block.lua")),
        })
    }
}

/// The Redis keys of one app's endpoint.
#[derive(Debug)]
struct Keys {
    slots: String,
    app_block: String,
    endpoint_block: String,
    slot_ids: String,
}

/// Escaped in key parts: the separator, the hash-tag braces, and the escape itself.
pub(crate) const KEY_PART: &AsciiSet = &CONTROLS.add(b':').add(b'{').add(b'}').add(b'%').add(b' ');

impl Keys {
    /// The app's keys share the hash tag `{app}`, so a Redis Cluster keeps them in one slot
    /// (a script may only touch keys of one slot there).
    fn new(prefix: &str, app_key: &str, endpoint: &str) -> Keys {
        let app = format!("{prefix}:{{{}}}", utf8_percent_encode(app_key, KEY_PART));
        let endpoint = utf8_percent_encode(endpoint, KEY_PART).to_string();
        Keys {
            slots: format!("{app}:{endpoint}:slots"),
            app_block: format!("{app}:block"),
            endpoint_block: format!("{app}:{endpoint}:block"),
            slot_ids: format!("{app}:slot-ids"),
        }
    }
}

/// The wait before trying again after `failures` failures in a row: 25 ms, doubling, capped.
pub(crate) fn backoff(failures: u32) -> Duration {
    Duration::from_millis(25)
        .saturating_mul(1 << failures.min(16))
        .min(MAX_BACKOFF)
}

/// Why a step failed: Redis unavailable (waiting may fix it) or refusing (it cannot).
#[derive(Debug)]
pub(crate) enum Failure {
    Unavailable(String),
    Refused(String),
}

impl Failure {
    /// Classifies `error` of `step`: only an unreachable, dropped, late or momentarily busy
    /// (loading, failing over) Redis is an outage; every other answer is a configuration error.
    pub(crate) fn of(step: &str, error: &RedisError) -> Failure {
        let transient_answer = match error.kind() {
            ErrorKind::Server(kind) => matches!(
                kind,
                ServerErrorKind::BusyLoading
                    | ServerErrorKind::TryAgain
                    | ServerErrorKind::ClusterDown
                    | ServerErrorKind::MasterDown
                    | ServerErrorKind::ReadOnly
            ),
            // A script of someone else's running too long.
            ErrorKind::Extension => error.code() == Some("BUSY"),
            _ => false,
        };
        if error.is_io_error() || error.is_timeout() || transient_answer {
            return Failure::Unavailable(format!("{step}: {}", describe(error)));
        }
        let cause = match (error.kind(), error.code()) {
            (ErrorKind::AuthenticationFailed, _) | (_, Some("WRONGPASS" | "NOAUTH")) => {
                "authentication refused"
            }
            (ErrorKind::Server(ServerErrorKind::NoPerm), _) => "permission refused",
            (ErrorKind::Server(ServerErrorKind::NoScript), _) => "no script support",
            (ErrorKind::Parse, _) => "the server at this address does not speak Redis",
            _ => "Redis refused",
        };
        Failure::Refused(format!(
            "{cause} ({step}: {}); a configuration error, not retried",
            describe(error)
        ))
    }

    pub(crate) fn reason(self) -> String {
        match self {
            Failure::Unavailable(reason) | Failure::Refused(reason) => reason,
        }
    }
}

/// A Redis error, bounded (a server that does not speak Redis may answer anything). The crate's
/// messages name neither the URL nor the password.
fn describe(error: &RedisError) -> String {
    super::error::excerpt(error.to_string().as_bytes())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl PaceStore for RedisPaceStore {
    fn try_take<'a>(
        &'a self,
        key: PaceKey<'a>,
        pace: Pace,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Take, PaceError>> {
        Box::pin(async move {
            let keys = Keys::new(&self.prefix, key.app_key, key.endpoint);
            let answer = self
                .run(
                    &self.take,
                    &[
                        &keys.slots,
                        &keys.app_block,
                        &keys.endpoint_block,
                        &keys.slot_ids,
                    ],
                    &[pace.calls.into(), millis(lease), millis(pace.window)],
                )
                .await;
            if answer.is_ok() {
                self.waiting_ended();
            }
            match answer {
                Ok(values) => match values.as_slice() {
                    [1, slot] => Ok(Take::Slot(*slot as u64)),
                    [0, wait] => Ok(Take::Wait(Duration::from_millis((*wait).max(1) as u64))),
                    other => Err(self.error(format!(
                        "unexpected script answer {}",
                        super::error::excerpt(format!("{other:?}").as_bytes())
                    ))),
                },
                Err(Failure::Refused(reason)) => Err(self.error(reason)),
                Err(Failure::Unavailable(reason)) => match self.when_unavailable {
                    Unavailable::Fail => Err(self.error(reason)),
                    _ => {
                        self.waiting_started(reason);
                        Ok(Take::Wait(backoff(
                            self.failures.load(Ordering::Relaxed).saturating_sub(1),
                        )))
                    }
                },
            }
        })
    }

    fn finish<'a>(
        &'a self,
        key: PaceKey<'a>,
        slot: u64,
        pace: Pace,
    ) -> BoxFuture<'a, Result<(), PaceError>> {
        Box::pin(async move {
            let keys = Keys::new(&self.prefix, key.app_key, key.endpoint);
            self.run(&self.finish, &[&keys.slots], &[slot, millis(pace.window)])
                .await
                .map(drop)
                .map_err(|failure| self.error(failure.reason()))
        })
    }

    fn block<'a>(
        &'a self,
        key: PaceKey<'a>,
        blocks: Blocks,
        block: Duration,
    ) -> BoxFuture<'a, Result<(), PaceError>> {
        Box::pin(async move {
            let keys = Keys::new(&self.prefix, key.app_key, key.endpoint);
            let target = match blocks {
                Blocks::Endpoint => &keys.endpoint_block,
                _ => &keys.app_block,
            };
            self.run(&self.block, &[target], &[millis(block)])
                .await
                .map(drop)
                .map_err(|failure| self.error(failure.reason()))
        })
    }
}

#[cfg(test)]
mod tests;
