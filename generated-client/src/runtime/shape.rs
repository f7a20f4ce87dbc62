//! Noticing a code-200 reply of another shape than the spec's: fields nested under a key the spec
//! does not name read as absent, so without this such a reply would look like an empty result.
//!
//! What is named goes into the reply's `unreadable` list (the reply stays a success): a reply
//! field found one level down under an unnamed key (for v2 also under an envelope key beside
//! `data`), when none of the reply's fields arrived, every unnamed key, and a v2 reply without
//! `data` when the spec describes reply fields. Unnamed keys beside a
//! field of the reply are normal (vendors add fields) and not named, nor are v2 envelope keys
//! that hold none of the reply's fields.

use serde_json::{Map, Value};

use super::endpoint::{ApiGeneration, Unreadable};
use super::error::bounded;

/// The keys of a v1 reply that belong to its envelope, not to the reply's fields (`msg` is the
/// v2 spelling, sometimes sent by v1 endpoints too).
const V1_ENVELOPE: &[&str] = &["code", "desc", "msg"];

/// What in `payload` (v1: the whole body; v2: its `data`) and, for v2, in the envelope's other
/// keys `beside_data`, the reply's fields `known` do not account for.
pub(crate) fn unrecognised(
    api: ApiGeneration,
    known: &[&str],
    payload: &Value,
    beside_data: &Map<String, Value>,
) -> Vec<Unreadable> {
    let empty = Map::new();
    let fields = match payload {
        Value::Object(fields) => fields,
        _ => &empty,
    };
    if known.is_empty() {
        // A reply the spec says carries nothing: whatever arrives is an addition, not a shape.
        return Vec::new();
    }
    let envelope: &[&str] = match api {
        ApiGeneration::V1 => V1_ENVELOPE,
        _ => &[],
    };
    let any_known = fields.keys().any(|key| known.contains(&key.as_str()));
    let mut out = Vec::new();
    for (key, value) in fields {
        if known.contains(&key.as_str()) || envelope.contains(&key.as_str()) {
            continue;
        }
        let nested = misplaced(known, fields, value);
        for field in &nested {
            out.push(Unreadable {
                path: format!("{}.{field}", bounded(key)),
                reason: format!(
                    "`{field}`, a field of this reply, arrived under `{}`, a key the spec \
                     does not name; left unset (the reply does not have the documented shape)",
                    bounded(key)
                ),
            });
        }
        if nested.is_empty() && !any_known {
            out.push(Unreadable {
                path: bounded(key).into_owned(),
                reason: "not a field of this reply, and none of the reply's fields arrived \
                         (the reply does not have the documented shape)"
                    .into(),
            });
        }
    }
    // Other envelope keys are named only when they hold the reply's fields: v2 replies may carry
    // envelope additions (a request id) beside an empty result.
    for (key, value) in beside_data {
        for field in misplaced(known, fields, value) {
            out.push(Unreadable {
                path: format!("{}.{field}", bounded(key)),
                reason: format!(
                    "`{field}`, a field of this reply, arrived in the envelope under `{}`, \
                     beside `data` instead of inside it; left unset (the reply does not have \
                     the documented shape)",
                    bounded(key)
                ),
            });
        }
    }
    out
}

/// A v2 reply without `data`, named when the spec describes reply fields `known`: read as an
/// empty result, it could not be told from one otherwise.
pub(crate) fn without_data(known: &[&str]) -> Option<Unreadable> {
    (!known.is_empty()).then(|| Unreadable {
        path: "data".into(),
        reason: "the reply has no `data`, where the spec puts the reply's fields; read as an \
                 empty result, which it may not be (the reply does not have the documented \
                 shape)"
            .into(),
    })
}

/// The reply's fields that `value` holds one level down and `fields` lacks at their own place.
fn misplaced<'a>(known: &[&str], fields: &Map<String, Value>, value: &'a Value) -> Vec<&'a str> {
    match value {
        Value::Object(inner) => inner
            .keys()
            .map(String::as_str)
            .filter(|field| known.contains(field) && !fields.contains_key(*field))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KNOWN: &[&str] = &["msgids", "timetag"];

    fn paths(api: ApiGeneration, payload: Value) -> Vec<String> {
        let mut paths: Vec<String> = unrecognised(api, KNOWN, &payload, &Map::new())
            .into_iter()
            .map(|u| u.path)
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn fields_nested_under_an_unnamed_key_are_named_with_their_path() {
        let v1 = json!({"code": 200, "data": {"msgids": {"a": 1}, "timetag": 3, "other": 1}});
        assert_eq!(
            paths(ApiGeneration::V1, v1),
            ["data.msgids", "data.timetag"]
        );
        let v2 = json!({"result": {"msgids": {}}});
        assert_eq!(paths(ApiGeneration::V2, v2), ["result.msgids"]);
    }

    #[test]
    fn a_field_nested_and_missing_at_its_place_is_named_beside_other_fields() {
        let payload = json!({"timetag": 3, "data": {"msgids": {}, "timetag": 4}});
        assert_eq!(paths(ApiGeneration::V2, payload), ["data.msgids"]);
    }

    #[test]
    fn unnamed_keys_are_named_only_when_no_field_arrived() {
        let wrong = json!({"code": 200, "desc": "ok", "result": 1, "list": []});
        assert_eq!(paths(ApiGeneration::V1, wrong), ["list", "result"]);
        let added = json!({"code": 200, "timetag": 1, "vendor_extra": {"x": 1}});
        assert!(paths(ApiGeneration::V1, added).is_empty());
    }

    #[test]
    fn empty_replies_and_replies_without_fields_name_nothing() {
        assert!(paths(ApiGeneration::V1, json!({"code": 200, "desc": "ok"})).is_empty());
        assert!(paths(ApiGeneration::V2, json!({})).is_empty());
        let anything = json!({"data": {"msgids": {}}});
        assert!(unrecognised(ApiGeneration::V2, &[], &anything, &Map::new()).is_empty());
    }

    #[test]
    fn v2_data_has_no_envelope_keys() {
        // Inside v2 `data`, a `code` is not the envelope's: with no field, it is named.
        assert_eq!(paths(ApiGeneration::V2, json!({"code": 1})), ["code"]);
    }

    #[test]
    fn v2_fields_beside_data_are_named_but_other_envelope_keys_are_not() {
        let beside = json!({"result": {"msgids": {}}, "request_id": "r1"});
        let Value::Object(beside) = beside else {
            unreachable!()
        };
        let named = unrecognised(ApiGeneration::V2, KNOWN, &json!({}), &beside);
        let paths: Vec<&str> = named.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(paths, ["result.msgids"]);
        assert!(named[0].reason.contains("envelope"), "{:?}", named[0]);
        // In place inside `data`, the same key beside it names nothing.
        let in_place = json!({"msgids": {}});
        assert!(unrecognised(ApiGeneration::V2, KNOWN, &in_place, &beside).is_empty());
    }
}
