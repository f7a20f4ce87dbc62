//! The hand-written runtime: what does not depend on the spec (auth, transport, errors,
//! validation and decoding primitives). Everything spec-dependent is generated.

pub mod auth;
pub mod client;
pub mod decode;
pub mod encode;
pub mod endpoint;
pub mod error;
mod pacing;
mod transport;
pub mod validate;
