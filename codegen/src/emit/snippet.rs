//! Rust usage examples of the generated client, built from an endpoint's spec example (wire names
//! and wire values): the request expression, and a whole program for the docs and `examples/`.
//!
//! The generated API conventions followed here: module `yunxin_im::<endpoint>` holds
//! `<Stem>Request`; shared enums and objects live in `yunxin_im::types`; `new` takes the required
//! fields in spec order and by-value setters named by the Rust name set the optional ones; strings
//! and JSON are `impl Into<String>`, `int` is `i32`, `long` is `i64`, lists are `Vec`, maps are
//! `BTreeMap<String, _>`; enums are `Enum::Variant`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::model::{Endpoint, Field, Model, Ty};

/// The generated client's crate name, as user code spells it.
pub const CRATE: &str = "yunxin_im";

/// The expression building the endpoint's request from `example`, e.g.
/// `SendBatchMsgRequest::new("zhangsan", vec!["aaa".into()], MsgType::Text, "{}")`.
/// Type names are unqualified: import them as [`request_uses`] says.
pub fn request_expr(model: &Model, endpoint: &Endpoint, example: &Value) -> Result<String, String> {
    let mut writer = Writer {
        model,
        types: BTreeSet::new(),
    };
    writer.object(
        &endpoint.request_type(),
        &endpoint.fields,
        example,
        &endpoint.name,
    )
}

/// The `use` items [`request_expr`] needs for the same `example`, e.g.
/// `use yunxin_im::send_batch_msg::SendBatchMsgRequest;`.
pub fn request_uses(
    model: &Model,
    endpoint: &Endpoint,
    example: &Value,
) -> Result<Vec<String>, String> {
    let mut writer = Writer {
        model,
        types: BTreeSet::new(),
    };
    writer.object(
        &endpoint.request_type(),
        &endpoint.fields,
        example,
        &endpoint.name,
    )?;
    let mut uses = vec![format!(
        "use {CRATE}::{}::{};",
        endpoint.name,
        endpoint.request_type()
    )];
    let types: Vec<&str> = writer.types.iter().map(String::as_str).collect();
    match types.as_slice() {
        [] => {}
        [one] => uses.push(format!("use {CRATE}::types::{one};")),
        many => uses.push(format!("use {CRATE}::types::{{{}}};", many.join(", "))),
    }
    Ok(uses)
}

/// A complete program that sends the endpoint's example request and prints the reply, formatted
/// with prettyplease. It reads `YUNXIN_APP_KEY` and `YUNXIN_APP_SECRET`, honours `YUNXIN_BASE_URL`
/// when set, and returns an error (a non-zero exit) when anything fails. Without a spec example,
/// the required fields get placeholder values.
pub fn usage_program(model: &Model, endpoint: &Endpoint) -> Result<String, String> {
    let example = match &endpoint.example {
        Some(example) => example.clone(),
        None => placeholder_object(model, &endpoint.fields),
    };
    let expr = request_expr(model, endpoint, &example)?;
    let mut src = format!("use {CRATE}::Client;\n");
    for line in request_uses(model, endpoint, &example)? {
        src.push_str(&line);
        src.push('\n');
    }
    let _ = write!(
        src,
        r#"
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let mut builder = Client::builder(std::env::var("YUNXIN_APP_KEY")?, std::env::var("YUNXIN_APP_SECRET")?);
    if let Ok(url) = std::env::var("YUNXIN_BASE_URL") {{
        builder = builder.base_url(url);
    }}
    let client = builder.build()?;
    let request = {expr};
    let reply = client.{name}(&request).await?;
    println!("{{reply:?}}");
    Ok(())
}}
"#,
        name = endpoint.name
    );
    let file = syn::parse_file(&src).map_err(|e| {
        format!(
            "the usage program of `{}` does not parse: {e}\n{src}",
            endpoint.name
        )
    })?;
    // prettyplease drops blank lines; one between the imports and `main` reads better.
    Ok(prettyplease::unparse(&file).replacen("\n#[tokio::main]", "\n\n#[tokio::main]", 1))
}

/// Where a value goes, which decides how a string literal becomes a `String`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// An argument of `new` or a setter: `impl Into<String>` takes the literal.
    Arg,
    /// An item of a `vec!` whose type the argument fixes: `"a".into()`.
    Item,
    /// Inside a map, where inference is weaker: `"a".to_string()`.
    Nested,
}

struct Writer<'m> {
    model: &'m Model,
    /// Named types from `yunxin_im::types` the expression uses.
    types: BTreeSet<String>,
}

impl Writer<'_> {
    /// `Ty::new(required..).setter(optional)..` for a request or an object; `at` names it in errors.
    fn object(
        &mut self,
        ty: &str,
        fields: &[Field],
        value: &Value,
        at: &str,
    ) -> Result<String, String> {
        let map = value
            .as_object()
            .ok_or_else(|| format!("{at}: expected an object, found {value}"))?;
        if let Some(key) = map.keys().find(|k| !fields.iter().any(|f| &f.wire == *k)) {
            let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
            return Err(format!(
                "{at}: `{key}` is not a field; fields: {}",
                known.join(", ")
            ));
        }
        let set = |f: &Field| map.get(&f.wire).filter(|v| !v.is_null());
        let mut args = Vec::new();
        for f in fields.iter().filter(|f| f.required) {
            let v = set(f).ok_or_else(|| {
                format!("{at}: the example lacks the required field `{}`", f.wire)
            })?;
            args.push(self.value(&f.ty, v, Place::Arg, &format!("{at}.{}", f.wire))?);
        }
        let mut out = format!("{ty}::new({})", args.join(", "));
        for f in fields.iter().filter(|f| !f.required) {
            if let Some(v) = set(f) {
                let arg = self.value(&f.ty, v, Place::Arg, &format!("{at}.{}", f.wire))?;
                let _ = write!(out, ".{}({arg})", f.rust);
            }
        }
        Ok(out)
    }

    fn value(&mut self, ty: &Ty, value: &Value, place: Place, at: &str) -> Result<String, String> {
        match ty {
            Ty::String | Ty::Json => {
                let text = match (ty, value) {
                    (_, Value::String(s)) => s.clone(),
                    // A JSON field given as a JSON value travels as its text.
                    (Ty::Json, other) => other.to_string(),
                    _ => return Err(format!("{at}: expected a string, found {value}")),
                };
                let literal = format!("{text:?}");
                Ok(match place {
                    Place::Arg => literal,
                    Place::Item => format!("{literal}.into()"),
                    Place::Nested => format!("{literal}.to_string()"),
                })
            }
            Ty::Int => {
                let n = value
                    .as_i64()
                    .ok_or_else(|| format!("{at}: expected an integer, found {value}"))?;
                i32::try_from(n).map_err(|_| format!("{at}: {n} does not fit an int (i32)"))?;
                Ok(n.to_string())
            }
            Ty::Long => {
                let n = value
                    .as_i64()
                    .ok_or_else(|| format!("{at}: expected an integer, found {value}"))?;
                Ok(n.to_string())
            }
            Ty::Bool => value
                .as_bool()
                .map(|b| b.to_string())
                .ok_or_else(|| format!("{at}: expected true or false, found {value}")),
            Ty::Enum(name) => self.enum_value(name, value, at),
            Ty::Object(name) => {
                let def = self
                    .model
                    .object(name)
                    .ok_or_else(|| format!("{at}: unknown object `{name}`"))?;
                self.types.insert(name.clone());
                self.object(name, &def.fields, value, at)
            }
            Ty::List(item) => {
                let items = value
                    .as_array()
                    .ok_or_else(|| format!("{at}: expected a list, found {value}"))?;
                if items.is_empty() {
                    return Ok("Vec::new()".into());
                }
                let inner = if place == Place::Nested {
                    Place::Nested
                } else {
                    Place::Item
                };
                let parts = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value(item, v, inner, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(format!("vec![{}]", parts.join(", ")))
            }
            Ty::Map(item) => {
                let entries = value
                    .as_object()
                    .ok_or_else(|| format!("{at}: expected an object, found {value}"))?;
                if entries.is_empty() {
                    return Ok("Default::default()".into());
                }
                let parts = entries
                    .iter()
                    .map(|(k, v)| {
                        Ok(format!(
                            "({k:?}.to_string(), {})",
                            self.value(item, v, Place::Nested, &format!("{at}.{k}"))?
                        ))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok(format!("[{}].into_iter().collect()", parts.join(", ")))
            }
        }
    }

    /// `Enum::Variant` for a wire value (the integer) or, leniently, a value name.
    fn enum_value(&mut self, name: &str, value: &Value, at: &str) -> Result<String, String> {
        let def = self
            .model
            .enum_def(name)
            .ok_or_else(|| format!("{at}: unknown enum `{name}`"))?;
        let found = def.values.iter().find(|v| match value {
            Value::Number(n) => n.as_i64() == Some(v.value),
            Value::String(s) => *s == v.name,
            _ => false,
        });
        let v = found.ok_or_else(|| {
            let known: Vec<String> = def
                .values
                .iter()
                .map(|v| format!("{} = {}", v.name, v.value))
                .collect();
            format!(
                "{at}: {value} is not a value of `{name}` ({})",
                known.join(", ")
            )
        })?;
        self.types.insert(name.to_owned());
        Ok(format!("{name}::{}", v.variant))
    }
}

/// An example holding only the required fields, with placeholder values.
fn placeholder_object(model: &Model, fields: &[Field]) -> Value {
    let mut map = Map::new();
    for f in fields.iter().filter(|f| f.required) {
        map.insert(f.wire.clone(), placeholder(model, f, &f.ty));
    }
    Value::Object(map)
}

fn placeholder(model: &Model, field: &Field, ty: &Ty) -> Value {
    match ty {
        Ty::String => Value::String("example".into()),
        Ty::Json => Value::String("{}".into()),
        Ty::Int | Ty::Long => {
            let allowed = field.limits.allowed.iter().find_map(|l| match l {
                crate::model::Literal::Int(n) => Some(*n),
                _ => None,
            });
            Value::from(allowed.or(field.limits.min).unwrap_or(0))
        }
        Ty::Bool => Value::Bool(false),
        Ty::Enum(name) => model
            .enum_def(name)
            .and_then(|e| e.values.first())
            .map(|v| Value::from(v.value))
            .unwrap_or(Value::Null),
        Ty::Object(name) => model
            .object(name)
            .map(|o| placeholder_object(model, &o.fields))
            .unwrap_or(Value::Null),
        Ty::List(item) if field.limits.min_items.unwrap_or(0) > 0 => {
            Value::Array(vec![placeholder(model, field, item)])
        }
        Ty::List(_) => Value::Array(Vec::new()),
        Ty::Map(_) => Value::Object(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn model() -> Model {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        crate::load_model(&spec, "spec").unwrap_or_else(|d| panic!("spec does not load:\n{d}"))
    }

    fn endpoint<'m>(model: &'m Model, name: &str) -> &'m Endpoint {
        model
            .endpoints
            .iter()
            .find(|e| e.name == name)
            .expect("endpoint in spec")
    }

    #[test]
    fn every_usage_program_parses() {
        let model = model();
        assert!(!model.endpoints.is_empty());
        for e in &model.endpoints {
            let program =
                usage_program(&model, e).unwrap_or_else(|err| panic!("{}: {err}", e.name));
            let file = syn::parse_file(&program)
                .unwrap_or_else(|err| panic!("{}: {err}\n{program}", e.name));
            assert!(
                file.items
                    .iter()
                    .any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "main")),
                "{}",
                e.name
            );
            assert!(
                program.contains(&format!("client.{}(&request).await?", e.name)),
                "{program}"
            );
            assert!(program.contains("YUNXIN_BASE_URL"), "{program}");
            assert!(
                program.contains(&format!("use yunxin_im::{}::{};", e.name, e.request_type())),
                "{program}"
            );
        }
    }

    #[test]
    fn send_batch_msg_request_matches_the_conventions() {
        let model = model();
        let e = endpoint(&model, "send_batch_msg");
        let example = e.example.clone().expect("example");
        assert_eq!(
            request_expr(&model, e, &example).unwrap(),
            r#"SendBatchMsgRequest::new("zhangsan", vec!["aaa".into(), "bbb".into()], MsgType::Text, "{\"msg\":\"hello\"}")"#
        );
        assert_eq!(
            request_uses(&model, e, &example).unwrap(),
            [
                "use yunxin_im::send_batch_msg::SendBatchMsgRequest;",
                "use yunxin_im::types::MsgType;"
            ]
        );
    }

    #[test]
    fn nested_objects_lists_and_setters() {
        let model = model();
        let e = endpoint(&model, "chatroom_batch_send_msg_to_someone");
        let example = serde_json::json!({
            "roomid": 765788,
            "msgList": [{"msgId": "m1", "msgType": 100, "subType": 2}],
            "fromAccid": "a",
            "toAccids": ["b"],
            "route": 0,
            "antispam": null
        });
        assert_eq!(
            request_expr(&model, e, &example).unwrap(),
            r#"ChatroomBatchSendMsgToSomeoneRequest::new(765788, vec![ChatroomMessage::new("m1", MsgType::Custom).sub_type(2)], "a", vec!["b".into()]).route(0)"#
        );
        let uses = request_uses(&model, e, &example).unwrap();
        assert_eq!(uses[1], "use yunxin_im::types::{ChatroomMessage, MsgType};");
    }

    #[test]
    fn strings_are_rust_escaped() {
        let model = model();
        let e = endpoint(&model, "send_attach_msg");
        let example = serde_json::json!({"from": "a\"b\\c", "msgtype": 1, "to": "t\n", "attach": "x", "payload": {"k": [1]}});
        assert_eq!(
            request_expr(&model, e, &example).unwrap(),
            r#"SendAttachMsgRequest::new("a\"b\\c", AttachMsgType::Team, "t\n", "x").payload("{\"k\":[1]}")"#
        );
    }

    #[test]
    fn bad_examples_are_refused() {
        let model = model();
        let e = endpoint(&model, "send_batch_msg");
        let base = e.example.clone().unwrap();
        let with = |key: &str, v: Value| {
            let mut x = base.clone();
            x[key] = v;
            x
        };
        let err = request_expr(&model, e, &with("nope", Value::Bool(true))).unwrap_err();
        assert!(err.contains("`nope` is not a field"), "{err}");
        let err = request_expr(&model, e, &with("type", Value::from(7))).unwrap_err();
        assert!(err.contains("7 is not a value of `MsgType`"), "{err}");
        let err = request_expr(&model, e, &with("fromAccid", Value::Null)).unwrap_err();
        assert!(
            err.contains("lacks the required field `fromAccid`"),
            "{err}"
        );
        let err = request_expr(&model, e, &with("toAccids", Value::from("aaa"))).unwrap_err();
        assert!(err.contains("expected a list"), "{err}");
        let e = endpoint(&model, "chatroom_batch_send_msg_to_someone");
        let mut x = e.example.clone().unwrap();
        x["msgList"][0]["subType"] = Value::from(1_i64 << 40);
        let err = request_expr(&model, e, &x).unwrap_err();
        assert!(err.contains("does not fit an int"), "{err}");
    }

    #[test]
    fn without_example_required_fields_get_placeholders() {
        let model = model();
        let mut e = endpoint(&model, "send_batch_msg").clone();
        e.example = None;
        let program = usage_program(&model, &e).unwrap();
        assert!(
            program.contains(
                r#"SendBatchMsgRequest::new("example", Vec::new(), MsgType::Text, "{}")"#
            ),
            "{program}"
        );
    }
}
