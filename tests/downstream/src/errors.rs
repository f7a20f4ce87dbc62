//! Every error kind a caller meets, matched with names from the crate root and its `error`
//! module only: this module does not compile if any of them moves back out of reach, or if a
//! transport failure starts to carry a type of the HTTP library again.

use yunxin_im::error::{PaceError, TransportError, TransportErrorKind};
use yunxin_im::{ApiError, ApiErrorKind, Client, Error, ValidationError};

/// What the application does next about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Fix the request: the listed wire paths broke the spec's rules.
    FixRequest(Vec<String>),
    /// Wait out the rate-limit block, then send again.
    WaitAndRetry,
    /// Send again now: the server never saw the request.
    RetryNow,
    /// Check whether it arrived before sending again.
    CheckFirst,
    /// Give up and tell someone.
    Report(String),
}

/// Sorts `error`, as a caller of `client` would, into what to do next.
pub fn next_step(_client: &Client, error: &Error) -> NextStep {
    match error {
        Error::Validation(ValidationError { violations, .. }) => {
            NextStep::FixRequest(violations.iter().map(|v| v.path.clone()).collect())
        }
        Error::Api(api) => api_step(api),
        Error::Transport { source, .. } => transport_step(source),
        Error::Pacing { error, .. } => pacing_step(error),
        other if other.may_have_reached_server() => NextStep::CheckFirst,
        other => NextStep::Report(other.to_string()),
    }
}

fn api_step(api: &ApiError) -> NextStep {
    match api.kind() {
        ApiErrorKind::RateLimited => NextStep::WaitAndRetry,
        ApiErrorKind::ServerError => NextStep::CheckFirst,
        ApiErrorKind::Other(code) => NextStep::Report(format!("unlisted code {code}")),
        _ => NextStep::Report(api.to_string()),
    }
}

fn transport_step(failure: &TransportError) -> NextStep {
    match failure.kind() {
        TransportErrorKind::Connect | TransportErrorKind::Request => NextStep::RetryNow,
        _ if !failure.may_have_reached_server() => NextStep::RetryNow,
        _ => NextStep::CheckFirst,
    }
}

fn pacing_step(_error: &PaceError) -> NextStep {
    // Nothing was sent: the shared store may be back on the next try.
    NextStep::RetryNow
}
