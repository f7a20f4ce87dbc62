//! Markdown docs (placeholder until the docs emitter lands).

use super::GeneratedFile;
use crate::model::Model;

pub fn emit(_model: &Model) -> Result<Vec<GeneratedFile>, String> {
    Ok(Vec::new())
}
