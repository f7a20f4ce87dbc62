#![doc = "Typed client for the NetEase Yunxin (CommsEase) IM server API, generated from a YAML spec."]
#![warn(missing_docs)]

pub mod runtime;

mod generated;
pub use generated::*;
pub use runtime::client::{Client, ClientBuilder};
pub use runtime::error::Error;
