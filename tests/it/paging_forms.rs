//! The offset and time-window paging streams against a server on 127.0.0.1: each next request's
//! offset is the last one's plus the items received, and each next window ends at the last
//! item's time with that item's id excluded; a short page, a window that does not move and a
//! window that reaches its start each end the walk. Wire names come from the spec's paging
//! declarations, so the tests follow the spec, not today's names.

use std::collections::BTreeMap;

use codegen::model::{Endpoint, PagingForm, Window};
use futures_util::StreamExt;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use yunxin_im::list_online_members::ListOnlineMembersRequest;
use yunxin_im::query_session_msg::{QuerySessionMsgRequest, SessionMsgOrder};
use yunxin_im::Client;

fn endpoint(name: &str) -> Endpoint {
    let model = yunxin_tests::calls::model();
    model
        .endpoints
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no endpoint {name}"))
}

fn client(server: &MockServer) -> Client {
    Client::builder("key", "secret")
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// A server answering every request with `respond`.
async fn server(
    respond: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

fn form(request: &Request) -> BTreeMap<String, String> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

fn query(request: &Request) -> BTreeMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// `list_online_members`: its offset and limit wire names, and its items field's.
fn offset_names() -> (Endpoint, String, String, String) {
    let e = endpoint("list_online_members");
    let p = e.paging.clone().expect("list_online_members is paged");
    let PagingForm::Offset { offset, .. } = &p.form else {
        panic!("list_online_members pages by offset: {:?}", p.form)
    };
    let limit = p.limit.clone().expect("offset paging has a limit").wire;
    (e, offset.wire.clone(), limit, p.items.wire)
}

/// Answers an offset page: `sizes[i]` members for the i-th offset asked (0, then the running sum).
fn offset_server(
    sizes: &'static [usize],
) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    let (_, offset, _, items) = offset_names();
    move |request| {
        let asked: usize = query(request)
            .get(&offset)
            .map_or(0, |o| o.parse().unwrap());
        let mut start = 0;
        for size in sizes {
            if start == asked {
                let members: Vec<Value> = (start..start + size)
                    .map(|i| json!({"account_id": format!("m{i}")}))
                    .collect();
                return ResponseTemplate::new(200).set_body_json(
                    json!({"code": 200, "msg": "success", "data": {items.as_str(): members}}),
                );
            }
            start += size;
        }
        ResponseTemplate::new(599)
    }
}

/// The offsets the server was asked for (`None`: not sent), checking each page's limit.
async fn offsets_asked(server: &MockServer, limit: i32) -> Vec<Option<String>> {
    let (e, offset, limit_name, _) = offset_names();
    let path = e.path.replace("{room_id}", "7");
    let received = server.received_requests().await.unwrap();
    received
        .iter()
        .map(|r| {
            assert_eq!(r.url.path(), path);
            let q = query(r);
            assert_eq!(
                q.get(&limit_name),
                Some(&limit.to_string()),
                "every page keeps the limit"
            );
            q.get(&offset).cloned()
        })
        .collect()
}

#[tokio::test]
async fn offset_paging_advances_by_the_items_received_and_stops_on_a_short_page() {
    let server = server(offset_server(&[2, 2, 1])).await;
    let client = client(&server);
    let request = ListOnlineMembersRequest::new(7, 2);
    let members: Vec<String> = client
        .list_online_members_items(&request)
        .map(|m| m.unwrap().account_id.unwrap())
        .collect()
        .await;
    assert_eq!(members, ["m0", "m1", "m2", "m3", "m4"]);
    assert_eq!(
        offsets_asked(&server, 2).await,
        [None, Some("2".into()), Some("4".into())],
        "the first page asks from the caller's offset (unset), each next from it plus the items received"
    );
}

#[tokio::test]
async fn offset_paging_starts_at_the_callers_offset_and_an_empty_page_ends_it() {
    let server = server(offset_server(&[2, 2, 0])).await;
    let client = client(&server);
    // Start past the first page: the server's first page of 2 is at offset 0, so asking from 2
    // gets the second page, then the empty third.
    let request = ListOnlineMembersRequest::new(7, 2).offset(2);
    let pages: Vec<usize> = client
        .list_online_members_pages(&request)
        .map(|p| p.unwrap().items.unwrap_or_default().len())
        .collect()
        .await;
    assert_eq!(pages, [2, 0]);
    assert_eq!(
        offsets_asked(&server, 2).await,
        [Some("2".into()), Some("4".into())]
    );
}

/// `query_session_msg`'s window declaration.
fn window() -> (Endpoint, Window, String, String) {
    let e = endpoint("query_session_msg");
    let p = e.paging.clone().expect("query_session_msg is paged");
    let PagingForm::Window(w) = p.form.clone() else {
        panic!("query_session_msg pages by time window: {:?}", p.form)
    };
    let limit = p.limit.clone().expect("window paging has a limit").wire;
    (e, w, limit, p.items.wire)
}

/// Answers a window page by the end asked: `pages` maps an end to the (id, time) of its messages.
fn window_server(
    pages: &'static [(i64, &'static [(i64, i64)])],
) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    let (_, w, _, items) = window();
    let (_, id) = w
        .exclude
        .clone()
        .expect("query_session_msg excludes the boundary message");
    move |request| {
        let end: i64 = form(request)[&w.end.wire].parse().unwrap();
        match pages.iter().find(|(e, _)| *e == end) {
            Some((_, msgs)) => {
                let msgs: Vec<Value> = msgs
                    .iter()
                    .map(|(i, t)| json!({id.wire.as_str(): i, w.item_time.wire.as_str(): t}))
                    .collect();
                ResponseTemplate::new(200)
                    .set_body_json(json!({"code": 200, "size": msgs.len(), items.as_str(): msgs}))
            }
            None => ResponseTemplate::new(599),
        }
    }
}

/// Each request's (end, excluded id), checking what every page repeats or fixes.
async fn windows_asked(
    server: &MockServer,
    begin: i64,
    limit: i32,
) -> Vec<(String, Option<String>)> {
    let (e, w, limit_name, _) = window();
    let (exclude, _) = w.exclude.clone().unwrap();
    let order = w.order.clone().expect("query_session_msg fixes the order");
    let received = server.received_requests().await.unwrap();
    received
        .iter()
        .map(|r| {
            assert_eq!(r.url.path(), e.path);
            let f = form(r);
            assert_eq!(f[&limit_name], limit.to_string());
            assert_eq!(f[&w.begin.as_ref().unwrap().wire], begin.to_string());
            assert_eq!(
                f[&order.field.wire],
                order.value.to_string(),
                "every page is asked newest first, whatever the caller set"
            );
            (f[&w.end.wire].clone(), f.get(&exclude.wire).cloned())
        })
        .collect()
}

fn session(begin: i64, end: i64, limit: i32) -> QuerySessionMsgRequest {
    // The caller asks oldest first: the pager walks only newest first, and says so.
    QuerySessionMsgRequest::new("a", "b", begin, end, limit).order(SessionMsgOrder::Ascending)
}

#[tokio::test]
async fn window_paging_moves_the_end_to_the_last_message_and_excludes_it() {
    const PAGES: &[(i64, &[(i64, i64)])] = &[
        (10_000, &[(1, 9_000), (2, 8_000)]),
        (8_000, &[(3, 8_000), (4, 6_000)]),
        (6_000, &[(5, 5_000)]),
    ];
    let server = server(window_server(PAGES)).await;
    let client = client(&server);
    let ids: Vec<i64> = client
        .query_session_msg_items(&session(1_000, 10_000, 2))
        .map(|m| m.unwrap().msgid.unwrap())
        .collect()
        .await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(
        windows_asked(&server, 1_000, 2).await,
        [
            ("10000".into(), None),
            ("8000".into(), Some("2".into())),
            ("6000".into(), Some("4".into())),
        ]
    );
}

#[tokio::test]
async fn a_window_that_does_not_move_ends_the_walk() {
    // A full page whose last message is as new as the end asked for: the next window would be
    // the same, so the walk stops rather than ask for it forever.
    const PAGES: &[(i64, &[(i64, i64)])] = &[(10_000, &[(1, 10_000), (2, 10_000)])];
    let server = server(window_server(PAGES)).await;
    let pages: Vec<_> = client(&server)
        .query_session_msg_pages(&session(1_000, 10_000, 2))
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].is_ok());
    assert_eq!(
        windows_asked(&server, 1_000, 2).await,
        [("10000".into(), None)]
    );
}

#[tokio::test]
async fn a_short_page_or_a_window_at_its_start_ends_the_walk() {
    const SHORT: &[(i64, &[(i64, i64)])] = &[(10_000, &[(1, 9_000)])];
    let short = server(window_server(SHORT)).await;
    let pages: Vec<_> = client(&short)
        .query_session_msg_pages(&session(1_000, 10_000, 2))
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert_eq!(windows_asked(&short, 1_000, 2).await.len(), 1);

    // A full page ending at the window's start: the next window would be empty.
    const AT_START: &[(i64, &[(i64, i64)])] = &[(10_000, &[(1, 5_000), (2, 1_000)])];
    let at_start = server(window_server(AT_START)).await;
    let pages: Vec<_> = client(&at_start)
        .query_session_msg_pages(&session(1_000, 10_000, 2))
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert_eq!(windows_asked(&at_start, 1_000, 2).await.len(), 1);
}
