//! Wall time of building the client alone, its dependencies already built: build once, mark
//! its root source changed (`touch`; `cargo clean -p` would also delete artifacts other clones
//! sharing the target dir use), build again and time that. Without incremental compilation:
//! after a touch it would reuse nearly all of the last build and time almost nothing.

use std::fs::File;
use std::io::Write;
use std::time::{Instant, SystemTime};

use super::Cargo;
use crate::bench::Plan;

/// `features`: `None` for the default features, or the features to build with instead.
pub fn measure(
    cargo: &Cargo,
    _plan: &Plan,
    features: Option<&str>,
    log: &mut dyn Write,
) -> Result<f64, String> {
    let mut args = vec!["build", "-p", "yunxin-im"];
    if let Some(features) = features {
        args.extend(["--no-default-features", "--features", features]);
    }
    let build = |log: &mut dyn Write| cargo.run_with_env(&args, &[("CARGO_INCREMENTAL", "0")], log);
    build(log)?;
    let lib = cargo.root.join("generated-client/src/lib.rs");
    File::options()
        .append(true)
        .open(&lib)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", lib.display()))?;
    let started = Instant::now();
    build(log)?;
    Ok(started.elapsed().as_secs_f64())
}
