//! The spec as written in YAML: raw serde types. Unknown keys are errors; meaning is checked later.

use indexmap::IndexMap;
use serde::Deserialize;

/// `spec/api.yaml`: what all endpoints share.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub defaults: Defaults,
    /// Per API generation (`v1`, `v2`): the default base URL and the others the pages name.
    pub hosts: IndexMap<String, HostSet>,
    /// The vendor pages the spec was written from, keyed by a short id.
    pub pages: IndexMap<String, Page>,
    /// Every body `code` the spec knows, keyed by the code.
    pub status_codes: IndexMap<i64, StatusCode>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// How string length limits are counted unless a field says otherwise.
    pub length_unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSet {
    pub default: String,
    #[serde(default)]
    pub alternatives: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub file: String,
    pub title: String,
    pub language: String,
    /// The page's own "updated" date, `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCode {
    /// The Rust name of the error kind, snake_case (`ok` for 200).
    pub kind: String,
    pub meaning: String,
    #[serde(default)]
    pub advice: Option<String>,
}

/// `spec/types.yaml`: named types referenced from several places.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypesFile {
    pub types: IndexMap<String, TypeDef>,
}

/// An enum (`kind: enum`) or an object (`kind: object`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    pub kind: String,
    pub description: String,
    /// enum: the named integer values.
    pub values: Option<IndexMap<String, EnumValue>>,
    /// enum: replies may carry values the spec does not list (adds a catch-all variant).
    #[serde(default)]
    pub open: bool,
    /// object: its fields, keyed by wire name.
    pub fields: Option<IndexMap<String, Field>>,
    /// object, replies only: the object may arrive as a bare string, taken as this field.
    pub from_scalar: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub value: i64,
    pub description: String,
}

/// `spec/endpoints/<name>.yaml`: one endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointFile {
    pub summary: String,
    pub description: String,
    /// `v1` (form-encoded) or `v2` (JSON).
    pub api: String,
    pub method: String,
    pub path: String,
    /// The hosts the pages name for this endpoint.
    pub hosts: Vec<String>,
    pub rate_limit: RateLimit,
    /// Page ids from `api.yaml`.
    pub sources: Vec<String>,
    #[serde(default)]
    pub disagreements: Vec<Disagreement>,
    /// The codes this endpoint's page lists, with the page's own meaning and advice.
    pub status_codes: IndexMap<i64, EndpointStatus>,
    pub fields: IndexMap<String, Field>,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    pub reply: Reply,
    /// The request the page shows, in wire names and values; used in docs and examples.
    pub example: Option<serde_yaml::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub calls: u32,
    pub window_seconds: u32,
    pub block_seconds: u32,
    pub code: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disagreement {
    pub topic: String,
    /// What each page says, keyed by page id.
    pub pages: IndexMap<String, String>,
    pub settled: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointStatus {
    pub meaning: String,
    #[serde(default)]
    pub advice: Option<String>,
}

/// A request field or object field, keyed by its wire name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression: `string`, `int`, `long`, `bool`, `json`, `list<T>`, `map<string, T>`, or a type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Rust name; defaults to the wire name in snake_case.
    pub rust: Option<String>,
    pub description: String,
    #[serde(default)]
    pub required: bool,
    /// `json_text`: a list or object sent as JSON text inside one form field.
    pub encoding: Option<String>,
    /// The server's default when the field is left off (documentation; never sent).
    pub default: Option<serde_yaml::Value>,
    pub min_chars: Option<u64>,
    pub max_chars: Option<u64>,
    pub length_unit: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub allowed: Option<Vec<serde_yaml::Value>>,
    /// Reply fields: which deviations from the type to accept (`json_text`, `number_as_string`).
    #[serde(default)]
    pub lenient: Vec<String>,
    /// Page ids this field's text comes from, when not all of the endpoint's.
    #[serde(default)]
    pub sources: Vec<String>,
    pub note: Option<String>,
}

/// A rule relating two fields: `when` a condition holds, `then` a constraint applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub when: Condition,
    pub then: Consequence,
    pub description: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Compares the effective value of a field (its value, else its documented default).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Dotted wire path, e.g. `option.push`.
    pub field: String,
    pub equals: Option<serde_yaml::Value>,
    #[serde(rename = "in")]
    pub one_of: Option<Vec<serde_yaml::Value>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consequence {
    pub field: String,
    #[serde(default)]
    pub absent: bool,
    #[serde(default)]
    pub present: bool,
    pub max_items: Option<u64>,
    pub max_chars: Option<u64>,
    pub max: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub description: String,
    /// Reply fields beside `code`/`desc` (v1) or inside `data` (v2), keyed by wire name.
    #[serde(default)]
    pub fields: IndexMap<String, Field>,
    /// The page's success reply, repaired where it is not valid JSON.
    pub example: Option<String>,
}
