//! The fan-out of 1,000,000 receivers: the `fan_out` example of yunxin-im against the
//! `fault-server` binary of yunxin-tests with faults off, at 100 calls a 1000 ms window (2000
//! calls of 500 receivers, about 20 s). Fast as possible means the calls span the bound
//! (ceil(C/N)-1)·W and no more; the server counts the 416 answers the client caused itself.
//!
//! The programs' contracts: `fan_out` reads YUNXIN_APP_KEY, YUNXIN_APP_SECRET, YUNXIN_BASE_URL,
//! FAN_OUT_RECIPIENTS, FAN_OUT_CALLS, FAN_OUT_WINDOW_MS, FAN_OUT_BLOCK_MS, FAN_OUT_TIMEOUT_MS and
//! prints one JSON object with `calls` and `counts`; `fault-server --calls N --window-ms W
//! --block-ms B --faults none --summary PATH --no-log` prints `{"port":P,...}`, serves until
//! its stdin closes, then writes a summary with `requests`, `self_416`, `first_receive_ms` and
//! `last_receive_ms`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Cargo;
use crate::bench::{FanOut, Plan};

const RECIPIENTS: u64 = 1_000_000;
const PER_WINDOW: u64 = 100;
const WINDOW_MS: u64 = 1000;
const BLOCK_MS: u64 = 1000;
const SECRET: &str = "fault-secret";
/// Far above the 20 s the run should take: a hung client fails the step instead of the bench.
const DEADLINE: Duration = Duration::from_secs(600);

/// `journaled`: the same run as a resumable job, its file journal in a temporary folder, so its
/// ratio next to the plain one is what journaling costs.
pub fn measure(
    cargo: &Cargo,
    _plan: &Plan,
    journaled: bool,
    log: &mut dyn Write,
) -> Result<FanOut, String> {
    require_targets(cargo, log)?;
    cargo.run(
        &[
            "build",
            "--release",
            "-p",
            "yunxin-im",
            "--example",
            "fan_out",
        ],
        log,
    )?;
    cargo.run(
        &[
            "build",
            "--release",
            "-p",
            "yunxin-tests",
            "--bin",
            "fault-server",
        ],
        log,
    )?;
    let release = cargo.target_dir().join("release");
    let tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let summary_path = tmp.path().join("summary.json");

    let mut server = Command::new(release.join("fault-server"))
        .args([
            "--calls",
            &PER_WINDOW.to_string(),
            "--window-ms",
            &WINDOW_MS.to_string(),
        ])
        .args([
            "--block-ms",
            &BLOCK_MS.to_string(),
            "--faults",
            "none",
            "--no-log",
        ])
        .args(["--app-secret", SECRET])
        .arg("--summary")
        .arg(&summary_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start fault-server: {e}"))?;
    let journal = journaled.then(|| tmp.path().join("fan-out.journal"));
    let result = drive(&release, &mut server, journal.as_deref(), log);
    // Closing stdin asks the server to write its summary and exit.
    drop(server.stdin.take());
    let status = wait(&mut server, Duration::from_secs(30));
    let report = result?;
    status.map_err(|e| format!("fault-server: {e}"))?;
    let text = std::fs::read_to_string(&summary_path)
        .map_err(|e| format!("fault-server wrote no summary: {e}"))?;
    let summary: Value =
        serde_json::from_str(&text).map_err(|e| format!("fault-server summary: {e}"))?;
    let int = |key: &str| {
        summary[key]
            .as_u64()
            .ok_or_else(|| format!("fault-server summary has no integer `{key}`"))
    };
    let sent = report["counts"]["sent"].as_u64();
    if sent != Some(RECIPIENTS) {
        return Err(format!(
            "fan_out delivered {sent:?} of {RECIPIENTS} receivers with faults off; its report: {report}"
        ));
    }
    let (first, last) = (int("first_receive_ms")?, int("last_receive_ms")?);
    Ok(FanOut {
        calls: int("requests")?,
        per_window: PER_WINDOW,
        window_ms: WINDOW_MS,
        span_ms: last.saturating_sub(first) as f64,
        self_416: int("self_416")?,
    })
}

/// Reads the server's port, runs the example against it; the example's report.
fn drive(
    release: &std::path::Path,
    server: &mut Child,
    journal: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<Value, String> {
    let mut line = String::new();
    let stdout = server.stdout.take().ok_or("fault-server has no stdout")?;
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading fault-server's port: {e}"))?;
    let hello: Value = serde_json::from_str(line.trim()).map_err(|e| {
        format!(
            "fault-server's first line `{}` is not its JSON: {e}",
            line.trim()
        )
    })?;
    let port = hello["port"]
        .as_u64()
        .ok_or("fault-server printed no port")?;
    let _ = writeln!(
        log,
        "  fault-server on 127.0.0.1:{port}; fan_out to {RECIPIENTS} receivers{}",
        if journal.is_some() { ", journaled" } else { "" }
    );
    let mut command = Command::new(release.join("examples/fan_out"));
    if let Some(journal) = journal {
        command
            .env("FAN_OUT_JOB", "bench")
            .env("FAN_OUT_JOURNAL", journal);
    }
    let mut example = command
        .env("YUNXIN_APP_KEY", "bench-app")
        .env("YUNXIN_APP_SECRET", SECRET)
        .env("YUNXIN_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("FAN_OUT_RECIPIENTS", RECIPIENTS.to_string())
        .env("FAN_OUT_CALLS", PER_WINDOW.to_string())
        .env("FAN_OUT_WINDOW_MS", WINDOW_MS.to_string())
        .env("FAN_OUT_BLOCK_MS", BLOCK_MS.to_string())
        .env("FAN_OUT_TIMEOUT_MS", "5000")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the fan_out example: {e}"))?;
    let mut out = example.stdout.take().ok_or("fan_out has no stdout")?;
    // Read on a thread so the deadline below still applies if the example hangs.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut text);
        text
    });
    wait(&mut example, DEADLINE).map_err(|e| format!("fan_out: {e}"))?;
    let text = reader.join().unwrap_or_default();
    serde_json::from_str(text.trim()).map_err(|e| {
        format!(
            "fan_out's stdout is not one JSON object ({e}): {}",
            text.trim()
        )
    })
}

/// Waits for `child` to exit successfully within `deadline`, killing it past that.
fn wait(child: &mut Child, deadline: Duration) -> Result<(), String> {
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => return Err(format!("exited with {status}")),
            None if started.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "still running after {} s; killed",
                    deadline.as_secs()
                ));
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Fails with a clear message when either program is not part of the workspace yet.
fn require_targets(cargo: &Cargo, log: &mut dyn Write) -> Result<(), String> {
    let stdout = cargo.run(&["metadata", "--format-version", "1", "--no-deps"], log)?;
    let metadata: Value =
        serde_json::from_str(&stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let has = |package: &str, kind: &str, name: &str| {
        metadata["packages"].as_array().is_some_and(|packages| {
            packages.iter().filter(|p| p["name"] == package).any(|p| {
                p["targets"].as_array().is_some_and(|targets| {
                    targets.iter().any(|t| {
                        t["name"] == name
                            && t["kind"]
                                .as_array()
                                .is_some_and(|k| k.iter().any(|k| k == kind))
                    })
                })
            })
        })
    };
    let mut missing = Vec::new();
    if !has("yunxin-im", "example", "fan_out") {
        missing.push("the `fan_out` example of yunxin-im");
    }
    if !has("yunxin-tests", "bin", "fault-server") {
        missing.push("the `fault-server` binary of yunxin-tests");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} missing from this workspace: the fan-out figures need both (merge the branches that add them)",
            missing.join(" and ")
        ))
    }
}
