//! Broken specs must fail loudly, precisely and harmlessly.
//!
//! Each folder under `tests/broken-specs/` is a small spec with known problems and an
//! `expected.txt` listing the located messages they must produce. A new folder is a new case; no
//! Rust code changes. Every case runs `xtask codegen` in-process, with and without `--check`, and
//! must: not panic, exit non-zero, print every expected line, and leave the output tree exactly
//! as it was (a broken spec writes and deletes nothing).
//!
//! A case may also hold `near-miss/`: files that replace the case's own to make the valid spec
//! closest to it (the same names or values on the accepted side of the line). It must generate,
//! so a check that refused too much, or one that refused everything alike, fails here.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    xtask::workspace_root().join("tests/broken-specs")
}

/// The case folders, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("tests/broken-specs is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Every file under `dir` with its bytes: compared before and after a run to catch any write or delete.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("readable folder") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).expect("readable file");
                files.insert(
                    path.strip_prefix(dir).expect("under dir").to_path_buf(),
                    bytes,
                );
            }
        }
    }
    files
}

/// The folder of a case's valid near miss, which is not part of the broken spec.
const NEAR_MISS: &str = "near-miss";

fn copy_dir(from: &Path, to: &Path) {
    for (relative, bytes) in snapshot(from) {
        if relative.starts_with(NEAR_MISS) {
            continue;
        }
        let target = to.join(relative);
        fs::create_dir_all(target.parent().expect("has a parent")).expect("create folder");
        fs::write(target, bytes).expect("write file");
    }
}

/// A root that already holds generated output, including a stale file listed in the manifest, so
/// that both a write and a stale-file deletion would show in the snapshot.
fn sentinel_root(root: &Path) {
    let files = [
        ("generated-client/src/generated/mod.rs", "// sentinel: must survive a broken spec\n"),
        ("generated-client/src/generated/old_endpoint.rs", "// sentinel: stale, listed in the manifest\n"),
        (
            "generated-client/codegen-manifest.txt",
            "# sentinel manifest\ngenerated-client/src/generated/mod.rs\ngenerated-client/src/generated/old_endpoint.rs\n",
        ),
        ("generated-client/docs/README.md", "sentinel docs\n"),
    ];
    for (path, contents) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
        fs::write(path, contents).expect("write sentinel");
    }
}

struct Outcome {
    /// `Err` holds the panic message.
    code: Result<i32, String>,
    stdout: String,
    stderr: String,
}

/// Runs `xtask codegen` in-process; a panic becomes an `Err`, not a failed test, so every case is reported.
fn codegen(spec: &Path, root: &Path, check: bool) -> Outcome {
    let mut args = vec![
        "codegen".to_owned(),
        "--spec".to_owned(),
        spec.display().to_string(),
    ];
    args.extend(["--root".to_owned(), root.display().to_string()]);
    if check {
        args.push("--check".to_owned());
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = catch_unwind(AssertUnwindSafe(|| xtask::run(&args, &mut out, &mut err))).map_err(
        |payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "non-string panic".to_owned())
        },
    );
    Outcome {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// What is wrong with one run of a broken case; empty when it behaved.
///
/// An expected line must begin some stderr line: the location and the message are pinned, but a
/// message may grow a tail (such as the YAML parser's "while parsing ..." context).
fn problems_of_run(expected: &[&str], spec: &Path, check: bool) -> Vec<String> {
    let folder = if check { "root-check" } else { "root" };
    let root = spec.parent().expect("spec has a parent").join(folder);
    sentinel_root(&root);
    let before = snapshot(&root);
    let run = codegen(spec, &root, check);
    let mode = if check { "codegen --check" } else { "codegen" };
    let mut problems = Vec::new();
    match run.code {
        Err(message) => problems.push(format!("{mode} panicked: {message}")),
        Ok(0) => problems.push(format!("{mode} exited 0")),
        Ok(_) => {}
    }
    if run.stdout.contains("panicked") || run.stderr.contains("panicked") {
        problems.push(format!("{mode} printed \"panicked\""));
    }
    for line in expected {
        if !run.stderr.lines().any(|actual| actual.starts_with(line)) {
            problems.push(format!("{mode} did not print: {line}"));
        }
    }
    if snapshot(&root) != before {
        problems.push(format!("{mode} changed the output tree"));
    }
    if !problems.is_empty() {
        problems.push(format!("{mode} stderr was:\n{}", run.stderr.trim_end()));
    }
    problems
}

#[test]
fn every_broken_spec_is_reported_and_writes_nothing() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let expected_text = fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        let expected: Vec<&str> = expected_text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        // Without expected lines a case would pass on any failure, including the wrong one.
        if expected.is_empty() {
            failures.push(format!("{name}: expected.txt is missing or empty"));
            continue;
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        let spec = tmp.path().join("spec");
        // The copy's folder name is the label in messages: `spec/...`.
        fs::create_dir(&spec).expect("create spec folder");
        copy_dir(&case, &spec);
        fs::remove_file(spec.join("expected.txt")).ok();
        for check in [false, true] {
            for problem in problems_of_run(&expected, &spec, check) {
                failures.push(format!("{name}: {problem}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) with broken-spec cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_near_miss_generates() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for case in cases() {
        let overlay = case.join(NEAR_MISS);
        if !overlay.is_dir() {
            continue;
        }
        seen += 1;
        let name = case
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let tmp = tempfile::tempdir().expect("temp dir");
        let spec = tmp.path().join("spec");
        fs::create_dir(&spec).expect("create spec folder");
        copy_dir(&case, &spec);
        fs::remove_file(spec.join("expected.txt")).ok();
        for (relative, bytes) in snapshot(&overlay) {
            let target = spec.join(relative);
            fs::create_dir_all(target.parent().expect("has a parent")).expect("create folder");
            fs::write(target, bytes).expect("write near-miss file");
        }
        let root = tmp.path().join("root");
        fs::create_dir(&root).expect("create root");
        let run = codegen(&spec, &root, false);
        if run.code != Ok(0) {
            failures.push(format!(
                "{name}: the near miss is refused:\n{}",
                run.stderr.trim_end()
            ));
        }
    }
    assert!(seen > 0, "no case has a {NEAR_MISS}/ folder");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn there_are_enough_cases() {
    let count = cases().len();
    assert!(
        count >= 15,
        "only {count} cases under tests/broken-specs; the suite expects at least 15"
    );
}

/// The harness must also see success: the real spec generates into an empty root, exits 0 and
/// writes files, and `--check` then finds them current. Otherwise a harness that always fails
/// would make every broken case pass.
#[test]
fn the_real_spec_passes_the_same_harness() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("root");
    fs::create_dir(&root).expect("create root");
    let spec = xtask::workspace_root().join("spec");

    let run = codegen(&spec, &root, false);
    assert_eq!(
        run.code,
        Ok(0),
        "codegen failed on the real spec:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked") && !run.stdout.contains("panicked"));
    let written = snapshot(&root);
    assert!(
        written.contains_key(Path::new(xtask::codegen_cmd::MANIFEST)),
        "no manifest written: {:?}",
        written.keys()
    );
    assert!(written.len() > 1, "only {} file(s) written", written.len());

    let check = codegen(&spec, &root, true);
    assert_eq!(
        check.code,
        Ok(0),
        "codegen --check failed right after codegen:\n{}",
        check.stderr
    );
    assert_eq!(snapshot(&root), written, "codegen --check changed the tree");
}
