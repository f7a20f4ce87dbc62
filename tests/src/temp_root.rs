//! Temporary workspaces for tests that run `cargo xtask codegen` on something other than the
//! real tree: a copy of the spec plus the output generated from it.

use std::fs;
use std::path::Path;

/// Runs `cargo xtask <args>` in-process; returns the exit code, stdout and stderr.
pub fn run_xtask(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// Copies a folder of regular files and folders.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Fills `root` with a copy of the real spec's page-written endpoints (every construct the
/// format has; see [`crate::spec_edit::copy_page_endpoints`]) and the output generated from it.
/// The tests that use it are about how codegen writes, refuses and repairs files, which does not
/// change with the number of files; each file written costs an `fsync`, and the whole spec's 565
/// files made these tests take minutes.
pub fn generate_into(root: &Path) {
    crate::spec_edit::copy_page_endpoints(
        &xtask::workspace_root().join("spec"),
        &root.join("spec"),
    );
    let (code, _, err) = run_xtask(&["codegen", "--root", root.to_str().unwrap()]);
    assert_eq!(code, 0, "generation into a temp root failed: {err}");
}

/// A temporary folder for a generated workspace, in memory (`/dev/shm`) where the machine has
/// one, else in the system's temp folder. Codegen `fsync`s every file it writes; on a disk an
/// `fsync` can wait seconds behind the gigabytes a parallel build writes, while these tests are
/// about what a run leaves (old or new files, refusals), which does not depend on the disk.
pub fn scratch_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::Builder::new()
            .prefix("yunxin-codegen-")
            .tempdir_in(shm)
        {
            return dir;
        }
    }
    tempfile::tempdir().expect("a temporary folder")
}
