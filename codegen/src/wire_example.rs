//! An endpoint's example request and reply in wire form, computed from the model alone (never
//! from the generated client), so a fixture drafted from them checks the client independently:
//! where each field travels, how form and query text encode lists, objects and switches, and what
//! a decoded reply holds.

use serde_json::{Map, Value};

use crate::model::{Api, Encoding, Endpoint, Field, Lenience, Location, Model, Ty};

/// The `Content-Type` of a v1 form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=utf-8";
/// The `Content-Type` of a v2 JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";
/// The media type of a multipart body; the full `Content-Type` adds the request's boundary.
pub const MULTIPART_CONTENT_TYPE: &str = "multipart/form-data";

/// A request as it travels.
#[derive(Debug, Clone, PartialEq)]
pub struct WireRequest {
    /// The path with its parameters filled, each percent-encoded as one segment.
    pub path: String,
    /// Query parameters in declaration order, as text (decoded).
    pub query: Vec<(String, String)>,
    /// `Content-Type` and body: a form (field to text) for v1, the JSON body for v2, the parts
    /// of a multipart body (part name to text; a file part's bytes as standard base64); `None`
    /// when the request carries no body (a GET, a DELETE without body fields).
    pub body: Option<(&'static str, Value)>,
}

impl WireRequest {
    /// The query string as sent: `application/x-www-form-urlencoded` pairs.
    pub fn query_raw(&self) -> String {
        self.query
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The request `call` (wire names, wire values) of `endpoint`, as it travels.
pub fn wire_request(
    model: &Model,
    endpoint: &Endpoint,
    call: &Value,
) -> Result<WireRequest, String> {
    let Value::Object(call) = call else {
        return Err("the example is not a map of wire names to values".into());
    };
    for name in call.keys() {
        if !endpoint.fields.iter().any(|f| &f.wire == name) {
            return Err(format!("the example sets `{name}`, which is not a field"));
        }
    }
    let mut path = endpoint.path.clone();
    let mut query = Vec::new();
    let mut body = Map::new();
    for field in &endpoint.fields {
        let Some(value) = call.get(&field.wire).filter(|v| !v.is_null()) else {
            continue;
        };
        let value = match (&field.ty, value) {
            // A file's JSON view is its base64 text, bare or with a name and a media type.
            (Ty::Bytes, Value::Object(described)) => {
                described.get("base64").cloned().unwrap_or(Value::Null)
            }
            _ => plain(model, &field.ty, field.encoding, value),
        };
        match field.location {
            Location::Path => {
                let segment = segment_encode(&scalar_text(&value));
                path = path.replace(&format!("{{{}}}", field.wire), &segment);
            }
            Location::Query => query.push((field.wire.clone(), text_of(field, &value))),
            Location::Body => {
                let value = match endpoint.api {
                    Api::V1 => Value::String(text_of(field, &value)),
                    Api::V2 => value,
                };
                body.insert(field.wire.clone(), value);
            }
        }
    }
    let body = endpoint.has_body().then(|| match endpoint.api {
        Api::V1 if endpoint.multipart => (MULTIPART_CONTENT_TYPE, Value::Object(body)),
        Api::V1 => (FORM_CONTENT_TYPE, Value::Object(body)),
        Api::V2 => (JSON_CONTENT_TYPE, Value::Object(body)),
    });
    Ok(WireRequest { path, query, body })
}

/// `value` with unset (`null`) members left off and switches as `0`/`1`, recursively through
/// the model's objects: the JSON the request's value is on the wire.
fn plain(model: &Model, ty: &Ty, encoding: Encoding, value: &Value) -> Value {
    match (ty, value) {
        (Ty::Bool, Value::Bool(b)) if encoding == Encoding::ZeroOne => Value::from(u8::from(*b)),
        (Ty::List(item), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|v| plain(model, item, Encoding::Plain, v))
                .collect(),
        ),
        (Ty::Map(inner), Value::Object(map)) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), plain(model, inner, Encoding::Plain, v)))
                .collect(),
        ),
        (Ty::Object(name), Value::Object(map)) => {
            let fields = model
                .object(name)
                .map(|o| o.fields.as_slice())
                .unwrap_or(&[]);
            Value::Object(
                map.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| {
                        let value = match fields.iter().find(|f| &f.wire == k) {
                            Some(f) => plain(model, &f.ty, f.encoding, v),
                            None => v.clone(),
                        };
                        (k.clone(), value)
                    })
                    .collect(),
            )
        }
        _ => value.clone(),
    }
}

/// A field's value as one form field or query parameter.
fn text_of(field: &Field, value: &Value) -> String {
    match (field.encoding, value) {
        (Encoding::CommaJoined, Value::Array(items)) => {
            items.iter().map(scalar_text).collect::<Vec<_>>().join(",")
        }
        (Encoding::JsonText, v) => v.to_string(),
        (_, v) => scalar_text(v),
    }
}

/// Strings as they are; numbers and booleans as JSON spells them; anything else as JSON text.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// RFC 3986 percent-encoding of one path segment: all but the unreserved characters.
pub fn segment_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `application/x-www-form-urlencoded` text: spaces as `+`, all but `*-._` and alphanumerics
/// percent-encoded.
pub fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || b"*-._".contains(&b) => out.push(b as char),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What the client returns for the success reply `body` of `endpoint`, in wire names: the
/// payload (v1: the body without `code`/`desc`; v2: its `data`) read as the spec's reply fields
/// describe, keeping only those fields, values leniently read (numbers from strings, lists from
/// JSON text, objects from bare strings) and written plainly. `Err` names a value the spec
/// cannot read, so a drafted fixture never expects what the client would drop.
pub fn decoded_reply(model: &Model, endpoint: &Endpoint, body: &str) -> Result<Value, String> {
    let body: Value =
        serde_json::from_str(body).map_err(|e| format!("the reply example is not JSON: {e}"))?;
    let Value::Object(mut envelope) = body else {
        return Err("the reply example is not a JSON object".into());
    };
    let code = envelope.get("code").and_then(Value::as_i64);
    if code != Some(200) {
        return Err(format!(
            "the reply example's code is {}, not 200",
            envelope.get("code").unwrap_or(&Value::Null)
        ));
    }
    let payload = match endpoint.api {
        Api::V1 => {
            envelope.remove("code");
            envelope.remove("desc");
            Value::Object(envelope)
        }
        Api::V2 => envelope.remove("data").unwrap_or(Value::Null),
    };
    match payload {
        Value::Null => Ok(Value::Object(Map::new())),
        Value::Object(map) => {
            let read = Reader { model };
            read.object(&endpoint.reply.fields, Lenience::default(), &map, "")
        }
        other => Err(format!("the reply's payload is not an object: {other}")),
    }
}

struct Reader<'a> {
    model: &'a Model,
}

impl Reader<'_> {
    fn object(
        &self,
        fields: &[Field],
        outer: Lenience,
        map: &Map<String, Value>,
        at: &str,
    ) -> Result<Value, String> {
        let mut out = Map::new();
        for field in fields {
            let Some(value) = map.get(&field.wire) else {
                continue;
            };
            let path = join(at, &field.wire);
            let lenience = outer.union(field.lenience);
            let empty_text = matches!(value, Value::String(s) if matches!(s.trim(), "" | "null"));
            if value.is_null()
                || (lenience.json_text && field.ty.is_composite() && !field.required && empty_text)
            {
                continue;
            }
            let read = if field.encoding == Encoding::ZeroOne {
                zero_one(value).ok_or_else(|| format!("{path}: not 0 or 1: {value}"))?
            } else {
                self.value(&field.ty, lenience, value, &path)?
            };
            out.insert(field.wire.clone(), read);
        }
        Ok(Value::Object(out))
    }

    fn value(&self, ty: &Ty, lenience: Lenience, value: &Value, at: &str) -> Result<Value, String> {
        let parsed;
        let value = match value {
            Value::String(text) if lenience.json_text && ty.is_composite() => {
                parsed = serde_json::from_str::<Value>(text)
                    .map_err(|e| format!("{at}: a string that is not JSON text ({e})"))?;
                &parsed
            }
            v => v,
        };
        let wrong = || format!("{at}: {value} is not a {}", ty.spec_name());
        Ok(match (ty, value) {
            (Ty::String | Ty::Json, Value::String(_)) => value.clone(),
            (Ty::Any, v) => v.clone(),
            (Ty::Bool, Value::Bool(_)) => value.clone(),
            (Ty::Float, Value::Number(_)) => value.clone(),
            (Ty::Int | Ty::Long | Ty::Enum(_), Value::Number(n)) if n.is_i64() => value.clone(),
            (Ty::Int | Ty::Long | Ty::Enum(_), Value::String(s)) if lenience.number_as_string => {
                Value::from(s.trim().parse::<i64>().map_err(|_| wrong())?)
            }
            (Ty::List(item), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value(item, lenience, v, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            (Ty::Map(inner), Value::Object(map)) => Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.value(inner, lenience, v, &join(at, k))?)))
                    .collect::<Result<_, String>>()?,
            ),
            (Ty::Object(name), v) => {
                let def = self.model.object(name).ok_or_else(wrong)?;
                match (v, &def.from_scalar) {
                    (Value::Object(map), _) => {
                        self.object(&def.fields, lenience.union(def.lenience), map, at)?
                    }
                    (Value::String(s), Some(field)) => {
                        Value::Object(Map::from_iter([(field.clone(), Value::String(s.clone()))]))
                    }
                    _ => return Err(wrong()),
                }
            }
            _ => return Err(wrong()),
        })
    }
}

/// A reply switch: `0`/`1` as a number or as text, written back as the number.
fn zero_one(value: &Value) -> Option<Value> {
    let n = match value {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    matches!(n, 0 | 1).then(|| Value::from(n))
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodings_follow_their_rfcs() {
        assert_eq!(segment_encode("a|1|b c/d"), "a%7C1%7Cb%20c%2Fd");
        assert_eq!(form_encode("a|1,b c*~"), "a%7C1%2Cb+c*%7E");
    }

    fn kitchen_sink() -> Model {
        let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets it");
        let dir = std::path::Path::new(&crate_dir).join("../tests/kitchen-sink/spec");
        crate::load_model(&dir, "spec").unwrap_or_else(|d| panic!("{d}"))
    }

    /// A value of `ty` that shows its encoding: two items for lists, text that needs escaping.
    fn sample(model: &Model, ty: &Ty) -> Value {
        match ty {
            Ty::Int | Ty::Long => json!(7),
            Ty::Enum(name) => json!(model.enum_def(name).unwrap().values[0].value),
            Ty::Bool => json!(true),
            Ty::Float => json!(0.5),
            Ty::List(item) => json!([sample(model, item), sample(model, item)]),
            Ty::Map(_) | Ty::Object(_) | Ty::Any => json!({}),
            Ty::Bytes => json!("aGk="),
            Ty::String | Ty::Json => json!("a|b c"),
        }
    }

    /// Every request field of the kitchen sink (which uses every construct), set alone, travels
    /// where its `in` says, in the text its encoding says.
    #[test]
    fn each_field_travels_where_and_as_the_model_says() {
        let model = kitchen_sink();
        let mut seen = std::collections::BTreeSet::new();
        for endpoint in &model.endpoints {
            for field in &endpoint.fields {
                let value = sample(&model, &field.ty);
                let call = json!({ field.wire.clone(): value.clone() });
                let wire = wire_request(&model, endpoint, &call).unwrap();
                let at = format!("{}.{}", endpoint.name, field.wire);
                let text = match field.encoding {
                    Encoding::ZeroOne => "1".to_owned(),
                    Encoding::CommaJoined => {
                        let items = value.as_array().unwrap();
                        items.iter().map(scalar_text).collect::<Vec<_>>().join(",")
                    }
                    Encoding::JsonText => value.to_string(),
                    Encoding::Plain => scalar_text(&value),
                };
                seen.insert(format!("{:?}/{:?}", field.location, field.encoding));
                let body = wire.body.as_ref().map(|(_, b)| b.get(&field.wire));
                match field.location {
                    Location::Path => {
                        assert!(wire.path.contains(&segment_encode(&text)), "{at}: {wire:?}");
                        assert!(wire.query.is_empty() && body.flatten().is_none(), "{at}");
                    }
                    Location::Query => {
                        assert_eq!(wire.query, [(field.wire.clone(), text)], "{at}");
                        assert!(body.flatten().is_none(), "{at}");
                    }
                    Location::Body => {
                        let want = match (endpoint.api, field.encoding) {
                            (Api::V1, _) => Value::String(text),
                            (Api::V2, Encoding::ZeroOne) => json!(1),
                            (Api::V2, _) => value,
                        };
                        assert_eq!(body.flatten(), Some(&want), "{at}");
                        assert!(wire.query.is_empty(), "{at}");
                    }
                }
            }
        }
        for construct in [
            "Path/Plain",
            "Query/CommaJoined",
            "Body/JsonText",
            "Body/ZeroOne",
        ] {
            assert!(
                seen.contains(construct),
                "the kitchen sink lost {construct}: {seen:?}"
            );
        }
    }

    #[test]
    fn a_false_switch_is_zero_and_a_field_the_model_lacks_is_refused() {
        let model = kitchen_sink();
        let (endpoint, field) = model
            .endpoints
            .iter()
            .flat_map(|e| e.fields.iter().map(move |f| (e, f)))
            .find(|(_, f)| f.encoding == Encoding::ZeroOne)
            .expect("a switch in the kitchen sink");
        let wire = wire_request(&model, endpoint, &json!({ field.wire.clone(): false })).unwrap();
        let mut sent: Vec<Value> = wire.query.iter().map(|(_, v)| json!(v)).collect();
        sent.extend(wire.body.and_then(|(_, b)| b.get(&field.wire).cloned()));
        assert!(sent == [json!("0")] || sent == [json!(0)], "{sent:?}");
        let err = wire_request(&model, endpoint, &json!({ "no_such_field": 1 })).unwrap_err();
        assert!(err.contains("`no_such_field`"), "{err}");
    }
}
