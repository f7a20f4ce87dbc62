//! The SDK record: what the SDKs call, per endpoint, merged. Written as JSON by `--record`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The SDK a fact comes from; its spec page id is `sdk_<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sdk {
    Go,
    Java,
}

impl Sdk {
    pub fn page_id(self) -> &'static str {
        match self {
            Sdk::Go => "sdk_go",
            Sdk::Java => "sdk_java",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Sdk::Go => "the Go SDK",
            Sdk::Java => "the Java SDK",
        }
    }
}

/// Where a request field travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Path,
    Query,
    Body,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Path => "path",
            Placement::Query => "query",
            Placement::Body => "body",
        }
    }
}

/// A request or reply field (or a field of a nested object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub wire: String,
    /// A spec type expression; object types by their SDK name (keys of `types`).
    pub ty: String,
    /// Request fields: every place an SDK sends it (a field may go to two); empty for replies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<Placement>,
    /// An SDK refuses to send the request without it.
    #[serde(default)]
    pub required: bool,
    /// The SDK's comment on the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Merged request fields: every place either SDK sends it (`placements` is the first SDK's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all_placements: Vec<Placement>,
    /// The SDKs that have it (filled by the merge).
    #[serde(default)]
    pub sdks: Vec<Sdk>,
}

/// One SDK method calling one endpoint, as read from that SDK.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    pub sdk: Sdk,
    /// The service package (`friend`, `chatroom_member`…).
    pub package: String,
    pub method_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// `v1` or `v2`.
    pub api: String,
    pub http_method: String,
    /// As the SDK spells it, `/nimserver` prefixed for v1.
    pub path: String,
    /// The URL constant the call names.
    pub constant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_type: Option<String>,
    pub fields: Vec<Field>,
    pub reply: Vec<Field>,
    /// Object types the fields and the reply reach, by SDK name.
    pub types: BTreeMap<String, Vec<Field>>,
}

/// What one SDK says differently from the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    /// Names the field in backquotes when it is about one (`Where \`type\` travels`).
    pub topic: String,
    pub field: Option<String>,
    pub pages: Vec<(Sdk, String)>,
    pub settled: String,
}

/// One endpoint, both SDKs merged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoint {
    /// `METHOD /path` with path parameters written `{}`.
    pub key: String,
    pub method: String,
    /// Every method an SDK uses (two when they disagree).
    pub methods: Vec<String>,
    pub path: String,
    pub api: String,
    pub sdks: Vec<Sdk>,
    pub package: String,
    pub domain: String,
    /// The draft's file name: snake_case of the request type's stem, made unique.
    pub name: String,
    pub calls: Vec<Call>,
    pub fields: Vec<Field>,
    pub reply: Vec<Field>,
    pub types: BTreeMap<String, Vec<Field>>,
    pub disagreements: Vec<Disagreement>,
}

/// A URL constant no call names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Constant {
    pub sdk: Sdk,
    pub package: String,
    pub name: String,
    pub path: String,
    #[serde(default)]
    pub used: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub endpoints: Vec<Endpoint>,
    pub unused_constants: Vec<Constant>,
}

/// `{anything}` path segments written `{}`, so two SDKs naming a parameter differently match.
pub fn normalise_path(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "{}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The `{name}`s of a path, in order.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| s.starts_with('{') && s.ends_with('}'))
        .map(|s| s[1..s.len() - 1].to_string())
        .collect()
}

/// A v1 path as the server serves it: under `/nimserver`.
pub fn v1_path(raw: &str) -> String {
    let p = if raw.starts_with('/') {
        raw.to_string()
    } else {
        format!("/{raw}")
    };
    if p.starts_with("/nimserver/") {
        p
    } else {
        format!("/nimserver{p}")
    }
}
