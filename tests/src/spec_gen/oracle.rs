//! The independent oracle: what a request must look like on the wire, computed from the spec's
//! YAML (as written, not codegen's model) and the request's wire values, by the rules
//! `spec/README.md` states ("Where parameters travel") — not from the generated code.

use serde_json::{Map, Value};
use serde_yaml::Value as Yaml;

/// A parameter's text on the wire: exact, or JSON text compared as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Exact(String),
    Json(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Form(Vec<(String, Text)>),
    /// A multipart body's parts, by name: text parts as form fields would be, file parts (the
    /// `bytes` fields, also listed by name) as their bytes' standard base64.
    Multipart {
        parts: Vec<(String, Text)>,
        files: Vec<String>,
    },
    Json(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub method: String,
    /// The raw path: each path parameter percent-encoded as one segment.
    pub path: String,
    /// Decoded query parameters, sorted by name.
    pub query: Vec<(String, Text)>,
    pub body: Body,
    /// v1 (form bodies) or v2 (JSON bodies, a trace id header).
    pub v2: bool,
}

/// Every byte but RFC 3986's unreserved characters as `%XX`: a value stays one segment.
pub fn encode_segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn text(value: &Value, def: &Yaml) -> Text {
    match def.get("encoding").and_then(Yaml::as_str) {
        Some("json_text") => Text::Json(value.clone()),
        Some("comma_joined") => {
            let items = value.as_array().expect("comma_joined on a list");
            Text::Exact(items.iter().map(scalar_text).collect::<Vec<_>>().join(","))
        }
        // A switch travels as the number it is on the wire: `0` or `1`, never `true`.
        Some("zero_one") => {
            assert!(
                *value == 0 || *value == 1,
                "a zero_one value must be 0 or 1: {value}"
            );
            Text::Exact(scalar_text(value))
        }
        _ => Text::Exact(scalar_text(value)),
    }
}

/// The request that `request` (wire names and values) must become for the endpoint `spec`.
pub fn expect(spec: &Yaml, request: &Map<String, Value>) -> Expected {
    let method = spec["method"].as_str().unwrap().to_owned();
    let v2 = spec["api"].as_str() == Some("v2");
    let mut path = spec["path"].as_str().unwrap().to_owned();
    let mut query = Vec::new();
    let mut form = Vec::new();
    let mut json = Map::new();
    for (wire, value) in request {
        let def = &spec["fields"][wire.as_str()];
        assert!(
            def.is_mapping(),
            "the request names `{wire}`, which the spec lacks"
        );
        match def.get("in").and_then(Yaml::as_str).unwrap_or("body") {
            "path" => {
                let placeholder = format!("{{{wire}}}");
                path = path.replace(&placeholder, &encode_segment(&scalar_text(value)));
            }
            "query" => query.push((wire.clone(), text(value, def))),
            _ if v2 => {
                json.insert(wire.clone(), value.clone());
            }
            _ => form.push((wire.clone(), text(value, def))),
        }
    }
    query.sort_by(|a, b| a.0.cmp(&b.0));
    form.sort_by(|a, b| a.0.cmp(&b.0));
    let multipart = spec.get("body").and_then(Yaml::as_str) == Some("multipart");
    let body = match (method.as_str(), v2) {
        ("GET" | "DELETE", _) => Body::None,
        (_, true) => Body::Json(Value::Object(json)),
        (_, false) if multipart => {
            // File parts in the spec's order, those the request sets.
            let files = spec["fields"]
                .as_mapping()
                .into_iter()
                .flatten()
                .filter(|(_, def)| def["type"].as_str() == Some("bytes"))
                .filter_map(|(wire, _)| wire.as_str())
                .filter(|wire| request.contains_key(*wire))
                .map(str::to_owned)
                .collect();
            Body::Multipart { parts: form, files }
        }
        (_, false) => Body::Form(form),
    };
    Expected {
        method,
        path,
        query,
        body,
        v2,
    }
}
