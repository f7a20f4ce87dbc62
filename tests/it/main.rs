//! Every integration test of the workspace, in one binary: a cold `cargo test` links it once
//! instead of once per file.

mod batching;
mod broken_specs;
mod compile;
mod docs;
mod drift;
mod examples;
mod fixtures;
mod hostile_specs;
mod limits;
mod no_network;
mod no_panic;
mod pacing;
mod readme;
mod spec_diff;
mod wire_names;
