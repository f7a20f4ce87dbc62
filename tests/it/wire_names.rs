//! The spec must name exactly the wire names of the vendor pages.
//!
//! `tests/wire-names/<endpoint>.yaml` lists every request and reply name read off its page.
//! A parameter the spec drops would silently vanish from the client; one it invents would be sent
//! to a server that does not know it. Both fail here, with the differences listed.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::{Field, Model, Ty};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Names {
    request: Vec<String>,
    reply: Vec<String>,
}

fn load_list() -> BTreeMap<String, Names> {
    let dir = xtask::workspace_root().join("tests/wire-names");
    let mut list = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("tests/wire-names is readable") {
        let path = entry.expect("tests/wire-names is readable").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let names =
            serde_yaml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        list.insert(name, names);
    }
    list
}

fn load_spec() -> Model {
    let dir = xtask::workspace_root().join("spec");
    codegen::load_model(&dir, "spec").unwrap_or_else(|d| panic!("the spec does not load:\n{d}"))
}

/// Wire paths of `fields` and everything inside them: `option.badge`, `msgList[].msgId`.
/// Map values are not walked: their keys are data (ids), not names the pages tabulate.
fn wire_paths(model: &Model, fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for field in fields {
        let path = format!("{prefix}{}", field.wire);
        out.push(path.clone());
        let mut ty = &field.ty;
        let mut inner = path;
        while let Ty::List(item) = ty {
            ty = item;
            inner.push_str("[]");
        }
        if let Ty::Object(name) = ty {
            let object = model
                .object(name)
                .expect("the checker resolved every object");
            wire_paths(model, &object.fields, &format!("{inner}."), out);
        }
    }
}

/// Differences between the spec and the list, one line each; empty when they agree.
fn differences(model: &Model, list: &BTreeMap<String, Names>) -> Vec<String> {
    let mut found = Vec::new();
    for endpoint in &model.endpoints {
        let Some(names) = list.get(&endpoint.name) else {
            found.push(format!(
                "{}: endpoint is in the spec but has no tests/wire-names file",
                endpoint.name
            ));
            continue;
        };
        let sides = [
            ("request", &endpoint.fields, &names.request),
            ("reply", &endpoint.reply.fields, &names.reply),
        ];
        for (side, fields, listed) in sides {
            let mut spec = Vec::new();
            wire_paths(model, fields, "", &mut spec);
            let spec: BTreeSet<&String> = spec.iter().collect();
            let pages: BTreeSet<&String> = listed.iter().collect();
            if pages.len() != listed.len() {
                found.push(format!(
                    "{} {side}: its wire-names file lists a name twice",
                    endpoint.name
                ));
            }
            for name in pages.difference(&spec) {
                found.push(format!(
                    "{} {side}: `{name}` is on the pages but not in the spec",
                    endpoint.name
                ));
            }
            for name in spec.difference(&pages) {
                found.push(format!(
                    "{} {side}: `{name}` is in the spec but not on the pages",
                    endpoint.name
                ));
            }
        }
    }
    for name in list
        .keys()
        .filter(|n| !model.endpoints.iter().any(|e| &e.name == *n))
    {
        found.push(format!(
            "{name}: endpoint has a tests/wire-names file but is not in the spec"
        ));
    }
    found
}

#[test]
fn spec_names_exactly_the_pages_wire_names() {
    let found = differences(&load_spec(), &load_list());
    assert!(
        found.is_empty(),
        "the spec and tests/wire-names differ:\n{}",
        found.join("\n")
    );
}

/// The comparison must see a dropped field, at the top level and inside an object, and an invented one.
#[test]
fn a_dropped_or_invented_field_is_reported() {
    let list = load_list();
    let mut model = load_spec();
    let endpoint = model
        .endpoints
        .iter_mut()
        .find(|e| e.name == "send_batch_msg")
        .expect("send_batch_msg");
    endpoint.fields.retain(|f| f.wire != "env");
    let mut invented = endpoint.fields[0].clone();
    invented.wire = "inventedParam".into();
    endpoint.fields.push(invented);
    let option = model
        .objects
        .iter_mut()
        .find(|o| o.name == "MessageOption")
        .expect("MessageOption");
    option.fields.retain(|f| f.wire != "persistent");

    let found = differences(&model, &list);
    for expected in [
        "send_batch_msg request: `env` is on the pages but not in the spec",
        "send_batch_msg request: `option.persistent` is on the pages but not in the spec",
        "send_batch_msg request: `inventedParam` is in the spec but not on the pages",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "not reported: {expected}\nreported:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(found.len(), 3, "unexpected reports:\n{}", found.join("\n"));
}
