//! `cargo xtask codegen --check` timed as a maintainer runs it: this xtask binary (the debug
//! build `cargo xtask` runs), a process of its own per run, reading the spec and comparing every
//! generated file. Warm: one run first, untimed.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::Cargo;
use crate::bench::stats::median;
use crate::bench::Plan;

pub fn measure(cargo: &Cargo, plan: &Plan, log: &mut dyn Write) -> Result<f64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("this binary's path: {e}"))?;
    let _ = writeln!(log, "  $ {} codegen --check", exe.display());
    let once = || -> Result<f64, String> {
        let started = Instant::now();
        let output = Command::new(&exe)
            .args(["codegen", "--check"])
            .current_dir(&cargo.root)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        if !output.status.success() {
            // A drifted tree is not the tree the figure is about.
            return Err(format!(
                "codegen --check failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(ms)
    };
    once()?;
    let times = (0..plan.codegen_samples.max(1))
        .map(|_| once())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(median(&times))
}
