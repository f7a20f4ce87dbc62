//! Two fan-out requests for the runtime's own tests, independent of the spec (the runtime is
//! built with other specs too: kitchen-sink, spec-fuzz): a v2 one, resent with its trace id, and
//! a v1 one without a resend marker, never resent.

use serde::{Deserialize, Serialize};

use super::endpoint::{
    new_trace_id, ApiGeneration, ApiReply, ApiRequest, Endpoint, StatusInfo, Unreadable,
};
use super::fan_out::{ChunkReport, FanOutRequest};
use super::validate::{Validate, Validator};

const STATUS: &[&[StatusInfo]] = &[];
const V1_ENDPOINT: Endpoint = Endpoint::new(
    "test_batch_v1",
    ApiGeneration::V1,
    "POST",
    "/nimserver/test/batch.action",
    &["https://api.yunxinapi.com"],
    None,
    STATUS,
);
const V2_ENDPOINT: Endpoint = Endpoint::new(
    "test_batch_v2",
    ApiGeneration::V2,
    "POST",
    "/im/v2/test/batch",
    &["https://open.yunxinapi.com"],
    None,
    STATUS,
);

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Reply {
    #[serde(skip)]
    unreadable: Vec<Unreadable>,
}

impl ApiReply for Reply {
    const WIRE_FIELDS: &'static [&'static str] = &[];
    fn set_unreadable(&mut self, unreadable: Vec<Unreadable>) {
        self.unreadable = unreadable;
    }
    fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }
}

/// A v2 batch: its trace id travels with it (serialized, as the journal records it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct V2 {
    pub text: String,
    pub to: Vec<String>,
    pub trace_id: String,
}

/// A v2 batch of `text` with no recipients yet.
pub(crate) fn v2(text: &str) -> V2 {
    V2 {
        text: text.into(),
        to: Vec::new(),
        trace_id: new_trace_id(),
    }
}

impl Validate for V2 {
    fn validate_into(&self, _: &mut Validator) {}
}

impl ApiRequest for V2 {
    type Reply = Reply;
    const ENDPOINT: &'static Endpoint = &V2_ENDPOINT;
    fn trace_id(&self) -> Option<&str> {
        Some(&self.trace_id)
    }
}

impl FanOutRequest for V2 {
    fn recipients_max(&self) -> usize {
        100
    }
    fn with_recipients(&self, recipients: Vec<String>) -> Self {
        V2 {
            to: recipients,
            trace_id: new_trace_id(),
            ..self.clone()
        }
    }
    fn resend(&self) -> Option<Self> {
        Some(self.clone())
    }
    fn report(_: &Reply) -> ChunkReport {
        ChunkReport::new()
    }
}

/// A v1 batch without a resend marker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct V1 {
    pub attach: String,
    pub to: Vec<String>,
}

/// A v1 batch of `attach` with no recipients yet.
pub(crate) fn v1(attach: &str) -> V1 {
    V1 {
        attach: attach.into(),
        to: Vec::new(),
    }
}

impl Validate for V1 {
    fn validate_into(&self, _: &mut Validator) {}
}

impl ApiRequest for V1 {
    type Reply = Reply;
    const ENDPOINT: &'static Endpoint = &V1_ENDPOINT;
}

impl FanOutRequest for V1 {
    fn recipients_max(&self) -> usize {
        5000
    }
    fn with_recipients(&self, recipients: Vec<String>) -> Self {
        V1 {
            to: recipients,
            ..self.clone()
        }
    }
    fn resend(&self) -> Option<Self> {
        None
    }
    fn report(_: &Reply) -> ChunkReport {
        ChunkReport::new()
    }
}
