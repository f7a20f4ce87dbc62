//! The real `xtask` binary, for tests that must run it in a child process (a stack overflow or
//! an abort cannot be caught in-process, and exit status and wall time are part of the contract).

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::child_cargo::cargo_in;

/// The path of the `xtask` binary built from this workspace, building it on first use.
///
/// `cargo test` does not build other packages' binaries, so this runs `cargo build -p xtask`
/// once per test process (a no-op when it is up to date) in the test binary's own target dir.
pub fn xtask_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // The test binary lives in <target>/<profile>/deps/; the xtask binary one level up. The
        // build goes to that same target dir, whatever CARGO_TARGET_DIR says (a test binary run
        // by hand may not have it).
        let exe = std::env::current_exe().expect("the test binary has a path");
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("test binaries live in <target>/<profile>/deps");
        let target_dir = profile_dir.parent().expect("<target>/<profile>");
        let _cores = crate::cores::busy();
        let status = cargo_in(&xtask::workspace_root(), target_dir)
            .args(["build", "--quiet", "-p", "xtask"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build -p xtask failed");
        let bin = profile_dir.join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "no xtask binary at {}", bin.display());
        bin
    })
    .clone()
}
