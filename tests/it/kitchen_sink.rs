//! The kitchen-sink spec (`tests/kitchen-sink/spec/`, every construct of the format) generated
//! into a temporary crate, compiled, and called operation by operation against a server on
//! 127.0.0.1: each request's method, path, query, content type and body are checked, and what the
//! client made of each reply.
//!
//! The crate is a small workspace under `<target>/kitchen-sink/`: a copy of the hand-written
//! runtime, the modules, docs and examples `cargo xtask codegen` generates from the kitchen-sink
//! spec, and a driver (`tests/kitchen-sink/driver.rs`) written against the generated API. It
//! shares this workspace's lock file and target dir, so only the generated crate and the few
//! dependencies whose features differ are compiled; files are rewritten only when they change,
//! so a second run is incremental.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use yunxin_tests::child_cargo::{cargo_in, run};
use yunxin_tests::temp_crate;

fn workspace() -> PathBuf {
    xtask::workspace_root()
}

/// The temporary workspace: runtime copy, driver, and the generated kitchen-sink modules.
fn build_crate() -> PathBuf {
    let root = crate::target_dir().join("kitchen-sink");
    let ws = workspace();
    temp_crate::layout(
        &root,
        "kitchen-sink",
        &fs::read(ws.join("tests/kitchen-sink/driver.rs")).unwrap(),
    );
    if let Err(report) = temp_crate::codegen(&ws.join("tests/kitchen-sink/spec"), &root) {
        panic!("the kitchen-sink spec does not generate:\n{report}");
    }
    root
}

/// Compiles the generated crate, its examples and the driver; warnings fail the test, since
/// generated code must compile cleanly wherever it is used.
fn compile(root: &Path) -> PathBuf {
    let (ok, output) = run(cargo_in(root, &crate::target_dir()).args([
        "build",
        "--offline",
        "--workspace",
        "--bins",
        "--examples",
        "--message-format=short",
    ]));
    assert!(ok, "the kitchen-sink crate does not compile:\n{output}");
    let warnings: Vec<&str> = output.lines().filter(|l| l.contains("warning")).collect();
    assert!(
        warnings.is_empty(),
        "the kitchen-sink crate compiles with warnings:\n{}",
        warnings.join("\n")
    );
    let driver = crate::target_dir().join("debug/driver");
    assert!(driver.is_file(), "no driver at {}", driver.display());
    driver
}

/// The project's own gate on generated code, whatever the spec holds.
fn lint(root: &Path) {
    if let Err(why) = temp_crate::lint_client(root, &crate::target_dir()) {
        panic!("the generated kitchen-sink crate fails the gate: {why}");
    }
}

/// The JSON value of a reply envelope.
fn v1(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

fn v2(data: Value) -> ResponseTemplate {
    v1(json!({"code": 200, "msg": "success", "data": data}))
}

fn form(request: &Request) -> BTreeMap<String, String> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

fn query(request: &Request) -> BTreeMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// The server's answer to each request the driver sends; 599 for anything unexpected.
fn respond(creates: &AtomicUsize, request: &Request) -> ResponseTemplate {
    let path = request.url.path();
    let q = query(request);
    match (request.method.as_str(), path) {
        ("POST", "/widgets/create.action") => {
            if creates.fetch_add(1, Ordering::SeqCst) == 0 {
                // Lenient shapes: a numeric string, tags as JSON text holding a bare name and an
                // object, a score as a string, an unlisted level.
                v1(json!({
                    "code": 200,
                    "id": "7",
                    "tags": "[\"a\",{\"name\":\"b\",\"weight\":2}]",
                    "scores": {"p1": "3"},
                    "extra": {"nested": [true]},
                    "ratio": 0.25,
                    "level": 5
                }))
            } else {
                v1(json!({"code": 801, "desc": "locked"}))
            }
        }
        ("GET", "/v2/owners/ann_1%7C7/widgets") => match q.get("page_token").map(String::as_str) {
            None => v2(
                json!({"items": [{"id": "w1", "color": 1}, {"id": "w2", "attrs": {"x": 1}}], "next_token": "t2", "has_more": true}),
            ),
            Some("t2") => v2(
                json!({"items": [{"id": "w3", "weight": 1.5}, {"id": "w4"}], "next_token": "t3", "has_more": true}),
            ),
            Some("t3") => v2(json!({"items": [{"id": "w5"}], "next_token": "", "has_more": false})),
            Some(_) => ResponseTemplate::new(599),
        },
        ("POST", "/widgets/list.action") => match form(request).get("cursor").map(String::as_str) {
            None => v1(json!({"code": 200, "rows": ["a", "b"], "next": "c2"})),
            Some("c2") => v1(json!({"code": 200, "rows": "[\"c\"]", "next": "c3"})),
            Some("c3") => v1(json!({"code": 200, "rows": [], "next": ""})),
            Some(_) => ResponseTemplate::new(599),
        },
        // Offset paging: 6 members in all, from offset 1, two at a time: 1-2, 3-4, 5 (short).
        ("GET", "/v2/widgets/w1/members") => match q.get("offset").map(String::as_str) {
            Some("1") => v2(json!({"members": ["m1", "m2"], "total": 6})),
            Some("3") => v2(json!({"members": ["m3", "m4"], "total": 6})),
            Some("5") => v2(json!({"members": ["m5"], "total": 6})),
            _ => ResponseTemplate::new(599),
        },
        // Window paging: each page's end is the previous page's last event's time.
        ("POST", "/widgets/events.action") => {
            match form(request).get("endtime").map(String::as_str) {
                Some("100") => {
                    v1(json!({"code": 200, "events": [{"id": 1, "at": 90}, {"id": 2, "at": 80}]}))
                }
                Some("80") => v1(
                    json!({"code": 200, "events": "[{\"id\":3,\"at\":70},{\"id\":4,\"at\":60}]"}),
                ),
                Some("60") => v1(json!({"code": 200, "events": [{"id": 5, "at": 50}]})),
                _ => ResponseTemplate::new(599),
            }
        }
        ("PATCH", "/v2/widgets/w%2F1%7Cx") => v2(json!({"widget_id": "w/1|x", "version": 2})),
        ("PATCH", "/v2/widgets/gone") => {
            v1(json!({"code": 40401, "msg": "no such widget", "data": null}))
        }
        ("PUT", "/v2/widgets/w1") => v2(json!({"version": 3})),
        ("DELETE", "/v2/widgets") => v2(json!({
            "success_list": ["a|1"],
            "failed_list": [{"widget_id": "b|2", "error_code": "404"}]
        })),
        ("DELETE", "/v2/widgets/w1/parts/p%201") => v1(json!({"code": 200, "msg": "ok"})),
        ("POST", "/v2/widgets/actions/handle") => v2(json!({"state": 1, "archived": 1})),
        ("POST", "/widgets/photo.action") => v1(json!({"code": 200, "url": "https://u/1"})),
        _ => ResponseTemplate::new(599),
    }
}

/// One request as the server saw it, in the terms the assertions use.
#[derive(Debug, PartialEq)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    content_type: Option<String>,
    body: Value,
}

fn seen(request: &Request) -> Seen {
    let content_type = request
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = match content_type.as_deref() {
        None => {
            assert!(request.body.is_empty(), "a body without a content type");
            Value::Null
        }
        Some(t) if t.starts_with("application/json") => {
            serde_json::from_slice(&request.body).unwrap()
        }
        Some(t) if t.starts_with("multipart/form-data") => {
            // Text parts as text, file parts as their name, media type and bytes.
            let boundary = yunxin_tests::multipart::boundary(t).expect("a boundary");
            let parts = yunxin_tests::multipart::parse(&request.body, boundary)
                .unwrap_or_else(|why| panic!("a broken multipart body: {why}"));
            let fields = parts
                .into_iter()
                .map(|p| {
                    let value = match &p.file_name {
                        Some(file) => json!({
                            "file_name": file,
                            "content_type": p.content_type,
                            "bytes": p.data,
                        }),
                        None => Value::String(String::from_utf8(p.data).unwrap()),
                    };
                    (p.name, value)
                })
                .collect();
            return Seen {
                method: request.method.to_string(),
                path: request.url.path().to_owned(),
                query: request.url.query().map(str::to_owned),
                content_type: Some("multipart/form-data".into()),
                body: Value::Object(fields),
            };
        }
        Some(_) => {
            // Form fields; those holding JSON text are compared as JSON.
            let fields = form(request)
                .into_iter()
                .map(|(k, v)| {
                    let value = match serde_json::from_str::<Value>(&v) {
                        Ok(parsed) if parsed.is_object() || parsed.is_array() => parsed,
                        _ => Value::String(v),
                    };
                    (k, value)
                })
                .collect();
            Value::Object(fields)
        }
    };
    Seen {
        method: request.method.to_string(),
        path: request.url.path().to_owned(),
        query: request.url.query().map(str::to_owned),
        content_type,
        body,
    }
}

fn expect(
    method: &str,
    path: &str,
    query: Option<&str>,
    content_type: Option<&str>,
    body: Value,
) -> Seen {
    Seen {
        method: method.into(),
        path: path.into(),
        query: query.map(Into::into),
        content_type: content_type.map(Into::into),
        body,
    }
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded;charset=utf-8");
const JSON: Option<&str> = Some("application/json;charset=utf-8");

fn expected_requests() -> Vec<Seen> {
    let create = json!({
        "owner": "ann_1",
        "ids": ["p1", "p2"],
        "title": "Hello wide world",
        "code_text": "abc",
        "codes": "3,1,4",
        "options": {"loud": true, "inner": {"depth": 2}},
        "meta": {"k": 9_007_199_254_740_993_i64},
        "blob": {"any": [1, "two", null]},
        "ratio": "0.25",
        "count": "42",
        "big": "-5",
        "color": "2",
        "level": "9",
        "mode": "0",
        "flag": "false",
        "urgent": "1",
        "begin": "10",
        "end": "20",
        "legacy": "old title",
        "type": "fancy",
        "label": "äbcd"
    });
    let list = |token: Option<&str>| {
        let mut q = "colors=1%2C3&limit=2".to_owned();
        if let Some(t) = token {
            q.push_str(&format!("&page_token={t}"));
        }
        expect(
            "GET",
            "/v2/owners/ann_1%7C7/widgets",
            Some(&q),
            None,
            Value::Null,
        )
    };
    let list_v1 = |cursor: Option<&str>| {
        let mut body = json!({"owner": "ann_1"});
        if let Some(c) = cursor {
            body["cursor"] = c.into();
        }
        expect("POST", "/widgets/list.action", None, FORM, body)
    };
    let members = |offset: u32| {
        let q = format!("offset={offset}&limit=2");
        expect("GET", "/v2/widgets/w1/members", Some(&q), None, Value::Null)
    };
    let events = |end: u32, exclude: Option<&str>| {
        let mut body = json!({"widget": "w1", "begintime": "10", "endtime": end.to_string(), "limit": "2", "order": "2"});
        if let Some(id) = exclude {
            body["excludeId"] = id.into();
        }
        expect("POST", "/widgets/events.action", None, FORM, body)
    };
    vec![
        expect("POST", "/widgets/create.action", None, FORM, create.clone()),
        expect("POST", "/widgets/create.action", None, FORM, create),
        list(None),
        list(Some("t2")),
        list(Some("t3")),
        list_v1(None),
        list_v1(Some("c2")),
        list_v1(Some("c3")),
        members(1),
        members(3),
        members(5),
        events(100, None),
        events(80, Some("2")),
        events(60, Some("4")),
        expect(
            "PATCH",
            "/v2/widgets/w%2F1%7Cx",
            None,
            JSON,
            json!({"name": "Renamed", "settings": {"enabled": true, "level": 0}, "options": {"loud": false, "old_loud": true}}),
        ),
        expect("PATCH", "/v2/widgets/gone", None, JSON, json!({})),
        expect(
            "PUT",
            "/v2/widgets/w1",
            None,
            JSON,
            json!({"name": "Whole", "tags": [{"name": "a", "weight": 2}, {"name": "b"}], "attrs": {"size": [1.5, 2]}}),
        ),
        expect(
            "DELETE",
            "/v2/widgets",
            Some("ids=a%7C1%2Cb%7C2&hard=true"),
            None,
            Value::Null,
        ),
        expect(
            "DELETE",
            "/v2/widgets/w1/parts/p%201",
            Some("mode=2"),
            JSON,
            json!({"reason": "worn out"}),
        ),
        expect(
            "POST",
            "/v2/widgets/actions/handle",
            Some("action=1"),
            JSON,
            json!({"widget_id": "w1", "note": "fine", "weights": {"p1": 0.5}, "min_weight": 0.5, "max_weight": 1.0, "target": 0.75, "urgent": 0}),
        ),
        expect(
            "POST",
            "/widgets/photo.action",
            None,
            Some("multipart/form-data"),
            json!({
                "caption": "a \"dot\"",
                "sizes": "1,2",
                "photo": {"file_name": "dot.png", "content_type": "image/png", "bytes": [0x89, b'P', b'N', b'G', b'\r', b'\n', 0, 0xff]},
                "thumb": {"file_name": "thumb", "content_type": "application/octet-stream", "bytes": b"tiny".to_vec()},
            }),
        ),
    ]
}

/// What the driver must print, line by line.
const PRINTED: &[&str] = &[
    "create_widget: warnings [title max_chars]",
    "create_widget: ok CreateWidgetReply { id: Some(7), tags: Some([Tag { name: Some(\"a\"), weight: None }, Tag { name: Some(\"b\"), weight: Some(2) }]), scores: Some({\"p1\": 3}), extra: Some(Object {\"nested\": Array [Bool(true)]}), ratio: Some(0.25), level: Some(Other(5)), unknown_ids: None, refused: None, unreadable: [] }",
    "create_widget_locked: api code=801 kind=widget_locked desc=Some(\"locked\")",
    "create_widget_warned: warnings [meta absent, level absent]",
    "create_widget_broken: refused [owner pattern, code_text max_chars, ratio max, mode allowed, type allowed, label max_chars, ids max_items, title max_chars, blob absent, count max, begin less_than]",
    "create_widget_too_few: refused [payload json, count min]",
    "list_widgets: items [\"w1\", \"w2\", \"w3\", \"w4\", \"w5\"]",
    "list_widgets_bad_owner: refused [owner_id pattern]",
    "list_widgets_v1: page sizes [2, 1, 0]",
    "list_widget_members: items [\"m1\", \"m2\", \"m3\", \"m4\", \"m5\"]",
    "list_widget_events: ids [1, 2, 3, 4, 5]",
    "update_widget: ok UpdateWidgetReply { widget_id: Some(\"w/1|x\"), version: Some(2), unreadable: [] }",
    "update_widget_missing: api code=40401 kind=widget_not_found desc=Some(\"no such widget\")",
    "update_widget_dot_dot: refused [widget_id path_segment]",
    "update_widget_contradicting: refused [settings.level absent]",
    "put_widget: ok PutWidgetReply { version: Some(3), unreadable: [] }",
    "delete_widgets: ok DeleteWidgetsReply { success_list: Some([\"a|1\"]), failed_list: Some([FailedWidget { widget_id: Some(\"b|2\"), error_code: Some(404), error_msg: None }]), unreadable: [] }",
    "delete_widgets_empty: refused [ids min_items]",
    "delete_widget_part: ok DeleteWidgetPartReply { unreadable: [] }",
    "delete_widget_part_empty: refused [part_id path_segment]",
    "handle_widget: ok HandleWidgetReply { state: Some(1), archived: Some(true), unreadable: [] }",
    "handle_widget_inverted: refused [min_weight less_or_equal, target greater_or_equal, target greater_than]",
    "handle_widget_bad_action: refused [action allowed]",
    "upload_widget_photo: ok UploadWidgetPhotoReply { url: Some(\"https://u/1\"), unreadable: [] }",
    "upload_widget_photo_too_big: refused [photo max_chars]",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_construct_generates_compiles_and_reaches_the_wire() {
    let root = tokio::task::spawn_blocking(build_crate).await.unwrap();
    let driver = {
        let root = root.clone();
        tokio::task::spawn_blocking(move || compile(&root))
            .await
            .unwrap()
    };

    let server = MockServer::start().await;
    let creates = Arc::new(AtomicUsize::new(0));
    let counter = creates.clone();
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| respond(&counter, request))
        .mount(&server)
        .await;
    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(driver)
            .env("KITCHEN_SINK_BASE_URL", uri)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the driver failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let received: Vec<Seen> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(seen)
        .collect();
    let expected = expected_requests();
    for (i, want) in expected.iter().enumerate() {
        assert_eq!(
            received.get(i),
            Some(want),
            "request {i}\nprinted:\n{stdout}"
        );
    }
    assert_eq!(received.len(), expected.len(), "{received:#?}");

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, PRINTED, "printed:\n{stdout}");

    docs_show_every_construct(&root.join("generated-client/docs"));
    tokio::task::spawn_blocking(move || lint(&root))
        .await
        .unwrap();
}

/// The generated docs carry what the spec says beyond the wire: provenance, lifecycle, limits.
fn docs_show_every_construct(docs: &Path) {
    let read = |name: &str| fs::read_to_string(docs.join(name)).unwrap();
    let checks: &[(&str, &[&str])] = &[
        (
            "README.md",
            &[
                "| `month` | debug_project | `widgets/month.md` | The online debugging project, dated to the month | zh | 2024-08 |",
                "| `year` | sdk |",
                "| 2023 |",
                "最后修改时间 8 个月前 (relative only)",
                "**Deprecated** (use [put_widget](put_widget.md)).",
                "`https://v1-backup.widgets.example`",
            ],
        ),
        (
            "create_widget.md",
            &[
                "Plan premium: 200 calls per 1 second",
                "matches `[a-z0-9_]+`",
                "*Past the limit* the server truncates the value; the client warns and still sends.",
                "*Deprecated:* Use title. Use `title` instead.",
                "| 801 | `widget_locked` (this endpoint's) | The owner's widgets are locked. | Unlock them first. |",
                "| `weight` | `weight` | `int` | `1` (the documented default) |",
                "`day` (2025-06-04): at most 10 characters, longer titles truncated.",
            ],
        ),
        (
            "update_widget.md",
            &["> **Deprecated.** The debugging project marks this operation as replaced. Use `put_widget` instead."],
        ),
        (
            "list_widgets.md",
            &[
                "### Paging",
                "| `colors` | query | `colors` (setter) | `list<Color>` comma-joined |",
                "| `owner_id` | path | `owner_id` (argument 1 of `new`) | `string` | yes | matches `[a-z0-9_]+\\\\|[0-9]+`<br>not empty, `.` or `..` |",
            ],
        ),
        ("list_widgets_v1.md", &["### Paging"]),
        (
            "list_widget_members.md",
            &["### Paging", "Offset paging: `members` holds a page's items", "reaches the reply's `total`"],
        ),
        (
            "list_widget_events.md",
            &[
                "### Paging",
                "Every page is asked newest first (`order` = 2)",
                "with the last item's `id` as `excludeId`",
                "or reach its start (`begintime`)",
            ],
        ),
    ];
    let mut missing = Vec::new();
    for (file, wanted) in checks {
        let text = read(file);
        for w in *wanted {
            if !text.contains(w) {
                missing.push(format!("{file}: {w}"));
            }
        }
    }
    assert!(missing.is_empty(), "the docs lack:\n{}", missing.join("\n"));
}
