//! The application's own `reqwest::Client` under the typed client, on 127.0.0.1: signed
//! requests, the documented redirect behaviour, and the outbox.

use std::net::TcpListener as StdListener;

use yunxin_im::{Client, Error};

use super::round_trip::{custom_notification_batch, send_batch_msg, TRACE_ID};
use super::{own_http_builder, own_http_client, Answer, Loopback, APP_KEY, SECRET};
use crate::{client_on, Outbox, Outcome};

#[tokio::test]
async fn a_client_on_its_own_http_client_sends_signed_requests() {
    let server = Loopback::start(|_| Answer::json(r#"{"code":200,"timetag":5}"#)).await;
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&server.base)).unwrap();
    let reply = client.send_batch_msg(&send_batch_msg()).await.unwrap();
    assert_eq!(reply.timetag, Some(5));

    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/nimserver/msg/sendBatchMsg.action")
    );
    assert_eq!(r.header("AppKey"), Some(APP_KEY));
    assert!(r.signed_with(SECRET), "{r:?}");
    assert!(!r.signed_with("another-secret"), "the check can fail");
    assert_eq!(r.header("Nonce").map(str::len), Some(32));
    assert!(r.header("X-custom-traceid").is_none());
    assert_eq!(
        r.header("Content-Type"),
        Some("application/x-www-form-urlencoded;charset=utf-8")
    );
    // The form: lists and objects as JSON text, enums as codes, in field order.
    let body = r.body_text();
    assert!(
        body.starts_with("fromAccid=sender&toAccids=%5B%22user-000000%22%2C"),
        "{body}"
    );
    assert!(
        body.contains("&type=0&body=%7B%22msg%22%3A%22hello%22%7D&"),
        "{body}"
    );
    assert!(!body.contains(SECRET) && !format!("{r:?}").contains(SECRET));
}

#[tokio::test]
async fn a_v2_request_carries_its_trace_id_as_a_header_only() {
    let server = Loopback::start(|_| {
        Answer::json(r#"{"code":200,"msg":"ok","data":{"success_list":["user-000000"]}}"#)
    })
    .await;
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&server.base)).unwrap();
    // Queued, stored as text, read back (as another process would) and sent.
    let stored = serde_json::to_string(&custom_notification_batch()).unwrap();
    let request = serde_json::from_str(&stored).unwrap();
    let reply = client.custom_notification_batch(&request).await.unwrap();
    assert_eq!(reply.success_list, Some(vec!["user-000000".to_owned()]));

    let r = &server.received()[0];
    assert_eq!(r.path, "/im/v2/custom_notification/batch");
    assert_eq!(r.header("X-custom-traceid"), Some(TRACE_ID));
    assert!(r.signed_with(SECRET));
    let body = r.body_text();
    assert!(
        !body.contains(TRACE_ID) && !body.contains("traceid"),
        "{body}"
    );
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["receiver_ids"][1], "user-000001");
}

/// A server that answers `/nimserver/...` with a 307 to `/elsewhere`, and `/elsewhere` with a
/// success that must never be taken as the API's answer.
async fn redirecting_server() -> Loopback {
    Loopback::start(|r| {
        if r.path == "/elsewhere" {
            Answer::json(r#"{"code":200,"timetag":1}"#)
        } else {
            Answer {
                status: "307 Temporary Redirect",
                headers: vec![("location", "/elsewhere".into())],
                body: String::new(),
            }
        }
    })
    .await
}

#[tokio::test]
async fn an_own_client_that_follows_redirects_gets_redirected_and_the_answer_is_not_taken() {
    let server = redirecting_server().await;
    // reqwest's default policy follows up to 10 redirects.
    let following = own_http_builder().build().unwrap();
    let client = client_on(following, APP_KEY, SECRET, Some(&server.base)).unwrap();
    let err = client.send_batch_msg(&send_batch_msg()).await.unwrap_err();
    match &err {
        Error::Redirected { endpoint, to, .. } => {
            assert_eq!(*endpoint, "send_batch_msg");
            assert_eq!(to, &format!("{}/elsewhere", server.base));
        }
        other => panic!("expected Redirected, got {other:?}"),
    }
    assert!(err.may_have_reached_server() && !err.is_retry_safe());
    // The redirect was followed (the signed body went to /elsewhere), and its success refused.
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/nimserver/msg/sendBatchMsg.action", "/elsewhere"],
        "the server saw: {paths:?}"
    );
}

#[tokio::test]
async fn a_handed_over_builder_is_reconfigured_so_a_redirect_is_an_http_status_error() {
    let server = redirecting_server().await;
    let client = Client::builder(APP_KEY, SECRET)
        .base_url(&server.base)
        .http_client_builder(own_http_builder())
        .build()
        .unwrap();
    let err = client.send_batch_msg(&send_batch_msg()).await.unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status: 307, .. }),
        "expected HttpStatus 307, got {err:?}"
    );
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/nimserver/msg/sendBatchMsg.action"]);

    // The own client built without redirects behaves the same way.
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&server.base)).unwrap();
    let err = client.send_batch_msg(&send_batch_msg()).await.unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status: 307, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_outbox_keeps_what_is_safe_to_retry_and_sends_it_later() {
    let mut outbox = Outbox::new();
    outbox.push(send_batch_msg()).unwrap();
    outbox.push(custom_notification_batch()).unwrap();
    let stored = outbox.to_json_lines();
    assert_eq!(stored.lines().count(), 2);
    // Another process reads the outbox back.
    let mut outbox = Outbox::from_json_lines(&stored).unwrap();
    assert_eq!(outbox, Outbox::from_json_lines(&stored).unwrap());

    // Nothing listens: not delivered, kept.
    let port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = client_on(
        own_http_client(),
        APP_KEY,
        SECRET,
        Some(&format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    assert!(matches!(
        outbox.send_next(&down).await,
        Some(Outcome::Kept(_))
    ));
    assert_eq!(outbox.len(), 2);

    let server = Loopback::start(|_| Answer::json(r#"{"code":200}"#)).await;
    let up = client_on(own_http_client(), APP_KEY, SECRET, Some(&server.base)).unwrap();
    assert!(matches!(
        outbox.send_next(&up).await,
        Some(Outcome::Sent(_))
    ));
    assert!(matches!(
        outbox.send_next(&up).await,
        Some(Outcome::Sent(_))
    ));
    assert!(outbox.send_next(&up).await.is_none() && outbox.is_empty());
    let received = server.received();
    assert_eq!(received.len(), 2);
    // The v2 request kept the trace id it was stored with.
    assert_eq!(received[1].header("X-custom-traceid"), Some(TRACE_ID));

    // A refusal that may have been acted on is dropped and handed back.
    let refusing = Loopback::start(|_| Answer::json(r#"{"code":500,"desc":"busy"}"#)).await;
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&refusing.base)).unwrap();
    let mut outbox = Outbox::new();
    outbox.push(send_batch_msg()).unwrap();
    match outbox.send_next(&client).await {
        Some(Outcome::Dropped(Error::Api(api), line)) => {
            assert_eq!(api.code, 500);
            assert!(line.contains("send_batch_msg"));
        }
        other => panic!("{other:?}"),
    }
    assert!(outbox.is_empty());
    assert!(Outbox::from_json_lines(r#"{"endpoint":"nope","request":{}}"#).is_err());
}
