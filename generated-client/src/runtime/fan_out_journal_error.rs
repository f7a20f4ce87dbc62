//! What can go wrong with a fan-out's journal.

use std::io;
use std::path::PathBuf;

/// Why a journal could not be opened, written, compacted or removed.
#[derive(Debug)]
#[non_exhaustive]
pub enum JournalError {
    /// Reading or writing the journal failed.
    Io {
        /// The journal's file.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
    /// The journal belongs to another job: it is never mixed with this one.
    OtherJob {
        /// The journal: its file, or a Redis journal's masked URL.
        path: PathBuf,
        /// The job this run was given.
        expected: String,
        /// The job the journal records.
        found: String,
    },
    /// The journal was written for the same job id but other recipients, another template or
    /// another endpoint (their digest differs), or, in Redis, another chunk size: resuming from
    /// it would account for the wrong run.
    OtherRecipients {
        /// The journal: its file, or a Redis journal's masked URL.
        path: PathBuf,
        /// The job.
        job: String,
    },
    /// A line other than the last cannot be read, or the journal does not start with its header.
    Corrupt {
        /// The journal.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// Why.
        reason: String,
    },
    /// The location names a journal kind this build does not have: `redis://` without the
    /// `redis` feature.
    Unsupported {
        /// What was asked for: its scheme only (the rest may hold a password).
        location: String,
    },
    /// A Redis journal's URL is not one, its Redis refused (authentication, permissions, no
    /// scripting: a configuration error) or could not be reached when the run started, or
    /// Redis failed while the account was read.
    Redis {
        /// The URL with its user and password masked.
        url: String,
        /// Why.
        reason: String,
    },
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalError::Io { path, source } => {
                write!(f, "fan-out journal {}: {source}", path.display())
            }
            JournalError::OtherJob {
                path,
                expected,
                found,
            } => write!(
                f,
                "fan-out journal {} belongs to job {found:?}, not {expected:?}: refused, never mixed",
                path.display()
            ),
            JournalError::OtherRecipients { path, job } => write!(
                f,
                "fan-out journal {} of job {job:?} was written for other recipients or another \
                 template: refused, never mixed (use a new job id, or remove the journal)",
                path.display()
            ),
            JournalError::Corrupt { path, line, reason } => write!(
                f,
                "fan-out journal {} is corrupt at line {line}: {reason}",
                path.display()
            ),
            JournalError::Unsupported { location } => write!(
                f,
                "fan-out journal {location:?}: a Redis journal needs yunxin-im's `redis` feature"
            ),
            JournalError::Redis { url, reason } => {
                write!(f, "fan-out journal {url}: {reason}")
            }
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JournalError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
