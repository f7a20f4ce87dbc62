//! The generated paging streams walk a cursor-paged endpoint: each reply's next cursor goes out as
//! the next request's cursor, each page with its own trace id, until the reply says there is no
//! more; the items stream yields every page's items in order.

use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::query_conversation_messages::QueryConversationMessagesRequest;
use yunxin_im::Client;

const PATH: &str = "/im/v2.1/conversations/a%7C1%7Cb/messages";

fn page(has_more: bool, next_token: &str, ids: &[i64]) -> ResponseTemplate {
    let items: Vec<_> = ids
        .iter()
        .map(|id| json!({"message_server_id": id, "text": format!("m{id}")}))
        .collect();
    let body = json!({"code": 200, "msg": "success",
        "data": {"has_more": has_more, "next_token": next_token, "items": items}});
    ResponseTemplate::new(200).set_body_json(body)
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param_is_missing("page_token"))
        .respond_with(page(true, "t2", &[1, 2]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("page_token", "t2"))
        .respond_with(page(true, "t3", &[3]))
        .expect(1)
        .mount(&server)
        .await;
    // The last page still names a token, but says there is no more.
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("page_token", "t3"))
        .respond_with(page(false, "t4", &[4]))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder("key", "secret")
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn request() -> QueryConversationMessagesRequest {
    QueryConversationMessagesRequest::new("a|1|b", 1_700_000_000_000, 1_700_086_400_000, 2)
}

#[tokio::test]
async fn the_pages_stream_follows_next_token_until_has_more_is_false() {
    let server = server().await;
    let client = client(&server);
    let first = request();
    let pages: Vec<_> = client
        .query_conversation_messages_pages(&first)
        .collect()
        .await;
    let tokens: Vec<Option<String>> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().next_token.clone())
        .collect();
    assert_eq!(
        tokens,
        [Some("t2".into()), Some("t3".into()), Some("t4".into())]
    );

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    let trace_ids: Vec<String> = received
        .iter()
        .map(|r| r.headers["X-custom-traceid"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(trace_ids[0], first.trace_id());
    assert!(
        trace_ids[1] != trace_ids[0] && trace_ids[2] != trace_ids[1],
        "each page is its own logical request: {trace_ids:?}"
    );
    for r in &received {
        let query = r.url.query().unwrap_or_default();
        assert!(
            query.contains("begin_time=1700000000000") && query.contains("limit=2"),
            "every page repeats the request's parameters: {query}"
        );
    }
}

#[tokio::test]
async fn the_items_stream_yields_every_page_s_items_in_order() {
    let server = server().await;
    let client = client(&server);
    let ids: Vec<i64> = client
        .query_conversation_messages_items(&request())
        .map(|item| item.unwrap().message_server_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, [1, 2, 3, 4]);
}
