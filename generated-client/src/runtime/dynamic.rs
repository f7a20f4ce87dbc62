//! Requests and replies as JSON in wire terms, for callers that hold sends as data (queues,
//! fixtures, tools). The generated `dynamic` module maps endpoint names onto these.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use super::client::{Client, TRACE_ID_HEADER};
use super::endpoint::{ApiGeneration, ApiReply, ApiRequest, Unreadable};
use super::error::{bounded, Error};
use super::support::request_from_json;
use super::validate::{LimitPolicy, Validator, Violation};

/// Why a call by name failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum DynamicError {
    /// No endpoint has that name.
    UnknownEndpoint(String),
    /// The endpoint exists but its domain's cargo feature is off in this build.
    FeatureDisabled {
        /// The endpoint's name.
        endpoint: &'static str,
        /// The cargo feature of `yunxin-im` that compiles it in (or `full`, which has them all).
        feature: &'static str,
    },
    /// The call is not a request of that endpoint in wire terms; says which path and why.
    BadCall(String),
    /// The typed client failed (validation, API, transport, HTTP or an unreadable reply).
    Client(Error),
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEndpoint(name) => write!(f, "no endpoint is named `{}`", bounded(name)),
            Self::FeatureDisabled { endpoint, feature } => write!(
                f,
                "endpoint `{endpoint}` is not compiled in: enable the `{feature}` feature of yunxin-im (or `full`)"
            ),
            Self::BadCall(e) => write!(
                f,
                "the call is not a valid request in wire terms: {}",
                bounded(e)
            ),
            Self::Client(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DynamicError {}

/// A reply as JSON in wire names, with what could not be read of it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DynamicReply {
    /// The typed reply, serialized back: wire names, plain values, unset fields left out.
    pub reply: Value,
    /// Reply values that could not be read as the spec describes.
    pub unreadable: Vec<Unreadable>,
    /// What validation warned of before sending (values the pages say have no effect).
    pub warnings: Vec<Violation>,
}

/// Reads `call` as a request of `R`; a v2 request takes `trace_id` as its `X-custom-traceid`.
#[allow(dead_code)] // Called by the generated `dynamic` module: a build with no domain has no arms.
fn request_of<R: ApiRequest>(call: &Value, trace_id: Option<&str>) -> Result<R, DynamicError> {
    let call = match (R::ENDPOINT.api, trace_id, call) {
        (ApiGeneration::V2, Some(id), Value::Object(map)) => {
            let mut map = map.clone();
            map.insert(TRACE_ID_HEADER.to_owned(), Value::String(id.to_owned()));
            Value::Object(map)
        }
        _ => call.clone(),
    };
    request_from_json(&call).map_err(DynamicError::BadCall)
}

/// Sends `call` as a request of `R` and returns the reply in wire terms.
#[allow(dead_code)] // Called by the generated `dynamic` module: a build with no domain has no arms.
pub fn send<'a, R>(
    client: &'a Client,
    call: &'a Value,
    trace_id: Option<&'a str>,
) -> Pin<Box<dyn Future<Output = Result<DynamicReply, DynamicError>> + Send + 'a>>
where
    R: ApiRequest + Send + Sync + 'a,
    R::Reply: Send,
{
    // Boxed: the generated dispatch has an arm per endpoint, and an unboxed future per arm made
    // its frame grow with the spec (hundreds of endpoints overflowed a thread's stack in debug
    // builds); boxed, each arm holds one pointer.
    Box::pin(async move {
        let request: R = request_of(call, trace_id)?;
        // `send` validates too; this is for the warnings, which it does not return.
        let warnings = client.validate(&request).unwrap_or_default();
        let reply = client.send(&request).await.map_err(DynamicError::Client)?;
        Ok(DynamicReply {
            // Serializing a derived struct into a `Value` cannot fail: its keys are strings.
            reply: serde_json::to_value(&reply).unwrap_or_default(),
            unreadable: reply.unreadable().to_vec(),
            warnings,
        })
    })
}

/// Every rule `call` breaks as a request of `R`: errors first, then warnings.
#[allow(dead_code)] // Called by the generated `dynamic` module: a build with no domain has no arms.
pub fn validate<R: ApiRequest>(
    call: &Value,
    policy: LimitPolicy,
) -> Result<Vec<Violation>, DynamicError> {
    let request: R = request_of(call, None)?;
    let v = Validator::check(policy, &request);
    Ok(v.errors().iter().chain(v.warnings()).cloned().collect())
}
