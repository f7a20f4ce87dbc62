//! Comparing a received request with a fixture's expected request, and JSON with JSON, as
//! readable difference lines: what was expected, what arrived, and where.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::fixture::ExpectedRequest;

/// The longest rendering of a value in a difference line, in characters.
const MAX_SHOWN: usize = 160;

/// A request as the test server received it.
#[derive(Debug, Clone, Default)]
pub struct ReceivedRequest {
    /// HTTP method.
    pub method: String,
    /// Path, without query.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// Headers in arrival order; names as received.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// Every value of the header `name` (case-insensitive).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A JSON value or text, compact and bounded, for difference lines.
pub fn shown(value: &Value) -> String {
    bounded(&value.to_string())
}

/// A text quoted and bounded, for difference lines.
pub fn quoted(text: &str) -> String {
    bounded(&format!("{text:?}"))
}

fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}… ({} chars)", &text[..cut], text.chars().count()),
    }
}

/// Every difference between the fixture's `expected` request and the `actual` one, one line
/// each; empty when they match. `json_text` names the form fields the spec sends as JSON text:
/// those compare as JSON, every other form field as an exact string.
pub fn request_differences(
    expected: &ExpectedRequest,
    actual: &ReceivedRequest,
    json_text: &BTreeSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    if !expected.method.eq_ignore_ascii_case(&actual.method) {
        out.push(format!(
            "method: expected {}, got {}",
            expected.method, actual.method
        ));
    }
    if expected.path != actual.path {
        out.push(format!(
            "path: expected {}, got {}",
            quoted(&expected.path),
            quoted(&actual.path)
        ));
    }
    query_differences(expected, actual, &mut out);
    header_differences(expected, actual, &mut out);
    match (&expected.content_type, &expected.body) {
        (None, _) => {
            if !actual.body.is_empty() {
                out.push(format!(
                    "body: expected none, got {}",
                    quoted(&String::from_utf8_lossy(&actual.body))
                ));
            }
        }
        (Some(ct), Some(body)) if ct.starts_with("application/x-www-form-urlencoded") => {
            let pairs = form_urlencoded::parse(&actual.body).into_owned().collect();
            form_differences(body, pairs, json_text, &mut out)
        }
        (Some(ct), Some(body)) if ct.starts_with(MULTIPART) => {
            // Text parts compare as form fields, file parts by their bytes' base64.
            let header = actual.header_values("content-type");
            let boundary = header.first().and_then(|h| crate::multipart::boundary(h));
            match boundary.map(|b| crate::multipart::parse(&actual.body, b)) {
                None => out.push("body: a multipart body without a boundary".to_owned()),
                Some(Err(why)) => out.push(format!("body: a broken multipart body: {why}")),
                Some(Ok(parts)) => {
                    let pairs = parts
                        .into_iter()
                        .map(|p| (p.name.clone(), p.as_text()))
                        .collect();
                    form_differences(body, pairs, json_text, &mut out)
                }
            }
        }
        (Some(_), Some(body)) => json_body_differences(body, &actual.body, &mut out),
        (Some(_), None) => out.push("fixture: a request with a content type needs a body".into()),
    }
    out
}

fn query_differences(expected: &ExpectedRequest, actual: &ReceivedRequest, out: &mut Vec<String>) {
    let Some(want) = &expected.query else {
        if let Some(query) = &actual.query {
            out.push(format!(
                "query: expected no query string, got ?{}",
                bounded(query)
            ));
        }
        return;
    };
    let raw = actual.query.clone().unwrap_or_default();
    if let Some(exact) = &expected.query_raw {
        if *exact != raw {
            out.push(format!("query: expected ?{exact}, got ?{raw}"));
        }
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    for (name, value) in want {
        let got: Vec<&String> = pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect();
        match got.as_slice() {
            [] => out.push(format!(
                "query `{name}`: expected {}, not sent",
                quoted(value)
            )),
            [one] if *one == value => {}
            [one] => out.push(format!(
                "query `{name}`: expected {}, got {}",
                quoted(value),
                quoted(one)
            )),
            many => out.push(format!("query `{name}`: sent {} times", many.len())),
        }
    }
    for (name, value) in &pairs {
        if !want.contains_key(name) {
            out.push(format!(
                "query `{name}`: not in the fixture, but sent as {}",
                quoted(value)
            ));
        }
    }
}

/// The media type of a multipart body: a fixture names it without the boundary, which the
/// client derives per request.
const MULTIPART: &str = "multipart/form-data";

fn header_differences(expected: &ExpectedRequest, actual: &ReceivedRequest, out: &mut Vec<String>) {
    let mut exact =
        |label: String, name: &str, want: &str| match actual.header_values(name).as_slice() {
            [] => out.push(format!(
                "{label}: expected {}, but it was not sent",
                quoted(want)
            )),
            [got] if *got == want => {}
            [got] if want == MULTIPART && got.starts_with("multipart/form-data; boundary=") => {}
            [got] => out.push(format!(
                "{label}: expected {}, got {}",
                quoted(want),
                quoted(got)
            )),
            many => out.push(format!(
                "{label}: expected {} once, but it was sent {} times: {many:?}",
                quoted(want),
                many.len()
            )),
        };
    let stray_content_type: Vec<String> = match &expected.content_type {
        Some(ct) => {
            exact(
                "content type (header `Content-Type`)".to_owned(),
                "content-type",
                ct,
            );
            Vec::new()
        }
        None => actual
            .header_values("content-type")
            .into_iter()
            .map(|got| format!("content type: expected none (no body), got {}", quoted(got)))
            .collect(),
    };
    for (name, want) in &expected.headers.equals {
        exact(format!("header `{name}`"), name, want);
    }
    for name in &expected.headers.present {
        if actual.header_values(name).is_empty() {
            out.push(format!("header `{name}`: must be sent, but was not"));
        }
    }
    for name in &expected.headers.absent {
        for got in actual.header_values(name) {
            out.push(format!(
                "header `{name}`: must not be sent, but was sent as {}",
                quoted(got)
            ));
        }
    }
    out.extend(stray_content_type);
}

/// The expected text of a form field that is not JSON text: YAML strings as they are, YAML
/// numbers and booleans in their plain spelling.
fn expected_scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The expected JSON of a JSON-text form field: a YAML structure as it is, a YAML string parsed
/// as JSON text.
fn expected_json(value: &Value) -> Result<Value, String> {
    match value {
        Value::String(text) => serde_json::from_str(text).map_err(|err| {
            format!(
                "the fixture's value {} is not JSON text: {err}",
                quoted(text)
            )
        }),
        other => Ok(other.clone()),
    }
}

fn form_differences(
    expected: &Value,
    pairs: Vec<(String, String)>,
    json_text: &BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let Value::Object(expected) = expected else {
        out.push("body: the fixture's form body is not a map of field to value".to_owned());
        return;
    };
    let mut seen = BTreeSet::new();
    for (name, _) in &pairs {
        let count = pairs.iter().filter(|(k, _)| k == name).count();
        if count > 1 && seen.insert(name.clone()) {
            out.push(format!(
                "body field `{name}`: sent {count} times, expected once"
            ));
        }
    }
    for (name, want) in expected {
        let got = pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let is_json = json_text.contains(name);
        let label = if is_json {
            format!("body field `{name}` (JSON text)")
        } else {
            format!("body field `{name}`")
        };
        if is_json {
            let want = match expected_json(want) {
                Ok(want) => want,
                Err(problem) => {
                    out.push(format!("{label}: {problem}"));
                    continue;
                }
            };
            let Some(got) = got else {
                out.push(format!(
                    "{label}: expected {}, but it was not sent",
                    shown(&want)
                ));
                continue;
            };
            match serde_json::from_str::<Value>(got) {
                Ok(got) => json_differences(&label, &want, &got, out),
                Err(err) => out.push(format!(
                    "{label}: expected JSON text {}, got {} which is not JSON ({err})",
                    shown(&want),
                    quoted(got)
                )),
            }
        } else {
            let Some(want) = expected_scalar(want) else {
                out.push(format!(
                    "{label}: the spec does not send this field as JSON text, so the fixture \
                     must give its value as a string, not {}",
                    shown(want)
                ));
                continue;
            };
            match got {
                None => out.push(format!(
                    "{label}: expected {}, but it was not sent",
                    quoted(&want)
                )),
                Some(got) if *got == want => {}
                Some(got) => out.push(format!(
                    "{label}: expected {}, got {}",
                    quoted(&want),
                    quoted(got)
                )),
            }
        }
    }
    let mut reported = BTreeSet::new();
    for (name, got) in &pairs {
        if !expected.contains_key(name) && reported.insert(name) {
            out.push(format!(
                "body field `{name}`: not in the fixture, but sent as {}",
                quoted(got)
            ));
        }
    }
}

fn json_body_differences(expected: &Value, body: &[u8], out: &mut Vec<String>) {
    let want = match expected_json(expected) {
        Ok(want) => want,
        Err(problem) => {
            out.push(format!("body: {problem}"));
            return;
        }
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(got) => json_differences("body (JSON)", &want, &got, out),
        Err(err) => out.push(format!(
            "body (JSON): expected {}, got {} which is not JSON ({err})",
            shown(&want),
            quoted(&String::from_utf8_lossy(body))
        )),
    }
}

/// Every difference between two JSON values, one line each, labelled `label` and the path
/// inside the value (`label at push_config.push_enabled: expected true, got false`).
/// Object members compare regardless of order; unexpected members are differences.
pub fn json_differences(label: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    walk(label, "", expected, actual, out);
}

fn at(label: &str, path: &str) -> String {
    if path.is_empty() {
        label.to_owned()
    } else {
        format!("{label} at {path}")
    }
}

fn member(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(label: &str, path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, w) in want {
                match got.get(key) {
                    Some(g) => walk(label, &member(path, key), w, g, out),
                    None => out.push(format!(
                        "{}: expected {}, but it is missing",
                        at(label, &member(path, key)),
                        shown(w)
                    )),
                }
            }
            for (key, g) in got {
                if !want.contains_key(key) {
                    out.push(format!(
                        "{}: not expected, but present as {}",
                        at(label, &member(path, key)),
                        shown(g)
                    ));
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if want.len() != got.len() {
                out.push(format!(
                    "{}: expected {} items, got {}",
                    at(label, path),
                    want.len(),
                    got.len()
                ));
            }
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                walk(label, &format!("{path}[{i}]"), w, g, out);
            }
            for (i, w) in want.iter().enumerate().skip(got.len()) {
                out.push(format!(
                    "{}: expected {}, but it is missing",
                    at(label, &format!("{path}[{i}]")),
                    shown(w)
                ));
            }
            for (i, g) in got.iter().enumerate().skip(want.len()) {
                out.push(format!(
                    "{}: not expected, but present as {}",
                    at(label, &format!("{path}[{i}]")),
                    shown(g)
                ));
            }
        }
        (want, got) if want == got => {}
        (want, got) => out.push(format!(
            "{}: expected {}, got {}",
            at(label, path),
            shown(want),
            shown(got)
        )),
    }
}
