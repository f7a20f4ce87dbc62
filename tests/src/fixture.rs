//! The recorded-fixture format: one YAML file per exchange, `tests/fixtures/<endpoint>/<case>.yaml`.
//!
//! See `tests/fixtures/README.md` for the format as a fixture author reads it. This module only
//! reads the files and checks that each one is complete; [`crate::replay`] runs them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// `AppKey` when a fixture names none (the key shown on the vendor's pages).
pub const DEFAULT_APP_KEY: &str = "go9dnk49bkd9jd9vmel1kglw0803mgq3";
/// `AppSecret` when a fixture names none.
pub const DEFAULT_APP_SECRET: &str = "c9e6ea3b1e4a";
/// `CurTime` when a fixture names none (the time shown on the vendor's pages).
pub const DEFAULT_CLOCK: u64 = 1_443_592_222;
/// `Nonce` when a fixture names none (the nonce shown on the vendor's pages).
pub const DEFAULT_NONCE: &str = "4tgggergigwow323t23t";
/// The client's whole-request timeout when a fixture names none, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;
/// The longest `reply.delay_ms` a fixture may ask for: the suite must stay fast.
pub const MAX_DELAY_MS: u64 = 2_000;
/// The four signing headers every fixture must pin with exact values.
pub const SIGNING_HEADERS: [&str; 4] = ["AppKey", "Nonce", "CurTime", "CheckSum"];
/// The v2 de-duplication header.
pub const TRACE_ID_HEADER: &str = "X-custom-traceid";

/// One recorded exchange: the call, the request the client must send, the server's reply and
/// the outcome the caller must see.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What the exchange shows, and where it comes from (page, repairs made to the page's JSON).
    pub description: String,
    /// The request in spec terms: wire names and wire values (lists as lists, enums as integers).
    pub call: Value,
    /// Values built from the spec: wire path (`alias`, `msgList[0].ext`) to the limit (`max_chars`,
    /// `max_items`, `max`, `min_chars`, `min_items`, `min`) the call's value there is one past.
    /// The tightest such limit that applies to the call is used, so raising it in `spec/` moves
    /// the value with it.
    #[serde(default)]
    pub past_limits: std::collections::BTreeMap<String, String>,
    /// The v2 `X-custom-traceid` the call uses.
    #[serde(default)]
    pub trace_id: Option<String>,
    /// `CurTime`, Unix seconds.
    #[serde(default = "default_clock")]
    pub clock: u64,
    /// `Nonce`.
    #[serde(default = "default_nonce")]
    pub nonce: String,
    /// `AppKey`.
    #[serde(default = "default_app_key")]
    pub app_key: String,
    /// The AppSecret that signs; it never travels.
    #[serde(default = "default_app_secret")]
    pub app_secret: String,
    /// The client's whole-request timeout, in milliseconds.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// The request the client must send; absent exactly when nothing may be sent.
    #[serde(default)]
    pub request: Option<ExpectedRequest>,
    /// The recorded reply; absent exactly when nothing may be sent.
    #[serde(default)]
    pub reply: Option<RecordedReply>,
    /// What `send_json` must return.
    pub expect: Expect,
}

/// The request the client must send.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRequest {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path as sent, without query: path parameters appear percent-encoded (`a%7C1%7Cb`).
    pub path: String,
    /// The query parameters, decoded, each sent once; without it, no query string may be sent.
    #[serde(default)]
    pub query: Option<BTreeMap<String, String>>,
    /// The query string exactly as sent, when its encoding matters (`%7C`, `%2C`).
    #[serde(default)]
    pub query_raw: Option<String>,
    /// Header expectations.
    #[serde(default)]
    pub headers: HeaderExpectations,
    /// The exact `Content-Type` value; without it (a GET or DELETE), none may be sent, nor a body.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Form body: a map of field to value. JSON body: the JSON value.
    #[serde(default)]
    pub body: Option<Value>,
}

/// Headers the request must carry. Names compare case-insensitively, values exactly.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderExpectations {
    /// Headers with their exact values.
    #[serde(default)]
    pub equals: BTreeMap<String, String>,
    /// Headers that must exist, with any value.
    #[serde(default)]
    pub present: Vec<String>,
    /// Headers that must not be sent.
    #[serde(default)]
    pub absent: Vec<String>,
}

/// What the server answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedReply {
    /// HTTP status.
    #[serde(default = "default_status")]
    pub status: u16,
    /// Reply headers, sent as they are.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The exact body bytes, as a string.
    #[serde(default)]
    pub body: String,
    /// The exact body bytes in hex, for bodies that are not UTF-8 (instead of `body`).
    #[serde(default)]
    pub body_hex: Option<String>,
    /// How long the server waits before answering, in milliseconds.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// The server reads the request, then closes the connection without any reply.
    #[serde(default)]
    pub close_connection: bool,
}

impl RecordedReply {
    /// The body bytes the server sends: `body_hex` decoded, else `body`.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        let Some(hex) = &self.body_hex else {
            return Ok(self.body.as_bytes().to_vec());
        };
        let digits: Vec<char> = hex.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.len().is_multiple_of(2) {
            return Err("`reply.body_hex` has an odd number of digits".into());
        }
        digits
            .chunks(2)
            .map(|pair| {
                let text: String = pair.iter().collect();
                u8::from_str_radix(&text, 16)
                    .map_err(|_| format!("`reply.body_hex` holds {text:?}, which is not hex"))
            })
            .collect()
    }
}

/// The outcome: exactly one of `reply` and `error`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The decoded reply as JSON in wire names (what `send_json` returns).
    #[serde(default)]
    pub reply: Option<Value>,
    /// With `reply`: the paths of the reply values the client could not read (left unset);
    /// empty unless given, so a value the client drops must be named here.
    #[serde(default)]
    pub unreadable: Vec<String>,
    /// With `reply`: the wire paths validation warned of (values that have no effect); empty
    /// unless given.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The error `send_json` returns.
    #[serde(default)]
    pub error: Option<ExpectedError>,
}

/// The kinds of [`yunxin_im::Error`] a fixture can expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request broke the spec's rules; nothing was sent.
    Validation,
    /// The body `code` was not 200.
    Api,
    /// The HTTP exchange failed.
    Transport,
    /// An HTTP status other than 200.
    HttpStatus,
    /// The reply was not JSON or not of the spec's shape.
    Decode,
}

impl ErrorKind {
    /// The name fixtures use.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Api => "api",
            ErrorKind::Transport => "transport",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::Decode => "decode",
        }
    }
}

/// The expected error. Every field but `kind` is optional; what is given is compared.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedError {
    /// The error's kind.
    pub kind: ErrorKind,
    /// `api`: the body `code`.
    #[serde(default)]
    pub code: Option<i64>,
    /// `api`: the snake_case name of `ApiErrorKind` (`parameter_error`, `rate_limited`, `other`).
    #[serde(default)]
    pub api_kind: Option<String>,
    /// `api`: the server's `desc` (v1) or `msg` (v2).
    #[serde(default)]
    pub desc: Option<String>,
    /// `api`: whether the error carries the endpoint's rate limit.
    #[serde(default)]
    pub rate_limited: Option<bool>,
    /// `Error::may_have_reached_server()`.
    #[serde(default)]
    pub may_have_reached_server: Option<bool>,
    /// `transport`: whether it was a timeout.
    #[serde(default)]
    pub timed_out: Option<bool>,
    /// `http_status`: the HTTP status.
    #[serde(default)]
    pub status: Option<u16>,
    /// `api`, `transport`, `http_status`: the trace id the error carries (v2).
    #[serde(default)]
    pub trace_id: Option<String>,
    /// `validation`: the wire paths of the broken rules, in the client's order.
    #[serde(default)]
    pub violations: Option<Vec<String>>,
}

fn default_clock() -> u64 {
    DEFAULT_CLOCK
}
fn default_nonce() -> String {
    DEFAULT_NONCE.to_owned()
}
fn default_app_key() -> String {
    DEFAULT_APP_KEY.to_owned()
}
fn default_app_secret() -> String {
    DEFAULT_APP_SECRET.to_owned()
}
fn default_status() -> u16 {
    200
}

impl Fixture {
    /// Reads one fixture file.
    pub fn load(path: &Path) -> Result<Fixture, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("{}: cannot read: {err}", path.display()))?;
        Fixture::parse(&text).map_err(|err| format!("{}: {err}", path.display()))
    }

    /// Parses a fixture's YAML text.
    pub fn parse(text: &str) -> Result<Fixture, String> {
        serde_yaml::from_str(text).map_err(|err| format!("not a valid fixture: {err}"))
    }

    /// Whether the exchange must stop before anything is sent.
    pub fn expects_nothing_sent(&self) -> bool {
        matches!(&self.expect.error, Some(e) if e.kind == ErrorKind::Validation)
    }

    /// The header value the fixture pins, by case-insensitive name.
    pub fn pinned_header(&self, name: &str) -> Option<&str> {
        let request = self.request.as_ref()?;
        request
            .headers
            .equals
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// What is incomplete or contradictory in the fixture itself, one line each. `v2` says
    /// whether the endpoint belongs to the v2 API (which must pin `X-custom-traceid`).
    pub fn problems(&self, v2: bool) -> Vec<String> {
        let mut out = Vec::new();
        if self.description.trim().is_empty() {
            out.push("`description` is empty".to_owned());
        }
        if !self.call.is_object() {
            out.push("`call` must be a map of wire names to wire values".to_owned());
        }
        match (&self.expect.reply, &self.expect.error) {
            (Some(_), Some(_)) => out.push("`expect` holds both `reply` and `error`".to_owned()),
            (None, None) => out.push("`expect` holds neither `reply` nor `error`".to_owned()),
            _ => {}
        }
        if let Some(error) = &self.expect.error {
            error_problems(error, &mut out);
        }
        if self.expects_nothing_sent() {
            if self.request.is_some() || self.reply.is_some() {
                out.push(
                    "a validation error sends nothing: leave out `request` and `reply`".to_owned(),
                );
            }
            return out;
        }
        match &self.request {
            None => out.push("`request` is missing".to_owned()),
            Some(request) => request_problems(request, &mut out),
        }
        match &self.reply {
            None => out.push("`reply` is missing".to_owned()),
            Some(reply) => self.reply_problems(reply, &mut out),
        }
        if v2 {
            match (&self.trace_id, self.pinned_header(TRACE_ID_HEADER)) {
                (None, _) => out.push("a v2 fixture must set `trace_id`".to_owned()),
                (Some(_), None) => out.push(format!(
                    "a v2 fixture must pin `{TRACE_ID_HEADER}` in `request.headers.equals`"
                )),
                (Some(id), Some(header)) if id != header => out.push(format!(
                    "`trace_id` is {id:?} but the pinned `{TRACE_ID_HEADER}` is {header:?}"
                )),
                _ => {}
            }
        } else if self.trace_id.is_some() {
            out.push("`trace_id` applies to v2 endpoints only".to_owned());
        }
        out
    }

    fn reply_problems(&self, reply: &RecordedReply, out: &mut Vec<String>) {
        if reply.body_hex.is_some() && !reply.body.is_empty() {
            out.push("`reply` holds both `body` and `body_hex`".to_owned());
        }
        if let Err(problem) = reply.bytes() {
            out.push(problem);
        }
        if !(100..=999).contains(&reply.status) {
            out.push(format!(
                "`reply.status` {} is not an HTTP status",
                reply.status
            ));
        }
        if reply.close_connection
            && (reply.status != 200
                || !reply.headers.is_empty()
                || !reply.body.is_empty()
                || reply.delay_ms.is_some())
        {
            out.push(
                "`reply.close_connection` sends no reply: leave out status, headers, body and delay_ms"
                    .to_owned(),
            );
        }
        if let Some(delay) = reply.delay_ms {
            if delay > MAX_DELAY_MS {
                out.push(format!(
                    "`reply.delay_ms` is {delay}; at most {MAX_DELAY_MS} keeps the suite fast"
                ));
            }
            let timeout = self.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
            if self.timeout_ms.is_none() || timeout >= delay {
                out.push(format!(
                    "`reply.delay_ms` ({delay}) needs a shorter `timeout_ms` (now {timeout})"
                ));
            }
        }
    }
}

fn request_problems(request: &ExpectedRequest, out: &mut Vec<String>) {
    for name in SIGNING_HEADERS {
        if !request
            .headers
            .equals
            .keys()
            .any(|k| k.eq_ignore_ascii_case(name))
        {
            out.push(format!(
                "`request.headers.equals` must pin `{name}` (CheckSum computed independently)"
            ));
        }
    }
    if request
        .headers
        .equals
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"))
    {
        out.push("put the content type in `request.content_type`, not in the headers".to_owned());
    }
    let form = request.content_type.as_deref().is_some_and(|ct| {
        ct.starts_with("application/x-www-form-urlencoded") || ct.starts_with("multipart/form-data")
    });
    if request.content_type.is_some() != request.body.is_some() {
        out.push(
            "`request.content_type` and `request.body` go together (a GET or DELETE has neither)"
                .to_owned(),
        );
    }
    if form && !request.body.as_ref().is_some_and(Value::is_object) {
        out.push("a form `request.body` must be a map of field to value".to_owned());
    }
}

fn error_problems(error: &ExpectedError, out: &mut Vec<String>) {
    let mut need = |ok: bool, what: &str| {
        if !ok {
            out.push(format!(
                "an expected `{}` error must state `{what}`",
                error.kind.name()
            ));
        }
    };
    match error.kind {
        ErrorKind::Api => need(error.code.is_some(), "code"),
        ErrorKind::HttpStatus => need(error.status.is_some(), "status"),
        ErrorKind::Transport => {
            need(
                error.may_have_reached_server.is_some(),
                "may_have_reached_server",
            );
            need(error.timed_out.is_some(), "timed_out");
        }
        ErrorKind::Validation | ErrorKind::Decode => {}
    }
    let api_only = [
        ("code", error.code.is_some()),
        ("api_kind", error.api_kind.is_some()),
        ("desc", error.desc.is_some()),
        ("rate_limited", error.rate_limited.is_some()),
    ];
    if error.kind != ErrorKind::Api {
        for (name, set) in api_only {
            if set {
                out.push(format!(
                    "`{name}` applies to `api` errors only, not `{}`",
                    error.kind.name()
                ));
            }
        }
    }
    if error.kind != ErrorKind::Validation && error.violations.is_some() {
        out.push("`violations` applies to `validation` errors only".to_owned());
    }
    if error.kind != ErrorKind::Transport && error.timed_out.is_some() {
        out.push("`timed_out` applies to `transport` errors only".to_owned());
    }
    if error.kind != ErrorKind::HttpStatus && error.status.is_some() {
        out.push("`status` applies to `http_status` errors only".to_owned());
    }
}

/// One fixture file on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FixtureFile {
    /// The folder name: the spec's endpoint name.
    pub endpoint: String,
    /// The file stem: the case name.
    pub case: String,
    /// The file.
    pub path: PathBuf,
}

impl FixtureFile {
    /// `endpoint/case`, the name failures are reported under.
    pub fn name(&self) -> String {
        format!("{}/{}", self.endpoint, self.case)
    }
}

/// Every `*.yaml` one folder below `root`, sorted by endpoint then case. Other files (the
/// README) are ignored; a `.yml` file is reported, as it would otherwise be silently skipped.
pub fn fixture_files(root: &Path) -> Result<Vec<FixtureFile>, String> {
    let read = |dir: &Path| {
        std::fs::read_dir(dir).map_err(|err| format!("{}: cannot list: {err}", dir.display()))
    };
    let mut files = Vec::new();
    for entry in read(root)? {
        let entry = entry.map_err(|err| err.to_string())?;
        let dir = entry.path();
        if !dir.is_dir() {
            continue;
        }
        let endpoint = entry.file_name().to_string_lossy().into_owned();
        for file in read(&dir)? {
            let path = file.map_err(|err| err.to_string())?.path();
            match path.extension().and_then(|e| e.to_str()) {
                Some("yaml") => {}
                Some("yml") => {
                    return Err(format!(
                        "{}: fixtures end in `.yaml`; rename it",
                        path.display()
                    ))
                }
                _ => continue,
            }
            let case = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push(FixtureFile {
                endpoint: endpoint.clone(),
                case,
                path,
            });
        }
    }
    files.sort();
    Ok(files)
}
