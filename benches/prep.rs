//! Request preparation: what the generated client does before a request leaves the process
//! (validate + encode + sign, through [`Client::prepare`], the code path `send` uses), against a
//! hand-written `serde_json` + `serde_urlencoded` + SHA-1 baseline that produces the same body.
//!
//! ```sh
//! cargo bench -p yunxin-bench --bench prep
//! ```
//!
//! Each case measures for 3 s after a 1 s warm-up, one side after the other; criterion writes
//! `target/criterion/<group>/<generated|baseline>/new/estimates.json` (`median.point_estimate`
//! and `mean.point_estimate`, in ns). Then each case is measured once more for 2 s with both
//! sides alternating in short batches (the paired ratio: load that comes and goes on a shared
//! machine slows both sides of a pair alike). The bench prints, per case, generated/baseline of
//! criterion's medians and the paired ratio, and writes them with the means to
//! `target/criterion/prep_summary.json`. With `PREP_MAX_RATIO` set (e.g. `1.5`), it exits with
//! status 1 when a paired ratio is above it. `cargo test -p yunxin-bench --benches` runs each case once and
//! checks that both sides produce the same bytes, without measuring.

use std::fs;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;
use serde_json::{json, Value};
use yunxin_im::auth::{FixedClock, FixedNonce};
use yunxin_im::Client;

#[path = "support/baseline.rs"]
mod baseline;
#[path = "support/fresh.rs"]
mod fresh;
#[path = "support/inputs.rs"]
mod inputs;

const SECRET: &str = "bench-app-secret";

/// The groups, named after the endpoint and the number of receivers.
const BATCH_MSG: &str = "prep_send_batch_msg_500";
const BATCH_ATTACH_MSG: &str = "prep_send_batch_attach_msg_5000";

/// The same inputs through both paths with a fixed clock and nonce: the same body and
/// checksum, or the comparison would not be fair.
fn assert_same_bytes(generated: &yunxin_im::PreparedRequest, hand: &baseline::Prepared) {
    assert_eq!(
        generated.body(),
        hand.body.as_slice(),
        "the generated and baseline bodies differ"
    );
    assert_eq!(generated.signed_headers().checksum, hand.checksum);
}

/// One comparison: both paths prepare the same request; each returns the body's length.
struct Case {
    group: &'static str,
    generated: Box<dyn Fn() -> usize>,
    baseline: Box<dyn Fn() -> usize>,
}

fn cases() -> Vec<Case> {
    // The measured client has its production defaults (system clock, OS nonces); the fixed one
    // only checks that both paths produce the same bytes.
    let client = Client::new("bench-app", SECRET).unwrap();
    let fixed = Client::builder("bench-app", SECRET)
        .clock(FixedClock(1_700_000_000))
        .nonce_source(FixedNonce("0123456789abcdef0123456789abcdef".into()))
        .build()
        .unwrap();
    let (nonce, now) = ("0123456789abcdef0123456789abcdef", "1700000000");

    let (request, hand) = inputs::batch_msg(500);
    assert_same_bytes(
        &fixed.prepare(&request).unwrap(),
        &baseline::prepare_batch_msg(&hand, SECRET, nonce, now),
    );
    let on = client.clone();
    let batch_msg = Case {
        group: BATCH_MSG,
        generated: Box::new(move || on.prepare(black_box(&request)).unwrap().body().len()),
        baseline: Box::new(move || {
            let (nonce, now) = fresh::fresh_nonce_and_time();
            baseline::prepare_batch_msg(black_box(&hand), SECRET, &nonce, &now)
                .body
                .len()
        }),
    };

    let (request, hand) = inputs::batch_attach_msg(5000);
    assert_same_bytes(
        &fixed.prepare(&request).unwrap(),
        &baseline::prepare_batch_attach_msg(&hand, SECRET, nonce, now),
    );
    let batch_attach_msg = Case {
        group: BATCH_ATTACH_MSG,
        generated: Box::new(move || client.prepare(black_box(&request)).unwrap().body().len()),
        baseline: Box::new(move || {
            let (nonce, now) = fresh::fresh_nonce_and_time();
            baseline::prepare_batch_attach_msg(black_box(&hand), SECRET, &nonce, &now)
                .body
                .len()
        }),
    };
    vec![batch_msg, batch_attach_msg]
}

/// generated/baseline measured alternately: short batches of each in turn (ABBA order), for
/// `budget`; the median of the batch pairs' ratios. Load that comes and goes on a shared
/// machine slows both sides of a pair alike, where criterion measures one side after the other.
fn paired_ratio(case: &Case, budget: Duration) -> f64 {
    let time = |f: &dyn Fn() -> usize, n: u32| {
        let started = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        started.elapsed().as_secs_f64()
    };
    // Batches of about 1 ms.
    let once = time(&*case.generated, 1).max(1e-7);
    let n = ((1e-3 / once) as u32).clamp(1, 10_000);
    let mut ratios = Vec::new();
    let started = Instant::now();
    while started.elapsed() < budget || ratios.len() < 21 {
        let (g, b) = if ratios.len() % 2 == 0 {
            let g = time(&*case.generated, n);
            (g, time(&*case.baseline, n))
        } else {
            let b = time(&*case.baseline, n);
            (time(&*case.generated, n), b)
        };
        ratios.push(g / b);
    }
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

/// Where criterion writes: `$CRITERION_HOME`, else `<target dir>/criterion`, found as criterion
/// finds it.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let output = Command::new(std::env::var_os("CARGO")?)
                .args(["metadata", "--format-version", "1", "--no-deps"])
                .output()
                .ok()?;
            let metadata: Value = serde_json::from_slice(&output.stdout).ok()?;
            metadata["target_directory"].as_str().map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("criterion")
}

/// One estimate (`median` or `mean`) of one benchmark of this run, in ns.
fn estimate_ns(home: &std::path::Path, group: &str, bench: &str, which: &str) -> Option<f64> {
    let path = home.join(group).join(bench).join("new/estimates.json");
    let estimates: Value = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    estimates[which]["point_estimate"].as_f64()
}

/// Whether this process measures (`cargo bench` passes `--bench`): not under `cargo test
/// --benches`, `--profile-time` or `--list`, which write no estimates.
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    has("--bench") && !has("--test") && !has("--list") && !has("--profile-time")
}

/// Prints, per group that ran, generated/baseline of criterion's medians and the paired ratio;
/// writes them with the means to `prep_summary.json`; fails when a paired ratio is above
/// `PREP_MAX_RATIO`.
fn summary(home: &std::path::Path, ran: &[(&Case, f64)]) {
    let max: Option<f64> = std::env::var("PREP_MAX_RATIO")
        .ok()
        .map(|v| v.parse().expect("PREP_MAX_RATIO is a number"));
    let mut cases = Vec::new();
    let mut over = false;
    for &(case, paired) in ran {
        let group = case.group;
        let get = |bench, which| {
            estimate_ns(home, group, bench, which).unwrap_or_else(|| {
                panic!(
                    "no {which} estimate of {group}/{bench} in {}",
                    home.display()
                )
            })
        };
        let (generated, baseline) = (get("generated", "median"), get("baseline", "median"));
        let (generated_mean, baseline_mean) = (get("generated", "mean"), get("baseline", "mean"));
        over |= max.is_some_and(|max| paired > max);
        println!(
            "{group}: generated {:.1} µs / baseline {:.1} µs = {:.2} (criterion medians; means \
             {:.2}); paired ratio {paired:.2}",
            generated / 1000.0,
            baseline / 1000.0,
            generated / baseline,
            generated_mean / baseline_mean
        );
        cases.push(json!({
            "group": group,
            "generated_median_ns": generated,
            "baseline_median_ns": baseline,
            "ratio_of_medians": generated / baseline,
            "generated_mean_ns": generated_mean,
            "baseline_mean_ns": baseline_mean,
            "ratio_of_means": generated_mean / baseline_mean,
            "paired_ratio": paired,
        }));
    }
    let path = home.join("prep_summary.json");
    let text = serde_json::to_string_pretty(&json!({ "cases": cases, "max_ratio": max })).unwrap();
    fs::write(&path, text + "\n").expect("the summary is written");
    println!("summary: {}", path.display());
    if over {
        eprintln!(
            "a paired ratio is above PREP_MAX_RATIO={}",
            max.unwrap_or_default()
        );
        std::process::exit(1);
    }
}

fn main() {
    let cases = cases();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .configure_from_args();
    let mut ran = Vec::new();
    for case in &cases {
        let mut selected = false;
        let mut group = c.benchmark_group(case.group);
        group.bench_function("generated", |b| {
            selected = true;
            b.iter(&*case.generated)
        });
        group.bench_function("baseline", |b| b.iter(&*case.baseline));
        group.finish();
        if selected {
            ran.push(case);
        }
    }
    c.final_summary();
    if !measuring() || ran.is_empty() {
        return;
    }
    let paired: Vec<(&Case, f64)> = ran
        .into_iter()
        .map(|case| (case, paired_ratio(case, Duration::from_secs(2))))
        .collect();
    summary(&criterion_home(), &paired);
}
