//! Every key of the spec format has a spec-diff case: an edit of a copy of the kitchen-sink spec
//! (which uses every construct), the class the change must get and the spec path it must be
//! reported at. The keys are read from `codegen/src/spec.rs` as `spec_format` reads them, per
//! struct, so a key added to the format without a case here fails, naming it.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use codegen::diff::{diff, Class, SpecDiff};
use serde_yaml::Value;

use crate::spec_format::{spec_source, struct_keys};

mod api_and_types;
mod endpoints;
mod fields_and_rules;

use api_and_types::{api_cases, type_cases};
use endpoints::endpoint_cases;
use fields_and_rules::{field_cases, rule_cases};

/// The kitchen-sink spec as YAML values, keyed by the file's path inside the spec folder.
type Spec = BTreeMap<String, Value>;

const API: &str = "api.yaml";
const TYPES: &str = "types.yaml";
const CREATE: &str = "endpoints/catalog/create_widget.yaml";
const LIST: &str = "endpoints/catalog/list_widgets.yaml";
const DELETE: &str = "endpoints/delete_widgets.yaml";
const UPDATE: &str = "endpoints/update_widget.yaml";
const HANDLE: &str = "endpoints/handle_widget.yaml";
const LIST_V1: &str = "endpoints/catalog/list_widgets_v1.yaml";
const MEMBERS: &str = "endpoints/catalog/list_widget_members.yaml";
const EVENTS: &str = "endpoints/catalog/list_widget_events.yaml";
const UPLOAD: &str = "endpoints/catalog/upload_widget_photo.yaml";

/// Keys with no diff case of their own, each with why.
const WITHOUT_CASE: &[(&str, &str)] = &[(
    "TypesFile.types",
    "the file's only key: every type case edits it",
)];

fn kitchen_sink() -> Spec {
    let root = xtask::workspace_root().join("tests/kitchen-sink/spec");
    let mut spec = Spec::new();
    let mut files = vec![API.to_owned(), TYPES.to_owned()];
    for path in yunxin_tests::spec_edit::endpoint_files(&root) {
        let relative = path.strip_prefix(&root).expect("inside the spec");
        files.push(relative.to_string_lossy().into_owned());
    }
    for file in files {
        let text = fs::read_to_string(root.join(&file)).expect("readable kitchen-sink file");
        spec.insert(
            file,
            serde_yaml::from_str(&text).expect("kitchen-sink YAML"),
        );
    }
    spec
}

fn write(spec: &Spec, dir: &Path) {
    for (file, value) in spec {
        let path = dir.join(file);
        fs::create_dir_all(path.parent().expect("parent")).expect("spec folder");
        fs::write(path, serde_yaml::to_string(value).expect("YAML")).expect("write spec file");
    }
}

/// The mapping key `key` as the file spells it: a number in a mapping keyed by numbers (status
/// codes), else a string.
fn key_of(map: &serde_yaml::Mapping, key: &str) -> Value {
    match key.parse::<i64>() {
        Ok(n) if map.keys().any(Value::is_number) => Value::from(n),
        _ => Value::String(key.to_owned()),
    }
}

/// The value at dotted `path` in `file` (`rules.0.then` indexes a list), created as an empty
/// mapping where missing.
fn at<'a>(spec: &'a mut Spec, file: &str, path: &str) -> &'a mut Value {
    let mut value = spec
        .get_mut(file)
        .unwrap_or_else(|| panic!("{file} not in the kitchen sink"));
    for step in path.split('.').filter(|s| !s.is_empty()) {
        value = match value {
            Value::Sequence(items) => {
                let i: usize = step.parse().expect("a list index");
                &mut items[i]
            }
            Value::Mapping(map) => {
                let key = key_of(map, step);
                map.entry(key)
                    .or_insert_with(|| Value::Mapping(Default::default()))
            }
            other => panic!("{file}: `{step}` of {other:?} in {path}"),
        };
    }
    value
}

fn set(spec: &mut Spec, file: &str, path: &str, yaml: &str) {
    *at(spec, file, path) = serde_yaml::from_str(yaml).expect("YAML of an edit");
}

fn remove(spec: &mut Spec, file: &str, path: &str) {
    let (parent, last) = path.rsplit_once('.').unwrap_or(("", path));
    let Value::Mapping(map) = at(spec, file, parent) else {
        panic!("{file}: {parent} is not a mapping");
    };
    let key = key_of(map, last);
    assert!(map.remove(&key).is_some(), "{file}: no {path} to remove");
}

/// Adds `delta` to the number at `path`, keeping its kind (integer or float).
fn bump(spec: &mut Spec, file: &str, path: &str, delta: i64) {
    let value = at(spec, file, path);
    *value = match value.as_i64() {
        Some(n) => Value::from(n + delta),
        None => Value::from(value.as_f64().expect("a number") + delta as f64),
    };
}

/// Appends ` Edited.` to the text at `path`.
fn reword(spec: &mut Spec, file: &str, path: &str) {
    let value = at(spec, file, path);
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{path} is not text"));
    *value = Value::String(format!("{text} Edited."));
}

/// The text at `path`.
fn text(spec: &mut Spec, file: &str, path: &str) -> String {
    at(spec, file, path)
        .as_str()
        .unwrap_or_else(|| panic!("{file}: {path} is not text"))
        .to_owned()
}

/// One edit and what spec-diff must say of it.
struct Case {
    /// The keys of `spec.rs` it exercises, as `Struct.key`.
    keys: &'static [&'static str],
    /// Applied to both sides first, for an edit that needs something to change.
    both: fn(&mut Spec),
    /// Applied to the new side.
    edit: fn(&mut Spec),
    class: Class,
    /// The spec path one change of class `class` must have.
    path: &'static str,
}

fn case(
    keys: &'static [&'static str],
    class: Class,
    path: &'static str,
    edit: fn(&mut Spec),
) -> Case {
    Case {
        keys,
        both: |_| {},
        edit,
        class,
        path,
    }
}

fn cases() -> Vec<Case> {
    let mut cases = api_cases();
    cases.extend(type_cases());
    cases.extend(endpoint_cases());
    cases.extend(rule_cases());
    cases.extend(field_cases());
    cases
}

/// Loads `spec` through a temporary folder.
fn model(spec: &Spec) -> Result<codegen::model::Model, String> {
    let temp = tempfile::tempdir().expect("temporary folder");
    write(spec, temp.path());
    codegen::load_model(temp.path(), "spec").map_err(|d| d.to_string())
}

/// What is wrong with `case`'s report, if anything.
fn check(case: &Case) -> Result<SpecDiff, String> {
    let (mut old, mut new) = (kitchen_sink(), kitchen_sink());
    (case.both)(&mut old);
    (case.both)(&mut new);
    (case.edit)(&mut new);
    let old = model(&old).map_err(|e| format!("the old side does not load:\n{e}"))?;
    let new = model(&new).map_err(|e| format!("the edited spec does not load:\n{e}"))?;
    let d = diff(&old, &new);
    if d.changes
        .iter()
        .any(|c| c.spec_path == case.path && c.class == case.class)
    {
        Ok(d)
    } else {
        let seen: Vec<String> = d
            .changes
            .iter()
            .map(|c| format!("  {} {} [{}]", c.class.name(), c.text, c.spec_path))
            .collect();
        Err(format!(
            "expected a {} change at {}; got:\n{}",
            case.class.name(),
            case.path,
            seen.join("\n")
        ))
    }
}

#[test]
fn every_edit_is_reported_with_its_class_and_spec_path() {
    let mut failures = Vec::new();
    for (i, case) in cases().iter().enumerate() {
        if let Err(e) = check(case) {
            failures.push(format!("case {i} {:?}: {e}", case.keys));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The keys of `spec.rs` that no case exercises and that are not listed as needing none.
fn uncovered(source: &str, cases: &[Case]) -> Vec<String> {
    struct_keys(source)
        .into_iter()
        .map(|(s, k)| format!("{s}.{k}"))
        .filter(|key| {
            !cases.iter().any(|c| c.keys.contains(&key.as_str()))
                && !WITHOUT_CASE.iter().any(|(k, _)| k == key)
        })
        .collect()
}

#[test]
fn every_key_of_the_format_has_a_diff_case() {
    let keys = struct_keys(&spec_source());
    assert!(keys.len() > 100, "too few keys read from spec.rs: {keys:?}");
    let missing = uncovered(&spec_source(), &cases());
    assert!(
        missing.is_empty(),
        "keys of codegen/src/spec.rs without a spec-diff case in tests/it/spec_diff_cases.rs: {missing:?}"
    );
    // Every key a case names exists, so a renamed key cannot hide behind a stale case.
    let known: Vec<String> = keys.iter().map(|(s, k)| format!("{s}.{k}")).collect();
    for key in cases()
        .iter()
        .flat_map(|c| c.keys)
        .chain(WITHOUT_CASE.iter().map(|(k, _)| k))
    {
        assert!(
            known.contains(&key.to_string()),
            "`{key}` is not a key of spec.rs"
        );
    }
}

/// Negative controls: a new key of the format is reported, and an edit that changes nothing
/// fails its case.
#[test]
fn a_key_or_a_change_that_is_missed_fails() {
    let source = format!(
        "{}\npub struct Brand {{\n    pub new_key: String,\n}}\n",
        spec_source()
    );
    assert_eq!(uncovered(&source, &cases()), ["Brand.new_key"]);
    let silent = case(
        &[],
        Class::Compatible,
        "endpoints.create_widget.fields.big",
        |_| {},
    );
    assert!(check(&silent).is_err());
    let wrong_class = case(
        &[],
        Class::Compatible,
        "endpoints.create_widget.fields.big.type",
        |s| set(s, CREATE, "fields.big.type", "int"),
    );
    assert!(check(&wrong_class).is_err());
}

/// What a `CHANGELOG.md` section must not hold, or how it is not shaped as one heading per
/// endpoint with one single-line bullet per change.
fn changelog_problems(markdown: &str, d: &SpecDiff) -> Vec<String> {
    use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
    let (mut headings, mut items, mut problems) = (0, 0, Vec::new());
    for event in Parser::new_ext(markdown, Options::all()) {
        match event {
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::Item) => items += 1,
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                ..
            }) => {}
            Event::Start(
                tag @ (Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::Link { .. }
                | Tag::Image { .. }),
            ) => problems.push(format!("{tag:?}")),
            Event::Html(h) | Event::InlineHtml(h) => problems.push(format!("HTML {h:?}")),
            _ => {}
        }
    }
    if headings != d.groups().len() + 1 {
        problems.push(format!(
            "{headings} headings for {} groups",
            d.groups().len()
        ));
    }
    if items != d.changes.len() {
        problems.push(format!("{items} bullets for {} changes", d.changes.len()));
    }
    problems
}

/// Spec prose reaches spec-diff's output through the changes it names (a disagreement's topic,
/// a plan's name); the CHANGELOG section and the terminal text keep one line per change.
#[test]
fn hostile_prose_keeps_the_spec_diff_output_one_line_per_change() {
    const KITCHEN_SINK: &str = "tests/kitchen-sink/spec";
    let real = crate::prose::real_model(KITCHEN_SINK);
    let mut failures = Vec::new();
    for text in crate::prose::HOSTILE {
        let hostile = crate::prose::hostile_model(KITCHEN_SINK, text);
        for (old, new) in [(&real, &hostile), (&hostile, &real)] {
            let d = diff(old, new);
            assert!(!d.is_empty(), "the prose changed nothing");
            let markdown = codegen::diff::render_markdown(&d, "old", "new");
            for problem in changelog_problems(&markdown, &d) {
                failures.push(format!("prose {text:?}: {problem}"));
            }
            let plain = codegen::diff::render_text(&d, "old", "new");
            let lines = plain.lines().filter(|l| l.starts_with("  ")).count();
            if lines != d.changes.len() {
                failures.push(format!(
                    "prose {text:?}: {lines} change lines for {} changes",
                    d.changes.len()
                ));
            }
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_changelog_check_sees_a_broken_bullet() {
    let d = SpecDiff {
        changes: vec![codegen::diff::Change {
            endpoint: "e".into(),
            spec_path: "p".into(),
            kind: codegen::diff::Kind::Docs,
            old: None,
            new: None,
            class: Class::DocsOnly,
            text: "one".into(),
        }],
    };
    let good = "## Spec changes\n\n### e\n\n- docs-only — one\n";
    assert!(changelog_problems(good, &d).is_empty());
    for bad in [
        "## Spec changes\n\n### e\n\n- docs-only — one\n```\ncode\n```\n",
        "## Spec changes\n\n### e\n\n- docs-only — one\n# two\n",
        "## Spec changes\n\n### e\n\n- docs-only — one\n- two\n",
        "## Spec changes\n\n### e\n\n- docs-only — <b>one</b>\n",
    ] {
        assert!(!changelog_problems(bad, &d).is_empty(), "{bad:?}");
    }
}
