//! What the spec forbids does not compile. Each file in `cases/` is one program with a
//! `case! { forbidden: {…} allowed: {…} }` in it, compiled twice by rustdoc: with the forbidden
//! part it must not compile (`compile_fail`), with the allowed part it must. Every other token is
//! shared, so a case cannot fail for an unrelated reason (a renamed import, a typo): that would
//! break the allowed program too.
//!
//! Rustdoc compiles the cases against the client `cargo test` has already built. trybuild, used
//! before, also pinned rustc's messages, but it checked every dependency again in a target dir of
//! its own: 100 s of a cold `cargo test --workspace` on 2 cores, against about a second here.
//! (Rustdoc's `compile_fail,E0061` error-code check works on nightly only, so no codes are given.)

/// The case's forbidden part, or its allowed part, as a hidden first line of the doctest.
macro_rules! compile_fail_case {
    ($name:ident) => {
        #[doc = concat!(
            "```compile_fail\n",
            "# macro_rules! case { (forbidden: { $($f:tt)* } allowed: { $($a:tt)* }) => { $($f)* }; }\n",
            include_str!(concat!("../cases/", stringify!($name), ".rs")),
            "```\n\n```no_run\n",
            "# macro_rules! case { (forbidden: { $($f:tt)* } allowed: { $($a:tt)* }) => { $($a)* }; }\n",
            include_str!(concat!("../cases/", stringify!($name), ".rs")),
            "```\n"
        )]
        pub mod $name {}
    };
}

compile_fail_case!(missing_required_field);
compile_fail_case!(wrong_enum_type);
compile_fail_case!(closed_enum_has_no_other);
compile_fail_case!(setter_of_another_request);
compile_fail_case!(object_struct_literal);
compile_fail_case!(request_struct_literal);
compile_fail_case!(unused_setter_result);
compile_fail_case!(limit_constant_type);
compile_fail_case!(page_stream_borrows_its_client);
compile_fail_case!(runtime_is_private);
compile_fail_case!(transport_error_is_not_reqwest);
