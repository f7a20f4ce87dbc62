//! Drafts an endpoint's `page_example` fixture (`tests/fixtures/README.md`) from the spec alone:
//! its `example`, `reply.example` and their notes, with the request and the decoded reply
//! computed from the model by [`crate::wire_example`], and the CheckSum computed here.

use serde_json::{json, Map, Value};
use sha1::{Digest, Sha1};

use crate::model::{Api, Endpoint, Model};
use crate::wire_example::{decoded_reply, wire_request};

/// The fixtures' `AppKey` (the key the vendor's pages show).
pub const APP_KEY: &str = "go9dnk49bkd9jd9vmel1kglw0803mgq3";
/// The fixtures' AppSecret (the suite's own; it never travels).
pub const APP_SECRET: &str = "c9e6ea3b1e4a";
/// The `CurTime` of a draft (the time the vendor's pages show).
pub const CLOCK: u64 = 1_443_592_222;
/// The `Nonce` of a draft (the nonce the vendor's pages show).
pub const NONCE: &str = "4tgggergigwow323t23t";
/// The reply's `Content-Type`.
const REPLY_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// What signs and identifies a drafted exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub clock: u64,
    pub nonce: String,
    /// The v2 `X-custom-traceid`; ignored for v1.
    pub trace_id: String,
}

impl Stamp {
    /// The fixed stamp of a draft for `endpoint`: the pages' clock and nonce, and a trace id of
    /// UUID form derived from the name, so each endpoint's differs and every draft is the same.
    pub fn fixed(endpoint: &str) -> Stamp {
        let hex = sha1_hex(endpoint.as_bytes());
        let trace_id = format!(
            "{}-{}-4{}-8{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        );
        Stamp {
            clock: CLOCK,
            nonce: NONCE.to_owned(),
            trace_id,
        }
    }
}

/// The CheckSum header: sha1 hex of secret + nonce + curtime.
pub fn checksum(secret: &str, nonce: &str, clock: u64) -> String {
    sha1_hex(format!("{secret}{nonce}{clock}").as_bytes())
}

fn sha1_hex(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The success reply drafted when the spec has no reply example: the bare envelope.
fn bare_success(api: Api) -> &'static str {
    match api {
        Api::V1 => r#"{"code":200}"#,
        Api::V2 => r#"{"code":200,"msg":"success","data":{}}"#,
    }
}

/// The `page_example` fixture of endpoint `name`, as a JSON value in the fixture format's key
/// order. `Err` when the spec has no such endpoint, the endpoint has no example, or its reply
/// example does not read as the spec's reply fields describe.
pub fn draft(model: &Model, name: &str, stamp: &Stamp) -> Result<Value, String> {
    let endpoint = model
        .endpoints
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| format!("the spec has no endpoint named `{name}`"))?;
    let example = endpoint.example.as_ref().ok_or_else(|| {
        format!("endpoint `{name}` has no `example` in the spec: there is nothing to draft from")
    })?;
    let wire = wire_request(model, endpoint, &example.json).map_err(|e| format!("{name}: {e}"))?;
    let v2 = endpoint.api == Api::V2;

    let mut headers = Map::new();
    headers.insert("AppKey".into(), APP_KEY.into());
    headers.insert("Nonce".into(), stamp.nonce.clone().into());
    headers.insert("CurTime".into(), stamp.clock.to_string().into());
    let sum = checksum(APP_SECRET, &stamp.nonce, stamp.clock);
    headers.insert("CheckSum".into(), sum.into());
    if v2 {
        headers.insert("X-custom-traceid".into(), stamp.trace_id.clone().into());
    }
    let mut header_rules = json!({ "equals": headers, "present": ["User-Agent"] });
    if !v2 {
        header_rules["absent"] = json!(["X-custom-traceid"]);
    }
    let mut request = json!({
        "method": endpoint.method.as_str(),
        "path": wire.path,
        "headers": header_rules,
    });
    if !wire.query.is_empty() {
        let query: Map<String, Value> = wire
            .query
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        request["query"] = Value::Object(query);
        request["query_raw"] = wire.query_raw().into();
    }
    if let Some((content_type, body)) = &wire.body {
        request["content_type"] = (*content_type).into();
        request["body"] = body.clone();
    }

    let reply_body = endpoint
        .reply
        .example
        .clone()
        .unwrap_or_else(|| bare_success(endpoint.api).to_owned());
    let expected =
        decoded_reply(model, endpoint, &reply_body).map_err(|e| format!("{name}: {e}"))?;

    let mut fixture = Map::new();
    fixture.insert("description".into(), description(endpoint).into());
    fixture.insert("call".into(), example.json.clone());
    if v2 {
        fixture.insert("trace_id".into(), stamp.trace_id.clone().into());
    }
    fixture.insert("clock".into(), stamp.clock.into());
    fixture.insert("nonce".into(), stamp.nonce.clone().into());
    fixture.insert("request".into(), request);
    fixture.insert(
        "reply".into(),
        json!({ "headers": { "Content-Type": REPLY_CONTENT_TYPE }, "body": reply_body }),
    );
    fixture.insert("expect".into(), json!({ "reply": expected }));
    Ok(Value::Object(fixture))
}

/// The draft as the YAML text of a fixture file.
pub fn draft_yaml(model: &Model, name: &str, stamp: &Stamp) -> Result<String, String> {
    let value = draft(model, name, stamp)?;
    serde_yaml::to_string(&value).map_err(|e| format!("{name}: cannot write YAML: {e}"))
}

/// Where the exchange comes from, in the spec's own words.
fn description(endpoint: &Endpoint) -> String {
    let request = match endpoint.example.as_ref().and_then(|e| e.note.as_deref()) {
        Some(note) => format!("Its example_note: {}", note.trim()),
        None => "It is the request the vendor's page shows.".to_owned(),
    };
    let reply = match (&endpoint.reply.example, &endpoint.reply.example_note) {
        (Some(_), Some(note)) => format!("The reply is the spec's reply example: {}", note.trim()),
        (Some(_), None) => "The reply is the spec's reply example, the page's own.".to_owned(),
        (None, _) => {
            "The spec has no reply example: the reply is the bare success envelope.".to_owned()
        }
    };
    format!(
        "Drafted by `cargo xtask fixture {}` from the spec's example ({} {}). {request} {reply}",
        endpoint.name, endpoint.method, endpoint.path
    )
}
