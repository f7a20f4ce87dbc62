//! Every integration test of the workspace, in one binary: a cold `cargo test` links it once
//! instead of once per file.

mod atomic_writes;
mod batching;
mod broken_specs;
mod codegen_safety;
mod compile;
mod docs;
mod drift;
mod examples;
mod fixtures;
mod hostile_specs;
mod hygiene;
mod limits;
mod machine_paths;
mod no_network;
mod no_panic;
mod pacing;
mod paging;
mod prose;
mod readme;
mod reply_cap;
mod shared_target;
mod spec_diff;
mod wire_names;
