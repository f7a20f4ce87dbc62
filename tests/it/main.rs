//! Every integration test of the workspace, in one binary: a cold `cargo test` links it once
//! instead of once per file.

mod atomic_writes;
mod batching;
mod bench_report;
mod bounded_errors;
mod broken_specs;
mod codegen_safety;
mod codegen_warnings;
mod docs;
mod domain_features;
mod downstream;
mod drift;
mod examples;
mod failover;
mod fan_out;
mod fan_out_faults;
mod fan_out_resume;
mod fan_out_resume_redis;
mod fault_child;
mod feature_block;
mod fixture_drafter;
mod fixtures;
mod generated_lints;
mod hostile_specs;
mod hygiene;
mod importer;
mod json_setters;
mod kitchen_sink;
mod limits;
mod machine_paths;
mod no_network;
mod no_panic;
mod outside_crate;
mod pacing;
mod paging;
mod paging_forms;
mod prep_baseline;
mod prose;
mod prose_landing;
mod public_api;
mod publish;
mod rate_limit_kind;
mod readme;
mod redis_config_errors;
mod redis_fan_out;
mod redis_pacing;
mod reply_cap;
mod reply_shape;
mod sdk_parity;
mod shadowing_names;
mod shared_target;
mod spec_diff;
mod spec_diff_cases;
mod spec_format;
mod spec_fuzz;
mod switches;
mod unseen_constructs;
mod wire_names;
mod xtask_features;

/// This binary's target dir, shared with the cargo commands the tests run.
fn target_dir() -> std::path::PathBuf {
    yunxin_tests::child_cargo::target_dir(env!("CARGO_TARGET_TMPDIR"))
}

/// A workspace example's binary, which `cargo test --workspace` builds beside this test's.
fn example_binary(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = profile_dir.join("examples").join(name);
    assert!(
        binary.exists(),
        "{} is not built; run `cargo test --workspace`, which builds the examples",
        binary.display()
    );
    binary
}
