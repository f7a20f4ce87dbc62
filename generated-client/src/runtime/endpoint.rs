//! What generated code tells the runtime about each endpoint and request.

use super::decode::{Decode, DecodeError};
use super::validate::{LimitPolicy, Violations};

/// The two API generations of the vendor's server API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiGeneration {
    /// `/nimserver/...*.action`: form-encoded body, reply `{code, desc?, ...}`.
    V1,
    /// `/im/v2/...`: JSON body, reply envelope `{code, msg, data}`.
    V2,
}

/// The documented rate limit of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed per window.
    pub calls: u32,
    /// The window, in seconds.
    pub window_seconds: u32,
    /// How long the application is blocked once the limit is passed, in seconds.
    pub block_seconds: u32,
    /// The body `code` the server answers when the limit is passed.
    pub code: i64,
}

/// Static description of one endpoint, generated from the spec.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The spec's name of the endpoint, e.g. `send_batch_msg`.
    pub name: &'static str,
    /// The API generation, which decides body encoding and reply envelope.
    pub api: ApiGeneration,
    /// HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// Path below the base URL, e.g. `/nimserver/msg/sendBatchMsg.action`.
    pub path: &'static str,
    /// The documented rate limit.
    pub rate_limit: RateLimit,
}

/// The encoded body of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum WireBody {
    /// `application/x-www-form-urlencoded;charset=utf-8` pairs, in spec order, unset fields left off.
    Form(Vec<(&'static str, String)>),
    /// `application/json` body.
    Json(serde_json::Value),
}

/// Implemented by every generated request type.
pub trait ApiRequest {
    /// The typed reply.
    type Reply: Decode;
    /// The endpoint this request is sent to.
    const ENDPOINT: &'static Endpoint;
    /// Pushes every violated rule into `out`; `policy` decides whether documented limits apply.
    fn validate_into(&self, policy: LimitPolicy, out: &mut Violations);
    /// Encodes the request for the wire (form or JSON, by the endpoint's generation).
    fn to_wire(&self) -> WireBody;
    /// The `X-custom-traceid` of this logical request (v2 only).
    fn trace_id(&self) -> Option<&str> {
        None
    }
}

/// Decodes the success payload of an endpoint: for v1 the whole reply object, for v2 its `data`.
pub fn decode_reply<R: Decode>(payload: &serde_json::Value) -> Result<R, DecodeError> {
    R::decode(payload, &super::decode::Lenience::STRICT, "")
}

/// A fresh `X-custom-traceid`: a random UUID, made once per logical request.
pub fn new_trace_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
