//! `cargo xtask`: the project's maintenance commands, as a library so tests drive them in-process.

pub mod bench;
pub mod codegen_cmd;
pub mod fixture_cmd;
pub mod fuzz_spec;
pub mod import_cmd;
mod root;
pub mod spec_diff;
pub mod test_cmd;

pub use root::find_workspace_root;

use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check] [--spec DIR] [--root DIR]
      regenerate the client and docs from spec/ (--check: write nothing, fail on drift).
      Writes and deletes only regular files in the generated folders, never through a link;
      refuses to start, listing each one, when the manifest or those folders hold anything else.
      --root: the workspace; by default the one cargo runs in (or above the current folder)
  cargo xtask spec-diff <git-rev> | <old-spec-dir> <new-spec-dir> [--format text|markdown]
      semantic changelog of the spec; exits 1 when a change breaks users
  cargo xtask test [CARGO-TEST-ARGS…]
      install the system packages the tests need when missing (pkg-config, OpenSSL headers),
      with the system's package manager as root or through `sudo -n`; then
      `cargo test --workspace CARGO-TEST-ARGS…`
  cargo xtask fuzz-spec --seeds N [--start S]
      the spec fuzzer on N seeds from S (default: the current Unix time): each generates a random
      valid spec, its client (clippy and rustdoc -D warnings, a build) and checks every endpoint's
      request on 127.0.0.1 against an independent oracle; prints each failing seed's rerun command
  cargo xtask import --go DIR --java DIR [--spec DIR] [--write | --check] [--record FILE]
      read the vendor's Go and Java server SDKs (tree-sitter); list the endpoints the spec lacks and
      the field differences of those it has; --write drafts the missing ones (never overwriting),
      --check exits 1 on any difference not settled in the spec, --record writes the SDK record (JSON)
  cargo xtask fixture <endpoint> [--write] [--spec DIR] [--fixtures DIR]
      draft tests/fixtures/<endpoint>/page_example.yaml from the spec's example, reply example and
      notes (request and decoded reply computed from the model); prints it, or with --write writes
      it when no such file exists (never overwrites). An endpoint without an example is an error
  cargo xtask bench [--quick]
      every benchmark, each against its baseline in the same run: prints a table and writes
      <target dir>/bench-report.json (--quick: fewer samples, under five minutes on 2 cores)";

/// The workspace root, found at run time (see [`find_workspace_root`]); panics when there is none.
/// Tests use it: under `cargo test`, `CARGO_MANIFEST_DIR` is the tests package, inside the workspace.
pub fn workspace_root() -> PathBuf {
    find_workspace_root().unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the command in `args` (without the program name); returns the process exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd::run(&args[1..], out, err),
        Some("spec-diff") => spec_diff::run(&args[1..], out, err),
        Some("test") => test_cmd::run(&args[1..], out, err),
        Some("bench") => bench::run(&args[1..], out, err),
        Some("fuzz-spec") => fuzz_spec::run(&args[1..], out, err),
        Some("import") => import_cmd::run(&args[1..], out, err),
        Some("fixture") => fixture_cmd::run(&args[1..], out, err),
        Some("help" | "--help" | "-h") => {
            let _ = writeln!(out, "{USAGE}");
            0
        }
        _ => {
            let _ = writeln!(err, "{USAGE}");
            2
        }
    }
}
