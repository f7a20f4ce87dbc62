//! JSON setters: a `json` field also takes any `Serialize` value (`payload_json(&json!(..))`),
//! sent as the compact JSON text `serde_json::to_string` makes of it, byte for byte what the
//! text setter sends for that text. A value that cannot be encoded is not lost: the request is
//! refused before sending, naming the field, and a later text replaces it.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::error::Rule;
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::{AttachMsgType, MsgType};
use yunxin_im::{Client, Error};
use yunxin_tests::calls;

/// A value `serde_json` cannot encode: JSON object keys must be strings.
fn unencodable() -> BTreeMap<(u8, u8), u8> {
    BTreeMap::from([((1, 2), 3)])
}

/// The fields the tests set through JSON setters are `json` in the spec, so a spec change that
/// drops one fails here by name instead of the test proving nothing.
fn assert_json_field(endpoint: &str, wire: &str, required: bool) {
    let model = calls::model();
    let e = model
        .endpoints
        .iter()
        .find(|e| e.name == endpoint)
        .expect("the endpoint is in the spec");
    let f = e.fields.iter().find(|f| f.wire == wire).expect("the field");
    assert_eq!(f.ty, codegen::model::Ty::Json, "{endpoint}.{wire}");
    assert_eq!(f.required, required, "{endpoint}.{wire}");
}

fn attach(
    payload: impl FnOnce(SendAttachMsgRequest) -> SendAttachMsgRequest,
) -> SendAttachMsgRequest {
    payload(SendAttachMsgRequest::new(
        "alice",
        AttachMsgType::P2p,
        "bob",
        "{}",
    ))
}

/// The form fields of every request `server` received.
async fn forms(server: &MockServer) -> Vec<BTreeMap<String, String>> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .map(|r| form_urlencoded::parse(&r.body).into_owned().collect())
        .collect()
}

async fn server(calls: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"code":200}"#, "application/json"),
        )
        .expect(calls)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder("app-key", "app-secret")
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[derive(Serialize)]
struct Push {
    title: &'static str,
    badge: Option<u32>,
    tags: Vec<&'static str>,
}

#[tokio::test]
async fn a_serialize_value_travels_as_its_compact_json_text_like_the_same_text() {
    assert_json_field("send_attach_msg", "payload", false);
    let value = json!({"a": 1, "b": [true, null], "c": {"d": "é\"x"}});
    let own = Push {
        title: "hi",
        badge: None,
        tags: vec!["x"],
    };
    let server = server(4).await;
    let client = client(&server);
    let by_value = attach(|r| r.payload_json(&value));
    let by_text = attach(|r| r.payload(serde_json::to_string(&value).unwrap()));
    // The same request, so the same wire form: the text setter's is the recorded one.
    assert_eq!(by_value, by_text);
    client.send_attach_msg(&by_value).await.unwrap();
    client.send_attach_msg(&by_text).await.unwrap();
    client
        .send_attach_msg(&attach(|r| r.payload_json(&own)))
        .await
        .unwrap();
    // A slice is Serialize too, unsized behind the reference.
    client
        .send_attach_msg(&attach(|r| r.payload_json(&[1, 2][..])))
        .await
        .unwrap();
    let forms = forms(&server).await;
    assert_eq!(forms[0], forms[1]);
    assert_eq!(
        forms[0]["payload"],
        r#"{"a":1,"b":[true,null],"c":{"d":"é\"x"}}"#
    );
    assert_eq!(
        forms[2]["payload"],
        r#"{"title":"hi","badge":null,"tags":["x"]}"#
    );
    assert_eq!(forms[3]["payload"], "[1,2]");
    // Text through the JSON setter is a JSON string, quoted: what the text setter is not.
    let quoted = attach(|r| r.payload_json("{}"));
    assert_eq!(quoted.get_payload(), Some(r#""{}""#));
}

#[tokio::test]
async fn a_value_that_fails_to_encode_is_refused_naming_its_field_and_never_sent() {
    assert_json_field("send_attach_msg", "payload", false);
    assert_json_field("send_batch_msg", "body", true);
    let server = server(0).await;
    let client = client(&server);

    let request = attach(|r| r.payload_json(&unencodable()));
    assert_eq!(
        request.get_payload(),
        None,
        "an optional field is left unset"
    );
    match client.send_attach_msg(&request).await {
        Err(Error::Validation(e)) => {
            let found: Vec<_> = e
                .violations
                .iter()
                .map(|v| (v.path.as_str(), v.rule))
                .collect();
            assert_eq!(found, [("payload", Rule::Json)]);
            let shown = e.to_string();
            assert!(shown.contains("key must be a string"), "{shown}");
        }
        other => panic!("expected Error::Validation, got {other:?}"),
    }

    // A required field has no unset state: it keeps its text, and the request is refused.
    let request = SendBatchMsgRequest::new("alice", vec!["bob".into()], MsgType::Text, "{}")
        .body_json(&unencodable());
    assert_eq!(request.get_body(), "{}");
    let e = request.validate().expect_err("refused");
    let found: Vec<_> = e
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    assert_eq!(found, [("body", Rule::Json)]);
}

#[test]
fn a_later_value_of_the_same_field_replaces_a_failed_one_and_no_other() {
    let by_text = attach(|r| r.payload_json(&unencodable()).payload("{}"));
    assert_eq!(by_text.validate().unwrap(), []);
    let by_value = attach(|r| r.payload_json(&unencodable()).payload_json(&json!([])));
    assert_eq!(by_value.validate().unwrap(), []);
    assert_eq!(by_value.get_payload(), Some("[]"));

    let request = SendBatchMsgRequest::new("alice", vec!["bob".into()], MsgType::Text, "{}")
        .body_json(&unencodable())
        .payload("{}");
    let e = request.validate().expect_err("body's failure stays");
    let paths: Vec<_> = e.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["body"]);
}

#[test]
fn a_request_holding_a_failed_value_cannot_be_stored_without_it() {
    let failed = attach(|r| r.payload_json(&unencodable()));
    let error = serde_json::to_string(&failed).expect_err("storing it fails");
    assert!(error.to_string().contains("`payload`"), "{error}");

    // Without a failure the record leaves no trace: the stored form round-trips, and a stored
    // form cannot bring a record of its own.
    let fine = attach(|r| r.payload_json(&json!({"a": 1})));
    let stored = serde_json::to_value(&fine).unwrap();
    assert_eq!(
        serde_json::from_value::<SendAttachMsgRequest>(stored.clone()).unwrap(),
        fine
    );
    let mut forged = stored;
    forged[codegen::names::UNENCODABLE_MEMBER] = json!([["payload", "x"]]);
    assert!(serde_json::from_value::<SendAttachMsgRequest>(forged).is_err());
}
