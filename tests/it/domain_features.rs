//! The client's domain features: the builds the crate's README promises compile (each domain
//! alone, all of them, none), with the examples built both ways, and an endpoint of a domain
//! that is off cannot be reached. The domains come from the spec's model.
//!
//! The builds run in the shared target dir, so on a warm target each is a fingerprint check; a
//! cold run checks `yunxin-im` once per feature set (the dependencies are shared, also with the
//! crates outside the workspace, which take the workspace's profiles). The one with no domain
//! (and the examples) is `cargo clippy` with warnings denied; the default one (every domain) and
//! each single domain are a `cargo check` whose output must hold no warning, about 4 s instead
//! of clippy's 7 s a domain on 2 cores: what differs between feature sets is which modules
//! compile, so the warnings they can add are rustc's (unused items and imports), and
//! `.ci/run`'s clippy lints the default build.

use std::fs;
use std::path::Path;
use std::time::Instant;

use codegen::model::Model;
use yunxin_tests::child_cargo::{cargo_in, run, write_outside_manifest};

fn model() -> Model {
    let spec = xtask::workspace_root().join("spec");
    codegen::load_model(&spec, "spec").expect("the spec loads")
}

/// `cargo clippy` (or, with `lint` false, `cargo check`) of `yunxin-im`'s library with its
/// default features (`features` `None`: TLS and every domain), or with `rustls-tls` and
/// `features`, default features off; a warning fails it either way.
fn check_client(features: Option<&[&str]>, examples: bool, lint: bool) -> (bool, String) {
    let mut args = vec![
        if lint { "clippy" } else { "check" },
        "--offline",
        "-p",
        "yunxin-im",
        "--lib",
        "--message-format=short",
    ];
    let list = features.map(|features| {
        let mut list = vec!["rustls-tls"];
        list.extend(features);
        list.join(",")
    });
    if let Some(list) = &list {
        args.extend(["--no-default-features", "--features", list]);
    }
    if examples {
        args.push("--examples");
    }
    // Warnings are errors: every promised build is as clean as the default one. `-D warnings`
    // goes to clippy only: as RUSTFLAGS it would rebuild every dependency.
    if lint {
        args.extend(["--", "-D", "warnings"]);
    }
    let (ok, out) = run(cargo_in(&xtask::workspace_root(), &crate::target_dir()).args(&args));
    (ok && !warns(&out), out)
}

/// Whether a build's output (`--message-format=short`) reports a warning: rustc's own lines
/// and cargo's count of them both say so.
fn warns(out: &str) -> bool {
    out.lines().any(|l| l.contains("warning"))
}

#[test]
fn each_domain_alone_every_domain_and_no_domain_compile() {
    let model = model();
    assert!(
        !model.domains.is_empty(),
        "the spec files endpoints in domains"
    );
    // The examples only with no domain (each must still build, saying which feature it needs):
    // with every domain, `.ci/run`'s `clippy --workspace --all-targets` checks them all already,
    // and lints the default build, which here is the `cargo check` a crate outside the
    // workspace (`outside_crate`) also runs, so the two share it.
    let mut builds: Vec<(Option<Vec<&str>>, bool, bool)> =
        vec![(Some(vec![]), true, true), (None, false, false)];
    builds.extend(
        model
            .domains
            .iter()
            .map(|d| (Some(vec![d.name.as_str()]), false, false)),
    );
    let started = Instant::now();
    for (features, examples, lint) in &builds {
        let (ok, out) = check_client(features.as_deref(), *examples, *lint);
        assert!(
            ok,
            "yunxin-im with {} does not compile:\n{out}",
            features
                .as_ref()
                .map_or("its default features".to_owned(), |f| format!(
                    "rustls-tls and {f:?}"
                ))
        );
    }
    eprintln!(
        "{} feature sets of yunxin-im checked in {:.1?}",
        builds.len(),
        started.elapsed()
    );
}

/// A crate outside the workspace using `yunxin-im` with `features`, whose `main` names
/// `path` (then runs `more`); whether `cargo check` accepts it, and its output.
fn probe(dir: &Path, features: &[&str], path: &str, more: &str) -> (bool, String) {
    let client = xtask::workspace_root().join("generated-client");
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let manifest = format!(
        "[package]\nname = \"domain-feature-probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\nyunxin-im = {{ path = {:?}, default-features = false, features = [{}] }}\n",
        client.display().to_string(),
        features.join(", ")
    );
    fs::create_dir_all(dir.join("src")).unwrap();
    // The workspace's versions, so the check resolves offline to crates already built.
    fs::copy(
        xtask::workspace_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
    let main = format!(
        "fn main() {{\n    println!(\"{{}}\", std::any::type_name::<{path}>());\n    {more}\n}}\n"
    );
    fs::write(dir.join("src/main.rs"), main).unwrap();
    // The workspace's profiles: the dependencies its single-domain checks compiled are reused.
    write_outside_manifest(dir, &crate::target_dir(), &manifest);
    run(cargo_in(dir, &crate::target_dir()).args(["check", "--offline", "--message-format=short"]))
}

#[test]
fn an_endpoint_of_a_domain_that_is_off_is_not_reachable() {
    let model = model();
    // Two endpoints of different domains: one whose feature is on, one whose feature is off.
    let mut filed = model.endpoints.iter().filter(|e| e.domain.is_some());
    let on = filed.next().expect("an endpoint filed in a domain");
    let off = filed
        .find(|e| e.domain != on.domain)
        .expect("endpoints in two domains");
    let (on_domain, off_domain) = (
        on.domain.as_deref().unwrap(),
        off.domain.as_deref().unwrap(),
    );
    let path = format!("yunxin_im::{}::{}", off.name, off.request_type());
    let dir = tempfile::tempdir().unwrap();

    let (ok, out) = probe(dir.path(), &["rustls-tls", on_domain], &path, "");
    assert!(!ok, "{path} compiled with only `{on_domain}` on:\n{out}");
    assert!(
        out.contains(&format!("`{}`", off.name)),
        "the error does not name the module `{}`:\n{out}",
        off.name
    );
    // The twin: the same crate with the endpoint's domain on compiles.
    let both = ["rustls-tls", on_domain, off_domain];
    let (ok, out) = probe(dir.path(), &both, &path, "");
    assert!(ok, "{path} does not compile with `{off_domain}` on:\n{out}");
    assert!(!warns(&out), "{out}");
    // The warning scan the single-domain checks rely on sees rustc's warnings in this format.
    let (ok, out) = probe(dir.path(), &both, &path, "let unused = 1;");
    assert!(
        ok && warns(&out),
        "an unused variable passed the scan:\n{out}"
    );
}
