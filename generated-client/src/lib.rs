#![doc = "Typed client for the NetEase Yunxin (CommsEase) IM server API, generated from a YAML spec."]
#![warn(missing_docs)]

pub mod runtime;

// Generated code is formatted by the generator (prettyplease); rustfmt must not restyle it,
// or the drift check would fail after every `cargo fmt`.
#[rustfmt::skip]
mod generated;
pub use generated::*;
pub use runtime::client::{Client, ClientBuilder, PreparedRequest};
pub use runtime::error::Error;
