//! The error kinds a caller matches on, met on 127.0.0.1 and sorted by `crate::errors`.

use std::net::TcpListener as StdListener;

use super::round_trip::send_batch_msg;
use super::{own_http_client, Answer, Loopback, APP_KEY, SECRET};
use crate::client_on;
use crate::errors::{next_step, NextStep};

#[tokio::test]
async fn a_rate_limit_answer_means_wait_and_a_closed_port_retry_now() {
    let server = Loopback::start(|_| Answer::json(r#"{"code":416,"desc":"api limit"}"#)).await;
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&server.base)).unwrap();
    let refused = client.send_batch_msg(&send_batch_msg()).await.unwrap_err();
    assert_eq!(
        next_step(&client, &refused),
        NextStep::WaitAndRetry,
        "{refused:?}"
    );

    let port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&base)).unwrap();
    let unreached = client.send_batch_msg(&send_batch_msg()).await.unwrap_err();
    assert_eq!(
        next_step(&client, &unreached),
        NextStep::RetryNow,
        "{unreached:?}"
    );
    // The HTTP library's error is still there for logs, as a source only.
    assert!(std::error::Error::source(&unreached).is_some());
}
