//! Size of the generated code: Rust lines under `generated-client/src/generated` per endpoint
//! of the spec (the hygiene test holds the same count to 500).

use std::fs;
use std::path::Path;

pub fn per_endpoint(root: &Path) -> Result<f64, String> {
    let count = |dir: &Path, ext: &str| -> Result<Vec<String>, String> {
        let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .map(|p| fs::read_to_string(p).unwrap_or_default())
            .collect())
    };
    let lines: usize = count(&root.join("generated-client/src/generated"), "rs")?
        .iter()
        .map(|text| text.lines().count())
        .sum();
    // Endpoint files sit in `endpoints/` and its domain folders.
    let top = root.join("spec/endpoints");
    let mut endpoints = count(&top, "yaml")?.len();
    for entry in fs::read_dir(&top)
        .map_err(|e| format!("{}: {e}", top.display()))?
        .flatten()
    {
        if entry.path().is_dir() {
            endpoints += count(&entry.path(), "yaml")?.len();
        }
    }
    if endpoints == 0 {
        return Err("the spec has no endpoints".into());
    }
    Ok(lines as f64 / endpoints as f64)
}
