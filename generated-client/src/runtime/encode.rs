//! Encoding primitives for generated request types: JSON values and form scalars.

use std::collections::BTreeMap;

use serde_json::Value;

/// Types that become a JSON value in a v2 body or in a JSON-text form field.
pub trait ToJson {
    /// The JSON value sent on the wire.
    fn to_json(&self) -> Value;
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for i32 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

/// Scalars as a form field's text.
pub trait FormScalar {
    /// The text of the form field.
    fn form_value(&self) -> String;
}

impl FormScalar for String {
    fn form_value(&self) -> String {
        self.clone()
    }
}

impl FormScalar for i32 {
    fn form_value(&self) -> String {
        self.to_string()
    }
}

impl FormScalar for i64 {
    fn form_value(&self) -> String {
        self.to_string()
    }
}

impl FormScalar for bool {
    fn form_value(&self) -> String {
        self.to_string()
    }
}

/// A list, map or object as JSON text inside one form field.
pub fn json_text<T: ToJson>(value: &T) -> String {
    value.to_json().to_string()
}
