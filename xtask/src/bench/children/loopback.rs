//! Calls per second against a local server: `benches/loopback.rs` (a bench
//! target, so it builds with the client in release and xtask stays free of it). It prints one
//! JSON line, `{"c1":{"ratio":…,…},"c64":{"ratio":…,…}}`, ratio = client / raw reqwest.

use std::io::Write;

use serde_json::Value;

use super::Cargo;
use crate::bench::{Loopback, Plan};

pub fn measure(cargo: &Cargo, plan: &Plan, log: &mut dyn Write) -> Result<Loopback, String> {
    let rounds = if plan.quick { "6" } else { "16" };
    let args = [
        "bench",
        "-p",
        "yunxin-bench",
        "--bench",
        "loopback",
        "--",
        "--rounds",
        rounds,
    ];
    let stdout = cargo.run(&args, log)?;
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or_else(|| format!("the loopback bench printed no JSON line:\n{stdout}"))?;
    let _ = writeln!(log, "  {line}");
    let value: Value = serde_json::from_str(line).map_err(|e| format!("loopback's JSON: {e}"))?;
    let ratio = |key: &str| {
        value[key]["ratio"]
            .as_f64()
            .ok_or_else(|| format!("loopback's JSON has no {key}.ratio: {line}"))
    };
    Ok(Loopback {
        ratio_c1: ratio("c1")?,
        ratio_c64: ratio("c64")?,
    })
}
