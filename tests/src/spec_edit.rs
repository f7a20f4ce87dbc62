//! Edits of a copy of the spec, made the way a maintainer would (in the YAML), aimed at whatever
//! the model holds: tests pick "a field with a max_items" here instead of naming today's field.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::model::{Field, Limits, Model};
use serde_yaml::{Mapping, Value};

/// The YAML file of `endpoint` in the spec folder `spec`.
pub fn endpoint_file(spec: &Path, endpoint: &str) -> PathBuf {
    spec.join("endpoints").join(format!("{endpoint}.yaml"))
}

/// Rewrites `endpoint`'s YAML file after `edit` changed its top-level mapping. Comments and
/// layout are lost; the meaning is what the edit leaves.
pub fn edit_endpoint(spec: &Path, endpoint: &str, edit: impl FnOnce(&mut Mapping)) {
    let file = endpoint_file(spec, endpoint);
    let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let mut doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    edit(doc.as_mapping_mut().expect("an endpoint file is a mapping"));
    fs::write(&file, serde_yaml::to_string(&doc).unwrap()).unwrap();
}

/// Sets `key: value` on the request field `wire` of `endpoint`.
pub fn set_field_key(spec: &Path, endpoint: &str, wire: &str, key: &str, value: Value) {
    edit_endpoint(spec, endpoint, |doc| {
        let field = doc
            .get_mut("fields")
            .and_then(|f| f.get_mut(wire))
            .and_then(Value::as_mapping_mut)
            .unwrap_or_else(|| panic!("{endpoint} has no request field {wire}"));
        field.insert(key.into(), value);
    });
}

/// A top-level request field (in an endpoint's own file) and one of its limits.
#[derive(Debug, Clone)]
pub struct Limited {
    pub endpoint: String,
    pub wire: String,
    pub limit: u64,
}

/// The first top-level request field whose `limit` (e.g. `|l| l.max_items`) is stated.
pub fn field_with(model: &Model, limit: impl Fn(&Limits) -> Option<u64>) -> Option<Limited> {
    model.endpoints.iter().find_map(|e| {
        let f: &Field = e.fields.iter().find(|f| limit(&f.limits).is_some())?;
        Some(Limited {
            endpoint: e.name.clone(),
            wire: f.wire.clone(),
            limit: limit(&f.limits)?,
        })
    })
}
