//! The README's usage example compiles and runs, and its fan-out example compiles. The
//! compile-fail cases are rustdoc tests of this crate (`src/lib.rs`).

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
