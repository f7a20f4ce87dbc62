//! The file journal's writer: each record one line, on disk before the run goes on.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use super::fan_out::{FanOutRequest, Outcome};
use super::fan_out_journal::Record;

/// Appends records to an open journal, each flushed to disk before the call returns.
pub(crate) struct JournalWriter {
    pub(crate) file: Mutex<File>,
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

pub(crate) fn line(record: &Record) -> String {
    let mut text = serde_json::to_string(record).expect("journal records serialize");
    text.push('\n');
    text
}

/// One record as one `write` and an `fsync` of the data: on disk before the run goes on.
pub(crate) fn append(file: &mut File, record: &Record) -> io::Result<()> {
    file.write_all(line(record).as_bytes())?;
    file.sync_data()
}

/// Makes a file's creation, rename or removal durable (no-op where folders cannot be synced).
pub(crate) fn sync_parent(path: &Path) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match File::open(parent).and_then(|dir| dir.sync_all()) {
        Err(e) if cfg!(unix) => Err(e),
        _ => Ok(()),
    }
}
