//! Edits of a copy of the spec, made the way a maintainer would (in the YAML), aimed at whatever
//! the model holds: tests pick "a field with a max_items" here instead of naming today's field.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::model::{Field, Limits, Model};
use serde_yaml::{Mapping, Value};

/// The YAML file of `endpoint` in the spec folder `spec`: in `endpoints/` or one of its domain
/// folders; a new endpoint goes directly in `endpoints/`.
pub fn endpoint_file(spec: &Path, endpoint: &str) -> PathBuf {
    let file = format!("{endpoint}.yaml");
    endpoint_files(spec)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == file.as_str()))
        .unwrap_or_else(|| spec.join("endpoints").join(file))
}

/// Every endpoint file of the spec folder `spec` (`endpoints/*.yaml` and
/// `endpoints/<domain>/*.yaml`), sorted.
pub fn endpoint_files(spec: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut folders = vec![spec.join("endpoints")];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.map(|e| e.unwrap().path()) {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "yaml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `endpoint`'s file relative to the spec folder, with `/` separators (`endpoints/<domain>/x.yaml`).
pub fn endpoint_relative(spec: &Path, endpoint: &str) -> String {
    let file = endpoint_file(spec, endpoint);
    file.strip_prefix(spec)
        .expect("inside the spec folder")
        .to_string_lossy()
        .replace('\\', "/")
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

/// Doubles every upper limit (`max_chars`, `max_items`, `max`) stated in the endpoint files, on
/// fields and in rules, as a vendor raising its limits would; returns how many were raised.
/// Defaults, examples and fan-out chunk sizes that held under the old limits still hold.
pub fn raise_every_upper_limit(spec: &Path) -> usize {
    let mut raised = 0;
    let names: Vec<String> = endpoint_files(spec)
        .into_iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for name in names {
        edit_endpoint(spec, &name, |doc| {
            let fields = doc.get_mut("fields").and_then(Value::as_mapping_mut);
            for (_, field) in fields.into_iter().flatten() {
                raised += double_upper_limits(field);
            }
            let rules = doc.get_mut("rules").and_then(Value::as_sequence_mut);
            for rule in rules.into_iter().flatten() {
                raised += rule.get_mut("then").map_or(0, double_upper_limits);
            }
        });
    }
    raised
}

/// Doubles the upper limits of one field or rule consequence; returns how many.
fn double_upper_limits(at: &mut Value) -> usize {
    let Some(map) = at.as_mapping_mut() else {
        return 0;
    };
    let mut n = 0;
    for key in ["max_chars", "max_items", "max"] {
        let Some(value) = map.get_mut(key) else {
            continue;
        };
        *value = match (value.as_u64(), value.as_f64()) {
            (Some(i), _) => (2 * i).into(),
            (None, Some(f)) if f > 0.0 => (2.0 * f).into(),
            _ => continue,
        };
        n += 1;
    }
    n
}

/// Copies the spec folder `from` to `to` keeping, of its endpoints, only those written from a
/// vendor page (`Model::has_page`): the constructs the page-written endpoints use are the whole
/// format's, at a fraction of the build time of the SDK-drafted rest. For tests that build a
/// client from a copy of the real spec to check something of every construct, not every endpoint.
pub fn copy_page_endpoints(from: &Path, to: &Path) {
    crate::temp_root::copy_dir(from, to);
    let model = codegen::load_model(from, "spec").expect("the spec loads");
    for e in model.endpoints.iter().filter(|e| !model.has_page(e)) {
        fs::remove_file(endpoint_file(to, &e.name)).expect("an endpoint file of the copy");
    }
}

/// The endpoint files of the real spec's page-written endpoints (see [`copy_page_endpoints`]),
/// relative to `spec/`, computed once per process.
pub fn real_page_endpoint_files() -> &'static [PathBuf] {
    static FILES: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let real = xtask::workspace_root().join("spec");
        let model = codegen::load_model(&real, "spec").expect("the spec loads");
        model
            .endpoints
            .iter()
            .filter(|e| model.has_page(e))
            .map(|e| {
                let file = endpoint_file(&real, &e.name);
                file.strip_prefix(&real)
                    .expect("inside the spec")
                    .to_path_buf()
            })
            .collect()
    })
}
