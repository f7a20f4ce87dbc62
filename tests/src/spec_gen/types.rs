//! The generator's own view of types and fields: constraints first, values drawn to satisfy
//! them, and the YAML the spec format documents.

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Str,
    Int,
    Long,
    Float,
    Bool,
    Json,
    Any,
    /// A file of a multipart body (top-level v1 body fields only).
    Bytes,
    List(Box<Ty>),
    Map(Box<Ty>),
    /// An index into [`Registry::enums`].
    Enum(usize),
    /// An index into [`Registry::objects`].
    Object(usize),
}

impl Ty {
    pub fn expr(&self, reg: &Registry) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Int => "int".into(),
            Ty::Long => "long".into(),
            Ty::Float => "float".into(),
            Ty::Bool => "bool".into(),
            Ty::Json => "json".into(),
            Ty::Any => "any".into(),
            Ty::Bytes => "bytes".into(),
            Ty::List(t) => format!("list<{}>", t.expr(reg)),
            Ty::Map(t) => format!("map<string, {}>", t.expr(reg)),
            Ty::Enum(i) => reg.enums[*i].name.clone(),
            Ty::Object(i) => reg.objects[*i].name.clone(),
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Long | Ty::Float)
    }

    /// A value sent as one text parameter without an encoding.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Ty::Str | Ty::Int | Ty::Long | Ty::Float | Ty::Bool | Ty::Json | Ty::Enum(_)
        )
    }
}

pub struct EnumType {
    pub name: String,
    /// Value names and wire integers.
    pub values: Vec<(String, i64)>,
    pub open: bool,
    /// The endpoint that declares it in its own `types:`; `None`: `types.yaml`.
    pub owner: Option<String>,
}

pub struct ObjectType {
    pub name: String,
    pub fields: Vec<FieldDef>,
    /// Used only in replies (so it may have `from_scalar`).
    pub from_scalar: Option<String>,
    pub owner: Option<String>,
}

/// Every named type: shared ones first, then each endpoint's own.
#[derive(Default)]
pub struct Registry {
    pub enums: Vec<EnumType>,
    pub objects: Vec<ObjectType>,
}

/// A field's constraints (value-independent), as the spec states them.
#[derive(Clone, Debug)]
pub struct FieldDef {
    pub wire: String,
    pub rust: Option<String>,
    pub ty: Ty,
    pub required: bool,
    pub location: Option<&'static str>,
    pub encoding: Option<&'static str>,
    pub min_chars: Option<u64>,
    pub max_chars: Option<u64>,
    pub length_unit: Option<&'static str>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min: Option<Value>,
    pub max: Option<Value>,
    pub allowed: Option<Vec<Value>>,
    /// An index into [`super::values::PATTERNS`].
    pub pattern: Option<usize>,
    pub default: Option<Value>,
    /// Prose and provenance keys, written as they are.
    pub extra: Mapping,
}

impl FieldDef {
    pub fn new(wire: String, rust: Option<String>, ty: Ty) -> FieldDef {
        FieldDef {
            wire,
            rust,
            ty,
            required: false,
            location: None,
            encoding: None,
            min_chars: None,
            max_chars: None,
            length_unit: None,
            min_items: None,
            max_items: None,
            min: None,
            max: None,
            allowed: None,
            pattern: None,
            default: None,
            extra: Mapping::new(),
        }
    }

    pub fn yaml(&self, reg: &Registry) -> Yaml {
        let mut m = Mapping::new();
        let mut put = |k: &str, v: Yaml| {
            m.insert(Yaml::String(k.into()), v);
        };
        put("type", Yaml::String(self.ty.expr(reg)));
        if let Some(l) = self.location {
            put("in", l.into());
        }
        if let Some(r) = &self.rust {
            put("rust", r.as_str().into());
        }
        if self.required {
            put("required", true.into());
        }
        if let Some(e) = self.encoding {
            put("encoding", e.into());
        }
        let num = |v: &Option<u64>| v.map(|n| Yaml::Number(n.into()));
        for (key, value) in [
            ("min_chars", num(&self.min_chars)),
            ("max_chars", num(&self.max_chars)),
            ("min_items", num(&self.min_items)),
            ("max_items", num(&self.max_items)),
            ("min", self.min.as_ref().map(to_yaml)),
            ("max", self.max.as_ref().map(to_yaml)),
            ("default", self.default.as_ref().map(to_yaml)),
            (
                "allowed",
                self.allowed
                    .as_ref()
                    .map(|a| to_yaml(&Value::Array(a.clone()))),
            ),
            (
                "pattern",
                self.pattern.map(|p| super::values::PATTERNS[p].0.into()),
            ),
            ("length_unit", self.length_unit.map(Yaml::from)),
        ] {
            if let Some(v) = value {
                put(key, v);
            }
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        Yaml::Mapping(m)
    }

    /// Whether an upper limit is stated (so `over_limit` may be).
    pub fn has_upper_limit(&self) -> bool {
        self.max_chars.is_some() || self.max_items.is_some() || self.max.is_some()
    }
}

pub fn to_yaml(v: &Value) -> Yaml {
    serde_yaml::to_value(v).expect("JSON converts to YAML")
}

pub fn key(k: &str) -> Yaml {
    Yaml::String(k.into())
}
