// placeholder: overwritten by `cargo xtask codegen`
pub mod status;
pub mod hosts;
