//! The server's configuration and its command line (the contract other tests and the bench use).

use std::path::PathBuf;
use std::time::Duration;

use super::faults::{Fault, FaultPlan};

/// How the server limits, injects faults and reports.
#[derive(Debug, Clone)]
pub struct Config {
    /// Calls admitted per window.
    pub calls: u32,
    pub window: Duration,
    /// How long the app stays blocked after going over the limit.
    pub block: Duration,
    pub faults: FaultPlan,
    /// Accids whose number (`r<number>`) is a multiple of this are unregistered.
    pub unregistered_every: Option<u64>,
    pub app_secret: String,
    /// How late a `slow_reply` answers: longer than any client timeout the tests use.
    pub slow: Duration,
    /// Where the summary goes when the server stops (the binary only).
    pub summary: Option<PathBuf>,
    /// Whether the summary carries the per-request log (off for million-recipient runs).
    pub log: bool,
}

/// The secret the server checks signatures with unless told otherwise.
pub const DEFAULT_APP_SECRET: &str = "fault-secret";

impl Config {
    /// A limit of `calls` per `window_ms`, no faults.
    pub fn new(calls: u32, window_ms: u64, block_ms: u64) -> Config {
        Config {
            calls,
            window: Duration::from_millis(window_ms),
            block: Duration::from_millis(block_ms),
            faults: FaultPlan::None,
            unregistered_every: None,
            app_secret: DEFAULT_APP_SECRET.to_owned(),
            slow: Duration::from_millis(2000),
            summary: None,
            log: true,
        }
    }

    /// Reads the command line (without the program name):
    /// `--calls N --window-ms W --block-ms B [--seed S] [--faults none|all]
    /// [--unregistered-every K] [--app-secret SECRET] [--slow-ms MS] [--no-log] --summary PATH`.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
        let mut args = args.into_iter();
        let (mut calls, mut window, mut block) = (None, None, None);
        let mut seed = 0u64;
        let mut all_faults = false;
        let mut config = Config::new(0, 0, 0);
        while let Some(flag) = args.next() {
            if flag == "--no-log" {
                config.log = false;
                continue;
            }
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: {value:?} is not a whole number"))
            };
            match flag.as_str() {
                "--calls" => calls = Some(number()?),
                "--window-ms" => window = Some(number()?),
                "--block-ms" => block = Some(number()?),
                "--seed" => seed = number()?,
                "--slow-ms" => config.slow = Duration::from_millis(number()?),
                "--unregistered-every" => {
                    config.unregistered_every = Some(number()?).filter(|&k| k > 0)
                }
                "--app-secret" => config.app_secret = value,
                "--summary" => config.summary = Some(PathBuf::from(value)),
                "--faults" => {
                    all_faults = match value.as_str() {
                        "none" => false,
                        "all" => true,
                        _ => return Err(format!("--faults: {value:?} is neither none nor all")),
                    }
                }
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        let calls = calls.ok_or("--calls is required")?;
        config.calls = u32::try_from(calls)
            .ok()
            .filter(|&c| c > 0)
            .ok_or("--calls must be between 1 and 2^32-1")?;
        config.window = Duration::from_millis(window.ok_or("--window-ms is required")?);
        config.block = Duration::from_millis(block.ok_or("--block-ms is required")?);
        if config.summary.is_none() {
            return Err("--summary is required".to_owned());
        }
        if all_faults {
            config.faults = FaultPlan::Random { seed };
        }
        Ok(config)
    }

    /// Faults in this order, one per request as the server numbers them, then none.
    pub fn script(mut self, faults: Vec<Fault>) -> Config {
        self.faults = FaultPlan::Script(faults);
        self
    }
}
