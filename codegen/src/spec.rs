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
    /// The groups endpoints are filed in (`endpoints/<domain>/`), keyed by the folder's name.
    #[serde(default)]
    pub domains: IndexMap<String, DomainDef>,
}

/// A group of endpoints: a folder under `endpoints/`, a section of the docs index.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainDef {
    pub title: String,
    pub description: String,
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

/// A source the spec was written from: a vendor page, the vendor's debugging project, an SDK.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The stored copy, relative to the upstream-docs folder; a source with none has a `url`.
    pub file: Option<String>,
    pub title: String,
    pub language: String,
    /// The source's own date: `YYYY-MM-DD`, or as precise as the source is (`YYYY-MM`, `YYYY`);
    /// left out when the source shows none.
    pub date: Option<String>,
    /// What the source says of its date when it is not a date ("8 months ago").
    pub date_note: Option<String>,
    /// Where the source lives.
    pub url: Option<String>,
    /// `page` (the default), `debug_project`, `sdk`, `api_list`.
    pub kind: Option<String>,
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
    #[serde(default)]
    pub sources: Vec<String>,
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
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// The path below the host; `{name}` places a path parameter.
    pub path: String,
    /// The hosts the pages name for this endpoint.
    pub hosts: Vec<String>,
    /// The documented rate limit; left out when no source states one.
    pub rate_limit: Option<RateLimit>,
    /// `multipart` for a v1 body sent as `multipart/form-data` (files as `bytes` fields); left
    /// out for the generation's own body (a form for v1, JSON for v2).
    pub body: Option<String>,
    /// The endpoint is on its way out.
    pub deprecated: Option<Deprecation>,
    /// Objects and enums only this endpoint uses, declared like those of `types.yaml`.
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    /// How the reply pages through a long result.
    pub paging: Option<Paging>,
    /// How one request is sent to many recipients in chunks.
    pub fan_out: Option<FanOut>,
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
    /// Where `example` comes from when it is not the page's own request (the page shows none,
    /// or only part of one): said in the docs and the example program instead.
    pub example_note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub calls: u32,
    pub window_seconds: u32,
    /// How long a passed limit blocks; left out when no source states it.
    pub block_seconds: Option<u32>,
    pub code: i64,
    /// What a passed limit blocks: `app` (every endpoint of the application) or `endpoint`.
    pub blocks: Option<String>,
    /// The limit of other plans, where the sources give them, keyed by plan name.
    #[serde(default)]
    pub plans: IndexMap<String, PlanLimit>,
    #[serde(default)]
    pub sources: Vec<String>,
    pub note: Option<String>,
}

/// A plan's own rate limit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLimit {
    pub calls: u32,
    pub window_seconds: u32,
    pub note: Option<String>,
}

/// An endpoint or field on its way out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Why, in the sources' words.
    pub note: String,
    /// What to use instead: an endpoint name, or a field's wire name.
    pub replacement: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Paging, in one of three forms told apart by their keys: cursor (`cursor`, `next_cursor`,
/// `has_more`), offset (`offset`, `total`) and time window (`window`). `items` and `limit` are
/// shared; the checker refuses keys of two forms together (see `check/paging.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// Cursor form: request field (wire name) that carries the cursor; unset for the first page.
    pub cursor: Option<String>,
    /// Cursor form: reply field with the cursor of the next page.
    pub next_cursor: Option<String>,
    /// Cursor form: reply field that says whether there is a next page.
    pub has_more: Option<String>,
    /// Offset form: int request field with the index of the page's first item.
    pub offset: Option<String>,
    /// Offset form: int reply field with the number of items in all pages.
    pub total: Option<String>,
    /// Time-window form: how each next page narrows the window.
    pub window: Option<Window>,
    /// Offset and window forms: int request field with the most items a page holds.
    pub limit: Option<String>,
    /// Reply list field holding the page's items.
    pub items: String,
    pub note: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Time-window paging, newest first: each next request ends its window at the last item's time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Int or long request field with the window's end.
    pub end: String,
    /// Int or long request field with the window's start, which the walk stops at.
    pub begin: Option<String>,
    /// Int or long field of the items' object type with the item's time.
    pub item_time: String,
    /// The request field that leaves out the boundary item, and the items' id field.
    pub exclude: Option<Exclude>,
    /// The request field that sets the order, and its newest-first wire value.
    pub order: Option<WindowOrder>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclude {
    /// String request field with the id of the item to leave out.
    pub field: String,
    /// String or int field of the items' object type with the item's id.
    pub item: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowOrder {
    /// Int or enum request field that sets the order.
    pub field: String,
    /// Its wire value for newest first, which every page sends.
    pub newest_first: i64,
}

/// Fan-out: the request list field that holds recipients, and what the reply says of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanOut {
    /// A required `list<string>` request field with `max_items`: the chunked recipients.
    pub recipients: String,
    /// Recipients per call when the field states no `max_items` (at most it when it does).
    pub chunk_size: Option<u64>,
    /// Why `chunk_size` is what it is, or how the sources were read.
    pub note: Option<String>,
    /// A `list<string>` reply field: recipients the server does not know.
    pub unregistered: Option<String>,
    /// A reply list of objects naming recipients the server refused.
    pub failed: Option<FailedList>,
    /// A `list<string>` reply field: recipients the server reached.
    pub succeeded: Option<String>,
    /// A reply list of one-key maps, item id to reason: refused items of the request (messages),
    /// each failing every recipient of the call.
    pub failed_items: Option<String>,
    /// v1: how a request whose outcome is unknown is marked so that resending it is safe.
    pub resend: Option<Resend>,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A reply list of objects, each naming a refused recipient and why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedList {
    pub field: String,
    /// The objects' string field holding the recipient.
    pub recipient: String,
    /// The objects' string field holding the reason.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resend {
    /// The value that marks a resend.
    pub set: ResendSet,
    /// The pages that say resending so is safe.
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResendSet {
    /// `name` (an optional request field) or `list[].name` / `object.name` (an optional field of
    /// the objects of a request field).
    pub field: String,
    pub value: serde_yaml::Value,
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
    /// For a code only this endpoint has (not in `api.yaml`): its snake_case kind.
    pub kind: Option<String>,
    pub meaning: String,
    #[serde(default)]
    pub advice: Option<String>,
}

/// A request field or object field, keyed by its wire name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression: `string`, `int`, `long`, `float`, `bool`, `json`, `any`, `list<T>`,
    /// `map<string, T>`, or a type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Where a request field travels: `body` (the default), `query` or `path`.
    #[serde(rename = "in")]
    pub location: Option<String>,
    /// Rust name; defaults to the wire name in snake_case.
    pub rust: Option<String>,
    pub description: String,
    #[serde(default)]
    pub required: bool,
    /// `json_text`: a list or object sent as JSON text inside one form field; `comma_joined`: a
    /// list of scalars sent as one comma-separated value; `zero_one`: a `bool` sent as `0`/`1`.
    pub encoding: Option<String>,
    /// The server's default when the field is left off (documentation; never sent).
    pub default: Option<serde_yaml::Value>,
    pub min_chars: Option<u64>,
    pub max_chars: Option<u64>,
    pub length_unit: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min: Option<serde_yaml::Number>,
    pub max: Option<serde_yaml::Number>,
    pub allowed: Option<Vec<serde_yaml::Value>>,
    /// A regular expression the whole value must match; on a list of strings, each item must.
    pub pattern: Option<String>,
    /// What the server does past an upper limit: `refused` (the default) or `truncated` (it keeps
    /// the start; the client warns instead of refusing).
    pub over_limit: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// Reply fields: which deviations from the type to accept (`json_text`, `number_as_string`).
    #[serde(default)]
    pub lenient: Vec<String>,
    /// Page ids this field's text comes from, when not all of the endpoint's.
    #[serde(default)]
    pub sources: Vec<String>,
    pub note: Option<String>,
}

/// A rule: `when` a condition holds (always, without one), `then` a constraint applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub when: Option<Condition>,
    pub then: Consequence,
    /// `error` (the default): the server refuses the request; `warning`: the value merely has
    /// no effect.
    pub severity: Option<String>,
    pub description: String,
    /// The pages that state the rule; without them, the endpoint's pages.
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
    pub not_equals: Option<serde_yaml::Value>,
    pub not_in: Option<Vec<serde_yaml::Value>>,
    /// `true`: when the field is set; `false`: when it is not.
    pub is_set: Option<bool>,
    /// `true`: when the list or map is set and holds at least one item.
    pub non_empty: Option<bool>,
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
    pub max: Option<serde_yaml::Number>,
    pub min: Option<serde_yaml::Number>,
    /// Another field (wire path) that this one must be less than, and so on.
    pub less_than: Option<String>,
    pub less_or_equal: Option<String>,
    pub greater_than: Option<String>,
    pub greater_or_equal: Option<String>,
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
    /// Where `example` comes from when it is not the page's own reply (an SDK's shape, a
    /// debugging project's placeholder): said in the docs.
    pub example_note: Option<String>,
}
