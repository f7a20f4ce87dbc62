//! The only file-system operations codegen performs on the tree. Each works on a `/`-separated
//! path relative to the root, never goes through a symbolic link (every component is looked at
//! with `symlink_metadata`) and writes or deletes only regular files, so a broken or hostile
//! manifest or tree cannot make it touch anything outside the generated folders.
//!
//! Checks and the operations that follow them are separate system calls: a tree changed
//! concurrently by another process is not defended against.

use std::fs::{self, FileType};
use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

/// Names the temporary files of atomic writes; a run killed mid-write leaves one behind, which
/// the next run deletes as stale (see `tree::scan`).
pub const TEMP_PREFIX: &str = ".codegen-tmp-";

/// What lies at a path, reached without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Nothing,
    File,
    Folder,
}

/// Accepts only a plain relative path: `/`-separated names, no root, drive, `..`, `.` or empty
/// part. Anything else could name a file outside the folder it is joined to, or name a
/// generated file under a second spelling that then looks stale.
pub fn check_relative(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("an empty path".into());
    }
    if path.starts_with('/') || Path::new(path).is_absolute() {
        return Err("an absolute path".into());
    }
    for part in path.split('/') {
        match part {
            "" => return Err("an empty path component (`//` or a trailing `/`)".into()),
            "." => return Err("a `.` component".into()),
            ".." => return Err("a `..` component, which climbs out of its folder".into()),
            p if p.contains('\\') => return Err("a `\\` (paths use `/`)".into()),
            _ => {}
        }
    }
    if !Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err("not a plain relative path".into());
    }
    Ok(())
}

/// Why a path cannot be used: the component in the way (relative to the root) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub at: String,
    pub why: String,
    pub is_link: bool,
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.why)
    }
}

/// Looks at `root/rel` one component at a time, following no link. Every component but the
/// last must be a real folder; the last must be missing, a regular file or a real folder.
/// `rel` must have passed [`check_relative`].
pub fn inspect(root: &Path, rel: &str) -> Result<Found, Blocked> {
    let parts: Vec<&str> = rel.split('/').collect();
    let mut path = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let blocked = |why: String, is_link| Blocked {
            at: parts[..=i].join("/"),
            why,
            is_link,
        };
        let kind = match fs::symlink_metadata(&path) {
            Ok(meta) => meta.file_type(),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Found::Nothing),
            Err(e) => return Err(blocked(format!("cannot be inspected: {e}"), false)),
        };
        let last = i + 1 == parts.len();
        if kind.is_symlink() {
            return Err(blocked("a symbolic link".into(), true));
        } else if kind.is_dir() && last {
            return Ok(Found::Folder);
        } else if kind.is_file() && last {
            return Ok(Found::File);
        } else if !kind.is_dir() {
            let wanted = if last { "a regular file" } else { "a folder" };
            return Err(blocked(format!("{}, not {wanted}", describe(kind)), false));
        }
    }
    Ok(Found::Nothing)
}

/// A file type in words, for messages.
pub fn describe(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// The contents of `root/rel` when it is a regular file reached without a link.
pub fn read(root: &Path, rel: &str) -> Option<String> {
    match inspect(root, rel) {
        Ok(Found::File) => fs::read_to_string(root.join(rel)).ok(),
        _ => None,
    }
}

/// Makes a write durable. `fsync` on the written file before the rename, so the name never
/// points at contents still only in the page cache (a power cut could otherwise leave the new
/// name on an empty file), and on the folder after it, so the rename itself is on disk.
pub trait Durability {
    fn sync_file(&mut self, file: &fs::File, path: &Path) -> std::io::Result<()>;
    fn sync_folder(&mut self, folder: &Path) -> std::io::Result<()>;
}

/// The real thing: `fsync` (`File::sync_all`) of the file, then of the folder.
pub struct Fsync;

impl Durability for Fsync {
    fn sync_file(&mut self, file: &fs::File, _path: &Path) -> std::io::Result<()> {
        file.sync_all()
    }

    fn sync_folder(&mut self, folder: &Path) -> std::io::Result<()> {
        sync_folder(folder)
    }
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    fs::File::open(folder)?.sync_all()
}

/// Windows cannot open a folder as a file; its renames are journaled by NTFS.
#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Replaces `root/rel` whole: the contents go to a temporary file in the same folder, synced to
/// disk by `durability`, which is then renamed over the target, and the folder is synced: a
/// killed run or a power cut leaves either the old or the new file, never a truncated one. One
/// file of [`write_all_atomic`], which the command uses; the tests record its syncs.
#[cfg(test)]
pub fn write_atomic_with(
    root: &Path,
    rel: &str,
    contents: &str,
    durability: &mut dyn Durability,
) -> Result<(), String> {
    let parent = replace(root, rel, contents, durability)?;
    sync_folder_of(rel, &parent, durability)
}

/// Replaces each `(rel, contents)` in order as `write_atomic_with` does, but syncs each folder once,
/// after the last rename into it, instead of after every file: a folder's sync makes every
/// rename done in it durable, and a run writing hundreds of files into a few folders would
/// otherwise sync those folders hundreds of times. On an error, how many files were replaced
/// (and are not yet known to be on disk if the error is a folder's sync) and the message.
pub fn write_all_atomic(
    root: &Path,
    files: &[(&str, &str)],
    durability: &mut dyn Durability,
) -> Result<(), (usize, String)> {
    let mut folders: Vec<(PathBuf, &str)> = Vec::new();
    for (i, (rel, contents)) in files.iter().enumerate() {
        let parent = replace(root, rel, contents, durability).map_err(|e| (i, e))?;
        if !folders.iter().any(|(p, _)| *p == parent) {
            folders.push((parent, rel));
        }
    }
    for (parent, rel) in &folders {
        sync_folder_of(rel, parent, durability).map_err(|e| (files.len(), e))?;
    }
    Ok(())
}

/// Writes `contents` to a temporary file beside `root/rel`, syncs it and renames it over the
/// target; returns the folder, whose sync is the caller's.
fn replace(
    root: &Path,
    rel: &str,
    contents: &str,
    durability: &mut dyn Durability,
) -> Result<PathBuf, String> {
    match inspect(root, rel).map_err(|b| b.to_string())? {
        Found::Nothing | Found::File => {}
        Found::Folder => return Err(format!("{rel}: a folder, not a regular file")),
    }
    let parent = create_parents(root, rel)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    // tempfile's default is 0600; a generated file gets the mode `fs::write` would give it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(&parent).map_err(|e| {
        format!(
            "cannot create a temporary file in {}: {e}",
            parent.display()
        )
    })?;
    tmp.write_all(contents.as_bytes())
        .map_err(|e| format!("cannot write {rel}: {e}"))?;
    let tmp_path = tmp.path().to_path_buf();
    durability
        .sync_file(tmp.as_file(), &tmp_path)
        .map_err(|e| format!("cannot sync {rel} to disk: {e}"))?;
    tmp.persist(root.join(rel))
        .map_err(|e| format!("cannot replace {rel}: {}", e.error))?;
    Ok(parent)
}

fn sync_folder_of(rel: &str, parent: &Path, durability: &mut dyn Durability) -> Result<(), String> {
    durability
        .sync_folder(parent)
        .map_err(|e| format!("cannot sync the folder of {rel} to disk: {e}"))
}

/// Creates the missing folders above `root/rel` one at a time, refusing anything on the way
/// that is not a real folder (`create_dir_all` would follow a link); returns the parent.
fn create_parents(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts[..parts.len() - 1].iter().enumerate() {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) => {
                let shown = parts[..=i].join("/");
                return Err(format!(
                    "{shown}: {}, not a folder",
                    describe(meta.file_type())
                ));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => fs::create_dir(&path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?,
            Err(e) => return Err(format!("cannot inspect {}: {e}", path.display())),
        }
    }
    Ok(path)
}

/// Deletes `root/rel` if it is a regular file reached without a link; already gone is fine.
pub fn remove(root: &Path, rel: &str) -> Result<(), String> {
    match inspect(root, rel).map_err(|b| b.to_string())? {
        Found::Nothing => Ok(()),
        Found::File => {
            fs::remove_file(root.join(rel)).map_err(|e| format!("cannot delete {rel}: {e}"))
        }
        Found::Folder => Err(format!("{rel}: a folder, not a regular file")),
    }
}

#[cfg(test)]
#[path = "safe_fs_tests.rs"]
mod tests;
