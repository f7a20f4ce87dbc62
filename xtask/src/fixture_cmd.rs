//! `cargo xtask fixture <endpoint> [--write]`: drafts the endpoint's `page_example` fixture from
//! the spec (see `codegen::fixture_draft`), so maintainers never write one by hand.

use std::io::Write;
use std::path::PathBuf;

use codegen::fixture_draft::{draft_yaml, Stamp};

const USAGE: &str = "usage: cargo xtask fixture <endpoint> [--write] [--spec DIR] [--fixtures DIR]";

/// The file name of the drafted case.
pub const CASE_FILE: &str = "page_example.yaml";

struct Options {
    endpoint: String,
    write: bool,
    spec: Option<PathBuf>,
    fixtures: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut endpoint = None;
    let mut write = false;
    let mut spec = None;
    let mut fixtures = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut dir = |what: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{what} needs a folder"))
        };
        match arg.as_str() {
            "--write" => write = true,
            "--spec" => spec = Some(dir("--spec")?),
            "--fixtures" => fixtures = Some(dir("--fixtures")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            name if endpoint.is_none() => endpoint = Some(name.to_owned()),
            extra => return Err(format!("one endpoint at a time; `{extra}` is one too many")),
        }
    }
    let endpoint = endpoint.ok_or("name the endpoint to draft")?;
    Ok(Options {
        endpoint,
        write,
        spec,
        fixtures,
    })
}

/// Runs the command; the exit code is 0 on success, 1 when the draft cannot be made or the file
/// exists already, 2 on bad arguments.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "fixture: {e}\n{USAGE}");
            return 2;
        }
    };
    match execute(&options, out) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "fixture: {e}");
            1
        }
    }
}

fn execute(o: &Options, out: &mut dyn Write) -> Result<(), String> {
    let root = || crate::find_workspace_root();
    let spec_dir = match &o.spec {
        Some(d) => d.clone(),
        None => root()?.join("spec"),
    };
    let model = codegen::load_model(&spec_dir, "spec")
        .map_err(|d| format!("the spec does not load:\n{d}"))?;
    let text = draft_yaml(&model, &o.endpoint, &Stamp::fixed(&o.endpoint))?;
    if !o.write {
        return out.write_all(text.as_bytes()).map_err(|e| e.to_string());
    }
    let fixtures = match &o.fixtures {
        Some(d) => d.clone(),
        None => root()?.join("tests/fixtures"),
    };
    let dir = fixtures.join(&o.endpoint);
    let path = dir.join(CASE_FILE);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // `create_new` fails on an existing file, also one made since a check: never overwrites.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!(
                "{} exists; left as it is (a draft never overwrites a fixture)",
                path.display()
            ))
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let _ = writeln!(out, "wrote {}", path.display());
    Ok(())
}
