//! `ApiError::is_rate_limited()` agrees with `kind()` on every endpoint of the spec, including
//! those whose spec states no rate limit: each endpoint's example is sent by name to a server on
//! 127.0.0.1 that refuses it with the spec's rate-limit code (and, as the negative twin, with
//! another refusal code).

use codegen::model::Model;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::dynamic::{send_json, DynamicError};
use yunxin_im::error::ApiError;
use yunxin_im::status::ApiErrorKind;
use yunxin_im::{Client, Error};
use yunxin_tests::calls::{self, Expect};

/// The spec's code of the status kind that `ApiErrorKind::RateLimited` is generated from.
const RATE_LIMITED: &str = "rate_limited";

fn code_of_kind(model: &Model, kind: &str) -> i64 {
    model
        .status_codes
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or_else(|| panic!("the spec has no status of kind `{kind}`"))
        .code
}

/// A refusal code that is neither success, the rate-limit kind nor any endpoint's rate-limit code.
fn other_refusal_code(model: &Model) -> i64 {
    let limit_codes: Vec<i64> = model
        .endpoints
        .iter()
        .filter_map(|e| e.rate_limit.as_ref().map(|r| r.code))
        .collect();
    model
        .status_codes
        .iter()
        .find(|s| s.code != 200 && s.kind != RATE_LIMITED && !limit_codes.contains(&s.code))
        .expect("the spec lists a refusal code other than the rate limit")
        .code
}

/// Sends every endpoint's clean example to a server answering body `code`; returns each
/// endpoint's name and refusal.
async fn refusals(model: &Model, code: i64) -> Vec<(String, ApiError)> {
    // Both generations' message keys, so one body serves v1 and v2 endpoints.
    let body = format!(r#"{{"code":{code},"desc":"refused","msg":"refused"}}"#);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(model.endpoints.len() as u64)
        .mount(&server)
        .await;
    let client = Client::builder("app-key", "app-secret")
        .base_url(server.uri())
        .build()
        .unwrap();
    let mut out = Vec::new();
    for endpoint in &model.endpoints {
        let example = calls::cases(model, endpoint)
            .into_iter()
            .find(|c| matches!(c.expect, Expect::Clean))
            .unwrap_or_else(|| panic!("{}: no clean call", endpoint.name));
        match send_json(&client, &endpoint.name, &example.call, None).await {
            Err(DynamicError::Client(Error::Api(api))) => out.push((endpoint.name.clone(), api)),
            other => panic!("{}: expected a refusal, got {other:?}", endpoint.name),
        }
    }
    server.verify().await;
    out
}

#[tokio::test]
async fn a_rate_limit_refusal_is_rate_limited_on_every_endpoint() {
    let model = calls::model();
    let code = code_of_kind(&model, RATE_LIMITED);
    let found = refusals(&model, code).await;
    assert_eq!(found.len(), model.endpoints.len());
    for (endpoint, api) in &found {
        assert_eq!(api.kind(), ApiErrorKind::RateLimited, "{endpoint}");
        assert!(api.is_rate_limited(), "{endpoint}: {api:?}");
        let documented = model
            .endpoints
            .iter()
            .any(|e| &e.name == endpoint && e.rate_limit.is_some());
        // The limit itself is carried only where the spec states one.
        assert_eq!(api.rate_limit.is_some(), documented, "{endpoint}");
    }
}

#[tokio::test]
async fn another_refusal_is_not_rate_limited_on_any_endpoint() {
    let model = calls::model();
    let code = other_refusal_code(&model);
    for (endpoint, api) in refusals(&model, code).await {
        assert_ne!(api.kind(), ApiErrorKind::RateLimited, "{endpoint}");
        assert!(!api.is_rate_limited(), "{endpoint}: {api:?}");
        assert!(api.rate_limit.is_none(), "{endpoint}");
    }
}
