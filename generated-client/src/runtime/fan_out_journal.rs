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
use sha1::{Digest, Sha1};

use super::fan_out::{FanOutRequest, Outcome};
pub use super::fan_out_journal_error::JournalError;

/// The journal format's version, in the header: a journal of another version is refused.
const VERSION: u32 = 1;

/// Where a resumable fan-out keeps its journal; see [`FanOut::journal`](super::fan_out::FanOut::journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    path: PathBuf,
}

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Record {
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

/// The job a run is for: the header a journal must carry.
pub(crate) struct JobHeader {
    pub job: String,
    pub endpoint: &'static str,
    pub digest: String,
    pub recipients: usize,
}

impl JobHeader {
    /// The header of `job` sending `template` to `distinct` (the recipients, repeats dropped):
    /// the digest covers the endpoint, the template without its recipients and trace id (a new
    /// one per process), and the set of recipients, whatever their order.
    pub fn new<R: FanOutRequest>(job: &str, template: &R, distinct: &[String]) -> Self {
        let mut hasher = Sha1::new();
        hasher.update(R::ENDPOINT.name.as_bytes());
        hasher.update(b"\n");
        let bare = template.with_recipients(Vec::new());
        let mut value = serde_json::to_value(&bare).unwrap_or(Value::Null);
        if let (Some(trace_id), Some(fields)) = (bare.trace_id(), value.as_object_mut()) {
            fields.retain(|_, v| v.as_str() != Some(trace_id));
        }
        hasher.update(value.to_string().as_bytes());
        hasher.update(b"\n");
        let mut sorted: Vec<&String> = distinct.iter().collect();
        sorted.sort_unstable();
        for r in sorted {
            hasher.update(r.as_bytes());
            hasher.update(b"\n");
        }
        let digest = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        JobHeader {
            job: job.to_owned(),
            endpoint: R::ENDPOINT.name,
            digest,
            recipients: distinct.len(),
        }
    }
}

impl Journal {
    /// A journal in the local file at `path` (created on first use).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Journal { path: path.into() }
    }

    /// A journal from a location as configured: a file path. A `redis://` or `rediss://` URL is
    /// refused with [`JournalError::Unsupported`]: only file journals exist so far.
    pub fn parse(location: &str) -> Result<Self, JournalError> {
        if location.starts_with("redis://") || location.starts_with("rediss://") {
            return Err(JournalError::Unsupported {
                location: "redis://…".into(),
            });
        }
        Ok(Journal::file(location))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: io::Error) -> JournalError {
        JournalError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Rewrites the journal of a job into its header, one record of every answered recipient,
    /// and the chunks still pending (kept, so a later run still treats them by the rules).
    /// Atomic (a new file renamed over the old); never run it while a run uses the journal.
    pub fn compact(&self) -> Result<(), JournalError> {
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
        let tmp = self.path.with_extension("compacting");
        let write = || -> io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            sync_parent(&self.path)
        };
        write().map_err(|e| self.io(e))
    }

    /// Removes the journal of a finished job (nothing if there is none).
    pub fn remove(&self) -> Result<(), JournalError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => sync_parent(&self.path).map_err(|e| self.io(e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io(e)),
        }
    }

    /// Reads the journal: `None` when there is none yet (or only a torn header). A torn last
    /// line is cut off the file here, so the next record starts on a line of its own.
    fn read(&self) -> Result<Option<Contents>, JournalError> {
        let mut file = match OpenOptions::new().read(true).write(true).open(&self.path) {
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
                path: self.path.clone(),
                line: i + 1,
                reason: e.to_string(),
            })?;
            if (i == 0) != matches!(record, Record::Job { .. }) {
                return Err(JournalError::Corrupt {
                    path: self.path.clone(),
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
        let contents = self.read()?;
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| self.io(e))?;
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
                sync_parent(&self.path).map_err(|e| self.io(e))?;
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
                    path: self.path.clone(),
                    expected: header.job.clone(),
                    found: job,
                });
            }
            if version != VERSION || endpoint != header.endpoint || digest != header.digest {
                return Err(JournalError::OtherRecipients {
                    path: self.path.clone(),
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
                        path: self.path.clone(),
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

/// Appends records to an open journal, each flushed to disk before the call returns.
pub(crate) struct JournalWriter {
    file: Mutex<File>,
}

impl JournalWriter {
    /// Records that `request` is about to go to `recipients`.
    pub fn intent<R: FanOutRequest>(
        &self,
        chunk: u64,
        recipients: &[String],
        request: &R,
    ) -> io::Result<()> {
        let request = serde_json::to_value(request).map_err(io::Error::other)?;
        self.write(&Record::Intent {
            chunk,
            recipients: recipients.to_vec(),
            request,
        })
    }

    /// Records that the chunk's intent is void: nothing of it reached the server.
    pub fn release(&self, chunk: u64) -> io::Result<()> {
        self.write(&Record::Release { chunk })
    }

    /// Records what became of the chunk's recipients; outcomes of `NotAttempted` release it.
    pub fn outcome(&self, chunk: u64, outcomes: &[(String, Outcome)]) -> io::Result<()> {
        if outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::NotAttempted { .. }))
        {
            return self.release(chunk);
        }
        self.write(&Record::Outcome {
            chunk,
            outcomes: outcomes.to_vec(),
        })
    }

    fn write(&self, record: &Record) -> io::Result<()> {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        append(&mut file, record)
    }
}

fn line(record: &Record) -> String {
    let mut text = serde_json::to_string(record).expect("journal records serialize");
    text.push('\n');
    text
}

/// One record as one `write` and an `fsync` of the data: on disk before the run goes on.
fn append(file: &mut File, record: &Record) -> io::Result<()> {
    file.write_all(line(record).as_bytes())?;
    file.sync_data()
}

/// Makes a file's creation, rename or removal durable (no-op where folders cannot be synced).
fn sync_parent(path: &Path) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match File::open(parent).and_then(|dir| dir.sync_all()) {
        Err(e) if cfg!(unix) => Err(e),
        _ => Ok(()),
    }
}
