//! Spec-driven code generation for the Yunxin IM server API:
//! load (YAML, unknown keys rejected) → check (every problem, located) → model → emit.

pub mod check;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod fixture_draft;
pub mod limits;
pub mod load;
pub mod locate;
pub mod model;
pub mod names;
mod read;
pub mod spec;
pub mod types;
mod vet;
pub mod wire_example;

use std::path::Path;

/// Loads and checks the spec folder `dir`, shown in messages as `label`.
pub fn load_model(dir: &Path, label: &str) -> Result<model::Model, diag::Diagnostics> {
    let raw = load::load_dir(dir, label)?;
    check::check(&raw)
}
