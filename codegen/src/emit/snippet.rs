//! Rust usage examples of the generated client, built from an endpoint's spec example (wire names
//! and wire values): the request expression, and a whole program for the docs and `examples/`.
//!
//! The generated API conventions followed here: module `yunxin_im::<endpoint>` holds
//! `<Stem>Request` and the enums and objects only that endpoint declares; shared ones live in
//! `yunxin_im::types`; `new` takes the required
//! fields in spec order and by-value setters named by the Rust name set the optional ones; strings
//! and JSON are `impl Into<String>`, `int` is `i32`, `long` is `i64`, lists are `Vec`, maps are
//! `BTreeMap<String, _>`; enums are `Enum::Variant`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{Endpoint, ExampleField, ExampleValue, Field, Model};

/// The generated client's crate name, as user code spells it.
pub const CRATE: &str = "yunxin_im";

/// The expression building the endpoint's request from the checked example `fields`, e.g.
/// `SendBatchMsgRequest::new("zhangsan", vec!["aaa".into()], MsgType::Text, "{}")`.
/// Type names are unqualified: import them as [`request_uses`] says.
pub fn request_expr(endpoint: &Endpoint, fields: &[ExampleField]) -> String {
    Writer::default().object(&endpoint.request_type(), fields)
}

/// The `use` items [`request_expr`] needs for the same `fields`, e.g.
/// `use yunxin_im::send_batch_msg::SendBatchMsgRequest;`. A type the endpoint declares itself
/// (its `types:`) is imported from the endpoint's module, a shared one from `types`.
pub fn request_uses(model: &Model, endpoint: &Endpoint, fields: &[ExampleField]) -> Vec<String> {
    let mut writer = Writer::default();
    writer.object(&endpoint.request_type(), fields);
    let mut own = Vec::new();
    let mut shared = Vec::new();
    for name in &writer.types {
        let scope = match model.enum_def(name) {
            Some(e) => e.scope.as_deref(),
            None => model.object(name).and_then(|o| o.scope.as_deref()),
        };
        if scope == Some(endpoint.name.as_str()) {
            own.push(name.clone());
        } else {
            shared.push(name.clone());
        }
    }
    let mut uses = vec![format!(
        "use {CRATE}::{}::{};",
        endpoint.name,
        endpoint.request_type()
    )];
    for (module, names) in [(endpoint.name.as_str(), own), ("types", shared)] {
        match names.as_slice() {
            [] => {}
            [one] => uses.push(format!("use {CRATE}::{module}::{one};")),
            many => uses.push(format!("use {CRATE}::{module}::{{{}}};", many.join(", "))),
        }
    }
    uses
}

/// A complete program that sends the endpoint's usage request (the page's example, or the
/// required fields with placeholders) and prints the reply, formatted with prettyplease. It reads
/// `YUNXIN_APP_KEY` and `YUNXIN_APP_SECRET`, honours `YUNXIN_BASE_URL` when set, and returns an
/// error (a non-zero exit) when anything fails.
pub fn usage_program(model: &Model, endpoint: &Endpoint) -> String {
    program_with(model, endpoint, "")
}

/// [`usage_program`] as an example target: every item needs the endpoint's domain feature, and
/// without it a stand-in `main` says which feature to enable, so the example builds either way.
pub fn example_program(model: &Model, endpoint: &Endpoint) -> String {
    let Some(feature) = endpoint.domain.as_deref() else {
        return usage_program(model, endpoint);
    };
    let program = program_with(model, endpoint, &format!("#[cfg(feature = {feature:?})]\n"));
    let message = format!(
        "the `{name}` example needs the `{feature}` feature of yunxin-im: cargo run -p yunxin-im --example {name} --features {feature}",
        name = endpoint.name
    );
    format!(
        "{program}\n#[cfg(not(feature = {feature:?}))]\nfn main() {{\n    eprintln!({message:?});\n    std::process::exit(2);\n}}\n"
    )
}

/// The program, each of its items preceded by `gate` (attributes, or nothing).
fn program_with(model: &Model, endpoint: &Endpoint, gate: &str) -> String {
    let expr = request_expr(endpoint, &endpoint.usage);
    // Using a deprecated endpoint or field is what the program shows, so the warning is allowed
    // on the items that do, not in the whole program.
    let allow = deprecated_use(model, endpoint)
        .map(|why| format!("#[allow(deprecated, reason = {why:?})]\n"))
        .unwrap_or_default();
    let allow = format!("{gate}{allow}");
    // `Client` is named by its path, not imported: a spec type may be called `Client` too, and
    // importing both would be a duplicate name.
    let mut src = String::new();
    for line in request_uses(model, endpoint, &endpoint.usage) {
        src.push_str(&allow);
        src.push_str(&line);
        src.push('\n');
    }
    let _ = write!(
        src,
        r#"
{allow}#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let mut builder = {CRATE}::Client::builder(std::env::var("YUNXIN_APP_KEY")?, std::env::var("YUNXIN_APP_SECRET")?);
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
    // Every piece above is a Rust literal or a checked name, so the program always parses; the
    // unit tests below prove it for the real spec.
    let file = syn::parse_file(&src).expect("usage programs are built from checked examples");
    // prettyplease drops blank lines; one between the imports and `main` reads better.
    let main = format!("\n{allow}#[tokio::main]");
    prettyplease::unparse(&file).replacen(&main, &format!("\n{main}"), 1)
}

/// Why the usage program uses something deprecated, if it does: the endpoint itself, or a
/// deprecated field its example sets (the setter is `#[deprecated]`), at any depth.
fn deprecated_use(model: &Model, endpoint: &Endpoint) -> Option<&'static str> {
    fn sets_deprecated(model: &Model, declared: &[Field], fields: &[ExampleField]) -> bool {
        fields.iter().any(|f| {
            let deprecated = declared
                .iter()
                .any(|d| d.wire == f.wire && d.deprecated.is_some());
            deprecated || value_sets_deprecated(model, &f.value)
        })
    }
    fn value_sets_deprecated(model: &Model, value: &ExampleValue) -> bool {
        match value {
            ExampleValue::Object { name, fields } => model
                .object(name)
                .is_some_and(|o| sets_deprecated(model, &o.fields, fields)),
            ExampleValue::List(items) => items.iter().any(|v| value_sets_deprecated(model, v)),
            ExampleValue::Map(entries) => {
                entries.iter().any(|(_, v)| value_sets_deprecated(model, v))
            }
            _ => false,
        }
    }
    if endpoint.deprecated.is_some() {
        Some("the example calls a deprecated endpoint, as its page shows")
    } else if sets_deprecated(model, &endpoint.fields, &endpoint.usage) {
        Some("the example sets a deprecated field, as its page shows")
    } else {
        None
    }
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

#[derive(Default)]
struct Writer {
    /// Named types from `yunxin_im::types` the expression uses.
    types: BTreeSet<String>,
}

impl Writer {
    /// `Ty::new(required..).setter(optional)..` for a request or an object.
    fn object(&mut self, ty: &str, fields: &[ExampleField]) -> String {
        let args: Vec<String> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| self.value(&f.value, Place::Arg))
            .collect();
        let mut out = format!("{ty}::new({})", args.join(", "));
        for f in fields.iter().filter(|f| !f.required) {
            let arg = self.value(&f.value, Place::Arg);
            let _ = write!(out, ".{}({arg})", crate::names::setter(&f.rust));
        }
        out
    }

    fn value(&mut self, value: &ExampleValue, place: Place) -> String {
        match value {
            ExampleValue::Str(text) => {
                let literal = format!("{text:?}");
                match place {
                    Place::Arg => literal,
                    Place::Item => format!("{literal}.into()"),
                    Place::Nested => format!("{literal}.to_string()"),
                }
            }
            // A file's bytes as a byte-string literal; `Vec<u8>` is `Into<FileContent>`.
            ExampleValue::Bytes(bytes) => {
                let escaped: String = bytes.iter().map(|b| b.escape_ascii().to_string()).collect();
                format!("b\"{escaped}\".to_vec()")
            }
            ExampleValue::Int(n) => n.to_string(),
            ExampleValue::Float(f) => format!("{f:?}"),
            ExampleValue::Bool(b) => b.to_string(),
            ExampleValue::Any(v) => format!("serde_json::json!({v})"),
            ExampleValue::Enum { name, variant } => {
                self.types.insert(name.clone());
                format!("{name}::{variant}")
            }
            ExampleValue::Object { name, fields } => {
                self.types.insert(name.clone());
                self.object(name, fields)
            }
            ExampleValue::List(items) if items.is_empty() => "Vec::new()".into(),
            ExampleValue::List(items) => {
                let inner = if place == Place::Nested {
                    Place::Nested
                } else {
                    Place::Item
                };
                let parts: Vec<String> = items.iter().map(|v| self.value(v, inner)).collect();
                format!("vec![{}]", parts.join(", "))
            }
            ExampleValue::Map(entries) if entries.is_empty() => "Default::default()".into(),
            ExampleValue::Map(entries) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("({k:?}.to_string(), {})", self.value(v, Place::Nested)))
                    .collect();
                format!("[{}].into_iter().collect()", parts.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use std::path::Path;

    /// The real spec of the clone the test runs in (read at run time: a test binary built in
    /// another clone with a shared target dir must not read that clone's spec).
    fn spec_dir() -> std::path::PathBuf {
        let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets it");
        Path::new(&crate_dir).join("../spec")
    }

    fn model() -> Model {
        let spec = spec_dir();
        crate::load_model(&spec, "spec").unwrap_or_else(|d| panic!("spec does not load:\n{d}"))
    }

    fn endpoint<'m>(model: &'m Model, name: &str) -> &'m Endpoint {
        model
            .endpoints
            .iter()
            .find(|e| e.name == name)
            .expect("endpoint in spec")
    }

    fn field(wire: &str, rust: &str, required: bool, value: ExampleValue) -> ExampleField {
        ExampleField {
            wire: wire.into(),
            rust: rust.into(),
            required,
            value,
        }
    }

    /// A usage that sets a deprecated field (of the request, or of an object in it) compiles
    /// under `-D warnings` only with `allow(deprecated)`; one that does not set one has none.
    #[test]
    fn setting_a_deprecated_field_allows_deprecated() {
        let dir = spec_dir().join("../tests/kitchen-sink/spec");
        let mut model = crate::load_model(&dir, "spec").unwrap_or_else(|d| panic!("{d}"));
        let i = model
            .endpoints
            .iter()
            .position(|e| e.name == "create_widget")
            .unwrap();
        let plain = usage_program(&model, &model.endpoints[i]);
        assert!(!plain.contains("allow(deprecated"), "{plain}");

        let base = model.endpoints[i].usage.clone();
        let legacy = field("legacy", "legacy", false, ExampleValue::Str("old".into()));
        model.endpoints[i].usage = [base.clone(), vec![legacy]].concat();
        let top = usage_program(&model, &model.endpoints[i]);
        assert!(
            top.contains("#[allow(deprecated, reason = \"the example sets a deprecated field, as its page shows\")]\n#[tokio::main]"),
            "{top}"
        );

        let options = ExampleValue::Object {
            name: "Options".into(),
            fields: vec![field(
                "old_loud",
                "old_loud",
                false,
                ExampleValue::Bool(true),
            )],
        };
        let nested = field("options", "options", false, options);
        model.endpoints[i].usage = [base, vec![nested]].concat();
        let inner = usage_program(&model, &model.endpoints[i]);
        assert!(inner.contains("#[allow(deprecated, reason"), "{inner}");
    }

    #[test]
    fn every_usage_program_parses() {
        let model = model();
        assert!(!model.endpoints.is_empty());
        for e in &model.endpoints {
            let program = usage_program(&model, e);
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
        let example = &e.example.as_ref().expect("example").fields;
        assert_eq!(
            request_expr(e, example),
            r#"SendBatchMsgRequest::new("zhangsan", vec!["aaa".into(), "bbb".into()], MsgType::Text, "{\"msg\":\"hello\"}")"#
        );
        assert_eq!(
            request_uses(&model, e, example),
            [
                "use yunxin_im::send_batch_msg::SendBatchMsgRequest;",
                "use yunxin_im::types::MsgType;"
            ]
        );
    }

    #[test]
    fn nested_objects_lists_maps_and_setters() {
        let model = model();
        let e = endpoint(&model, "chatroom_batch_send_msg_to_someone");
        let message = ExampleValue::Object {
            name: "ChatroomMessage".into(),
            fields: vec![
                field("msgId", "msg_id", true, ExampleValue::Str("m1".into())),
                field(
                    "msgType",
                    "msg_type",
                    true,
                    ExampleValue::Enum {
                        name: "MsgType".into(),
                        variant: "Custom".into(),
                    },
                ),
                field("subType", "sub_type", false, ExampleValue::Int(2)),
            ],
        };
        let fields = vec![
            field("roomid", "roomid", true, ExampleValue::Int(765788)),
            field(
                "msgList",
                "msg_list",
                true,
                ExampleValue::List(vec![message]),
            ),
            field(
                "fromAccid",
                "from_accid",
                true,
                ExampleValue::Str("a".into()),
            ),
            field(
                "toAccids",
                "to_accids",
                true,
                ExampleValue::List(vec![ExampleValue::Str("b".into())]),
            ),
            field("route", "route", false, ExampleValue::Int(0)),
            field(
                "tags",
                "tags",
                false,
                ExampleValue::Map(vec![(
                    "k".into(),
                    ExampleValue::List(vec![ExampleValue::Str("v".into())]),
                )]),
            ),
        ];
        assert_eq!(
            request_expr(e, &fields),
            r#"ChatroomBatchSendMsgToSomeoneRequest::new(765788, vec![ChatroomMessage::new("m1", MsgType::Custom).sub_type(2)], "a", vec!["b".into()]).route(0).tags([("k".to_string(), vec!["v".to_string()])].into_iter().collect())"#
        );
        let uses = request_uses(&model, e, &fields);
        assert_eq!(uses[1], "use yunxin_im::types::{ChatroomMessage, MsgType};");
    }

    /// An enum or object the endpoint declares itself lives in the endpoint's module, not in
    /// `types`.
    #[test]
    fn an_endpoint_s_own_types_are_imported_from_its_module() {
        let model = model();
        let e = endpoint(&model, "send_batch_msg");
        let mut own = e.clone();
        own.name = "own_types".into();
        own.type_stem = "OwnTypes".into();
        let mut model = model.clone();
        let scoped = model
            .enums
            .iter_mut()
            .find(|d| d.name == "MsgType")
            .expect("MsgType");
        scoped.scope = Some("own_types".into());
        let fields = vec![
            field(
                "fromAccid",
                "from_accid",
                true,
                ExampleValue::Str("a".into()),
            ),
            field(
                "type",
                "msg_type",
                true,
                ExampleValue::Enum {
                    name: "MsgType".into(),
                    variant: "Text".into(),
                },
            ),
        ];
        assert_eq!(
            request_uses(&model, &own, &fields),
            [
                "use yunxin_im::own_types::OwnTypesRequest;",
                "use yunxin_im::own_types::MsgType;"
            ]
        );
    }

    #[test]
    fn strings_are_rust_escaped() {
        let model = model();
        let e = endpoint(&model, "send_attach_msg");
        let fields = vec![
            field("from", "from", true, ExampleValue::Str("a\"b\\c".into())),
            field("to", "to", true, ExampleValue::Str("t\n".into())),
        ];
        assert_eq!(
            request_expr(e, &fields),
            r#"SendAttachMsgRequest::new("a\"b\\c", "t\n")"#
        );
    }

    /// Without a page example the checker fills the required fields with placeholders that
    /// keep to their limits, and the usage program sends those.
    #[test]
    fn without_example_required_fields_get_placeholders() {
        let spec = spec_dir();
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("spec");
        std::fs::create_dir_all(copy.join("endpoints/message")).unwrap();
        // Copied into the same domain folder, so api.yaml's domain declarations still hold.
        for name in [
            "api.yaml",
            "types.yaml",
            "endpoints/message/send_batch_msg.yaml",
        ] {
            let text = std::fs::read_to_string(spec.join(name)).unwrap();
            let text = match text.find("\nexample:") {
                Some(cut) if name.starts_with("endpoints") => text[..cut + 1].to_owned(),
                _ => text,
            };
            std::fs::write(copy.join(name), text).unwrap();
        }
        let model = crate::load_model(&copy, "spec").unwrap_or_else(|d| panic!("{d}"));
        let e = endpoint(&model, "send_batch_msg");
        assert!(e.example.is_none());
        let program = usage_program(&model, e);
        assert!(
            program.contains(
                r#"SendBatchMsgRequest::new("example", Vec::new(), MsgType::Text, "{}")"#
            ),
            "{program}"
        );
    }
}
