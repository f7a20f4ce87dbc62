//! `cargo` run as a child of a test, in this workspace's target dir.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target dir of an integration test, from its `CARGO_TARGET_TMPDIR` (`<target>/tmp`),
/// which cargo sets only when it compiles the test: pass `env!("CARGO_TARGET_TMPDIR")`.
pub fn target_dir(target_tmpdir: &str) -> PathBuf {
    Path::new(target_tmpdir)
        .parent()
        .expect("CARGO_TARGET_TMPDIR lies in the target dir")
        .to_path_buf()
}

/// Whether `name` is a variable cargo sets for this test process (the package's name and
/// version, its manifest, its binaries), not part of the caller's setup.
fn set_for_this_test(name: &str) -> bool {
    const PREFIXES: &[&str] = &["CARGO_PKG_", "CARGO_BIN_", "CARGO_MANIFEST_"];
    const NAMES: &[&str] = &[
        "CARGO_CRATE_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || NAMES.contains(&name)
}

/// `cargo` in `dir` with this workspace's target dir, without the variables cargo set for this
/// test: build scripts watch some of them (ring's reruns when `CARGO_PKG_NAME` changes), and
/// passing this package's values on made every child re-check the rustls stack.
pub fn cargo_in(dir: &Path, target_dir: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_for_this_test) {
            command.env_remove(name);
        }
    }
    command.current_dir(dir).env("CARGO_TARGET_DIR", target_dir);
    command
}

/// Exit success and stdout followed by stderr; the cores are [`busy`](crate::cores::busy)
/// meanwhile.
pub fn run(command: &mut Command) -> (bool, String) {
    let output = {
        let _cores = crate::cores::busy();
        command.output().expect("cargo runs")
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}
