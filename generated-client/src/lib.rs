#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` (see Cargo.toml): feature-gated items show their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod runtime;

// Generated code is formatted by the generator (prettyplease); rustfmt must not restyle it,
// or the drift check would fail after every `cargo fmt`.
#[rustfmt::skip]
mod generated;
pub use generated::*;
pub use runtime::client::{Client, ClientBuilder, PreparedRequest};
pub use runtime::error::Error;
