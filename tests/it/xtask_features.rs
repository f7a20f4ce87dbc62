//! `cargo xtask test` builds xtask alone, then `cargo test --workspace`: every dependency the
//! two share must resolve to a feature set the workspace build also has, or the test build
//! compiles it (and all above it) a second time. xtask's manifest keeps the missing features (a
//! hand-kept workspace-hack); this test names any that drift apart.

use std::collections::{BTreeMap, BTreeSet};

use yunxin_tests::child_cargo::{cargo_in, run};

/// Each package of a `cargo tree -f "{p} [{f}]" --prefix none` listing, with the feature sets
/// it is built with.
fn feature_sets(tree: &str) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut sets: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for line in tree.lines() {
        let line = line.trim_end_matches(" (*)").trim();
        let Some((package, features)) = line.rsplit_once(" [") else {
            continue;
        };
        let features = features.trim_end_matches(']');
        sets.entry(package).or_default().insert(features);
    }
    sets
}

/// `package [features]` for every feature set of `alone` that `workspace` never builds.
fn unshared(alone: &str, workspace: &str) -> Vec<String> {
    let workspace = feature_sets(workspace);
    let mut missing = Vec::new();
    for (package, sets) in feature_sets(alone) {
        for set in sets {
            if !workspace.get(package).is_some_and(|w| w.contains(set)) {
                let built = workspace
                    .get(package)
                    .map(|w| w.iter().copied().collect::<Vec<_>>());
                missing.push(format!("{package} [{set}] (the workspace: {built:?})"));
            }
        }
    }
    missing
}

fn tree(selection: &[&str], edges: &str) -> String {
    let mut args = vec!["tree", "--offline"];
    args.extend(selection);
    args.extend(["-e", edges, "-f", "{p} [{f}]", "--prefix", "none"]);
    let (ok, out) = run(cargo_in(&xtask::workspace_root(), &crate::target_dir()).args(&args));
    assert!(ok, "cargo {}:\n{out}", args.join(" "));
    out
}

#[test]
fn xtask_built_alone_shares_every_dependency_with_the_workspace_test_build() {
    let alone = tree(&["-p", "xtask"], "normal,build");
    let workspace = tree(&["--workspace"], "normal,build,dev");
    assert!(
        feature_sets(&alone).len() > 10,
        "the listing holds xtask's dependencies:\n{alone}"
    );
    let missing = unshared(&alone, &workspace);
    assert!(
        missing.is_empty(),
        "add these features to xtask/Cargo.toml's workspace-hack:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_feature_set_the_workspace_lacks_is_named() {
    let workspace = "serde v1.0.0 [default,std]\nsyn v2.0.0 [full] (*)\nsyn v2.0.0 [full,visit]\n";
    assert!(unshared("serde v1.0.0 [default,std]\nsyn v2.0.0 [full]\n", workspace).is_empty());
    let missing = unshared("serde v1.0.0 [std]\nsyn v2.0.0 [full] (*)\n", workspace);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].starts_with("serde v1.0.0 [std]"), "{missing:?}");
    let missing = unshared("libc v0.2.0 []\n", workspace);
    assert!(missing[0].contains("the workspace: None"), "{missing:?}");
}
