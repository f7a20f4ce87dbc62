//! Reads one spec file defensively: regular files only, bounded size, UTF-8 without a BOM.
//! Every refusal has a line and column, like any other spec problem.
//!
//! Symlinks are followed, and the file they lead to is held to the same rules: a spec folder may
//! be assembled from links, but a link to a device, a FIFO or a folder is refused like the thing
//! itself, before anything is opened.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use crate::limits::MAX_FILE_BYTES;

/// Why a file was not read, and where in it (1:1 when the file as a whole is at fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub position: (usize, usize),
    pub message: String,
}

fn whole(message: String) -> ReadError {
    ReadError {
        position: (1, 1),
        message,
    }
}

/// The text of the spec file at `path`.
pub fn read_spec_file(path: &Path) -> Result<String, ReadError> {
    // Metadata first: opening a FIFO for reading would block until a writer appears.
    let meta = fs::metadata(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(whole(format!(
            "cannot read: {}, not a regular file",
            kind(&meta.file_type())
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(&meta.len().to_string()));
    }
    let file = File::open(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    // `take` bounds the read even if the file grew or was swapped since the check above.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| whole(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big("more than that"));
    }
    decode(bytes)
}

fn too_big(size: &str) -> ReadError {
    whole(format!(
        "spec files may have at most {MAX_FILE_BYTES} bytes; this one has {size}"
    ))
}

/// UTF-8 without a byte-order mark, or the position of the first offending byte.
fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(whole(
            "the file starts with a byte-order mark; save it as UTF-8 without one".into(),
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        // The prefix is valid UTF-8, so lines and columns count characters as editors do.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let line = valid.matches('\n').count() + 1;
        let col = valid[line_start..].chars().count() + 1;
        let byte = err.as_bytes()[valid.len()];
        ReadError {
            position: (line, col),
            message: format!("invalid UTF-8 (byte 0x{byte:02X}); spec files are UTF-8"),
        }
    })
}

fn kind(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}
