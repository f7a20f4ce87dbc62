//! Writing a run's changes: every changed file replaced atomically, then stale files deleted.
//! When an I/O error stops the run part-way, the message says which files were replaced and
//! which were not, so the tree's state is known without guessing.

use std::path::Path;

use codegen::emit::{GeneratedFile, REGENERATE_COMMAND};

use super::safe_fs;

/// What a successful run did.
pub struct Applied {
    pub written: usize,
    pub deleted: usize,
}

/// Replaces each of `changed` in order, then deletes each of `stale`. Both lists must have been
/// checked by `tree::scan`; each operation checks its path again.
pub fn apply(root: &Path, changed: &[&GeneratedFile], stale: &[String]) -> Result<Applied, String> {
    let files: Vec<(&str, &str)> = changed
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    if let Err((i, e)) = safe_fs::write_all_atomic(root, &files, &mut safe_fs::Fsync) {
        let done: Vec<&str> = changed[..i].iter().map(|f| f.path.as_str()).collect();
        let left: Vec<&str> = changed[i..].iter().map(|f| f.path.as_str()).collect();
        let stale: Vec<&str> = stale.iter().map(String::as_str).collect();
        return Err(stopped(
            &e,
            &[
                ("replaced with the new contents", &done),
                ("not replaced (old contents)", &left),
                ("stale, not deleted", &stale),
            ],
        ));
    }
    for (i, s) in stale.iter().enumerate() {
        if let Err(e) = safe_fs::remove(root, s) {
            let all: Vec<&str> = changed.iter().map(|f| f.path.as_str()).collect();
            let done: Vec<&str> = stale[..i].iter().map(String::as_str).collect();
            let left: Vec<&str> = stale[i..].iter().map(String::as_str).collect();
            return Err(stopped(
                &e,
                &[
                    ("replaced with the new contents", &all),
                    ("stale, deleted", &done),
                    ("stale, not deleted", &left),
                ],
            ));
        }
    }
    Ok(Applied {
        written: changed.len(),
        deleted: stale.len(),
    })
}

/// The error, then each non-empty group of files, one per line.
fn stopped(error: &str, groups: &[(&str, &Vec<&str>)]) -> String {
    let mut message =
        format!("{error}\nstopped part-way; every file is either wholly replaced or untouched:\n");
    for (label, paths) in groups.iter().filter(|(_, p)| !p.is_empty()) {
        message.push_str(&format!("  {label} ({}):\n", paths.len()));
        for p in paths.iter() {
            message.push_str(&format!("    {p}\n"));
        }
    }
    message.push_str(&format!(
        "fix the cause and run `{REGENERATE_COMMAND}` again"
    ));
    message
}
