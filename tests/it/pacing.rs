//! Pacing to documented rate limits, through the client: after the server's rate-limit answer a
//! paced client holds the next call back for the documented block; an unpaced one sends at once.

use std::time::Duration;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};

async fn rate_limited_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"code":416,"desc":"api freq control"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

fn request() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", vec!["a".into()], MsgType::Text, r#"{"msg":"hi"}"#)
}

async fn second_call_reaches_server(paced: bool) -> bool {
    let server = rate_limited_server().await;
    let client = Client::builder("key", "secret")
        .base_url(server.uri())
        .pace_to_rate_limits(paced)
        .build()
        .unwrap();
    let first = client.send_batch_msg(&request()).await;
    assert!(
        matches!(first, Err(Error::Api(ref e)) if e.is_rate_limited()),
        "{first:?}"
    );
    let _ = tokio::time::timeout(
        Duration::from_millis(300),
        client.send_batch_msg(&request()),
    )
    .await;
    server.received_requests().await.unwrap().len() == 2
}

#[tokio::test]
async fn a_paced_client_waits_out_the_block_after_a_rate_limit_answer() {
    assert!(
        !second_call_reaches_server(true).await,
        "the paced client sent during the documented block"
    );
}

#[tokio::test]
async fn an_unpaced_client_sends_at_once() {
    assert!(
        second_call_reaches_server(false).await,
        "without pacing the second call goes out immediately"
    );
}

#[tokio::test]
async fn pacing_lets_calls_within_the_limit_through() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"code":200}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::builder("key", "secret")
        .base_url(server.uri())
        .pace_to_rate_limits(true)
        .build()
        .unwrap();
    for _ in 0..10 {
        tokio::time::timeout(Duration::from_secs(5), client.send_batch_msg(&request()))
            .await
            .expect("not held back")
            .unwrap();
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 10);
}
