//! `cargo xtask codegen [--check]`: regenerate everything from the spec, or verify nothing drifted.
//!
//! Output is produced in full before anything is written, so a spec with errors writes nothing.
//! A manifest lists every generated file, so files the spec no longer produces are found as stale.
//! Only regular files inside the owned folders (and the manifest), reached without following a
//! link, are ever written or deleted; anything else found there stops the run before it touches
//! anything (`tree`). Each file is replaced atomically (`safe_fs`).

mod apply;
pub mod client_features;
mod safe_fs;
mod tree;
mod warnings;

use std::io::Write;
use std::path::{Path, PathBuf};

use codegen::emit::{self, GeneratedFile, REGENERATE_COMMAND};

use safe_fs::{Found, TEMP_PREFIX};
use tree::Refused;

/// Lists every generated file, relative to the workspace root; itself generated.
pub const MANIFEST: &str = "generated-client/codegen-manifest.txt";

/// Folders owned wholly by the generator: any file there that it does not produce is stale.
pub const OWNED_DIRS: &[&str] = &[
    "generated-client/src/generated",
    "generated-client/docs",
    "generated-client/examples",
];

struct Options {
    check: bool,
    spec: PathBuf,
    root: PathBuf,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let (mut check, mut spec, mut root) = (false, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(PathBuf::from(it.next().ok_or("--spec needs a folder")?)),
            "--root" => root = Some(PathBuf::from(it.next().ok_or("--root needs a folder")?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    // Found at run time, so a binary built for another clone still works on this one.
    let root = match root {
        Some(root) => root,
        None => crate::find_workspace_root()?,
    };
    Ok(Options {
        check,
        spec: spec.unwrap_or_else(|| root.join("spec")),
        root,
    })
}

/// Runs the command; 0 on success, 1 on spec errors or drift (refused entries and a broken
/// feature block included with `--check`), 2 on bad usage, refused entries, a broken feature
/// block in the client's `Cargo.toml` or an I/O failure.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let opts = match parse(args) {
        Ok(opts) => opts,
        Err(message) => {
            let _ = writeln!(err, "codegen: {message}\nusage: cargo xtask codegen [--check] [--spec DIR] [--root DIR]");
            return 2;
        }
    };
    let (mut files, model) = match generate_with_model(&opts.spec) {
        Ok(generated) => generated,
        Err(message) => {
            let _ = writeln!(err, "{message}");
            return 1;
        }
    };
    // Not in the manifest: the file is hand-written but for its block, never stale or deleted.
    match client_features::manifest_file(&opts.root, &model) {
        Ok(manifest) => files.extend(manifest),
        Err(message) => {
            let _ = writeln!(err, "codegen: {message}; nothing was written");
            return if opts.check { 1 } else { 2 };
        }
    }
    // After the outcome, whatever it is: what the maintainer still has to add beside the spec.
    let code = generate_or_check(&opts, &files, out, err);
    if code != 2 {
        for warning in warnings::warnings(&opts.root, &model) {
            let _ = writeln!(err, "warning: {warning}");
        }
    }
    code
}

fn generate_or_check(
    opts: &Options,
    files: &[GeneratedFile],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if opts.check {
        let report = check(&opts.root, files);
        if report.is_empty() {
            let _ = writeln!(
                out,
                "codegen --check: {} generated files match the spec",
                files.len()
            );
            0
        } else {
            let _ = write!(err, "{report}");
            1
        }
    } else {
        match write(&opts.root, files) {
            Ok(summary) => {
                let _ = writeln!(out, "{summary}");
                0
            }
            Err(message) => {
                let _ = writeln!(err, "codegen: {message}");
                2
            }
        }
    }
}

/// Loads, checks and emits; the manifest is part of the output.
pub fn generate(spec: &Path) -> Result<Vec<GeneratedFile>, String> {
    generate_with_model(spec).map(|(files, _)| files)
}

/// [`generate`], with the model the files come from.
fn generate_with_model(spec: &Path) -> Result<(Vec<GeneratedFile>, codegen::model::Model), String> {
    let label = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".into());
    let model = codegen::load_model(spec, &label).map_err(|d| d.to_string())?;
    let mut files = emit::generate_all(&model);
    let mut manifest = format!(
        "# @generated by `{REGENERATE_COMMAND}` from spec sha1 {}. Every generated file:\n",
        model.spec_sha1
    );
    for f in &files {
        manifest.push_str(&f.path);
        manifest.push('\n');
    }
    files.push(GeneratedFile {
        path: MANIFEST.into(),
        contents: manifest,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, model))
}

/// Compares the tree under `root` with `files`; returns a report, empty when nothing drifted.
/// Refused entries (see `tree`) are reported too.
pub fn check(root: &Path, files: &[GeneratedFile]) -> String {
    let scan = tree::scan(root, files);
    let mut report = String::new();
    let mut problems = 0;
    for f in files {
        // Read only a regular file reached without a link; what else is there was refused.
        let current = match safe_fs::inspect(root, &f.path) {
            Ok(Found::File) => std::fs::read(root.join(&f.path))
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
            Ok(Found::Nothing) => None,
            Ok(Found::Folder) | Err(_) => continue,
        };
        // A checkout with CRLF line ends (git's autocrlf on Windows) has not drifted.
        let current = current.map(|text| text.replace("\r\n", "\n"));
        match current {
            Some(current) if current == f.contents => continue,
            Some(current) => report.push_str(&format!(
                "differs: {}\n{}",
                f.path,
                short_diff(&current, &f.contents)
            )),
            None => report.push_str(&format!("missing: {}\n", f.path)),
        }
        problems += 1;
    }
    for stale in &scan.stale {
        problems += 1;
        let name = stale.rsplit('/').next().unwrap_or_default();
        let from = if name.starts_with(TEMP_PREFIX) {
            "left by an interrupted run"
        } else {
            "no longer generated"
        };
        report.push_str(&format!(
            "stale: {stale} ({from}; `{REGENERATE_COMMAND}` deletes it)\n"
        ));
    }
    if problems > 0 {
        report.push_str(&format!(
            "{problems} generated file(s) out of date with the spec. Run `{REGENERATE_COMMAND}` and commit the result; never edit generated files by hand.\n"
        ));
    }
    for r in &scan.refused {
        report.push_str(&format!("refused: {r}\n"));
    }
    if !scan.refused.is_empty() {
        report.push_str(&format!(
            "{} refused: `{REGENERATE_COMMAND}` writes and deletes nothing until they are removed by hand.\n",
            entries(scan.refused.len())
        ));
    }
    report
}

/// A unified diff of at most 20 lines, from the file on disk to what the spec generates.
fn short_diff(current: &str, expected: &str) -> String {
    let diff = similar::TextDiff::from_lines(current, expected);
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header("on disk", "generated")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out: String = lines
        .iter()
        .take(20)
        .map(|l| format!("    {l}\n"))
        .collect();
    if lines.len() > 20 {
        out.push_str(&format!("    ... ({} more diff lines)\n", lines.len() - 20));
    }
    out
}

/// Writes every file whose content changed and deletes stale ones; refuses to start when the
/// tree holds anything it must not touch.
fn write(root: &Path, files: &[GeneratedFile]) -> Result<String, String> {
    let scan = tree::scan(root, files);
    if !scan.refused.is_empty() {
        return Err(refusal(&scan.refused));
    }
    let changed: Vec<&GeneratedFile> = files
        .iter()
        .filter(|f| safe_fs::read(root, &f.path).as_deref() != Some(f.contents.as_str()))
        .collect();
    let stale: Vec<String> = scan.stale.into_iter().collect();
    let done = apply::apply(root, &changed, &stale)?;
    Ok(format!(
        "codegen: {} files generated, {} written, {} stale deleted",
        files.len(),
        done.written,
        done.deleted
    ))
}

fn refusal(refused: &[Refused]) -> String {
    let mut message = format!(
        "refusing to write or delete anything: {} in the generated folders or the manifest, not regular files inside them:\n",
        entries(refused.len())
    );
    for r in refused {
        message.push_str(&format!("  {r}\n"));
    }
    message.push_str(&format!("then run `{REGENERATE_COMMAND}` again"));
    message
}

fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}
