//! The hand-written runtime: what does not depend on the spec (auth, transport, errors,
//! validation, the wire format). It names nothing generated: generated code hands it what it
//! needs as [`endpoint::Endpoint`] data and through the [`endpoint::ApiRequest`] and
//! [`endpoint::ApiReply`] traits.

pub mod auth;
pub mod client;
pub mod dynamic;
pub mod endpoint;
pub mod error;
pub mod fan_out;
pub mod fan_out_journal;
pub(crate) mod fan_out_journal_error;
mod fan_out_journal_header;
#[cfg(feature = "redis")]
mod fan_out_journal_redis;
mod fan_out_journal_writer;
pub mod fan_out_resume;
#[cfg(feature = "redis")]
mod fan_out_resume_redis;
mod fan_out_run;
pub mod file_content;
// Test requests independent of the spec; V1 serves the Redis journal's tests only.
#[cfg(test)]
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
mod fan_out_requests_tests;
mod multipart;
pub mod pacing;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod pacing_redis;
mod paging;
mod shape;
pub(crate) mod support;
mod tls;
mod transport;
pub mod transport_error;
pub mod validate;
mod wire;
