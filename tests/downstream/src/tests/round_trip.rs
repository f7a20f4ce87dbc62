//! Requests, replies and shared objects of the client through `serde_json` and back, as an
//! application that queues or logs them would. Every construct of the spec format is also
//! round-tripped by the kitchen-sink driver (`tests/kitchen-sink/driver.rs`), so adding an
//! endpoint needs nothing here.

use std::fmt::Debug;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use yunxin_im::chatroom_batch_send_msg_to_someone::{
    ChatroomBatchSendMsgToSomeoneReply, ChatroomBatchSendMsgToSomeoneRequest,
};
use yunxin_im::custom_notification_batch::{
    CustomNotificationBatchReply, CustomNotificationBatchRequest,
};
use yunxin_im::dynamic::ENDPOINTS;
use yunxin_im::endpoint::ApiGeneration;
use yunxin_im::send_attach_msg::{SendAttachMsgReply, SendAttachMsgRequest};
use yunxin_im::send_batch_attach_msg::{SendBatchAttachMsgReply, SendBatchAttachMsgRequest};
use yunxin_im::send_batch_msg::{SendBatchMsgReply, SendBatchMsgRequest};
use yunxin_im::types::{
    AttachMsgType, ChatroomMessage, ChatroomSentMessage, FailedReceiver, MessageOption, MsgType,
    NotificationConfig, NotificationOption, PushConfig, RouteConfig, SaveMode,
};
use yunxin_im::Client;

use crate::Queued;

/// Serializes `value`, reads it back, and checks that nothing changed; the JSON text.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(&back, value, "changed by the round trip through {text}");
    text
}

fn accids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user-{i:06}")).collect()
}

pub(crate) fn send_batch_msg() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", accids(3), MsgType::Text, r#"{"msg":"hello"}"#)
        .option(MessageOption::new().push(true).badge(false).roam(true))
        .pushcontent("You have a new message")
        .return_msgid(true)
}

fn send_batch_attach_msg() -> SendBatchAttachMsgRequest {
    SendBatchAttachMsgRequest::new("sender", accids(4), r#"{"myattach":"test"}"#)
        .save(SaveMode::OnlineOnly)
        .option(NotificationOption::new().badge(false).route(true))
        .pushcontent("push")
        .check_accid_async_enable(true)
}

fn send_attach_msg() -> SendAttachMsgRequest {
    SendAttachMsgRequest::new("sender", AttachMsgType::Team, "tid-42", r#"{"k":"v"}"#)
        .save(SaveMode::Offline)
        .is_force_push(true)
        .force_push_list(vec!["alice".into(), "bob".into()])
        .force_push_content("urgent")
}

fn chatroom_batch_send_msg_to_someone() -> ChatroomBatchSendMsgToSomeoneRequest {
    let messages = vec![
        ChatroomMessage::new("m-1", MsgType::Custom)
            .attach(r#"{"a":1}"#)
            .sub_type(2),
        ChatroomMessage::new("m-2", MsgType::Text)
            .attach("plain")
            .resend_flag(true),
    ];
    ChatroomBatchSendMsgToSomeoneRequest::new(72, messages, "sender", accids(2))
        .route(true)
        .env("prod")
}

pub(crate) const TRACE_ID: &str = "trace-downstream-0001";

pub(crate) fn custom_notification_batch() -> CustomNotificationBatchRequest {
    CustomNotificationBatchRequest::new("sender", "notification text", accids(2))
        .push_config(PushConfig::new().push_enabled(true).push_content("push"))
        .route_config(RouteConfig::new().route_enabled(false))
        .sound("ding")
        .with_trace_id(TRACE_ID)
}

#[test]
fn requests_round_trip_in_wire_form() {
    let batch = round_trip(&send_batch_msg());
    // Stored in wire form: lists and objects as JSON text, enums as codes.
    let stored: Value = serde_json::from_str(&batch).unwrap();
    assert_eq!(
        stored["toAccids"],
        json!(r#"["user-000000","user-000001","user-000002"]"#)
    );
    assert_eq!(stored["type"], json!(0));
    assert_eq!(
        stored["option"],
        json!(r#"{"roam":true,"push":true,"badge":false}"#)
    );
    round_trip(&send_batch_attach_msg());
    round_trip(&send_attach_msg());
    let chatroom = round_trip(&chatroom_batch_send_msg_to_someone());
    assert!(chatroom.contains(r#""msgList":"[{"#), "{chatroom}");
    round_trip(&custom_notification_batch());

    // Each through the application's queue type as well.
    for queued in [
        Queued::from(send_batch_msg()),
        send_batch_attach_msg().into(),
        send_attach_msg().into(),
        chatroom_batch_send_msg_to_someone().into(),
        custom_notification_batch().into(),
    ] {
        let text = round_trip(&queued);
        assert!(text.starts_with(&format!(r#"{{"endpoint":"{}""#, queued.endpoint())));
    }
}

#[test]
fn requests_that_differ_do_not_compare_equal_and_bad_ones_are_refused() {
    // The round trip can fail: a changed field is seen.
    let text = serde_json::to_string(&send_batch_msg()).unwrap();
    let changed = text.replace("You have a new message", "Another text");
    let back: SendBatchMsgRequest = serde_json::from_str(&changed).unwrap();
    assert_ne!(back, send_batch_msg());
    // Unknown fields, missing required fields, unlisted codes of closed enums are refused.
    let mut extra: Value = serde_json::from_str(&text).unwrap();
    extra["typo"] = json!(1);
    assert!(serde_json::from_value::<SendBatchMsgRequest>(extra).is_err());
    let mut missing: Value = serde_json::from_str(&text).unwrap();
    missing.as_object_mut().unwrap().remove("fromAccid");
    assert!(serde_json::from_value::<SendBatchMsgRequest>(missing).is_err());
    let mut bad_save: Value = serde_json::to_value(send_attach_msg()).unwrap();
    bad_save["save"] = json!(7);
    assert!(serde_json::from_value::<SendAttachMsgRequest>(bad_save).is_err());
    // A stored list that is not JSON text is refused too.
    let mut bad_list: Value = serde_json::from_str(&text).unwrap();
    bad_list["toAccids"] = json!("[not json");
    assert!(serde_json::from_value::<SendBatchMsgRequest>(bad_list).is_err());
}

#[test]
fn the_v2_trace_id_survives_the_round_trip_and_stays_out_of_the_body() {
    let request = custom_notification_batch();
    let text = round_trip(&request);
    let stored: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored["X-custom-traceid"], json!(TRACE_ID), "{text}");
    let back: CustomNotificationBatchRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(back.trace_id(), TRACE_ID);

    let client = Client::new("app", "secret").unwrap();
    let prepared = client.prepare(&back).unwrap();
    let body = String::from_utf8(prepared.body().to_vec()).unwrap();
    assert!(!body.contains(TRACE_ID), "{body}");
    assert!(!body.contains("X-custom-traceid"), "{body}");
    assert!(body.contains(r#""sender_id":"sender""#), "{body}");
    assert_eq!(prepared.trace_id(), Some(TRACE_ID));
    assert!(prepared.headers().contains(&("X-custom-traceid", TRACE_ID)));
    // The body is the stored form less the trace id.
    let mut without: Value = stored.clone();
    without.as_object_mut().unwrap().remove("X-custom-traceid");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), without);

    // Stored without one, a request gets a fresh id on reading: two reads, two ids.
    let bare = serde_json::to_string(&without).unwrap();
    let a: CustomNotificationBatchRequest = serde_json::from_str(&bare).unwrap();
    let b: CustomNotificationBatchRequest = serde_json::from_str(&bare).unwrap();
    assert!(!a.trace_id().is_empty());
    assert_ne!(a.trace_id(), b.trace_id());
    assert_ne!(a.trace_id(), TRACE_ID);

    // v1 requests carry no trace id at all.
    let v1 = client.prepare(&send_batch_msg()).unwrap();
    assert_eq!(v1.trace_id(), None);
    assert!(v1
        .headers()
        .iter()
        .all(|(name, _)| *name != "X-custom-traceid"));
}

/// The page's example reply of `endpoint`, from the spec.
fn example_reply(endpoint: &str) -> Value {
    let path = endpoint_file(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/endpoints"),
        &format!("{endpoint}.yaml"),
    )
    .unwrap_or_else(|| panic!("no spec file for {endpoint}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let example = spec["reply"]["example"]
        .as_str()
        .unwrap_or_else(|| panic!("{endpoint}: no reply.example in the spec"));
    serde_json::from_str(example).unwrap()
}

/// The typed reply's part of an example: the whole object for v1, `data` for v2.
fn payload(endpoint: &str) -> Value {
    let api = ENDPOINTS.iter().find(|e| e.name == endpoint).unwrap().api;
    let example = example_reply(endpoint);
    assert_eq!(example["code"], json!(200), "{endpoint}: {example}");
    match api {
        ApiGeneration::V2 => example["data"].clone(),
        _ => example,
    }
}

fn reply<T: Serialize + DeserializeOwned + PartialEq + Debug>(endpoint: &str) -> T {
    let reply: T = serde_json::from_value(payload(endpoint))
        .unwrap_or_else(|e| panic!("{endpoint}'s example reply: {e}"));
    round_trip(&reply);
    reply
}

#[test]
fn replies_round_trip_from_the_pages_examples() {
    for endpoint in [
        "send_batch_msg",
        "send_batch_attach_msg",
        "send_attach_msg",
        "chatroom_batch_send_msg_to_someone",
        "custom_notification_batch",
    ] {
        match endpoint {
            "send_batch_msg" => {
                let r: SendBatchMsgReply = reply(endpoint);
                assert_eq!(r.unregister, Some(vec!["123123".into(), "111422".into()]));
                assert_eq!(r.timetag, Some(123124124124));
                assert_eq!(r.msgids.as_ref().map(|m| m["55213"]), Some(3141251231231));
            }
            "send_batch_attach_msg" => {
                let r: SendBatchAttachMsgReply = reply(endpoint);
                assert_eq!(r.unregister.map(|u| u.len()), Some(2));
            }
            "send_attach_msg" => {
                let r: SendAttachMsgReply = reply(endpoint);
                assert!(r.unreadable.is_empty());
                assert_eq!(serde_json::to_value(&r).unwrap(), json!({}));
            }
            "chatroom_batch_send_msg_to_someone" => {
                let r: ChatroomBatchSendMsgToSomeoneReply = reply(endpoint);
                let success = r.success.unwrap();
                let sent = &success[0]["gsfdgs45hd15h1s56safda"];
                // Numbers arrive as strings and are read as numbers.
                assert_eq!(sent.time, Some(1668566975724));
                assert_eq!(sent.msg_type, Some(MsgType::Audio));
                assert_eq!(sent.room_id, Some(72));
                assert_eq!(r.fail.unwrap()[0].len(), 1);
            }
            "custom_notification_batch" => {
                let r: CustomNotificationBatchReply = reply(endpoint);
                assert_eq!(r.success_list, Some(vec!["hkj1".into()]));
                let failed = &r.failed_list.unwrap()[0];
                assert_eq!(failed.account_id.as_deref(), Some("hkj-100"));
                assert_eq!(failed.error_code, Some(102404));
            }
            other => panic!("no reply check for {other}"),
        }
    }
}

#[test]
fn replies_that_differ_do_not_compare_equal_and_wrong_shapes_are_refused() {
    let mut changed = payload("send_batch_msg");
    changed["timetag"] = json!(1);
    let a: SendBatchMsgReply = serde_json::from_value(changed).unwrap();
    let b: SendBatchMsgReply = serde_json::from_value(payload("send_batch_msg")).unwrap();
    assert_ne!(a, b);
    // Read directly with serde (not through the client's lenient reading), a value of the
    // wrong shape is an error.
    assert!(serde_json::from_value::<SendBatchMsgReply>(json!({"timetag": "soon"})).is_err());
    assert!(serde_json::from_value::<SendBatchAttachMsgReply>(json!({"unregister": 5})).is_err());
}

#[test]
fn shared_objects_round_trip() {
    // Enums travel as their codes.
    assert_eq!(round_trip(&SaveMode::OnlineOnly), "1");
    assert_eq!(round_trip(&SaveMode::Offline), "2");
    assert_eq!(round_trip(&AttachMsgType::P2p), "0");
    assert_eq!(round_trip(&AttachMsgType::Team), "1");
    for (value, code) in [
        (MsgType::Text, 0),
        (MsgType::Picture, 1),
        (MsgType::Audio, 2),
        (MsgType::Video, 3),
        (MsgType::Location, 4),
        (MsgType::File, 6),
        (MsgType::Tips, 10),
        (MsgType::Custom, 100),
    ] {
        assert_eq!(round_trip(&value), code.to_string());
    }

    let option = MessageOption::new()
        .roam(false)
        .history(true)
        .sendersync(false)
        .push(true)
        .route(false)
        .badge(true)
        .need_push_nick(false)
        .persistent(true)
        .session_update(false);
    let text = round_trip(&option);
    assert_eq!(text.matches(':').count(), 9, "every field kept: {text}");
    assert_eq!(round_trip(&MessageOption::new()), "{}");

    round_trip(
        &NotificationOption::new()
            .badge(true)
            .need_push_nick(true)
            .route(false),
    );
    round_trip(
        &ChatroomMessage::new("m-9", MsgType::Location)
            .attach("at")
            .ext("ext")
            .sub_type(3)
            .resend_flag(false),
    );
    round_trip(
        &PushConfig::new()
            .push_enabled(true)
            .push_nick_enabled(false)
            .push_content("c")
            .push_payload(r#"{"p":1}"#)
            .push_forcepush_all(false)
            .push_forcepush_ids(vec!["a".into()])
            .push_forcepush_content("f"),
    );
    round_trip(
        &RouteConfig::new()
            .route_enabled(true)
            .route_environment("env-1"),
    );
    round_trip(
        &NotificationConfig::new()
            .notification_enabled(true)
            .notification_extension("x")
            .high_priority(1)
            .high_priority_policy(0)
            .offline_enabled(true)
            .unread_enabled(false),
    );

    // Reply objects: `#[non_exhaustive]`, so built from `Default` and filled in.
    let mut sent = ChatroomSentMessage::default();
    sent.msgid_client = Some("m-1".into());
    sent.time = Some(1668566975724);
    sent.msg_type = Some(MsgType::Other(77));
    sent.room_id = Some(72);
    let text = round_trip(&sent);
    assert!(text.contains(r#""msgid_client":"m-1""#), "{text}");
    assert!(text.contains(r#""type":77"#), "{text}");
    let mut failed = FailedReceiver::default();
    failed.account_id = Some("hkj-100".into());
    failed.error_code = Some(102404);
    round_trip(&failed);
    round_trip(&FailedReceiver::from("bare-accid".to_owned()));
}

#[test]
fn an_open_enum_keeps_an_unlisted_code_and_a_closed_one_refuses_it() {
    let other: MsgType = serde_json::from_str("77").unwrap();
    assert_eq!(other, MsgType::Other(77));
    assert_eq!(round_trip(&other), "77");
    // In a reply object too, also when the number arrives as a string.
    let sent: ChatroomSentMessage = serde_json::from_value(json!({"type": "77"})).unwrap();
    assert_eq!(sent.msg_type, Some(MsgType::Other(77)));
    round_trip(&sent);
    // A request holding it is refused before sending.
    let request = SendBatchMsgRequest::new("s", accids(1), MsgType::Other(77), "{}");
    round_trip(&request);
    assert!(request.validate().is_err());

    for code in ["3", "0", "-1"] {
        let err = serde_json::from_str::<SaveMode>(code).unwrap_err();
        assert!(err.to_string().contains("SaveMode"), "{err}");
    }
    for code in ["2", "100"] {
        assert!(serde_json::from_str::<AttachMsgType>(code).is_err());
    }
    assert!(serde_json::from_str::<SaveMode>(r#""1""#).is_err());
    assert!(serde_json::from_str::<MsgType>("1.5").is_err());
}

/// `name` in `dir` or one of its domain folders.
fn endpoint_file(dir: &std::path::Path, name: &str) -> Option<PathBuf> {
    let direct = dir.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path().join(name))
        .find(|p| p.is_file())
}
