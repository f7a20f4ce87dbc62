//! The `fan_out` example with a job and a file journal, killed with SIGKILL at random points of
//! a run against the `fault-server` (every fault on) and restarted with the same job each time;
//! the last run goes to the end. Its account and the server's log must agree by the rules a
//! restart can keep (`fan_out_check::resume`): every recipient once, none delivered twice unless
//! the account says `unknown`, and at most one resent call per kill.
//!
//! 20 kills of a 20,000-recipient run here; `FAN_OUT_RESUME_RECIPIENTS=100000` for the issue's
//! full size, `FAN_OUT_RESUME_SEED` to replay the kill points of a seed the test printed.
//! `cargo test --workspace` builds the example; the fault server is this package's binary.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yunxin_tests::fan_out_check::{self, FanOutOutput, ResumeFigures};
use yunxin_tests::fault_server::Summary;

use crate::fault_child::FaultChild;

pub(crate) const KILLS: usize = 20;
pub(crate) const DEFAULT_RECIPIENTS: usize = 20_000;
/// Small chunks, so that the calls in flight at a kill (whose recipients end `unknown`) are a
/// small part of the run and many kills fit in it.
pub(crate) const CHUNK: usize = 100;
pub(crate) const CALLS: u32 = 10;
pub(crate) const WINDOW_MS: u64 = 1000;
const BLOCK_MS: u64 = 1500;
const TIMEOUT_MS: u64 = 300;
const SLOW_MS: u64 = 1000;
const FAULT_SEED: u64 = 11;
const SECRET: &str = "fault-secret";
/// The shortest life of a killed process: some are killed before their first call.
pub(crate) const MIN_LIFE_MS: u64 = 20;

pub(crate) fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.trim()
            .parse()
            .unwrap_or_else(|e| panic!("{name}={v:?}: {e}"))
    })
}

/// splitmix64: reproducible kill points from a seed.
pub(crate) fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) fn example(
    binary: &Path,
    server: &FaultChild,
    n: usize,
    journal: impl AsRef<OsStr>,
) -> Command {
    let urls = format!(
        "http://127.0.0.1:{},http://127.0.0.1:{}",
        server.refused_port, server.port
    );
    let mut command = Command::new(binary);
    command
        .env("YUNXIN_APP_KEY", "fault-key")
        .env("YUNXIN_APP_SECRET", SECRET)
        .env("YUNXIN_BASE_URL", urls)
        .env("FAN_OUT_RECIPIENTS", n.to_string())
        .env("FAN_OUT_CALLS", CALLS.to_string())
        .env("FAN_OUT_WINDOW_MS", WINDOW_MS.to_string())
        .env("FAN_OUT_BLOCK_MS", BLOCK_MS.to_string())
        .env("FAN_OUT_TIMEOUT_MS", TIMEOUT_MS.to_string())
        .env("FAN_OUT_CHUNK_SIZE", CHUNK.to_string())
        .env("FAN_OUT_JOB", "resume-test-job")
        .env("FAN_OUT_JOURNAL", journal)
        .stdin(Stdio::null());
    command
}

/// The `fault-server` at the test's limit, every fault on, logging each request.
pub(crate) fn start_fault_server() -> FaultChild {
    FaultChild::start(
        &[
            "--calls",
            &CALLS.to_string(),
            "--window-ms",
            &WINDOW_MS.to_string(),
            "--block-ms",
            &BLOCK_MS.to_string(),
            "--slow-ms",
            &SLOW_MS.to_string(),
            "--faults",
            "all",
            "--seed",
            &FAULT_SEED.to_string(),
            "--unregistered-every",
            "97",
        ]
        .map(String::from),
    )
}

/// Starts the example and kills it with SIGKILL after `life`; false if it ended first.
fn run_and_kill(mut command: Command, life: Duration) -> bool {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < life {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("fan_out ended ({status}) before its kill at {life:?}");
        }
        std::thread::sleep(Duration::from_millis(5).min(life - started.elapsed().min(life)));
    }
    // std's kill is SIGKILL on unix: no destructor, no flush runs in the child.
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

/// The last run, to the end: its parsed stdout.
fn run_to_end(mut command: Command) -> FanOutOutput {
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(10).collect();
    assert!(
        out.status.success(),
        "fan_out exited with {}: {tail:#?}",
        out.status
    );
    fan_out_check::parse(&String::from_utf8_lossy(&out.stdout))
        .unwrap_or_else(|e| panic!("{e}\n{tail:#?}"))
}

/// Runs the job with `kills` kills; returns the final account, the server's summary and the
/// figures.
fn killed_run(n: usize, kills: usize, seed: u64) -> (FanOutOutput, Summary, ResumeFigures) {
    let binary = crate::example_binary("fan_out");
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("job.journal");
    let server = start_fault_server();
    // Kill points spread over about half the run's length at the pace, so the run cannot end
    // before its last kill.
    let run_ms = (n / CHUNK) as u64 * WINDOW_MS / u64::from(CALLS);
    let max_life = (run_ms / 2 / kills as u64).max(MIN_LIFE_MS + 1);
    let mut state = seed;
    for _ in 0..kills {
        let life = MIN_LIFE_MS + next_random(&mut state) % (max_life - MIN_LIFE_MS);
        run_and_kill(
            example(&binary, &server, n, &journal),
            Duration::from_millis(life),
        );
    }
    let output = run_to_end(example(&binary, &server, n, &journal));
    let summary: Summary = server.finish();
    let (problems, figures) = fan_out_check::check_resumed(&output, &summary, n);
    let shown: Vec<_> = problems.iter().take(30).collect();
    assert!(
        problems.is_empty(),
        "{} problems, first ones:\n{shown:#?}",
        problems.len()
    );
    (output, summary, figures)
}

#[test]
fn a_fan_out_killed_at_random_points_and_restarted_accounts_for_every_recipient_once() {
    let n = env_number("FAN_OUT_RESUME_RECIPIENTS").map_or(DEFAULT_RECIPIENTS, |n| n as usize);
    let seed = env_number("FAN_OUT_RESUME_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    let started = Instant::now();
    let (output, summary, figures) = killed_run(n, KILLS, seed);
    eprintln!(
        "fan_out resumed (seed {seed}): {n} recipients, {KILLS} kills; server requests {}, \
         resent calls {}, delivered twice {}; final account {:?}, resumed {}, resent chunks {}; \
         wall {:.1} s",
        figures.requests,
        figures.resent,
        figures.delivered_twice,
        output.counts,
        output.resumed,
        output.resent_chunks,
        started.elapsed().as_secs_f64()
    );
    assert!(figures.resent <= KILLS as u64, "{figures:?}");
    // The kills mattered: the last run found answers of earlier ones, and cut-off chunks.
    assert!(
        output.resumed > 0 && output.resumed < n as u64,
        "{output:?}"
    );
    assert!(output.counts.unknown > 0, "{:?}", output.counts);
    assert!(
        summary.requests > (n / CHUNK) as u64,
        "{}",
        summary.requests
    );
}
