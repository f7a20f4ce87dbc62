//! Two processes of the `fan_out` example run one job at once on a Redis journal (and share one
//! pacing budget in the same Redis), against the `fault-server` with every fault on. Each is
//! killed with SIGKILL at random points (20 kills in all) and started again with the same job;
//! after the last kill both run to the end. Both final accounts must cover the whole job, agree,
//! and agree with the server's log by the rules a restart can keep (`fan_out_check::resume`):
//! every recipient once, none delivered twice unless `unknown`, at most one resent call per kill.
//!
//! 20,000 recipients here, as in `fan_out_resume.rs`; `FAN_OUT_RESUME_RECIPIENTS=100000` for the
//! issue's full size (both tests), `FAN_OUT_RESUME_SEED` to replay a seed the test printed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use yunxin_tests::fan_out_check::{self, FanOutOutput};
use yunxin_tests::fault_server::Summary;
use yunxin_tests::redis_server;

use crate::fan_out_resume::{
    env_number, example, next_random, start_fault_server, CALLS, CHUNK, DEFAULT_RECIPIENTS, KILLS,
    MIN_LIFE_MS, WINDOW_MS,
};

const PROCESSES: usize = 2;
/// How soon a killed process's chunks are taken over: short, so restarts do not wait long.
const OWNER_TTL_MS: u64 = 1000;

/// One process of the job: the running child, when it is to be killed (`None`: run to the end)
/// and where its stdout goes.
struct Process {
    child: Child,
    kill_at: Option<Instant>,
    stdout: PathBuf,
}

fn spawn(mut command: Command, dir: &Path, run: usize, kill_at: Option<Instant>) -> Process {
    // Files, not pipes: nobody reads a killed process's output, and a full pipe would stall it.
    let stdout = dir.join(format!("run-{run}.out"));
    let stderr = dir.join(format!("run-{run}.err"));
    let child = command
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    Process {
        child,
        kill_at,
        stdout,
    }
}

/// The end of a process that ran to the end: its parsed stdout.
fn finished(mut process: Process) -> FanOutOutput {
    let status = process.child.wait().unwrap();
    let stderr = std::fs::read_to_string(process.stdout.with_extension("err")).unwrap();
    let tail: Vec<&str> = stderr.lines().rev().take(10).collect();
    assert!(status.success(), "fan_out exited with {status}: {tail:#?}");
    let stdout = std::fs::read_to_string(&process.stdout).unwrap();
    fan_out_check::parse(&stdout).unwrap_or_else(|e| panic!("{e}\n{tail:#?}"))
}

#[test]
fn two_processes_of_one_job_on_a_redis_journal_killed_and_restarted_account_for_every_recipient_once(
) {
    let n = env_number("FAN_OUT_RESUME_RECIPIENTS").map_or(DEFAULT_RECIPIENTS, |n| n as usize);
    let seed = env_number("FAN_OUT_RESUME_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    let started = Instant::now();
    let redis = redis_server::start();
    let server = start_fault_server();
    let binary = crate::example_binary("fan_out");
    let dir = tempfile::tempdir().unwrap();
    let command = || {
        let mut command = example(&binary, &server, n, redis.url());
        command
            .env("FAN_OUT_JOURNAL_TTL_MS", OWNER_TTL_MS.to_string())
            .env("FAN_OUT_REDIS_URL", redis.url())
            .env("FAN_OUT_REDIS_PREFIX", "resume-test:pace");
        command
    };
    // The processes share one budget, so the job takes as long as one process alone would; the
    // kills of each process spread over about a quarter of it, so none ends before its last.
    let run_ms = (n / CHUNK) as u64 * WINDOW_MS / u64::from(CALLS);
    let max_life = (run_ms / KILLS as u64).max(MIN_LIFE_MS + 1);
    let mut state = seed;
    let mut life = || {
        let ms = MIN_LIFE_MS + next_random(&mut state) % (max_life - MIN_LIFE_MS);
        Some(Instant::now() + Duration::from_millis(ms))
    };
    let mut runs = 0;
    let mut processes: Vec<Process> = (0..PROCESSES)
        .map(|_| {
            runs += 1;
            spawn(command(), dir.path(), runs, life())
        })
        .collect();
    for kill in 1..=KILLS {
        let (i, at) = processes
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.kill_at.map(|at| (i, at)))
            .min_by_key(|(_, at)| *at)
            .unwrap();
        std::thread::sleep(at.saturating_duration_since(Instant::now()));
        let process = &mut processes[i];
        if let Some(status) = process.child.try_wait().unwrap() {
            panic!("fan_out ended ({status}) before kill {kill}");
        }
        // SIGKILL: no destructor, no flush, no goodbye to Redis runs in the child.
        process.child.kill().unwrap();
        process.child.wait().unwrap();
        runs += 1;
        // Started again at once; after the last kill, every process runs to the end.
        let next = if kill < KILLS { life() } else { None };
        processes[i] = spawn(command(), dir.path(), runs, next);
        if kill == KILLS {
            processes.iter_mut().for_each(|p| p.kill_at = None);
        }
    }
    let outputs: Vec<FanOutOutput> = processes.into_iter().map(finished).collect();
    let summary: Summary = server.finish();

    let mut resent = 0;
    for output in &outputs {
        let (problems, figures) = fan_out_check::check_resumed(output, &summary, n);
        let shown: Vec<_> = problems.iter().take(30).collect();
        assert!(
            problems.is_empty(),
            "{} problems, first ones:\n{shown:#?}",
            problems.len()
        );
        resent = figures.resent;
        eprintln!(
            "fan_out on Redis, 2 processes (seed {seed}): {n} recipients, {KILLS} kills; server \
             requests {}, resent calls {}, delivered twice {}; this account {:?}, its own calls \
             {}, answered by others or before a restart {}, resent chunks {}; wall {:.1} s",
            figures.requests,
            figures.resent,
            figures.delivered_twice,
            output.counts,
            output.calls,
            output.resumed,
            output.resent_chunks,
            started.elapsed().as_secs_f64()
        );
    }
    assert!(resent <= KILLS as u64, "{resent} resent calls");
    // Both processes read the same journal at the end: one account of the job.
    assert_eq!(outputs[0].recipients, outputs[1].recipients);
    // The kills mattered: chunks cut off by a kill end `unknown`; both processes did work.
    assert!(outputs[0].counts.unknown > 0, "{:?}", outputs[0].counts);
    assert!(
        outputs.iter().all(|o| o.calls > 0),
        "one process did nothing"
    );
    assert!(
        summary.requests > (n / CHUNK) as u64,
        "{}",
        summary.requests
    );
}
