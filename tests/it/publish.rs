//! The published shape of the client: only `yunxin-im` is publishable, its package holds the
//! crate and its license texts but no tests, fixtures or benches, its manifest carries what
//! crates.io and docs.rs show, its README tells the truth about the manifest, and every
//! feature-gated public item is marked for docs.rs. Offline: `cargo package --list` and
//! `cargo metadata` read the workspace only.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use yunxin_tests::child_cargo;

const CLIENT: &str = "yunxin-im";

fn cargo_stdout(args: &[&str]) -> String {
    let root = xtask::workspace_root();
    let output = child_cargo::cargo_in(&root, &crate::target_dir())
        .args(args)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn workspace_packages() -> Vec<Value> {
    let metadata = cargo_stdout(&["metadata", "--offline", "--no-deps", "--format-version=1"]);
    let metadata: Value = serde_json::from_str(&metadata).unwrap();
    metadata["packages"].as_array().unwrap().clone()
}

fn client_package() -> Value {
    workspace_packages()
        .into_iter()
        .find(|p| p["name"] == CLIENT)
        .expect("the client is a workspace member")
}

fn client_dir() -> PathBuf {
    let manifest = client_package()["manifest_path"]
        .as_str()
        .unwrap()
        .to_string();
    Path::new(&manifest).parent().unwrap().to_path_buf()
}

/// The files `cargo publish` would upload, relative to the package root.
fn packaged_files() -> BTreeSet<String> {
    let args = [
        "package",
        "--list",
        "--offline",
        "--allow-dirty",
        "-p",
        CLIENT,
    ];
    cargo_stdout(&args).lines().map(str::to_string).collect()
}

fn strings(value: &Value) -> Vec<String> {
    let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn only_the_client_is_publishable() {
    for package in workspace_packages() {
        // `publish`: null when any registry may have it, a list of registries otherwise.
        let publishable = package["publish"].is_null();
        let name = package["name"].as_str().unwrap();
        assert_eq!(
            publishable,
            name == CLIENT,
            "{name}: publish = {}",
            package["publish"]
        );
    }
}

/// Files only `cargo test` compiles: those a `#[cfg(test)]` module declaration points to.
fn test_only_files(src: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    for file in rust_files(src) {
        let text = fs::read_to_string(&file).unwrap();
        found.extend(test_module_files(&file, &text));
    }
    found
}

fn test_module_files(file: &Path, text: &str) -> Vec<PathBuf> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut files = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if *line != "#[cfg(test)]" {
            continue;
        }
        let rest = &lines[at + 1..];
        let path_attr = rest.first().and_then(|l| l.strip_prefix("#[path = \""));
        let declaration = rest.iter().find(|l| !l.starts_with("#[")).unwrap_or(&"");
        let Some(name) = declaration
            .strip_prefix("mod ")
            .and_then(|d| d.strip_suffix(';'))
        else {
            continue; // an inline module: its text is part of a file the crate needs
        };
        // A module file of `x.rs` (not `mod.rs`/`lib.rs`) lies in the folder `x/`.
        let stem = file.file_stem().unwrap();
        let owner_dir = match stem.to_str() {
            Some("mod" | "lib" | "main") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        files.push(match path_attr.and_then(|p| p.strip_suffix("\"]")) {
            Some(path) => file.parent().unwrap().join(path),
            None => owner_dir.join(format!("{name}.rs")),
        });
    }
    files
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_package_has_the_crate_but_no_tests_fixtures_or_benches() {
    let dir = client_dir();
    let packaged = packaged_files();
    let test_only = test_only_files(&dir.join("src"));
    assert!(
        !test_only.is_empty(),
        "the scan finds the client's unit-test files"
    );
    for file in rust_files(&dir.join("src")) {
        let relative = file
            .strip_prefix(&dir)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let expected = !test_only.contains(&file);
        assert_eq!(
            packaged.contains(&relative),
            expected,
            "{relative} packaged: {}",
            !expected
        );
    }
    for path in &packaged {
        let folders: Vec<&str> = path.split('/').collect();
        let folders = &folders[..folders.len() - 1];
        for refused in ["tests", "fixtures", "benches"] {
            assert!(!folders.contains(&refused), "{path} is packaged");
        }
        assert!(
            !path.ends_with("codegen-manifest.txt"),
            "the generator's record is packaged"
        );
    }
}

#[test]
fn the_test_module_scan_finds_path_and_sibling_files() {
    let file = Path::new("/c/src/runtime/pacing.rs");
    let text =
        "#[cfg(test)]\n#[path = \"pacing_tests.rs\"]\nmod tests;\n#[cfg(test)]\nmod inline {}\n";
    let found = test_module_files(file, text);
    assert_eq!(found, [PathBuf::from("/c/src/runtime/pacing_tests.rs")]);
    let found = test_module_files(file, "#[cfg(test)]\nmod tests;\n");
    assert_eq!(found, [PathBuf::from("/c/src/runtime/pacing/tests.rs")]);
    assert!(test_module_files(file, "mod tests;\n").is_empty());
}

#[test]
fn every_license_of_the_manifest_is_packaged_with_the_roots_text() {
    let package = client_package();
    let license = package["license"]
        .as_str()
        .expect("an SPDX license expression");
    let packaged = packaged_files();
    let ids: Vec<&str> = license.split(" OR ").collect();
    assert!(ids.len() > 1, "{license}: dual-licensed");
    for id in ids {
        // LICENSE-MIT for MIT, LICENSE-APACHE for Apache-2.0: the usual Rust names.
        let name = format!("LICENSE-{}", id.split('-').next().unwrap().to_uppercase());
        assert!(packaged.contains(&name), "{name} is not packaged");
        let root_text = fs::read_to_string(xtask::workspace_root().join(&name))
            .unwrap_or_else(|e| panic!("{name} at the repository root: {e}"));
        let client_text = fs::read_to_string(client_dir().join(&name)).unwrap();
        assert_eq!(
            client_text, root_text,
            "{name}: the package's text is the root's"
        );
    }
    let mit = fs::read_to_string(xtask::workspace_root().join("LICENSE-MIT")).unwrap();
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    let apache = fs::read_to_string(xtask::workspace_root().join("LICENSE-APACHE")).unwrap();
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
}

/// The crates.io rules for a keyword: at most 20 ASCII letters, digits, `_`, `-` or `+`,
/// starting with a letter.
fn valid_keyword(keyword: &str) -> bool {
    let first_is_letter = keyword.starts_with(|c: char| c.is_ascii_alphabetic());
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-+".contains(c);
    first_is_letter && keyword.len() <= 20 && keyword.chars().all(allowed)
}

#[test]
fn the_manifest_has_what_crates_io_and_docs_rs_show() {
    let package = client_package();
    for field in ["description", "readme", "documentation", "rust_version"] {
        assert!(
            package[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field} is missing"
        );
    }
    let keywords = strings(&package["keywords"]);
    assert!(
        (1..=5).contains(&keywords.len()),
        "{keywords:?}: one to five keywords"
    );
    assert!(keywords.iter().all(|k| valid_keyword(k)), "{keywords:?}");
    assert!(!valid_keyword("1abc") && !valid_keyword("a b") && !valid_keyword(&"a".repeat(21)));
    let categories = strings(&package["categories"]);
    assert!(
        (1..=5).contains(&categories.len()),
        "{categories:?}: one to five categories"
    );
    let others = workspace_packages();
    let codegen = others.iter().find(|p| p["name"] == "codegen").unwrap();
    assert_eq!(
        package["rust_version"], codegen["rust_version"],
        "the workspace's MSRV"
    );
    let docs_rs = &package["metadata"]["docs"]["rs"];
    assert_eq!(
        docs_rs["all-features"], true,
        "docs.rs builds default features only"
    );
    assert_eq!(strings(&docs_rs["rustdoc-args"]), ["--cfg", "docsrs"]);
}

/// The first column of the README's feature table.
fn readme_feature_rows(readme: &str) -> Vec<(String, bool)> {
    let section = readme
        .split("## Features")
        .nth(1)
        .expect("a Features section");
    let section = section.split("\n## ").next().unwrap();
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        rows.push((cells[1].trim_matches('`').to_string(), cells[2] == "yes"));
    }
    rows
}

/// The domains of the real spec, each a feature of the client.
fn spec_domains() -> BTreeSet<String> {
    let spec = xtask::workspace_root().join("spec");
    let model = codegen::load_model(&spec, "spec").expect("the spec loads");
    model.domains.into_iter().map(|d| d.name).collect()
}

#[test]
fn the_crate_readme_agrees_with_the_manifest() {
    let package = client_package();
    let readme_path = Path::new(package["readme"].as_str().unwrap());
    assert!(packaged_files().contains(readme_path.file_name().unwrap().to_str().unwrap()));
    let readme = fs::read_to_string(client_dir().join(readme_path)).unwrap();
    let name = package["name"].as_str().unwrap();
    let version = package["version"].as_str().unwrap();
    let dependency = format!("{name} = \"{version}\"");
    assert!(
        readme.contains(&dependency),
        "the README's install line is not `{dependency}`"
    );

    let features = package["features"].as_object().unwrap();
    let defaults = strings(&features["default"]);
    // The domains' features are generated into the manifest and listed by the generated index,
    // not by hand rows: the README has a row for the hand-written features and `full`.
    let domains = spec_domains();
    let mut expected: Vec<(String, bool)> = (features.keys())
        .filter(|f| *f != "default" && !domains.contains(*f))
        .map(|f| (f.clone(), defaults.contains(f)))
        .collect();
    let mut rows = readme_feature_rows(&readme);
    expected.sort();
    rows.sort();
    assert_eq!(
        rows, expected,
        "the README's features (name, on by default)"
    );
    let index = fs::read_to_string(client_dir().join("docs/README.md")).unwrap();
    for domain in &domains {
        assert!(
            features.contains_key(domain),
            "the manifest lacks the feature of domain `{domain}`"
        );
        assert!(
            index.contains(&format!("`{domain}`")),
            "the endpoint index does not list the feature `{domain}`"
        );
    }
    assert!(
        readme.contains("one feature per domain, listed in the [endpoint index](docs/README.md)")
    );
    assert_eq!(
        readme_feature_rows(
            "## Features\n| `a` | yes | x |\n| `b` | no | y |\n## Next\n| `c` | no | z |"
        ),
        [("a".to_string(), true), ("b".to_string(), false)]
    );
    // Every relative link resolves inside the package.
    let packaged = packaged_files();
    for target in readme
        .split("](")
        .skip(1)
        .filter_map(|t| t.split(')').next())
    {
        if !target.contains("://") {
            assert!(
                packaged.contains(target),
                "the README links to {target}, not packaged"
            );
        }
    }
}

/// `#[cfg(<feature condition>)]` on a `pub` item without the matching docs.rs mark.
fn unmarked_gated_items(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut unmarked = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(condition) = line
            .strip_prefix("#[cfg(")
            .and_then(|c| c.strip_suffix(")]"))
        else {
            continue;
        };
        if !condition.contains("feature") {
            continue;
        }
        // Test doubles also exist for the crate's own unit tests, and endpoint modules do not
        // (`not(test)`); docs show only the feature either way.
        let condition = condition
            .strip_prefix("any(test, ")
            .and_then(|c| c.strip_suffix(')'))
            .or_else(|| {
                condition
                    .strip_prefix("all(")
                    .and_then(|c| c.strip_suffix(", not(test))"))
            })
            .unwrap_or(condition);
        let attributes: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
            .copied()
            .collect();
        let item = lines.get(at + 1 + attributes.len()).unwrap_or(&"");
        let mark = format!("#[cfg_attr(docsrs, doc(cfg({condition})))]");
        if item.starts_with("pub ") && !attributes.contains(&mark.as_str()) {
            unmarked.push(format!("line {}: {item}", at + 1));
        }
    }
    unmarked
}

#[test]
fn every_feature_gated_public_item_is_marked_for_docs_rs() {
    let src = client_dir().join("src");
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(lib.contains("#![cfg_attr(docsrs, feature(doc_cfg))]"));
    let mut unmarked = Vec::new();
    let mut gated = 0;
    for file in rust_files(&src) {
        let text = fs::read_to_string(&file).unwrap();
        gated += text.matches("doc(cfg(").count();
        let found = unmarked_gated_items(&text);
        unmarked.extend(
            found
                .into_iter()
                .map(|f| format!("{}: {f}", file.display())),
        );
    }
    assert!(
        unmarked.is_empty(),
        "gated items without a docs.rs mark:\n{}",
        unmarked.join("\n")
    );
    assert!(gated > 0, "the client has feature-gated items");

    let unmarked =
        "#[cfg(feature = \"redis\")]\npub mod store;\n#[cfg(feature = \"tracing\")]\nlet x = 1;";
    assert_eq!(unmarked_gated_items(unmarked), ["line 1: pub mod store;"]);
    let marked = "#[cfg(feature = \"redis\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"redis\")))]\npub use a::B;";
    assert!(unmarked_gated_items(marked).is_empty());
    let wrong_feature = marked.replacen("\"redis\")))", "\"tracing\")))", 1);
    assert_eq!(unmarked_gated_items(&wrong_feature).len(), 1);
    let outside_unit_tests = "#[cfg(all(feature = \"team\", not(test)))]\n#[cfg_attr(docsrs, doc(cfg(feature = \"team\")))]\npub mod add_team;";
    assert!(unmarked_gated_items(outside_unit_tests).is_empty());
    let unmarked = outside_unit_tests.replacen("\"team\")))]", "\"account\")))]", 1);
    assert_eq!(
        unmarked_gated_items(&unmarked),
        ["line 1: pub mod add_team;"]
    );
}
