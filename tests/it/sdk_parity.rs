//! Request parity with the vendor's SDKs, as a test: `tests/sdk-record.json` is the importer's
//! record of every endpoint the Go and Java SDKs call (`cargo xtask import --go … --java …
//! --record tests/sdk-record.json`; CI has no SDK snapshot, so the record is committed). The spec
//! must hold every endpoint and request field of it, each where the SDKs send it, except what an
//! endpoint's `disagreements` settle; and every endpoint's request, every field set, is sent to a
//! server on 127.0.0.1, where each field must arrive where the model says and the SDKs send it.

use std::collections::BTreeSet;

use codegen::model::{Endpoint, Location, Model};
use importer::check::{compare, Difference};
use importer::draft::SpecIndex;
use importer::record::{normalise_path, Placement, Record};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::dynamic::{send_json, validate_json};
use yunxin_im::endpoint::LimitPolicy;
use yunxin_im::Client;
use yunxin_tests::calls;

fn record() -> Record {
    let path = xtask::workspace_root().join("tests/sdk-record.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).expect("the committed SDK record parses")
}

fn counting(diffs: &[Difference]) -> Vec<String> {
    diffs
        .iter()
        .filter(|d| d.counts())
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_spec_holds_every_endpoint_and_field_of_the_sdk_record() {
    let (record, model) = (record(), calls::model());
    assert!(
        record.endpoints.len() > model.endpoints.len() / 2,
        "a record of the SDKs' calls"
    );
    let found = counting(&compare(&record, &SpecIndex::from_model(&model)));
    assert!(
        found.is_empty(),
        "the spec and the SDK record differ:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_field_or_endpoint_the_spec_lacks_is_named() {
    let model = calls::model();
    let mut record = record();
    // A field only the SDKs send, on an endpoint the spec does not settle it for.
    let endpoint = &mut record.endpoints[0];
    let name = endpoint.name.clone();
    let mut extra = endpoint.fields[0].clone();
    extra.wire = "sdkOnlyField".into();
    extra.placements = vec![Placement::Body];
    extra.all_placements = vec![Placement::Body];
    extra.required = false;
    for call in &mut endpoint.calls {
        call.fields.push(extra.clone());
    }
    endpoint.fields.push(extra);
    let mut gone = record.endpoints[1].clone();
    gone.path = "/im/v2/made_up/{id}".into();
    gone.key = format!("{} {}", gone.method, normalise_path(&gone.path));
    record.endpoints.push(gone);
    let found = counting(&compare(&record, &SpecIndex::from_model(&model))).join("\n");
    assert!(found.contains("sdkOnlyField"), "{found}");
    assert!(found.contains("/im/v2/made_up/"), "{found}");
    assert!(
        !found.contains(&format!("missing in spec: endpoint {}", name)),
        "{found}"
    );
}

/// Where a request arrived: its path, query names and body names.
struct Arrived {
    path: String,
    query: BTreeSet<String>,
    body: BTreeSet<String>,
}

fn arrived(request: &wiremock::Request) -> Arrived {
    let query = request
        .url
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect();
    let multipart = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(yunxin_tests::multipart::boundary)
        .map(|b| yunxin_tests::multipart::parse(&request.body, b));
    let body = if request.body.is_empty() {
        BTreeSet::new()
    } else if let Some(parts) = multipart {
        // A broken body names no field, so every field it should carry is reported.
        parts
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.name)
            .collect()
    } else if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&request.body) {
        map.keys().cloned().collect()
    } else {
        form_urlencoded::parse(&request.body)
            .map(|(k, _)| k.into_owned())
            .collect()
    };
    Arrived {
        path: request.url.path().to_owned(),
        query,
        body,
    }
}

/// A call of as many fields as pass validation together: the endpoint's clean example (which
/// keeps its rules), then each other field's sample, kept when the call still passes (upper
/// limits skipped, as a plan allowing more would).
fn passing_call(model: &Model, endpoint: &Endpoint) -> Value {
    let passes =
        |call: &Value| validate_json(&endpoint.name, call, LimitPolicy::SkipUpperLimits).is_ok();
    let mut call = calls::cases(model, endpoint)
        .into_iter()
        .find(|c| matches!(c.expect, calls::Expect::Clean))
        .map(|c| c.call)
        .unwrap_or_else(|| panic!("{}: no clean call", endpoint.name));
    assert!(
        passes(&call),
        "{}: its clean call does not pass",
        endpoint.name
    );
    let every = calls::every_field_call(model, endpoint);
    for (wire, value) in every.as_object().unwrap() {
        let map = call.as_object_mut().unwrap();
        if map.contains_key(wire) {
            continue;
        }
        map.insert(wire.clone(), value.clone());
        if !passes(&call) {
            call.as_object_mut().unwrap().remove(wire);
        }
    }
    call
}

#[tokio::test]
async fn every_field_arrives_where_the_model_says_and_the_sdks_send_it() {
    let (model, record) = (calls::model(), record());
    let server = MockServer::start().await;
    let ok = r#"{"code":200,"msg":"success","data":{}}"#;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(ok, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder("app-key", "app-secret")
        .base_url(server.uri())
        .build()
        .unwrap();
    let mut problems = Vec::new();
    let mut compared_with_sdks = 0;
    for endpoint in &model.endpoints {
        let call = passing_call(&model, endpoint);
        let sent = server.received_requests().await.unwrap_or_default().len();
        if let Err(e) = send_json(&client, &endpoint.name, &call, None).await {
            problems.push(format!("{}: not sent: {e}", endpoint.name));
            continue;
        }
        let requests = server.received_requests().await.unwrap_or_default();
        let Some(request) = requests.get(sent) else {
            problems.push(format!("{}: nothing arrived", endpoint.name));
            continue;
        };
        let got = arrived(request);
        if request.method.as_str() != endpoint.method.to_string() {
            problems.push(format!("{}: arrived as {}", endpoint.name, request.method));
        }
        let set: BTreeSet<&str> = call
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let template: Vec<&str> = endpoint.path.split('/').collect();
        let path: Vec<&str> = got.path.split('/').collect();
        if template.len() != path.len()
            || template
                .iter()
                .zip(&path)
                .any(|(t, p)| !t.starts_with('{') && t != p)
        {
            problems.push(format!(
                "{}: arrived at {} for {}",
                endpoint.name, got.path, endpoint.path
            ));
        }
        for f in endpoint
            .fields
            .iter()
            .filter(|f| set.contains(f.wire.as_str()))
        {
            let (in_query, in_body) = (got.query.contains(&f.wire), got.body.contains(&f.wire));
            let right = match f.location {
                Location::Query => in_query && !in_body,
                Location::Body => in_body && !in_query,
                Location::Path => !in_query && !in_body,
            };
            if !right {
                problems.push(format!(
                    "{}: `{}` did not arrive in the {:?}",
                    endpoint.name, f.wire, f.location
                ));
            }
        }
        // The SDK record: each field it places arrives there, unless the spec settles it.
        let key = format!("{} {}", endpoint.method, normalise_path(&endpoint.path));
        let Some(sdk) = record.endpoints.iter().find(|e| e.key == key) else {
            continue;
        };
        compared_with_sdks += 1;
        let settled = |wire: &str| {
            let quoted = format!("`{wire}`");
            endpoint
                .disagreements
                .iter()
                .any(|d| d.topic.contains(&quoted))
                || endpoint
                    .fields
                    .iter()
                    .any(|f| f.wire == wire && !set.contains(wire))
        };
        for f in sdk.fields.iter().filter(|f| !settled(&f.wire)) {
            let place = if got.query.contains(&f.wire) {
                Some(Placement::Query)
            } else if got.body.contains(&f.wire) {
                Some(Placement::Body)
            } else if endpoint
                .fields
                .iter()
                .any(|m| m.wire == f.wire && m.location == Location::Path)
            {
                Some(Placement::Path)
            } else {
                None
            };
            match place {
                Some(p) if f.all_placements.contains(&p) => {}
                other => problems.push(format!(
                    "{}: the SDKs send `{}` in the {:?}; it arrived in {other:?}",
                    endpoint.name, f.wire, f.placements
                )),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        compared_with_sdks > 0,
        "no endpoint was compared with the SDK record"
    );
}
