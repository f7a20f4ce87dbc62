//! The typed API refuses at compile time what the spec forbids (a missing required field, a value
//! of the wrong enum, a setter of another request, a struct literal around the constructor), and
//! the README's usage example compiles and runs.

#[test]
fn compile_fail_and_pass() {
    let t = trybuild::TestCases::new();
    t.compile_fail("compile-fail/*.rs");
    t.pass("compile-pass/*.rs");
}
