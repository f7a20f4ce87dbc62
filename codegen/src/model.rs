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
    pub file: String,
    pub title: String,
    pub language: String,
    pub date: String,
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
    Bool,
    Json,
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
            Ty::Bool => "bool".into(),
            Ty::Json => "json".into(),
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
            Ty::Bool => "bool".into(),
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

    pub fn is_composite(&self) -> bool {
        matches!(self, Ty::List(_) | Ty::Map(_) | Ty::Object(_))
    }
}

/// A typed literal: a default, an allowed value, a rule's comparison value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Int(i64),
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub min_chars: Option<u64>,
    pub max_chars: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub allowed: Vec<Literal>,
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

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub description: String,
    pub required: bool,
    pub encoding: Encoding,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumDef {
    pub name: String,
    pub description: String,
    pub open: bool,
    pub values: Vec<EnumValue>,
    pub sources: Vec<String>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct RateLimit {
    pub calls: u32,
    pub window_seconds: u32,
    pub block_seconds: u32,
    pub code: i64,
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
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "limit", rename_all = "snake_case")]
pub enum Consequence {
    Absent,
    Present,
    MaxItems(u64),
    MaxChars(u64),
    Max(i64),
}

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub when: FieldPath,
    pub test: Test,
    pub then: FieldPath,
    pub consequence: Consequence,
    pub description: String,
    pub sources: Vec<String>,
}

impl Rule {
    /// The condition in the spec's words, e.g. `returnMsgid = true`.
    pub fn condition_text(&self) -> String {
        match &self.test {
            Test::Equals(v) => format!("{} = {}", self.when.wire(), v.display()),
            Test::In(vs) => format!(
                "{} is one of {}",
                self.when.wire(),
                vs.iter()
                    .map(Literal::display)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
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
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub description: String,
    pub fields: Vec<Field>,
    pub example: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    /// snake_case name, also the module and the client method.
    pub name: String,
    /// PascalCase stem of the request and reply types.
    pub type_stem: String,
    pub summary: String,
    pub description: String,
    pub api: Api,
    pub method: String,
    pub path: String,
    pub hosts: Vec<String>,
    pub rate_limit: RateLimit,
    pub sources: Vec<String>,
    pub disagreements: Vec<Disagreement>,
    pub status_codes: Vec<EndpointStatus>,
    pub fields: Vec<Field>,
    pub rules: Vec<Rule>,
    pub reply: Reply,
    /// The page's request, checked against the fields.
    pub example: Option<Example>,
    /// What usage examples send: the page's request, or the required fields with placeholders.
    pub usage: Vec<ExampleField>,
}

/// A request the page shows, checked against the fields' names, types, enum values and limits.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// Wire names and wire values, as the page shows them.
    pub json: serde_json::Value,
    /// The fields it sets, in declaration order.
    pub fields: Vec<ExampleField>,
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
    Bool(bool),
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

impl Endpoint {
    pub fn request_type(&self) -> String {
        format!("{}Request", self.type_stem)
    }

    pub fn reply_type(&self) -> String {
        format!("{}Reply", self.type_stem)
    }
}

impl Model {
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
