//! Copies the `spec/` folder of a git revision into a temporary folder, with plain git commands
//! run from the workspace root.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A temporary folder holding an exported spec; removed when dropped.
#[derive(Debug)]
pub(super) struct TempSpec {
    path: PathBuf,
}

impl TempSpec {
    /// A new empty folder under the system's temporary folder, named uniquely per call.
    fn create() -> Result<TempSpec, String> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let name = format!(
            "xtask-spec-diff-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        fs::create_dir(&path)
            .map_err(|e| format!("cannot create the temporary folder {}: {e}", path.display()))?;
        Ok(TempSpec { path })
    }

    /// The folder, which holds `api.yaml`, `types.yaml` and `endpoints/`.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempSpec {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Runs git in `root`; returns stdout, or an error with git's own message.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        ))
    }
}

/// Writes the `spec/` folder of revision `rev` of the repository at `root` into a temporary folder.
pub(super) fn export_spec(root: &Path, rev: &str) -> Result<TempSpec, String> {
    // Where the workspace sits inside the repository: `` at its top.
    let prefix = git(root, &["rev-parse", "--show-prefix"]).map_err(|e| {
        format!(
            "cannot read git revision `{rev}`: {} is not in a git work tree ({e})",
            root.display()
        )
    })?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_owned();
    let not_found = || format!("git revision `{rev}` not found");
    // A leading dash would be read as an option.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(not_found());
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| not_found())?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--full-name",
            "--name-only",
            &commit,
            "--",
            "spec",
        ],
    )?;
    let listing = String::from_utf8_lossy(&listing).into_owned();
    let base = format!("{prefix}spec/");
    let files: Vec<(&str, &str)> = listing
        .split('\0')
        .filter_map(|full| full.strip_prefix(&base).map(|relative| (full, relative)))
        .collect();
    if files.is_empty() {
        return Err(format!("git revision `{rev}` has no spec/ folder"));
    }
    let temp = TempSpec::create()?;
    for (full, relative) in files {
        let bytes = git(root, &["cat-file", "blob", &format!("{commit}:{full}")])?;
        let dest = temp.path.join(relative);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&dest, bytes).map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
    }
    Ok(temp)
}
