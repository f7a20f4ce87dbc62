//! `cargo xtask spec-diff`, run in-process: the semantic changelog between two specs, its
//! breaking-change verdict (exit 1), and bad input on either side (exit 2, naming the side).
//!
//! The real case is two frozen snapshots: `tests/spec-snapshots/2023-en/`, the spec with
//! `sendBatchAttachMsg` as the 2023 English page describes it (500 recipients, a 2000-character
//! payload, no `checkAccidAsyncEnable`), and `tests/spec-snapshots/2024-zh/`, the same with that
//! endpoint as the 2024 Chinese page describes it. Neither follows `spec/`, so a vendor update
//! of the live spec cannot fail these tests; the live spec is only edited, reading what it holds
//! (`live_edits`).

use std::fs;
use std::path::{Path, PathBuf};

mod live_edits;

use live_edits::{a_limited_list, edit_after};

/// The three changes the 2024 Chinese page brought, as markdown bullets.
const EXPECTED_BULLETS: [&str; 3] = [
    "- compatible — `toAccids`: max_items raised 500 → 5000",
    "- compatible — `payload`: max_chars raised 2000 → 2048",
    "- compatible — `checkAccidAsyncEnable`: new optional field of type `bool` (server default `false`)",
];

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn spec_diff(args: &[&str]) -> Run {
    let mut argv = vec!["spec-diff".to_owned()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(&argv, &mut out, &mut err);
    Run {
        code,
        out: String::from_utf8(out).expect("utf-8 out"),
        err: String::from_utf8(err).expect("utf-8 err"),
    }
}

fn root() -> PathBuf {
    xtask::workspace_root()
}

fn spec_dir() -> String {
    root().join("spec").display().to_string()
}

fn snapshot_dir() -> String {
    root()
        .join("tests/spec-snapshots/2023-en")
        .display()
        .to_string()
}

/// The 2024 snapshot, which the CHANGELOG entry compares the 2023 one with.
fn snapshot_2024_dir() -> String {
    root()
        .join("tests/spec-snapshots/2024-zh")
        .display()
        .to_string()
}

/// A copy of today's spec in a new temporary folder; returns the folder and the spec inside it.
fn copy_spec() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temporary folder");
    let to = temp.path().join("spec");
    yunxin_tests::temp_root::copy_dir(&root().join("spec"), &to);
    (temp, to)
}

/// Replaces the one occurrence of `from` in `file`.
fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).expect("readable spec file");
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur once in {}",
        file.display()
    );
    fs::write(file, text.replacen(from, to, 1)).expect("write spec file");
}

/// The 1-based line of the line that starts with `start` in `file`.
fn line_of_start(file: &Path, start: &str) -> usize {
    let text = fs::read_to_string(file).expect("readable spec file");
    text.lines()
        .position(|l| l.starts_with(start))
        .expect("line present")
        + 1
}

/// The 1-based line of `line` in `file`.
fn line_of(file: &Path, line: &str) -> usize {
    let text = fs::read_to_string(file).expect("readable spec file");
    text.lines().position(|l| l == line).expect("line present") + 1
}

#[test]
fn snapshot_2023_en_to_2024_zh_reports_three_compatible_changes() {
    let run = spec_diff(&[&snapshot_dir(), &snapshot_2024_dir()]);
    assert_eq!(
        run.code, 0,
        "no breaking change expected:\n{}{}",
        run.out, run.err
    );
    assert!(run.err.is_empty(), "{}", run.err);
    for line in [
        "  compatible  `toAccids`: max_items raised 500 → 5000  [endpoints.send_batch_attach_msg.fields.toAccids.max_items]",
        "  compatible  `payload`: max_chars raised 2000 → 2048  [endpoints.send_batch_attach_msg.fields.payload.max_chars]",
        "  compatible  `checkAccidAsyncEnable`: new optional field of type `bool` (server default `false`)  [endpoints.send_batch_attach_msg.fields.checkAccidAsyncEnable]",
    ] {
        assert!(run.out.contains(line), "missing `{line}` in:\n{}", run.out);
    }
    assert!(run.out.contains("\nsend_batch_attach_msg\n"), "{}", run.out);
    assert!(
        run.out
            .trim_end()
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("0 breaking, "),
        "{}",
        run.out
    );
}

#[test]
fn snapshot_2023_en_to_2024_zh_as_markdown() {
    let run = spec_diff(&[
        &snapshot_dir(),
        &snapshot_2024_dir(),
        "--format",
        "markdown",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(run.out.starts_with("## Spec changes\n"), "{}", run.out);
    assert!(run.out.contains("\nSummary: 0 breaking, "), "{}", run.out);
    let section = run
        .out
        .split("\n### send_batch_attach_msg\n")
        .nth(1)
        .expect("a send_batch_attach_msg section");
    let section = section.split("\n### ").next().unwrap_or_default();
    for bullet in EXPECTED_BULLETS {
        assert!(
            section.lines().any(|l| l == bullet),
            "missing `{bullet}` in:\n{}",
            run.out
        );
    }
    assert!(!run.out.contains("**breaking**"), "{}", run.out);
}

#[test]
fn the_2024_snapshot_back_to_the_2023_one_is_breaking() {
    let run = spec_diff(&[
        &snapshot_2024_dir(),
        &snapshot_dir(),
        "--format",
        "markdown",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    for bullet in [
        "- **breaking** — `toAccids`: max_items lowered 5000 → 500",
        "- **breaking** — `payload`: max_chars lowered 2048 → 2000",
        "- **breaking** — `checkAccidAsyncEnable`: field removed",
    ] {
        assert!(
            run.out.lines().any(|l| l == bullet),
            "missing `{bullet}` in:\n{}",
            run.out
        );
    }
}

#[test]
fn identical_specs_have_no_changes() {
    let run = spec_diff(&[&spec_dir(), &spec_dir()]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(run.out.contains("no semantic changes"), "{}", run.out);
}

#[test]
fn a_git_revision_is_compared_with_the_working_tree() {
    let run = spec_diff(&["HEAD"]);
    // Exit 1 is fine: the working tree may hold a breaking change that is not committed yet.
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}:\n{}{}",
        run.code,
        run.out,
        run.err
    );
    assert!(
        run.out
            .starts_with("spec changes: HEAD → spec (working tree)\n"),
        "{}",
        run.out
    );
}

#[test]
fn a_missing_git_revision_is_bad_input_on_the_old_side() {
    let run = spec_diff(&["no-such-revision-6d1f"]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err
            .contains("old side: git revision `no-such-revision-6d1f` not found"),
        "{}",
        run.err
    );
    assert!(run.out.is_empty(), "{}", run.out);
    let run = spec_diff(&["--format", "markdown", "-x"]);
    assert_eq!(
        run.code, 2,
        "an option-like revision is refused: {}",
        run.err
    );
}

#[test]
fn an_unparsable_old_side_is_bad_input_located() {
    let (_temp, old) = copy_spec();
    let file = yunxin_tests::spec_edit::endpoint_file(&old, "send_batch_msg");
    let relative = yunxin_tests::spec_edit::endpoint_relative(&old, "send_batch_msg");
    let line = line_of(&file, "  toAccids:");
    edit(&file, "\n  toAccids:\n", "\n\ttoAccids:\n");
    let old = old.display().to_string();
    let run = spec_diff(&[&old, &spec_dir()]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err
            .contains(&format!("old side ({old}): the spec does not load")),
        "{}",
        run.err
    );
    assert!(
        run.err.contains(&format!("{old}/{relative}:{line}:")),
        "{}",
        run.err
    );
    assert!(!run.err.contains("new side"), "{}", run.err);
    assert!(run.out.is_empty(), "{}", run.out);
}

#[test]
fn an_unparsable_new_side_is_bad_input_located() {
    let (_temp, new) = copy_spec();
    let file = yunxin_tests::spec_edit::endpoint_file(&new, "send_batch_attach_msg");
    let relative = yunxin_tests::spec_edit::endpoint_relative(&new, "send_batch_attach_msg");
    let line = line_of(&file, "  payload:");
    edit(&file, "\n  payload:\n", "\n  payload: [\n");
    let new = new.display().to_string();
    let run = spec_diff(&[&spec_dir(), &new]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err
            .contains(&format!("new side ({new}): the spec does not load")),
        "{}",
        run.err
    );
    assert!(
        run.err.contains(&format!("{new}/{relative}:")),
        "{}",
        run.err
    );
    assert!(!run.err.contains("old side"), "{}", run.err);
    // The YAML error is reported at or after the broken line.
    let at: usize = run
        .err
        .split("send_batch_attach_msg.yaml:")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|n| n.parse().ok())
        .expect("a line number");
    assert!(
        at >= line,
        "line {at} is before the broken line {line}: {}",
        run.err
    );
}

#[test]
fn a_spec_that_fails_its_checks_is_bad_input_located() {
    let (_temp, new) = copy_spec();
    let (endpoint, wire, _) = a_limited_list();
    let file = yunxin_tests::spec_edit::endpoint_file(&new, &endpoint);
    let relative = yunxin_tests::spec_edit::endpoint_relative(&new, &endpoint);
    edit_after(
        &file,
        &["\nfields:\n", &format!("\n  {wire}:\n")],
        "    type: list<",
        "    type: list<strng",
    );
    let line = line_of_start(&file, "    type: list<strng");
    let new = new.display().to_string();
    let run = spec_diff(&[&spec_dir(), &new]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err.starts_with(&format!(
            "spec-diff: new side ({new}): the spec does not load;"
        )),
        "{}",
        run.err
    );
    let located = format!("\n  {new}/{relative}:{line}:5: endpoints.{endpoint}.fields.{wire}.type: unknown type `strng");
    assert!(
        run.err.contains(&located),
        "missing `{located}` in:\n{}",
        run.err
    );
}

#[test]
fn both_sides_broken_reports_both() {
    let (_temp, dir) = copy_spec();
    edit(&dir.join("api.yaml"), "\ntitle:", "\ntitel:");
    let dir = dir.display().to_string();
    let run = spec_diff(&[&dir, &dir]);
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains(&format!("old side ({dir})"))
            && run.err.contains(&format!("new side ({dir})")),
        "{}",
        run.err
    );
    assert!(run.err.contains(&format!("{dir}/api.yaml:")), "{}", run.err);
}

#[test]
fn a_missing_folder_is_bad_input() {
    let run = spec_diff(&[&spec_dir(), "/no/such/spec-folder"]);
    assert_eq!(run.code, 2);
    assert!(
        run.err
            .contains("new side: spec folder `/no/such/spec-folder` not found"),
        "{}",
        run.err
    );
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &[][..],
        &["a", "b", "c"][..],
        &["HEAD", "--format", "xml"][..],
        &["HEAD", "--format"][..],
        &["HEAD", "--verbose"][..],
    ] {
        let run = spec_diff(args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.out, run.err);
        assert!(
            run.err.contains("usage: cargo xtask spec-diff"),
            "{args:?}: {}",
            run.err
        );
    }
}

/// CHANGELOG.md holds the entry `spec-diff tests/spec-snapshots/2023-en tests/spec-snapshots/2024-zh
/// --format markdown` made; it must still be what the command prints.
#[test]
fn changelog_holds_the_2023_to_2024_entry() {
    let changelog = fs::read_to_string(root().join("CHANGELOG.md"))
        .expect("CHANGELOG.md at the workspace root");
    assert!(
        changelog.contains("\n## Spec changes\n"),
        "CHANGELOG.md lacks the `## Spec changes` section"
    );
    let printed = spec_diff(&[
        &snapshot_dir(),
        &snapshot_2024_dir(),
        "--format",
        "markdown",
    ])
    .out;
    for bullet in EXPECTED_BULLETS {
        assert!(
            changelog.lines().any(|l| l == bullet),
            "CHANGELOG.md lacks `{bullet}`"
        );
    }
    // The whole section, with the folders named as the CHANGELOG's command names them.
    let printed = printed.replace(&format!("{}/", root().display()), "");
    assert!(
        changelog.contains(&printed),
        "CHANGELOG.md no longer holds what spec-diff prints:\n{printed}"
    );
}
