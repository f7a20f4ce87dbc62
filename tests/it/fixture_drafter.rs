//! `cargo xtask fixture <endpoint>`: the drafter of `page_example` fixtures from the spec.
//!
//! Its drafts are held to the hand-checked fixtures (same request and expected reply for every
//! endpoint that has both an example and a committed `page_example`), and every draft replays
//! green through the fixtures harness. The endpoints come from the model, never from a list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use codegen::fixture_draft::{draft_yaml, Stamp, APP_KEY, APP_SECRET, CLOCK, NONCE};
use codegen::model::{Encoding, Endpoint, Model};
use serde_json::Value;
use yunxin_tests::fixture::{self, Fixture};
use yunxin_tests::replay::{replay, SpecIndex};
use yunxin_tests::temp_root::run_xtask;

fn model() -> Model {
    codegen::load_model(&xtask::workspace_root().join("spec"), "spec").unwrap()
}

fn committed_page_example(endpoint: &str) -> PathBuf {
    xtask::workspace_root()
        .join("tests/fixtures")
        .join(endpoint)
        .join(xtask::fixture_cmd::CASE_FILE)
}

fn drafted(model: &Model, endpoint: &str, stamp: &Stamp) -> Fixture {
    let text = draft_yaml(model, endpoint, stamp).unwrap_or_else(|e| panic!("{e}"));
    Fixture::parse(&text).unwrap_or_else(|e| panic!("{endpoint}: the draft {e}:\n{text}"))
}

/// A form value as the harness compares it: JSON-text fields as JSON, others as their text.
fn form_value(json_text: bool, value: &Value) -> Value {
    match (json_text, value) {
        (true, Value::String(text)) => serde_json::from_str(text).unwrap_or(value.clone()),
        (true, v) => v.clone(),
        (false, Value::String(s)) => Value::String(s.clone()),
        (false, v) => Value::String(v.to_string()),
    }
}

fn body_in_format_terms(endpoint: &Endpoint, request: &fixture::ExpectedRequest) -> Option<Value> {
    let body = request.body.as_ref()?;
    let form = request
        .content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let Some(map) = body.as_object().filter(|_| form) else {
        return Some(body.clone());
    };
    let json_text = |name: &str| {
        endpoint
            .fields
            .iter()
            .any(|f| f.wire == name && f.encoding == Encoding::JsonText)
    };
    Some(Value::Object(
        map.iter()
            .map(|(k, v)| (k.clone(), form_value(json_text(k), v)))
            .collect(),
    ))
}

fn lower_keys(map: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn lower(names: &[String]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_ascii_lowercase()).collect()
}

fn reply_json(fixture: &Fixture) -> Option<Value> {
    serde_json::from_str(&fixture.reply.as_ref()?.body).ok()
}

/// Where `drafted` and `committed` differ in what the drafter computes: the request and the reply
/// headers; the reply body and the expected reply too when the spec has a reply example.
fn differences(endpoint: &Endpoint, drafted: &Fixture, committed: &Fixture) -> Vec<String> {
    let mut out = Vec::new();
    let mut same = |what: &str, equal: bool, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
        if !equal {
            out.push(format!("{what}: drafted {a:?}, committed {b:?}"));
        }
    };
    let (Some(d), Some(c)) = (drafted.request.as_ref(), committed.request.as_ref()) else {
        return vec!["one of the two has no request".into()];
    };
    same("method", d.method == c.method, &d.method, &c.method);
    same("path", d.path == c.path, &d.path, &c.path);
    same("query", d.query == c.query, &d.query, &c.query);
    same(
        "query_raw",
        d.query_raw == c.query_raw,
        &d.query_raw,
        &c.query_raw,
    );
    let (dh, ch) = (&d.headers, &c.headers);
    let (de, ce) = (lower_keys(&dh.equals), lower_keys(&ch.equals));
    same("headers.equals", de == ce, &de, &ce);
    let (dp, cp) = (lower(&dh.present), lower(&ch.present));
    same("headers.present", dp == cp, &dp, &cp);
    let (da, ca) = (lower(&dh.absent), lower(&ch.absent));
    same("headers.absent", da == ca, &da, &ca);
    same(
        "content_type",
        d.content_type == c.content_type,
        &d.content_type,
        &c.content_type,
    );
    let (db, cb) = (
        body_in_format_terms(endpoint, d),
        body_in_format_terms(endpoint, c),
    );
    same("body", db == cb, &db, &cb);
    let (drh, crh) = (
        drafted.reply.as_ref().map(|r| &r.headers),
        committed.reply.as_ref().map(|r| &r.headers),
    );
    same("reply.headers", drh == crh, &drh, &crh);
    // Without a reply example in the spec, the committed fixture's reply is its own.
    if endpoint.reply.example.is_some() {
        let (dr, cr) = (reply_json(drafted), reply_json(committed));
        same("reply.body (as JSON)", dr == cr, &dr, &cr);
        let (dx, cx) = (&drafted.expect.reply, &committed.expect.reply);
        same("expect.reply", dx == cx, dx, cx);
    }
    out
}

/// The stamp a committed fixture signs with, so the drafter's CheckSum can be compared with it.
fn stamp_of(committed: &Fixture) -> Stamp {
    Stamp {
        clock: committed.clock,
        nonce: committed.nonce.clone(),
        trace_id: committed.trace_id.clone().unwrap_or_default(),
    }
}

#[test]
fn the_drafter_signs_as_the_fixtures_do() {
    assert_eq!(APP_KEY, fixture::DEFAULT_APP_KEY);
    assert_eq!(APP_SECRET, fixture::DEFAULT_APP_SECRET);
    assert_eq!(CLOCK, fixture::DEFAULT_CLOCK);
    assert_eq!(NONCE, fixture::DEFAULT_NONCE);
}

#[test]
fn drafts_equal_the_hand_checked_page_examples() {
    let model = model();
    let mut checked = 0;
    let mut failures = Vec::new();
    for endpoint in model.endpoints.iter().filter(|e| e.example.is_some()) {
        let path = committed_page_example(&endpoint.name);
        if !path.exists() {
            continue;
        }
        let committed = Fixture::load(&path).unwrap();
        let draft = drafted(&model, &endpoint.name, &stamp_of(&committed));
        let found = differences(endpoint, &draft, &committed);
        if !found.is_empty() {
            failures.push(format!("{}:\n    {}", endpoint.name, found.join("\n    ")));
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no endpoint has both an example and a page_example fixture"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} drafts differ from the committed fixture:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The comparison above can fail: a draft that sends another value is told apart.
#[test]
fn a_draft_that_differs_is_reported() {
    let model = model();
    let endpoint = model
        .endpoints
        .iter()
        .find(|e| {
            e.example.is_some()
                && e.reply.example.is_some()
                && committed_page_example(&e.name).exists()
        })
        .expect("an endpoint with both examples and a page_example fixture");
    let committed = Fixture::load(&committed_page_example(&endpoint.name)).unwrap();
    let mut draft = drafted(&model, &endpoint.name, &stamp_of(&committed));
    draft.request.as_mut().unwrap().path.push_str("/x");
    draft.expect.reply = Some(Value::Null);
    let found = differences(endpoint, &draft, &committed).join("\n");
    assert!(found.contains("path: drafted"), "{found}");
    assert!(found.contains("expect.reply: drafted"), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_draft_replays_green() {
    let model = model();
    let spec = SpecIndex::from_model(&model);
    let mut failures = Vec::new();
    let mut drafted_count = 0;
    for endpoint in model.endpoints.iter().filter(|e| e.example.is_some()) {
        let draft = drafted(&model, &endpoint.name, &Stamp::fixed(&endpoint.name));
        if let Err(lines) = replay(&endpoint.name, &draft, &spec).await {
            failures.push(format!("{}:\n    {}", endpoint.name, lines.join("\n    ")));
        }
        drafted_count += 1;
    }
    assert!(drafted_count > 0, "no endpoint of the spec has an example");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_endpoint_without_example_is_refused_by_name() {
    let model = model();
    let bare = model
        .endpoints
        .iter()
        .find(|e| e.example.is_none())
        .expect("an endpoint without example");
    let err = draft_yaml(&model, &bare.name, &Stamp::fixed(&bare.name)).unwrap_err();
    assert!(
        err.contains(&format!("`{}` has no `example`", bare.name)),
        "{err}"
    );
    let (code, out, err) = run_xtask(&["fixture", &bare.name]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty() && err.contains(&bare.name), "{err}");
}

#[test]
fn write_creates_the_file_and_never_overwrites() {
    let model = model();
    let endpoint = model
        .endpoints
        .iter()
        .find(|e| e.example.is_some())
        .expect("an endpoint with an example");
    let name = endpoint.name.as_str();
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().to_str().unwrap();
    let (code, printed, err) = run_xtask(&["fixture", name]);
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = run_xtask(&["fixture", name, "--write", "--fixtures", fixtures]);
    assert_eq!(code, 0, "{err}");
    let file = dir.path().join(name).join(xtask::fixture_cmd::CASE_FILE);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);

    std::fs::write(&file, "kept by hand\n").unwrap();
    let (code, _, err) = run_xtask(&["fixture", name, "--write", "--fixtures", fixtures]);
    assert_eq!(code, 1, "an existing fixture must not be replaced");
    assert!(err.contains("exists; left as it is"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept by hand\n");
}
