//! A crate outside this workspace, depending on the client by path as a new user's would,
//! builds the snippets a new user writes first (`tests/downstream/src/first_use.rs`, each as
//! issue 20 states it) with the client's default features, and does not compile a use of the
//! private runtime. Offline: the workspace's lock file pins every version, already downloaded.

use std::fs;
use std::path::{Path, PathBuf};

use yunxin_tests::child_cargo::{cargo_in, run, write_outside_manifest};

/// Writes the outside crate into `dir` with `lib` as its library, returns the folder.
fn outside_crate(name: &str, lib: &str) -> PathBuf {
    let ws = xtask::workspace_root();
    let dir = crate::target_dir().join("outside-crates").join(name);
    fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
yunxin-im = {{ path = "{client}" }}
# `StreamExt` needs no feature; without the defaults the graph is the client's own, so the
# dependencies the workspace's builds checked are reused.
futures-util = {{ version = "0.3", default-features = false }}

# Its own workspace: not a member of the repository's.
[workspace]
"#,
        client = ws.join("generated-client").display()
    );
    fs::write(dir.join("src/lib.rs"), lib).unwrap();
    fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // The repository's profiles, so dependencies already checked for its tests are reused.
    write_outside_manifest(&dir, &crate::target_dir(), &manifest);
    dir
}

/// `cargo check`: what a user's crate must do is compile against the client's API, which the
/// type check decides; a full build would generate the client's code again for no finding.
fn build(dir: &Path) -> (bool, String) {
    run(cargo_in(dir, &crate::target_dir()).args(["check", "--offline", "--quiet"]))
}

#[test]
fn a_crate_outside_the_workspace_compiles_the_first_snippets_and_not_the_private_runtime() {
    let first_use =
        fs::read_to_string(xtask::workspace_root().join("tests/downstream/src/first_use.rs"))
            .unwrap();
    let dir = outside_crate("yunxin-first-use", &first_use);
    let (ok, output) = build(&dir);
    assert!(
        ok,
        "the first-use snippets do not compile outside the workspace:\n{output}"
    );

    // The negative twin: the same crate reaching into the runtime the client keeps private.
    let private = format!("{first_use}\npub use yunxin_im::runtime::client::Client as Hidden;\n");
    let dir = outside_crate("yunxin-private-runtime", &private);
    let (ok, output) = build(&dir);
    assert!(!ok, "the private runtime is reachable from outside");
    assert!(output.contains("runtime"), "{output}");
}
