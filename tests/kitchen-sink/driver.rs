//! Calls every operation of the kitchen-sink API through the client generated from
//! `tests/kitchen-sink/spec/`, against the server named by `KITCHEN_SINK_BASE_URL`, and prints
//! one line per outcome. `tests/it/kitchen_sink.rs` copies this file into the temporary crate
//! as `src/bin/driver.rs`, runs it against a server on 127.0.0.1, and checks both what the
//! server received and what this printed. It is written against the generated API as a user
//! would write it, so a construct the generator emits wrongly fails to compile here.

use std::collections::BTreeMap;

use futures_util::StreamExt;
use yunxin_im::create_widget::CreateWidgetRequest;
use yunxin_im::delete_widget_part::{DeleteWidgetPartRequest, RemoveMode};
use yunxin_im::delete_widgets::DeleteWidgetsRequest;
use yunxin_im::handle_widget::HandleWidgetRequest;
use yunxin_im::list_widget_events::ListWidgetEventsRequest;
use yunxin_im::list_widget_members::ListWidgetMembersRequest;
use yunxin_im::list_widgets::ListWidgetsRequest;
use yunxin_im::list_widgets_v1::ListWidgetsV1Request;
use yunxin_im::put_widget::PutWidgetRequest;
use yunxin_im::endpoint::FileContent;
use yunxin_im::types::{Color, Inner, Level, Options, Tag};
use yunxin_im::upload_widget_photo::UploadWidgetPhotoRequest;
#[allow(deprecated)]
use yunxin_im::update_widget::{Settings, UpdateWidgetRequest};
use yunxin_im::{Client, Error};

/// A request or reply through `serde_json` and back, as an application that queues or logs it
/// would: it must come back equal (every construct serializes, in wire form).
fn round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serializes");
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(&back, value, "changed by the round trip through {text}");
}

/// Prints the outcome of a call; a reply is round-tripped through serde first.
fn outcome<T>(name: &str, result: Result<T, Error>)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    match result {
        Ok(reply) => {
            round_trip(&reply);
            println!("{name}: ok {reply:?}")
        }
        Err(Error::Validation(err)) => {
            let broken: Vec<String> = err
                .violations
                .iter()
                .map(|v| format!("{} {}", v.path, v.rule.name()))
                .collect();
            println!("{name}: refused [{}]", broken.join(", "));
        }
        Err(err) => match err.api_error() {
            Some(api) => println!(
                "{name}: api code={} kind={} desc={:?}",
                api.code,
                api.status.map(|s| s.kind).unwrap_or("unknown"),
                api.desc
            ),
            None => println!("{name}: error {err}"),
        },
    }
}

fn warnings(client: &Client, name: &str, request: &impl yunxin_im::endpoint::ApiRequest) {
    let warned: Vec<String> = client
        .validate(request)
        .map(|w| w.iter().map(|v| format!("{} {}", v.path, v.rule.name())).collect())
        .unwrap_or_default();
    println!("{name}: warnings [{}]", warned.join(", "));
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::var("KITCHEN_SINK_BASE_URL").expect("KITCHEN_SINK_BASE_URL");
    let client = Client::builder("kitchen-key", "kitchen-secret")
        .base_url(base)
        .build()
        .expect("a client");

    // v1 form POST with every kind of field; the title is past its truncation limit (a warning).
    #[allow(deprecated)]
    let create = CreateWidgetRequest::new("ann_1", vec!["p1".into(), "p2".into()])
        .title("Hello wide world")
        .code_text("abc")
        .codes(vec![3, 1, 4])
        .options(
            Options::new()
                .loud(true)
                .inner(Inner::new().depth(2)),
        )
        .meta(BTreeMap::from([("k".to_owned(), 9_007_199_254_740_993_i64)]))
        .blob(serde_json::json!({"any": [1, "two", null]}))
        .ratio(0.25)
        .count(42)
        .big(-5)
        .color(Color::Green)
        .level(Level::High)
        .mode(0)
        .flag(false)
        .urgent(true)
        .begin(10)
        .end(20)
        .legacy("old title")
        .widget_type("fancy")
        .label("äbcd");
    round_trip(&create);
    warnings(&client, "create_widget", &create);
    outcome("create_widget", client.create_widget(&create).await);
    // The same request again: this time the server answers with the endpoint's own code.
    outcome("create_widget_locked", client.create_widget(&create).await);
    // Values that have no effect: warned about, and the request would still go.
    let warned = CreateWidgetRequest::new("ann_1", vec!["p1".into()])
        .color(Color::Red)
        .meta(BTreeMap::from([("k".to_owned(), 1)]))
        .level(Level::Low);
    warnings(&client, "create_widget_warned", &warned);
    // Broken in many ways at once; nothing is sent.
    let broken = CreateWidgetRequest::new("Ann!", vec!["a".into(), "b".into(), "c".into()])
        .payload("{\"a\":1}")
        .blob(serde_json::json!(1))
        .ratio(2.0)
        .mode(1)
        .flag(true)
        .codes(vec![1])
        .count(60)
        .code_text("ééééé")
        .color(Color::Blue)
        .title("abcdefg")
        .begin(5)
        .end(5)
        .widget_type("other")
        .label("äbcde");
    outcome("create_widget_broken", client.create_widget(&broken).await);
    let too_few = CreateWidgetRequest::new("ann_1", vec!["a".into()])
        .flag(true)
        .count(3)
        .payload("not json");
    outcome("create_widget_too_few", client.create_widget(&too_few).await);

    // v2 GET: a path parameter holding `|`, comma-joined query values, paged to the end.
    let list = ListWidgetsRequest::new("ann_1|7")
        .colors(vec![Color::Red, Color::Blue])
        .limit(2);
    round_trip(&list);
    let ids: Vec<String> = client
        .list_widgets_items(&list)
        .map(|item| match item {
            Ok(widget) => widget.id.unwrap_or_default(),
            Err(err) => format!("error {err}"),
        })
        .collect()
        .await;
    println!("list_widgets: items {ids:?}");
    let bad_owner = ListWidgetsRequest::new("ann_1/7");
    outcome("list_widgets_bad_owner", client.list_widgets(&bad_owner).await);

    // v1 paging without has_more: an empty next cursor ends it.
    let pages: Vec<usize> = client
        .list_widgets_v1_pages(&ListWidgetsV1Request::new("ann_1"))
        .map(|page| page.map(|p| p.rows.unwrap_or_default().len()).unwrap_or(usize::MAX))
        .collect()
        .await;
    println!("list_widgets_v1: page sizes {pages:?}");

    // Offset paging: from the caller's offset, advanced by the members received, up to total.
    let members: Vec<String> = client
        .list_widget_members_items(&ListWidgetMembersRequest::new("w1", 2).offset(1))
        .map(|item| item.unwrap_or_else(|err| format!("error {err}")))
        .collect()
        .await;
    println!("list_widget_members: items {members:?}");

    // Time-window paging: newest first, the end moved to the last event, its id left out.
    let events: Vec<i64> = client
        .list_widget_events_items(&ListWidgetEventsRequest::new("w1", 10, 100, 2))
        .map(|item| item.map(|e| e.id.unwrap_or_default()).unwrap_or(-1))
        .collect()
        .await;
    println!("list_widget_events: ids {events:?}");

    // v2 PATCH of a deprecated operation; the id holds `/` and `|`, which stay in one segment.
    #[allow(deprecated)]
    {
        let update = UpdateWidgetRequest::new("w/1|x")
            .name("Renamed")
            .settings(Settings::new().enabled(true).level(Level::Low))
            .options(Options::new().loud(false).old_loud(true));
        round_trip(&update);
        outcome("update_widget", client.update_widget(&update).await);
        outcome(
            "update_widget_missing",
            client.update_widget(&UpdateWidgetRequest::new("gone")).await,
        );
        // `..` would be resolved away by the URL, reaching another resource: never sent.
        outcome(
            "update_widget_dot_dot",
            client.update_widget(&UpdateWidgetRequest::new("..")).await,
        );
        let contradicting = UpdateWidgetRequest::new("w1")
            .settings(Settings::new().enabled(false).level(Level::High));
        outcome(
            "update_widget_contradicting",
            client.update_widget(&contradicting).await,
        );
    }

    // v2 PUT with a list of objects and free JSON.
    let put = PutWidgetRequest::new("w1", "Whole")
        .tags(vec![Tag::new().name("a").weight(2), Tag::new().name("b")])
        .attrs(serde_json::json!({"size": [1.5, 2]}));
    round_trip(&put);
    outcome("put_widget", client.put_widget(&put).await);

    // v2 DELETE with query parameters only.
    let delete = DeleteWidgetsRequest::new(vec!["a|1".into(), "b|2".into()]).hard(true);
    round_trip(&delete);
    outcome("delete_widgets", client.delete_widgets(&delete).await);
    outcome(
        "delete_widgets_empty",
        client.delete_widgets(&DeleteWidgetsRequest::new(Vec::new())).await,
    );

    // v2 DELETE with two path parameters, an enum in the query and a JSON body.
    let part = DeleteWidgetPartRequest::new("w1", "p 1", RemoveMode::Destroy).reason("worn out");
    round_trip(&part);
    outcome("delete_widget_part", client.delete_widget_part(&part).await);
    let empty = DeleteWidgetPartRequest::new("w1", "", RemoveMode::Detach);
    outcome("delete_widget_part_empty", client.delete_widget_part(&empty).await);

    // v2 POST with a query parameter and a JSON body.
    let handle = HandleWidgetRequest::new(1, "w1")
        .note("fine")
        .weights(BTreeMap::from([("p1".to_owned(), 0.5)]))
        .min_weight(0.5)
        .max_weight(1.0)
        .target(0.75)
        .urgent(false);
    round_trip(&handle);
    outcome("handle_widget", client.handle_widget(&handle).await);
    let inverted = HandleWidgetRequest::new(1, "w1")
        .min_weight(2.0)
        .max_weight(1.0)
        .target(1.5);
    outcome("handle_widget_inverted", client.handle_widget(&inverted).await);
    outcome(
        "handle_widget_bad_action",
        client.handle_widget(&HandleWidgetRequest::new(3, "w1")).await,
    );

    // v1 multipart: a named file with its media type, a bare one, text and comma-joined parts.
    let photo = UploadWidgetPhotoRequest::new(
        FileContent::new(b"\x89PNG\r\n\x00\xff".to_vec())
            .file_name("dot.png")
            .content_type("image/png"),
    )
    .thumb(b"tiny".to_vec())
    .caption("a \"dot\"")
    .sizes(vec![1, 2]);
    round_trip(&photo);
    outcome("upload_widget_photo", client.upload_widget_photo(&photo).await);
    let too_big = UploadWidgetPhotoRequest::new(vec![0u8; 17]);
    outcome("upload_widget_photo_too_big", client.upload_widget_photo(&too_big).await);
}
