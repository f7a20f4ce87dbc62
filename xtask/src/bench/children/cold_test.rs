//! Wall time of a cold `cargo xtask test`, as a fresh CI machine runs it: a clone of the
//! committed tree (HEAD: uncommitted changes are not in it) built into an empty target dir,
//! with the downloaded crates of this machine's cargo home (fetching is not compiling), and
//! without incremental compilation, as `.ci/run` sets it. The clone lives under the target dir
//! while it runs and is removed after.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::Cargo;
use crate::bench::Plan;

pub fn measure(cargo: &Cargo, _plan: &Plan, log: &mut dyn Write) -> Result<f64, String> {
    let clone = cargo.target_dir().join("bench-cold-test");
    remove(&clone)?;
    let root = cargo.root.to_string_lossy().into_owned();
    let _ = writeln!(log, "  $ git clone {root} {}", clone.display());
    let status = Command::new("git")
        .args(["clone", "--quiet", &root])
        .arg(&clone)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !status.success() {
        return Err(format!("git clone failed ({status})"));
    }
    let mut command = cargo.cargo(&["xtask", "test"]);
    command
        .current_dir(&clone)
        .env("CARGO_TARGET_DIR", clone.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let _ = writeln!(
        log,
        "  $ cargo xtask test   (in the clone, empty target dir)"
    );
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    // Gigabytes of build output: never left behind, whatever the outcome.
    remove(&clone)?;
    if !status.success() {
        return Err(format!("cold `cargo xtask test` failed ({status})"));
    }
    Ok(seconds)
}

fn remove(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("removing {}: {e}", dir.display())),
    }
}
