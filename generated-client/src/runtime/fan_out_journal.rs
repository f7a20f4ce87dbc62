//! The journal of a resumable fan-out: each chunk's intent (its recipients and the exact request,
//! v2 trace id included) written and flushed to disk before the chunk is sent, its outcome after,
//! so that a run killed at any point can be started again without sending twice what was
//! answered, and with an account of every recipient.
//!
//! The file is append-only lines of JSON: a header naming the job, the endpoint and a digest of
//! the recipients and template, then `intent`, `outcome` and `release` records. Each record is
//! `fsync`ed before the run goes on; a torn last line (a crash mid-write) is cut off when the
//! journal is opened again, since the record it held was never acted on.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fan_out::{FanOutRequest, Outcome};
pub use super::fan_out_journal_error::JournalError;
pub(crate) use super::fan_out_journal_header::JobHeader;
#[cfg(feature = "redis")]
use super::fan_out_journal_redis::RedisJournal;
pub(crate) use super::fan_out_journal_writer::JournalWriter;
use super::fan_out_journal_writer::{append, line, sync_parent};

/// The journal format's version, in the header: a journal of another version is refused.
pub(crate) const VERSION: u32 = 1;

/// Where a resumable fan-out keeps its journal; see [`FanOut::journal`](super::fan_out::FanOut::journal).
///
/// A file ([`Journal::file`]) serves one process at a time (a second one is refused by an
/// advisory lock where the system has them). Redis (`Journal::redis`, the `redis` feature) is
/// shared by every process running the job: they split its chunks between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub(crate) kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    File(PathBuf),
    #[cfg(feature = "redis")]
    Redis(RedisJournal),
}

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Record {
    /// The first line: whose journal this is.
    Job {
        version: u32,
        job: String,
        endpoint: String,
        digest: String,
        recipients: usize,
    },
    /// About to send `request` (the exact value, v2 trace id included) to `recipients`.
    Intent {
        chunk: u64,
        recipients: Vec<String>,
        request: Value,
    },
    /// What became of the chunk's recipients.
    Outcome {
        chunk: u64,
        outcomes: Vec<(String, Outcome)>,
    },
    /// The chunk was never sent (cancelled or stopped first): its intent is void.
    Release { chunk: u64 },
    /// What [`Journal::compact`] keeps of the answered chunks.
    Compacted { outcomes: Vec<(String, Outcome)> },
}

/// A chunk whose intent was written but whose outcome was not: it may have reached the server.
pub(crate) struct Pending<R> {
    pub chunk: u64,
    pub recipients: Vec<String>,
    pub request: R,
}

/// What an earlier run of the job left.
pub(crate) struct Resumed<R> {
    pub answered: BTreeMap<String, Outcome>,
    pub pending: Vec<Pending<R>>,
    /// The first chunk number not used yet.
    pub next_chunk: u64,
}

/// Everything the journal records of a job, in order; the header checked.
struct Contents {
    records: Vec<Record>,
}

impl Journal {
    /// A journal in the local file at `path` (created on first use).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Journal {
            kind: Kind::File(path.into()),
        }
    }

    /// A journal from a location as configured: a `redis://` or `rediss://` URL gives
    /// `Journal::redis` (without the `redis` feature it is refused with
    /// [`JournalError::Unsupported`], naming the feature), anything else a file path.
    pub fn parse(location: &str) -> Result<Self, JournalError> {
        if location.starts_with("redis://") || location.starts_with("rediss://") {
            #[cfg(feature = "redis")]
            return Journal::redis(location);
            #[cfg(not(feature = "redis"))]
            return Err(JournalError::Unsupported {
                location: location.split("://").next().unwrap_or("redis").to_owned() + "://…",
            });
        }
        Ok(Journal::file(location))
    }

    /// A journal in the Redis at `url` (`redis://[:password@]host[:port][/db]`; `rediss://`
    /// needs a TLS feature of the `redis` crate), shared by every process running the job: they
    /// split its chunks, and one that dies leaves its chunks to the others (see
    /// [`Self::owner_ttl`]). Refused when `url` is not a Redis URL; Redis itself is reached when
    /// a run starts. The URL shows only masked (`redis://:****@host:6379/0`).
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis(url: &str) -> Result<Self, JournalError> {
        Ok(Journal {
            kind: Kind::Redis(RedisJournal::new(url)?),
        })
    }

    /// For a Redis journal: how long a process's claim on a chunk outlives its last sign of
    /// life (renewed every quarter of it) before another process takes the chunk over (default
    /// 10 s). Shorter takes over sooner after a crash; too short takes over from a process that
    /// is only slow (which then sends nothing of the chunk it lost). No effect on a file.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn owner_ttl(mut self, ttl: std::time::Duration) -> Self {
        if let Kind::Redis(redis) = &mut self.kind {
            redis.owner_ttl = ttl.max(std::time::Duration::from_millis(4));
        }
        self
    }

    /// Where the journal is, as it may be shown: the file, or the masked Redis URL.
    pub fn location(&self) -> String {
        match &self.kind {
            Kind::File(path) => path.display().to_string(),
            #[cfg(feature = "redis")]
            Kind::Redis(redis) => redis.shown().to_owned(),
        }
    }

    /// The file, for a file journal.
    pub fn path(&self) -> Option<&Path> {
        match &self.kind {
            Kind::File(path) => Some(path),
            #[cfg(feature = "redis")]
            Kind::Redis(_) => None,
        }
    }

    /// The file (`None` for Redis), for the file-only steps below.
    fn file_path(&self) -> Result<&Path, JournalError> {
        match &self.kind {
            Kind::File(path) => Ok(path),
            #[cfg(feature = "redis")]
            Kind::Redis(redis) => Err(redis
                .error("a Redis journal is compacted or removed with compact_job / remove_job")),
        }
    }

    fn io(&self, source: io::Error) -> JournalError {
        JournalError::Io {
            path: self.path().unwrap_or(Path::new("")).to_path_buf(),
            source,
        }
    }

    /// [`Self::compact`] for either kind, once job `job` is finished: a file journal of another
    /// job is refused; a Redis journal keeps the job's outcomes and pending chunks and drops its
    /// bookkeeping. Never while a run of the job is going on.
    pub async fn compact_job(&self, job: &str) -> Result<(), JournalError> {
        match &self.kind {
            Kind::File(_) => {
                self.check_job(job)?;
                self.compact()
            }
            #[cfg(feature = "redis")]
            Kind::Redis(redis) => redis.compact(job).await,
        }
    }

    /// [`Self::remove`] for either kind: deletes job `job`'s journal (a file journal of another
    /// job is refused).
    pub async fn remove_job(&self, job: &str) -> Result<(), JournalError> {
        match &self.kind {
            Kind::File(_) => {
                self.check_job(job)?;
                self.remove()
            }
            #[cfg(feature = "redis")]
            Kind::Redis(redis) => redis.remove(job).await,
        }
    }

    fn check_job(&self, expected: &str) -> Result<(), JournalError> {
        match self.read()?.and_then(|c| c.records.into_iter().next()) {
            Some(Record::Job { job, .. }) if job != expected => Err(JournalError::OtherJob {
                path: self.file_path()?.to_path_buf(),
                expected: expected.to_owned(),
                found: job,
            }),
            _ => Ok(()),
        }
    }

    /// Rewrites the journal of a job into its header, one record of every answered recipient,
    /// and the chunks still pending (kept, so a later run still treats them by the rules).
    /// Atomic (a new file renamed over the old); never run it while a run uses the journal.
    pub fn compact(&self) -> Result<(), JournalError> {
        let path = self.file_path()?;
        let contents = self
            .read()?
            .ok_or_else(|| self.io(io::ErrorKind::NotFound.into()))?;
        let mut records = contents.records.into_iter();
        let header = records.next().expect("read checks the header");
        let mut answered = BTreeMap::new();
        let mut intents = BTreeMap::new();
        for record in records {
            match record {
                Record::Intent { chunk, .. } => {
                    intents.insert(chunk, record);
                }
                Record::Outcome { chunk, outcomes } => {
                    intents.remove(&chunk);
                    answered.extend(outcomes);
                }
                Record::Release { chunk } => {
                    intents.remove(&chunk);
                }
                Record::Compacted { outcomes } => answered.extend(outcomes),
                Record::Job { .. } => {}
            }
        }
        let mut text = line(&header);
        text.push_str(&line(&Record::Compacted {
            outcomes: answered.into_iter().collect(),
        }));
        intents.values().for_each(|r| text.push_str(&line(r)));
        let tmp = path.with_extension("compacting");
        let write = || -> io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, path)?;
            sync_parent(path)
        };
        write().map_err(|e| self.io(e))
    }

    /// Removes the journal of a finished job (nothing if there is none).
    pub fn remove(&self) -> Result<(), JournalError> {
        let path = self.file_path()?;
        match std::fs::remove_file(path) {
            Ok(()) => sync_parent(path).map_err(|e| self.io(e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io(e)),
        }
    }

    /// Reads the journal: `None` when there is none yet (or only a torn header). A torn last
    /// line is cut off the file here, so the next record starts on a line of its own.
    fn read(&self) -> Result<Option<Contents>, JournalError> {
        let path = self.file_path()?;
        let mut file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| self.io(e))?;
        let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if whole < bytes.len() {
            file.set_len(whole as u64).map_err(|e| self.io(e))?;
            file.sync_all().map_err(|e| self.io(e))?;
        }
        let text = String::from_utf8_lossy(&bytes[..whole]);
        let mut records = Vec::new();
        for (i, text) in text.lines().enumerate() {
            let record: Record = serde_json::from_str(text).map_err(|e| JournalError::Corrupt {
                path: path.to_path_buf(),
                line: i + 1,
                reason: e.to_string(),
            })?;
            if (i == 0) != matches!(record, Record::Job { .. }) {
                return Err(JournalError::Corrupt {
                    path: path.to_path_buf(),
                    line: i + 1,
                    reason: "the header must be the first line, and only it".into(),
                });
            }
            records.push(record);
        }
        Ok((!records.is_empty()).then_some(Contents { records }))
    }

    /// Opens the journal for `header`'s job: what an earlier run left, and the writer. Refuses
    /// a journal of another job, version, endpoint, template or recipients.
    pub(crate) fn open<R: FanOutRequest>(
        &self,
        header: &JobHeader,
    ) -> Result<(JournalWriter, Resumed<R>), JournalError> {
        let path = self.file_path()?;
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| self.io(e))?;
        // Advisory, held until the writer is dropped (or the process dies): a second process on
        // the same file would number chunks of its own and mix the two runs.
        if let Err(e) = file.try_lock() {
            let source = match e {
                std::fs::TryLockError::WouldBlock => io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "another process is using this journal (one process per file journal; \
                     a Redis journal is shared)",
                ),
                std::fs::TryLockError::Error(e) => e,
            };
            return Err(self.io(source));
        }
        let contents = self.read()?;
        let resumed = match contents {
            Some(contents) => self.resume(header, contents)?,
            None => {
                // A torn header alone leaves an empty file, written afresh.
                file.set_len(0).map_err(|e| self.io(e))?;
                let record = Record::Job {
                    version: VERSION,
                    job: header.job.clone(),
                    endpoint: header.endpoint.to_owned(),
                    digest: header.digest.clone(),
                    recipients: header.recipients,
                };
                append(&mut file, &record).map_err(|e| self.io(e))?;
                sync_parent(path).map_err(|e| self.io(e))?;
                Resumed {
                    answered: BTreeMap::new(),
                    pending: Vec::new(),
                    next_chunk: 0,
                }
            }
        };
        let writer = JournalWriter {
            file: Mutex::new(file),
        };
        Ok((writer, resumed))
    }

    fn resume<R: FanOutRequest>(
        &self,
        header: &JobHeader,
        contents: Contents,
    ) -> Result<Resumed<R>, JournalError> {
        let path = self.file_path()?;
        let mut records = contents.records.into_iter();
        if let Some(Record::Job {
            version,
            job,
            endpoint,
            digest,
            ..
        }) = records.next()
        {
            if job != header.job {
                return Err(JournalError::OtherJob {
                    path: path.to_path_buf(),
                    expected: header.job.clone(),
                    found: job,
                });
            }
            if version != VERSION || endpoint != header.endpoint || digest != header.digest {
                return Err(JournalError::OtherRecipients {
                    path: path.to_path_buf(),
                    job,
                });
            }
        }
        let mut answered = BTreeMap::new();
        let mut intents: BTreeMap<u64, (Vec<String>, Value)> = BTreeMap::new();
        let mut next_chunk = 0;
        for record in records {
            match record {
                Record::Intent {
                    chunk,
                    recipients,
                    request,
                } => {
                    next_chunk = next_chunk.max(chunk + 1);
                    intents.insert(chunk, (recipients, request));
                }
                Record::Outcome { chunk, outcomes } => {
                    intents.remove(&chunk);
                    answered.extend(outcomes);
                }
                Record::Release { chunk } => {
                    intents.remove(&chunk);
                }
                Record::Compacted { outcomes } => answered.extend(outcomes),
                Record::Job { .. } => {}
            }
        }
        let pending = intents
            .into_iter()
            .map(|(chunk, (recipients, request))| {
                let request =
                    serde_json::from_value(request).map_err(|e| JournalError::Corrupt {
                        path: path.to_path_buf(),
                        line: 0,
                        reason: format!("chunk {chunk}'s request cannot be read back: {e}"),
                    })?;
                Ok(Pending {
                    chunk,
                    recipients,
                    request,
                })
            })
            .collect::<Result<_, JournalError>>()?;
        Ok(Resumed {
            answered,
            pending,
            next_chunk,
        })
    }
}
