//! The importer: reads the vendor's Go and Java server SDKs with tree-sitter, merges what each
//! says about every IM endpoint into one [`record::Record`], drafts spec files for the endpoints
//! the spec lacks and compares the ones it has. See `importer/README.md`.

pub mod check;
pub mod domains;
pub mod draft;
mod go;
mod java;
pub mod merge;
pub mod paging;
pub mod record;
mod syntax;

use std::path::Path;

/// Reads both SDK trees (either may be absent) and merges them.
pub fn import(go: Option<&Path>, java: Option<&Path>) -> Result<record::Record, String> {
    let mut calls = Vec::new();
    let mut constants = Vec::new();
    if let Some(dir) = go {
        let (c, k) = go::read_sdk(dir)?;
        calls.extend(c);
        constants.extend(k);
    }
    if let Some(dir) = java {
        let (c, k) = java::read_sdk(dir)?;
        calls.extend(c);
        constants.extend(k);
    }
    Ok(merge::merge(calls, constants))
}
