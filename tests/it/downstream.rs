//! The downstream crate (`tests/downstream`, a user of `yunxin-im` with its default features
//! off) compiles with each TLS choice and with tracing, and its features reach `yunxin-im`.
//!
//! The checks share this workspace's target dir, so on a warm target each is a fingerprint
//! check (well under a second); the first run on a fresh target checks the native-tls stack
//! (OpenSSL bindings) once, about a minute on 2 cores.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const INSTALL: &str = "apt-get install -y pkg-config libssl-dev";

/// This test binary's target dir (`CARGO_TARGET_TMPDIR` is `<target>/tmp`).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
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

/// `cargo <args>` in the workspace with the shared target dir: exit success and all output.
///
/// The variables cargo set for this test are left out: build scripts watch some of them
/// (ring's reruns when `CARGO_PKG_NAME` changes), and passing this package's values on made
/// every run re-check the rustls stack (8 s instead of 0.2 s).
fn cargo(args: &[&str]) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_for_this_test) {
            command.env_remove(name);
        }
    }
    let output = command
        .args(args)
        .current_dir(xtask::workspace_root())
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The features of `yunxin-im` that `features` (cargo's feature flags) turn on through the
/// downstream crate, dev-dependencies left out.
fn yunxin_features(features: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["tree", "-p", "yunxin-downstream"];
    args.extend(features);
    args.extend([
        "-e",
        "features,normal,build",
        "-i",
        "yunxin-im",
        "--prefix",
        "none",
    ]);
    let (ok, out) = cargo(&args);
    assert!(ok, "cargo {}: {out}", args.join(" "));
    out.lines()
        .filter_map(|l| l.strip_prefix("yunxin-im feature \""))
        .filter_map(|l| l.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The crates `cargo check -v` named (`Fresh`, `Checking` or `Compiling`).
fn units(verbose_output: &str) -> BTreeSet<&str> {
    verbose_output
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            match words.next() {
                Some("Fresh" | "Checking" | "Compiling") => words.next(),
                _ => None,
            }
        })
        .collect()
}

/// native-tls builds OpenSSL's bindings against the system library, found with pkg-config.
fn require_openssl_dev() {
    let found = Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status();
    match found {
        Ok(status) if status.success() => {}
        Ok(_) => {
            panic!("OpenSSL's development files are missing (native-tls needs them): {INSTALL}")
        }
        Err(err) => panic!("pkg-config is missing ({err}; native-tls needs it): {INSTALL}"),
    }
}

#[test]
fn feature_variants_compile() {
    require_openssl_dev();
    let variants: [(&str, &[&str], &[&str]); 3] = [
        ("default", &[], &["rustls-tls"]),
        (
            "native-tls",
            &["--no-default-features", "--features", "native-tls"],
            &["native-tls"],
        ),
        (
            "tracing",
            &["--features", "tracing"],
            &["rustls-tls", "tracing"],
        ),
    ];
    let mut timings = Vec::new();
    for (name, flags, expected) in variants {
        let expected: BTreeSet<String> = expected.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            yunxin_features(flags),
            expected,
            "{name}: the features reaching yunxin-im"
        );
        let mut args = vec!["check", "-v", "-p", "yunxin-downstream"];
        args.extend(flags);
        let started = Instant::now();
        let (ok, out) = cargo(&args);
        timings.push(format!("{name} {:.1?}", started.elapsed()));
        assert!(ok, "cargo {} failed:\n{out}", args.join(" "));
        let units = units(&out);
        assert!(units.contains("yunxin-im"), "{name}: {units:?}");
        // The TLS stack is the one chosen, and only that one.
        let (wanted, unwanted) = if name == "native-tls" {
            ("native-tls", "rustls")
        } else {
            ("rustls", "native-tls")
        };
        assert!(units.contains(wanted), "{name}: no {wanted} in {units:?}");
        assert!(!units.contains(unwanted), "{name}: {unwanted} in {units:?}");
    }
    eprintln!("cargo check -p yunxin-downstream: {}", timings.join(", "));
}

#[test]
fn the_feature_probe_sees_a_missing_feature() {
    // The probe above can fail: a feature set without TLS reaches yunxin-im with nothing.
    assert_eq!(yunxin_features(&["--no-default-features"]), BTreeSet::new());
}
