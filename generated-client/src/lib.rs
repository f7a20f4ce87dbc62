#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` (see Cargo.toml): feature-gated items show their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The hand-written runtime is private: callers reach it through the curated modules below and
// the root re-exports; generated code names it directly (it lives in this crate).
mod runtime;

/// Every error a call, a check, a fan-out or a pacing store can report, and what they carry:
/// the one place to import from when matching on failures.
pub mod error {
    pub use crate::generated::status::ApiErrorKind;
    pub use crate::runtime::dynamic::DynamicError;
    pub use crate::runtime::endpoint::{UnlistedValue, Unreadable};
    pub use crate::runtime::error::{excerpt, ApiError, Error, Result, MAX_EXCERPT_CHARS};
    pub use crate::runtime::fan_out_journal_error::JournalError;
    pub use crate::runtime::pacing::PaceError;
    pub use crate::runtime::transport_error::{TransportError, TransportErrorKind};
    pub use crate::runtime::validate::{
        Measure, Rule, Severity, ValidationError, Violation, MAX_SHOWN_CHARS,
    };
}

/// The client, its builder, and its defaults.
pub mod client {
    pub use crate::runtime::client::{
        Client, ClientBuilder, PreparedRequest, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REPLY_BYTES,
        DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
    };
}

/// Sending one request per chunk of a long list (`<endpoint>_fan_out`), with retries, progress
/// and a per-chunk report.
pub mod fan_out {
    pub use crate::runtime::fan_out::{
        CancelHandle, ChunkReport, Counts, FanOut, FanOutReport, FanOutRequest, Outcome, Progress,
        RetryPolicy, DEFAULT_CONCURRENCY, FATAL_CODES, MAX_ATTEMPTS,
    };
    pub use crate::runtime::fan_out_journal::{Journal, JournalError};
    pub use crate::runtime::fan_out_resume::JournaledFanOut;
}

/// Pacing calls to the spec's rate limits, in process or shared through a store.
pub mod pacing {
    pub use crate::runtime::pacing::{LocalPaceStore, Pace, PaceKey, PaceStore, Take};
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub use crate::runtime::pacing_redis::{
        RedisPaceStore, RedisPaceStoreBuilder, Unavailable, DEFAULT_COMMAND_TIMEOUT,
        DEFAULT_KEY_PREFIX,
    };
}

/// Request signing: the credentials, the `CheckSum` and the sources of time and nonces.
pub mod auth {
    pub use crate::runtime::auth::{
        checksum, sign, Clock, Credentials, NonceSource, OsRandomNonce, SignedHeaders, SystemClock,
        MAX_NONCE_CHARS,
    };
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub use crate::runtime::auth::{FixedClock, FixedNonce};
}

/// What generated endpoints are made of: their static description, the request and reply
/// traits, and the policy for documented limits.
pub mod endpoint {
    pub use crate::runtime::endpoint::{
        new_trace_id, ApiGeneration, ApiReply, ApiRequest, Blocks, Endpoint, Location, Paged,
        RateLimit, StatusInfo, DEFAULT_BLOCK_SECONDS,
    };
    pub use crate::runtime::file_content::FileContent;
    pub use crate::runtime::validate::{LimitPolicy, Validate};
}

/// Not public API: what generated code names in public signatures (the checks' walker and its
/// argument types). It may change in any release.
#[doc(hidden)]
pub mod __support {
    pub use crate::runtime::validate::{
        Blob, Comparable, Compare, Count, LengthUnit, Nested, Num, Number, Pattern, Step, Text,
        TextList, Unlisted, Validator,
    };
}

// Generated code is formatted by the generator (prettyplease); rustfmt must not restyle it,
// or the drift check would fail after every `cargo fmt`.
#[rustfmt::skip]
mod generated;
pub use client::{Client, ClientBuilder, PreparedRequest};
pub use error::{ApiError, ApiErrorKind, Error, Result, ValidationError, Violation};
pub use generated::*;
