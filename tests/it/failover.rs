//! Host failover: a host that refuses the connection (the server certainly did not see the
//! request) hands the same call to the next host, which is then tried first; a host that took
//! the connection is never left mid-call, because it may have acted.

use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};

fn request() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", vec!["a".into()], MsgType::Text, r#"{"msg":"hi"}"#)
}

/// A loopback address where nothing listens: connecting is refused.
fn refusing_address() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"code":200}"#, "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn client(hosts: [String; 2]) -> Client {
    Client::builder("key", "secret")
        .v1_base_urls(hosts)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refused_host_hands_the_call_to_the_next_which_is_then_tried_first() {
    let refused = refusing_address();
    let server = ok_server().await;
    let client = client([format!("http://{refused}"), server.uri()]);
    client.send_batch_msg(&request()).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // The refused host comes back: the next call still goes to the host that answered.
    let revived = TcpListener::bind(refused).expect("the port is still free");
    revived.set_nonblocking(true).unwrap();
    client.send_batch_msg(&request()).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(
        revived.accept().is_err(),
        "the refused host was tried first again"
    );
}

#[tokio::test]
async fn a_host_that_took_the_connection_is_not_left_for_the_next() {
    // Accepts, reads a little, then closes without answering: the request may have arrived.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::Read;
        if let Ok((mut socket, _)) = listener.accept() {
            let _ = socket.read(&mut [0u8; 64]);
        }
    });
    let server = ok_server().await;
    let client = client([format!("http://{address}"), server.uri()]);
    let error = client.send_batch_msg(&request()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_reached_server: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        0,
        "the call was resent to another host although it may have reached the first"
    );
}

#[tokio::test]
async fn when_every_host_refuses_the_error_says_the_request_never_left() {
    let client = client([
        format!("http://{}", refusing_address()),
        format!("http://{}", refusing_address()),
    ]);
    let error = client.send_batch_msg(&request()).await.unwrap_err();
    assert!(error.is_retry_safe(), "{error:?}");
}
