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
pub(crate) struct Names {
    request: Vec<String>,
    reply: Vec<String>,
}

fn load_list() -> BTreeMap<String, Names> {
    load_list_from(&xtask::workspace_root().join("tests/wire-names"))
}

/// The wire-name lists of a folder like `tests/wire-names`.
pub(crate) fn load_list_from(dir: &std::path::Path) -> BTreeMap<String, Names> {
    let mut list = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("the wire-names folder is readable") {
        let path = entry.expect("the wire-names folder is readable").path();
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
pub(crate) fn differences(model: &Model, list: &BTreeMap<String, Names>) -> Vec<String> {
    let mut found = Vec::new();
    // Endpoints written from the SDKs or the API list alone have no page to list names from:
    // the SDK record holds them to the SDKs' names instead (sdk_parity.rs).
    for endpoint in model.endpoints.iter().filter(|e| model.has_page(e)) {
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

/// Every wire path of every endpoint, by endpoint and side.
fn all_paths(model: &Model) -> BTreeSet<(String, &'static str, String)> {
    let mut out = BTreeSet::new();
    for e in &model.endpoints {
        for (side, fields) in [("request", &e.fields), ("reply", &e.reply.fields)] {
            let mut paths = Vec::new();
            wire_paths(model, fields, "", &mut paths);
            out.extend(paths.into_iter().map(|p| (e.name.clone(), side, p)));
        }
    }
    out
}

/// The object a field holds, directly or as list items.
fn object_of(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Object(name) => Some(name),
        Ty::List(item) => object_of(item),
        _ => None,
    }
}

/// The comparison must see a dropped field, at the top level and inside an object, and an
/// invented one. The endpoint and object are found in the model; an object shared by other
/// endpoints loses its field there too, and each such endpoint must be reported as well.
#[test]
fn a_dropped_or_invented_field_is_reported() {
    dropped_or_invented_are_reported(&load_spec(), &load_list(), None);
}

/// The reports for `original` with one object field, one plain field dropped and one invented,
/// where `list` agrees with `original`. Returns the reports. The endpoint is `endpoint`, or the
/// one whose object the most endpoints share.
pub(crate) fn dropped_or_invented_are_reported(
    original: &Model,
    list: &BTreeMap<String, Names>,
    endpoint: Option<&str>,
) -> Vec<String> {
    assert!(differences(original, list).is_empty());
    let mut model = original.clone();
    let sharing = |object: &str| {
        let uses = |e: &&codegen::model::Endpoint| {
            e.fields.iter().any(|f| object_of(&f.ty) == Some(object))
        };
        original.endpoints.iter().filter(uses).count()
    };
    let (index, object) = model
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| endpoint.is_none_or(|name| e.name == name))
        .flat_map(|(i, e)| {
            e.fields
                .iter()
                .filter_map(move |f| Some((i, object_of(&f.ty)?)))
        })
        .max_by_key(|(i, o)| (sharing(o), std::cmp::Reverse(*i)))
        .map(|(i, o)| (i, o.to_owned()))
        .expect("an endpoint with an object in its request");
    let endpoint = &mut model.endpoints[index];
    let name = endpoint.name.clone();
    let plain = endpoint
        .fields
        .iter()
        .rposition(|f| object_of(&f.ty).is_none())
        .expect("a plain field beside the object");
    let dropped = endpoint.fields.remove(plain).wire;
    let mut invented = endpoint.fields[0].clone();
    invented.wire = "inventedParam".into();
    endpoint.fields.push(invented);
    let def = model.objects.iter_mut().find(|o| o.name == object).unwrap();
    let inner = def.fields.remove(0).wire;

    let mut expected: Vec<String> = all_paths(original)
        .difference(&all_paths(&model))
        .map(|(e, side, path)| format!("{e} {side}: `{path}` is on the pages but not in the spec"))
        .collect();
    expected.push(format!(
        "{name} request: `inventedParam` is in the spec but not on the pages"
    ));
    let own = format!("{name} request: `{dropped}` is on the pages but not in the spec");
    assert!(expected.contains(&own));
    let inside = format!(".{inner}` is on the pages");
    assert!(expected
        .iter()
        .any(|e| e.starts_with(&name) && e.contains(&inside)));

    let mut found = differences(&model, list);
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    found
}
