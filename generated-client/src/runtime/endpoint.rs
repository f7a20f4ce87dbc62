//! What generated code tells the runtime about each endpoint and request: plain data and two
//! small traits, so the runtime never names a generated item.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::validate::Validate;

/// The two API generations of the vendor's server API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiGeneration {
    /// `/nimserver/...*.action`: form-encoded body, reply `{code, desc?, ...}`.
    V1,
    /// `/im/v2/...`: JSON body, reply envelope `{code, msg, data}`.
    V2,
}

/// What passing a rate limit blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Blocks {
    /// Every endpoint of the application.
    App,
    /// The endpoint that was called too often.
    Endpoint,
}

/// The documented rate limit of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// Calls allowed per window.
    pub calls: u32,
    /// The window, in seconds.
    pub window_seconds: u32,
    /// How long a passed limit blocks, in seconds; `None` when no source states it (the client
    /// then waits [`DEFAULT_BLOCK_SECONDS`], or what the builder sets).
    pub block_seconds: Option<u32>,
    /// The body `code` the server answers when the limit is passed.
    pub code: i64,
    /// What a passed limit blocks.
    pub blocks: Blocks,
}

/// How long a rate-limit block lasts when no source states it: a minute, the longest the
/// documented blocks of this API last.
pub const DEFAULT_BLOCK_SECONDS: u32 = 60;

impl RateLimit {
    /// A rate limit of `calls` per `window_seconds`, blocking `blocks` for `block_seconds` after `code`.
    pub const fn new(
        calls: u32,
        window_seconds: u32,
        block_seconds: Option<u32>,
        code: i64,
        blocks: Blocks,
    ) -> Self {
        RateLimit {
            calls,
            window_seconds,
            block_seconds,
            code,
            blocks,
        }
    }
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// The form (v1) or JSON (v2) body.
    Body,
    /// The query string.
    Query,
    /// A `{name}` segment of the path.
    Path,
}

/// What a body `code` means, from the spec: the page's own words where the endpoint's page lists
/// the code, else the API-wide ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusInfo {
    /// The body `code`.
    pub code: i64,
    /// The spec's snake_case kind, e.g. `rate_limited`.
    pub kind: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// What to do about it; empty when the pages give no advice.
    pub advice: &'static str,
}

impl StatusInfo {
    /// A status code's description.
    pub const fn new(
        code: i64,
        kind: &'static str,
        meaning: &'static str,
        advice: &'static str,
    ) -> Self {
        StatusInfo {
            code,
            kind,
            meaning,
            advice,
        }
    }
}

/// Static description of one endpoint, generated from the spec.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Endpoint {
    /// The spec's name of the endpoint, e.g. `send_batch_msg`.
    pub name: &'static str,
    /// The API generation, which decides body encoding and reply envelope.
    pub api: ApiGeneration,
    /// HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// Path below the base URL, e.g. `/nimserver/msg/sendBatchMsg.action`; `{name}` segments
    /// are filled from path parameters.
    pub path: &'static str,
    /// The hosts that serve it, the spec's default first.
    pub hosts: &'static [&'static str],
    /// The documented rate limit, when a source states one.
    pub rate_limit: Option<RateLimit>,
    /// The codes its page lists, then every other code the spec knows.
    pub status: &'static [&'static [StatusInfo]],
    /// The parameters (wire names) that travel in the path or the query; all others in the body.
    pub params: &'static [(&'static str, Location)],
    /// A DELETE whose request has body fields (POST, PUT and PATCH always have a body).
    delete_with_body: bool,
    /// The body is `multipart/form-data`: text fields as text parts, `bytes` fields as file parts.
    multipart: bool,
}

impl Endpoint {
    /// Describes an endpoint; `status` holds the page's codes first, then the API-wide ones.
    pub const fn new(
        name: &'static str,
        api: ApiGeneration,
        method: &'static str,
        path: &'static str,
        hosts: &'static [&'static str],
        rate_limit: Option<RateLimit>,
        status: &'static [&'static [StatusInfo]],
    ) -> Self {
        Endpoint {
            name,
            api,
            method,
            path,
            hosts,
            rate_limit,
            status,
            params: &[],
            delete_with_body: false,
            multipart: false,
        }
    }

    /// The same endpoint with a `multipart/form-data` body.
    pub const fn with_multipart(mut self) -> Self {
        self.multipart = true;
        self
    }

    /// Whether the body is `multipart/form-data` (else a form for v1, JSON for v2).
    pub fn is_multipart(&self) -> bool {
        self.multipart
    }

    /// The same DELETE endpoint with a body: some fields travel in it.
    pub const fn with_delete_body(mut self) -> Self {
        self.delete_with_body = true;
        self
    }

    /// The same endpoint with `params` travelling in the path or the query.
    pub const fn with_params(mut self, params: &'static [(&'static str, Location)]) -> Self {
        self.params = params;
        self
    }

    /// Where the parameter `wire` travels.
    pub fn location(&self, wire: &str) -> Location {
        self.params
            .iter()
            .find(|(name, _)| *name == wire)
            .map_or(Location::Body, |(_, location)| *location)
    }

    /// Whether every parameter travels in the body.
    pub fn body_only(&self) -> bool {
        self.params.is_empty()
    }

    /// Whether its requests carry a body: POST, PUT and PATCH always, a DELETE when the spec
    /// puts fields in it, a GET never.
    pub fn has_body(&self) -> bool {
        matches!(self.method, "POST" | "PUT" | "PATCH") || self.delete_with_body
    }

    /// What `code` means for this endpoint, if the spec knows it.
    pub fn status(&self, code: i64) -> Option<&'static StatusInfo> {
        self.status
            .iter()
            .flat_map(|s| s.iter())
            .find(|s| s.code == code)
    }
}

/// Implemented by every generated request type.
///
/// `Serialize` gives the wire form: the form fields of a v1 request (JSON-text fields as
/// strings), the JSON body of a v2 one. `DeserializeOwned` reads it back, so a request can be
/// queued, logged or cached.
pub trait ApiRequest: Validate + Serialize + DeserializeOwned {
    /// The typed reply.
    type Reply: ApiReply;
    /// The endpoint this request is sent to.
    const ENDPOINT: &'static Endpoint;
    /// The `X-custom-traceid` of this logical request (v2 only).
    fn trace_id(&self) -> Option<&str> {
        None
    }
    /// The files of a multipart request, by wire name, in the spec's order; the files that are
    /// set only. Empty for every other request.
    fn file_parts(&self) -> Vec<(&'static str, &super::file_content::FileContent)> {
        Vec::new()
    }
}

/// Implemented by every generated reply type.
pub trait ApiReply: Serialize + DeserializeOwned + Default {
    /// The wire names of the reply's own fields, from the spec: for v1 beside `code` and `desc`,
    /// for v2 inside `data`. A code-200 reply is read against them to notice a reply of another
    /// shape (its fields nested under a key the spec does not name, or none of them at all).
    const WIRE_FIELDS: &'static [&'static str];
    /// Records the reply fields the client could not read (they are left unset).
    fn set_unreadable(&mut self, unreadable: Vec<Unreadable>);
    /// The reply fields the client could not read.
    fn unreadable(&self) -> &[Unreadable];
}

/// A reply field that arrived but could not be read as the spec describes; the field is left
/// unset. A reply whose code says success is still a success: nothing is silently dropped, and
/// nothing makes the caller believe the call failed.
///
/// A reply of another shape than the spec's is named here too, so that it cannot pass for an
/// empty result: a field of the reply found one level down under a key the spec does not name
/// (path `data.msgids`: the reply's `msgids` under `data`; for v2 also under an envelope key
/// beside `data`, which the reason says), and, when none of the reply's fields arrived, each key
/// that did. Keys the spec does not name beside at least one of the reply's
/// fields are not named (vendors add fields), nor is anything in a reply whose spec lists no
/// fields; an empty reply (`{"code":200}`, a v2 `data` of `{}`) names nothing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Unreadable {
    /// Wire path of the value among the reply's fields (for v2, inside `data`), e.g.
    /// `success[0].gsfd.time`; `.` is the reply as a whole (a body cut short after its code),
    /// `data` a v2 `data` that is not an object.
    pub path: String,
    /// Why it could not be read.
    pub reason: String,
}

/// A wire value that an enum of the spec does not list (a closed enum refuses it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnlistedValue {
    /// The enum's name in the spec.
    pub type_name: &'static str,
    /// The value as it arrived.
    pub value: String,
}

impl UnlistedValue {
    /// `code` is not a value of `type_name`.
    pub fn new(type_name: &'static str, code: i32) -> Self {
        UnlistedValue {
            type_name,
            value: code.to_string(),
        }
    }

    /// `text` is not the wire integer of a value of `type_name`.
    pub fn text(type_name: &'static str, text: &str) -> Self {
        UnlistedValue {
            type_name,
            value: format!("{text:?}"),
        }
    }
}

impl std::fmt::Display for UnlistedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is not a value of {}", self.value, self.type_name)
    }
}

impl std::error::Error for UnlistedValue {}

/// An endpoint whose replies page through a long result: by cursor, by offset or by time window,
/// as its spec declares; the generated `next_page` reads the fields that form names.
pub trait Paged: ApiRequest + Clone {
    /// One item of a page.
    type Item;
    /// The request for the first page: this one, with what the form fixes for every page (a
    /// time window's newest-first order) set.
    fn first_page(&self) -> Self {
        self.clone()
    }
    /// The request for the page after `reply`, the reply to this request; `None` when `reply`
    /// is the last page.
    fn next_page(&self, reply: &Self::Reply) -> Option<Self>;
    /// The page's items.
    fn items(reply: Self::Reply) -> Vec<Self::Item>;
}

/// A fresh `X-custom-traceid`: a random UUID, made once per logical request.
pub fn new_trace_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
