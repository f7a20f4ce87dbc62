//! Lenient, path-aware decoding of replies, driven by flags that the spec sets per reply field.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// Which deviations from a field's documented type a decoder accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lenience {
    /// A list, map or object may arrive as a string holding its JSON text.
    pub json_text: bool,
    /// A number may arrive as a string holding its decimal digits.
    pub number_as_string: bool,
}

impl Lenience {
    /// Accept only the documented shape.
    pub const STRICT: Lenience = Lenience {
        json_text: false,
        number_as_string: false,
    };

    /// The flags of both: leniency of an outer field also applies inside it.
    pub const fn union(self, other: Lenience) -> Lenience {
        Lenience {
            json_text: self.json_text || other.json_text,
            number_as_string: self.number_as_string || other.number_as_string,
        }
    }
}

/// A reply value did not have the shape the spec describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Where in the reply, e.g. `success[0].abc.time`.
    pub path: String,
    /// What the spec says should be there.
    pub expected: String,
    /// A short rendering of what was there.
    pub found: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at `{}`: expected {}, found {}",
            self.path, self.expected, self.found
        )
    }
}

impl std::error::Error for DecodeError {}

/// Types that can be read from a reply's JSON value.
pub trait Decode: Sized {
    /// Reads `value`, found at `path`, accepting what `lenience` allows.
    fn decode(value: &Value, lenience: &Lenience, path: &str) -> Result<Self, DecodeError>;
}

/// Builds the error for `value` at `path`, with a bounded rendering of what was found.
pub fn mismatch(path: &str, expected: impl Into<String>, value: &Value) -> DecodeError {
    let mut found = value.to_string();
    if found.chars().count() > 80 {
        found = found.chars().take(77).collect::<String>() + "...";
    }
    DecodeError {
        path: path.to_owned(),
        expected: expected.into(),
        found,
    }
}

/// Joins a parent path and a key.
pub fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins a parent path and a list index.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// The value itself, or, where allowed, the JSON parsed from a string holding it.
pub fn unwrap_json_text<'v>(value: &'v Value, lenience: &Lenience) -> Cow<'v, Value> {
    if lenience.json_text {
        if let Value::String(text) = value {
            if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                if parsed.is_array() || parsed.is_object() {
                    return Cow::Owned(parsed);
                }
            }
        }
    }
    Cow::Borrowed(value)
}

/// The object at `path`, unwrapping JSON text where allowed.
pub fn object<'v>(
    value: &'v Value,
    lenience: &Lenience,
    path: &str,
    expected: &str,
) -> Result<Cow<'v, Map<String, Value>>, DecodeError> {
    match unwrap_json_text(value, lenience) {
        Cow::Borrowed(Value::Object(map)) => Ok(Cow::Borrowed(map)),
        Cow::Owned(Value::Object(map)) => Ok(Cow::Owned(map)),
        _ => Err(mismatch(path, expected, value)),
    }
}

/// An optional field: absent or `null` is `None`.
pub fn optional<T: Decode>(
    map: &Map<String, Value>,
    key: &str,
    lenience: &Lenience,
    path: &str,
) -> Result<Option<T>, DecodeError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::decode(value, lenience, &child(path, key)).map(Some),
    }
}

/// A field the spec says is always present.
pub fn required<T: Decode>(
    map: &Map<String, Value>,
    key: &str,
    lenience: &Lenience,
    path: &str,
) -> Result<T, DecodeError> {
    match map.get(key) {
        None | Some(Value::Null) => Err(DecodeError {
            path: child(path, key),
            expected: "a value (the spec says this field is always present)".into(),
            found: "nothing".into(),
        }),
        Some(value) => T::decode(value, lenience, &child(path, key)),
    }
}

impl Decode for String {
    fn decode(value: &Value, _: &Lenience, path: &str) -> Result<Self, DecodeError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(mismatch(path, "a string", value)),
        }
    }
}

impl Decode for bool {
    fn decode(value: &Value, lenience: &Lenience, path: &str) -> Result<Self, DecodeError> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if lenience.number_as_string && (s == "true" || s == "false") => {
                Ok(s == "true")
            }
            _ => Err(mismatch(path, "a boolean", value)),
        }
    }
}

fn integer(
    value: &Value,
    lenience: &Lenience,
    path: &str,
    expected: &str,
) -> Result<i64, DecodeError> {
    match value {
        Value::Number(n) => n.as_i64().ok_or_else(|| mismatch(path, expected, value)),
        Value::String(s) if lenience.number_as_string => s
            .trim()
            .parse::<i64>()
            .map_err(|_| mismatch(path, expected, value)),
        _ => Err(mismatch(path, expected, value)),
    }
}

impl Decode for i64 {
    fn decode(value: &Value, lenience: &Lenience, path: &str) -> Result<Self, DecodeError> {
        integer(value, lenience, path, "a 64-bit integer")
    }
}

impl Decode for i32 {
    fn decode(value: &Value, lenience: &Lenience, path: &str) -> Result<Self, DecodeError> {
        let wide = integer(value, lenience, path, "a 32-bit integer")?;
        i32::try_from(wide).map_err(|_| mismatch(path, "a 32-bit integer", value))
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: &Value, lenience: &Lenience, path: &str) -> Result<Self, DecodeError> {
        match unwrap_json_text(value, lenience).as_ref() {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::decode(item, lenience, &index(path, i)))
                .collect(),
            _ => Err(mismatch(path, "a list", value)),
        }
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: &Value, lenience: &Lenience, path: &str) -> Result<Self, DecodeError> {
        let map = object(value, lenience, path, "an object")?;
        map.iter()
            .map(|(key, item)| Ok((key.clone(), T::decode(item, lenience, &child(path, key))?)))
            .collect()
    }
}

/// Rejects keys of `map` that are not in `known`: a call written in wire terms must not
/// carry a misspelt field that would silently be dropped.
pub fn deny_unknown(
    map: &Map<String, Value>,
    known: &[&str],
    path: &str,
) -> Result<(), DecodeError> {
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(DecodeError {
            path: child(path, key),
            expected: format!("one of the fields {known:?}"),
            found: format!("unknown field `{key}`"),
        }),
        None => Ok(()),
    }
}
