//! The client's own account of a failed HTTP exchange. The HTTP library's error travels only as
//! a boxed [`source`](std::error::Error::source), so upgrading that library never changes a type
//! callers name or match on.

use std::error::Error as StdError;
use std::fmt;

/// What part of the HTTP exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake): the server did not see the
    /// request.
    Connect,
    /// The call ran past the client's timeout.
    Timeout,
    /// The request could not be built: nothing was sent.
    Request,
    /// The reply's body failed to arrive whole.
    Body,
    /// The HTTP client failed while following a redirect.
    Redirect,
    /// Anything else the HTTP library reported while sending.
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Request => "could not be built",
            TransportErrorKind::Body => "failed while reading the reply",
            TransportErrorKind::Redirect => "failed while following a redirect",
            TransportErrorKind::Other => "failed",
        }
    }
}

/// A failed HTTP exchange: its [`kind`](TransportError::kind), whether the server may have seen
/// the request, and the HTTP library's error as [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    may_have_reached_server: bool,
    source: Box<dyn StdError + Send + Sync>,
}

impl TransportError {
    /// What part of the exchange failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// False only when no connection was made or the request could not be built, so the
    /// server certainly did not see it.
    pub fn may_have_reached_server(&self) -> bool {
        self.may_have_reached_server
    }

    /// Whether the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Sorts a reqwest error into our terms; only connect and build failures are certainly
    /// unseen by the server.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        let kind = if err.is_timeout() {
            TransportErrorKind::Timeout
        } else if err.is_connect() {
            TransportErrorKind::Connect
        } else if err.is_builder() {
            TransportErrorKind::Request
        } else if err.is_body() || err.is_decode() {
            TransportErrorKind::Body
        } else if err.is_redirect() {
            TransportErrorKind::Redirect
        } else {
            TransportErrorKind::Other
        };
        TransportError {
            kind,
            may_have_reached_server: !(err.is_connect() || err.is_builder()),
            source: Box::new(err),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP request {}", self.kind.describe())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_cannot_be_built_never_reached_the_server() {
        // The crate's own TLS setup: a bare reqwest 0.13 client panics without a crypto provider.
        let http = crate::runtime::tls::http_client_builder()
            .unwrap()
            .build()
            .unwrap();
        let err = http.get("not a url").build().unwrap_err();
        let err = TransportError::from_reqwest(err);
        assert_eq!(err.kind(), TransportErrorKind::Request);
        assert!(!err.may_have_reached_server());
        assert!(!err.is_timeout());
        assert!(
            err.source().is_some(),
            "the library's error stays reachable"
        );
        assert_eq!(err.to_string(), "HTTP request could not be built");
    }
}
