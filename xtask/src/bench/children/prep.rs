//! Request preparation through the existing criterion bench, `benches/prep.rs`.
//! Reused rather than re-timed here: it already checks that both sides produce the same bytes
//! and pairs them (alternating short batches, median of the pairs' ratios), and it is the figure
//! the README cites; a second timing loop would drift from it. Its paired ratio is the figure.

use std::io::Write;

use serde_json::Value;

use super::Cargo;
use crate::bench::{Plan, Prep};

pub fn measure(cargo: &Cargo, plan: &Plan, log: &mut dyn Write) -> Result<Prep, String> {
    let home = std::env::var_os("CRITERION_HOME")
        .map(Into::into)
        .unwrap_or_else(|| cargo.target_dir().join("criterion"));
    let summary = home.join("prep_summary.json");
    // A summary left by an earlier run must not pass for this one's.
    let _ = std::fs::remove_file(&summary);
    let mut args = vec!["bench", "-p", "yunxin-bench", "--bench", "prep", "--"];
    if plan.quick {
        args.extend([
            "--warm-up-time",
            "0.5",
            "--measurement-time",
            "1",
            "--sample-size",
            "10",
        ]);
    }
    let stdout = cargo.run(&args, log)?;
    for line in stdout.lines().filter(|l| l.contains("paired ratio")) {
        let _ = writeln!(log, "  {line}");
    }
    let text = std::fs::read_to_string(&summary)
        .map_err(|e| format!("{} was not written: {e}", summary.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", summary.display()))?;
    let paired = |group: &str| {
        value["cases"]
            .as_array()
            .and_then(|cases| cases.iter().find(|c| c["group"] == group))
            .and_then(|c| c["paired_ratio"].as_f64())
            .ok_or_else(|| format!("{} has no paired_ratio for {group}", summary.display()))
    };
    Ok(Prep {
        ratio_500: paired("prep_send_batch_msg_500")?,
        ratio_5000: paired("prep_send_batch_attach_msg_5000")?,
    })
}
