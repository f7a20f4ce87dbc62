//! The one error type of the client: what went wrong, whether the server may have acted, and
//! what to do about it. No variant ever holds the AppSecret.

use std::fmt;

use super::endpoint::{RateLimit, StatusInfo};
use super::transport_error::TransportError;
use super::validate::ValidationError;

/// The status kind whose generated variant is `ApiErrorKind::RateLimited`.
const RATE_LIMITED_KIND: &str = "rate_limited";

/// The result of a client call.
pub type Result<T> = std::result::Result<T, Error>;

/// The most characters of a reply body kept in an error.
pub const MAX_EXCERPT_CHARS: usize = 200;

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request broke rules of the spec; nothing was sent.
    Validation(ValidationError),
    /// The server received the request and answered a body `code` other than 200.
    Api(ApiError),
    /// The HTTP exchange failed.
    Transport {
        /// The spec's name of the endpoint.
        endpoint: &'static str,
        /// False only when the connection could not be made (or the request could not be
        /// built), so the server certainly did not see the request.
        may_have_reached_server: bool,
        /// Whether the failure was a timeout.
        timed_out: bool,
        /// The request's `X-custom-traceid` (v2), to reuse when retrying.
        trace_id: Option<String>,
        /// What failed, in the client's own terms; the HTTP library's error is its
        /// [`source`](std::error::Error::source).
        source: TransportError,
    },
    /// The server (or a proxy) answered an HTTP status other than 200.
    HttpStatus {
        /// The spec's name of the endpoint.
        endpoint: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the body; see [`excerpt`].
        body_excerpt: String,
        /// The request's `X-custom-traceid` (v2), to reuse when retrying.
        trace_id: Option<String>,
    },
    /// The reply was not JSON, or not of the shape the spec describes.
    Decode {
        /// The spec's name of the endpoint.
        endpoint: &'static str,
        /// What did not match.
        reason: String,
        /// The start of the body; see [`excerpt`].
        body_excerpt: String,
        /// The request's `X-custom-traceid` (v2), to reuse when retrying.
        trace_id: Option<String>,
    },
    /// The HTTP client followed a redirect (only a client brought with
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) can): the signed request
    /// may have reached another host, so its answer is not taken.
    Redirected {
        /// The spec's name of the endpoint.
        endpoint: &'static str,
        /// Where the redirect led.
        to: String,
        /// The request's `X-custom-traceid` (v2), to reuse when retrying.
        trace_id: Option<String>,
    },
    /// The server answered 200 with a body longer than the client's cap
    /// ([`ClientBuilder::max_reply_bytes`](crate::ClientBuilder::max_reply_bytes), default
    /// [`DEFAULT_MAX_REPLY_BYTES`](crate::runtime::client::DEFAULT_MAX_REPLY_BYTES)). Reading stopped
    /// at the cap and nothing was decoded; the server received the request and may have acted
    /// on it.
    ReplyTooLarge {
        /// The spec's name of the endpoint.
        endpoint: &'static str,
        /// The cap, in bytes.
        limit: usize,
        /// The body length the server declared (`Content-Length`), when it declared one; such a
        /// reply is refused before any of its body is read.
        content_length: Option<u64>,
        /// The request's `X-custom-traceid` (v2), to reuse when retrying.
        trace_id: Option<String>,
    },
    /// The client could not be set up, or a value it must send cannot travel in an HTTP header
    /// (an app key or nonce with unusable characters); nothing was sent.
    Config {
        /// What is wrong.
        reason: String,
    },
    /// Pacing could not take a slot because its budget store failed (a shared store that
    /// cannot be reached, when the client is set to fail rather than wait); nothing was sent.
    Pacing {
        /// The spec's name of the endpoint.
        endpoint: &'static str,
        /// What the store reported.
        error: crate::runtime::pacing::PaceError,
    },
}

/// A reply whose body `code` was not 200. Its typed kind is [`ApiError::kind`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The spec's name of the endpoint.
    pub endpoint: &'static str,
    /// The body `code`.
    pub code: i64,
    /// What the spec says of `code`, when it lists it.
    pub status: Option<&'static StatusInfo>,
    /// The server's description: `desc` (v1) or `msg` (v2).
    pub desc: Option<String>,
    /// The endpoint's documented rate limit, set when the server answered that it was passed
    /// and the spec states the limit. `None` on a rate-limit refusal from an endpoint whose spec
    /// states no limit: [`ApiError::is_rate_limited`] is still true for it.
    pub rate_limit: Option<RateLimit>,
    /// The request's `X-custom-traceid` (v2).
    pub trace_id: Option<String>,
}

impl ApiError {
    /// Whether the server answered that the rate limit was passed: the endpoint's documented
    /// rate-limit code, or any code the spec's status list calls `rate_limited` (so this agrees
    /// with [`ApiError::kind`] on every endpoint, including those whose spec states no limit;
    /// [`ApiError::rate_limit`] says whether the limit itself is known).
    pub fn is_rate_limited(&self) -> bool {
        self.rate_limit.is_some() || self.status.is_some_and(|s| s.kind == RATE_LIMITED_KIND)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = self.endpoint;
        let code = self.code;
        // A rate-limit refusal carries its own advice (how long to wait), so the code's generic
        // advice is left off for it.
        let advice = match (self.rate_limit, self.status) {
            (Some(limit), _) => {
                let what = match limit.blocks {
                    super::endpoint::Blocks::App => "this app",
                    super::endpoint::Blocks::Endpoint => "this endpoint",
                };
                let how_long = match limit.block_seconds {
                    Some(s) => format!("for {s} s"),
                    None => "for a time the pages do not state".to_owned(),
                };
                write!(
                    f,
                    "{endpoint}: rate limited (code {code}): the server blocks {what} {how_long} \
                     once it passes {} calls per {} s; wait before retrying",
                    limit.calls, limit.window_seconds
                )?;
                ""
            }
            (None, Some(status)) => {
                write!(
                    f,
                    "{endpoint}: the server refused the request with code {code} ({})",
                    status.meaning
                )?;
                status.advice
            }
            (None, None) => {
                write!(
                    f,
                    "{endpoint}: the server refused the request with code {code}, which the \
                     spec does not list"
                )?;
                "read the desc; see the vendor's full status-code list"
            }
        };
        if let Some(desc) = &self.desc {
            write!(f, "; server says: {}", bounded_quoted(desc))?;
        }
        if !advice.is_empty() {
            write!(f, "; {advice}")?;
        }
        if let Some(trace_id) = &self.trace_id {
            write!(f, " [trace id {}]", bounded(trace_id))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl Error {
    /// The refusal, when the server answered a body `code` other than 200.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The spec's name of the endpoint involved, when a request was attempted.
    pub fn endpoint(&self) -> Option<&'static str> {
        match self {
            Error::Api(api) => Some(api.endpoint),
            Error::Transport { endpoint, .. }
            | Error::HttpStatus { endpoint, .. }
            | Error::Redirected { endpoint, .. }
            | Error::Decode { endpoint, .. }
            | Error::ReplyTooLarge { endpoint, .. }
            | Error::Pacing { endpoint, .. } => Some(endpoint),
            Error::Validation(_) | Error::Config { .. } => None,
        }
    }

    /// Whether the server may have seen, and acted on, the request.
    ///
    /// False for validation and configuration errors and connection failures. True for
    /// everything after the connection was made, including replies that did not decode: the
    /// server may have acted even when the reply was unreadable.
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Error::Validation(_) | Error::Config { .. } | Error::Pacing { .. } => false,
            Error::Transport {
                may_have_reached_server,
                ..
            } => *may_have_reached_server,
            Error::Api(_)
            | Error::HttpStatus { .. }
            | Error::Redirected { .. }
            | Error::Decode { .. }
            | Error::ReplyTooLarge { .. } => true,
        }
    }

    /// Whether sending the same request again is certain not to duplicate its effect and may
    /// succeed: only after a connection failure (the server never saw it), a rate-limit
    /// answer (the server refused it; wait out the block first) or a pacing store failure
    /// (nothing was sent).
    ///
    /// False for validation errors: the same request would fail again.
    pub fn is_retry_safe(&self) -> bool {
        match self {
            Error::Transport {
                may_have_reached_server,
                ..
            } => !may_have_reached_server,
            Error::Api(api) => api.is_rate_limited(),
            // Nothing was sent; the store may be back on the next try.
            Error::Pacing { .. } => true,
            _ => false,
        }
    }
}

fn write_trace_advice(f: &mut fmt::Formatter<'_>, trace_id: &Option<String>) -> fmt::Result {
    f.write_str("the request may have reached the server; retrying may send it twice")?;
    write_dedup_advice(f, trace_id)
}

fn write_dedup_advice(f: &mut fmt::Formatter<'_>, trace_id: &Option<String>) -> fmt::Result {
    match trace_id {
        Some(id) => write!(
            f,
            " — resend the same request value (trace id {}) so the server can de-duplicate",
            bounded(id)
        ),
        // v1 has no de-duplication id: only the receiving side can tell whether it arrived.
        None => f.write_str(
            " — v1 has no de-duplication, so check whether it arrived before sending again",
        ),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(err) => {
                write!(
                    f,
                    "{err}; fix the request (or relax documented limits with LimitPolicy)"
                )
            }
            Error::Api(api) => api.fmt(f),
            Error::Transport {
                endpoint,
                may_have_reached_server,
                trace_id,
                source,
                ..
            } => {
                write!(f, "{endpoint}: {source}; ")?;
                if *may_have_reached_server {
                    write_trace_advice(f, trace_id)
                } else {
                    f.write_str("the request did not reach the server; it is safe to retry")
                }
            }
            Error::HttpStatus {
                endpoint,
                status,
                body_excerpt,
                trace_id,
            } => {
                write!(f, "{endpoint}: HTTP status {status} (the API answers 200 even for errors, so a proxy or gateway may be in the way); body: {body_excerpt:?}; ")?;
                write_trace_advice(f, trace_id)
            }
            Error::Decode {
                endpoint,
                reason,
                body_excerpt,
                trace_id,
            } => {
                write!(
                    f,
                    "{endpoint}: the reply could not be read: {}; body: {body_excerpt:?}; ",
                    bounded(reason)
                )?;
                write_trace_advice(f, trace_id)
            }
            Error::Redirected {
                endpoint,
                to,
                trace_id,
            } => {
                write!(
                    f,
                    "{endpoint}: the HTTP client followed a redirect to {}; give \
                     ClientBuilder::http_client a client built with redirect::Policy::none(); ",
                    bounded_quoted(to)
                )?;
                write_trace_advice(f, trace_id)
            }
            Error::ReplyTooLarge {
                endpoint,
                limit,
                content_length,
                trace_id,
            } => {
                write!(
                    f,
                    "{endpoint}: the reply is larger than the cap of {limit} bytes ("
                )?;
                match content_length {
                    Some(length) => write!(f, "the server declared {length} bytes")?,
                    None => write!(f, "more than {limit} bytes arrived")?,
                }
                f.write_str(
                    "), so it was not read in full nor decoded (ClientBuilder::max_reply_bytes \
                     raises the cap); the server answered, so it received the request and may \
                     have acted on it; retrying may send it twice",
                )?;
                write_dedup_advice(f, trace_id)
            }
            Error::Config { reason } => {
                write!(
                    f,
                    "client configuration: {}; nothing was sent",
                    bounded(reason)
                )
            }
            Error::Pacing { endpoint, error } => write!(
                f,
                "{endpoint}: {error}; nothing was sent, and sending unpaced could block the \
                 application, so retry once the store is back"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            // Validation and Api print their whole content in Display already.
            _ => None,
        }
    }
}

impl From<ValidationError> for Error {
    fn from(err: ValidationError) -> Self {
        Error::Validation(err)
    }
}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(err)
    }
}

/// `text` for a message: whole when at most [`MAX_EXCERPT_CHARS`] characters, else its start
/// and its length, `start… (3145728 bytes, first 200 characters shown)`. Every message built
/// from a reply or a spec value shows it through this (the whole value stays on the error's
/// fields where it matters, e.g. [`ApiError::desc`]).
pub(crate) fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_EXCERPT_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}… ({} bytes, first {MAX_EXCERPT_CHARS} characters shown)",
            &text[..cut],
            text.len()
        )),
    }
}

/// [`bounded`], quoted as `{:?}` quotes: the quotes around the shown part only.
pub(crate) fn bounded_quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_EXCERPT_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!(
            "{:?}… ({} bytes, first {MAX_EXCERPT_CHARS} characters shown)",
            &text[..cut],
            text.len()
        ),
    }
}

/// A bounded rendering of a reply body for error messages: at most [`MAX_EXCERPT_CHARS`]
/// characters, cut on a character boundary, followed by `…` and the total size when cut.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(MAX_EXCERPT_CHARS) {
        None => text.into_owned(),
        Some((cut, _)) => format!("{}… ({} bytes in total)", &text[..cut], body.len()),
    }
}

/// The most bytes of a non-200 reply body that are read, for [`Error::HttpStatus`]'s excerpt:
/// [`MAX_EXCERPT_CHARS`] characters of up to 4 UTF-8 bytes each. The rest is never read.
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 4 * MAX_EXCERPT_CHARS;

/// [`excerpt`] of the start of a body that may not have been read in full: `prefix` is what was
/// read, `complete` false when the body is known to go on past it, `declared` the body's
/// `Content-Length`, if any.
pub(crate) fn excerpt_of_prefix(prefix: &[u8], complete: bool, declared: Option<u64>) -> String {
    if complete {
        return excerpt(prefix);
    }
    let text = String::from_utf8_lossy(prefix);
    // A prefix cut inside a character ends in U+FFFD; MAX_ERROR_BODY_BYTES bytes hold at least
    // MAX_EXCERPT_CHARS whole characters before it, so that cut never shows.
    let cut = text
        .char_indices()
        .nth(MAX_EXCERPT_CHARS)
        .map_or(text.len(), |(at, _)| at);
    let shown = &text[..cut];
    match declared {
        Some(total) => format!("{shown}… ({total} bytes in total)"),
        None => format!("{shown}… (more than {} bytes in total)", prefix.len()),
    }
}

impl Error {
    /// An [`Error::Transport`] whose flags are the transport error's own.
    pub(crate) fn transport(
        endpoint: &'static str,
        trace_id: Option<String>,
        source: TransportError,
    ) -> Self {
        Error::Transport {
            endpoint,
            may_have_reached_server: source.may_have_reached_server(),
            timed_out: source.is_timeout(),
            trace_id,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::validate::{LengthUnit, LimitPolicy, Validator};

    const SECRET: &str = "TOP-SECRET-app-secret-0001";

    fn builder_error() -> TransportError {
        // A request that cannot be built: a real reqwest::Error with no network involved.
        // The crate's own TLS setup: a bare reqwest 0.13 client panics without a crypto provider.
        let http = crate::runtime::tls::http_client_builder()
            .unwrap()
            .build()
            .unwrap();
        TransportError::from_reqwest(http.get("not a url").build().unwrap_err())
    }

    fn every_variant() -> Vec<Error> {
        static PARAMETER_ERROR: StatusInfo = StatusInfo::new(
            414,
            "parameter_error",
            "Parameter error.",
            "Check the parameters.",
        );
        let rate = RateLimit::new(120, 60, Some(60), 416, super::super::endpoint::Blocks::App);
        let mut violations = Validator::new(LimitPolicy::Documented);
        violations.max_chars("msgList[3].ext", &"x".repeat(2000), 1024, LengthUnit::Utf16);
        vec![
            Error::Validation(violations.finish().unwrap_err()),
            Error::Api(ApiError {
                endpoint: "send_batch_msg",
                code: 416,
                status: None,
                desc: Some("api limit".into()),
                rate_limit: Some(rate),
                trace_id: None,
            }),
            Error::Api(ApiError {
                endpoint: "custom_notification_batch",
                code: 414,
                status: Some(&PARAMETER_ERROR),
                desc: Some("checksum error".into()),
                rate_limit: None,
                trace_id: Some("trace-1".into()),
            }),
            Error::Transport {
                endpoint: "send_attach_msg",
                may_have_reached_server: true,
                timed_out: true,
                trace_id: Some("trace-2".into()),
                source: builder_error(),
            },
            Error::Transport {
                endpoint: "send_attach_msg",
                may_have_reached_server: false,
                timed_out: false,
                trace_id: None,
                source: builder_error(),
            },
            Error::HttpStatus {
                endpoint: "x",
                status: 502,
                body_excerpt: "bad gateway".into(),
                trace_id: None,
            },
            Error::Decode {
                endpoint: "x",
                reason: "not JSON".into(),
                body_excerpt: "<html>".into(),
                trace_id: None,
            },
            Error::Config {
                reason: "empty app key".into(),
            },
            Error::ReplyTooLarge {
                endpoint: "send_batch_msg",
                limit: 4096,
                content_length: Some(104_857_600),
                trace_id: None,
            },
            Error::ReplyTooLarge {
                endpoint: "custom_notification_batch",
                limit: 4096,
                content_length: None,
                trace_id: Some("trace-3".into()),
            },
        ]
    }

    #[test]
    fn no_variant_shows_the_secret() {
        for err in every_variant() {
            let shown = format!("{err:?} {err:#?} {err}");
            assert!(!shown.contains(SECRET), "{shown}");
        }
    }

    #[test]
    fn display_gives_advice() {
        let all = every_variant();
        let rate = all[1].to_string();
        assert!(rate.contains("blocks this app for 60 s"), "{rate}");
        assert!(rate.contains("wait before retrying"), "{rate}");
        let unstated = Error::Api(ApiError {
            endpoint: "e",
            code: 416,
            status: None,
            desc: None,
            rate_limit: Some(RateLimit::new(
                100,
                1,
                None,
                416,
                super::super::endpoint::Blocks::Endpoint,
            )),
            trace_id: None,
        })
        .to_string();
        assert!(
            unstated.contains("blocks this endpoint for a time the pages do not state"),
            "{unstated}"
        );
        let validation = all[0].to_string();
        assert!(validation.contains("msgList[3].ext"), "{validation}");
        let maybe = all[3].to_string();
        assert!(maybe.contains("retrying may send it twice"), "{maybe}");
        assert!(maybe.contains("trace-2"), "{maybe}");
        assert!(all[4].to_string().contains("safe to retry"));
        assert!(all[2].to_string().contains("trace-1"));
        // Too large: the server answered, so it may have acted; v2 says to reuse the trace id.
        let declared = all[8].to_string();
        for part in [
            "send_batch_msg:",
            "cap of 4096 bytes",
            "declared 104857600 bytes",
            "not read in full nor decoded",
            "max_reply_bytes",
            "may have acted",
            "retrying may send it twice",
            "v1 has no de-duplication",
        ] {
            assert!(declared.contains(part), "{part:?} in {declared}");
        }
        let streamed = all[9].to_string();
        for part in [
            "more than 4096 bytes arrived",
            "may have acted",
            "resend the same request value (trace id trace-3)",
        ] {
            assert!(streamed.contains(part), "{part:?} in {streamed}");
        }
    }

    #[test]
    fn retry_and_reach_flags() {
        let all = every_variant();
        let safe: Vec<bool> = all.iter().map(Error::is_retry_safe).collect();
        assert_eq!(
            safe,
            [false, true, false, false, true, false, false, false, false, false]
        );
        let reached: Vec<bool> = all.iter().map(Error::may_have_reached_server).collect();
        assert_eq!(
            reached,
            [false, true, true, true, false, true, true, false, true, true]
        );
        let endpoints: Vec<Option<&str>> = all.iter().map(Error::endpoint).collect();
        assert_eq!(
            endpoints[8..],
            [Some("send_batch_msg"), Some("custom_notification_batch")]
        );
        assert!(all[1].api_error().is_some_and(ApiError::is_rate_limited));
        assert!(all[0].api_error().is_none());
        assert!(all[2].to_string().contains("Parameter error"), "{}", all[2]);
        let built = Error::transport("x", None, builder_error());
        assert!(matches!(
            built,
            Error::Transport {
                may_have_reached_server: false,
                timed_out: false,
                ..
            }
        ));
    }

    #[test]
    fn excerpt_is_bounded_on_char_boundaries() {
        assert_eq!(excerpt(b"short"), "short");
        let exact = "a".repeat(MAX_EXCERPT_CHARS);
        assert_eq!(excerpt(exact.as_bytes()), exact);
        // 3-byte characters: a byte-based cut would split one.
        let long = "码".repeat(300);
        let got = excerpt(long.as_bytes());
        assert_eq!(
            got,
            format!("{}… (900 bytes in total)", "码".repeat(MAX_EXCERPT_CHARS))
        );
        // Invalid UTF-8 does not panic.
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }

    #[test]
    fn excerpt_of_a_prefix_tells_the_body_went_on() {
        assert_eq!(excerpt_of_prefix(b"whole", true, Some(5)), "whole");
        let head = "a".repeat(MAX_ERROR_BODY_BYTES);
        let shown = "a".repeat(MAX_EXCERPT_CHARS);
        assert_eq!(
            excerpt_of_prefix(head.as_bytes(), false, Some(1 << 30)),
            format!("{shown}… (1073741824 bytes in total)")
        );
        assert_eq!(
            excerpt_of_prefix(head.as_bytes(), false, None),
            format!("{shown}… (more than {MAX_ERROR_BODY_BYTES} bytes in total)")
        );
        // 4-byte characters fill the prefix exactly: the excerpt still says the body went on.
        let wide = "😀".repeat(MAX_EXCERPT_CHARS);
        assert_eq!(wide.len(), MAX_ERROR_BODY_BYTES);
        assert_eq!(
            excerpt_of_prefix(wide.as_bytes(), false, None),
            format!("{wide}… (more than {MAX_ERROR_BODY_BYTES} bytes in total)")
        );
        // A prefix cut inside a character: the broken end is past the excerpt.
        let mut cut = "码".repeat(MAX_ERROR_BODY_BYTES / 3 + 1).into_bytes();
        cut.truncate(MAX_ERROR_BODY_BYTES);
        let got = excerpt_of_prefix(&cut, false, None);
        assert!(!got.contains('\u{fffd}'), "{got}");
        assert!(got.starts_with(&"码".repeat(MAX_EXCERPT_CHARS)), "{got}");
    }
}
