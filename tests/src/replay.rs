//! Replaying a fixture: a real HTTP server on 127.0.0.1 that answers with the recorded reply
//! only when the client's request matches the fixture, the client call, and the comparison of
//! the outcome.
//!
//! The server is `wiremock` with one catch-all mock whose responder compares each request with
//! the fixture: on a match it answers the recorded reply, otherwise it records the differences
//! and answers 599 with them. A reply that closes the connection before answering cannot be
//! made with wiremock, so [`crate::closing_server`] does it on a bare TCP listener.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};
use yunxin_im::auth::{FixedClock, FixedNonce};
use yunxin_im::Client;

use crate::closing_server::ClosingServer;
use crate::compare::{request_differences, ReceivedRequest};
use crate::fixture::{ExpectedRequest, Fixture, RecordedReply, DEFAULT_TIMEOUT_MS};
use crate::outcome::outcome_differences;

/// The status the test server answers a request that does not match the fixture with.
pub const MISMATCH_STATUS: u16 = 599;
/// How long one replay may take before it counts as hung.
const CALL_DEADLINE: Duration = Duration::from_secs(15);

/// What the harness needs to know of each endpoint of the spec.
#[derive(Debug, Clone)]
pub struct EndpointInfo {
    /// Whether the endpoint belongs to the v2 API.
    pub v2: bool,
    /// The form fields the spec sends as JSON text (compared as JSON).
    pub json_text: BTreeSet<String>,
}

/// The spec's endpoints, by name.
#[derive(Debug, Clone)]
pub struct SpecIndex {
    endpoints: BTreeMap<String, EndpointInfo>,
    /// The model, for values a fixture asks to be built from the spec (`past_limits`).
    model: codegen::model::Model,
}

impl SpecIndex {
    /// The index of the workspace's `spec/`.
    pub fn load() -> Result<SpecIndex, String> {
        let dir = xtask::workspace_root().join("spec");
        let model = codegen::load_model(&dir, "spec")
            .map_err(|d| format!("the spec does not load:\n{d}"))?;
        Ok(SpecIndex::from_model(&model))
    }

    /// The index of a loaded model.
    pub fn from_model(model: &codegen::model::Model) -> SpecIndex {
        let endpoints = model
            .endpoints
            .iter()
            .map(|endpoint| {
                let json_text = endpoint
                    .fields
                    .iter()
                    .filter(|f| f.encoding == codegen::model::Encoding::JsonText)
                    .map(|f| f.wire.clone())
                    .collect();
                let info = EndpointInfo {
                    v2: endpoint.api == codegen::model::Api::V2,
                    json_text,
                };
                (endpoint.name.clone(), info)
            })
            .collect();
        SpecIndex {
            endpoints,
            model: model.clone(),
        }
    }

    /// `fixture`'s call with its `past_limits` values built from the spec.
    pub fn call_of(&self, endpoint: &str, fixture: &Fixture) -> Result<serde_json::Value, String> {
        let mut call = fixture.call.clone();
        let Some(e) = self.model.endpoints.iter().find(|e| e.name == endpoint) else {
            return Ok(call);
        };
        for (path, limit) in &fixture.past_limits {
            call = crate::calls::past_limit(&self.model, e, &call, path, limit)
                .map_err(|err| format!("fixture: past_limits: {err}"))?;
        }
        Ok(call)
    }

    /// One endpoint, by the spec's name.
    pub fn endpoint(&self, name: &str) -> Option<&EndpointInfo> {
        self.endpoints.get(name)
    }

    /// Every endpoint name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.endpoints.keys().map(String::as_str)
    }
}

/// What the test server saw.
#[derive(Debug, Default)]
pub struct Recorded {
    /// How many requests arrived.
    pub requests: usize,
    /// Every difference between an arrived request and the fixture.
    pub differences: Vec<String>,
}

/// The record shared between the test server and the harness.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Recorded>>);

impl Recorder {
    /// Compares one arrived request with the fixture, records it, and returns the differences.
    pub fn check(
        &self,
        expected: Option<&ExpectedRequest>,
        json_text: &BTreeSet<String>,
        received: &ReceivedRequest,
    ) -> Vec<String> {
        let differences = match expected {
            Some(expected) => request_differences(expected, received, json_text),
            None => vec![format!(
                "request: nothing may be sent, but the client sent {} {}",
                received.method, received.path
            )],
        };
        let mut record = self.lock();
        record.requests += 1;
        record.differences.extend(differences.iter().cloned());
        differences
    }

    /// The record so far.
    pub fn lock(&self) -> MutexGuard<'_, Recorded> {
        // A panic while holding the lock leaves a usable record behind.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The catch-all responder: the recorded reply on a match, 599 with the differences otherwise.
struct FixtureResponder {
    expected: Option<ExpectedRequest>,
    json_text: BTreeSet<String>,
    reply: ResponseTemplate,
    recorder: Recorder,
}

impl Respond for FixtureResponder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let received = ReceivedRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query().map(str::to_owned),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
            body: request.body.clone(),
        };
        let differences = self
            .recorder
            .check(self.expected.as_ref(), &self.json_text, &received);
        if differences.is_empty() {
            self.reply.clone()
        } else {
            ResponseTemplate::new(MISMATCH_STATUS)
                .set_body_string(format!("request mismatch:\n{}", differences.join("\n")))
        }
    }
}

fn template(reply: Option<&RecordedReply>) -> Result<ResponseTemplate, String> {
    let Some(reply) = reply else {
        return Ok(ResponseTemplate::new(MISMATCH_STATUS));
    };
    let mut template = ResponseTemplate::new(reply.status);
    for (name, value) in &reply.headers {
        // Checked first: wiremock panics on a header it cannot build.
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b));
        let valid_value = value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
        if !valid_name || !valid_value {
            return Err(format!(
                "fixture: reply header {name:?}: {value:?} cannot travel"
            ));
        }
        template = template.insert_header(name.as_str(), value.as_str());
    }
    template = template.set_body_bytes(reply.bytes().map_err(|e| format!("fixture: {e}"))?);
    if let Some(delay) = reply.delay_ms {
        template = template.set_delay(Duration::from_millis(delay));
    }
    Ok(template)
}

enum Server {
    Mock(MockServer),
    Closing(ClosingServer),
}

impl Server {
    async fn start(
        fixture: &Fixture,
        info: &EndpointInfo,
        recorder: &Recorder,
    ) -> Result<Server, String> {
        let expected = fixture.request.clone();
        if fixture.reply.as_ref().is_some_and(|r| r.close_connection) {
            let server = ClosingServer::start(expected, info.json_text.clone(), recorder.clone())
                .await
                .map_err(|err| format!("harness: cannot start the closing server: {err}"))?;
            return Ok(Server::Closing(server));
        }
        let responder = FixtureResponder {
            expected,
            json_text: info.json_text.clone(),
            reply: template(fixture.reply.as_ref())?,
            recorder: recorder.clone(),
        };
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(responder)
            .mount(&server)
            .await;
        Ok(Server::Mock(server))
    }

    fn uri(&self) -> String {
        match self {
            Server::Mock(server) => server.uri(),
            Server::Closing(server) => server.uri(),
        }
    }
}

/// The client a fixture describes, sending to `base_url`.
pub fn client_for(fixture: &Fixture, base_url: &str) -> Result<Client, String> {
    Client::builder(fixture.app_key.clone(), fixture.app_secret.clone())
        .base_url(base_url)
        .clock(FixedClock(fixture.clock))
        .nonce_source(FixedNonce(fixture.nonce.clone()))
        .timeout(Duration::from_millis(
            fixture.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS),
        ))
        .build()
        .map_err(|err| format!("fixture: the client cannot be built: {err}"))
}

/// Replays `fixture` against the spec's endpoint `endpoint`: serves the recorded reply to the
/// client's request if it matches, and compares the outcome. `Err` holds every failure, one
/// line each, readable on its own.
pub async fn replay(
    endpoint: &str,
    fixture: &Fixture,
    spec: &SpecIndex,
) -> Result<(), Vec<String>> {
    let Some(info) = spec.endpoint(endpoint) else {
        return Err(vec![format!(
            "fixture: the spec has no endpoint named `{endpoint}` (the folder's name)"
        )]);
    };
    let problems = fixture.problems(info.v2);
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| format!("fixture: {p}"))
            .collect());
    }
    let recorder = Recorder::default();
    let server = Server::start(fixture, info, &recorder)
        .await
        .map_err(|err| vec![err])?;
    let client = client_for(fixture, &server.uri()).map_err(|err| vec![err])?;
    let call_value = spec.call_of(endpoint, fixture).map_err(|err| vec![err])?;
    let call =
        yunxin_im::dynamic::send_json(&client, endpoint, &call_value, fixture.trace_id.as_deref());
    let got = match tokio::time::timeout(CALL_DEADLINE, call).await {
        Ok(got) => got,
        Err(_) => {
            return Err(vec![format!(
                "harness: the call did not finish within {} s",
                CALL_DEADLINE.as_secs()
            )])
        }
    };
    if let Server::Closing(server) = &server {
        server.stop();
    }

    let mut failures = Vec::new();
    {
        let record = recorder.lock();
        let want = usize::from(!fixture.expects_nothing_sent());
        if record.requests != want {
            failures.push(format!(
                "requests: expected exactly {want}, the server received {} (the client must never \
                 retry by itself)",
                record.requests
            ));
        }
        failures.extend(
            record
                .differences
                .iter()
                .map(|d| format!("request mismatch: {d}")),
        );
    }
    // A request that did not match got a 599 instead of the recorded reply, so its outcome
    // says nothing more.
    if failures.is_empty() {
        failures.extend(outcome_differences(&fixture.expect, &got));
    }
    drop(server);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}
