//! Lints the generated code must satisfy whatever the spec holds, decided in the emitter; each
//! case edits the model of the kitchen-sink spec into the shape that needs the decision. The
//! spec fuzzer (`spec_fuzz`) runs clippy on such specs; these pin each decision without a build.

use codegen::emit::generate_all;

fn kitchen_sink() -> codegen::model::Model {
    let dir = xtask::workspace_root().join("tests/kitchen-sink/spec");
    codegen::load_model(&dir, "spec").unwrap_or_else(|e| panic!("{e:?}"))
}

fn module_of(model: &codegen::model::Model, endpoint: &str) -> String {
    let path = format!("generated-client/src/generated/{endpoint}.rs");
    generate_all(model)
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// A request without required fields is built by `new()`; clippy's `new_without_default` then
/// wants `Default`, which must be `new()` (a v2 request needs its fresh trace id).
#[test]
fn a_request_without_required_fields_is_default_through_new() {
    let mut model = kitchen_sink();
    for e in model.endpoints.iter_mut() {
        for f in e.fields.iter_mut() {
            f.required = false;
        }
    }
    let e = model
        .endpoints
        .iter()
        .find(|e| e.api == codegen::model::Api::V2)
        .unwrap();
    let (name, stem) = (e.name.clone(), e.type_stem.clone());
    let module = module_of(&model, &name);
    let default = format!("impl Default for {stem}Request {{\n    fn default() -> Self {{\n        Self::new()\n    }}\n}}");
    assert!(module.contains(&default), "{module}");

    // With a required field there is no argument-free `new()`, so no Default either.
    let model = kitchen_sink();
    let required = model
        .endpoints
        .iter()
        .find(|e| e.fields.iter().any(|f| f.required))
        .unwrap();
    let module = module_of(&model, &required.name);
    let stem = &required.type_stem;
    assert!(
        !module.contains(&format!("impl Default for {stem}Request")),
        "{module}"
    );
}

/// Reply fields are never required, so a field of a reply-only object is optional in Rust even
/// where the spec marks it `required` (an object declared once and, as it happens, only read):
/// otherwise the reply's derived `Default` needs a `Default` of every such field's type.
#[test]
fn reply_only_objects_have_only_optional_fields() {
    let mut model = kitchen_sink();
    let object = model
        .objects
        .iter_mut()
        .find(|o| !o.in_request && o.fields.iter().any(|f| f.ty.is_string()))
        .expect("the kitchen sink has a reply-only object with a string field");
    let field = object.fields.iter_mut().find(|f| f.ty.is_string()).unwrap();
    field.required = true;
    let rust = field.rust.clone();
    let files = generate_all(&model);
    let declared = files
        .iter()
        .any(|f| f.contents.contains(&format!("pub {rust}: Option<String>,")));
    let plain = files
        .iter()
        .any(|f| f.contents.contains(&format!("pub {rust}: String,")));
    assert!(declared && !plain, "`{rust}` is not optional");
}

/// A rule on `object.field` reads the field through the object's getter, #[deprecated] when the
/// field is: validation that reads nested fields allows `deprecated` on itself, and only it.
#[test]
fn validation_reading_nested_fields_allows_deprecated_getters() {
    let model = kitchen_sink();
    let nested = |e: &codegen::model::Endpoint| {
        e.rules.iter().any(|r| {
            r.then.steps.len() > 1 || r.when.as_ref().is_some_and(|c| c.field.steps.len() > 1)
        })
    };
    let allowed = "#[allow(deprecated)]\n    fn validate_into(";
    let with = model
        .endpoints
        .iter()
        .find(|e| nested(e))
        .expect("a nested rule");
    assert!(
        module_of(&model, &with.name).contains(allowed),
        "{}",
        with.name
    );
    let without = model
        .endpoints
        .iter()
        .find(|e| !nested(e) && !e.rules.is_empty())
        .expect("an endpoint with only top-level rules");
    assert!(
        !module_of(&model, &without.name).contains(allowed),
        "{}",
        without.name
    );
}

/// A condition that only tests whether a nested enum field is set names no enum value, so the
/// module must not import the enum (unused_imports); one that compares values does.
#[test]
fn an_is_set_condition_on_an_enum_imports_nothing() {
    use codegen::model::{Test, Ty};
    let mut model = kitchen_sink();
    let (i, r) = model
        .endpoints
        .iter()
        .enumerate()
        .find_map(|(i, e)| {
            e.rules.iter().position(|r| {
                r.when.as_ref().is_some_and(|c| {
                    matches!(&c.field.last().ty, Ty::Enum(n) if model.enum_def(n).is_some_and(|d| d.scope.is_none()))
                })
            }).map(|r| (i, r))
        })
        .expect("a rule whose condition compares a shared enum");
    let Ty::Enum(name) = model.endpoints[i].rules[r]
        .when
        .as_ref()
        .unwrap()
        .field
        .last()
        .ty
        .clone()
    else {
        unreachable!()
    };
    // Only the rule names the enum: no field of the endpoint or its reply has its type.
    let e = &mut model.endpoints[i];
    e.fields
        .retain(|f| !format!("{:?}", f.ty).contains(&format!("\"{name}\"")));
    e.reply
        .fields
        .retain(|f| !format!("{:?}", f.ty).contains(&format!("\"{name}\"")));
    let endpoint = e.name.clone();
    assert!(
        module_of(&model, &endpoint).contains(&name),
        "a compared enum is imported"
    );
    for rule in model.endpoints[i].rules.iter_mut() {
        if let Some(c) = rule
            .when
            .as_mut()
            .filter(|c| c.field.last().ty == Ty::Enum(name.clone()))
        {
            c.test = Test::IsSet(true);
        }
    }
    let module = module_of(&model, &endpoint);
    let import = module
        .lines()
        .find(|l| l.starts_with("use crate::types::"))
        .unwrap_or("");
    assert!(!import.contains(&name), "{import}");
}

/// A fan-out whose reply names no recipient list reads nothing of the reply: the parameter of
/// `report` must not be an unused variable.
#[test]
fn a_fan_out_report_without_reply_lists_uses_no_reply() {
    let mut model = kitchen_sink();
    let e = model
        .endpoints
        .iter_mut()
        .find(|e| e.fan_out.is_some())
        .expect("a fan-out");
    let f = e.fan_out.as_mut().unwrap();
    f.unregistered = None;
    f.succeeded = None;
    f.failed = None;
    f.failed_items = None;
    let name = e.name.clone();
    let module = module_of(&model, &name);
    assert!(module.contains("fn report(_reply: &"), "{module}");
}
