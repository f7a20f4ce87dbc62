//! Project hygiene that no compiler checks: the declared minimum Rust version is the true one,
//! the hand-written runtime names nothing generated, and generated code stays lean.

use std::fs;
use std::process::Command;

use serde_json::Value;

fn metadata() -> Value {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(xtask::workspace_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}

/// The workspace's `rust-version` is what its locked dependencies need, no lower (it would not
/// build) and no higher (it would turn users away for nothing); every member inherits it, and
/// clippy's `incompatible_msrv` (run by `.ci/run` with warnings as errors) keeps our own code
/// within it.
#[test]
fn rust_version_is_the_true_minimum_and_every_crate_declares_it() {
    let meta = metadata();
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let packages = meta["packages"].as_array().unwrap();
    let (ours, theirs): (Vec<&Value>, Vec<&Value>) = packages
        .iter()
        .partition(|p| members.contains(&p["id"].as_str().unwrap()));
    let needed = theirs
        .iter()
        .filter_map(|p| {
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            p["rust_version"].as_str().map(|v| (version(v), name))
        })
        .max()
        .expect("dependencies declare rust versions");
    for p in &ours {
        let declared = p["rust_version"].as_str().map(version);
        assert_eq!(
            declared.as_ref(),
            Some(&needed.0),
            "{} declares rust-version {:?}; the locked dependencies need {:?} ({}): set \
             `rust-version` in the workspace Cargo.toml and `rust-version.workspace = true` in \
             every member",
            p["name"],
            p["rust_version"],
            needed.0,
            needed.1
        );
    }
}

#[test]
fn the_runtime_names_nothing_generated() {
    let runtime = xtask::workspace_root().join("generated-client/src/runtime");
    let model = yunxin_tests::calls::model();
    let mut generated: Vec<String> = ["generated", "types", "status", "hosts", "dynamic"]
        .iter()
        .map(|m| format!("crate::{m}::"))
        .collect();
    generated.extend(
        model
            .endpoints
            .iter()
            .map(|e| format!("crate::{}::", e.name)),
    );
    let mut found = Vec::new();
    // Modules of the runtime may have folders of their own (pacing_redis/).
    let mut files = Vec::new();
    let mut folders = vec![runtime];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("pacing_redis/url.rs")),
        "{files:?}"
    );
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            for name in &generated {
                if line.contains(name.as_str()) {
                    found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the runtime must get what it needs through Endpoint data or a trait:\n{}",
        found.join("\n")
    );
}

/// Generated code stays lean: at most this many Rust lines per endpoint on the real spec, shared
/// modules (types, dynamic dispatch, status codes) included.
const MAX_LINES_PER_ENDPOINT: usize = 500;

#[test]
fn generated_rust_stays_under_500_lines_per_endpoint() {
    let dir = xtask::workspace_root().join("generated-client/src/generated");
    let lines: usize = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| fs::read_to_string(p).unwrap().lines().count())
        .sum();
    let endpoints = yunxin_tests::calls::model().endpoints.len();
    assert!(endpoints > 0 && lines > 0);
    assert!(
        lines <= MAX_LINES_PER_ENDPOINT * endpoints,
        "{lines} generated lines for {endpoints} endpoints: {} per endpoint, over {MAX_LINES_PER_ENDPOINT}",
        lines / endpoints
    );
}

/// Every compile-fail case in `tests/compile/cases/` is registered as a rustdoc test in
/// `tests/compile/src/lib.rs`, and every case holds the `case!` with both parts: a file left out
/// of the list, or a case without its allowed twin, would prove nothing and fail no test.
#[test]
fn every_compile_fail_case_is_registered_with_both_parts() {
    let dir = xtask::workspace_root().join("tests/compile");
    let lib = fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    let mut cases = 0;
    for entry in fs::read_dir(dir.join("cases")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        assert!(
            lib.contains(&format!("compile_fail_case!({name});")),
            "tests/compile/cases/{name}.rs is not listed in tests/compile/src/lib.rs"
        );
        let text = fs::read_to_string(&path).unwrap();
        for part in ["case! {", "forbidden: {", "allowed: {"] {
            assert_eq!(text.matches(part).count(), 1, "{part} in {name}.rs");
        }
        cases += 1;
    }
    assert!(cases > 0, "no compile-fail case found");
}
