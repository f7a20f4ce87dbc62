//! Finding the workspace at run time.
//!
//! The root used to be `env!("CARGO_MANIFEST_DIR")`, fixed at build time. Cargo's fingerprint of
//! a workspace member does not depend on where the workspace lies, so with one target dir shared
//! by two clones (a global `build.target-dir`, sccache) clone B ran the binary built for clone A
//! and read and wrote clone A. Nothing here may depend on where the binary was built.

use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root: searched upward from `CARGO_MANIFEST_DIR` as set at run time (cargo sets it
/// for `cargo run`, so `cargo xtask` finds the clone it runs in; it is the tests package for
/// `cargo test`), else from the current directory.
pub fn find_workspace_root() -> Result<PathBuf, String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let cwd = std::env::current_dir().ok();
    manifest_dir
        .iter()
        .chain(cwd.iter())
        .find_map(|start| search_upward(start))
        .ok_or_else(|| {
            format!(
                "cannot find the workspace: no folder above {} has a Cargo.toml with a [workspace] table and an xtask/ member; run from inside the workspace or pass --root",
                cwd.as_deref().unwrap_or(Path::new("the current directory")).display()
            )
        })
}

/// The nearest folder at or above `start` that is this kind of workspace.
fn search_upward(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_workspace_root(dir))
        .map(Path::to_path_buf)
}

/// A `Cargo.toml` with a `[workspace]` table beside an `xtask` package: a member crate's
/// manifest has no `[workspace]`, and another project's workspace has no `xtask/`.
fn is_workspace_root(dir: &Path) -> bool {
    let Ok(manifest) = fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    manifest.lines().any(|l| l.trim() == "[workspace]") && dir.join("xtask/Cargo.toml").is_file()
}
