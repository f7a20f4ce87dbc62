//! The client: configuration, and the generic `send` that every generated endpoint method uses.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::auth::{
    is_usable_nonce, sign, Clock, Credentials, NonceSource, OsRandomNonce, SignedHeaders,
    SystemClock,
};
use super::endpoint::{ApiGeneration, ApiReply, ApiRequest, Endpoint, Paged};
use super::error::{excerpt, ApiError, Error};
use super::pacing::{Pace, PaceStore, Pacer, PacerSettings};
use super::shape;
use super::transport;
use super::validate::{LimitPolicy, Measure, Rule, ValidationError, Validator, Violation};
use super::wire::{self, Envelope};
use futures_util::Stream;

/// The default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default cap on the body of one reply: 4 MiB. Set with [`ClientBuilder::max_reply_bytes`].
///
/// Why 4 MiB: the largest legitimate replies of this API are well under 1.2 MiB. The longest is
/// `send_batch_attach_msg`'s `unregister`, at most one entry per receiver (5000 accids of at most
/// 32 characters): 5000 × 37 bytes ≈ 185 KB as JSON text inside the JSON reply, and ≈ 1.15 MB
/// even if every character arrived as an escaped `\\uXXXX` (7 bytes). Next come
/// `chatroom_batch_send_msg_to_someone`'s echo of at most 10 messages with `attach` and `ext` of
/// at most 4096 characters each (≤ 600 KB escaped), `send_batch_msg`'s 500-receiver `unregister`
/// and 100-receiver `msgids` map (≤ 150 KB), and `custom_notification_batch`'s per-receiver
/// lists (about 100 bytes a receiver: 4 MiB would take over 40 000 receivers). Decoding costs up
/// to ~40 bytes of memory per reply byte (a list of short strings), so the cap also bounds one
/// call's memory to roughly 160 MB, where an unbounded 100 MB reply took about 4 GB.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 4 * 1024 * 1024;
/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("yunxin-im/", env!("CARGO_PKG_VERSION"));

/// A client of the IM server API. Cheap to clone: clones share one connection pool and one
/// pacing budget.
///
/// It never retries a call that may have reached the server: a retry could deliver a message
/// twice. The one resend it makes is to the next host when a host refuses the connection (see
/// [`ClientBuilder::base_urls`]). See [`Error::is_retry_safe`] and
/// [`Error::may_have_reached_server`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    pub(crate) clock: Box<dyn Clock>,
    pub(crate) nonces: Box<dyn NonceSource>,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: String,
    /// Set on the builder, tried in order; empty: the spec's hosts.
    v1_base_urls: Vec<String>,
    v2_base_urls: Vec<String>,
    /// Per generation, the host index the last call reached (a refused host is not retried first).
    preferred_host: [AtomicUsize; 2],
    connect_timeout: Duration,
    pub(crate) own_http_client: bool,
    policy: LimitPolicy,
    pacer: Option<Arc<Pacer>>,
    pub(crate) max_reply_bytes: usize,
}

impl Client {
    /// A client with default settings for the application `app_key`.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Result<Client, Error> {
        Client::builder(app_key, app_secret).build()
    }

    /// A builder for a client of the application `app_key`.
    pub fn builder(app_key: impl Into<String>, app_secret: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            credentials: Credentials::new(app_key, app_secret),
            v1_base_urls: Vec::new(),
            v2_base_urls: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            clock: Box::new(SystemClock),
            nonces: Box::new(OsRandomNonce),
            policy: LimitPolicy::default(),
            pace: false,
            pacing: PacerSettings::default(),
            http: None,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
        }
    }

    /// The application's key.
    pub fn app_key(&self) -> &str {
        self.inner.credentials.app_key()
    }

    /// Whether documented upper limits are enforced before sending.
    pub fn limit_policy(&self) -> LimitPolicy {
        self.inner.policy
    }

    /// The first base URL set for an API generation, if any; unset, each endpoint goes to the
    /// hosts its spec names.
    pub fn base_url(&self, api: ApiGeneration) -> Option<&str> {
        self.base_urls(api).first().map(String::as_str)
    }

    /// Every base URL set for an API generation, in the order they are tried.
    pub fn base_urls(&self, api: ApiGeneration) -> &[String] {
        match api {
            ApiGeneration::V1 => &self.inner.v1_base_urls,
            ApiGeneration::V2 => &self.inner.v2_base_urls,
        }
    }

    /// How many hosts serve `endpoint`: those set for its generation, else those its spec names.
    fn host_count(&self, endpoint: &Endpoint) -> usize {
        match self.base_urls(endpoint.api) {
            [] => endpoint.hosts.len(),
            set => set.len(),
        }
    }

    /// The `index`th host of `endpoint`, in the order tried (`index` below [`Self::host_count`]).
    fn host(&self, endpoint: &Endpoint, index: usize) -> &str {
        match self.base_urls(endpoint.api) {
            [] => endpoint.hosts.get(index).copied().unwrap_or_default(),
            set => set[index].as_str(),
        }
    }

    /// The index of the host the next request to `endpoint` goes to first.
    fn preferred_host(&self, endpoint: &Endpoint) -> usize {
        self.inner.preferred_host[generation_index(endpoint.api)].load(Ordering::Relaxed)
            % self.host_count(endpoint).max(1)
    }

    /// The base URL the next request to `endpoint` goes to first.
    fn base_for(&self, endpoint: &Endpoint) -> &str {
        self.host(endpoint, self.preferred_host(endpoint))
    }

    /// The URL requests to `endpoint` are sent to, path template included (`{name}` segments
    /// are filled from each request's path parameters).
    pub fn endpoint_url(&self, endpoint: &Endpoint) -> String {
        transport::join_url(self.base_for(endpoint), endpoint.path)
    }

    /// Checks `request` against the spec's rules under this client's [`LimitPolicy`], without
    /// sending anything; `Ok` holds the warnings (values the pages say have no effect).
    /// [`Client::send`] runs the same checks.
    pub fn validate<R: ApiRequest>(&self, request: &R) -> Result<Vec<Violation>, ValidationError> {
        validate_request(self.inner.policy, request)
    }

    /// Validates, encodes and signs `request` exactly as [`Client::send`] does, without sending
    /// it: the method, URL, headers and body bytes that `send` would put on the wire now.
    ///
    /// For inspecting or measuring what leaves the process, or for sending through another HTTP
    /// stack. The signature holds the current second and a fresh nonce, and the server refuses a
    /// stale `CurTime`: send a prepared request at once, or prepare it again. `send` signs after
    /// any [pacing](ClientBuilder::pace_to_rate_limits) wait, so its `CurTime` is always fresh.
    /// Fails as `send` fails before the network: [`Error::Validation`], or [`Error::Config`].
    pub fn prepare<R: ApiRequest>(&self, request: &R) -> Result<PreparedRequest, Error> {
        self.sign(self.encode_checked(request)?)
    }

    /// The unsigned part of [`Client::prepare`]: validation and encoding.
    fn encode_checked<R: ApiRequest>(&self, request: &R) -> Result<Unsigned, Error> {
        let endpoint = R::ENDPOINT;
        let warnings = self.validate(request)?;
        // Only v2 carries the de-duplication id; v1 has no such header.
        let trace_id = match endpoint.api {
            ApiGeneration::V1 => None,
            ApiGeneration::V2 => request.trace_id().map(str::to_owned),
        };
        let encoded = wire::encode(request).map_err(|reason| Error::Config {
            reason: format!("the request could not be encoded: {reason}"),
        })?;
        let mut path_and_query = encoded.path;
        if let Some(query) = &encoded.query {
            path_and_query.push('?');
            path_and_query.push_str(query);
        }
        Ok(Unsigned {
            endpoint,
            url: transport::join_url(self.base_for(endpoint), &path_and_query),
            path_and_query,
            body: encoded.body,
            trace_id,
            warnings,
        })
    }

    /// The signing part of [`Client::prepare`]: a fresh nonce and the current second.
    fn sign(&self, unsigned: Unsigned) -> Result<PreparedRequest, Error> {
        let inner = &self.inner;
        let signed = sign(
            &inner.credentials,
            inner.clock.as_ref(),
            inner.nonces.as_ref(),
        );
        if !is_usable_nonce(&signed.nonce) {
            return Err(Error::Config {
                reason: "the nonce source returned a nonce that is empty, longer than 128 \
                         characters, or not visible ASCII"
                    .into(),
            });
        }
        let (content_type, body) = match unsigned.body {
            Some(body) => (Some(body.content_type), body.bytes),
            None => (None, Vec::new()),
        };
        Ok(PreparedRequest {
            endpoint: unsigned.endpoint,
            url: unsigned.url,
            path_and_query: unsigned.path_and_query,
            signed,
            user_agent: inner.user_agent.clone(),
            content_type,
            trace_id: unsigned.trace_id,
            body,
            warnings: unsigned.warnings,
        })
    }

    /// Validates, signs and sends `request`, then reads the reply.
    ///
    /// Nothing is sent when validation fails. Exactly one HTTP attempt is made, with a fresh
    /// nonce and checksum. A reply whose body `code` is 200 is always `Ok`: reply fields that
    /// cannot be read are left unset and named in the reply's `unreadable` list.
    /// What goes on the wire is what [`Client::prepare`] returns.
    pub async fn send<R: ApiRequest>(&self, request: &R) -> Result<R::Reply, Error> {
        self.send_after(request, || async { Ok(()) }).await
    }

    /// [`Client::send`], running `before_wire` once any pacing wait is over, just before the
    /// request goes out: a fan-out's journal records the chunk's intent there, so a process
    /// killed while waiting leaves no intent for a call it never made. An error from it ends
    /// the call unsent, as [`Error::Config`].
    pub(crate) async fn send_after<R: ApiRequest, F>(
        &self,
        request: &R,
        before_wire: impl FnOnce() -> F,
    ) -> Result<R::Reply, Error>
    where
        F: std::future::Future<Output = Result<(), String>>,
    {
        let endpoint = R::ENDPOINT;
        // `prepare` in two steps: an invalid request neither waits for nor takes a pacing slot,
        // and the signature is made after the wait.
        let unsigned = self.encode_checked(request)?;
        #[cfg(feature = "tracing")]
        for warning in &unsigned.warnings {
            tracing::warn!(endpoint = endpoint.name, %warning, "value has no effect");
        }
        let trace_id = unsigned.trace_id.clone();
        let paced = match &self.inner.pacer {
            Some(pacer) => pacer.pace_for(endpoint).map(|pace| (pacer, pace)),
            None => None,
        };
        let permit = match paced {
            Some((pacer, pace)) => Some(
                pacer
                    .acquire(endpoint, pace, self.lease(endpoint, pace))
                    .await?,
            ),
            None => None,
        };
        if let Err(reason) = before_wire().await {
            if let Some(permit) = permit {
                permit.finish().await;
            }
            return Err(Error::Config { reason });
        }
        #[cfg(feature = "tracing")]
        let (span, started) = (
            tracing::info_span!(
                "yunxin_im.call",
                endpoint = endpoint.name,
                trace_id = trace_id.as_deref(),
                code = tracing::field::Empty,
                http_status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            ),
            std::time::Instant::now(),
        );
        #[cfg(feature = "tracing")]
        let result =
            tracing::Instrument::instrument(self.exchange::<R>(unsigned, trace_id), span.clone())
                .await;
        #[cfg(not(feature = "tracing"))]
        let result = self.exchange::<R>(unsigned, trace_id).await;
        #[cfg(feature = "tracing")]
        {
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(_) => span.record("code", wire::SUCCESS),
                Err(Error::Api(api)) => span.record("code", api.code),
                Err(Error::HttpStatus { status, .. }) => span.record("http_status", status),
                Err(_) => &span,
            };
        }
        if let (Some((pacer, pace)), Err(Error::Api(api))) = (paced, &result) {
            if api.rate_limit.is_some() {
                pacer.blocked(endpoint, pace).await;
            }
        }
        // After the block is recorded, so that callers woken by the freed slot see it.
        if let Some(permit) = permit {
            permit.finish().await;
        }
        result
    }

    /// How long a call can hold its pacing slot unfinished: every host's attempt timing out,
    /// then a window.
    fn lease(&self, endpoint: &Endpoint, pace: Pace) -> Duration {
        let attempts = self.host_count(endpoint).max(1) as u32;
        self.inner.timeout.saturating_mul(attempts) + pace.window
    }

    /// Every page of a paged endpoint, starting from `request`: each reply gives the next
    /// request ([`Paged::next_page`]: the next cursor, offset or time window) until it is the
    /// last page. A failed page ends the stream with its error. The generated
    /// `<endpoint>_pages` methods call this.
    ///
    /// The stream is boxed so that it is `Unpin`: `while let Some(page) = pages.next().await`
    /// works on it as returned, with no `pin!` (one allocation per walk, not per page).
    pub fn pages<'a, R: Paged + 'a>(
        &'a self,
        request: R,
    ) -> impl Stream<Item = Result<R::Reply, Error>> + Unpin + 'a {
        let start = Some(request.first_page());
        Box::pin(futures_util::stream::unfold(
            start,
            move |state| async move {
                let request = state?;
                match self.send(&request).await {
                    Err(err) => Some((Err(err), None)),
                    Ok(reply) => {
                        let next = request.next_page(&reply);
                        Some((Ok(reply), next))
                    }
                }
            },
        ))
    }

    /// Every item of every page of a paged endpoint; see [`Client::pages`]. `Unpin` like it:
    /// boxed, since an item type that is not `Unpin` would make the flattened stream not `Unpin`.
    pub fn items<'a, R: Paged + 'a>(
        &'a self,
        request: R,
    ) -> impl Stream<Item = Result<R::Item, Error>> + Unpin + 'a
    where
        R::Item: 'a,
    {
        use futures_util::StreamExt;
        Box::pin(self.pages(request).flat_map(|page| {
            let items: Vec<Result<R::Item, Error>> = match page {
                Ok(reply) => R::items(reply).into_iter().map(Ok).collect(),
                Err(err) => vec![Err(err)],
            };
            futures_util::stream::iter(items)
        }))
    }

    /// Signs, makes one attempt and reads its reply.
    async fn exchange<R: ApiRequest>(
        &self,
        unsigned: Unsigned,
        trace_id: Option<String>,
    ) -> Result<R::Reply, Error> {
        let endpoint = R::ENDPOINT;
        let raw = self.execute_with_failover(self.sign(unsigned)?).await?;
        match wire::read_envelope(endpoint.api, &raw) {
            Ok(Envelope::Success {
                payload,
                mut unreadable,
                beside_data,
                without_data,
            }) => {
                let fields = <R::Reply as ApiReply>::WIRE_FIELDS;
                if without_data {
                    unreadable.extend(shape::without_data(fields));
                }
                unreadable.extend(shape::unrecognised(
                    endpoint.api,
                    fields,
                    &payload,
                    &beside_data,
                ));
                Ok(wire::decode_reply(payload, unreadable))
            }
            Ok(Envelope::Refused { code, desc }) => Err(Error::Api(ApiError {
                endpoint: endpoint.name,
                code,
                status: endpoint.status(code),
                desc,
                rate_limit: endpoint.rate_limit.filter(|limit| limit.code == code),
                trace_id,
            })),
            Err(reason) => Err(Error::Decode {
                endpoint: endpoint.name,
                reason,
                body_excerpt: excerpt(&raw),
                trace_id,
            }),
        }
    }
}

impl Client {
    /// Sends `call` to the host of its URL; when that host refuses the connection (the server
    /// certainly did not see the request), to the next host of its generation, and so on once
    /// around. The host that answered is tried first next time.
    async fn execute_with_failover(&self, call: PreparedRequest) -> Result<Vec<u8>, Error> {
        let endpoint = call.endpoint;
        let count = self.host_count(endpoint);
        let preferred = &self.inner.preferred_host[generation_index(endpoint.api)];
        let (mut call, mut index, mut attempt) = (call, self.preferred_host(endpoint), 1);
        loop {
            let next = (attempt < count).then(|| call.clone());
            match (transport::execute(&self.inner, call).await, next) {
                (
                    Err(Error::Transport {
                        may_have_reached_server: false,
                        ..
                    }),
                    Some(next),
                ) => {
                    index = (index + 1) % count;
                    preferred.store(index, Ordering::Relaxed);
                    call = next.retarget(self.host(endpoint, index));
                    attempt += 1;
                }
                (result, _) => return result,
            }
        }
    }
}

fn generation_index(api: ApiGeneration) -> usize {
    match api {
        ApiGeneration::V1 => 0,
        _ => 1,
    }
}

/// A validated, encoded request that is not signed yet.
struct Unsigned {
    endpoint: &'static Endpoint,
    url: String,
    path_and_query: String,
    body: Option<wire::Body>,
    trace_id: Option<String>,
    warnings: Vec<Violation>,
}

/// A request as [`Client::send`] puts it on the wire, made by [`Client::prepare`]: validated,
/// encoded and signed, not sent.
///
/// It holds the `CheckSum` made from the AppSecret, never the secret itself. `Debug` shows the
/// body's length, not the body.
#[derive(Clone)]
pub struct PreparedRequest {
    endpoint: &'static Endpoint,
    url: String,
    /// What follows the base URL, to send the same request to another host.
    path_and_query: String,
    signed: SignedHeaders,
    user_agent: String,
    content_type: Option<std::borrow::Cow<'static, str>>,
    trace_id: Option<String>,
    body: Vec<u8>,
    warnings: Vec<Violation>,
}

impl PreparedRequest {
    /// The endpoint it goes to; its `method` is the HTTP method.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The full URL: path parameters filled in (percent-encoded) and the query string.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every header, in the order sent: `AppKey`, `Nonce`, `CurTime`, `CheckSum`,
    /// `Content-Type` (when there is a body), `User-Agent`, and for v2 `X-custom-traceid`.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let s = &self.signed;
        let mut headers = vec![
            ("AppKey", s.app_key.as_str()),
            ("Nonce", s.nonce.as_str()),
            ("CurTime", s.cur_time.as_str()),
            ("CheckSum", s.checksum.as_str()),
        ];
        if let Some(content_type) = &self.content_type {
            headers.push(("Content-Type", content_type.as_ref()));
        }
        headers.push(("User-Agent", self.user_agent.as_str()));
        if let Some(id) = &self.trace_id {
            headers.push((TRACE_ID_HEADER, id.as_str()));
        }
        headers
    }

    /// The four signing headers.
    pub fn signed_headers(&self) -> &SignedHeaders {
        &self.signed
    }

    /// The body's content type: a form for v1, JSON for v2, `multipart/form-data` with its
    /// boundary for an endpoint that sends files; `None` for a request without a body (GET, and
    /// DELETE with only path and query parameters).
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `X-custom-traceid` (v2 only).
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The body bytes; empty when there is no body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// What validation warned about (values the pages say have no effect).
    pub fn warnings(&self) -> &[Violation] {
        &self.warnings
    }

    /// The same request sent to the host `base` instead.
    fn retarget(mut self, base: &str) -> Self {
        self.url = transport::join_url(base, &self.path_and_query);
        self
    }

    /// Gives up the trace id and the body, which the transport moves into the HTTP request.
    pub(crate) fn into_trace_id_and_body(self) -> (Option<String>, Option<Vec<u8>>) {
        let body = self.content_type.map(|_| self.body);
        (self.trace_id, body)
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("endpoint", &self.endpoint.name)
            .field("method", &self.endpoint.method)
            .field("url", &self.url)
            .field("headers", &self.headers())
            .field("body_bytes", &self.body.len())
            .field("warnings", &self.warnings.len())
            .finish()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("app_key", &inner.credentials.app_key())
            .field("v1_base_urls", &inner.v1_base_urls)
            .field("v2_base_urls", &inner.v2_base_urls)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("user_agent", &inner.user_agent)
            .field("own_http_client", &inner.own_http_client)
            .field("limit_policy", &inner.policy)
            .field("paced", &inner.pacer.is_some())
            .field("max_reply_bytes", &inner.max_reply_bytes)
            .field("clock", &inner.clock)
            .field("nonce_source", &inner.nonces)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`Client`]. `Debug` never shows the secret.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    v1_base_urls: Vec<String>,
    v2_base_urls: Vec<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    clock: Box<dyn Clock>,
    nonces: Box<dyn NonceSource>,
    policy: LimitPolicy,
    pace: bool,
    pacing: PacerSettings,
    http: Option<HttpClient>,
    max_reply_bytes: usize,
}

#[derive(Debug)]
enum HttpClient {
    Built(reqwest::Client),
    Builder(Box<reqwest::ClientBuilder>),
}

impl ClientBuilder {
    /// Sends both API generations to `url` (a proxy, or a test server). A path prefix is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.v1_base_urls = vec![url.clone()];
        self.v2_base_urls = vec![url];
        self
    }

    /// Several base URLs for both generations, tried in this order: when one refuses the
    /// connection (the server certainly did not see the request), the same call goes to the
    /// next, which is then tried first. A call that may have reached a host never moves on.
    pub fn base_urls<U: Into<String>>(mut self, urls: impl IntoIterator<Item = U>) -> Self {
        self.v1_base_urls = urls.into_iter().map(Into::into).collect();
        self.v2_base_urls = self.v1_base_urls.clone();
        self
    }

    /// Several v1 base URLs, tried in order as [`base_urls`](Self::base_urls) says. Unset, the
    /// spec's v1 hosts are tried in the spec's order.
    pub fn v1_base_urls<U: Into<String>>(mut self, urls: impl IntoIterator<Item = U>) -> Self {
        self.v1_base_urls = urls.into_iter().map(Into::into).collect();
        self
    }

    /// Several v2 base URLs, tried in order as [`base_urls`](Self::base_urls) says.
    pub fn v2_base_urls<U: Into<String>>(mut self, urls: impl IntoIterator<Item = U>) -> Self {
        self.v2_base_urls = urls.into_iter().map(Into::into).collect();
        self
    }

    /// The base URL of the v1 API (default: the first host each endpoint's spec names).
    pub fn v1_base_url(mut self, url: impl Into<String>) -> Self {
        self.v1_base_urls = vec![url.into()];
        self
    }

    /// The base URL of the v2 API (default: the first host each endpoint's spec names).
    pub fn v2_base_url(mut self, url: impl Into<String>) -> Self {
        self.v2_base_urls = vec![url.into()];
        self
    }

    /// The whole-request timeout (default 30 s), applied to every request, also with a client
    /// brought with [`ClientBuilder::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout (default 10 s). A client brought with
    /// [`ClientBuilder::http_client`] keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]), sent with every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The source of `CurTime` (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// The source of `Nonce` (default [`OsRandomNonce`]).
    pub fn nonce_source(mut self, nonces: impl NonceSource + 'static) -> Self {
        self.nonces = Box::new(nonces);
        self
    }

    /// Brings one's own HTTP client (custom CA, proxy policy, connection pool, shared with other
    /// code), as progenitor's `new_with_client` does.
    ///
    /// It must not follow redirects: a followed redirect can carry the signed request to another
    /// host or turn a POST into a GET. A built `reqwest::Client` cannot be inspected or changed,
    /// so this client **refuses** at run time: any reply that came through a followed redirect is
    /// [`Error::Redirected`], never taken as the API's answer. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`, or hand over the builder instead with
    /// [`ClientBuilder::http_client_builder`], which is reconfigured for you.
    /// The connect timeout is the client's own; [`ClientBuilder::timeout`] still applies per request.
    ///
    /// This and [`ClientBuilder::http_client_builder`] are the only places where the crate's
    /// `reqwest` version is part of its API (errors carry [`TransportError`](crate::error::TransportError),
    /// never a reqwest type): a caller who passes a client must use the same reqwest release
    /// line, and a reqwest major upgrade changes these two signatures only.
    ///
    /// TLS is the passed client's own: this crate's TLS features configure only the clients it
    /// builds itself. With reqwest 0.13, a client built under this crate's rustls features (which
    /// take reqwest's `rustls-no-provider`, to leave out aws-lc-rs) panics at `build()` unless it
    /// has a crypto provider: enable a TLS feature of your own reqwest dependency (e.g. its
    /// default `rustls`, or `native-tls`), install a process-wide provider
    /// (`rustls::crypto::ring::default_provider().install_default()`), or pass a rustls
    /// `ClientConfig` with `reqwest::ClientBuilder::tls_backend_preconfigured`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(HttpClient::Built(client));
        self
    }

    /// Like [`ClientBuilder::http_client`], from a `reqwest::ClientBuilder` that this builder
    /// **reconfigures**: redirects off, and this builder's connect timeout and user agent. Its TLS
    /// settings are kept as they are, so it needs a crypto provider as described there.
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(HttpClient::Builder(Box::new(builder)));
        self
    }

    /// Paces calls to each endpoint's documented rate limit (off by default): a call that would
    /// exceed it waits for a free slot, and after a rate-limit answer (code 416) later calls wait
    /// out the documented block instead of being refused. Pacing covers this client and its
    /// clones; the server counts per application, so processes sharing an app must share the budget.
    pub fn pace_to_rate_limits(mut self, pace: bool) -> Self {
        self.pace = pace;
        self
    }

    /// How long paced calls wait after a rate-limit answer from an endpoint whose sources do not
    /// state the block time (default
    /// [`DEFAULT_BLOCK_SECONDS`](crate::runtime::endpoint::DEFAULT_BLOCK_SECONDS), the longest
    /// documented block of this API). A documented block time always wins.
    pub fn unstated_block(mut self, block: Duration) -> Self {
        self.pacing.unstated_block = block;
        self
    }

    /// Paces calls to `endpoint` (its spec name, as in [`Endpoint::name`], e.g.
    /// `send_batch_msg`) to `pace` instead of the spec's limit — plans differ, and tests need
    /// small windows — and turns pacing on. A pace without a block time keeps the spec's.
    pub fn rate_limit(mut self, endpoint: impl Into<String>, pace: Pace) -> Self {
        self.pacing.overrides.insert(endpoint.into(), pace);
        self.pace = true;
        self
    }

    /// Paces every endpoint, including those the spec gives no limit, to `pace`, except those
    /// set with [`rate_limit`](Self::rate_limit); turns pacing on.
    pub fn rate_limit_all(mut self, pace: Pace) -> Self {
        self.pacing.every = Some(pace);
        self.pace = true;
        self
    }

    /// Keeps the pacing budget in `store` instead of this client (and its clones) alone: give
    /// several clients one store, or use a store every process of the application shares.
    /// Turns pacing on.
    pub fn pace_store(mut self, store: Arc<dyn PaceStore>) -> Self {
        self.pacing.store = Some(store);
        self.pace = true;
        self
    }

    /// The most bytes of a reply body the client reads (default [`DEFAULT_MAX_REPLY_BYTES`],
    /// 4 MiB, several times the largest legitimate reply of this API). A reply whose declared
    /// `Content-Length` is over the cap is refused before its body is read; any other stops
    /// being read at the first byte past the cap. Either way nothing is decoded and the call
    /// fails with [`Error::ReplyTooLarge`]: the server answered, so it may have acted, and a
    /// retry is not safe. Non-200 replies are never read past a short excerpt, whatever the cap.
    /// `0` is refused by [`build`](Self::build).
    pub fn max_reply_bytes(mut self, bytes: usize) -> Self {
        self.max_reply_bytes = bytes;
        self
    }

    /// Whether documented upper limits are enforced (default [`LimitPolicy::Documented`]).
    pub fn limit_policy(mut self, policy: LimitPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |reason: String| Error::Config { reason };
        let app_key = self.credentials.app_key();
        if app_key.is_empty() || !app_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(config(format!(
                "the app key {app_key:?} must be non-empty visible ASCII (it travels as a header)"
            )));
        }
        if self.credentials.app_secret().is_empty() {
            return Err(config("the app secret is empty".into()));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(config("timeouts must be longer than zero".into()));
        }
        if self.max_reply_bytes == 0 {
            return Err(config(
                "max_reply_bytes must be at least 1: every reply has a body".into(),
            ));
        }
        if reqwest::header::HeaderValue::from_str(&self.user_agent).is_err() {
            return Err(config(format!(
                "the user agent {:?} cannot travel as an HTTP header",
                self.user_agent
            )));
        }
        let normalize = |which, url: Option<String>| {
            url.map(|u| transport::normalize_base_url(which, &u))
                .transpose()
        };
        let normalize_all = |which, urls: Vec<String>| {
            urls.into_iter()
                .map(|url| normalize(which, Some(url)).map(Option::unwrap_or_default))
                .collect::<Result<Vec<_>, _>>()
        };
        let v1_base_urls = normalize_all("v1", self.v1_base_urls)?;
        let v2_base_urls = normalize_all("v2", self.v2_base_urls)?;
        let app_key = self.credentials.app_key().to_owned();
        let own_http_client = self.http.is_some();
        let http = match self.http {
            Some(HttpClient::Built(client)) => client,
            other => {
                // A handed-over builder keeps its own TLS settings (roots, versions, identity).
                let builder = match other {
                    Some(HttpClient::Builder(builder)) => *builder,
                    _ => super::tls::http_client_builder().map_err(|err| {
                        config(format!("the HTTP client's TLS could not be set up: {err}"))
                    })?,
                };
                builder
                    .connect_timeout(self.connect_timeout)
                    // A redirected POST may become a GET or carry the signature to another host.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|err| config(format!("the HTTP client could not be built: {err}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                credentials: self.credentials,
                clock: self.clock,
                nonces: self.nonces,
                timeout: self.timeout,
                user_agent: self.user_agent,
                v1_base_urls,
                v2_base_urls,
                preferred_host: Default::default(),
                connect_timeout: self.connect_timeout,
                own_http_client,
                policy: self.policy,
                pacer: self
                    .pace
                    .then(|| Arc::new(Pacer::new(&app_key, self.pacing))),
                max_reply_bytes: self.max_reply_bytes,
            }),
        })
    }
}

/// The wire name of the v2 de-duplication header.
pub(crate) const TRACE_ID_HEADER: &str = "X-custom-traceid";

/// The spec's rules plus the one the runtime owns: a v2 trace id must fit in a header.
fn validate_request<R: ApiRequest>(
    policy: LimitPolicy,
    request: &R,
) -> Result<Vec<Violation>, ValidationError> {
    let mut v = Validator::check(policy, request);
    if R::ENDPOINT.api == ApiGeneration::V2 {
        if let Some(id) = request.trace_id() {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_graphic()) {
                let shown = Measure::Text(bounded_debug(id));
                let limit = Measure::Text("non-empty visible ASCII (an HTTP header value)".into());
                v.push(TRACE_ID_HEADER, Rule::Allowed, limit, shown);
            }
        }
    }
    v.finish()
}

fn bounded_debug(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}...", &text[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::thread::JoinHandle;

    use super::*;
    use crate::runtime::auth::{FixedClock, FixedNonce};
    use crate::runtime::endpoint::{ApiReply, Blocks, RateLimit, StatusInfo, Unreadable};
    use crate::runtime::validate::{LengthUnit, Validate};
    use serde::{Deserialize, Serialize};

    const SECRET: &str = "c9e6ea3b1e4a";
    const LIMIT: RateLimit = RateLimit::new(120, 60, Some(60), 416, Blocks::App);
    const STATUS: &[StatusInfo] = &[StatusInfo::new(
        414,
        "parameter_error",
        "Parameter error.",
        "",
    )];
    const V1_EP: Endpoint = Endpoint::new(
        "send_batch_msg",
        ApiGeneration::V1,
        "POST",
        "/nimserver/msg/sendBatchMsg.action",
        &["https://api.yunxinapi.com"],
        Some(LIMIT),
        &[STATUS],
    );
    const V2_EP: Endpoint = Endpoint::new(
        "custom_notification_batch",
        ApiGeneration::V2,
        "POST",
        "/im/v2/custom_notification/batch",
        &["https://open.yunxinapi.com"],
        Some(LIMIT),
        &[STATUS],
    );

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Reply {
        msgid: Option<i64>,
        #[serde(skip)]
        unreadable: Vec<Unreadable>,
    }

    impl ApiReply for Reply {
        const WIRE_FIELDS: &'static [&'static str] = &["msgid"];
        fn set_unreadable(&mut self, unreadable: Vec<Unreadable>) {
            self.unreadable = unreadable;
        }
        fn unreadable(&self) -> &[Unreadable] {
            &self.unreadable
        }
    }

    #[derive(Serialize, Deserialize)]
    struct V1Req {
        text: String,
        #[serde(skip)]
        broken: bool,
    }

    impl Validate for V1Req {
        fn validate_into(&self, v: &mut Validator) {
            if self.broken {
                v.max_chars("text", &self.text, 0, LengthUnit::Utf16);
            }
        }
    }

    impl ApiRequest for V1Req {
        type Reply = Reply;
        const ENDPOINT: &'static Endpoint = &V1_EP;
    }

    fn v1(text: &str, broken: bool) -> V1Req {
        V1Req {
            text: text.into(),
            broken,
        }
    }

    #[derive(Serialize, Deserialize)]
    struct V2Req {
        content: String,
        ids: Vec<i32>,
        #[serde(skip)]
        trace_id: String,
    }

    impl Validate for V2Req {
        fn validate_into(&self, _: &mut Validator) {}
    }

    impl ApiRequest for V2Req {
        type Reply = Reply;
        const ENDPOINT: &'static Endpoint = &V2_EP;
        fn trace_id(&self) -> Option<&str> {
            Some(&self.trace_id)
        }
    }

    fn v2(trace_id: &str) -> V2Req {
        V2Req {
            content: "hi".into(),
            ids: vec![1, 2],
            trace_id: trace_id.into(),
        }
    }

    fn client(base: &str) -> Client {
        Client::builder("my-key", SECRET)
            .base_url(base)
            .clock(FixedClock(1443592222))
            .nonce_source(FixedNonce("4tgggergigwow323t23t".into()))
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }

    /// Answers one request on 127.0.0.1 with `status` and `reply`; yields the raw request.
    fn serve_once(status: &'static str, reply: &'static str) -> (String, JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut request = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let n = stream.read(&mut chunk).unwrap();
                request.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
                assert!(n > 0, "connection closed mid-request");
            }
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
            stream.write_all(response.as_bytes()).unwrap();
            String::from_utf8(request).unwrap()
        });
        (base, handle)
    }

    #[tokio::test]
    async fn v1_request_is_signed_form_encoded_and_decoded() {
        let (base, server) = serve_once("200 OK", r#"{"code":200,"msgid":7}"#);
        let reply = client(&base).send(&v1("a b&c", false)).await.unwrap();
        assert_eq!(reply.msgid, Some(7));
        let request = server.join().unwrap();
        let lower = request.to_ascii_lowercase();
        assert!(
            request.starts_with("POST /nimserver/msg/sendBatchMsg.action HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(lower.contains("\r\nappkey: my-key\r\n"), "{request}");
        assert!(
            lower.contains("\r\nnonce: 4tgggergigwow323t23t\r\n"),
            "{request}"
        );
        assert!(lower.contains("\r\ncurtime: 1443592222\r\n"), "{request}");
        // From Python's hashlib (see auth.rs tests).
        assert!(
            lower.contains("\r\nchecksum: 8952d186dd1823e6e46df26153d857da16ecf066\r\n"),
            "{request}"
        );
        assert!(
            lower.contains("\r\ncontent-type: application/x-www-form-urlencoded;charset=utf-8\r\n")
        );
        assert!(
            lower.contains(&format!("\r\nuser-agent: {DEFAULT_USER_AGENT}\r\n")),
            "{request}"
        );
        assert!(!lower.contains("x-custom-traceid"));
        assert!(!request.contains(SECRET));
        assert!(request.ends_with("\r\n\r\ntext=a+b%26c"), "{request}");
    }

    #[tokio::test]
    async fn v2_request_carries_trace_id_and_reports_rate_limit() {
        let (base, server) = serve_once("200 OK", r#"{"code":416,"msg":"api limit"}"#);
        let err = client(&base).send(&v2("trace-42")).await.unwrap_err();
        let request = server.join().unwrap();
        let lower = request.to_ascii_lowercase();
        assert!(
            request.starts_with("POST /im/v2/custom_notification/batch HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(
            lower.contains("\r\nx-custom-traceid: trace-42\r\n"),
            "{request}"
        );
        assert!(lower.contains("\r\ncontent-type: application/json;charset=utf-8\r\n"));
        assert!(
            request.ends_with(r#"{"content":"hi","ids":[1,2]}"#),
            "{request}"
        );
        match &err {
            Error::Api(api) => {
                assert_eq!((api.code, api.desc.as_deref()), (416, Some("api limit")));
                assert_eq!(
                    (api.rate_limit, api.trace_id.as_deref()),
                    (Some(LIMIT), Some("trace-42"))
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(err.is_retry_safe());
        assert!(
            err.to_string().contains("blocks this app for 60 s"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn non_200_status_is_an_http_status_error() {
        let (base, server) = serve_once("502 Bad Gateway", "upstream down");
        let err = client(&base).send(&v1("x", false)).await.unwrap_err();
        server.join().unwrap();
        match &err {
            Error::HttpStatus {
                status: 502,
                body_excerpt,
                ..
            } => assert_eq!(body_excerpt, "upstream down"),
            other => panic!("{other:?}"),
        }
        assert!(err.may_have_reached_server() && !err.is_retry_safe());
    }

    #[tokio::test]
    async fn a_success_with_an_unreadable_field_is_still_a_success() {
        let (base, server) = serve_once("200 OK", r#"{"code":200,"msgid":"seven"}"#);
        let reply = client(&base).send(&v1("x", false)).await.unwrap();
        server.join().unwrap();
        assert_eq!(reply.msgid, None);
        assert_eq!(reply.unreadable.len(), 1);
        assert_eq!(reply.unreadable[0].path, "msgid");
    }

    #[tokio::test]
    async fn a_success_of_another_shape_is_still_a_success_that_says_so() {
        let (base, server) = serve_once("200 OK", r#"{"code":200,"data":{"msgid":7}}"#);
        let reply = client(&base).send(&v1("x", false)).await.unwrap();
        server.join().unwrap();
        assert_eq!(reply.msgid, None);
        let paths: Vec<&str> = reply.unreadable.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(paths, ["data.msgid"]);
    }

    #[tokio::test]
    async fn a_reply_without_a_code_is_a_decode_error() {
        let (base, server) = serve_once("200 OK", r#"<html>gateway</html>"#);
        let err = client(&base).send(&v1("x", false)).await.unwrap_err();
        server.join().unwrap();
        match &err {
            Error::Decode {
                reason,
                body_excerpt,
                ..
            } => {
                assert!(reason.contains("not JSON"), "{reason}");
                assert!(body_excerpt.contains("gateway"));
            }
            other => panic!("{other:?}"),
        }
        assert!(err.may_have_reached_server());
    }

    #[tokio::test]
    async fn a_listed_refusal_names_its_meaning() {
        let (base, server) = serve_once("200 OK", r#"{"code":414,"desc":"bad"}"#);
        let err = client(&base).send(&v1("x", false)).await.unwrap_err();
        server.join().unwrap();
        let api = err.api_error().unwrap();
        assert_eq!(api.status.map(|s| s.kind), Some("parameter_error"));
        assert!(!api.is_rate_limited());
        assert!(err.to_string().contains("Parameter error."), "{err}");
    }

    #[tokio::test]
    async fn refused_connection_is_retry_safe() {
        // A port that was just free: nothing listens there any more.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = client(&format!("http://127.0.0.1:{port}"))
            .send(&v1("x", false))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Transport {
                    may_have_reached_server: false,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.is_retry_safe());
        assert!(!format!("{err:?} {err}").contains(SECRET));
    }

    #[tokio::test]
    async fn invalid_requests_are_never_sent() {
        // Nothing listens on port 9 of 127.0.0.1 in a test sandbox; a network attempt would
        // yield a transport error instead of the validation error.
        let client = client("http://127.0.0.1:9");
        let err = client.send(&v1("x", true)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Validation(v) if v.violations.len() == 1),
            "{err:?}"
        );
        assert!(!err.may_have_reached_server());
        assert!(client.validate(&v1("x", true)).is_err());
        for bad in ["", "has space", "é"] {
            let err = client.send(&v2(bad)).await.unwrap_err();
            assert!(
                matches!(&err, Error::Validation(v) if v.violations[0].path == TRACE_ID_HEADER),
                "{err:?}"
            );
        }
    }

    #[tokio::test]
    async fn prepare_gives_exactly_what_send_puts_on_the_wire() {
        for (request_v2, path) in [
            (false, "/nimserver/msg/sendBatchMsg.action"),
            (true, "/im/v2/custom_notification/batch"),
        ] {
            let (base, server) = serve_once("200 OK", r#"{"code":200}"#);
            let client = client(&base);
            let prepared = if request_v2 {
                client.prepare(&v2("trace-7")).unwrap()
            } else {
                client.prepare(&v1("a b&c", false)).unwrap()
            };
            let sent = if request_v2 {
                client.send(&v2("trace-7")).await.map(drop)
            } else {
                client.send(&v1("a b&c", false)).await.map(drop)
            };
            sent.unwrap();
            let request = server.join().unwrap();
            assert_eq!(
                prepared.url(),
                format!("{}{}", base.trim_end_matches('/'), path)
            );
            assert_eq!(prepared.endpoint().method, "POST");
            assert!(
                request.starts_with(&format!("POST {path} HTTP/1.1\r\n")),
                "{request}"
            );
            let (head, body) = request.split_once("\r\n\r\n").unwrap();
            assert_eq!(body.as_bytes(), prepared.body(), "{request}");
            let head = head.to_ascii_lowercase();
            let headers = prepared.headers();
            assert_eq!(headers.len(), if request_v2 { 7 } else { 6 });
            for (name, value) in headers {
                let line = format!("\r\n{}: {}\r\n", name.to_ascii_lowercase(), value);
                assert!(
                    format!("{head}\r\n").contains(&line.to_ascii_lowercase()),
                    "{line:?} not in {request}"
                );
            }
            assert_eq!(
                prepared.signed_headers().checksum,
                "8952d186dd1823e6e46df26153d857da16ecf066"
            );
            assert_eq!(prepared.trace_id(), request_v2.then_some("trace-7"));
            assert_eq!(head.contains("x-custom-traceid"), request_v2);
        }
        let v2 = client("http://127.0.0.1:9").prepare(&v2("t-1")).unwrap();
        assert_eq!(v2.body(), br#"{"content":"hi","ids":[1,2]}"#);
        assert_eq!(v2.content_type(), Some("application/json;charset=utf-8"));
        assert!(v2.warnings().is_empty());
    }

    #[test]
    fn prepare_refuses_what_send_refuses_and_never_shows_the_secret() {
        let client = client("http://127.0.0.1:9");
        assert!(matches!(
            client.prepare(&v1("x", true)),
            Err(Error::Validation(_))
        ));
        let bad_nonce = Client::builder("my-key", SECRET)
            .base_url("http://127.0.0.1:9")
            .nonce_source(FixedNonce("has space".into()))
            .build()
            .unwrap();
        assert!(matches!(
            bad_nonce.prepare(&v1("x", false)),
            Err(Error::Config { .. })
        ));
        let prepared = client.prepare(&v1("secret-body-text", false)).unwrap();
        let shown = format!("{prepared:?} {prepared:#?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains("secret-body-text"), "{shown}");
        assert!(shown.contains("body_bytes: 21"), "{shown}");
        assert!(prepared
            .headers()
            .iter()
            .all(|(_, value)| !value.contains(SECRET)));
        assert!(!String::from_utf8_lossy(prepared.body()).contains(SECRET));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = Client::builder("my-key", SECRET).base_url("https://api.yunxinapi.com");
        let shown = format!("{builder:?}");
        assert!(!shown.contains(SECRET), "{shown}");
        let client = builder.build().unwrap();
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(
            shown.contains("my-key") && shown.contains("https://api.yunxinapi.com"),
            "{shown}"
        );
    }

    #[test]
    fn base_urls() {
        let both = client("http://127.0.0.1:8080/prefix/");
        assert_eq!(
            both.endpoint_url(&V1_EP),
            "http://127.0.0.1:8080/prefix/nimserver/msg/sendBatchMsg.action"
        );
        assert_eq!(
            both.endpoint_url(&V2_EP),
            "http://127.0.0.1:8080/prefix/im/v2/custom_notification/batch"
        );
        let default = Client::new("k", "s").unwrap();
        assert_eq!(default.base_url(ApiGeneration::V1), None);
        assert_eq!(
            default.endpoint_url(&V1_EP),
            "https://api.yunxinapi.com/nimserver/msg/sendBatchMsg.action"
        );
        let split = Client::builder("k", "s")
            .v2_base_url("http://v2.test/")
            .build()
            .unwrap();
        assert_eq!(
            split.endpoint_url(&V2_EP),
            "http://v2.test/im/v2/custom_notification/batch"
        );
        assert_eq!(
            split.endpoint_url(&V1_EP),
            "https://api.yunxinapi.com/nimserver/msg/sendBatchMsg.action"
        );
    }

    #[test]
    fn bad_settings_are_config_errors() {
        let bad = [
            Client::builder("", "s").build(),
            Client::builder("k y", "s").build(),
            Client::builder("k", "").build(),
            Client::builder("k", "s").base_url("not a url").build(),
            Client::builder("k", "s")
                .v1_base_url("ftp://x.test")
                .build(),
            Client::builder("k", "s").timeout(Duration::ZERO).build(),
            Client::builder("k", "s").user_agent("bad\nagent").build(),
            Client::builder("k", "s").max_reply_bytes(0).build(),
        ];
        for result in bad {
            assert!(matches!(result, Err(Error::Config { .. })), "{result:?}");
        }
    }

    #[test]
    fn client_and_send_future_are_send() {
        fn assert_send_sync<T: Send + Sync>(_: &T) {}
        fn assert_send<T: Send>(_: &T) {}
        let client = client("http://127.0.0.1:9");
        assert_send_sync(&client);
        let request = v1("x", false);
        let future = client.send(&request);
        assert_send(&future);
    }
}
