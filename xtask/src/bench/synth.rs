//! Synthetic specs of any number of endpoints, for the codegen's scaling figure: the real
//! `api.yaml` and `types.yaml` and `n` copies of a template endpoint, each with its own path.
//! The template is the real `send_batch_msg.yaml`, which exercises most of the format: fields
//! of several types (strings, lists as JSON text, enums, shared objects, JSON, ints, bools),
//! limits, conditional rules of each severity, a rate limit and a lenient reply.

use std::fs;
use std::path::Path;

const TEMPLATE: &str = "send_batch_msg.yaml";
const TEMPLATE_PATH: &str = "path: /nimserver/msg/sendBatchMsg.action";

/// The template's path relative to `spec`: in `endpoints/` or one of its domain folders.
fn template_file(spec: &Path) -> Result<String, String> {
    let top = spec.join("endpoints");
    let mut folders = vec![top.clone()];
    while let Some(folder) = folders.pop() {
        let entries =
            fs::read_dir(&folder).map_err(|e| format!("reading {}: {e}", folder.display()))?;
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|n| n == TEMPLATE) {
                let relative = path.strip_prefix(spec).map_err(|e| e.to_string())?;
                return Ok(relative.to_string_lossy().into_owned());
            }
        }
    }
    Err(format!(
        "no endpoint file {TEMPLATE} under {}",
        top.display()
    ))
}

/// Writes a spec of `n` endpoints into `dir` (which must exist), from the real spec in `spec`.
pub fn write_spec(spec: &Path, dir: &Path, n: usize) -> Result<(), String> {
    let read = |name: &str| {
        fs::read_to_string(spec.join(name)).map_err(|e| format!("reading {name}: {e}"))
    };
    let template = read(&template_file(spec)?)?;
    if !template.contains(TEMPLATE_PATH) {
        return Err(format!(
            "{TEMPLATE} no longer has `{TEMPLATE_PATH}`; update the bench's template"
        ));
    }
    let write = |name: &str, text: &str| {
        fs::write(dir.join(name), text).map_err(|e| format!("writing {name}: {e}"))
    };
    write("api.yaml", &read("api.yaml")?)?;
    write("types.yaml", &read("types.yaml")?)?;
    fs::create_dir_all(dir.join("endpoints")).map_err(|e| e.to_string())?;
    for i in 0..n {
        // Endpoints are routed by path, so each copy gets its own.
        let text = template.replace(
            TEMPLATE_PATH,
            &format!("path: /nimserver/msg/sendBatchMsg{i}.action"),
        );
        write(&format!("endpoints/synthetic_{i:05}.yaml"), &text)?;
    }
    Ok(())
}
