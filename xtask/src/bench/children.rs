//! The real [`Children`]: child cargo commands in the workspace, with its target dir.

mod build_time;
mod codegen_command;
mod cold_test;
mod fan_out;
mod loopback;
mod prep;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Children, FanOut, Loopback, Plan, Prep};

/// Runs the measurements as child cargo commands of the workspace at `root`.
pub struct Cargo {
    root: PathBuf,
}

impl Cargo {
    pub fn new(root: &Path) -> Cargo {
        Cargo {
            root: root.to_path_buf(),
        }
    }

    /// `cargo ARGS` in the workspace. Without the variables `cargo run` set for xtask: build
    /// scripts watch some of them, and passing xtask's on would rebuild their crates.
    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        for (name, _) in std::env::vars_os() {
            let Some(name) = name.to_str() else { continue };
            let set_for_xtask = ["CARGO_PKG_", "CARGO_BIN_", "CARGO_MANIFEST_"]
                .iter()
                .any(|p| name.starts_with(p))
                || ["CARGO_CRATE_NAME", "CARGO_PRIMARY_PACKAGE"].contains(&name);
            if set_for_xtask {
                command.env_remove(name);
            }
        }
        command.current_dir(&self.root).args(args);
        command
    }

    /// Runs `cargo ARGS`, its progress on our stderr; its stdout, or an error with the command.
    fn run(&self, args: &[&str], log: &mut dyn Write) -> Result<String, String> {
        self.run_with_env(args, &[], log)
    }

    /// [`Cargo::run`] with extra environment variables.
    fn run_with_env(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        log: &mut dyn Write,
    ) -> Result<String, String> {
        let _ = writeln!(log, "  $ cargo {}", args.join(" "));
        let output = self
            .cargo(args)
            .envs(env.iter().copied())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(format!(
                "`cargo {}` failed ({}); its output:\n{stdout}",
                args.join(" "),
                output.status
            ));
        }
        Ok(stdout)
    }

    fn target_dir(&self) -> PathBuf {
        super::target_dir(&self.root)
    }
}

impl Children for Cargo {
    fn prep(&self, plan: &Plan, log: &mut dyn Write) -> Result<Prep, String> {
        prep::measure(self, plan, log)
    }

    fn loopback(&self, plan: &Plan, log: &mut dyn Write) -> Result<Loopback, String> {
        loopback::measure(self, plan, log)
    }

    fn fan_out(&self, plan: &Plan, journaled: bool, log: &mut dyn Write) -> Result<FanOut, String> {
        fan_out::measure(self, plan, journaled, log)
    }

    fn client_build_s(
        &self,
        plan: &Plan,
        features: Option<&str>,
        log: &mut dyn Write,
    ) -> Result<f64, String> {
        build_time::measure(self, plan, features, log)
    }

    fn codegen_command_ms(&self, plan: &Plan, log: &mut dyn Write) -> Result<f64, String> {
        codegen_command::measure(self, plan, log)
    }

    fn cold_test_s(&self, plan: &Plan, log: &mut dyn Write) -> Result<f64, String> {
        cold_test::measure(self, plan, log)
    }
}
