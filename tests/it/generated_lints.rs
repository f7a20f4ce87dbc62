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
