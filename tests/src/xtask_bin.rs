//! The real `xtask` binary, for tests that must run it in a child process (a stack overflow or
//! an abort cannot be caught in-process, and exit status and wall time are part of the contract).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The path of the `xtask` binary built from this workspace, building it on first use.
///
/// `cargo test` does not build other packages' binaries, so this runs `cargo build -p xtask`
/// once per test process (a no-op when it is up to date) in the workspace's own target dir.
pub fn xtask_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = xtask::workspace_root();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "xtask"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build -p xtask failed");
        // The test binary lives in <target>/<profile>/deps/; the xtask binary one level up.
        let exe = std::env::current_exe().expect("the test binary has a path");
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("test binaries live in <target>/<profile>/deps");
        let bin = profile_dir.join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "no xtask binary at {}", bin.display());
        bin
    })
    .clone()
}
