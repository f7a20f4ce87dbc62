//! No tracked file names a path of one machine: the workspace's own absolute path, or an absolute
//! path under a home or temporary folder (`/home/…`, `/Users/…`, `/tmp/…`) or under the top folder
//! the workspace lies in (`/work/…` here). Such a path works only where it was written.
//!
//! Scope: git-tracked text files (without git, the workspace minus `target/` and `.git`). A match
//! must start a path (not follow a name, `~`, `.`, `/` or `$VAR`, so `$HOME/tmp/x`, `./tmp/x`
//! and `https://host/home/x` pass) and go on with a name (so `"/tmp/"` as a bare string, like the
//! prefixes below, passes). Paths a test builds at run time (`tempfile`) are not in any file.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Top folders whose paths belong to one machine or one user.
const MACHINE_PREFIXES: &[&str] = &[
    "/home/",
    "/root/",
    "/Users/",
    "/tmp/",
    "/var/tmp/",
    "/var/folders/",
    "/private/",
    "/mnt/",
    "/media/",
];

/// System folders that code names legitimately (`#!/usr/bin/env`, `/dev/null`): never taken as
/// the workspace's top folder.
const SYSTEM_DIRS: &[&str] = &[
    "usr", "bin", "sbin", "lib", "lib64", "etc", "dev", "proc", "sys", "run", "boot", "opt", "var",
    "srv", "nix",
];

fn tracked_files(root: &Path) -> Vec<PathBuf> {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success());
    match listed {
        Some(out) => String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| root.join(p))
            .collect(),
        None => {
            let mut files = Vec::new();
            walk(root, root, &mut files);
            files
        }
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if dir == root && (entry.file_name() == "target" || entry.file_name() == ".git") {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(root, &path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// Whether `prefix` occurs in `line` at a place where it starts a path and names something.
fn starts_a_path(line: &str, prefix: &str) -> bool {
    line.match_indices(prefix).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + prefix.len()..].chars().next();
        let starts = !matches!(before, Some(c) if c.is_alphanumeric() || "_.-/~$}".contains(c));
        let names = after.is_some_and(|c| c.is_alphanumeric() || "_.-".contains(c));
        starts && names
    })
}

#[test]
fn no_tracked_file_names_an_absolute_path_of_one_machine() {
    // The matching rule itself, on lines it must flag (built here, or this file would be one)
    // and lines it must pass.
    assert!(starts_a_path(
        &format!("# from {}alice/docs", "/home/"),
        "/home/"
    ));
    assert!(starts_a_path(&format!("path: \"{}x\"", "/tmp/"), "/tmp/"));
    assert!(!starts_a_path(
        "# read from ../shared/upstream-docs",
        "/home/"
    ));
    assert!(!starts_a_path("https://example.com/home/x", "/home/"));
    assert!(!starts_a_path("\"$HOME/tmp/x\" and ~/tmp/x", "/tmp/"));
    assert!(!starts_a_path("const P: &str = \"/tmp/\";", "/tmp/"));

    let root = xtask::workspace_root();
    let root_text = root.to_string_lossy().into_owned();
    let mut prefixes: Vec<String> = MACHINE_PREFIXES.iter().map(|p| p.to_string()).collect();
    if let Some(top) = root.components().nth(1) {
        let top = top.as_os_str().to_string_lossy();
        if !SYSTEM_DIRS.contains(&top.as_ref()) {
            prefixes.push(format!("/{top}/"));
        }
    }
    let files = tracked_files(&root);
    assert!(files.len() > 100, "found only {} files", files.len());
    let mut found = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue; // not text
        };
        let shown = file.strip_prefix(&root).unwrap_or(file).display();
        for (n, line) in text.lines().enumerate() {
            let windows_home = line.to_ascii_lowercase().contains(":\\users\\");
            if line.contains(&root_text)
                || windows_home
                || prefixes.iter().any(|p| starts_a_path(line, p))
            {
                found.push(format!("{shown}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "absolute paths of one machine; use a path relative to the repository instead:\n{}",
        found.join("\n")
    );
}
