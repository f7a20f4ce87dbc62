//! Two clones of the workspace sharing one target dir (a global `build.target-dir`, sccache).
//! Cargo's fingerprint of a workspace member does not depend on where the clone lies, so cargo
//! does not rebuild xtask for the second clone; a root fixed at build time then made
//! `cargo xtask` in clone B read and write clone A. The clones run the real `cargo xtask`.
//!
//! The shared target dir is this workspace's own: xtask and its dependencies are built there
//! already, and the clones are copies with their mtimes kept, so cargo reuses that build (as it
//! would for a real second clone) and the test takes seconds; a fresh target dir would rebuild
//! every dependency (a minute or more on 2 cores). xtask is built here first, so the clones,
//! whose sources are the same, find it fresh and write nothing into the target dir.

use std::fs;
use std::path::Path;

use yunxin_tests::child_cargo::cargo_in;
use yunxin_tests::xtask_bin::xtask_bin;

const DRIFTED: &str = "generated-client/src/generated/mod.rs";

/// Copies the workspace without `target/` and `.git`, keeping each file's mtime: a fresh mtime
/// would make cargo rebuild xtask, and the scenario is a clone cargo does not rebuild for.
fn copy_tree(from: &Path, to: &Path, top: bool) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if top && (name == "target" || name == ".git") {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&src, &dst, false);
        } else if kind.is_file() {
            fs::copy(&src, &dst).unwrap();
            let mtime = entry.metadata().unwrap().modified().unwrap();
            let file = fs::File::options().write(true).open(&dst).unwrap();
            file.set_modified(mtime).unwrap();
        }
    }
}

/// `cargo xtask <args>` in `clone`, as a user would type it there, with the shared target dir.
fn cargo_xtask(clone: &Path, args: &[&str]) -> (i32, String) {
    let _cores = yunxin_tests::cores::busy();
    let output = cargo_in(clone, &crate::target_dir())
        .arg("xtask")
        .args(args)
        // Everything is built or downloaded already; no network, whatever the lock file says.
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn cargo_xtask_reads_and_writes_the_clone_it_runs_in_when_clones_share_a_target_dir() {
    xtask_bin();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_tree(&xtask::workspace_root(), &a, true);
    copy_tree(&xtask::workspace_root(), &b, true);
    let clean = fs::read_to_string(a.join(DRIFTED)).unwrap();
    fs::write(
        b.join(DRIFTED),
        format!("{clean}// drift in clone B only\n"),
    )
    .unwrap();

    let (code, out) = cargo_xtask(&a, &["codegen", "--check"]);
    assert_eq!(code, 0, "clone A has no drift: {out}");
    let (code, out) = cargo_xtask(&b, &["codegen", "--check"]);
    assert_eq!(code, 1, "clone B's drift must be found: {out}");
    assert!(out.contains(&format!("differs: {DRIFTED}")), "{out}");

    let (code, out) = cargo_xtask(&b, &["codegen"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        fs::read_to_string(b.join(DRIFTED)).unwrap(),
        clean,
        "`cargo xtask codegen` in clone B repairs clone B"
    );
    let (code, out) = cargo_xtask(&b, &["codegen", "--check"]);
    assert_eq!(code, 0, "{out}");
}
