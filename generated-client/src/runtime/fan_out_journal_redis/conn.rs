//! The Redis journal's connection: made on first use and again after a failure, each step one
//! script within a timeout, writes retried a while when Redis is unreachable.

use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, FromRedisValue, Script};

use crate::runtime::pacing_redis::{backoff, Failure};

/// How long one Redis command may take.
pub(super) const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a write is retried while Redis is unreachable before the run stops.
const WRITE_PATIENCE: Duration = Duration::from_secs(5);

/// A connection to the journal's Redis, made again after a failure.
pub(super) struct Conn {
    pub(super) client: redis::Client,
    pub(super) held: tokio::sync::Mutex<Option<MultiplexedConnection>>,
}

impl Conn {
    pub(super) async fn get(&self) -> Result<MultiplexedConnection, Failure> {
        let mut held = self.held.lock().await;
        if let Some(c) = &*held {
            return Ok(c.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(COMMAND_TIMEOUT))
            .set_response_timeout(Some(COMMAND_TIMEOUT));
        let connecting = self
            .client
            .get_multiplexed_async_connection_with_config(&config);
        let c = tokio::time::timeout(COMMAND_TIMEOUT, connecting)
            .await
            .map_err(|_| Failure::Unavailable(format!("no connection within {COMMAND_TIMEOUT:?}")))?
            .map_err(|e| Failure::of("cannot connect", &e))?;
        *held = Some(c.clone());
        Ok(c)
    }

    /// One script, once; a failed connection is dropped so that the next step connects again.
    pub(super) async fn run<T: FromRedisValue>(
        &self,
        script: &Script,
        keys: &[&str],
        args: &[&str],
    ) -> Result<T, Failure> {
        let mut c = self.get().await?;
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(*key);
        }
        for arg in args {
            invocation.arg(*arg);
        }
        let answer = tokio::time::timeout(COMMAND_TIMEOUT, invocation.invoke_async::<T>(&mut c));
        let result = match answer.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(Failure::of("the script failed", &e)),
            Err(_) => Err(Failure::Unavailable(format!(
                "no answer within {COMMAND_TIMEOUT:?}"
            ))),
        };
        if result.is_err() {
            *self.held.lock().await = None;
        }
        result
    }

    /// [`Self::run`], again with backoff while Redis is unreachable, for up to [`WRITE_PATIENCE`];
    /// a configuration error is not retried. Every script retried this way is idempotent.
    pub(super) async fn patient<T: FromRedisValue>(
        &self,
        script: &Script,
        keys: &[&str],
        args: &[&str],
    ) -> Result<T, String> {
        let started = Instant::now();
        let mut failures = 0;
        loop {
            match self.run(script, keys, args).await {
                Ok(value) => return Ok(value),
                Err(Failure::Unavailable(_)) if started.elapsed() < WRITE_PATIENCE => {
                    tokio::time::sleep(backoff(failures)).await;
                    failures += 1;
                }
                Err(failure) => return Err(failure.reason()),
            }
        }
    }
}

pub(super) fn script(name: &str) -> Script {
    Script::new(match name {
        "claim" => include_str!("claim.lua"),
        "intent" => include_str!("intent.lua"),
        "release" => include_str!("release.lua"),
        "outcome" => include_str!("outcome.lua"),
        "header" => include_str!("header.lua"),
        _ => include_str!("compact.lua"),
    })
}
