//! Error messages built from server text stay short however long that text is, while the whole
//! value stays on the error: a 3 MB `desc` in a rate-limit reply is an `ApiError` whose `desc`
//! is whole and whose message shows its start and its length.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::error::PaceError;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};

/// Any message longer than this is not an error message but a dump.
const SHORT: usize = 1024;

async fn refusal_with_desc(desc: &str) -> Error {
    let server = MockServer::start().await;
    let body = serde_json::json!({"code": 416, "desc": desc}).to_string();
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder("app", "app-secret")
        .base_url(server.uri())
        .build()
        .unwrap();
    let request =
        SendBatchMsgRequest::new("sender", vec!["a".into()], MsgType::Text, r#"{"msg":"hi"}"#);
    client.send_batch_msg(&request).await.unwrap_err()
}

#[tokio::test]
async fn a_huge_desc_is_whole_on_the_error_and_short_in_its_message() {
    let desc = "Sx-desc ".repeat(3 * 1024 * 1024 / 8);
    let err = refusal_with_desc(&desc).await;
    let Error::Api(api) = &err else {
        panic!("expected an API refusal: {err:.300}");
    };
    assert_eq!(
        api.desc.as_deref(),
        Some(desc.as_str()),
        "the desc is not whole"
    );
    let message = err.to_string();
    assert!(
        message.len() < SHORT,
        "{} bytes: {message:.300}",
        message.len()
    );
    assert!(message.contains("Sx-desc"), "{message}");
    assert!(
        message.contains(&format!("{} bytes", desc.len())),
        "{message}"
    );
}

#[tokio::test]
async fn a_short_desc_shows_whole() {
    let desc = "api freq control, wait a minute";
    let message = refusal_with_desc(desc).await.to_string();
    assert!(message.contains(&format!("{desc:?}")), "{message}");
    assert!(!message.contains("characters shown"), "{message}");
}

#[test]
fn a_huge_pacing_reason_or_store_is_short_in_its_message() {
    let huge = "x".repeat(3 * 1024 * 1024);
    for error in [
        PaceError::new("store", huge.as_str()),
        PaceError::new(huge.as_str(), "why"),
    ] {
        let message = error.to_string();
        assert!(message.len() < SHORT, "{} bytes", message.len());
        assert!(
            message.contains(&format!("{} bytes", huge.len())),
            "{message:.300}"
        );
    }
}
