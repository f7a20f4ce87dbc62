//! A fan-out journal in Redis (the `redis` feature), shared by every process running the job.
//!
//! The chunks are fixed by the job: chunk k is slice k of the sorted distinct recipients at the
//! chunk size in the header. Under `yunxin:fan_out:{job}:` a hash `claims` maps a chunk to the
//! process (owner) sending it, `intents` to the exact request about to go, `outcomes` to what
//! became of its recipients; `next` counts the chunks claimed, `header` names the job, and
//! `owner:<id>` is a process's liveness key, kept alive by a background task. Each step is one
//! Lua script, atomic in Redis: a claim, a takeover of a dead owner's chunk, an intent (only by
//! the chunk's current owner), an outcome (which clears the intent and the claim; the first one
//! recorded stands). Durability is Redis's: run it with `appendonly yes` and
//! `appendfsync always` for the file journal's guarantee (a record on disk before the run goes on).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use percent_encoding::utf8_percent_encode;
use serde::{Deserialize, Serialize};

use super::fan_out::{FanOutRequest, Outcome};
use super::fan_out_journal::{JobHeader, JournalError, VERSION};
use super::pacing_redis::{url, Failure, KEY_PART};

mod conn;
use conn::{script, Conn, COMMAND_TIMEOUT};

/// How long a process's claims outlive its last sign of life, unless
/// [`Journal::owner_ttl`](super::fan_out_journal::Journal::owner_ttl) says otherwise.
pub(crate) const DEFAULT_OWNER_TTL: Duration = Duration::from_secs(10);

/// Where a Redis journal lives; it connects when a run opens it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RedisJournal {
    url: String,
    shown: String,
    pub(crate) owner_ttl: Duration,
}

impl fmt::Debug for RedisJournal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisJournal")
            .field("url", &self.shown)
            .field("owner_ttl", &self.owner_ttl)
            .finish()
    }
}

/// The job's header as stored in Redis.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    version: u32,
    job: String,
    endpoint: String,
    digest: String,
    recipients: usize,
    chunk_size: usize,
}

/// The keys of one job; they share the hash tag `{job}` (one Redis Cluster slot).
struct Keys {
    header: String,
    next: String,
    claims: String,
    intents: String,
    outcomes: String,
    owner_prefix: String,
}

impl Keys {
    fn new(job: &str) -> Keys {
        let base = format!("yunxin:fan_out:{{{}}}", utf8_percent_encode(job, KEY_PART));
        Keys {
            header: format!("{base}:header"),
            next: format!("{base}:next"),
            claims: format!("{base}:claims"),
            intents: format!("{base}:intents"),
            outcomes: format!("{base}:outcomes"),
            owner_prefix: format!("{base}:owner:"),
        }
    }
}

impl RedisJournal {
    pub(crate) fn new(raw: &str) -> Result<Self, JournalError> {
        let parsed = url::parse(raw).map_err(|r| JournalError::Redis {
            url: r.shown,
            reason: format!("not a Redis URL: {}", r.reason),
        })?;
        Ok(RedisJournal {
            url: raw.to_owned(),
            shown: parsed.shown,
            owner_ttl: DEFAULT_OWNER_TTL,
        })
    }

    /// The URL, user and password masked.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    pub(crate) fn error(&self, reason: impl Into<String>) -> JournalError {
        JournalError::Redis {
            url: self.shown.clone(),
            reason: reason.into(),
        }
    }

    fn conn(&self) -> Result<Conn, JournalError> {
        // The crate's errors name no part of the URL; ours names the masked one.
        let client = redis::Client::open(self.url.as_str())
            .map_err(|e| self.error(format!("not a Redis URL: {e}")))?;
        Ok(Conn {
            client,
            held: tokio::sync::Mutex::new(None),
        })
    }

    /// Opens job `header.job`'s journal for a run in chunks of `chunk_size`: writes the header
    /// or checks the one there, and starts this process's liveness key. Any failure here, an
    /// unreachable Redis included, fails at once: nothing has been sent.
    pub(crate) async fn open(
        &self,
        header: &JobHeader,
        chunk_size: usize,
    ) -> Result<RedisWriter, JournalError> {
        let conn = self.conn()?;
        let keys = Keys::new(&header.job);
        let ours = Header {
            version: VERSION,
            job: header.job.clone(),
            endpoint: header.endpoint.to_owned(),
            digest: header.digest.clone(),
            recipients: header.recipients,
            chunk_size,
        };
        let text = serde_json::to_string(&ours).expect("headers serialize");
        let stored: String = conn
            .run(&script("header"), &[&keys.header], &[&text])
            .await
            .map_err(|f| self.error(f.reason()))?;
        let theirs: Header = serde_json::from_str(&stored)
            .map_err(|e| self.error(format!("the job's header cannot be read: {e}")))?;
        if theirs.job != ours.job {
            // Two job ids the key encoding maps alike: refused all the same.
            return Err(JournalError::OtherJob {
                path: self.shown.clone().into(),
                expected: ours.job,
                found: theirs.job,
            });
        }
        if theirs != ours {
            return Err(JournalError::OtherRecipients {
                path: self.shown.clone().into(),
                job: ours.job,
            });
        }
        let owner = super::endpoint::new_trace_id();
        let inner = Arc::new(Inner {
            conn,
            owner_key: format!("{}{owner}", keys.owner_prefix),
            owner,
            keys,
            ttl: self.owner_ttl,
            total: header.recipients.div_ceil(chunk_size.max(1)) as u64,
            in_flight: Mutex::new(HashSet::new()),
        });
        inner.alive().await.map_err(|e| self.error(e))?;
        let renewing = Arc::clone(&inner);
        let renew = tokio::spawn(async move {
            loop {
                tokio::time::sleep(renewing.ttl / 4).await;
                // A renewal that fails is not fatal: only a takeover can follow, and the
                // intent script then keeps this process from sending a chunk it lost.
                let _ = renewing.alive().await;
            }
        });
        Ok(RedisWriter { inner, renew })
    }

    /// Deletes the job's keys but its header, outcomes and pending chunks (see compact.lua).
    pub(crate) async fn compact(&self, job: &str) -> Result<(), JournalError> {
        let keys = Keys::new(job);
        let all = [
            &keys.header[..],
            &keys.next,
            &keys.claims,
            &keys.intents,
            &keys.outcomes,
        ];
        let answered: i64 = self
            .conn()?
            .run(&script("compact"), &all, &[])
            .await
            .map_err(|f| self.error(f.reason()))?;
        match answered {
            -1 => Err(self.error(format!("no journal of job {job:?}"))),
            _ => Ok(()),
        }
    }

    /// Deletes every key of the job (liveness keys expire on their own).
    pub(crate) async fn remove(&self, job: &str) -> Result<(), JournalError> {
        let keys = Keys::new(job);
        let conn = self.conn()?;
        let mut c = conn.get().await.map_err(|f| self.error(f.reason()))?;
        let mut cmd = redis::cmd("DEL");
        cmd.arg(&keys.header)
            .arg(&keys.next)
            .arg(&keys.claims)
            .arg(&keys.intents)
            .arg(&keys.outcomes);
        let del = cmd.query_async::<i64>(&mut c);
        match tokio::time::timeout(COMMAND_TIMEOUT, del).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.error(Failure::of("DEL", &e).reason())),
            Err(_) => Err(self.error(format!("no answer within {COMMAND_TIMEOUT:?}"))),
        }
    }
}

struct Inner {
    conn: Conn,
    keys: Keys,
    owner: String,
    owner_key: String,
    ttl: Duration,
    total: u64,
    /// The chunks this process claimed and has not finished.
    in_flight: Mutex<HashSet<u64>>,
}

impl Inner {
    /// Sets (or renews) this process's liveness key.
    async fn alive(&self) -> Result<(), String> {
        let mut c = self.conn.get().await.map_err(Failure::reason)?;
        let ttl = self.ttl.as_millis().max(1) as u64;
        let mut cmd = redis::cmd("SET");
        cmd.arg(&self.owner_key).arg(1).arg("PX").arg(ttl);
        let set = cmd.query_async::<()>(&mut c);
        match tokio::time::timeout(COMMAND_TIMEOUT, set).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Failure::of("SET", &e).reason()),
            Err(_) => Err(format!("no answer within {COMMAND_TIMEOUT:?}")),
        }
    }
}

/// What [`RedisWriter::claim`] got.
pub(crate) enum Claim {
    /// A chunk never claimed before.
    Fresh(u64),
    /// A dead owner's chunk, with its recorded request if it had written its intent.
    Takeover(u64, Option<String>),
    /// Only chunks of live owners (this process included) are left: ask again later.
    Wait,
    /// Every chunk has its outcome.
    Done,
}

/// One process's handle on a job's Redis journal.
pub(crate) struct RedisWriter {
    inner: Arc<Inner>,
    renew: tokio::task::JoinHandle<()>,
}

impl RedisWriter {
    /// How long to wait before asking again after [`Claim::Wait`].
    pub(crate) fn poll_interval(&self) -> Duration {
        (self.inner.ttl / 4).min(Duration::from_millis(250))
    }

    /// Claims the next chunk for this process.
    pub(crate) async fn claim(&self) -> Result<Claim, String> {
        let i = &self.inner;
        let mut held = String::from(",");
        for chunk in i.in_flight.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            held.push_str(&format!("{chunk},"));
        }
        let k = &i.keys;
        let total = i.total.to_string();
        let (kind, chunk, intent): (i64, i64, String) = i
            .conn
            .patient(
                &script("claim"),
                &[&k.next, &k.claims, &k.intents, &k.outcomes],
                &[&i.owner, &total, &k.owner_prefix, &held],
            )
            .await?;
        let claim = match kind {
            1 => Claim::Fresh(chunk as u64),
            2 => Claim::Takeover(chunk as u64, (!intent.is_empty()).then_some(intent)),
            0 => return Ok(Claim::Wait),
            _ => return Ok(Claim::Done),
        };
        i.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(chunk as u64);
        Ok(claim)
    }

    /// Records `request` as chunk `chunk`'s intent; refused if another process took it over.
    pub(crate) async fn intent<R: FanOutRequest>(
        &self,
        chunk: u64,
        request: &R,
    ) -> Result<(), String> {
        let i = &self.inner;
        let text = serde_json::to_string(request).map_err(|e| e.to_string())?;
        let written: i64 = i
            .conn
            .patient(
                &script("intent"),
                &[&i.keys.claims, &i.keys.intents],
                &[&i.owner, &chunk.to_string(), &text],
            )
            .await?;
        match written {
            1 => Ok(()),
            _ => Err(format!(
                "chunk {chunk} was taken over by another process (this one seemed dead)"
            )),
        }
    }

    /// Voids chunk `chunk`'s intent: nothing of it reached the server.
    pub(crate) async fn release(&self, chunk: u64) -> Result<(), String> {
        let i = &self.inner;
        i.conn
            .patient::<i64>(
                &script("release"),
                &[&i.keys.claims, &i.keys.intents],
                &[&i.owner, &chunk.to_string()],
            )
            .await
            .map(drop)
    }

    /// Records what became of chunk `chunk`'s recipients; all `NotAttempted` releases it.
    pub(crate) async fn outcome(
        &self,
        chunk: u64,
        outcomes: &[(String, Outcome)],
    ) -> Result<(), String> {
        let i = &self.inner;
        let done = || {
            i.in_flight
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&chunk)
        };
        if outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::NotAttempted { .. }))
        {
            done();
            return self.release(chunk).await;
        }
        let text = serde_json::to_string(outcomes).map_err(|e| e.to_string())?;
        let k = &i.keys;
        let result = i
            .conn
            .patient::<i64>(
                &script("outcome"),
                &[&k.claims, &k.intents, &k.outcomes],
                &[&chunk.to_string(), &text],
            )
            .await
            .map(drop);
        done();
        result
    }

    /// Every recorded outcome of the job.
    pub(crate) async fn answered(&self) -> Result<BTreeMap<String, Outcome>, String> {
        let i = &self.inner;
        let mut c = i.conn.get().await.map_err(Failure::reason)?;
        let mut cmd = redis::cmd("HVALS");
        cmd.arg(&i.keys.outcomes);
        let all = cmd.query_async::<Vec<String>>(&mut c);
        let all = match tokio::time::timeout(COMMAND_TIMEOUT * 5, all).await {
            Ok(Ok(all)) => all,
            Ok(Err(e)) => return Err(Failure::of("HVALS", &e).reason()),
            Err(_) => return Err("no answer in time reading the outcomes".into()),
        };
        let mut answered = BTreeMap::new();
        for text in all {
            let chunk: Vec<(String, Outcome)> =
                serde_json::from_str(&text).map_err(|e| format!("an unreadable outcome: {e}"))?;
            answered.extend(chunk);
        }
        Ok(answered)
    }

    /// Ends this process's part: its liveness key goes, so what it claimed and never finished
    /// is taken over at once rather than after the time to live.
    pub(crate) async fn finish(self) {
        self.renew.abort();
        if let Ok(mut c) = self.inner.conn.get().await {
            let mut cmd = redis::cmd("DEL");
            cmd.arg(&self.inner.owner_key);
            let del = cmd.query_async::<i64>(&mut c);
            let _ = tokio::time::timeout(COMMAND_TIMEOUT, del).await;
        }
    }
}

impl Drop for RedisWriter {
    fn drop(&mut self) {
        self.renew.abort();
    }
}

#[cfg(test)]
#[path = "fan_out_journal_redis_tests.rs"]
mod tests;
