//! Synthetic specs of any number of endpoints, for the codegen's scaling figure: the real
//! `api.yaml` and `types.yaml` and `n` copies of a template endpoint, each with its own path.
//! The template is the real `send_batch_msg.yaml`, which exercises most of the format: fields
//! of several types (strings, lists as JSON text, enums, shared objects, JSON, ints, bools),
//! limits, conditional rules of each severity, a rate limit and a lenient reply.

use std::fs;
use std::path::Path;

const TEMPLATE: &str = "endpoints/send_batch_msg.yaml";
const TEMPLATE_PATH: &str = "path: /nimserver/msg/sendBatchMsg.action";

/// Writes a spec of `n` endpoints into `dir` (which must exist), from the real spec in `spec`.
pub fn write_spec(spec: &Path, dir: &Path, n: usize) -> Result<(), String> {
    let read = |name: &str| {
        fs::read_to_string(spec.join(name)).map_err(|e| format!("reading {name}: {e}"))
    };
    let template = read(TEMPLATE)?;
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
