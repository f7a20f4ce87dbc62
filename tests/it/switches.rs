//! 0/1 switches (`type: bool`, `encoding: zero_one`): Rust code sets `true`/`false`, the wire
//! keeps the page's integer. Every switch of the live spec's requests is found in the model and
//! sent both ways through the client's own wire encoding; a stored request with another value
//! than 0 or 1 is refused.

use codegen::model::{Encoding, Model, Ty};
use serde_json::{json, Map, Value};
use yunxin_im::dynamic::send_json;
use yunxin_im::Client;
use yunxin_tests::calls;

/// (endpoint, wire name) of every top-level request switch.
fn switches(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in &model.endpoints {
        for f in &e.fields {
            if f.encoding == Encoding::ZeroOne {
                assert_eq!(f.ty, Ty::Bool, "{}.{}: a switch is a bool", e.name, f.wire);
                out.push((e.name.clone(), f.wire.clone()));
            }
        }
    }
    out
}

fn is_v2(model: &Model, endpoint: &str) -> bool {
    let e = model.endpoints.iter().find(|e| e.name == endpoint).unwrap();
    e.api == codegen::model::Api::V2
}

/// The spec's example call of `endpoint` (valid: the checker checks it) with `wire` set to
/// `value`, in wire names and values.
fn call_with(model: &Model, endpoint: &str, wire: &str, value: Value) -> Value {
    let e = model.endpoints.iter().find(|e| e.name == endpoint).unwrap();
    let example = e
        .example
        .as_ref()
        .expect("every live endpoint has an example");
    let mut call = example.json.clone();
    call.as_object_mut()
        .expect("an example is an object")
        .insert(wire.to_owned(), value);
    call
}

#[tokio::test]
async fn each_switch_travels_as_1_or_0_and_nothing_else_is_read() {
    let model = calls::model();
    let found = switches(&model);
    assert!(!found.is_empty(), "the live spec has no request switch");
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(r#"{"code":200}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::builder("app-key", "app-secret")
        .base_url(server.uri())
        .build()
        .unwrap();
    for (endpoint, wire) in &found {
        for (stored, sent) in [(json!(1), "1"), (json!(0), "0"), (json!("1"), "1")] {
            let call = call_with(&model, endpoint, wire, stored.clone());
            send_json(&client, endpoint, &call, None)
                .await
                .unwrap_or_else(|e| panic!("{endpoint}.{wire} = {stored}: {e:?}"));
            let requests = server.received_requests().await.unwrap();
            let last = requests.last().unwrap();
            // A form field holds the text, a JSON body the number.
            let (body, want): (Map<String, Value>, Value) = if is_v2(&model, endpoint) {
                (
                    serde_json::from_slice(&last.body).unwrap(),
                    json!(sent.parse::<u8>().unwrap()),
                )
            } else {
                let form = form_urlencoded::parse(&last.body)
                    .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                    .collect();
                (form, json!(sent))
            };
            assert_eq!(body[wire.as_str()], want, "{endpoint}.{wire} = {stored}");
        }
        for bad in [json!(2), json!(true), json!("yes")] {
            let call = call_with(&model, endpoint, wire, bad.clone());
            assert!(
                send_json(&client, endpoint, &call, None).await.is_err(),
                "{endpoint}.{wire} = {bad} was accepted"
            );
        }
    }
}
