//! A code-200 reply of another shape than the spec's is still `Ok`, but cannot pass for an empty
//! result: on every endpoint of the spec, its fields nested under a key the spec does not name
//! (`data` for v1; `data` or `result` inside v2's `data`, or `result` beside it) are named in
//! `unreadable` with their path, and so is every key of a reply that holds none of its fields.
//! A v2 reply without `data` is named too, where the spec gives the reply fields. The negative
//! twins, a v2 reply whose spec gives no fields, a `"data": null` (the server's empty result), an
//! empty reply, the page's example, a reply with optional fields absent
//! and one with a vendor's extra key beside a field or in a v2 envelope, name nothing. Each
//! endpoint's clean example is sent by name to a server on 127.0.0.1; field names come from the
//! model.

use codegen::model::{Api, Endpoint, Model};
use serde_json::{json, Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::dynamic::send_json;
use yunxin_im::Client;
use yunxin_tests::calls::{self, Expect};

/// Keys a wrong shape might nest the reply's fields under.
const WRAPPERS: &[&str] = &["data", "result"];

/// A key no reply of the spec names (checked per endpoint).
const STRAY: &str = "not_a_field_of_this_reply";

/// The wire names of `endpoint`'s reply fields, from the model.
fn fields(endpoint: &Endpoint) -> Vec<&str> {
    endpoint
        .reply
        .fields
        .iter()
        .map(|f| f.wire.as_str())
        .collect()
}

/// The reply's fields as keys of an object (values `null`: only the keys matter here).
fn object_of(keys: &[&str]) -> Value {
    Value::Object(keys.iter().map(|k| (k.to_string(), Value::Null)).collect())
}

/// A code-200 body whose reply part (v1: beside the envelope; v2: `data`) is `payload`.
fn body(endpoint: &Endpoint, payload: Value) -> Value {
    match (endpoint.api, payload) {
        (Api::V1, Value::Object(mut map)) => {
            map.insert("code".into(), json!(200));
            map.insert("desc".into(), json!("ok"));
            Value::Object(map)
        }
        (_, payload) => json!({"code": 200, "msg": "success", "data": payload}),
    }
}

/// Sends `endpoint`'s clean example to a server answering `body`; the reply must be `Ok`, and
/// its `unreadable` paths (sorted) are returned.
async fn unreadable(model: &Model, endpoint: &Endpoint, body: &Value) -> Vec<String> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("app-key", "app-secret")
        .base_url(server.uri())
        .build()
        .unwrap();
    let example = calls::cases(model, endpoint)
        .into_iter()
        .find(|c| matches!(c.expect, Expect::Clean))
        .unwrap_or_else(|| panic!("{}: no clean call", endpoint.name));
    let reply = send_json(&client, &endpoint.name, &example.call, None)
        .await
        .unwrap_or_else(|e| panic!("{}: a code-200 reply {body} failed: {e}", endpoint.name));
    server.verify().await;
    let mut paths: Vec<String> = reply.unreadable.into_iter().map(|u| u.path).collect();
    paths.sort();
    paths
}

#[tokio::test]
async fn fields_under_an_unnamed_key_are_named_on_every_endpoint() {
    let model = calls::model();
    let mut seen = (false, false);
    for endpoint in model
        .endpoints
        .iter()
        .filter(|e| !e.reply.fields.is_empty())
    {
        let known = fields(endpoint);
        // v1's `data` sits beside the envelope; v2's wrappers sit inside `data`.
        for wrapper in WRAPPERS.iter().filter(|w| !known.contains(w)) {
            let mut nested = Map::new();
            nested.insert(wrapper.to_string(), object_of(&known));
            let got = unreadable(&model, endpoint, &body(endpoint, Value::Object(nested))).await;
            let mut wanted: Vec<String> = known.iter().map(|f| format!("{wrapper}.{f}")).collect();
            wanted.sort();
            assert_eq!(got, wanted, "{} nested under {wrapper}", endpoint.name);
            match endpoint.api {
                Api::V1 => seen.0 = true,
                _ => seen.1 = true,
            }
        }
    }
    assert_eq!(seen, (true, true), "a v1 and a v2 endpoint were both tried");
}

#[tokio::test]
async fn v2_fields_beside_data_are_named_on_every_v2_endpoint() {
    let model = calls::model();
    let v2 = model.endpoints.iter().filter(|e| e.api == Api::V2);
    let mut tried = 0;
    for endpoint in v2.filter(|e| !e.reply.fields.is_empty()) {
        let known = fields(endpoint);
        let body = json!({"code": 200, "msg": "success", "result": object_of(&known)});
        let mut wanted: Vec<String> = known.iter().map(|f| format!("result.{f}")).collect();
        // And the missing `data` itself.
        wanted.push("data".into());
        wanted.sort();
        assert_eq!(
            unreadable(&model, endpoint, &body).await,
            wanted,
            "{}",
            endpoint.name
        );
        tried += 1;
    }
    assert!(tried > 0, "no v2 endpoint with reply fields");
}

#[tokio::test]
async fn a_v2_reply_without_data_is_named_on_every_v2_endpoint_with_reply_fields() {
    let model = calls::model();
    let (mut with_fields, mut without_fields) = (0, 0);
    for endpoint in model.endpoints.iter().filter(|e| e.api == Api::V2) {
        // The negative twin: a reply the spec gives no fields lacks nothing without `data`.
        let wanted: &[&str] = match endpoint.reply.fields.is_empty() {
            true => &[],
            false => &["data"],
        };
        let body = json!({"code": 200, "msg": "success"});
        let got = unreadable(&model, endpoint, &body).await;
        assert_eq!(got, wanted, "{}: {body}", endpoint.name);
        // A null `data` is the server's explicit empty result (a recorded fixture has one).
        let null = json!({"code": 200, "msg": "success", "data": null});
        assert_eq!(
            unreadable(&model, endpoint, &null).await,
            [""; 0],
            "{}",
            endpoint.name
        );
        match endpoint.reply.fields.is_empty() {
            true => without_fields += 1,
            false => with_fields += 1,
        }
    }
    assert!(with_fields > 0, "no v2 endpoint with reply fields");
    assert!(without_fields > 0, "no v2 endpoint without reply fields");
}

#[tokio::test]
async fn a_reply_with_none_of_its_fields_names_its_keys_on_every_endpoint() {
    let model = calls::model();
    for endpoint in model
        .endpoints
        .iter()
        .filter(|e| !e.reply.fields.is_empty())
    {
        assert!(!fields(endpoint).contains(&STRAY), "{}", endpoint.name);
        let got = unreadable(&model, endpoint, &body(endpoint, json!({ STRAY: 1 }))).await;
        assert_eq!(got, [STRAY], "{}", endpoint.name);
    }
}

#[tokio::test]
async fn replies_of_the_documented_shape_name_nothing_on_every_endpoint() {
    let model = calls::model();
    for endpoint in &model.endpoints {
        let name = &endpoint.name;
        let known = fields(endpoint);
        // An empty result: no field at all.
        let empty = body(endpoint, json!({}));
        assert_eq!(
            unreadable(&model, endpoint, &empty).await,
            [""; 0],
            "{name}"
        );
        // Optional fields absent: only the first one arrives.
        let first = object_of(&known[..known.len().min(1)]);
        let some = body(endpoint, first.clone());
        assert_eq!(unreadable(&model, endpoint, &some).await, [""; 0], "{name}");
        // A vendor's extra key beside a field (or in a reply the spec gives no fields).
        let mut extra = first;
        extra[STRAY] = json!({ "nested": 1 });
        let extra = body(endpoint, extra);
        assert_eq!(
            unreadable(&model, endpoint, &extra).await,
            [""; 0],
            "{name}"
        );
        // An envelope addition beside an empty v2 result (a v1 body has no envelope to add to).
        if endpoint.api == Api::V2 {
            let added = json!({"code": 200, "msg": "success", STRAY: "r1", "data": {}});
            assert_eq!(
                unreadable(&model, endpoint, &added).await,
                [""; 0],
                "{name}"
            );
        }
        // The page's own example.
        if let Some(example) = &endpoint.reply.example {
            let example: Value = serde_json::from_str(example).unwrap();
            assert_eq!(
                unreadable(&model, endpoint, &example).await,
                [""; 0],
                "{name}: {example}"
            );
        }
    }
}
