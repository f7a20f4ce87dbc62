//! `cargo xtask spec-diff`: the semantic changelog between two versions of the spec, and whether
//! any change breaks users of the generated client.
//!
//! - `spec-diff <git-rev>`: the spec at that revision (old) against the working tree's `spec/`.
//! - `spec-diff <old-dir> <new-dir>`: two spec folders.
//! - `--format text` (default) or `--format markdown` (a `## Spec changes` section for
//!   `CHANGELOG.md`).
//!
//! Exit codes: 0 when no change is breaking, 1 when some are, 2 on bad input (usage, a revision
//! or folder that does not exist, a spec that does not load on either side).

mod git;

use std::io::Write;
use std::path::{Path, PathBuf};

use codegen::diff::{self, SpecDiff};
use codegen::model::Model;

const USAGE: &str = "usage: cargo xtask spec-diff <git-rev> | <old-spec-dir> <new-spec-dir> [--format text|markdown]";

/// How the changelog is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
}

/// Where one side's spec comes from.
#[derive(Debug, Clone)]
enum Source {
    /// A git revision, whose `spec/` folder is read with git.
    Rev(String),
    /// A spec folder, as given on the command line.
    Dir(String),
}

struct Options {
    format: Format,
    old: Source,
    new: Source,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut format = Format::Text;
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--format" => {
                format = match it.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("markdown") => Format::Markdown,
                    Some(other) => {
                        return Err(format!("unknown format `{other}`; use text or markdown"))
                    }
                    None => return Err("--format needs a value: text or markdown".into()),
                }
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            _ => positional.push(arg.clone()),
        }
    }
    let (old, new) = match positional.as_slice() {
        [rev] => (Source::Rev(rev.clone()), Source::Dir(String::new())),
        [old, new] => (Source::Dir(old.clone()), Source::Dir(new.clone())),
        [] => return Err("give a git revision, or an old and a new spec folder".into()),
        _ => {
            return Err(format!(
                "expected one git revision or two spec folders, got {} arguments",
                positional.len()
            ))
        }
    };
    Ok(Options { format, old, new })
}

/// Loads one side; `side` is `old side` or `new side`. Returns the model and its label.
fn load(side: &str, source: &Source) -> Result<(Model, String), String> {
    match source {
        Source::Rev(rev) => {
            let root = crate::find_workspace_root().map_err(|e| format!("{side}: {e}"))?;
            let export = git::export_spec(&root, rev).map_err(|e| format!("{side}: {e}"))?;
            let model = load_dir(side, rev, export.path(), &format!("{rev}:spec"))?;
            Ok((model, rev.clone()))
        }
        // The working tree's spec, the new side of `spec-diff <git-rev>`.
        Source::Dir(dir) if dir.is_empty() => {
            let root = crate::find_workspace_root().map_err(|e| format!("{side}: {e}"))?;
            let path = root.join("spec");
            Ok((
                load_dir(side, "spec", &path, "spec")?,
                "spec (working tree)".into(),
            ))
        }
        Source::Dir(dir) => {
            let path = PathBuf::from(dir);
            if !path.is_dir() {
                return Err(format!("{side}: spec folder `{dir}` not found"));
            }
            Ok((
                load_dir(side, dir, &path, dir.trim_end_matches('/'))?,
                dir.clone(),
            ))
        }
    }
}

/// Loads the spec folder `path`, shown in diagnostics as `label`; an error names the side.
fn load_dir(side: &str, name: &str, path: &Path, label: &str) -> Result<Model, String> {
    codegen::load_model(path, label).map_err(|diags| {
        let lines: Vec<String> = diags.0.iter().map(|d| format!("  {d}")).collect();
        format!(
            "{side} ({name}): the spec does not load; {} problem(s):\n{}",
            diags.0.len(),
            lines.join("\n")
        )
    })
}

fn render(format: Format, diff: &SpecDiff, old: &str, new: &str) -> String {
    match format {
        Format::Text => diff::render_text(diff, old, new),
        Format::Markdown => diff::render_markdown(diff, old, new),
    }
}

/// Runs the command; 0 when nothing breaks, 1 when something does, 2 on bad input.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let opts = match parse(args) {
        Ok(opts) => opts,
        Err(message) => {
            let _ = writeln!(err, "spec-diff: {message}\n{USAGE}");
            return 2;
        }
    };
    // Both sides are loaded, so one run reports the problems of both.
    let ((old, old_label), (new, new_label)) =
        match (load("old side", &opts.old), load("new side", &opts.new)) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                for message in [old.err(), new.err()].into_iter().flatten() {
                    let _ = writeln!(err, "spec-diff: {message}");
                }
                return 2;
            }
        };
    let diff = diff::diff(&old, &new);
    let _ = write!(
        out,
        "{}",
        render(opts.format, &diff, &old_label, &new_label)
    );
    i32::from(diff.has_breaking())
}
