//! `cargo xtask fuzz-spec --seeds N [--start S]`: the spec fuzzer on more seeds than `cargo
//! xtask test` runs. It runs that same test (`tests/it/spec_fuzz.rs`) with the seeds in
//! `SPEC_FUZZ_START` and `SPEC_FUZZ_SEEDS`, so both exercise one harness; the test prints each
//! seed's outcome and, for a failing one, the command that reruns it alone.

use std::io::Write;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The seeds to run: `count` of them from `start`.
#[derive(Debug, PartialEq)]
pub struct Seeds {
    pub start: u64,
    pub count: u64,
}

/// Reads `--seeds N [--start S]`; without `--start`, the seeds start at the current Unix time,
/// so that each run tries new ones (each is printed, so any is reproducible).
pub fn parse(args: &[String], now: u64) -> Result<Seeds, String> {
    let mut seeds = Seeds {
        start: now,
        count: 0,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a number"))?;
        let number: u64 = value
            .parse()
            .map_err(|_| format!("{flag} {value}: not a number"))?;
        match flag.as_str() {
            "--seeds" => seeds.count = number,
            "--start" => seeds.start = number,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if seeds.count == 0 {
        return Err("--seeds N (at least 1) is required".into());
    }
    Ok(seeds)
}

pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let seeds = match parse(args, now) {
        Ok(seeds) => seeds,
        Err(e) => {
            let _ = writeln!(
                err,
                "fuzz-spec: {e}\nusage: cargo xtask fuzz-spec --seeds N [--start S]"
            );
            return 2;
        }
    };
    let _ = writeln!(
        out,
        "fuzz-spec: seeds {}..{} (each builds a generated crate: about 8-15 s a seed warm on 2 cores)",
        seeds.start,
        seeds.start + seeds.count - 1
    );
    let _ = out.flush();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(crate::workspace_root())
        .args([
            "test",
            "-p",
            "yunxin-tests",
            "--test",
            "it",
            "--",
            "spec_fuzz::",
            "--nocapture",
        ])
        .env("SPEC_FUZZ_START", seeds.start.to_string())
        .env("SPEC_FUZZ_SEEDS", seeds.count.to_string())
        .status();
    match status {
        Ok(s) if s.success() => 0,
        Ok(_) => 1,
        Err(e) => {
            let _ = writeln!(err, "fuzz-spec: cargo does not run: {e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn seeds_and_start_are_read_and_start_defaults_to_now() {
        assert_eq!(
            parse(&args("--seeds 5 --start 7"), 99),
            Ok(Seeds { start: 7, count: 5 })
        );
        assert_eq!(
            parse(&args("--seeds 3"), 99),
            Ok(Seeds {
                start: 99,
                count: 3
            })
        );
        assert!(parse(&args(""), 99).is_err());
        assert!(parse(&args("--seeds 0"), 99).is_err());
        assert!(parse(&args("--seeds x"), 99).is_err());
        assert!(parse(&args("--start 1"), 99).is_err());
        assert!(parse(&args("--seeds 1 --bogus 2"), 99).is_err());
    }
}
