//! An invalid request never leaves the process: the client reports every broken rule as
//! `Error::Validation` and the server (a wiremock on 127.0.0.1 that expects no request) hears
//! nothing. A valid request does reach it. No output ever shows the app secret.

use std::fmt::Debug;

use codegen::model::{Limits, Number};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use yunxin_im::chatroom_batch_send_msg_to_someone::ChatroomBatchSendMsgToSomeoneRequest;
use yunxin_im::custom_notification_batch::CustomNotificationBatchRequest;
use yunxin_im::dynamic::{send_json, DynamicError};
use yunxin_im::error::Rule;
use yunxin_im::send_attach_msg::{self, SendAttachMsgRequest};
use yunxin_im::send_batch_attach_msg::{self, SendBatchAttachMsgRequest};
use yunxin_im::send_batch_msg::{self, SendBatchMsgRequest};
use yunxin_im::types::{AttachMsgType, ChatroomMessage, MessageOption, MsgType, PushConfig};
use yunxin_im::{Client, Error};
use yunxin_tests::calls::{self, Expect};

const SECRET: &str = "app-secret-5c1e9d-never-shown";

/// A server on 127.0.0.1 that answers `reply` and expects exactly `calls` requests.
async fn server(calls: u64, status: u16, reply: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(reply.to_owned(), "application/json"),
        )
        .expect(calls)
        .mount(&server)
        .await;
    server
}

fn client(base_url: &str) -> Client {
    Client::builder("app-key", SECRET)
        .base_url(base_url)
        .build()
        .unwrap()
}

fn ids(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// The broken rules of a result that must be a validation error, as (path, rule).
fn broken<T: Debug>(result: Result<T, Error>) -> Vec<(String, Rule)> {
    match result {
        Err(Error::Validation(e)) => e.violations.into_iter().map(|v| (v.path, v.rule)).collect(),
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

/// The limits of a field of a shared object, from the model (the `limits` modules hold only an
/// endpoint's own fields).
fn object_limits(object: &str, wire: &str) -> Limits {
    let model = calls::model();
    let def = model.object(object).expect("the object is in the spec");
    let field = def
        .fields
        .iter()
        .find(|f| f.wire == wire)
        .expect("the field");
    field.limits.clone()
}

/// Text one past `max` characters.
fn past(max: usize) -> String {
    "x".repeat(max + 1)
}

fn expected(list: &[(&str, Rule)]) -> Vec<(String, Rule)> {
    list.iter().map(|(p, r)| (p.to_string(), *r)).collect()
}

#[tokio::test]
async fn invalid_requests_of_every_endpoint_are_refused_without_a_request() {
    let server = server(0, 200, r#"{"code":200}"#).await;
    let client = client(&server.uri());

    let long = past(send_batch_msg::limits::FROM_ACCID_MAX_CHARS);
    let request = SendBatchMsgRequest::new(long, ids(&["bob"]), MsgType::Text, "not json");
    let found = broken(client.send_batch_msg(&request).await);
    assert_eq!(
        found,
        expected(&[("fromAccid", Rule::MaxChars), ("body", Rule::Json)])
    );

    // A conditional rule whose pages say the server refuses: more receivers than allowed with
    // returnMsgid. (msgDesc with a text message is only a warning; see the warning test.)
    let over = send_batch_msg::limits::TO_ACCIDS_MAX_ITEMS_WHEN_RETURN_MSGID + 1;
    let many: Vec<String> = (0..over).map(|i| format!("r{i}")).collect();
    let request = SendBatchMsgRequest::new("alice", many, MsgType::Text, "{}").return_msgid(true);
    let found = broken(client.send_batch_msg(&request).await);
    assert_eq!(found, expected(&[("toAccids", Rule::MaxItems)]));

    let attach = past(send_batch_attach_msg::limits::ATTACH_MAX_CHARS);
    let request = SendBatchAttachMsgRequest::new("alice", ids(&["bob"]), attach).payload("{");
    let found = broken(client.send_batch_attach_msg(&request).await);
    assert_eq!(
        found,
        expected(&[("attach", Rule::MaxChars), ("payload", Rule::Json)])
    );

    let over = send_attach_msg::limits::FORCE_PUSH_LIST_MAX_ITEMS + 1;
    let many: Vec<String> = (0..over).map(|i| format!("member{i}")).collect();
    let to = past(send_attach_msg::limits::TO_MAX_CHARS);
    let request =
        SendAttachMsgRequest::new("alice", AttachMsgType::Team, to, "{}").force_push_list(many);
    let found = broken(client.send_attach_msg(&request).await);
    assert_eq!(
        found,
        expected(&[("to", Rule::MaxChars), ("forcePushList", Rule::MaxItems)])
    );

    // A code MsgType does not list, a subType under its minimum, a useYidun outside its values.
    let model = calls::model();
    let msg_type = model.enum_def("MsgType").expect("MsgType");
    let unlisted = msg_type.values.iter().map(|v| v.value).max().unwrap() + 1;
    let Some(Number::Int(min)) = object_limits("ChatroomMessage", "subType").min else {
        panic!("subType has an integer minimum")
    };
    let endpoint = model
        .endpoints
        .iter()
        .find(|e| e.name == "chatroom_batch_send_msg_to_someone");
    let use_yidun = endpoint
        .unwrap()
        .fields
        .iter()
        .find(|f| f.wire == "useYidun");
    let allowed = &use_yidun.expect("useYidun").limits.allowed;
    let outside = allowed.iter().filter_map(|a| match a {
        codegen::model::Literal::Int(i) => Some(*i),
        _ => None,
    });
    let outside = outside.max().expect("integer allowed values") + 1;
    let messages = vec![
        ChatroomMessage::new("m0", MsgType::Text),
        ChatroomMessage::new("m1", MsgType::Other(unlisted as i32)).sub_type(min as i32 - 1),
    ];
    let request = ChatroomBatchSendMsgToSomeoneRequest::new(42, messages, "alice", ids(&["bob"]))
        .use_yidun(outside as i32);
    let found = broken(client.chatroom_batch_send_msg_to_someone(&request).await);
    let want = [
        ("msgList[1].msgType", Rule::KnownEnumValue),
        ("msgList[1].subType", Rule::Min),
        ("useYidun", Rule::Allowed),
    ];
    assert_eq!(found, expected(&want));

    let content = object_limits("PushConfig", "push_content")
        .max_chars
        .unwrap() as usize;
    let push = PushConfig::new().push_content(past(content));
    let sound = past(yunxin_im::custom_notification_batch::limits::SOUND_MAX_CHARS);
    let request = CustomNotificationBatchRequest::new("alice", "hi", ids(&["bob"]))
        .sound(sound)
        .push_config(push);
    let found = broken(client.custom_notification_batch(&request).await);
    let want = [
        ("push_config.push_content", Rule::MaxChars),
        ("sound", Rule::MaxChars),
    ];
    assert_eq!(found, expected(&want));

    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    server.verify().await;
}

/// Every failing case of the limits table, sent by name: refused, never sent.
#[tokio::test]
async fn no_failing_case_of_the_limits_table_is_sent() {
    let server = server(0, 200, r#"{"code":200}"#).await;
    let client = client(&server.uri());
    let model = calls::model();
    let mut refused = 0;
    let cases = model.endpoints.iter().flat_map(|e| calls::cases(&model, e));
    let refusing = |e: &Expect| matches!(e, Expect::Broken(_) | Expect::Undecodable);
    for case in cases.filter(|c| refusing(&c.expect)) {
        let result = send_json(&client, &case.endpoint, &case.call, None).await;
        let ok = match (&case.expect, &result) {
            (Expect::Broken(b), Err(DynamicError::Client(Error::Validation(e)))) => {
                e.violations.len() == 1 && b.mismatch(&e.violations[0]).is_none()
            }
            (Expect::Undecodable, Err(DynamicError::BadCall(_))) => true,
            _ => false,
        };
        assert!(ok, "{}: {}: got {result:?}", case.endpoint, case.label);
        refused += 1;
    }
    assert!(refused > 0, "no failing case");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    server.verify().await;
}

#[tokio::test]
async fn a_valid_request_reaches_the_server() {
    let server = server(
        1,
        200,
        r#"{"code":200,"unregister":["carol"],"timetag":1700000000000}"#,
    )
    .await;
    let request = SendBatchMsgRequest::new(
        "alice",
        ids(&["bob", "carol"]),
        MsgType::Text,
        r#"{"msg":"hi"}"#,
    );
    let reply = client(&server.uri())
        .send_batch_msg(&request)
        .await
        .unwrap();
    assert_eq!(reply.unregister, Some(ids(&["carol"])));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let seen = format!(
        "{:?} {}",
        received[0].headers,
        String::from_utf8_lossy(&received[0].body)
    );
    assert!(!seen.contains(SECRET), "{seen}");
    server.verify().await;
}

#[tokio::test]
async fn neither_the_client_nor_any_error_shows_the_secret() {
    let mut shown = Vec::new();
    let builder = Client::builder("app-key", SECRET);
    shown.push(format!("{builder:?} {builder:#?}"));
    let client = builder.base_url("http://127.0.0.1:1").build().unwrap();
    shown.push(format!("{client:?} {client:#?}"));

    let long = past(send_batch_msg::limits::FROM_ACCID_MAX_CHARS);
    let invalid = SendBatchMsgRequest::new(long, vec![], MsgType::Text, "not json");
    let valid = SendBatchMsgRequest::new("alice", ids(&["bob"]), MsgType::Text, "{}");
    let mut errors = vec![client.send_batch_msg(&invalid).await.unwrap_err()];
    for (status, reply) in [
        (200, r#"{"code":414,"desc":"bad checksum"}"#),
        (502, "bad gateway"),
        (200, "<html>"),
    ] {
        let server = server(1, status, reply).await;
        errors.push(
            self::client(&server.uri())
                .send_batch_msg(&valid)
                .await
                .unwrap_err(),
        );
    }
    // A port that was free a moment ago: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    errors.push(
        self::client(&format!("http://127.0.0.1:{port}"))
            .send_batch_msg(&valid)
            .await
            .unwrap_err(),
    );
    errors.push(Client::builder("", SECRET).build().unwrap_err());
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Validation(_) => "validation",
            Error::Api(api) if api.code == 414 => "api",
            Error::HttpStatus { status: 502, .. } => "http status",
            Error::Decode { .. } => "decode",
            Error::Transport {
                may_have_reached_server: false,
                ..
            } => "transport",
            Error::Config { .. } => "config",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "validation",
            "api",
            "http status",
            "decode",
            "transport",
            "config"
        ]
    );
    shown.extend(errors.iter().map(|e| format!("{e:?} {e:#?} {e}")));
    let dynamic = send_json(&client, "send_batch_msg", &json!({"fromAccid": "a"}), None)
        .await
        .unwrap_err();
    let unknown = send_json(&client, "no_such_endpoint", &Value::Null, None)
        .await
        .unwrap_err();
    shown.extend([dynamic, unknown].iter().map(|e| format!("{e:?} {e}")));

    for text in &shown {
        assert!(!text.contains(SECRET), "{text}");
    }
}

/// A value the pages say has no effect is sent, and `validate` names it as a warning.
#[tokio::test]
async fn a_warning_does_not_stop_the_request() {
    let server = server(1, 200, r#"{"code":200}"#).await;
    let client = client(&server.uri());
    let request = SendBatchMsgRequest::new("alice", ids(&["bob"]), MsgType::Text, "{}")
        .msg_desc("greeting")
        .option(MessageOption::new().push(false))
        .pushcontent("hello");
    let warnings = client.validate(&request).expect("warnings only");
    let mut paths: Vec<&str> = warnings.iter().map(|w| w.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["msgDesc", "pushcontent"]);
    assert!(warnings
        .iter()
        .all(|w| w.severity == yunxin_im::error::Severity::Warning));
    client.send_batch_msg(&request).await.expect("sent");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    server.verify().await;
}
