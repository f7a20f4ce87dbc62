//! Pacing to documented rate limits, through the client: after the server's rate-limit answer a
//! paced client holds the next call back for the documented block; an unpaced one sends at once;
//! a pace set on the builder is shared by clones and holds each slot a window after the answer.

use std::time::{Duration, Instant};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::pacing::Pace;
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

async fn ok_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"code":200}"#, "application/json")
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    server
}

/// When each call of `count`, spread over `clients` clones of one client paced to 2 calls per
/// 400 ms, was answered, measured from the start.
async fn paced_answers(server: &MockServer, count: usize) -> Vec<Duration> {
    let client = Client::builder("key", "secret")
        .base_url(server.uri())
        .rate_limit("send_batch_msg", Pace::new(2, Duration::from_millis(400)))
        .build()
        .unwrap();
    let start = Instant::now();
    let calls = (0..count).map(|_| {
        let client = client.clone();
        async move {
            client.send_batch_msg(&request()).await.unwrap();
            start.elapsed()
        }
    });
    futures_util::future::join_all(calls).await
}

#[tokio::test]
async fn a_builder_pace_is_shared_by_clones_and_holds_a_window_after_each_answer() {
    let server = ok_server(Duration::from_millis(100)).await;
    let mut answered = paced_answers(&server, 5).await;
    answered.sort();
    let ms: Vec<u128> = answered.iter().map(Duration::as_millis).collect();
    // Two answered at ~100 ms; their slots free at ~500 ms, the next two answer at ~600 ms,
    // the last at ~1100 ms. Stamped at admission, they would answer at 100, 500 and 900 ms.
    assert!(ms[1] < 400, "the first two go at once: {ms:?}");
    assert!(
        ms[2] >= 600 && ms[3] >= 600,
        "then a window after the answers: {ms:?}"
    );
    assert!(ms[4] >= 1100, "and again: {ms:?}");
}

#[tokio::test]
async fn without_the_builder_pace_the_spec_limit_lets_the_same_calls_through_at_once() {
    let server = ok_server(Duration::from_millis(100)).await;
    let client = Client::builder("key", "secret")
        .base_url(server.uri())
        .pace_to_rate_limits(true)
        .build()
        .unwrap();
    let start = Instant::now();
    let request = request();
    let calls = (0..5).map(|_| client.send_batch_msg(&request));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert!(
        start.elapsed() < Duration::from_millis(400),
        "120 per minute holds nobody back"
    );
}
