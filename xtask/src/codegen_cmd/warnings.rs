//! What a maintainer still has to add beside the spec, printed after a successful generation:
//! fixtures (`tests/fixtures/<endpoint>/`, see its README) and the wire names read off the page
//! (`tests/wire-names/<endpoint>.yaml`), and those left behind by an endpoint that is gone. Tests
//! would fail on each later; this names the file now. Warnings only: nothing fails or is written.
//! Only endpoints written from a page need them; SDK-only ones are held to the SDK record.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::model::Model;

pub const FIXTURES_DIR: &str = "tests/fixtures";
pub const WIRE_NAMES_DIR: &str = "tests/wire-names";
/// The fixture of the page's own example, which an endpoint with an example must have.
pub const PAGE_EXAMPLE_FIXTURE: &str = "page_example.yaml";

/// Names in `dir` (folders or `.yaml` files), without the extension; `None` when `dir` is
/// missing. A root without these folders is not a checkout (a temporary one), so nothing is said.
fn entries(dir: &Path, folders: bool) -> Option<BTreeSet<String>> {
    let read = std::fs::read_dir(dir).ok()?;
    Some(
        read.filter_map(Result::ok)
            .filter(|e| e.path().is_dir() == folders)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                if folders {
                    Some(name)
                } else {
                    name.strip_suffix(".yaml").map(str::to_owned)
                }
            })
            .collect(),
    )
}

/// One line per missing or stale file, in endpoint order.
pub fn warnings(root: &Path, model: &Model) -> Vec<String> {
    let endpoints: BTreeSet<&str> = model.endpoints.iter().map(|e| e.name.as_str()).collect();
    let mut out = Vec::new();
    if let Some(fixtures) = entries(&root.join(FIXTURES_DIR), true) {
        for e in model.endpoints.iter().filter(|e| model.has_page(e)) {
            let folder = format!("{FIXTURES_DIR}/{}", e.name);
            if !fixtures.contains(&e.name) {
                out.push(format!("endpoint `{}` has no fixtures: add {folder}/ ({PAGE_EXAMPLE_FIXTURE} from the page's example first; see {FIXTURES_DIR}/README.md)", e.name));
            } else if e.example.is_some()
                && !root.join(&folder).join(PAGE_EXAMPLE_FIXTURE).is_file()
            {
                out.push(format!("endpoint `{}` has an example but no {folder}/{PAGE_EXAMPLE_FIXTURE} recording it", e.name));
            }
        }
        for stale in fixtures.iter().filter(|f| !endpoints.contains(f.as_str())) {
            out.push(format!("{FIXTURES_DIR}/{stale}/ is for no endpoint of the spec: remove it, or rename it to the endpoint's new name"));
        }
    }
    if let Some(wire_names) = entries(&root.join(WIRE_NAMES_DIR), false) {
        for e in model.endpoints.iter().filter(|e| model.has_page(e)) {
            if !wire_names.contains(&e.name) {
                out.push(format!("endpoint `{}` has no wire-names list: add {WIRE_NAMES_DIR}/{}.yaml with every name its page gives (see {WIRE_NAMES_DIR}/README.md)", e.name, e.name));
            }
        }
        for stale in wire_names
            .iter()
            .filter(|f| !endpoints.contains(f.as_str()))
        {
            out.push(format!("{WIRE_NAMES_DIR}/{stale}.yaml is for no endpoint of the spec: remove it, or rename it to the endpoint's new name"));
        }
    }
    out
}
