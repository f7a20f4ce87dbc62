//! The wire: request bodies (through serde_urlencoded and serde_json), reply envelopes, and the
//! lenient reading of replies.
//!
//! A reply whose body `code` is 200 is a success, whatever else it holds: the code is read even
//! from a body that is not quite JSON (`"code":416.0`, bytes that are not UTF-8, a cut-off tail),
//! and a reply field the client cannot read is left unset and named in the reply's `unreadable`
//! list instead of turning the success into an error the caller would retry.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::endpoint::{ApiGeneration, ApiReply, ApiRequest, Location, Unreadable};
use super::error::bounded;
use super::support::{self, Step};

/// The body `code` of success, in both generations.
pub(crate) const SUCCESS: i64 = 200;

/// The most unreadable values removed one by one before whole top-level fields go instead.
const MAX_SINGLE_REMOVALS: usize = 32;

/// An encoded request body with its content type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Body {
    /// Owned for a multipart body, whose boundary is made per request.
    pub(crate) content_type: Cow<'static, str>,
    pub(crate) bytes: Vec<u8>,
}

/// A request on the wire: its path (with path parameters filled in), query and body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Encoded {
    pub(crate) path: String,
    /// `name=value&…`, already encoded; `None` without query parameters.
    pub(crate) query: Option<String>,
    /// `None` for a method without a body.
    pub(crate) body: Option<Body>,
}

const FORM: &str = "application/x-www-form-urlencoded;charset=utf-8";
const JSON: &str = "application/json;charset=utf-8";

/// Everything but RFC 3986's unreserved characters is percent-encoded in a path segment, so a
/// value can never add a segment (`/`) or be read as a query (`?`); `|` travels as `%7C`.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes a request: v1 bodies as a form (JSON-text fields as strings), v2 bodies as JSON; path
/// and query parameters where the endpoint says.
pub(crate) fn encode<R: ApiRequest>(request: &R) -> Result<Encoded, String> {
    let endpoint = R::ENDPOINT;
    if endpoint.body_only() && !endpoint.is_multipart() {
        // The common case, straight from the request to the body without an intermediate value.
        let body = match (endpoint.has_body(), endpoint.api) {
            (false, _) => None,
            (true, ApiGeneration::V1) => Some(Body {
                content_type: Cow::Borrowed(FORM),
                bytes: serde_urlencoded::to_string(request)
                    .map_err(|err| err.to_string())?
                    .into_bytes(),
            }),
            (true, ApiGeneration::V2) => Some(Body {
                content_type: Cow::Borrowed(JSON),
                bytes: support::json_body(request).map_err(|err| err.to_string())?,
            }),
        };
        return Ok(Encoded {
            path: endpoint.path.to_owned(),
            query: None,
            body,
        });
    }
    let Value::Object(fields) = support::body_value(request).map_err(|err| err.to_string())? else {
        return Err("a request serializes to an object".into());
    };
    let mut path = endpoint.path.to_owned();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut body = Map::new();
    for (name, value) in fields {
        match endpoint.location(&name) {
            Location::Path => {
                let text = scalar_text(&value);
                let segment = percent_encoding::utf8_percent_encode(&text, SEGMENT).to_string();
                path = path.replace(&format!("{{{name}}}"), &segment);
            }
            Location::Query => query.push((name, scalar_text(&value))),
            _ => {
                body.insert(name, value);
            }
        }
    }
    let body = if !endpoint.has_body() {
        None
    } else if endpoint.is_multipart() {
        let files = request.file_parts();
        let texts: Vec<(String, String)> = body
            .iter()
            .filter(|(k, _)| !files.iter().any(|(name, _)| name == k))
            .map(|(k, v)| (k.clone(), scalar_text(v)))
            .collect();
        Some(super::multipart::encode(&texts, &files)?)
    } else {
        Some(match endpoint.api {
            ApiGeneration::V1 => {
                let pairs: Vec<(String, String)> = body
                    .iter()
                    .map(|(k, v)| (k.clone(), scalar_text(v)))
                    .collect();
                Body {
                    content_type: Cow::Borrowed(FORM),
                    bytes: serde_urlencoded::to_string(pairs)
                        .map_err(|err| err.to_string())?
                        .into_bytes(),
                }
            }
            ApiGeneration::V2 => Body {
                content_type: Cow::Borrowed(JSON),
                bytes: serde_json::to_vec(&Value::Object(body)).map_err(|err| err.to_string())?,
            },
        })
    };
    let query = (!query.is_empty())
        .then(|| serde_urlencoded::to_string(&query).map_err(|err| err.to_string()))
        .transpose()?;
    Ok(Encoded { path, query, body })
}

/// A value as one text parameter: strings as they are, numbers and booleans as JSON spells them,
/// anything else as its JSON text (the spec gives such values an encoding, so this is a fallback).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What a reply body says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Envelope {
    /// Code 200: the payload (v1: the whole object; v2: its `data`), and what could not be read
    /// of the envelope itself.
    Success {
        payload: Value,
        unreadable: Vec<Unreadable>,
        /// v2: the envelope's keys other than `code`, `msg`, `desc` and `data`, where a reply of
        /// another shape may have put its fields (v1: empty, its payload is the whole body).
        beside_data: Map<String, Value>,
        /// v2: the envelope has no `data` at all; read as an empty result, which the caller must
        /// be told when the spec describes reply fields (see `shape::without_data`). A `null`
        /// one is the server's explicit empty result (recorded: `custom_notification_batch`).
        without_data: bool,
    },
    /// Another code: the server refused the request.
    Refused { code: i64, desc: Option<String> },
}

/// Reads a reply envelope; `Err` says why no `code` could be found.
pub(crate) fn read_envelope(api: ApiGeneration, body: &[u8]) -> Result<Envelope, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("the reply body is empty".into());
    }
    let parsed = serde_json::from_slice::<Value>(body).or_else(|strict| {
        // A non-UTF-8 byte (in a `desc`, say) must not hide the code: read it lossily.
        let lossy = String::from_utf8_lossy(body);
        serde_json::from_str::<Value>(&lossy).map_err(|_| strict)
    });
    let mut map = match parsed {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err("the reply is not a JSON object".into()),
        Err(err) => return partial(body, &err),
    };
    let code = map
        .get("code")
        .and_then(code_of)
        .ok_or_else(|| "the reply has no integer `code`".to_owned())?;
    if code != SUCCESS {
        let (first, second) = match api {
            ApiGeneration::V1 => ("desc", "msg"),
            ApiGeneration::V2 => ("msg", "desc"),
        };
        let desc = text(&map, first).or_else(|| text(&map, second));
        return Ok(Envelope::Refused { code, desc });
    }
    let mut unreadable = Vec::new();
    let mut beside_data = Map::new();
    let mut without_data = false;
    let payload = match api {
        ApiGeneration::V1 => Value::Object(map),
        ApiGeneration::V2 => {
            let data = map.remove("data");
            for envelope_key in ["code", "msg", "desc"] {
                map.remove(envelope_key);
            }
            beside_data = map;
            match data {
                None => {
                    without_data = true;
                    Value::Object(Map::new())
                }
                Some(Value::Null) => Value::Object(Map::new()),
                Some(data @ Value::Object(_)) => data,
                Some(other) => {
                    unreadable.push(Unreadable {
                        path: "data".into(),
                        reason: format!("expected an object, found {}", kind(&other)),
                    });
                    Value::Object(Map::new())
                }
            }
        }
    };
    Ok(Envelope::Success {
        payload,
        unreadable,
        beside_data,
        without_data,
    })
}

/// A body that does not parse as JSON: its top-level `code`, if one can still be read (a reply
/// cut short after the code, or otherwise damaged).
fn partial(body: &[u8], err: &serde_json::Error) -> Result<Envelope, String> {
    match top_level_code(body) {
        Some(SUCCESS) => Ok(Envelope::Success {
            payload: Value::Object(Map::new()),
            unreadable: vec![Unreadable {
                path: ".".into(),
                reason: format!(
                    "the rest of the reply is not JSON: {}",
                    bounded(&err.to_string())
                ),
            }],
            beside_data: Map::new(),
            without_data: false,
        }),
        Some(code) => Ok(Envelope::Refused { code, desc: None }),
        None => Err(format!(
            "the reply is not JSON: {}",
            bounded(&err.to_string())
        )),
    }
}

/// A `code` value: an integer, an integral float (`416.0`) or a string holding either.
fn code_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => code_of(&serde_json::from_str::<Value>(s.trim()).ok()?)
            .filter(|_| !s.trim().starts_with('"')),
        _ => None,
    }
}

/// Finds `"code": <number or quoted number>` among the keys of the outermost object of a body
/// that does not parse, skipping nested objects, arrays and the insides of strings.
fn top_level_code(body: &[u8]) -> Option<i64> {
    let skip_spaces = |mut j: usize| {
        while body.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        j
    };
    let mut depth = 0usize;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                let after = skip_spaces(i + 1);
                let is_code_key = depth == 1
                    && body.get(start..i) == Some(&b"code"[..])
                    && body.get(after) == Some(&b':');
                if is_code_key {
                    let from = skip_spaces(after + 1);
                    let end = body[from..]
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b'\n' | b'\r'))
                        .map_or(body.len(), |p| from + p);
                    let raw = String::from_utf8_lossy(&body[from..end]);
                    return code_of(
                        &serde_json::from_str::<Value>(raw.trim().trim_matches('"')).ok()?,
                    );
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads a success payload into the typed reply. A value that does not have the shape the spec
/// describes is removed (the innermost object key that holds it, so its siblings survive, also
/// inside JSON text) and named in the reply's `unreadable` list; reading then starts over. Reply
/// fields are optional, so this always ends in a reply.
pub(crate) fn decode_reply<R: ApiReply>(mut payload: Value, mut unreadable: Vec<Unreadable>) -> R {
    loop {
        support::take_inner_path();
        match serde_path_to_error::deserialize::<_, R>(&payload) {
            Ok(mut reply) => {
                reply.set_unreadable(unreadable);
                return reply;
            }
            Err(err) => {
                let mut steps = support::steps_of(err.path());
                steps.extend(support::take_inner_path().unwrap_or_default());
                if unreadable.len() >= MAX_SINGLE_REMOVALS {
                    // Past this many, whole top-level fields go, so the loop stays short.
                    steps.truncate(1);
                }
                let removed = remove(&mut payload, &steps);
                unreadable.push(Unreadable {
                    path: bounded(&show(&steps)).into_owned(),
                    // serde's message quotes the value, which may be megabytes long.
                    reason: bounded(&err.into_inner().to_string()).into_owned(),
                });
                if !removed {
                    // Nothing left to remove: the payload itself is unusable; keep what was named.
                    let mut reply = R::default();
                    reply.set_unreadable(unreadable);
                    return reply;
                }
            }
        }
    }
}

/// A path as the wire spells it: `success[0].m1.time`; `.` for the whole reply.
fn show(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Removes the innermost object key on `path` (with everything under it); false when the path
/// names no object key that exists. A string met on the way is JSON text (a lenient reply field):
/// it is replaced by its parsed value, so the removal reaches inside it.
fn remove(root: &mut Value, path: &[Step]) -> bool {
    let Some(last_key) = path.iter().rposition(|k| matches!(k, Step::Key(_))) else {
        return false;
    };
    let mut node = root;
    for step in &path[..last_key] {
        if let Value::String(text) = node {
            match serde_json::from_str::<Value>(text) {
                Ok(parsed) => *node = parsed,
                Err(_) => return false,
            }
        }
        let next = match (step, node) {
            (Step::Key(k), Value::Object(map)) => map.get_mut(k),
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    if let Value::String(text) = node {
        match serde_json::from_str::<Value>(text) {
            Ok(parsed) => *node = parsed,
            Err(_) => return false,
        }
    }
    match (&path[last_key], node) {
        (Step::Key(k), Value::Object(map)) => map.remove(k).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    fn success(api: ApiGeneration, body: &[u8]) -> (Value, Vec<Unreadable>) {
        match read_envelope(api, body) {
            Ok(Envelope::Success {
                payload,
                unreadable,
                ..
            }) => (payload, unreadable),
            other => panic!("expected success, got {other:?}"),
        }
    }

    fn refused(api: ApiGeneration, body: &[u8]) -> (i64, Option<String>) {
        match read_envelope(api, body) {
            Ok(Envelope::Refused { code, desc }) => (code, desc),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn v1_and_v2_envelopes() {
        let (payload, unreadable) = success(ApiGeneration::V1, br#"{"code":200,"n":1}"#);
        assert_eq!((payload, unreadable), (json!({"code":200,"n":1}), vec![]));
        let (payload, _) = success(
            ApiGeneration::V2,
            br#"{"code":200,"msg":"ok","data":{"n":1}}"#,
        );
        assert_eq!(payload, json!({"n":1}));
        assert_eq!(success(ApiGeneration::V2, br#"{"code":200}"#).0, json!({}));
        let (payload, unreadable) = success(ApiGeneration::V2, br#"{"code":200,"data":"odd"}"#);
        assert_eq!((payload, unreadable[0].path.as_str()), (json!({}), "data"));
        assert_eq!(
            refused(
                ApiGeneration::V1,
                br#"{"code":414,"desc":"checksum error"}"#
            ),
            (414, Some("checksum error".into()))
        );
        assert_eq!(
            refused(ApiGeneration::V2, br#"{"code":414,"msg":"bad"}"#),
            (414, Some("bad".into()))
        );
    }

    #[test]
    fn v2_envelope_keys_beside_data_are_handed_on_and_v1_has_none() {
        let beside = |api, body: &[u8]| match read_envelope(api, body) {
            Ok(Envelope::Success { beside_data, .. }) => Value::Object(beside_data),
            other => panic!("expected a success, got {other:?}"),
        };
        let v2 = br#"{"code":200,"msg":"ok","desc":"d","data":{},"result":{"n":1}}"#;
        assert_eq!(beside(ApiGeneration::V2, v2), json!({"result": {"n": 1}}));
        let v1 = br#"{"code":200,"desc":"d","result":{"n":1}}"#;
        assert_eq!(beside(ApiGeneration::V1, v1), json!({}));
    }

    #[test]
    fn the_code_is_read_from_odd_bodies() {
        assert_eq!(refused(ApiGeneration::V1, br#"{"code":416.0}"#).0, 416);
        assert_eq!(refused(ApiGeneration::V1, br#"{"code":"416"}"#).0, 416);
        assert_eq!(refused(ApiGeneration::V1, br#"{"code":" 414 "}"#).0, 414);
        // A desc that is not UTF-8.
        let mut body = br#"{"code":416,"desc":"limit "#.to_vec();
        body.extend([0xff, 0xfe]);
        body.extend(br#""}"#);
        let (code, desc) = refused(ApiGeneration::V1, &body);
        assert_eq!(code, 416);
        assert!(desc.unwrap().starts_with("limit "));
        // Cut off after the code: a success stays a success.
        let (payload, unreadable) =
            success(ApiGeneration::V1, br#"{"code":200,"unregister":["a","#);
        assert_eq!(payload, json!({}));
        assert_eq!(unreadable.len(), 1);
        assert_eq!(
            refused(ApiGeneration::V1, br#"{"desc":"x","code":416,"#).0,
            416
        );
        // A nested `code` is not the reply's.
        assert!(read_envelope(ApiGeneration::V1, br#"{"data":{"code":200},"x":"#).is_err());
    }

    #[test]
    fn bodies_without_a_code_are_errors() {
        for body in [
            &b""[..],
            b"  ",
            b"<html>bad gateway</html>",
            b"[1,2]",
            br#"{"desc":"x"}"#,
            br#"{"code":"abc"}"#,
            br#"{"code":"\"200\""}"#,
        ] {
            assert!(
                read_envelope(ApiGeneration::V1, body).is_err(),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Inner {
        time: Option<i64>,
        name: Option<String>,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Reply {
        unregister: Option<Vec<String>>,
        timetag: Option<i64>,
        success: Option<Vec<std::collections::BTreeMap<String, Inner>>>,
        #[serde(skip)]
        unreadable: Vec<Unreadable>,
    }

    impl ApiReply for Reply {
        const WIRE_FIELDS: &'static [&'static str] = &["unregister", "timetag", "success"];
        fn set_unreadable(&mut self, unreadable: Vec<Unreadable>) {
            self.unreadable = unreadable;
        }
        fn unreadable(&self) -> &[Unreadable] {
            &self.unreadable
        }
    }

    #[test]
    fn unreadable_values_are_left_unset_and_named() {
        let payload = json!({
            "code": 200,
            "unregister": "not a list",
            "timetag": 5,
            "success": [{"m1": {"time": "soon", "name": "a"}}, {"m2": {"time": 7}}]
        });
        let reply: Reply = decode_reply(payload, vec![]);
        assert_eq!(reply.unregister, None);
        assert_eq!(reply.timetag, Some(5));
        let success = reply.success.clone().unwrap();
        assert_eq!(
            success[0]["m1"],
            Inner {
                time: None,
                name: Some("a".into())
            }
        );
        assert_eq!(success[1]["m2"].time, Some(7));
        let paths: Vec<&str> = reply.unreadable.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(paths, ["unregister", "success[0].m1.time"]);
        assert!(
            reply.unreadable[0].reason.contains("invalid type"),
            "{:?}",
            reply.unreadable
        );
    }

    #[serde_with::serde_as]
    #[derive(Debug, Default, Serialize, Deserialize)]
    #[serde(default)]
    struct TextReply {
        #[serde_as(as = "support::EmptyAsNone<support::ValueOrJsonText>")]
        success: Option<Vec<std::collections::BTreeMap<String, Inner>>>,
        #[serde(skip)]
        unreadable: Vec<Unreadable>,
    }

    impl ApiReply for TextReply {
        const WIRE_FIELDS: &'static [&'static str] = &["success"];
        fn set_unreadable(&mut self, unreadable: Vec<Unreadable>) {
            self.unreadable = unreadable;
        }
        fn unreadable(&self) -> &[Unreadable] {
            &self.unreadable
        }
    }

    #[test]
    fn a_bad_value_inside_json_text_costs_only_that_value() {
        let text = r#"[{"m1":{"time":"soon","name":"a"}},{"m2":{"time":7}}]"#;
        let reply: TextReply = decode_reply(json!({ "success": text }), vec![]);
        let success = reply.success.expect("the list survives");
        assert_eq!(
            success[0]["m1"],
            Inner {
                time: None,
                name: Some("a".into())
            }
        );
        assert_eq!(success[1]["m2"].time, Some(7));
        let paths: Vec<&str> = reply.unreadable.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(paths, ["success[0].m1.time"]);
    }

    #[test]
    fn an_unreadable_huge_value_is_named_with_a_bounded_reason() {
        // serde's message quotes the value it could not read.
        let huge = "9x".repeat(1024 * 1024);
        let reply: Reply = decode_reply(json!({ "timetag": huge }), vec![]);
        let [unreadable] = reply.unreadable.as_slice() else {
            panic!("{} unreadable", reply.unreadable.len());
        };
        assert_eq!(unreadable.path, "timetag");
        assert!(unreadable.reason.len() < 1024, "{:.300}", unreadable.reason);
        assert!(
            unreadable.reason.contains("bytes, first"),
            "{}",
            unreadable.reason
        );
    }

    #[test]
    fn a_clean_payload_has_nothing_unreadable() {
        let reply: Reply = decode_reply(json!({"code": 200, "timetag": 1, "extra": [1]}), vec![]);
        assert_eq!(reply.timetag, Some(1));
        assert!(reply.unreadable.is_empty());
    }

    #[test]
    fn many_bad_values_end_in_a_reply() {
        let items: Vec<Value> = (0..200)
            .map(|i| json!({format!("m{i}"): {"time": "x"}}))
            .collect();
        let reply: Reply = decode_reply(json!({"success": items, "timetag": 3}), vec![]);
        assert_eq!(reply.timetag, Some(3));
        assert!(reply.unreadable.len() <= MAX_SINGLE_REMOVALS + 1);
        assert!(reply.success.is_none() || reply.success.as_ref().unwrap().len() == 200);
    }
}
