//! Names the checker accepts although the generated code or its users also refer to them: an
//! endpoint (a module at the crate root) named after a crate the client depends on or after a
//! crate of the sysroot (`serde_json`, `tokio`, `std`, `core`...), and shared types named after
//! the items of the crate root (`Client`, `Error`...) or std items that are not in the prelude
//! (`HashMap`, `Cow`, `Formatter`...), two request objects whose names differ only in case, and
//! fields whose names meet the numbering of repeated limit constants.
//! The names come from the client's manifest and `lib.rs`,
//! not from a list kept here. The proof is the project's gate: a copy of the real spec with
//! every such name is generated, then clippy (every target, warnings denied) and rustdoc
//! (warnings denied) must pass on the client.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::model::{ExampleValue, Model};

use yunxin_tests::temp_crate::{sync, sync_dir};

/// Crates every Rust program can name without a manifest entry.
const SYSROOT_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// Std items generated code could use unqualified if it imported them; none may be needed
/// unqualified, or a spec type of the same name would shadow it (the prelude's are refused).
const STD_ITEMS: &[&str] = &[
    "HashMap",
    "Cow",
    "Formatter",
    "Debug",
    "Display",
    "Hash",
    "FromStr",
    "Value",
    "Duration",
    "PhantomData",
    "Arc",
];

/// The crate names the client's manifest depends on, as Rust paths spell them.
fn dependency_crates(manifest: &str) -> Vec<String> {
    let mut in_dependencies = false;
    let mut crates = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
        } else if in_dependencies && !line.starts_with('#') && !line.is_empty() {
            let key = line.split(['=', '.']).next().unwrap_or_default().trim();
            crates.push(key.replace('-', "_"));
        }
    }
    crates
}

/// The names `lib.rs` re-exports at the crate root (`pub use a::b::{C, D};`), minus globs.
fn root_items(lib_rs: &str) -> Vec<String> {
    let leaves = regex::Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").unwrap();
    let mut items = Vec::new();
    for line in lib_rs.lines().filter(|l| l.starts_with("pub use ")) {
        let tail = line.rsplit("::").next().unwrap_or_default();
        items.extend(leaves.find_iter(tail).map(|m| m.as_str().to_owned()));
    }
    items.retain(|i| i.starts_with(|c: char| c.is_ascii_uppercase()));
    items
}

/// The shared types (of `types.yaml`), those some endpoint's usage example names first: an
/// example imports them, so a clash with what the example imports itself shows there.
fn shared_types_examples_first(model: &Model) -> Vec<String> {
    fn walk(value: &ExampleValue, out: &mut Vec<String>) {
        match value {
            ExampleValue::Enum { name, .. } => out.push(name.clone()),
            ExampleValue::Object { name, fields } => {
                out.push(name.clone());
                fields.iter().for_each(|f| walk(&f.value, out));
            }
            ExampleValue::List(items) => items.iter().for_each(|v| walk(v, out)),
            ExampleValue::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut named = Vec::new();
    for e in &model.endpoints {
        e.usage.iter().for_each(|f| walk(&f.value, &mut named));
    }
    let shared: Vec<String> = model
        .enums
        .iter()
        .filter(|e| e.scope.is_none())
        .map(|e| e.name.clone())
        .chain(
            model
                .objects
                .iter()
                .filter(|o| o.scope.is_none())
                .map(|o| o.name.clone()),
        )
        .collect();
    let mut ordered: Vec<String> = named.into_iter().filter(|n| shared.contains(n)).collect();
    ordered.extend(shared);
    let mut seen = std::collections::BTreeSet::new();
    ordered.retain(|n| seen.insert(n.clone()));
    ordered
}

/// Where the client lies in its temporary workspace. Cargo names a member's artifacts after its
/// path relative to the workspace root; the kitchen-sink workspace, sharing the target dir, has
/// its client at `generated-client`, and the same path here made each build reuse the other's.
const CLIENT_HOME: &str = "shadowing";

/// A workspace under the target dir holding the client's manifest, `lib.rs` and runtime; returns
/// the folder to generate into (the one holding `generated-client`).
fn client_workspace(root: &Path) -> PathBuf {
    let ws = xtask::workspace_root();
    let manifest = fs::read_to_string(ws.join("Cargo.toml")).unwrap();
    let manifest: String = manifest
        .lines()
        .filter(|l| !l.contains("{ path = "))
        .map(|l| {
            if l.starts_with("members = ") {
                format!("members = [\"{CLIENT_HOME}/generated-client\"]\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    sync(&root.join("Cargo.toml"), manifest.as_bytes());
    sync(
        &root.join("Cargo.lock"),
        &fs::read(ws.join("Cargo.lock")).unwrap(),
    );
    let home = root.join(CLIENT_HOME);
    let client = fs::read_to_string(ws.join("generated-client/Cargo.toml")).unwrap();
    // The hand-written examples call endpoints of the real spec by their real types.
    let client = client.split("\n[[example]]").next().unwrap();
    sync(&home.join("generated-client/Cargo.toml"), client.as_bytes());
    sync(
        &home.join("generated-client/src/lib.rs"),
        &fs::read(ws.join("generated-client/src/lib.rs")).unwrap(),
    );
    // The crate root's docs are the README (`include_str!`).
    sync(
        &home.join("generated-client/README.md"),
        &fs::read(ws.join("generated-client/README.md")).unwrap(),
    );
    sync_dir(
        &ws.join("generated-client/src/runtime"),
        &home.join("generated-client/src/runtime"),
    );
    home
}

/// The real spec's page-written endpoints: every construct of the format, without building the
/// hundreds of endpoints drafted from the SDKs, which add no construct of their own.
fn copy_spec(from: &Path, to: &Path) {
    yunxin_tests::spec_edit::copy_page_endpoints(from, to);
}

#[test]
fn crate_and_std_names_the_checker_accepts_pass_the_gate() {
    let ws = xtask::workspace_root();
    let real = ws.join("spec");
    let manifest = fs::read_to_string(ws.join("generated-client/Cargo.toml")).unwrap();
    let mut modules: Vec<String> = dependency_crates(&manifest);
    assert!(modules.iter().any(|c| c == "serde_json"), "{modules:?}");
    modules.extend(SYSROOT_CRATES.iter().map(|c| (*c).to_owned()));
    let lib_rs = fs::read_to_string(ws.join("generated-client/src/lib.rs")).unwrap();
    let mut type_names = root_items(&lib_rs);
    assert!(type_names.iter().any(|t| t == "Client"), "{type_names:?}");
    // Root items every generated module also imports (`Violation`) or the prelude has
    // (`Result`) are refused by the checker: the other hostile-name tests cover those.
    let refused = |t: &String| {
        codegen::names::SUPPORT_NAMES.contains(&t.as_str())
            || codegen::names::PRELUDE_NAMES.contains(&t.as_str())
    };
    type_names.retain(|t| !refused(t));
    type_names.extend(STD_ITEMS.iter().map(|t| (*t).to_owned()));

    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec");
    copy_spec(&real, &spec);
    let model = codegen::load_model(&spec, "spec").expect("the copy loads");
    // Each crate name becomes an endpoint: a copy of one that declares no types of its own
    // (type names are global), under that file name.
    let declares = |e: &str| {
        let scoped = |s: &Option<String>| s.as_deref() == Some(e);
        model.enums.iter().any(|t| scoped(&t.scope))
            || model.objects.iter().any(|t| scoped(&t.scope))
    };
    let donor = model
        .endpoints
        .iter()
        .find(|e| !declares(&e.name))
        .expect("an endpoint without types of its own");
    let donor_text =
        fs::read_to_string(yunxin_tests::spec_edit::endpoint_file(&spec, &donor.name)).unwrap();
    for module in &modules {
        fs::write(spec.join(format!("endpoints/{module}.yaml")), &donor_text).unwrap();
    }
    // Two request objects whose names differ only in case, each with a pattern: items named
    // after the type in upper case would be one name twice.
    let twins = ["Wa", "WA"];
    let mut types = fs::read_to_string(spec.join("types.yaml")).unwrap();
    let encoding = match donor.api {
        codegen::model::Api::V1 => "    encoding: json_text\n",
        codegen::model::Api::V2 => "",
    };
    let mut twin_fields = String::new();
    for (i, twin) in twins.iter().enumerate() {
        types.push_str(&format!(
            "  {twin}:\n    kind: object\n    description: A case twin.\n    fields:\n      code:\n        type: string\n        pattern: '[a-z]+'\n        description: A code.\n"
        ));
        twin_fields.push_str(&format!(
            "  twin_{i}:\n    type: {twin}\n{encoding}    description: A case twin.\n"
        ));
    }
    fs::write(spec.join("types.yaml"), types).unwrap();
    // Limit constants are named after a rule's fields, and a repeated name was numbered with
    // the count of constants before it, which could be another rule's name: here the third
    // rule's `LIM_X_MAX_WHEN_LIM_Y`, numbered, would be the first's. The count is the donor's
    // own field constants (these fields come first and have none) plus the two rules before.
    let l = |f: &codegen::model::Field| {
        let l = &f.limits;
        [l.min_chars, l.max_chars, l.min_items, l.max_items]
            .iter()
            .filter(|n| n.is_some())
            .count()
            + usize::from(l.min.is_some())
            + usize::from(l.max.is_some())
    };
    let numbered = donor.fields.iter().map(l).sum::<usize>() + 2;
    twin_fields.push_str(&format!(
        "  lim_x:\n    type: int\n    description: X.\n  lim_y:\n    type: int\n    description: Y.\n  lim_y_{numbered}:\n    type: int\n    description: Y2.\n"
    ));
    let rules = format!("  - when: {{field: lim_y_{numbered}, equals: 1}}\n    then: {{field: lim_x, max: 5}}\n    description: One.\n  - when: {{field: lim_y, equals: 1}}\n    then: {{field: lim_x, max: 6}}\n    description: Two.\n  - when: {{field: lim_y, equals: 2}}\n    then: {{field: lim_x, max: 7}}\n    description: Three.\n");
    let twin_endpoint = spec.join(format!("endpoints/{}.yaml", modules[0]));
    let mut with_twins =
        donor_text.replacen("\nfields:\n", &format!("\nfields:\n{twin_fields}"), 1);
    assert_ne!(
        with_twins, donor_text,
        "the donor endpoint has no `fields:`"
    );
    with_twins = if with_twins.contains("\nrules:\n") {
        with_twins.replacen("\nrules:\n", &format!("\nrules:\n{rules}"), 1)
    } else {
        format!("{with_twins}rules:\n{rules}")
    };
    fs::write(twin_endpoint, with_twins).unwrap();
    // Shared types are renamed, the first (one an example imports) to the first root item.
    let shared = shared_types_examples_first(&model);
    let word = |name: &str| regex::Regex::new(&format!(r"\b{name}\b")).unwrap();
    let used_in_example = model.endpoints.iter().any(|e| {
        let program = codegen::emit::snippet::usage_program(&model, e);
        let imports = word(&shared[0]);
        program
            .lines()
            .any(|l| l.starts_with("use ") && imports.is_match(l))
    });
    assert!(used_in_example, "no example imports `{}`", shared[0]);
    let renames: Vec<(&String, &String)> = shared.iter().zip(&type_names).collect();
    for file in ["types.yaml".to_owned()].into_iter().chain(
        yunxin_tests::spec_edit::endpoint_files(&spec)
            .into_iter()
            .map(|p| {
                p.strip_prefix(&spec)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            }),
    ) {
        let mut text = fs::read_to_string(spec.join(&file)).unwrap();
        for (from, to) in &renames {
            text = word(from).replace_all(&text, to.as_str()).into_owned();
        }
        fs::write(spec.join(&file), text).unwrap();
    }

    let root = crate::target_dir().join("shadowing-names");
    let home = client_workspace(&root);
    let args: Vec<String> = ["codegen", "--spec"]
        .map(str::to_owned)
        .into_iter()
        .chain([
            spec.display().to_string(),
            "--root".into(),
            home.display().to_string(),
        ])
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(&args, &mut out, &mut err);
    let err = String::from_utf8_lossy(&err);
    assert_eq!(code, 0, "the checker refuses the names:\n{err}");
    for module in &modules {
        assert!(home
            .join(format!("generated-client/src/generated/{module}.rs"))
            .is_file());
    }

    if let Err(why) = yunxin_tests::temp_crate::lint_client(&root, &crate::target_dir()) {
        panic!("the client fails the gate (renamed types {renames:?}): {why}");
    }
}

/// The manifest and `lib.rs` readers must see what they are given, or the test above would
/// prove nothing.
#[test]
fn the_name_sources_read_what_they_are_given() {
    let manifest = "[package]\nname = \"x\"\n[dependencies]\n# a note\nserde.workspace = true\nfutures-util = { version = \"1\" }\n[dev-dependencies]\ntokio = \"1\"\n";
    assert_eq!(dependency_crates(manifest), ["serde", "futures_util"]);
    let lib = "pub mod runtime;\npub use generated::*;\npub use runtime::client::{Client, ClientBuilder};\npub use runtime::error::Error;\n";
    assert_eq!(root_items(lib), ["Client", "ClientBuilder", "Error"]);
}
