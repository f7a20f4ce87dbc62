//! Every recorded fixture under `tests/fixtures/<endpoint>/<case>.yaml`, replayed against a real
//! HTTP server on 127.0.0.1 (see `tests/fixtures/README.md`). Dropping a fixture file into a
//! folder adds a case; no Rust code is needed.
//!
//! The other tests prove the harness can fail: a fixture whose expected request or outcome is
//! wrong must be reported, naming what differs.

use std::collections::BTreeMap;
use std::path::PathBuf;

use yunxin_tests::fixture::{fixture_files, Fixture};
use yunxin_tests::replay::{replay, SpecIndex};

/// At least this many fixtures per endpoint: the page's example, an error code, an odd reply and a
/// refused request.
const MIN_FIXTURES_PER_ENDPOINT: usize = 4;

fn fixtures_root() -> PathBuf {
    xtask::workspace_root().join("tests/fixtures")
}

fn spec() -> SpecIndex {
    SpecIndex::load().unwrap_or_else(|err| panic!("{err}"))
}

fn load(name: &str) -> Fixture {
    let path = fixtures_root().join(format!("{name}.yaml"));
    Fixture::load(&path).unwrap_or_else(|err| panic!("{err}"))
}

/// Replays `fixture` and returns its failure report; panics if it unexpectedly passes.
async fn must_fail(endpoint: &str, fixture: &Fixture) -> String {
    match replay(endpoint, fixture, &spec()).await {
        Ok(()) => panic!("the harness passed a fixture that is wrong: {fixture:#?}"),
        Err(failures) => failures.join("\n"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_replays() {
    let spec = spec();
    let files = fixture_files(&fixtures_root()).unwrap_or_else(|err| panic!("{err}"));
    let mut failures = Vec::new();
    let mut per_endpoint: BTreeMap<String, usize> =
        spec.names().map(|n| (n.to_owned(), 0)).collect();
    // Only endpoints written from a page have exchanges to record; those drafted from the SDKs
    // alone are held to the SDK record (sdk_parity.rs) and may have fixtures or none.
    let model = yunxin_tests::calls::model();
    let from_pages: std::collections::BTreeSet<&str> = model
        .endpoints
        .iter()
        .filter(|e| model.has_page(e))
        .map(|e| e.name.as_str())
        .collect();
    for file in &files {
        match per_endpoint.get_mut(&file.endpoint) {
            Some(count) => *count += 1,
            None => {
                failures.push(format!(
                    "{}: the folder `{}` is not an endpoint of the spec",
                    file.name(),
                    file.endpoint
                ));
                continue;
            }
        }
        let outcome = match Fixture::load(&file.path) {
            Ok(fixture) => replay(&file.endpoint, &fixture, &spec).await,
            Err(err) => Err(vec![err]),
        };
        if let Err(lines) = outcome {
            failures.push(format!("{}:\n    {}", file.name(), lines.join("\n    ")));
        }
    }
    for (endpoint, count) in &per_endpoint {
        if *count < MIN_FIXTURES_PER_ENDPOINT && from_pages.contains(endpoint.as_str()) {
            failures.push(format!(
                "{endpoint}: {count} fixtures, at least {MIN_FIXTURES_PER_ENDPOINT} wanted"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}\n",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn a_wrong_form_field_value_is_reported_by_name() {
    let mut fixture = load("send_batch_msg/page_example");
    fixture.request.as_mut().unwrap().body.as_mut().unwrap()["fromAccid"] = "lisi".into();
    let report = must_fail("send_batch_msg", &fixture).await;
    assert!(
        report.contains("body field `fromAccid`: expected \"lisi\", got \"zhangsan\""),
        "{report}"
    );
}

#[tokio::test]
async fn a_wrong_json_text_item_is_reported_with_its_path() {
    let mut fixture = load("send_batch_attach_msg/every_field_async_check");
    fixture.request.as_mut().unwrap().body.as_mut().unwrap()["toAccids"][1] = "bbc".into();
    let report = must_fail("send_batch_attach_msg", &fixture).await;
    assert!(
        report.contains("body field `toAccids` (JSON text) at [1]: expected \"bbc\", got \"bbb\""),
        "{report}"
    );
}

#[tokio::test]
async fn a_field_missing_from_the_fixture_is_reported_as_extra() {
    let mut fixture = load("send_attach_msg/every_field_group_notification");
    let body = fixture
        .request
        .as_mut()
        .unwrap()
        .body
        .as_mut()
        .unwrap()
        .as_object_mut()
        .unwrap();
    body.shift_remove("env");
    let report = must_fail("send_attach_msg", &fixture).await;
    assert!(
        report.contains("body field `env`: not in the fixture, but sent as \"staging\""),
        "{report}"
    );
}

#[tokio::test]
async fn a_wrong_json_body_member_is_reported_with_its_path() {
    let mut fixture = load("custom_notification_batch/every_field");
    fixture.request.as_mut().unwrap().body.as_mut().unwrap()["push_config"]["push_enabled"] =
        false.into();
    let report = must_fail("custom_notification_batch", &fixture).await;
    assert!(
        report.contains("body (JSON) at push_config.push_enabled: expected false, got true"),
        "{report}"
    );
}

#[tokio::test]
async fn a_wrong_header_value_is_reported_by_name() {
    let mut fixture = load("send_attach_msg/page_example");
    let equals = &mut fixture.request.as_mut().unwrap().headers.equals;
    equals.insert(
        "CheckSum".to_owned(),
        "0000000000000000000000000000000000000000".to_owned(),
    );
    let report = must_fail("send_attach_msg", &fixture).await;
    assert!(
        report.contains("header `CheckSum`: expected \"0000000000000000000000000000000000000000\", got \"8952d186dd1823e6e46df26153d857da16ecf066\""),
        "{report}"
    );
}

#[tokio::test]
async fn a_trace_id_that_contradicts_the_pinned_header_is_reported() {
    let mut fixture = load("custom_notification_batch/page_example");
    fixture.trace_id = Some("another-trace-id".to_owned());
    let report = must_fail("custom_notification_batch", &fixture).await;
    assert!(
        report.contains("`trace_id` is \"another-trace-id\" but the pinned `X-custom-traceid` is"),
        "{report}"
    );
}

#[tokio::test]
async fn a_wrong_expected_code_is_reported() {
    let mut fixture = load("send_batch_msg/code_414_parameter_error");
    let error = fixture.expect.error.as_mut().unwrap();
    error.code = Some(416);
    error.api_kind = Some("rate_limited".to_owned());
    let report = must_fail("send_batch_msg", &fixture).await;
    assert!(
        report.contains("error code: expected 416, got 414"),
        "{report}"
    );
    assert!(
        report.contains("error api_kind: expected rate_limited, got parameter_error"),
        "{report}"
    );
}

#[tokio::test]
async fn a_wrong_expected_kind_or_reply_is_reported() {
    let mut fixture = load("send_attach_msg/reply_truncated_json");
    fixture.expect.error.as_mut().unwrap().kind = yunxin_tests::fixture::ErrorKind::HttpStatus;
    fixture.expect.error.as_mut().unwrap().status = Some(200);
    let report = must_fail("send_attach_msg", &fixture).await;
    assert!(
        report.contains("error kind: expected `http_status`, got `decode` error"),
        "{report}"
    );

    let mut fixture = load("send_batch_msg/timetag_as_string");
    fixture.expect.reply.as_mut().unwrap()["timetag"] = 1.into();
    let report = must_fail("send_batch_msg", &fixture).await;
    assert!(
        report.contains("reply at timetag: expected 1, got 1668566975724"),
        "{report}"
    );
}

#[tokio::test]
async fn an_unreadable_value_the_fixture_does_not_name_is_reported() {
    let mut fixture = load("send_batch_msg/reply_truncated_json");
    assert_eq!(fixture.expect.unreadable, ["."]);
    fixture.expect.unreadable.clear();
    let report = must_fail("send_batch_msg", &fixture).await;
    assert!(report.contains("unreadable: expected [], got"), "{report}");
}

#[tokio::test]
async fn an_incomplete_fixture_is_reported() {
    let mut fixture = load("send_batch_msg/page_example");
    fixture
        .request
        .as_mut()
        .unwrap()
        .headers
        .equals
        .remove("CheckSum");
    let report = must_fail("send_batch_msg", &fixture).await;
    assert!(report.contains("must pin `CheckSum`"), "{report}");
}

/// A `past_limits` value follows the spec: with the limit raised in the model, the value is one
/// past the new limit; a limit the field does not state is a fixture error.
#[test]
fn past_limits_values_follow_the_spec_s_limit() {
    let dir = xtask::workspace_root().join("spec");
    let mut model = codegen::load_model(&dir, "spec").unwrap();
    let files = fixture_files(&fixtures_root()).unwrap();
    let (file, fixture) = files
        .iter()
        .map(|f| (f, Fixture::load(&f.path).unwrap()))
        // A text field's: a file's size is counted in bytes of its base64 view (checked below).
        .find(|(f, x)| {
            x.past_limits.iter().any(|(wire, l)| {
                l == "max_chars"
                    && model.endpoints.iter().any(|e| {
                        e.name == f.endpoint
                            && e.fields
                                .iter()
                                .any(|fd| &fd.wire == wire && fd.ty.is_string())
                    })
            })
        })
        .expect("a fixture with a text value past a max_chars");
    let (path, _) = fixture
        .past_limits
        .iter()
        .find(|(_, l)| *l == "max_chars")
        .unwrap();
    let endpoint = model.endpoints.iter_mut().find(|e| e.name == file.endpoint);
    let field = endpoint
        .unwrap()
        .fields
        .iter_mut()
        .find(|f| &f.wire == path);
    let field = field.expect("a top-level field");
    let limit = field.limits.max_chars.unwrap();
    let length = |model: &codegen::model::Model| {
        let call = SpecIndex::from_model(model)
            .call_of(&file.endpoint, &fixture)
            .unwrap();
        call[path].as_str().unwrap().encode_utf16().count() as u64
    };
    let unit_chars = field.length_unit == codegen::model::LengthUnit::Utf16;
    assert!(unit_chars, "the check below counts UTF-16 units");
    field.limits.max_chars = Some(2 * limit);
    assert_eq!(length(&model), 2 * limit + 1);
    field_limits_reset(&mut model, &file.endpoint, path);
    let err = SpecIndex::from_model(&model)
        .call_of(&file.endpoint, &fixture)
        .unwrap_err();
    assert!(err.contains("states no max_chars"), "{err}");
}

/// Clears the limits of one top-level field.
fn field_limits_reset(model: &mut codegen::model::Model, endpoint: &str, wire: &str) {
    let e = model
        .endpoints
        .iter_mut()
        .find(|e| e.name == endpoint)
        .unwrap();
    let f = e.fields.iter_mut().find(|f| f.wire == wire).unwrap();
    f.limits = Default::default();
}
