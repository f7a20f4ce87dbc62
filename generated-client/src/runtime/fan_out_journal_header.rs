//! What identifies a fan-out job: the header every journal of it carries.

use serde_json::Value;
use sha1::{Digest, Sha1};

use super::fan_out::FanOutRequest;

/// The job a run is for: the header a journal must carry.
pub(crate) struct JobHeader {
    pub job: String,
    pub endpoint: &'static str,
    pub digest: String,
    pub recipients: usize,
}

impl JobHeader {
    /// The header of `job` sending `template` to `distinct` (the recipients, repeats dropped):
    /// the digest covers the endpoint, the template without its recipients and trace id (a new
    /// one per process), and the set of recipients, whatever their order.
    pub fn new<R: FanOutRequest>(job: &str, template: &R, distinct: &[String]) -> Self {
        let mut hasher = Sha1::new();
        hasher.update(R::ENDPOINT.name.as_bytes());
        hasher.update(b"\n");
        let bare = template.with_recipients(Vec::new());
        let mut value = serde_json::to_value(&bare).unwrap_or(Value::Null);
        if let (Some(trace_id), Some(fields)) = (bare.trace_id(), value.as_object_mut()) {
            fields.retain(|_, v| v.as_str() != Some(trace_id));
        }
        hasher.update(value.to_string().as_bytes());
        hasher.update(b"\n");
        let mut sorted: Vec<&String> = distinct.iter().collect();
        sorted.sort_unstable();
        for r in sorted {
            hasher.update(r.as_bytes());
            hasher.update(b"\n");
        }
        let digest = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        JobHeader {
            job: job.to_owned(),
            endpoint: R::ENDPOINT.name,
            digest,
            recipients: distinct.len(),
        }
    }
}
