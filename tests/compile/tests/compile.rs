//! The typed API refuses at compile time what the spec forbids (a missing required field, a value
//! of the wrong enum, a setter of another request, a struct literal around the constructor, an
//! unused setter result), the README's usage example compiles and runs, and its fan-out example
//! compiles.

/// Only compile-fail cases go through trybuild: with a passing case among them it builds every
/// dependency in full in its own target dir instead of only checking them (about twice the time
/// of a cold test run's share).
#[test]
fn what_the_spec_forbids_does_not_compile() {
    trybuild::TestCases::new().compile_fail("fail/*.rs");
}

/// The README's example, compiled with the tests in the shared target dir and run: with no
/// server on its port it takes the "safe to retry" branch and returns `Ok`.
mod readme_usage {
    include!("../readme_usage.rs");

    #[test]
    fn the_readme_example_compiles_and_runs() {
        main().expect("the README example handles every outcome itself");
    }
}

/// The README's fan-out example, compiled only: run, it would send 40 chunks to a closed port,
/// each retried with backoff.
#[allow(dead_code)]
mod readme_fan_out {
    include!("../readme_fan_out.rs");
}
