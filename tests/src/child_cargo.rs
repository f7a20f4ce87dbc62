//! `cargo` run as a child of a test, in this workspace's target dir.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target dir of an integration test, from its `CARGO_TARGET_TMPDIR` (`<target>/tmp`),
/// which cargo sets only when it compiles the test: pass `env!("CARGO_TARGET_TMPDIR")`.
pub fn target_dir(target_tmpdir: &str) -> PathBuf {
    Path::new(target_tmpdir)
        .parent()
        .expect("CARGO_TARGET_TMPDIR lies in the target dir")
        .to_path_buf()
}

/// Whether `name` is a variable cargo sets for this test process (the package's name and
/// version, its manifest, its binaries), not part of the caller's setup.
fn set_for_this_test(name: &str) -> bool {
    const PREFIXES: &[&str] = &["CARGO_PKG_", "CARGO_BIN_", "CARGO_MANIFEST_"];
    const NAMES: &[&str] = &[
        "CARGO_CRATE_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || NAMES.contains(&name)
}

/// `cargo` in `dir` with this workspace's target dir, without the variables cargo set for this
/// test: build scripts watch some of them (ring's reruns when `CARGO_PKG_NAME` changes), and
/// passing this package's values on made every child re-check the rustls stack.
pub fn cargo_in(dir: &Path, target_dir: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_for_this_test) {
            command.env_remove(name);
        }
    }
    command.current_dir(dir).env("CARGO_TARGET_DIR", target_dir);
    command
}

/// Exit success and stdout followed by stderr; the cores are [`busy`](crate::cores::busy)
/// meanwhile.
pub fn run(command: &mut Command) -> (bool, String) {
    let output = {
        let _cores = crate::cores::busy();
        command.output().expect("cargo runs")
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The `[profile.*]` tables of this workspace's manifest, for a crate outside it that shares the
/// target dir: with the same profile it reuses the dependencies the workspace's builds compiled
/// (with cargo's defaults every one compiles again, a minute on 2 cores). An override
/// `[profile.*.package.<name>]` is kept only for a package in the crate's graph (`present`),
/// since cargo warns of one that matches nothing, and each workspace member in the graph gets
/// `[profile.dev]`'s settings as its own override: outside its workspace a member is matched by
/// `package."*"` instead, and its units would differ.
pub fn workspace_profiles(present: &dyn Fn(&str) -> bool) -> String {
    let root = xtask::workspace_root();
    let manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).expect("the workspace manifest");
    let mut out = tables_kept(&manifest, |table| match table.strip_prefix("profile.") {
        None => false,
        Some(profile) => profile_override(profile).is_none_or(|name| name == "*" || present(name)),
    });
    let dev: String = tables_kept(&manifest, |table| table == "profile.dev")
        .lines()
        .filter(|l| !l.starts_with('[') && !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    for member in workspace_members() {
        if present(&member) && !dev.is_empty() {
            out.push_str(&format!("\n[profile.dev.package.{member}]\n{dev}"));
        }
    }
    out
}

/// The lines of a cargo manifest whose table (its header without brackets, `""` before the
/// first) `keep` accepts, headers included.
pub fn tables_kept(manifest: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut kept = keep("");
    for line in manifest.lines() {
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            kept = keep(header);
        }
        if kept {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The package a profile table (`dev.package."*"`, without `profile.`) overrides, if any.
pub fn profile_override(profile: &str) -> Option<&str> {
    profile
        .split_once(".package.")
        .map(|(_, name)| name.trim_matches('"'))
}

/// The names of this workspace's member packages.
fn workspace_members() -> Vec<String> {
    let root = xtask::workspace_root();
    let manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).expect("the workspace manifest");
    let members = manifest
        .lines()
        .find_map(|l| l.strip_prefix("members = "))
        .expect("the workspace lists its members");
    members
        .trim_matches(['[', ']'])
        .split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
        .filter_map(|dir| {
            let text = std::fs::read_to_string(root.join(dir).join("Cargo.toml")).ok()?;
            let name = text.lines().find_map(|l| l.strip_prefix("name = "))?;
            Some(name.trim_matches('"').to_owned())
        })
        .collect()
}

/// Writes `manifest` as the `Cargo.toml` of the crate at `dir` (outside this workspace, its
/// sources and lock file in place), followed by [`workspace_profiles`] for the packages of its
/// graph.
pub fn write_outside_manifest(dir: &Path, target_dir: &Path, manifest: &str) {
    let path = dir.join("Cargo.toml");
    std::fs::write(&path, manifest).expect("the manifest is written");
    let present = packages_in(dir, target_dir);
    let profiles = workspace_profiles(&|p| present.contains(p));
    std::fs::write(&path, format!("{manifest}\n{profiles}")).expect("the manifest is written");
}

/// The names of the packages in the dependency graph of the crate at `dir` (`cargo metadata`).
pub fn packages_in(dir: &Path, target_dir: &Path) -> std::collections::BTreeSet<String> {
    let output = cargo_in(dir, target_dir)
        .args(["metadata", "--format-version", "1", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo metadata in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata's JSON");
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}
