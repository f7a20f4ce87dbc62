//! Each hand-kept list of `names.rs` against the source it mirrors, so that a runtime change that
//! adds a name fails here instead of letting the checker accept a spec that does not compile.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

fn client_src() -> PathBuf {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets it");
    Path::new(&crate_dir).join("../generated-client/src")
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn use_leaves(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, out)),
        syn::UseTree::Glob(_) => panic!("support.rs re-exports a glob; list its names instead"),
    }
}

fn is_visible(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

#[test]
fn support_names_are_every_type_like_name_support_rs_offers() {
    let file = parse(&client_src().join("runtime/support.rs"));
    let mut offered = BTreeSet::new();
    for item in &file.items {
        match item {
            syn::Item::Use(u) if is_visible(&u.vis) => use_leaves(&u.tree, &mut offered),
            syn::Item::Struct(s) if is_visible(&s.vis) => drop(offered.insert(s.ident.to_string())),
            syn::Item::Enum(e) if is_visible(&e.vis) => drop(offered.insert(e.ident.to_string())),
            syn::Item::Const(c) if is_visible(&c.vis) => drop(offered.insert(c.ident.to_string())),
            syn::Item::Type(t) if is_visible(&t.vis) => drop(offered.insert(t.ident.to_string())),
            syn::Item::Trait(t) if is_visible(&t.vis) => drop(offered.insert(t.ident.to_string())),
            _ => {}
        }
    }
    // Spec type names are PascalCase: only names that start upper-case can meet one.
    offered.retain(|n| n.starts_with(|c: char| c.is_ascii_uppercase()));
    let listed = set(SUPPORT_NAMES);
    // TRUNCATED is a constant (value namespace); kept out of the list, it cannot meet a type.
    offered.remove("TRUNCATED");
    assert_eq!(
        listed, offered,
        "names::SUPPORT_NAMES differs from runtime/support.rs"
    );
}

#[test]
fn client_methods_are_every_method_of_the_hand_written_client() {
    let mut found = BTreeSet::new();
    let runtime = client_src().join("runtime");
    let mut pending = vec![runtime];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("runtime is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            for item in parse(&path).items {
                let syn::Item::Impl(block) = item else {
                    continue;
                };
                let syn::Type::Path(ty) = &*block.self_ty else {
                    continue;
                };
                let is_client = ty.path.segments.last().is_some_and(|s| s.ident == "Client");
                if block.trait_.is_some() || !is_client {
                    continue;
                }
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member {
                        found.insert(f.sig.ident.to_string());
                    }
                }
            }
        }
    }
    assert!(found.contains("send"), "no `impl Client` found: {found:?}");
    assert_eq!(
        set(CLIENT_METHODS),
        found,
        "names::CLIENT_METHODS differs from the runtime"
    );
}

#[test]
fn crate_root_modules_are_the_modules_of_lib_rs() {
    let file = parse(&client_src().join("lib.rs"));
    let found: BTreeSet<String> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(set(CRATE_ROOT_MODULES), found);
}

/// The inherent methods of every generated struct that has a `new` (requests and request
/// objects), as (struct, its members, its methods), from the committed generated code.
fn generated_structs() -> Vec<(String, BTreeSet<String>, BTreeSet<String>)> {
    let dir = client_src().join("generated");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("generated code is readable") {
        let file = parse(&entry.expect("entry").path());
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(ty) = &*block.self_ty else {
                continue;
            };
            if block.trait_.is_some() {
                continue;
            }
            let name = ty.path.segments.last().expect("a type").ident.to_string();
            let methods: BTreeSet<String> = block
                .items
                .iter()
                .filter_map(|i| match i {
                    syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect();
            if !methods.contains("new") {
                continue;
            }
            let members = file
                .items
                .iter()
                .find_map(|i| match i {
                    syn::Item::Struct(s) if s.ident == name => Some(
                        s.fields
                            .iter()
                            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                            .collect(),
                    ),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no struct `{name}` beside its impl"));
            out.push((name, members, methods));
        }
    }
    out
}

/// The checker refuses a field whose accessor meets another method (`get_name` beside `name`),
/// reasoning from `getter`, `setter` and the fixed lists: each must be what the emitter writes.
#[test]
fn accessor_names_and_own_methods_are_what_generated_structs_have() {
    let structs = generated_structs();
    assert!(
        structs.iter().any(|(n, _, _)| n.ends_with("Request")),
        "no request found in the generated code"
    );
    let mut own = BTreeSet::new();
    for (name, members, methods) in &structs {
        let mut rest = methods.clone();
        // The trace-id member is no field: its methods are the struct's own.
        for member in members
            .iter()
            .filter(|m| *m != V2_REQUEST_MEMBER && *m != UNENCODABLE_MEMBER)
        {
            rest.remove(&getter(member));
            rest.remove(&setter(member));
            rest.remove(&json_setter(member));
        }
        // JSON setters exactly when the member recording their failures is there.
        let json_setters = members.iter().any(|m| methods.contains(&json_setter(m)));
        assert_eq!(
            json_setters,
            members.contains(UNENCODABLE_MEMBER),
            "{name}: JSON setters without the member recording their failures, or the reverse"
        );
        for method in &rest {
            assert!(
                !method.starts_with("get_"),
                "`{name}::{method}` is a getter `names::getter` does not name"
            );
        }
        if rest.contains("with_trace_id") {
            assert!(members.contains(V2_REQUEST_MEMBER), "{name}: {members:?}");
        }
        own.extend(rest);
    }
    let listed: BTreeSet<String> = STRUCT_METHODS
        .iter()
        .chain(REQUEST_METHODS)
        .chain(V2_REQUEST_METHODS)
        .map(|n| (*n).to_owned())
        .collect();
    assert_eq!(
        own, listed,
        "the generated structs' own methods differ from names::STRUCT_METHODS, REQUEST_METHODS and V2_REQUEST_METHODS"
    );
}

#[test]
fn ident_problems() {
    for good in ["a", "send_msg", "_x", "Widget", "r2d2"] {
        assert_eq!(ident_problem(good), None, "{good}");
    }
    for bad in [
        "", "_", "1a", "type", "Self", "self", "super", "crate", "a-b", "é",
    ] {
        assert!(ident_problem(bad).is_some(), "{bad}");
    }
}

#[test]
fn hand_examples_are_the_client_manifests_examples() {
    let manifest = client_src().join("../Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut declared = BTreeSet::new();
    let mut in_example = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_example = line == "[[example]]";
        } else if let Some(name) = line.strip_prefix("name = ").filter(|_| in_example) {
            declared.insert(name.trim_matches('"').to_owned());
        }
    }
    assert!(
        !declared.is_empty(),
        "no [[example]] in {}",
        manifest.display()
    );
    assert_eq!(
        declared,
        set(HAND_EXAMPLES),
        "names::HAND_EXAMPLES differs from the client's manifest"
    );
}

#[test]
fn client_features_are_the_features_of_the_client_manifest() {
    let manifest_path = client_src().join("../Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).expect("the client's manifest");
    let api_path = client_src().join("../../spec/api.yaml");
    let api: crate::spec::ApiFile =
        serde_yaml::from_str(&std::fs::read_to_string(api_path).expect("spec/api.yaml"))
            .expect("spec/api.yaml parses");
    // The lines of `[features]` up to the next table: `name = [...]`.
    let found: BTreeSet<String> = manifest
        .lines()
        .skip_while(|l| l.trim() != "[features]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim().to_owned()))
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .filter(|name| !api.domains.contains_key(name))
        .collect();
    assert!(found.contains("default"), "no [features] read: {found:?}");
    // `full` is kept for the feature of every domain, which a spec without domains lacks.
    let mut expected = set(CLIENT_FEATURES);
    if !found.contains("full") {
        expected.remove("full");
    }
    assert_eq!(
        expected, found,
        "names::CLIENT_FEATURES differs from the client's [features]"
    );
}
