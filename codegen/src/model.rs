//! The normalized model: names resolved, defaults typed, Rust names decided. Emitters read only this.

use serde::Serialize;

/// The whole API.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub title: String,
    pub description: String,
    /// sha1 of the spec files, named in every generated file's header.
    pub spec_sha1: String,
    pub hosts: Vec<HostSet>,
    pub pages: Vec<Page>,
    pub status_codes: Vec<StatusCode>,
    pub enums: Vec<EnumDef>,
    pub objects: Vec<ObjectDef>,
    pub endpoints: Vec<Endpoint>,
    /// The declared domains, in `api.yaml` order (one may hold no endpoint yet).
    pub domains: Vec<Domain>,
}

/// A group of endpoints (`endpoints/<name>/`): a section of the docs index.
#[derive(Debug, Clone, Serialize)]
pub struct Domain {
    /// snake_case folder name.
    pub name: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    V1,
    V2,
}

impl Api {
    pub fn name(self) -> &'static str {
        match self {
            Api::V1 => "v1",
            Api::V2 => "v2",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HostSet {
    pub api: Api,
    pub default: String,
    pub alternatives: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub id: String,
    /// The stored copy; `None` for a source known only by its `url`.
    pub file: Option<String>,
    pub title: String,
    pub language: String,
    /// As precise as the source is: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; `None` when undated.
    pub date: Option<String>,
    /// What the source says of its date when it is not a date.
    pub date_note: Option<String>,
    pub url: Option<String>,
    /// `page`, `debug_project`, `sdk` or `api_list`.
    pub kind: String,
}

impl Page {
    /// The date as the docs show it: the date, the source's own words, or "undated".
    pub fn date_text(&self) -> String {
        match (&self.date, &self.date_note) {
            (Some(d), Some(n)) => format!("{d} ({n})"),
            (Some(d), None) => d.clone(),
            (None, Some(n)) => n.clone(),
            (None, None) => "undated".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCode {
    pub code: i64,
    /// snake_case kind, e.g. `rate_limited`.
    pub kind: String,
    /// Rust variant name, e.g. `RateLimited`.
    pub variant: String,
    pub meaning: String,
    pub advice: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthUnit {
    Utf16,
    Chars,
    Bytes,
}

impl LengthUnit {
    pub fn parse(text: &str) -> Option<LengthUnit> {
        match text {
            "utf16" => Some(LengthUnit::Utf16),
            "chars" => Some(LengthUnit::Chars),
            "bytes" => Some(LengthUnit::Bytes),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LengthUnit::Utf16 => "utf16",
            LengthUnit::Chars => "chars",
            LengthUnit::Bytes => "bytes",
        }
    }

    /// How the unit reads in prose.
    /// The length of `text` in this unit.
    pub fn measure(self, text: &str) -> u64 {
        (match self {
            LengthUnit::Utf16 => text.encode_utf16().count(),
            LengthUnit::Chars => text.chars().count(),
            LengthUnit::Bytes => text.len(),
        }) as u64
    }

    pub fn words(self) -> &'static str {
        match self {
            LengthUnit::Utf16 => "UTF-16 code units",
            LengthUnit::Chars => "characters",
            LengthUnit::Bytes => "UTF-8 bytes",
        }
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum Ty {
    String,
    Int,
    Long,
    Float,
    Bool,
    Json,
    /// A free-form JSON value of any shape.
    Any,
    /// A file sent as one part of a multipart body (top-level request fields only).
    Bytes,
    List(Box<Ty>),
    Map(Box<Ty>),
    Enum(String),
    Object(String),
}

impl Ty {
    /// The spec's spelling, e.g. `list<map<string, ChatroomSentMessage>>`.
    pub fn spec_name(&self) -> String {
        match self {
            Ty::String => "string".into(),
            Ty::Int => "int".into(),
            Ty::Long => "long".into(),
            Ty::Float => "float".into(),
            Ty::Bool => "bool".into(),
            Ty::Json => "json".into(),
            Ty::Any => "any".into(),
            Ty::Bytes => "bytes".into(),
            Ty::List(item) => format!("list<{}>", item.spec_name()),
            Ty::Map(value) => format!("map<string, {}>", value.spec_name()),
            Ty::Enum(name) | Ty::Object(name) => name.clone(),
        }
    }

    /// The Rust spelling, e.g. `Vec<BTreeMap<String, ChatroomSentMessage>>`.
    pub fn rust_name(&self) -> String {
        match self {
            Ty::String | Ty::Json => "String".into(),
            Ty::Int => "i32".into(),
            Ty::Long => "i64".into(),
            Ty::Float => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Any => "serde_json::Value".into(),
            Ty::Bytes => "FileContent".into(),
            Ty::List(item) => format!("Vec<{}>", item.rust_name()),
            Ty::Map(value) => format!("BTreeMap<String, {}>", value.rust_name()),
            Ty::Enum(name) | Ty::Object(name) => name.clone(),
        }
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Ty::String | Ty::Json)
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::Int | Ty::Long)
    }

    /// Integers and floats: what `min`, `max` and comparisons apply to.
    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Long | Ty::Float)
    }

    pub fn is_composite(&self) -> bool {
        matches!(self, Ty::List(_) | Ty::Map(_) | Ty::Object(_))
    }
}

/// A typed literal: a default, an allowed value, a rule's comparison value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// An enum value, by name.
    Enum {
        name: String,
        variant: String,
        value: i64,
    },
}

impl Literal {
    /// The value as the spec and the docs spell it.
    pub fn display(&self) -> String {
        match self {
            Literal::Bool(b) => b.to_string(),
            Literal::Int(i) => i.to_string(),
            Literal::Float(f) => format!("{f:?}"),
            Literal::Str(s) => format!("{s:?}"),
            Literal::Enum { name, value, .. } => format!("{name} ({value})"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// As the API generation sends the type: form scalar, or JSON value.
    Plain,
    /// A list or object sent as JSON text inside one form field.
    JsonText,
    /// A list of scalars sent as one comma-separated value (`0,1,2`).
    CommaJoined,
    /// A `bool` switch that travels as the integer `0` or `1` (`true` is `1`).
    ZeroOne,
}

/// Where a request field travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The form (v1) or JSON (v2) body.
    Body,
    /// The query string.
    Query,
    /// A `{name}` segment of the path.
    Path,
}

impl Location {
    pub fn name(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Query => "query",
            Location::Path => "path",
        }
    }
}

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn parse(text: &str) -> Option<Method> {
        Some(match text {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether every request of this method carries a body (a DELETE may: see
    /// [`Endpoint::has_body`]).
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A number of the spec: an integer, or a float for `float` fields.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x:?}"),
        }
    }
}

/// What the server does with a value past an upper limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverLimit {
    /// Refuses the request: the client does not send it.
    #[default]
    Refused,
    /// Keeps the start: the client sends it and warns.
    Truncated,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Limits {
    pub min_chars: Option<u64>,
    pub max_chars: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min: Option<Number>,
    pub max: Option<Number>,
    pub allowed: Vec<Literal>,
    /// A regular expression the whole value must match.
    pub pattern: Option<String>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Lenience {
    pub json_text: bool,
    pub number_as_string: bool,
}

impl Lenience {
    /// Both leniencies: what either allows.
    pub fn union(self, other: Lenience) -> Lenience {
        Lenience {
            json_text: self.json_text || other.json_text,
            number_as_string: self.number_as_string || other.number_as_string,
        }
    }
}

/// An endpoint, field or value on its way out.
#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    pub note: String,
    pub replacement: Option<String>,
    pub sources: Vec<String>,
}

impl Deprecation {
    /// The text of `#[deprecated(note = ..)]` and of the docs.
    pub fn text(&self) -> String {
        match &self.replacement {
            Some(r) => format!("{} Use `{r}` instead.", self.note.trim()),
            None => self.note.trim().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub description: String,
    pub required: bool,
    /// Where a request field travels (reply and object fields: `Body`).
    pub location: Location,
    pub encoding: Encoding,
    pub over_limit: OverLimit,
    pub deprecated: Option<Deprecation>,
    pub default: Option<Literal>,
    pub limits: Limits,
    pub length_unit: LengthUnit,
    pub lenience: Lenience,
    pub sources: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumValue {
    pub name: String,
    pub variant: String,
    pub value: i64,
    pub description: String,
    /// The sources that list this value, when not all of the enum's do.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumDef {
    pub name: String,
    pub description: String,
    pub open: bool,
    pub values: Vec<EnumValue>,
    pub sources: Vec<String>,
    /// The endpoint that declares it inline; `None` for `types.yaml`.
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectDef {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub from_scalar: Option<String>,
    /// Reachable from some endpoint's request fields.
    pub in_request: bool,
    /// Reachable from some endpoint's reply fields.
    pub in_reply: bool,
    /// The leniency of the reply fields it is reached through, which applies to everything
    /// inside them, so to this object's own fields.
    pub lenience: Lenience,
    pub sources: Vec<String>,
    /// The endpoint that declares it inline; `None` for `types.yaml`.
    pub scope: Option<String>,
}

/// What passing a rate limit blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocks {
    /// Every endpoint of the application.
    App,
    /// This endpoint only.
    Endpoint,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanLimit {
    pub plan: String,
    pub calls: u32,
    pub window_seconds: u32,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RateLimit {
    pub calls: u32,
    pub window_seconds: u32,
    /// `None` when no source states how long a passed limit blocks.
    pub block_seconds: Option<u32>,
    pub code: i64,
    pub blocks: Blocks,
    pub plans: Vec<PlanLimit>,
    pub sources: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub topic: String,
    /// (page id, what it says)
    pub pages: Vec<(String, String)>,
    pub settled: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointStatus {
    pub code: i64,
    /// Declared by this endpoint only (not in `api.yaml`).
    pub local: bool,
    pub kind: String,
    pub variant: String,
    pub meaning: String,
    pub advice: Option<String>,
}

/// One step of a dotted field path, with what the emitters need to walk it.
#[derive(Debug, Clone, Serialize)]
pub struct PathStep {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    pub default: Option<Literal>,
    pub length_unit: LengthUnit,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldPath {
    pub steps: Vec<PathStep>,
}

impl FieldPath {
    pub fn wire(&self) -> String {
        self.steps
            .iter()
            .map(|s| s.wire.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }

    pub fn last(&self) -> &PathStep {
        self.steps
            .last()
            .expect("a checked path has at least one step")
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "test", content = "values", rename_all = "snake_case")]
pub enum Test {
    Equals(Literal),
    In(Vec<Literal>),
    NotEquals(Literal),
    NotIn(Vec<Literal>),
    /// The field is set (`true`) or unset (`false`).
    IsSet(bool),
    /// The list or map is set and holds at least one item.
    NonEmpty,
}

/// How a field compares with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::LessThan => "<",
            CompareOp::LessOrEqual => "<=",
            CompareOp::GreaterThan => ">",
            CompareOp::GreaterOrEqual => ">=",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CompareOp::LessThan => "less_than",
            CompareOp::LessOrEqual => "less_or_equal",
            CompareOp::GreaterThan => "greater_than",
            CompareOp::GreaterOrEqual => "greater_or_equal",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "limit", rename_all = "snake_case")]
pub enum Consequence {
    Absent,
    Present,
    MaxItems(u64),
    MaxChars(u64),
    Max(Number),
    Min(Number),
    /// The field compares with another field as `op` says.
    Compare(CompareOp, FieldPath),
}

/// Whether a broken rule stops the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The pages say the server refuses it.
    Error,
    /// The pages say the value has no effect.
    Warning,
}

/// A rule's condition.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub field: FieldPath,
    pub test: Test,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// `None`: the rule always applies.
    pub when: Option<Condition>,
    pub then: FieldPath,
    pub consequence: Consequence,
    pub severity: Severity,
    pub description: String,
    pub sources: Vec<String>,
}

impl Rule {
    /// The condition in the spec's words, e.g. `returnMsgid = true`; `always` without one.
    pub fn condition_text(&self) -> String {
        let Some(when) = &self.when else {
            return "always".into();
        };
        let field = when.field.wire();
        let list = |vs: &[Literal]| {
            vs.iter()
                .map(Literal::display)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &when.test {
            Test::Equals(v) => format!("{field} = {}", v.display()),
            Test::In(vs) => format!("{field} is one of {}", list(vs)),
            Test::NotEquals(v) => format!("{field} != {}", v.display()),
            Test::NotIn(vs) => format!("{field} is none of {}", list(vs)),
            Test::IsSet(true) => format!("{field} is set"),
            Test::IsSet(false) => format!("{field} is unset"),
            Test::NonEmpty => format!("{field} is not empty"),
        }
    }

    /// The consequence in the spec's words, e.g. `toAccids holds at most 100 items`.
    pub fn consequence_text(&self) -> String {
        let field = self.then.wire();
        match &self.consequence {
            Consequence::Absent => format!("{field} must be left unset"),
            Consequence::Present => format!("{field} must be set"),
            Consequence::MaxItems(n) => format!("{field} holds at most {n} items"),
            Consequence::MaxChars(n) => format!("{field} is at most {n} characters long"),
            Consequence::Max(n) => format!("{field} is at most {n}"),
            Consequence::Min(n) => format!("{field} is at least {n}"),
            Consequence::Compare(op, other) => {
                format!("{field} {} {}", op.symbol(), other.wire())
            }
        }
    }
}

/// Paging: its form, the page's items and, for the offset and window forms, the page size.
#[derive(Debug, Clone, Serialize)]
pub struct Paging {
    pub form: PagingForm,
    /// The request field (an int or long) with the most items a page holds (offset, window).
    pub limit: Option<Field>,
    /// The reply field (a list) holding the page's items.
    pub items: Field,
    pub note: Option<String>,
    pub sources: Vec<String>,
}

/// How a next page is asked for.
// One per paged endpoint, built once by the checker: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PagingForm {
    /// Each reply's `next_cursor` (a string) goes out as the next request's `cursor` (a string)
    /// while `has_more` (a bool) holds.
    Cursor {
        cursor: Field,
        next_cursor: Field,
        has_more: Option<Field>,
    },
    /// The next request's `offset` (an int or long) is this one's plus the items received;
    /// `total` (an int or long reply field) is the number of items of every page.
    Offset { offset: Field, total: Option<Field> },
    /// Newest first: the next request's window ends at the last item's time.
    Window(Window),
}

#[derive(Debug, Clone, Serialize)]
pub struct Window {
    /// The request field (an int or long) with the window's end.
    pub end: Field,
    /// The request field (an int or long) with the window's start: an end at or before it ends
    /// the walk.
    pub begin: Option<Field>,
    /// The field of the items' object type (an int or long) with an item's time.
    pub item_time: Field,
    /// The request field (a string) that leaves an item out, and the items' id field.
    pub exclude: Option<(Field, Field)>,
    /// The request field that sets the order, and its newest-first value.
    pub order: Option<WindowOrder>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WindowOrder {
    /// An int request field, or an enum one.
    pub field: Field,
    /// The newest-first value on the wire.
    pub value: i64,
    /// Its enum variant, when the field is an enum.
    pub variant: Option<String>,
}

/// Fan-out: which request field carries the recipients and what the reply says of them.
#[derive(Debug, Clone, Serialize)]
pub struct FanOut {
    /// The required `list<string>` request field holding the recipients.
    pub recipients: Field,
    /// Recipients per call: the spec's `chunk_size`, else the field's `max_items`.
    pub max: u64,
    pub note: Option<String>,
    /// Tighter maxima under conditions (indexes into the endpoint's rules).
    pub conditional: Vec<usize>,
    /// A `list<string>` reply field of unknown recipients.
    pub unregistered: Option<Field>,
    /// A reply list of objects: (the list field, the recipient field, the reason field).
    pub failed: Option<(Field, Field, Option<Field>)>,
    /// A `list<string>` reply field of reached recipients.
    pub succeeded: Option<Field>,
    /// A reply `list<map<string, string>>` field: refused items, id to reason.
    pub failed_items: Option<Field>,
    pub resend: Option<Resend>,
    pub sources: Vec<String>,
}

/// Marks a v1 request as a resend: sets `field` (through `outer`, a list or object request
/// field, when given) to `value`.
#[derive(Debug, Clone, Serialize)]
pub struct Resend {
    pub outer: Option<Field>,
    pub field: Field,
    pub value: Literal,
    /// `value` as it travels (a switch's `true` is `1`), for the docs.
    pub wire_value: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub description: String,
    pub fields: Vec<Field>,
    pub example: Option<String>,
    /// Where the example comes from when it is not the page's reply.
    pub example_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    /// snake_case name, also the module and the client method.
    pub name: String,
    /// The domain folder it is filed in; `None` for a file directly in `endpoints/`.
    pub domain: Option<String>,
    /// PascalCase stem of the request and reply types.
    pub type_stem: String,
    pub summary: String,
    pub description: String,
    pub api: Api,
    pub method: Method,
    pub path: String,
    pub hosts: Vec<String>,
    /// `None` when no source states one.
    pub rate_limit: Option<RateLimit>,
    pub deprecated: Option<Deprecation>,
    pub paging: Option<Paging>,
    pub fan_out: Option<FanOut>,
    pub sources: Vec<String>,
    pub disagreements: Vec<Disagreement>,
    pub status_codes: Vec<EndpointStatus>,
    pub fields: Vec<Field>,
    /// The body is `multipart/form-data` (`body: multipart`): `bytes` fields are file parts.
    pub multipart: bool,
    pub rules: Vec<Rule>,
    pub reply: Reply,
    /// The page's request, checked against the fields.
    pub example: Option<Example>,
    /// What usage examples send: the page's request, or the required fields with placeholders.
    pub usage: Vec<ExampleField>,
}

impl Endpoint {
    /// Whether its requests carry a body: always for POST, PUT and PATCH, for a DELETE when a
    /// field travels in the body, never for a GET.
    pub fn has_body(&self) -> bool {
        self.method.has_body()
            || (self.method == Method::Delete
                && self.fields.iter().any(|f| f.location == Location::Body))
    }
}

/// A request the page shows, checked against the fields' names, types, enum values and limits.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// Wire names and wire values, as the page shows them.
    pub json: serde_json::Value,
    /// The fields it sets, in declaration order.
    pub fields: Vec<ExampleField>,
    /// Where it comes from when it is not the page's own request.
    pub note: Option<String>,
}

/// One field an example sets.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleField {
    pub wire: String,
    pub rust: String,
    pub required: bool,
    pub value: ExampleValue,
}

/// A checked example value, typed like its field.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum ExampleValue {
    /// A string, or the text of a `json` field.
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A free-form value (`any`).
    Any(serde_json::Value),
    /// A file's content (`bytes`), given in the example as standard base64.
    Bytes(Vec<u8>),
    /// A listed value of enum `name`.
    Enum {
        name: String,
        variant: String,
    },
    List(Vec<ExampleValue>),
    Map(Vec<(String, ExampleValue)>),
    Object {
        name: String,
        fields: Vec<ExampleField>,
    },
}

impl Field {
    /// How its `min_chars`/`max_chars` count, in words: a file's size in bytes, else the text's
    /// length unit.
    pub fn size_unit(&self) -> &'static str {
        if self.ty == Ty::Bytes {
            "bytes"
        } else {
            self.length_unit.words()
        }
    }
}

impl Endpoint {
    /// The request fields that travel in `location`.
    pub fn fields_in(&self, location: Location) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| f.location == location)
    }

    pub fn request_type(&self) -> String {
        crate::names::request_type(&self.type_stem)
    }

    pub fn reply_type(&self) -> String {
        crate::names::reply_type(&self.type_stem)
    }

    /// The `Client` methods the endpoint's module defines: its call, and its paging and fan-out
    /// walks when it has them.
    pub fn client_methods(&self) -> Vec<String> {
        use crate::names::*;
        let mut out = vec![self.name.clone()];
        if self.paging.is_some() {
            out.extend([pages_method(&self.name), items_method(&self.name)]);
        }
        if self.fan_out.is_some() {
            out.extend([
                fan_out_method(&self.name),
                fan_out_stream_method(&self.name),
            ]);
        }
        out
    }
}

impl Model {
    /// Whether `endpoint` was written from a vendor page (or debugging project) rather than only
    /// from SDKs and the API list: only a page gives wire names to list and examples to record;
    /// an SDK-only endpoint is held to the SDK record instead (`tests/sdk-record.json`).
    pub fn has_page(&self, endpoint: &Endpoint) -> bool {
        let from_page = |id: &String| {
            self.pages
                .iter()
                .any(|p| &p.id == id && matches!(p.kind.as_str(), "page" | "debug_project"))
        };
        endpoint.sources.iter().any(from_page)
    }

    pub fn enum_def(&self, name: &str) -> Option<&EnumDef> {
        self.enums.iter().find(|e| e.name == name)
    }

    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.objects.iter().find(|o| o.name == name)
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
    }
}

/// `fromAccid` → `from_accid`, `msgid_client` → `msgid_client`, `useYidun` → `use_yidun`.
pub fn snake_case(wire: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in wire.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// `online_only` → `OnlineOnly`, `send_batch_msg` → `SendBatchMsg`.
pub fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert() {
        assert_eq!(snake_case("fromAccid"), "from_accid");
        assert_eq!(
            snake_case("checkAccidAsyncEnable"),
            "check_accid_async_enable"
        );
        assert_eq!(snake_case("msgid_client"), "msgid_client");
        assert_eq!(snake_case("roomid"), "roomid");
        assert_eq!(pascal_case("online_only"), "OnlineOnly");
        assert_eq!(pascal_case("p2p"), "P2p");
    }
}
