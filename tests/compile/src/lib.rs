//! Nothing to export: the cases live in `fail/` and `pass/`, run by `tests/compile.rs`.
