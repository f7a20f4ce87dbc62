//! The codegen pipeline, load → check → model → emit, timed in process (nothing is written).

use std::path::Path;
use std::time::Instant;

use super::stats::median;
use super::synth;

/// One run of the pipeline on `spec`, in milliseconds; the number of files it produced.
pub fn time_once(spec: &Path) -> Result<(f64, usize), String> {
    let started = Instant::now();
    let model = codegen::load_model(spec, "spec").map_err(|d| d.to_string())?;
    let files = codegen::emit::generate_all(&model);
    Ok((started.elapsed().as_secs_f64() * 1e3, files.len()))
}

/// The median of `samples` runs on the real spec, in milliseconds.
pub fn real_ms(spec: &Path, samples: usize) -> Result<f64, String> {
    time_once(spec)?; // Warm-up: the first run pays for lazily compiled templates and regexes.
    let times = (0..samples)
        .map(|_| time_once(spec).map(|(ms, _)| ms))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(median(&times))
}

/// Per-endpoint time at `large` endpoints over per-endpoint time at `small`: the median over
/// `pairs` pairs, each pair one run of each size back to back, alternating which goes first,
/// so load that comes and goes slows both sides of a pair alike. Also returns the medians of
/// the per-endpoint times (ms) at each size.
pub fn scaling(spec: &Path, small: usize, large: usize, pairs: usize) -> Result<Scaling, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let (small_dir, large_dir) = (tmp.path().join("small"), tmp.path().join("large"));
    for (dir, n) in [(&small_dir, small), (&large_dir, large)] {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        synth::write_spec(spec, dir, n)?;
    }
    let per_endpoint = |dir: &Path, n: usize| time_once(dir).map(|(ms, _)| ms / n as f64);
    per_endpoint(&small_dir, small)?; // Warm-up, as above.
    let (mut ratios, mut smalls, mut larges) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..pairs {
        let (s, l) = if i % 2 == 0 {
            let s = per_endpoint(&small_dir, small)?;
            (s, per_endpoint(&large_dir, large)?)
        } else {
            let l = per_endpoint(&large_dir, large)?;
            (per_endpoint(&small_dir, small)?, l)
        };
        ratios.push(l / s);
        smalls.push(s);
        larges.push(l);
    }
    Ok(Scaling {
        ratio: median(&ratios),
        small_ms: median(&smalls),
        large_ms: median(&larges),
    })
}

pub struct Scaling {
    pub ratio: f64,
    /// Per-endpoint milliseconds at the small size.
    pub small_ms: f64,
    /// Per-endpoint milliseconds at the large size.
    pub large_ms: f64,
}
