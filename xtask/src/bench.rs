//! `cargo xtask bench [--quick]`: every benchmark of the project, each figure measured against
//! its baseline in the same run; prints a table and writes `<target dir>/bench-report.json`.
//!
//! The codegen figures and the generated-code size are measured in process. The others need the
//! client, which xtask does not depend on (that would lengthen the first build of `cargo xtask
//! codegen`, the main job): they run as child cargo commands (see `children`), behind the
//! [`Children`] trait so the report's assembly and shape can be tested without building them.

mod children;
mod lines;
mod machine;
mod pipeline;
pub mod report;
mod stats;
mod synth;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use children::Cargo;
use report::{Figure, Target};

/// How much to measure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Runs of the pipeline on the real spec.
    pub codegen_samples: usize,
    /// The two synthetic spec sizes, in endpoints.
    pub codegen_sizes: (usize, usize),
    /// Pairs of synthetic runs (one of each size).
    pub codegen_pairs: usize,
    /// Fewer criterion samples and shorter loopback rounds.
    pub quick: bool,
}

impl Plan {
    pub fn full() -> Plan {
        Plan {
            codegen_samples: 11,
            codegen_sizes: (100, 1000),
            codegen_pairs: 5,
            quick: false,
        }
    }

    /// Under five minutes on 2 cores: the same sizes, fewer samples.
    pub fn quick() -> Plan {
        Plan {
            codegen_samples: 5,
            codegen_pairs: 2,
            quick: true,
            ..Plan::full()
        }
    }

    /// Seconds: only for checking the report's shape; its figures mean nothing.
    pub fn tiny() -> Plan {
        Plan {
            codegen_samples: 1,
            codegen_sizes: (2, 20),
            codegen_pairs: 1,
            quick: true,
        }
    }
}

/// Prep: paired ratios of the generated client's request preparation to the hand-written
/// baseline, for sendBatchMsg to 500 receivers and sendBatchAttachMsg to 5000.
pub struct Prep {
    pub ratio_500: f64,
    pub ratio_5000: f64,
}

/// Loopback: calls per second of the client over raw reqwest, at concurrency 1 and 64.
pub struct Loopback {
    pub ratio_c1: f64,
    pub ratio_c64: f64,
}

/// The fan-out of 1,000,000 receivers against the fault server.
pub struct FanOut {
    /// Calls the server received.
    pub calls: u64,
    /// Calls allowed per window, and the window in ms.
    pub per_window: u64,
    pub window_ms: u64,
    /// From the first call received to the last, ms.
    pub span_ms: f64,
    /// 416 answers the client caused by calling too fast.
    pub self_416: u64,
}

impl FanOut {
    /// The least time `calls` calls can span at `per_window` a window: (ceil(C/N)-1)·W.
    pub fn bound_ms(&self) -> f64 {
        (self.calls.div_ceil(self.per_window).saturating_sub(1) * self.window_ms) as f64
    }
}

/// The measurements that need the client built: child processes in a real run.
pub trait Children {
    fn prep(&self, plan: &Plan, log: &mut dyn Write) -> Result<Prep, String>;
    fn loopback(&self, plan: &Plan, log: &mut dyn Write) -> Result<Loopback, String>;
    /// `journaled`: the same fan-out as a resumable job with a file journal.
    fn fan_out(&self, plan: &Plan, journaled: bool, log: &mut dyn Write) -> Result<FanOut, String>;
    /// Seconds to build the client alone, its dependencies already built: with its default
    /// features (`None`) or with the given ones instead.
    fn client_build_s(
        &self,
        plan: &Plan,
        features: Option<&str>,
        log: &mut dyn Write,
    ) -> Result<f64, String>;
    /// Milliseconds of `cargo xtask codegen --check` as the command runs (this debug binary,
    /// warm, reading and comparing every file): the median of the plan's samples.
    fn codegen_command_ms(&self, plan: &Plan, log: &mut dyn Write) -> Result<f64, String>;
    /// Seconds of a cold `cargo xtask test`: a clone of the committed tree, an empty target dir.
    fn cold_test_s(&self, plan: &Plan, log: &mut dyn Write) -> Result<f64, String>;
}

/// What a run measured: the figures, in table order, and each step that failed with the
/// figures it owed.
pub struct Measured {
    pub figures: Vec<Figure>,
    pub failures: Vec<Failure>,
}

pub struct Failure {
    pub figures: &'static [&'static str],
    pub error: String,
}

/// Issue 21's budgets for a debug build of the client alone, its dependencies built: every
/// domain, and one domain.
const CLIENT_BUILD_ALL_S: f64 = 90.0;
const CLIENT_BUILD_ONE_DOMAIN_S: f64 = 20.0;
/// Issue 21's other budgets: the codegen command on the full spec, generated Rust per endpoint,
/// and a cold `cargo xtask test` on 2 cores.
const CODEGEN_COMMAND_MS: f64 = 3000.0;
const GENERATED_LINES_PER_ENDPOINT: f64 = 400.0;
const COLD_TEST_S: f64 = 600.0;

/// The domain of the spec with the most endpoints, the slowest one-domain build.
fn largest_domain(spec: &Path) -> Result<String, String> {
    let model = codegen::load_model(spec, "spec").map_err(|d| d.to_string())?;
    let count = |name: &str| {
        model
            .endpoints
            .iter()
            .filter(|e| e.domain.as_deref() == Some(name))
            .count()
    };
    model
        .domains
        .iter()
        .max_by_key(|d| count(&d.name))
        .map(|d| d.name.clone())
        .ok_or_else(|| "the spec has no domain".to_owned())
}

const PREP_BASELINE: &str = "hand-written serde_urlencoded + serde_json + sha1, same body";
const RAW: &str = "raw reqwest, same body, headers and timeout";

/// Measures every figure. A failing step does not stop the others (a missing program should
/// not hide the figures that could be measured); it is recorded with the figures it owed.
pub fn measure(root: &Path, plan: &Plan, children: &dyn Children, log: &mut dyn Write) -> Measured {
    let spec = root.join("spec");
    let (small, large) = plan.codegen_sizes;
    type Step<'a> = Box<dyn FnOnce(&mut dyn Write) -> Result<Vec<Figure>, String> + 'a>;
    let steps: Vec<(&str, &'static [&'static str], Step)> = vec![
        (
            "codegen pipeline on the real spec",
            &["codegen_real_ms"],
            Box::new(|_| {
                let real = pipeline::real_ms(&spec, plan.codegen_samples)?;
                Ok(vec![Figure::plain("codegen_real_ms", real, "ms")])
            }),
        ),
        (
            "cargo xtask codegen --check on the real spec (this binary, warm)",
            &["codegen_command_ms"],
            Box::new(|log| {
                Ok(vec![Figure::targeted(
                    "codegen_command_ms",
                    children.codegen_command_ms(plan, log)?,
                    "ms",
                    Target::AtMost(CODEGEN_COMMAND_MS),
                )])
            }),
        ),
        (
            "codegen pipeline on synthetic specs (small and large, paired)",
            &["codegen_per_endpoint_ratio_1000_100"],
            Box::new(|log| {
                let scaling = pipeline::scaling(&spec, small, large, plan.codegen_pairs)?;
                let _ = writeln!(
                    log,
                    "  per endpoint: {:.3} ms at {small} endpoints, {:.3} ms at {large}",
                    scaling.small_ms, scaling.large_ms
                );
                Ok(vec![Figure::ratio(
                    "codegen_per_endpoint_ratio_1000_100",
                    scaling.ratio,
                    &format!(
                        "per-endpoint time at {small} synthetic endpoints (this one at {large})"
                    ),
                    Target::AtMost(1.3),
                )])
            }),
        ),
        (
            "request preparation (cargo bench -p yunxin-bench --bench prep)",
            &["prep_ratio_500", "prep_ratio_5000"],
            Box::new(|log| {
                let prep = children.prep(plan, log)?;
                Ok(vec![
                    Figure::ratio(
                        "prep_ratio_500",
                        prep.ratio_500,
                        PREP_BASELINE,
                        Target::AtMost(1.5),
                    ),
                    Figure::ratio(
                        "prep_ratio_5000",
                        prep.ratio_5000,
                        PREP_BASELINE,
                        Target::AtMost(1.5),
                    ),
                ])
            }),
        ),
        (
            "loopback calls (cargo bench -p yunxin-bench --bench loopback)",
            &["loopback_ratio_c1", "loopback_ratio_c64"],
            Box::new(|log| {
                let loopback = children.loopback(plan, log)?;
                Ok(vec![
                    Figure::ratio(
                        "loopback_ratio_c1",
                        loopback.ratio_c1,
                        RAW,
                        Target::AtLeast(0.9),
                    ),
                    Figure::ratio(
                        "loopback_ratio_c64",
                        loopback.ratio_c64,
                        RAW,
                        Target::AtLeast(0.9),
                    ),
                ])
            }),
        ),
        (
            "fan-out of 1,000,000 receivers against fault-server",
            &["fan_out_bound_ratio", "fan_out_self_416"],
            Box::new(|log| {
                let fan_out = children.fan_out(plan, false, log)?;
                let bound = format!(
                    "bound (ceil(C/N)-1)*W = {} ms for C={} calls, N={}, W={} ms",
                    fan_out.bound_ms(),
                    fan_out.calls,
                    fan_out.per_window,
                    fan_out.window_ms
                );
                Ok(vec![
                    Figure::ratio(
                        "fan_out_bound_ratio",
                        fan_out.bound_ms() / fan_out.span_ms,
                        &bound,
                        Target::AtLeast(0.95),
                    ),
                    Figure::targeted(
                        "fan_out_self_416",
                        fan_out.self_416 as f64,
                        "answers",
                        Target::AtMost(0.0),
                    ),
                ])
            }),
        ),
        (
            "the same fan-out as a resumable job with a file journal",
            &["fan_out_journal_bound_ratio"],
            Box::new(|log| {
                let fan_out = children.fan_out(plan, true, log)?;
                let bound = format!(
                    "bound (ceil(C/N)-1)*W = {} ms for C={} calls, N={}, W={} ms; each call's intent and outcome fsync'd",
                    fan_out.bound_ms(),
                    fan_out.calls,
                    fan_out.per_window,
                    fan_out.window_ms
                );
                Ok(vec![Figure::ratio(
                    "fan_out_journal_bound_ratio",
                    fan_out.bound_ms() / fan_out.span_ms,
                    &bound,
                    Target::AtLeast(0.95),
                )])
            }),
        ),
        (
            "generated lines per endpoint",
            &["generated_lines_per_endpoint"],
            Box::new(|_| {
                let lines = lines::per_endpoint(root)?;
                Ok(vec![Figure::targeted(
                    "generated_lines_per_endpoint",
                    lines,
                    "lines",
                    Target::AtMost(GENERATED_LINES_PER_ENDPOINT),
                )])
            }),
        ),
        (
            "build time of yunxin-im alone, default features: every domain (cargo build -p yunxin-im)",
            &["client_build_s"],
            Box::new(|log| {
                Ok(vec![Figure::targeted(
                    "client_build_s",
                    children.client_build_s(plan, None, log)?,
                    "s",
                    Target::AtMost(CLIENT_BUILD_ALL_S),
                )])
            }),
        ),
        (
            "build time of yunxin-im alone, one domain (the one with the most endpoints)",
            &["client_build_one_domain_s"],
            Box::new(|log| {
                let domain = largest_domain(&spec)?;
                let _ = writeln!(log, "  domain: {domain}");
                let features = format!("rustls-tls,{domain}");
                Ok(vec![Figure::targeted(
                    "client_build_one_domain_s",
                    children.client_build_s(plan, Some(&features), log)?,
                    "s",
                    Target::AtMost(CLIENT_BUILD_ONE_DOMAIN_S),
                )])
            }),
        ),
        (
            "cold cargo xtask test (a clone of HEAD, an empty target dir)",
            &["cold_test_s"],
            Box::new(|log| {
                Ok(vec![Figure::targeted(
                    "cold_test_s",
                    children.cold_test_s(plan, log)?,
                    "s",
                    Target::AtMost(COLD_TEST_S),
                )])
            }),
        ),
    ];
    let mut measured = Measured {
        figures: Vec::new(),
        failures: Vec::new(),
    };
    for (name, figures, step) in steps {
        let _ = writeln!(log, "bench: {name}");
        match step(log) {
            Ok(done) => measured.figures.extend(done),
            Err(error) => {
                let _ = writeln!(log, "bench: {name} failed: {error}");
                measured.failures.push(Failure { figures, error });
            }
        }
    }
    measured
}

/// The report's JSON, checked for shape.
pub fn report(figures: &[Figure]) -> Result<serde_json::Value, String> {
    let value = report::to_json(figures, &machine::describe());
    report::check_shape(&value).map_err(|p| format!("malformed report: {}", p.join("; ")))?;
    Ok(value)
}

/// The table printed at the end of a run (markdown, so it goes into the README as it is).
pub fn table(figures: &[Figure]) -> String {
    let mut out = String::from(
        "| figure | value | unit | target | holds | baseline |\n|---|---|---|---|---|---|\n",
    );
    for f in figures {
        let holds = match f.holds() {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let target = f.target.map(|t| match t {
            Target::AtMost(l) => format!("≤ {l}"),
            Target::AtLeast(l) => format!("≥ {l}"),
        });
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {holds} | {} |\n",
            f.name,
            round(f.value),
            f.unit,
            target.unwrap_or_default(),
            f.baseline.as_deref().unwrap_or("")
        ));
    }
    out
}

/// Three significant digits at most, enough for a figure measured on a noisy machine.
fn round(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e9 {
        format!("{value}")
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The target dir cargo uses for this workspace: `CARGO_TARGET_DIR`, else `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"))
}

/// `cargo xtask bench [--quick]`; 0 when every figure was measured (whether or not targets
/// hold: the table says), 1 when a step failed, 2 on bad usage.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut plan = Plan::full();
    for arg in args {
        match arg.as_str() {
            "--quick" => plan = Plan::quick(),
            // Hidden: seconds of codegen work, for trying the command end to end.
            "--tiny" => plan = Plan::tiny(),
            other => {
                let _ = writeln!(
                    err,
                    "bench: unknown argument `{other}`\nusage: cargo xtask bench [--quick]"
                );
                return 2;
            }
        }
    }
    let root = match crate::find_workspace_root() {
        Ok(root) => root,
        Err(e) => {
            let _ = writeln!(err, "bench: {e}");
            return 2;
        }
    };
    let started = Instant::now();
    let children = Cargo::new(&root);
    let Measured { figures, failures } = measure(&root, &plan, &children, err);
    if !failures.is_empty() {
        // No report: a partial one would fail its own shape check. The table shows what was
        // measured, and each failure says why the rest was not.
        let _ = write!(out, "{}", table(&figures));
        for f in &failures {
            for name in f.figures {
                let _ = writeln!(out, "| `{name}` | not measured | | | | |");
            }
        }
        for f in &failures {
            let _ = writeln!(err, "not measured: {}: {}", f.figures.join(", "), f.error);
        }
        let _ = writeln!(err, "bench failed: no report written");
        return 1;
    }
    let value = match report(&figures) {
        Ok(value) => value,
        Err(e) => {
            let _ = writeln!(err, "bench: {e}");
            return 1;
        }
    };
    let path = target_dir(&root).join("bench-report.json");
    let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    if let Err(e) = std::fs::create_dir_all(path.parent().unwrap_or(&root))
        .and_then(|_| std::fs::write(&path, text))
    {
        let _ = writeln!(err, "bench: writing {}: {e}", path.display());
        return 1;
    }
    let _ = write!(out, "{}", table(&figures));
    let _ = writeln!(
        out,
        "\nmachine: {}\nreport: {} ({:.0} s)",
        value["machine"].as_str().unwrap_or_default(),
        path.display(),
        started.elapsed().as_secs_f64()
    );
    0
}
