//! What only generated code uses: serde adapters for the spec's wire shapes, and the names the
//! generated modules import in one `use` block. Crate-private, so none of it is semver surface.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserializer, Serializer};
use serde_json::Value;
use serde_with::{DeserializeAs, SerializeAs};

// Which of these a generated module uses depends on the spec; all are offered to every module.
#[allow(unused_imports)]
pub(crate) use super::endpoint::{
    ApiGeneration, ApiReply, ApiRequest, Blocks, Endpoint, Location, Paged, RateLimit, StatusInfo,
    UnlistedValue, Unreadable,
};
#[allow(unused_imports)]
pub(crate) use super::fan_out::{ChunkReport, FanOut, FanOutRequest};
#[allow(unused_imports)]
pub(crate) use super::file_content::FileContent;
#[allow(unused_imports)]
pub(crate) use super::paging::{next_cursor, next_offset, next_window_end};
#[allow(unused_imports)]
pub(crate) use super::validate::{
    Compare, LengthUnit, LengthUnit::Utf16, LimitPolicy, Pattern, Severity, Unlisted, Validate,
    ValidationError, Validator, Violation,
};
#[allow(unused_imports)]
pub(crate) use futures_util::Stream;
pub(crate) use serde::{Deserialize, Serialize};
pub(crate) use serde_with::skip_serializing_none;
// Used by generated modules when a field needs an adapter (serde_as) or a reply reads numbers as
// strings (PickFirst, DisplayFromStr): a spec may have neither.
#[allow(unused_imports)]
pub(crate) use serde_with::{serde_as, DisplayFromStr, PickFirst};

#[allow(unused_imports)] // Used by generated modules when the spec has a map field.
pub(crate) use std::collections::BTreeMap;

/// The condition of upper limits the server truncates at instead of refusing.
#[allow(dead_code)] // Used by generated modules when the spec has such a limit.
pub(crate) const TRUNCATED: &str =
    "the server keeps only what fits the limit, so a longer value is sent, cut by the server";

/// A list of scalars sent as one comma-separated value (`0,1,2`), in a query or a form field.
/// Reads that text or a list of the values.
#[allow(dead_code)] // Used by generated modules when the spec has such a field.
pub(crate) struct CommaJoined;

impl<T: std::fmt::Display> SerializeAs<Vec<T>> for CommaJoined {
    fn serialize_as<Z: Serializer>(source: &Vec<T>, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let parts: Vec<String> = source.iter().map(T::to_string).collect();
        serializer.serialize_str(&parts.join(","))
    }
}

impl<'de, T: std::str::FromStr> DeserializeAs<'de, Vec<T>> for CommaJoined
where
    T::Err: std::fmt::Display,
{
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        let parts: Vec<String> = match Value::deserialize(deserializer)? {
            Value::String(text) if text.trim().is_empty() => Vec::new(),
            Value::String(text) => text.split(',').map(str::to_owned).collect(),
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect(),
            other => {
                return Err(D::Error::custom(format_args!(
                    "expected comma-joined values or a list, found {other}"
                )))
            }
        };
        // A part is taken as it is first: spaces inside a string item are data (a recipient id
        // " a" is not "a"); only when that does not parse (a number written "0, 1") is it trimmed.
        parts
            .iter()
            .map(|p| {
                p.parse::<T>()
                    .or_else(|_| p.trim().parse::<T>())
                    .map_err(D::Error::custom)
            })
            .collect()
    }
}

/// A `bool` switch that travels as the integer `1` (`true`) or `0` (`false`), the wire form of
/// the pages' 0/1 flags; in a form field that is the text `1` or `0`. Reads `0`/`1` as a number
/// or as text (stored requests and fixtures may hold either), and nothing else.
#[allow(dead_code)] // Used by generated modules when the spec has such a field.
pub(crate) struct ZeroOne;

impl SerializeAs<bool> for ZeroOne {
    fn serialize_as<Z: Serializer>(source: &bool, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.serialize_i32(i32::from(*source))
    }
}

impl<'de> DeserializeAs<'de, bool> for ZeroOne {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
            Value::String(s) if s == "0" => Ok(false),
            Value::String(s) if s == "1" => Ok(true),
            other => Err(D::Error::custom(format_args!(
                "expected the switch 0 or 1, found {other}"
            ))),
        }
    }
}

/// A list, map or object sent as JSON text inside one form field (`toAccids=["a","b"]`).
/// Reads either that text or the value itself, so stored requests and fixtures may hold either.
#[allow(dead_code)] // Used by generated modules when the spec has such a field.
pub(crate) struct JsonText<S = serde_with::Same>(PhantomData<S>);

impl<T, S: SerializeAs<T>> SerializeAs<T> for JsonText<S> {
    fn serialize_as<Z: Serializer>(source: &T, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let text = serde_json::to_string(&serde_with::ser::SerializeAsWrap::<T, S>::new(source))
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de, T, S: DeserializeAs<'de, T>> DeserializeAs<'de, T> for JsonText<S> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        value_or_text::<T, S, D::Error>(Value::deserialize(deserializer)?)
    }
}

/// A reply value that the pages type as a string holding JSON but show as the value itself:
/// reads either, writes the value.
#[allow(dead_code)] // Used by generated modules when the spec has a lenient reply field.
pub(crate) struct ValueOrJsonText<S = serde_with::Same>(PhantomData<S>);

impl<T, S: SerializeAs<T>> SerializeAs<T> for ValueOrJsonText<S> {
    fn serialize_as<Z: Serializer>(source: &T, serializer: Z) -> Result<Z::Ok, Z::Error> {
        S::serialize_as(source, serializer)
    }
}

impl<'de, T, S: DeserializeAs<'de, T>> DeserializeAs<'de, T> for ValueOrJsonText<S> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        value_or_text::<T, S, D::Error>(Value::deserialize(deserializer)?)
    }
}

/// An optional reply value where an empty string (or `null`, as a value or as text) means the
/// field carries nothing: `"unregister":""` is no unregistered accid, not an unreadable reply.
#[allow(dead_code)] // Used by generated modules when the spec has a lenient reply field.
pub(crate) struct EmptyAsNone<S>(PhantomData<S>);

impl<T, S: SerializeAs<T>> SerializeAs<Option<T>> for EmptyAsNone<S> {
    fn serialize_as<Z: Serializer>(source: &Option<T>, serializer: Z) -> Result<Z::Ok, Z::Error> {
        match source {
            Some(v) => S::serialize_as(v, serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<'de, T, S: DeserializeAs<'de, T>> DeserializeAs<'de, Option<T>> for EmptyAsNone<S> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            Value::String(s) if matches!(s.trim(), "" | "null") => Ok(None),
            other => S::deserialize_as(other).map(Some).map_err(D::Error::custom),
        }
    }
}

#[allow(dead_code)] // Used by the adapters above, which a build without any domain may not use.
fn value_or_text<'de, T, S: DeserializeAs<'de, T>, E: serde::de::Error>(
    value: Value,
) -> Result<T, E> {
    let value = match value {
        Value::String(text) => serde_json::from_str::<Value>(&text)
            .map_err(|err| E::custom(format_args!("a string that is not JSON text ({err})")))?,
        other => other,
    };
    tracked::<T, S, E>(value)
}

/// An object that the pages also show as a bare string (taken as one of its fields through
/// `From<String>`); read with the inner path tracked, unlike a `PickFirst`, so a bad value inside
/// the object costs only that value.
#[allow(dead_code)] // Used by generated modules when the spec has an object with `from_scalar`.
pub(crate) struct ObjectOrScalar;

impl<T: Serialize> SerializeAs<T> for ObjectOrScalar {
    fn serialize_as<Z: Serializer>(source: &T, serializer: Z) -> Result<Z::Ok, Z::Error> {
        source.serialize(serializer)
    }
}

impl<'de, T: DeserializeOwned + From<String>> DeserializeAs<'de, T> for ObjectOrScalar {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(T::from(text)),
            other => tracked::<T, serde_with::Same, D::Error>(other),
        }
    }
}

/// One step of a path inside a value an adapter read on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

thread_local! {
    /// Where, inside the value an adapter was reading, the failure happened. An adapter reads
    /// from a buffered value, which hides the inside from the reply decoder's path tracking; this
    /// hands the inner path over so the decoder removes only the bad value, not the whole field.
    static INNER_PATH: RefCell<Option<Vec<Step>>> = const { RefCell::new(None) };
}

/// The inner path of the last adapter failure, taken (and so cleared).
pub(crate) fn take_inner_path() -> Option<Vec<Step>> {
    INNER_PATH.with(|p| p.borrow_mut().take())
}

/// Deserializes `value` as `T` through `S`, tracking the path inside it; on failure, records it
/// in front of any deeper path a nested adapter recorded.
#[allow(dead_code)] // Used by adapters that a build without any domain may not use.
fn tracked<'de, T, S: DeserializeAs<'de, T>, E: serde::de::Error>(value: Value) -> Result<T, E> {
    // Whatever an earlier, recovered attempt left is not about this value.
    take_inner_path();
    let mut track = serde_path_to_error::Track::new();
    let result = S::deserialize_as(serde_path_to_error::Deserializer::new(value, &mut track));
    match result {
        Ok(v) => Ok(v),
        Err(err) => {
            let mut steps = steps_of(&track.path());
            steps.extend(take_inner_path().unwrap_or_default());
            INNER_PATH.with(|p| *p.borrow_mut() = Some(steps));
            Err(E::custom(err))
        }
    }
}

/// The steps of a serde_path_to_error path (map keys and list indexes).
pub(crate) fn steps_of(path: &serde_path_to_error::Path) -> Vec<Step> {
    path.iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
            _ => None,
        })
        .collect()
}

thread_local! {
    /// Set while a v2 request is serialized as its JSON body, which must not carry the trace id
    /// (it travels as the `X-custom-traceid` header); every other serialization keeps it, so a
    /// queued request is resent with the same id.
    static SERIALIZING_BODY: Cell<bool> = const { Cell::new(false) };
}

/// Whether a request is being serialized for its body ([`json_body`], [`body_value`]).
pub(crate) fn serializing_body() -> bool {
    SERIALIZING_BODY.with(Cell::get)
}

/// `skip_serializing_if` of a request's trace id: skipped only inside [`json_body`].
#[allow(dead_code)] // Used by generated v2 requests; a spec without v2 endpoints has none.
pub(crate) fn for_the_body(_: &String) -> bool {
    SERIALIZING_BODY.with(Cell::get)
}

/// `serialize_with` of the member in which a request records the values its JSON setters could
/// not encode (serialized only when there is one): storing or sending such a request fails,
/// naming the field, instead of writing it without the value.
#[allow(dead_code)] // Used by generated structs with `json` fields; a spec may have none.
pub(crate) fn refuse_unencodable<S: Serializer>(
    failures: &[(&'static str, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    match failures.first() {
        Some((wire, error)) => Err(S::Error::custom(format!(
            "`{wire}` holds a value that did not encode as JSON: {error}"
        ))),
        None => serializer.serialize_unit(),
    }
}

/// Runs `f` with the trace id left out of serializations.
fn without_trace_id<T>(f: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SERIALIZING_BODY.with(|flag| flag.set(false));
        }
    }
    SERIALIZING_BODY.with(|flag| flag.set(true));
    let _reset = Reset;
    f()
}

/// The JSON body of a v2 request: its serialization without the trace id.
pub(crate) fn json_body<R: Serialize>(request: &R) -> Result<Vec<u8>, serde_json::Error> {
    without_trace_id(|| serde_json::to_vec(request))
}

/// A request's wire values without the trace id, for splitting into path, query and body.
pub(crate) fn body_value<R: Serialize>(request: &R) -> Result<Value, serde_json::Error> {
    without_trace_id(|| serde_json::to_value(request))
}

/// A fresh trace id, as the default of a deserialized v2 request that carries none.
#[allow(dead_code)] // Used by generated v2 requests; a spec without v2 endpoints has none.
pub(crate) fn new_trace_id() -> String {
    super::endpoint::new_trace_id()
}

/// Reads a request from JSON in wire terms (lists as lists or as JSON text, enums as codes),
/// naming the path of the first value that does not fit.
#[allow(dead_code)] // Used by `dynamic`, which a build with no domain does not call.
pub(crate) fn request_from_json<R: DeserializeOwned>(call: &Value) -> Result<R, String> {
    serde_path_to_error::deserialize(call).map_err(|err| {
        let path = err.path().to_string();
        if path == "." {
            err.inner().to_string()
        } else {
            format!("{path}: {}", err.inner())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Form {
        #[serde_as(as = "JsonText")]
        to: Vec<String>,
        #[serde_as(as = "Option<JsonText>")]
        #[serde(skip_serializing_if = "Option::is_none", default)]
        option: Option<std::collections::BTreeMap<String, bool>>,
    }

    #[serde_as]
    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Reply {
        #[serde_as(as = "EmptyAsNone<ValueOrJsonText>")]
        unregister: Option<Vec<String>>,
        #[serde_as(
            as = "EmptyAsNone<ValueOrJsonText<std::collections::BTreeMap<_, PickFirst<(_, DisplayFromStr)>>>>"
        )]
        msgids: Option<std::collections::BTreeMap<String, i64>>,
    }

    #[test]
    fn json_text_fields_travel_as_text_and_read_either_shape() {
        let form = Form {
            to: vec!["a".into(), "é".into()],
            option: None,
        };
        assert_eq!(
            serde_urlencoded::to_string(&form).unwrap(),
            "to=%5B%22a%22%2C%22%C3%A9%22%5D"
        );
        let stored = serde_json::to_value(&form).unwrap();
        assert_eq!(stored, serde_json::json!({"to": "[\"a\",\"é\"]"}));
        assert_eq!(serde_json::from_value::<Form>(stored).unwrap(), form);
        let as_list: Form = serde_json::from_value(serde_json::json!({"to": ["a", "é"]})).unwrap();
        assert_eq!(as_list, form);
        assert!(serde_json::from_value::<Form>(serde_json::json!({"to": "[1"})).is_err());
    }

    #[test]
    fn lenient_reply_values() {
        let read = |v: Value| serde_json::from_value::<Reply>(v);
        let plain = read(serde_json::json!({"unregister": ["a"]})).unwrap();
        assert_eq!(plain.unregister, Some(vec!["a".to_owned()]));
        let text = read(serde_json::json!({"unregister": "[\"a\"]"})).unwrap();
        assert_eq!(text.unregister, plain.unregister);
        assert_eq!(
            read(serde_json::json!({"unregister": ""}))
                .unwrap()
                .unregister,
            None
        );
        assert_eq!(
            read(serde_json::json!({"unregister": null}))
                .unwrap()
                .unregister,
            None
        );
        assert!(read(serde_json::json!({"unregister": "oops"})).is_err());
        let ids = read(serde_json::json!({"msgids": "{\"a\":\"12\",\"b\":3}"})).unwrap();
        assert_eq!(
            ids.msgids,
            Some(
                [("a".to_owned(), 12), ("b".to_owned(), 3)]
                    .into_iter()
                    .collect()
            )
        );
        // Written back as plain values, so a reply round-trips and logs readably.
        assert_eq!(
            serde_json::to_value(&text).unwrap()["unregister"],
            serde_json::json!(["a"])
        );
    }

    #[test]
    fn the_trace_id_is_left_out_of_the_body_only() {
        #[derive(Serialize)]
        struct V2 {
            content: String,
            #[serde(rename = "X-custom-traceid", skip_serializing_if = "for_the_body")]
            trace_id: String,
        }
        let r = V2 {
            content: "hi".into(),
            trace_id: "t-1".into(),
        };
        assert_eq!(json_body(&r).unwrap(), br#"{"content":"hi"}"#);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"content":"hi","X-custom-traceid":"t-1"}"#
        );
    }

    #[test]
    fn comma_joined_strings_keep_their_spaces_and_numbers_may_have_some() {
        #[serde_as]
        #[derive(Deserialize)]
        struct R {
            #[serde_as(as = "CommaJoined")]
            ids: Vec<String>,
            #[serde_as(as = "CommaJoined")]
            codes: Vec<i32>,
        }
        let r: R =
            serde_json::from_value(serde_json::json!({"ids": ["a\n", " b"], "codes": "0, 1"}))
                .unwrap();
        assert_eq!(r.ids, ["a\n", " b"]);
        assert_eq!(r.codes, [0, 1]);
        let r: R =
            serde_json::from_value(serde_json::json!({"ids": " x,y ", "codes": [2]})).unwrap();
        assert_eq!(r.ids, [" x", "y "]);
    }
}
