//! Replies are read only up to a cap (`ClientBuilder::max_reply_bytes`, default
//! `DEFAULT_MAX_REPLY_BYTES`), and non-200 replies only for a short excerpt. Raw TCP servers on
//! 127.0.0.1 send oversized or endless bodies and count what they managed to write: a client that
//! stops reading and hangs up bounds that count by the cap plus the sockets' buffers.

use std::time::{Duration, Instant};

use yunxin_im::client::DEFAULT_MAX_REPLY_BYTES;
use yunxin_im::custom_notification_batch::CustomNotificationBatchRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};
use yunxin_tests::big_reply_server::{BigReplyServer, Framing, ENDLESS_CEILING};

const MB_100: u64 = 100 * 1024 * 1024;
/// What the loopback sockets and the HTTP stack may hold beyond what the client consumed: the
/// sender's and the receiver's kernel buffers (autotuned; 4 to 7 MiB observed here) and hyper's
/// read buffer. Far below the 100 MB and 256 MiB bodies the servers offer.
const SOCKET_SLACK: u64 = 24 * 1024 * 1024;
/// A call that stops early finishes well within this; the clients' timeout is longer, so an
/// uncapped client waiting for an endless body fails the time check too.
const QUICK: Duration = Duration::from_secs(3);
const TIMEOUT: Duration = Duration::from_secs(8);
const TRACE_ID: &str = "trace-reply-cap-1";
/// A success envelope that decodes as a `send_batch_msg` reply; the servers pad it with spaces.
const OK_REPLY: &[u8] = br#"{"code":200,"unregister":["carol"],"timetag":1700000000000}"#;

fn builder(base: &str) -> yunxin_im::ClientBuilder {
    Client::builder("app-key", "app-secret")
        .base_url(base)
        .timeout(TIMEOUT)
}

fn v1_request() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new(
        "alice",
        vec!["bob".into()],
        MsgType::Text,
        r#"{"msg":"hi"}"#,
    )
}

fn v2_request() -> CustomNotificationBatchRequest {
    CustomNotificationBatchRequest::new("alice", "hi", vec!["bob".into()]).with_trace_id(TRACE_ID)
}

/// The body bytes the server wrote; it must have stopped within a second of the client's error.
async fn written(server: BigReplyServer) -> u64 {
    server
        .body_bytes_written(Duration::from_secs(2))
        .await
        .expect("the server still writes: the client did not hang up")
}

#[tokio::test]
async fn a_100_mb_reply_is_refused_from_its_content_length() {
    let server = BigReplyServer::start("200 OK", OK_REPLY, Framing::ContentLength(MB_100))
        .await
        .unwrap();
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    let err = client.send_batch_msg(&v1_request()).await.unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        Error::ReplyTooLarge {
            endpoint: "send_batch_msg",
            limit,
            content_length: Some(MB_100),
            trace_id: None,
        } => assert_eq!(*limit, DEFAULT_MAX_REPLY_BYTES),
        other => panic!("expected ReplyTooLarge, got {other:?}"),
    }
    assert!(err.may_have_reached_server() && !err.is_retry_safe());
    assert!(elapsed < QUICK, "took {elapsed:?}");
    let written = written(server).await;
    // Refused from the header: the client read none of the body on purpose, only what the
    // sockets buffered.
    assert!(
        written < SOCKET_SLACK,
        "the server wrote {written} of {MB_100} bytes"
    );
}

#[tokio::test]
async fn an_endless_chunked_reply_stops_at_the_cap() {
    let server = BigReplyServer::start("200 OK", OK_REPLY, Framing::Chunked(None))
        .await
        .unwrap();
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    let err = client
        .custom_notification_batch(&v2_request())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        Error::ReplyTooLarge {
            endpoint: "custom_notification_batch",
            limit,
            content_length: None,
            trace_id: Some(id),
        } => assert_eq!((*limit, id.as_str()), (DEFAULT_MAX_REPLY_BYTES, TRACE_ID)),
        other => panic!("expected ReplyTooLarge, got {other:?}"),
    }
    assert!(err.may_have_reached_server() && !err.is_retry_safe());
    let shown = err.to_string();
    assert!(
        shown.contains("may have acted") && shown.contains(TRACE_ID),
        "{shown}"
    );
    assert!(elapsed < QUICK, "took {elapsed:?}");
    let written = written(server).await;
    let bound = DEFAULT_MAX_REPLY_BYTES as u64 + SOCKET_SLACK;
    assert!(
        written <= bound,
        "the server wrote {written} bytes (bound {bound}, ceiling {ENDLESS_CEILING})"
    );
}

/// Sends a v1 request to a server answering `502` with `framing`; returns the excerpt and the
/// body bytes the server wrote.
async fn error_body(framing: Framing) -> (String, u64) {
    let server = BigReplyServer::start("502 Bad Gateway", b"<html>upstream down", framing)
        .await
        .unwrap();
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    let err = client.send_batch_msg(&v1_request()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < QUICK, "took {elapsed:?}");
    assert!(err.may_have_reached_server() && !err.is_retry_safe());
    let excerpt = match err {
        Error::HttpStatus {
            status: 502,
            body_excerpt,
            ..
        } => body_excerpt,
        other => panic!("expected HttpStatus, got {other:?}"),
    };
    (excerpt, written(server).await)
}

#[tokio::test]
async fn a_large_error_body_is_read_only_for_its_excerpt() {
    let (excerpt, written) = error_body(Framing::ContentLength(MB_100)).await;
    assert!(excerpt.starts_with("<html>upstream down"), "{excerpt}");
    assert!(
        excerpt.ends_with(&format!("… ({MB_100} bytes in total)")),
        "{excerpt}"
    );
    assert!(excerpt.chars().count() < 250, "{excerpt}");
    // A short excerpt is all the client wants: it leaves the body to the sockets' buffers.
    assert!(
        written < SOCKET_SLACK,
        "the server wrote {written} of {MB_100} bytes"
    );
}

#[tokio::test]
async fn an_endless_error_body_is_read_only_for_its_excerpt() {
    let (excerpt, written) = error_body(Framing::Chunked(None)).await;
    assert!(excerpt.starts_with("<html>upstream down"), "{excerpt}");
    assert!(excerpt.ends_with("bytes in total)"), "{excerpt}");
    assert!(excerpt.chars().count() < 250, "{excerpt}");
    assert!(written < SOCKET_SLACK, "the server wrote {written} bytes");
}

/// The outcome of one `send_batch_msg` whose reply is `OK_REPLY` padded to `length` bytes.
async fn padded_reply(
    client: impl FnOnce(&str) -> Client,
    framing: Framing,
) -> Result<Option<Vec<String>>, Error> {
    let server = BigReplyServer::start("200 OK", OK_REPLY, framing)
        .await
        .unwrap();
    let result = client(&server.uri()).send_batch_msg(&v1_request()).await;
    result.map(|reply| reply.unregister)
}

fn carol() -> Option<Vec<String>> {
    Some(vec!["carol".to_owned()])
}

#[tokio::test]
async fn a_reply_exactly_at_the_cap_is_decoded_and_one_byte_more_is_refused() {
    let cap = DEFAULT_MAX_REPLY_BYTES as u64;
    let default = |base: &str| builder(base).build().unwrap();
    for framing in [Framing::ContentLength(cap), Framing::Chunked(Some(cap))] {
        let got = padded_reply(default, framing).await;
        assert_eq!(got.unwrap(), carol(), "{framing:?}");
    }
    for (framing, declared) in [
        (Framing::ContentLength(cap + 1), Some(cap + 1)),
        (Framing::Chunked(Some(cap + 1)), None),
    ] {
        match padded_reply(default, framing).await {
            Err(Error::ReplyTooLarge {
                limit,
                content_length,
                ..
            }) => assert_eq!((limit as u64, content_length), (cap, declared)),
            other => panic!("{framing:?}: expected ReplyTooLarge, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_builder_sets_the_cap_and_refuses_zero() {
    let small = |base: &str| builder(base).max_reply_bytes(1000).build().unwrap();
    let default = |base: &str| builder(base).build().unwrap();
    let got = padded_reply(small, Framing::ContentLength(1000)).await;
    assert_eq!(got.unwrap(), carol());
    for framing in [Framing::ContentLength(1001), Framing::Chunked(Some(1001))] {
        match padded_reply(small, framing).await {
            Err(Error::ReplyTooLarge { limit: 1000, .. }) => {}
            other => panic!("{framing:?}: expected ReplyTooLarge, got {other:?}"),
        }
        // The same reply under the default cap.
        assert_eq!(padded_reply(default, framing).await.unwrap(), carol());
    }
    let zero = builder("http://127.0.0.1:9").max_reply_bytes(0).build();
    match zero {
        Err(Error::Config { reason }) => assert!(reason.contains("max_reply_bytes"), "{reason}"),
        other => panic!("expected a config error, got {other:?}"),
    }
}
