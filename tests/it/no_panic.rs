//! No input makes the spec pipeline panic: every one-line deletion and many truncations of the
//! real spec files must give either a model or located diagnostics.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

fn spec_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// Loads a copy of the spec in which `relative` holds `text`; returns a panic message if any.
fn load_with(spec: &Path, tmp: &Path, relative: &Path, text: &str) -> Option<String> {
    fs::write(tmp.join(relative), text).unwrap();
    let result = catch_unwind(AssertUnwindSafe(|| {
        if let Err(diags) = codegen::load_model(tmp, "spec") {
            // Every problem must say where it is.
            assert!(!diags.0.is_empty());
            for d in &diags.0 {
                assert!(d.file.starts_with("spec/"), "unlocated: {d}");
            }
        }
    }));
    fs::write(
        tmp.join(relative),
        fs::read_to_string(spec.join(relative)).unwrap(),
    )
    .unwrap();
    result.err().map(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn mutated_specs_never_panic() {
    let spec = xtask::workspace_root().join("spec");
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("spec");
    fs::create_dir_all(copy.join("endpoints")).unwrap();
    let mut files = Vec::new();
    spec_files(&spec, &mut files);
    for f in &files {
        fs::copy(f, copy.join(f.strip_prefix(&spec).unwrap())).unwrap();
    }
    let mut panics = Vec::new();
    let mut runs = 0;
    for f in &files {
        let relative = f.strip_prefix(&spec).unwrap();
        let text = fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // Every other line keeps the run affordable; both parities of YAML structure still occur.
        let mut variants: Vec<(String, String)> = (0..lines.len())
            .step_by(2)
            .map(|i| {
                let mut kept = lines.clone();
                kept.remove(i);
                (format!("without line {}", i + 1), kept.join("\n"))
            })
            .collect();
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(331).collect();
        variants.extend(
            cuts.into_iter()
                .map(|at| (format!("cut at byte {at}"), text[..at].to_owned())),
        );
        for (what, mutated) in variants {
            runs += 1;
            if let Some(message) = load_with(&spec, &copy, relative, &mutated) {
                panics.push(format!("{} {what}: {message}", relative.display()));
            }
        }
    }
    assert!(runs > 500, "only {runs} mutations ran");
    assert!(
        panics.is_empty(),
        "{} of {runs} mutated specs panicked:\n{}",
        panics.len(),
        panics.join("\n")
    );
}
