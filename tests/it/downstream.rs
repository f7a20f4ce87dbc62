//! The downstream crate (`tests/downstream`, a user of `yunxin-im` with its default features
//! off) compiles with each TLS choice and with tracing, and its features reach `yunxin-im`.
//!
//! The checks share this workspace's target dir, so on a warm target each is a fingerprint
//! check (well under a second); the first run on a fresh target checks the native-tls stack
//! (OpenSSL bindings) once, about a minute on 2 cores.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Instant;

use yunxin_tests::child_cargo::{cargo_in, run};

const INSTALL: &str = "apt-get install -y pkg-config libssl-dev";

/// `cargo <args>` in the workspace with the shared target dir: exit success and all output.
fn cargo(args: &[&str]) -> (bool, String) {
    run(cargo_in(&xtask::workspace_root(), &crate::target_dir()).args(args))
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
    let domains = domains_asked();
    assert!(
        !domains.is_empty(),
        "the downstream crate asks for some domains"
    );
    let mut timings = Vec::new();
    for (name, flags, expected) in variants {
        // Whatever the TLS and tracing choice, the domains the crate names reach the client.
        let expected: BTreeSet<String> = expected
            .iter()
            .map(|f| f.to_string())
            .chain(domains.iter().cloned())
            .collect();
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
    // The probe above can fail: a feature set without TLS reaches yunxin-im with the domains only.
    assert_eq!(yunxin_features(&["--no-default-features"]), domains_asked());
}

/// The features the downstream crate's normal dependency on `yunxin-im` names: its domains (a
/// small build); each must be a domain of the spec, and `full` is not among them.
fn domains_asked() -> BTreeSet<String> {
    let (ok, out) = cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]);
    assert!(ok, "cargo metadata: {out}");
    let json = &out[out.find('{').expect("metadata JSON")..];
    let json = &json[..=json.rfind('}').unwrap()];
    let metadata: serde_json::Value = serde_json::from_str(json).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "yunxin-downstream")
        .expect("the downstream crate is a workspace member");
    let dependency = package["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "yunxin-im" && d["kind"].is_null())
        .expect("a normal dependency on yunxin-im");
    let asked: BTreeSet<String> = dependency["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    let model = codegen::load_model(&xtask::workspace_root().join("spec"), "spec").unwrap();
    let domains: BTreeSet<String> = model.domains.into_iter().map(|d| d.name).collect();
    assert!(
        asked.is_subset(&domains),
        "{asked:?} are not all domains of the spec {domains:?}"
    );
    asked
}
