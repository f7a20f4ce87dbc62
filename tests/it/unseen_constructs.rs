//! The model-derived checks hold for specs other than today's: a copy of `spec/` with the
//! endpoints of `tests/unseen-constructs/` added (an e-mail pattern, chained rules, a shared
//! object reused, a truncated text, a deprecated field and endpoint), and a copy edited the way a
//! vendor update is (every upper limit doubled, an optional field added, a field deprecated, an
//! endpoint added with its wire names) and regenerated with `cargo xtask codegen`; the validation
//! fixtures must still show what they say under the edited spec.
//!
//! The limits cases of such a spec are judged by the independent judge of
//! `yunxin_tests::calls` (which `limits::the_judge_agrees_with_every_case` checks against the
//! generated validators), so no client is rebuilt for the copy.

use std::fs;
use std::path::Path;

use codegen::model::{Endpoint, Model};
use yunxin_tests::calls::{self, Expect};
use yunxin_tests::spec_edit;
use yunxin_tests::temp_root::{copy_dir, run_xtask};

fn root() -> std::path::PathBuf {
    xtask::workspace_root()
}

fn unseen() -> std::path::PathBuf {
    root().join("tests/unseen-constructs")
}

/// `spec` with the unseen endpoints added, and a wire-names folder `names` with their lists.
fn copy_with_unseen(spec: &Path, names: &Path) {
    copy_dir(&root().join("spec"), spec);
    copy_dir(&unseen().join("endpoints"), &spec.join("endpoints"));
    copy_dir(&root().join("tests/wire-names"), names);
    copy_dir(&unseen().join("wire-names"), names);
}

fn load(spec: &Path) -> Model {
    codegen::load_model(spec, "spec").unwrap_or_else(|d| panic!("the copy does not load:\n{d}"))
}

/// Every model-derived check of `model`, its docs pages (`page` gives one) and its wire names.
fn problems(model: &Model, names: &Path, page: impl Fn(&Endpoint) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for e in &model.endpoints {
        let page = page(e);
        out.extend(crate::docs::missing_facts(model, e, &page));
        out.extend(crate::docs::table_problems(model, e, &page));
        let cases = calls::cases(model, e);
        out.extend(calls::disagreements(model, e, &cases));
        let failing = cases.iter().filter(|c| !matches!(c.expect, Expect::Clean));
        if e.rules.len() > failing.count() {
            out.push(format!("{}: fewer failing cases than rules", e.name));
        }
    }
    let list = crate::wire_names::load_list_from(names);
    out.extend(crate::wire_names::differences(model, &list));
    out
}

#[test]
fn the_checks_hold_for_constructs_the_live_spec_does_not_use() {
    let tmp = tempfile::tempdir().unwrap();
    let (spec, names) = (tmp.path().join("spec"), tmp.path().join("wire-names"));
    copy_with_unseen(&spec, &names);
    let model = load(&spec);
    let fresh = |e: &Endpoint| codegen::emit::docs::render_endpoint(&model, e);
    let found = problems(&model, &names, fresh);
    assert!(found.is_empty(), "{}", found.join("\n"));
    crate::docs::check_index(&model, false);
    // The shared object reused by the new endpoint: dropping one of its fields is reported for
    // every endpoint that uses it, the new one included.
    let list = crate::wire_names::load_list_from(&names);
    let new = Some("set_contact_email");
    let reports = crate::wire_names::dropped_or_invented_are_reported(&model, &list, new);
    let inside = |r: &&String| r.contains(" request: `option.");
    let reporting: Vec<&String> = reports.iter().filter(inside).collect();
    assert!(reporting.len() >= 2, "{reports:#?}");
    assert!(reporting
        .iter()
        .any(|r| r.starts_with("set_contact_email ")));

    // The constructs are there, and the cases reach them.
    let email = model
        .endpoints
        .iter()
        .find(|e| e.name == "set_contact_email");
    let email = email.expect("the unseen endpoint loaded");
    assert!(email.fields.iter().any(|f| f.deprecated.is_some()));
    assert!(model.endpoints.iter().any(|e| e.deprecated.is_some()));
    let labels: Vec<String> = calls::cases(&model, email)
        .into_iter()
        .map(|c| c.label)
        .collect();
    let has = |part: &str| labels.iter().any(|l| l.contains(part));
    assert!(has("email: does not match"), "{labels:#?}");
    assert!(
        has("email: max_chars 64 (utf16): at the limit"),
        "{labels:#?}"
    );
    assert!(has("rule `verify_note is set`"), "{labels:#?}");
}

/// Where a validation fixture of `tests/fixtures` no longer shows what it says under `model`: its
/// call (with `past_limits` values built from `model`) must break exactly the rules it lists,
/// as the judge sees them.
fn validation_fixture_problems(model: &Model) -> Vec<String> {
    use yunxin_tests::fixture::{fixture_files, ErrorKind, Fixture};
    let index = yunxin_tests::replay::SpecIndex::from_model(model);
    let mut out = Vec::new();
    for file in fixture_files(&root().join("tests/fixtures")).unwrap() {
        let fixture = Fixture::load(&file.path).unwrap();
        let Some(error) = &fixture.expect.error else {
            continue;
        };
        let Some(e) = model.endpoints.iter().find(|e| e.name == file.endpoint) else {
            continue;
        };
        if error.kind != ErrorKind::Validation {
            continue;
        }
        let call = index.call_of(&file.endpoint, &fixture).unwrap();
        let found = match calls::judge(model, e, &call) {
            Ok(found) => found,
            Err(why) => {
                out.push(format!("{}: {why}", file.name()));
                continue;
            }
        };
        let mut paths: Vec<String> = found
            .into_iter()
            .filter(|f| !f.warning)
            .map(|f| f.path)
            .collect();
        let mut listed = error.violations.clone().unwrap_or_default();
        paths.sort();
        listed.sort();
        if paths != listed {
            out.push(format!(
                "{}: the judge finds {paths:?}, the fixture lists {listed:?}",
                file.name()
            ));
        }
    }
    out
}

/// The validation fixtures show what they say under the live spec, as the judge sees it.
#[test]
fn validation_fixtures_agree_with_the_judge() {
    let found = validation_fixture_problems(&load(&root().join("spec")));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The kitchen-sink spec uses every construct of the format: the case builder keeps each of its
/// cases to the one violation it is about, as the judge sees it, and every limit and rule gets a
/// failing case.
#[test]
fn every_construct_of_the_kitchen_sink_gets_its_cases() {
    let model = load(&root().join("tests/kitchen-sink/spec"));
    let mut found = Vec::new();
    for e in &model.endpoints {
        let cases = calls::cases(&model, e);
        found.extend(calls::disagreements(&model, e, &cases));
        let failing = cases
            .iter()
            .filter(|c| !matches!(c.expect, Expect::Clean))
            .count();
        if failing < e.rules.len() {
            found.push(format!(
                "{}: {failing} failing cases for {} rules",
                e.name,
                e.rules.len()
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Without settling the other rules, a chained rule's case breaks two rules at once, and the
/// judge says so: the check above can fail.
#[test]
fn the_judge_sees_a_second_broken_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let (spec, names) = (tmp.path().join("spec"), tmp.path().join("wire-names"));
    copy_with_unseen(&spec, &names);
    let model = load(&spec);
    let e = model
        .endpoints
        .iter()
        .find(|e| e.name == "set_contact_email");
    let e = e.unwrap();
    let mut call = e.example.as_ref().unwrap().json.clone();
    // verify_note unset (rule 2 does not hold) while mode=1 needs it (rule 1 broken).
    call.as_object_mut().unwrap().remove("verify_note");
    let found = calls::judge(&model, e, &call).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].by_rule, Some(0));
    let case = calls::Case {
        endpoint: e.name.clone(),
        label: "verify_note unset".into(),
        call,
        expect: Expect::Clean,
    };
    assert_eq!(calls::disagreements(&model, e, &[case]).len(), 1);
}

/// A vendor update as a maintainer makes it, on a copy: a limit doubled, an optional field
/// added, a field deprecated, an endpoint added with its wire names; `cargo xtask codegen` on the
/// copy; then the checks against the generated docs it wrote.
#[test]
fn the_checks_follow_an_edited_spec_through_codegen() {
    let tmp = tempfile::tempdir().unwrap();
    let (spec, names) = (tmp.path().join("spec"), tmp.path().join("wire-names"));
    copy_with_unseen(&spec, &names);
    let before = load(&spec);

    let raised = spec_edit::field_with(&before, |l| l.max_items).expect("a field with max_items");
    assert!(spec_edit::raise_every_upper_limit(&spec) > 0);

    // One with a wire-names list: an endpoint written from a page.
    let host = before
        .endpoints
        .iter()
        .find(|e| e.has_body() && before.has_page(e));
    let host = host.expect("an endpoint with a body, written from a page");
    let added = serde_yaml::from_str("{type: string, max_chars: 16, description: Added.}");
    spec_edit::edit_endpoint(&spec, &host.name, |doc| {
        let fields = doc.get_mut("fields").unwrap().as_mapping_mut().unwrap();
        fields.insert("addedNote".into(), added.unwrap());
    });
    let list = names.join(format!("{}.yaml", host.name));
    let text = fs::read_to_string(&list).unwrap();
    fs::write(
        &list,
        text.replacen("request:\n", "request:\n  - addedNote\n", 1),
    )
    .unwrap();

    let old = before.endpoints.iter().find_map(|e| {
        Some((
            e,
            e.fields
                .iter()
                .find(|f| !f.required && f.deprecated.is_none())?,
        ))
    });
    let (owner, field) = old.expect("an optional field");
    let note = serde_yaml::from_str("{note: No longer read by the server.}").unwrap();
    spec_edit::set_field_key(&spec, &owner.name, &field.wire, "deprecated", note);

    let (code, _, err) = run_xtask(&["codegen", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 0, "codegen on the edited copy: {err}");
    let model = load(&spec);
    let edited = model
        .endpoints
        .iter()
        .find(|e| e.name == raised.endpoint)
        .unwrap();
    let limit = edited
        .fields
        .iter()
        .find(|f| f.wire == raised.wire)
        .unwrap();
    assert_eq!(limit.limits.max_items, Some(2 * raised.limit));
    let found = validation_fixture_problems(&model);
    assert!(found.is_empty(), "{}", found.join("\n"));

    let written = |e: &Endpoint| {
        let page = tmp.path().join(codegen::emit::docs::page_path(e));
        fs::read_to_string(&page).unwrap_or_else(|err| panic!("{page:?}: {err}"))
    };
    let found = problems(&model, &names, written);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let code = tmp.path().join(format!(
        "generated-client/src/generated/{}.rs",
        raised.endpoint
    ));
    let code = fs::read_to_string(code).unwrap();
    assert!(
        code.contains(&format!("= {};", 2 * raised.limit)),
        "the limits module follows"
    );
}
