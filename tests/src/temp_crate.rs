//! A temporary workspace holding a client generated from some spec: a copy of the hand-written
//! runtime, the modules, docs and examples `cargo xtask codegen` writes, and a driver crate
//! written against the generated API. It shares this workspace's lock file and (through the
//! caller's target dir) its compiled dependencies; files are rewritten only when they change, so
//! a second run is incremental. Used by the kitchen-sink test and the spec fuzzer.

use std::fs;
use std::path::Path;

/// Writes `contents` to `path` unless it already holds exactly that (keeping mtimes for cargo).
pub fn sync(path: &Path, contents: &[u8]) {
    if fs::read(path).ok().as_deref() == Some(contents) {
        return;
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// Mirrors the folder `from` into `to`: changed files rewritten, extra ones deleted.
pub fn sync_dir(from: &Path, to: &Path) {
    let mut wanted = Vec::new();
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        wanted.push(name.clone());
        if entry.file_type().unwrap().is_dir() {
            sync_dir(&entry.path(), &to.join(&name));
        } else {
            sync(&to.join(&name), &fs::read(entry.path()).unwrap());
        }
    }
    for entry in fs::read_dir(to).unwrap() {
        let entry = entry.unwrap();
        if !wanted.contains(&entry.file_name()) {
            let path = entry.path();
            if path.is_dir() {
                fs::remove_dir_all(path).unwrap();
            } else {
                fs::remove_file(path).unwrap();
            }
        }
    }
}

/// The dependencies of a driver crate (`[package]` is added), from the workspace's versions.
pub const DRIVER_DEPENDENCIES: &str = r#"
[dependencies]
yunxin-im = { path = "../generated-client" }
tokio = { workspace = true, features = ["rt", "macros"] }
futures-util.workspace = true
serde.workspace = true
serde_json.workspace = true
"#;

/// Lays out the workspace at `root` (everything but the generated files) with `driver_main`
/// as the driver's `src/main.rs`. `label` marks the client's version (`0.1.0-<label>`): cargo
/// names a path package's artifacts by its path relative to its workspace, so without it the
/// temporary `generated-client` and the real one would share artifacts in the shared target dir,
/// and one could be taken for the other while fresh.
pub fn layout(root: &Path, label: &str, driver_main: &[u8]) {
    let ws = xtask::workspace_root();
    let manifest = fs::read_to_string(ws.join("Cargo.toml")).unwrap();
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members = "))
        .expect("the workspace lists its members");
    let manifest: String = manifest
        .replace(members, r#"members = ["generated-client", "driver"]"#)
        .lines()
        // The workspace's own crates are not part of the temporary one.
        .filter(|l| !l.contains("{ path = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let manifest = without_package_profiles(&manifest);
    sync(&root.join("Cargo.toml"), manifest.as_bytes());
    sync(
        &root.join("Cargo.lock"),
        &fs::read(ws.join("Cargo.lock")).unwrap(),
    );

    let client = fs::read_to_string(ws.join("generated-client/Cargo.toml")).unwrap();
    // The hand-written example (the manifest's one `[[example]]`, the generated ones are found
    // by file) is the real crate's: it calls endpoints the temporary spec does not have.
    let client = client.split("\n[[example]]").next().unwrap();
    let version = client
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("the client states its version");
    let client = client.replacen(
        version,
        &format!("{}-{label}\"", version.trim_end_matches('"')),
        1,
    );
    assert!(!client.contains("examples-hand"), "{client}");
    let crate_dir = root.join("generated-client");
    sync(&crate_dir.join("Cargo.toml"), client.as_bytes());
    sync(
        &crate_dir.join("src/lib.rs"),
        &fs::read(ws.join("generated-client/src/lib.rs")).unwrap(),
    );
    // The crate root's docs are the README (`include_str!`).
    sync(
        &crate_dir.join("README.md"),
        &fs::read(ws.join("generated-client/README.md")).unwrap(),
    );
    sync_dir(
        &ws.join("generated-client/src/runtime"),
        &crate_dir.join("src/runtime"),
    );

    let driver = format!(
        "[package]\nname = \"driver\"\nversion = \"0.1.0\"\nedition.workspace = true\npublish = false\n{DRIVER_DEPENDENCIES}"
    );
    sync(&root.join("driver/Cargo.toml"), driver.as_bytes());
    sync(&root.join("driver/src/main.rs"), driver_main);
}

/// Runs `cargo xtask codegen` in-process from `spec` into `root`; `Err` holds its report.
pub fn codegen(spec: &Path, root: &Path) -> Result<(), String> {
    let args: Vec<String> = vec![
        "codegen".into(),
        "--spec".into(),
        spec.display().to_string(),
        "--root".into(),
        root.display().to_string(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    match xtask::run(&args, &mut out, &mut err) {
        0 => Ok(()),
        code => Err(format!(
            "exit {code}\n{}{}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&err)
        )),
    }
}

/// The project's own gate on a generated client in the temporary workspace `root`: clippy with
/// every warning an error on the crate, its tests and generated examples, then rustdoc with
/// every warning an error. `Err` names the failing tool with its output.
pub fn lint_client(root: &Path, target_dir: &Path) -> Result<(), String> {
    let (ok, output) =
        crate::child_cargo::run(crate::child_cargo::cargo_in(root, target_dir).args([
            "clippy",
            "--offline",
            "-p",
            "yunxin-im",
            "--all-targets",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ]));
    if !ok {
        return Err(format!("clippy rejects the generated client:\n{output}"));
    }
    let (ok, output) = crate::child_cargo::run(
        crate::child_cargo::cargo_in(root, target_dir)
            .env("RUSTDOCFLAGS", "-D warnings")
            .args(["doc", "--offline", "--no-deps", "-p", "yunxin-im"]),
    );
    if !ok {
        return Err(format!("rustdoc rejects the generated client:\n{output}"));
    }
    Ok(())
}

/// `manifest` without its `[profile.*.package.<name>]` sections (`"*"` kept): they name the
/// generator's dependencies, which the temporary workspace lacks, and cargo warns of each
/// override that matches no package, which the warning-free gates would take for a failure.
fn without_package_profiles(manifest: &str) -> String {
    use crate::child_cargo::{profile_override, tables_kept};
    tables_kept(manifest, |table| {
        table
            .strip_prefix("profile.")
            .and_then(profile_override)
            .is_none_or(|name| name == "*")
    })
}
