//! With yunxin-im's `tracing` feature (on for this crate's tests): one `yunxin_im.call` span per
//! call with `endpoint`, `trace_id` (v2), `code` and `elapsed_ms`, and neither the app secret
//! nor the request body in any recorded field or event. The subscriber is a small recorder
//! written here, so nothing between the client and the assertions filters or formats.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::Error;

use super::round_trip::{custom_notification_batch, send_batch_msg, TRACE_ID};
use super::{own_http_client, Answer, Loopback, APP_KEY, SECRET};
use crate::client_on;

#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    declared: Vec<&'static str>,
    values: BTreeMap<&'static str, String>,
}

#[derive(Debug, Clone)]
struct EventRecord {
    target: String,
    fields: BTreeMap<&'static str, String>,
}

#[derive(Debug, Default)]
struct State {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
}

/// Records every span (its declared fields and every value recorded into it) and every event.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<State>>);

struct Values<'a>(&'a mut BTreeMap<&'static str, String>);

impl Visit for Values<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut state = self.0.lock().unwrap();
        let mut record = SpanRecord {
            name: span.metadata().name(),
            declared: span.metadata().fields().iter().map(|f| f.name()).collect(),
            values: BTreeMap::new(),
        };
        span.record(&mut Values(&mut record.values));
        state.spans.push(record);
        Id::from_u64(state.spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut state = self.0.lock().unwrap();
        let record = &mut state.spans[span.into_u64() as usize - 1];
        values.record(&mut Values(&mut record.values));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut record = EventRecord {
            target: event.metadata().target().to_owned(),
            fields: BTreeMap::new(),
        };
        event.record(&mut Values(&mut record.fields));
        self.0.lock().unwrap().events.push(record);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Recorder {
    fn calls(&self) -> Vec<SpanRecord> {
        let state = self.0.lock().unwrap();
        state
            .spans
            .iter()
            .filter(|s| s.name == "yunxin_im.call")
            .cloned()
            .collect()
    }

    /// Every recorded span or event value that contains one of `secrets`.
    fn leaks(&self, secrets: &[&str]) -> Vec<String> {
        let state = self.0.lock().unwrap();
        let span_values = state.spans.iter().flat_map(|s| {
            s.values
                .iter()
                .map(move |(k, v)| format!("span {} {k}={v}", s.name))
        });
        let event_values = state.events.iter().flat_map(|e| {
            e.fields
                .iter()
                .map(move |(k, v)| format!("event {} {k}={v}", e.target))
        });
        span_values
            .chain(event_values)
            .filter(|text| secrets.iter().any(|s| text.contains(s)))
            .collect()
    }
}

#[tokio::test]
async fn one_span_per_call_with_its_fields_and_neither_secret_nor_body() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let server = Loopback::start(|r| match r.path.as_str() {
        "/im/v2/custom_notification/batch" => Answer::json(r#"{"code":416,"msg":"api limit"}"#),
        _ if r.body_text().contains("gateway") => Answer {
            status: "502 Bad Gateway",
            headers: vec![],
            body: "upstream down".into(),
        },
        _ => Answer::json(r#"{"code":200,"timetag":5}"#),
    })
    .await;
    let client = client_on(own_http_client(), APP_KEY, SECRET, Some(&server.base)).unwrap();

    let v1 = send_batch_msg();
    client.send_batch_msg(&v1).await.unwrap();
    let v2 = custom_notification_batch();
    let refused = client.custom_notification_batch(&v2).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Api(api) if api.code == 416),
        "{refused:?}"
    );
    let gateway =
        SendBatchMsgRequest::new("sender", vec!["x".into()], MsgType::Text, r#""gateway""#);
    let failed = client.send_batch_msg(&gateway).await.unwrap_err();
    assert!(
        matches!(&failed, Error::HttpStatus { status: 502, .. }),
        "{failed:?}"
    );
    // Refused before sending: no call is made, so no call span.
    let invalid = SendBatchMsgRequest::new("sender", vec![], MsgType::Text, "not json");
    assert!(matches!(
        client.send_batch_msg(&invalid).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(server.received().len(), 3);

    let calls = recorder.calls();
    assert_eq!(calls.len(), 3, "one span per call: {calls:#?}");
    for span in &calls {
        for field in ["endpoint", "trace_id", "code", "elapsed_ms"] {
            assert!(span.declared.contains(&field), "{field} in {span:?}");
        }
        let elapsed = &span.values["elapsed_ms"];
        assert!(elapsed.parse::<u64>().is_ok(), "{span:?}");
    }
    let fields = |i: usize| -> Vec<(&str, &str)> {
        calls[i]
            .values
            .iter()
            .filter(|(k, _)| **k != "elapsed_ms")
            .map(|(k, v)| (*k, v.as_str()))
            .collect()
    };
    assert_eq!(fields(0), [("code", "200"), ("endpoint", "send_batch_msg")]);
    assert_eq!(
        fields(1),
        [
            ("code", "416"),
            ("endpoint", "custom_notification_batch"),
            ("trace_id", TRACE_ID)
        ]
    );
    assert_eq!(
        fields(2),
        [("endpoint", "send_batch_msg"), ("http_status", "502")]
    );

    // Neither the secret nor anything of the bodies, sent or received, anywhere.
    let v1_body = client.prepare(&v1).unwrap().body().to_vec();
    let v2_body = client.prepare(&v2).unwrap().body().to_vec();
    let v1_body = String::from_utf8(v1_body).unwrap();
    let v2_body = String::from_utf8(v2_body).unwrap();
    let secrets = [
        SECRET,
        v1_body.as_str(),
        v2_body.as_str(),
        "You have a new message",
        "notification text",
        "user-000001",
        "hello",
        "gateway",
        "api limit",
        "upstream down",
    ];
    let leaks = recorder.leaks(&secrets);
    assert!(leaks.is_empty(), "{leaks:#?}");

    // The check finds what it looks for.
    tracing::info!(note = %format!("debug dump: {v1_body}"), "a careless log line");
    tracing::info_span!("careless", key = SECRET).in_scope(|| {});
    assert_eq!(
        recorder.leaks(&secrets).len(),
        2,
        "{:#?}",
        recorder.leaks(&secrets)
    );
}
