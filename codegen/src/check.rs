//! Semantic checks: turns a parsed spec into the model, reporting every problem at once.

use std::collections::{BTreeSet, HashMap};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::RawSpec;
use crate::model::*;
use crate::spec;
use crate::types::{self, TypeExpr};

/// Checks `raw` and builds the model, or returns every problem found.
pub fn check(raw: &RawSpec) -> Result<Model, Diagnostics> {
    let mut cx = Checker {
        raw,
        diags: Vec::new(),
        unit: LengthUnit::Utf16,
        enums: Vec::new(),
        object_names: BTreeSet::new(),
    };
    let model = cx.run();
    if cx.diags.is_empty() {
        Ok(model)
    } else {
        Err(Diagnostics(cx.diags).finish())
    }
}

struct Checker<'a> {
    raw: &'a RawSpec,
    diags: Vec<Diagnostic>,
    unit: LengthUnit,
    enums: Vec<EnumDef>,
    object_names: BTreeSet<String>,
}

/// Where a field list sits, which decides what it may say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Top-level request fields of an endpoint of this generation.
    Request(Api),
    /// Fields of a named object.
    Object,
    /// Reply fields.
    Reply,
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_pascal_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Names reserved by the generated request and reply types' own methods.
const RESERVED_FIELD_NAMES: &[&str] = &[
    "new",
    "validate",
    "validate_into",
    "to_wire",
    "trace_id",
    "with_trace_id",
];

impl Checker<'_> {
    fn err(&mut self, file: usize, path: &str, message: impl Into<String>) {
        let d = self.raw.diag(file, path, message);
        self.diags.push(d);
    }

    fn check_pages(&mut self, file: usize, path: &str, ids: &[String]) -> Vec<String> {
        for (i, id) in ids.iter().enumerate() {
            if !self.raw.api.pages.contains_key(id) {
                let known = self
                    .raw
                    .api
                    .pages
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    file,
                    &format!("{path}[{i}]"),
                    format!("unknown page `{id}`; pages in api.yaml: {known}"),
                );
            }
        }
        ids.to_vec()
    }

    fn run(&mut self) -> Model {
        let raw = self.raw;
        let api_file = raw.api_file;
        if let Some(unit) = &raw.api.defaults.length_unit {
            match LengthUnit::parse(unit) {
                Some(u) => self.unit = u,
                None => self.err(
                    api_file,
                    "defaults.length_unit",
                    format!("unknown length unit `{unit}`; use utf16, chars or bytes"),
                ),
            }
        }
        let hosts = self.hosts();
        let pages = self.pages();
        let status_codes = self.status_codes();
        self.collect_enums();
        let mut objects = self.objects();
        let mut endpoints = Vec::new();
        for (name, endpoint, file) in &raw.endpoints {
            if let Some(e) = self.endpoint(name, endpoint, *file, &status_codes) {
                endpoints.push(e);
            }
        }
        for api in [Api::V1, Api::V2] {
            if endpoints.iter().any(|e| e.api == api) && !hosts.iter().any(|h| h.api == api) {
                self.err(
                    api_file,
                    "hosts",
                    format!(
                        "endpoints use `{}` but `hosts.{}` is missing",
                        api.name(),
                        api.name()
                    ),
                );
            }
        }
        if raw.endpoints.is_empty() {
            self.err(
                api_file,
                "endpoints",
                "the spec has no endpoints: add files under endpoints/",
            );
        }
        self.reject_recursion(&objects);
        mark_reachability(&mut objects, &endpoints);
        Model {
            title: raw.api.title.clone(),
            description: raw.api.description.clone(),
            spec_sha1: raw.sha1.clone(),
            hosts,
            pages,
            status_codes,
            enums: std::mem::take(&mut self.enums),
            objects,
            endpoints,
        }
    }

    fn hosts(&mut self) -> Vec<HostSet> {
        let mut out = Vec::new();
        for (key, set) in &self.raw.api.hosts {
            let path = format!("hosts.{key}");
            let api = match key.as_str() {
                "v1" => Api::V1,
                "v2" => Api::V2,
                _ => {
                    self.err(
                        self.raw.api_file,
                        &path,
                        format!("unknown API generation `{key}`; use v1 or v2"),
                    );
                    continue;
                }
            };
            for (i, url) in std::iter::once(&set.default)
                .chain(&set.alternatives)
                .enumerate()
            {
                if !url.starts_with("https://") || url.ends_with('/') {
                    let at = if i == 0 {
                        format!("{path}.default")
                    } else {
                        format!("{path}.alternatives[{}]", i - 1)
                    };
                    self.err(
                        self.raw.api_file,
                        &at,
                        format!("host `{url}` must start with https:// and have no trailing slash"),
                    );
                }
            }
            out.push(HostSet {
                api,
                default: set.default.clone(),
                alternatives: set.alternatives.clone(),
                note: set.note.clone(),
            });
        }
        out
    }

    fn pages(&mut self) -> Vec<Page> {
        let mut out = Vec::new();
        for (id, page) in &self.raw.api.pages {
            if !is_date(&page.date) {
                self.err(
                    self.raw.api_file,
                    &format!("pages.{id}.date"),
                    format!("date `{}` is not YYYY-MM-DD", page.date),
                );
            }
            out.push(Page {
                id: id.clone(),
                file: page.file.clone(),
                title: page.title.clone(),
                language: page.language.clone(),
                date: page.date.clone(),
            });
        }
        out
    }

    fn status_codes(&mut self) -> Vec<StatusCode> {
        let mut out: Vec<StatusCode> = Vec::new();
        for (code, status) in &self.raw.api.status_codes {
            let path = format!("status_codes.{code}");
            if !is_snake_ident(&status.kind) {
                self.err(
                    self.raw.api_file,
                    &format!("{path}.kind"),
                    format!("kind `{}` must be snake_case", status.kind),
                );
            } else if (*code == 200) != (status.kind == "ok") {
                self.err(
                    self.raw.api_file,
                    &format!("{path}.kind"),
                    "code 200, and only 200, has kind `ok`",
                );
            } else if out.iter().any(|s| s.kind == status.kind) {
                self.err(
                    self.raw.api_file,
                    &format!("{path}.kind"),
                    format!("kind `{}` is used by another code", status.kind),
                );
            }
            out.push(StatusCode {
                code: *code,
                kind: status.kind.clone(),
                variant: pascal_case(&status.kind),
                meaning: status.meaning.clone(),
                advice: status.advice.clone(),
            });
        }
        if !out.iter().any(|s| s.code == 200) {
            self.err(
                self.raw.api_file,
                "status_codes",
                "code 200 (kind `ok`) is missing",
            );
        }
        out
    }

    fn types_file(&self) -> usize {
        self.raw.types_file.unwrap_or(self.raw.api_file)
    }

    fn collect_enums(&mut self) {
        let file = self.types_file();
        for (name, def) in &self.raw.types.types {
            let path = format!("types.{name}");
            if !is_pascal_ident(name) {
                self.err(
                    file,
                    &path,
                    format!("type name `{name}` must be PascalCase"),
                );
            }
            let sources = self.check_pages(file, &format!("{path}.sources"), &def.sources);
            match def.kind.as_str() {
                "enum" => {
                    if def.fields.is_some() || def.from_scalar.is_some() {
                        self.err(
                            file,
                            &path,
                            "an enum has `values`, not `fields` or `from_scalar`",
                        );
                    }
                    let mut values: Vec<EnumValue> = Vec::new();
                    match &def.values {
                        Some(vs) if !vs.is_empty() => {
                            for (vname, v) in vs {
                                let vpath = format!("{path}.values.{vname}");
                                if !is_snake_ident(vname) {
                                    self.err(
                                        file,
                                        &vpath,
                                        format!("value name `{vname}` must be snake_case"),
                                    );
                                }
                                if values.iter().any(|o| o.value == v.value) {
                                    self.err(
                                        file,
                                        &format!("{vpath}.value"),
                                        format!("value {} is already used in {name}", v.value),
                                    );
                                }
                                if i32::try_from(v.value).is_err() {
                                    self.err(
                                        file,
                                        &format!("{vpath}.value"),
                                        format!("value {} does not fit in an int (i32)", v.value),
                                    );
                                }
                                values.push(EnumValue {
                                    name: vname.clone(),
                                    variant: pascal_case(vname),
                                    value: v.value,
                                    description: v.description.clone(),
                                });
                            }
                        }
                        _ => self.err(
                            file,
                            &path,
                            "an enum needs at least one entry under `values`",
                        ),
                    }
                    if def.open && values.iter().any(|v| v.variant == "Other") {
                        self.err(file, &path, "an open enum gets a catch-all variant `Other`; rename the value `other`");
                    }
                    self.enums.push(EnumDef {
                        name: name.clone(),
                        description: def.description.clone(),
                        open: def.open,
                        values,
                        sources,
                    });
                }
                "object" => {
                    if def.values.is_some() || def.open {
                        self.err(
                            file,
                            &path,
                            "an object has `fields`, not `values` or `open`",
                        );
                    }
                    self.object_names.insert(name.clone());
                }
                other => self.err(
                    file,
                    &format!("{path}.kind"),
                    format!("unknown kind `{other}`; use enum or object"),
                ),
            }
        }
    }

    fn objects(&mut self) -> Vec<ObjectDef> {
        let file = self.types_file();
        let mut out = Vec::new();
        for (name, def) in &self.raw.types.types {
            if def.kind != "object" {
                continue;
            }
            let path = format!("types.{name}");
            let fields = match &def.fields {
                Some(fields) => self.fields(file, &format!("{path}.fields"), fields, Place::Object),
                None => {
                    self.err(file, &path, "an object needs `fields`");
                    Vec::new()
                }
            };
            if let Some(scalar) = &def.from_scalar {
                if !fields
                    .iter()
                    .any(|f| &f.wire == scalar && f.ty == Ty::String)
                {
                    self.err(
                        file,
                        &format!("{path}.from_scalar"),
                        format!("`{scalar}` is not a string field of {name}"),
                    );
                }
            }
            out.push(ObjectDef {
                name: name.clone(),
                description: def.description.clone(),
                fields,
                from_scalar: def.from_scalar.clone(),
                in_request: false,
                in_reply: false,
                sources: def.sources.clone(),
            });
        }
        out
    }

    fn resolve(&self, expr: &TypeExpr) -> Result<Ty, String> {
        Ok(match expr {
            TypeExpr::String => Ty::String,
            TypeExpr::Int => Ty::Int,
            TypeExpr::Long => Ty::Long,
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Json => Ty::Json,
            TypeExpr::List(item) => Ty::List(Box::new(self.resolve(item)?)),
            TypeExpr::Map(value) => Ty::Map(Box::new(self.resolve(value)?)),
            TypeExpr::Named(name) => {
                if self.enums.iter().any(|e| &e.name == name) {
                    Ty::Enum(name.clone())
                } else if self.object_names.contains(name) {
                    Ty::Object(name.clone())
                } else {
                    let known: Vec<&str> = self
                        .enums
                        .iter()
                        .map(|e| e.name.as_str())
                        .chain(self.object_names.iter().map(String::as_str))
                        .collect();
                    let listed = if known.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", known.join(", "))
                    };
                    return Err(format!(
                        "unknown type `{name}`; use string, int, long, bool, json, list<T>, map<string, T> or a type from types.yaml{listed}"
                    ));
                }
            }
        })
    }

    fn fields(
        &mut self,
        file: usize,
        path: &str,
        raw: &indexmap::IndexMap<String, spec::Field>,
        place: Place,
    ) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        let mut rust_names: HashMap<String, String> = HashMap::new();
        for (wire, f) in raw {
            let fpath = format!("{path}.{wire}");
            let Some(field) = self.field(file, &fpath, wire, f, place) else {
                continue;
            };
            if let Some(other) = rust_names.insert(field.rust.clone(), wire.clone()) {
                self.err(file, &fpath, format!("Rust name `{}` is also the name of `{other}`; set `rust:` to tell them apart", field.rust));
            }
            out.push(field);
        }
        out
    }

    fn field(
        &mut self,
        file: usize,
        path: &str,
        wire: &str,
        f: &spec::Field,
        place: Place,
    ) -> Option<Field> {
        let rust = f.rust.clone().unwrap_or_else(|| snake_case(wire));
        let rust_path = if f.rust.is_some() {
            format!("{path}.rust")
        } else {
            path.to_owned()
        };
        let fix = if f.rust.is_some() {
            ""
        } else {
            "; set `rust:`"
        };
        if !is_snake_ident(&rust) {
            self.err(
                file,
                &rust_path,
                format!("Rust name `{rust}` is not a snake_case identifier{fix}"),
            );
        } else if RUST_KEYWORDS.contains(&rust.as_str()) {
            self.err(
                file,
                &rust_path,
                format!("Rust name `{rust}` is a Rust keyword; set `rust:` (e.g. `msg_{rust}`)"),
            );
        } else if RESERVED_FIELD_NAMES.contains(&rust.as_str()) {
            self.err(
                file,
                &rust_path,
                format!("Rust name `{rust}` collides with a generated method; set `rust:`"),
            );
        }
        let ty = match types::parse(&f.ty).and_then(|expr| self.resolve(&expr)) {
            Ok(ty) => ty,
            Err(message) => {
                self.err(file, &format!("{path}.type"), message);
                return None;
            }
        };
        let encoding = match (f.encoding.as_deref(), place) {
            (None, Place::Request(Api::V1)) if ty.is_composite() => {
                self.err(
                    file,
                    path,
                    format!(
                        "a form field cannot carry `{}` as such; add `encoding: json_text`",
                        ty.spec_name()
                    ),
                );
                Encoding::Plain
            }
            (None, _) => Encoding::Plain,
            (Some("json_text"), Place::Request(Api::V1)) if ty.is_composite() => Encoding::JsonText,
            (Some("json_text"), Place::Request(Api::V1)) => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    "only lists, maps and objects travel as JSON text",
                );
                Encoding::Plain
            }
            (Some("json_text"), _) => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    "only top-level fields of v1 (form) requests travel as JSON text",
                );
                Encoding::Plain
            }
            (Some(other), _) => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    format!("unknown encoding `{other}`; the only one is json_text"),
                );
                Encoding::Plain
            }
        };
        let length_unit = match &f.length_unit {
            None => self.unit,
            Some(u) => LengthUnit::parse(u).unwrap_or_else(|| {
                self.err(
                    file,
                    &format!("{path}.length_unit"),
                    format!("unknown length unit `{u}`; use utf16, chars or bytes"),
                );
                self.unit
            }),
        };
        let limits = self.limits(file, path, f, &ty);
        let mut lenience = Lenience::default();
        for (i, l) in f.lenient.iter().enumerate() {
            let lpath = format!("{path}.lenient[{i}]");
            if place != Place::Reply && place != Place::Object {
                self.err(
                    file,
                    &lpath,
                    "`lenient` applies to reply fields only: requests are sent strictly",
                );
            }
            match l.as_str() {
                "json_text" => lenience.json_text = true,
                "number_as_string" => lenience.number_as_string = true,
                other => self.err(
                    file,
                    &lpath,
                    format!("unknown leniency `{other}`; use json_text or number_as_string"),
                ),
            }
        }
        let default = f
            .default
            .as_ref()
            .and_then(|d| self.literal(file, &format!("{path}.default"), &ty, d));
        if let Some(d) = &default {
            if f.required {
                self.err(
                    file,
                    &format!("{path}.default"),
                    "a required field cannot have a default: the caller always sets it",
                );
            }
            if place == Place::Reply {
                self.err(
                    file,
                    &format!("{path}.default"),
                    "reply fields take no default",
                );
            }
            self.default_within_limits(
                file,
                &format!("{path}.default"),
                &ty,
                d,
                &limits,
                length_unit,
            );
        }
        let sources = self.check_pages(file, &format!("{path}.sources"), &f.sources);
        Some(Field {
            wire: wire.to_owned(),
            rust,
            ty,
            description: f.description.clone(),
            required: f.required,
            encoding,
            default,
            limits,
            length_unit,
            lenience,
            sources,
            note: f.note.clone(),
        })
    }

    fn limits(&mut self, file: usize, path: &str, f: &spec::Field, ty: &Ty) -> Limits {
        let mut limits = Limits::default();
        let strings = ty.is_string();
        let lists = matches!(ty, Ty::List(_) | Ty::Map(_));
        let numbers = ty.is_integer();
        let applies = |cx: &mut Self, key: &str, set: bool, ok: bool, kind: &str| {
            if set && !ok {
                cx.err(
                    file,
                    &format!("{path}.{key}"),
                    format!("`{key}` applies to {kind}, not to `{}`", ty.spec_name()),
                );
            }
            set && ok
        };
        if applies(self, "min_chars", f.min_chars.is_some(), strings, "strings") {
            limits.min_chars = f.min_chars;
        }
        if applies(self, "max_chars", f.max_chars.is_some(), strings, "strings") {
            limits.max_chars = f.max_chars;
        }
        if applies(
            self,
            "min_items",
            f.min_items.is_some(),
            lists,
            "lists and maps",
        ) {
            limits.min_items = f.min_items;
        }
        if applies(
            self,
            "max_items",
            f.max_items.is_some(),
            lists,
            "lists and maps",
        ) {
            limits.max_items = f.max_items;
        }
        if applies(self, "min", f.min.is_some(), numbers, "int and long") {
            limits.min = f.min;
        }
        if applies(self, "max", f.max.is_some(), numbers, "int and long") {
            limits.max = f.max;
        }
        applies(
            self,
            "length_unit",
            f.length_unit.is_some(),
            strings,
            "strings",
        );
        if let Some(allowed) = &f.allowed {
            if applies(
                self,
                "allowed",
                true,
                numbers || *ty == Ty::String,
                "int, long and string",
            ) {
                if allowed.is_empty() {
                    self.err(
                        file,
                        &format!("{path}.allowed"),
                        "`allowed` needs at least one value",
                    );
                }
                for (i, v) in allowed.iter().enumerate() {
                    if let Some(lit) = self.literal(file, &format!("{path}.allowed[{i}]"), ty, v) {
                        limits.allowed.push(lit);
                    }
                }
            }
        }
        let pairs: [(&str, Option<i128>, Option<i128>); 3] = [
            (
                "chars",
                limits.min_chars.map(i128::from),
                limits.max_chars.map(i128::from),
            ),
            (
                "items",
                limits.min_items.map(i128::from),
                limits.max_items.map(i128::from),
            ),
            ("", limits.min.map(i128::from), limits.max.map(i128::from)),
        ];
        for (suffix, min, max) in pairs {
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    let (lo, hi) = if suffix.is_empty() {
                        ("min".to_owned(), "max".to_owned())
                    } else {
                        (format!("min_{suffix}"), format!("max_{suffix}"))
                    };
                    self.err(
                        file,
                        &format!("{path}.{lo}"),
                        format!("{lo} {min} is greater than {hi} {max}"),
                    );
                }
            }
        }
        if *ty == Ty::Int {
            for (key, v) in [("min", limits.min), ("max", limits.max)] {
                if let Some(v) = v {
                    if i32::try_from(v).is_err() {
                        self.err(
                            file,
                            &format!("{path}.{key}"),
                            format!("{key} {v} does not fit in an int (i32)"),
                        );
                    }
                }
            }
        }
        limits
    }

    /// Converts a YAML scalar to a literal of type `ty`, reporting a mismatch.
    fn literal(
        &mut self,
        file: usize,
        path: &str,
        ty: &Ty,
        v: &serde_yaml::Value,
    ) -> Option<Literal> {
        use serde_yaml::Value as Y;
        let lit = match (ty, v) {
            (Ty::Bool, Y::Bool(b)) => Some(Literal::Bool(*b)),
            (Ty::Int, Y::Number(n)) => n
                .as_i64()
                .filter(|i| i32::try_from(*i).is_ok())
                .map(Literal::Int),
            (Ty::Long, Y::Number(n)) => n.as_i64().map(Literal::Int),
            (Ty::String | Ty::Json, Y::String(s)) => Some(Literal::Str(s.clone())),
            (Ty::Enum(name), Y::String(_) | Y::Number(_)) => {
                let def = self.enums.iter().find(|e| &e.name == name)?;
                let found = def.values.iter().find(|ev| match v {
                    Y::String(s) => &ev.name == s,
                    Y::Number(n) => n.as_i64() == Some(ev.value),
                    _ => false,
                });
                match found {
                    Some(ev) => Some(Literal::Enum {
                        name: ev.name.clone(),
                        variant: ev.variant.clone(),
                        value: ev.value,
                    }),
                    None => {
                        let names: Vec<String> = def
                            .values
                            .iter()
                            .map(|ev| format!("{} ({})", ev.name, ev.value))
                            .collect();
                        let shown = serde_yaml::to_string(v).unwrap_or_default();
                        self.err(
                            file,
                            path,
                            format!(
                                "`{}` is not a value of {name}; values: {}",
                                shown.trim(),
                                names.join(", ")
                            ),
                        );
                        return None;
                    }
                }
            }
            _ => None,
        };
        if lit.is_none() {
            let shown = serde_yaml::to_string(v).unwrap_or_default();
            if *ty == Ty::Int && v.as_i64().is_some() {
                self.err(
                    file,
                    path,
                    format!(
                        "`{}` does not fit in an int (i32); use `long` for 64-bit values",
                        shown.trim()
                    ),
                );
                return None;
            }
            let what = if ty.is_composite() {
                "a scalar (defaults and comparisons on lists and objects are not supported)"
                    .to_owned()
            } else {
                format!("a value of type `{}`", ty.spec_name())
            };
            self.err(file, path, format!("`{}` is not {what}", shown.trim()));
        }
        lit
    }

    fn default_within_limits(
        &mut self,
        file: usize,
        path: &str,
        ty: &Ty,
        d: &Literal,
        limits: &Limits,
        unit: LengthUnit,
    ) {
        match d {
            Literal::Int(i) => {
                if let Some(min) = limits.min.filter(|m| i < m) {
                    self.err(
                        file,
                        path,
                        format!("default {i} is below the field's own min {min}"),
                    );
                }
                if let Some(max) = limits.max.filter(|m| i > m) {
                    self.err(
                        file,
                        path,
                        format!("default {i} is above the field's own max {max}"),
                    );
                }
            }
            Literal::Str(s) => {
                let len = match unit {
                    LengthUnit::Utf16 => s.encode_utf16().count(),
                    LengthUnit::Chars => s.chars().count(),
                    LengthUnit::Bytes => s.len(),
                } as u64;
                if let Some(max) = limits.max_chars.filter(|m| len > *m) {
                    self.err(
                        file,
                        path,
                        format!(
                            "default is {len} {} long, above the field's own max_chars {max}",
                            unit.words()
                        ),
                    );
                }
                if let Some(min) = limits.min_chars.filter(|m| len < *m) {
                    self.err(
                        file,
                        path,
                        format!(
                            "default is {len} {} long, below the field's own min_chars {min}",
                            unit.words()
                        ),
                    );
                }
                if *ty == Ty::Json && serde_json::from_str::<serde_json::Value>(s).is_err() {
                    self.err(
                        file,
                        path,
                        "default is not valid JSON, but the field's type is json",
                    );
                }
            }
            _ => {}
        }
        if !limits.allowed.is_empty() && !limits.allowed.contains(d) {
            let allowed: Vec<String> = limits.allowed.iter().map(Literal::display).collect();
            self.err(
                file,
                path,
                format!(
                    "default {} is not among the field's allowed values [{}]",
                    d.display(),
                    allowed.join(", ")
                ),
            );
        }
    }

    fn endpoint(
        &mut self,
        name: &str,
        e: &spec::EndpointFile,
        file: usize,
        codes: &[StatusCode],
    ) -> Option<Endpoint> {
        let root = format!("endpoints.{name}");
        if !is_snake_ident(name) {
            self.err(file, &root, format!("endpoint file name `{name}` must be snake_case (it names a module and a method)"));
        }
        let api = match e.api.as_str() {
            "v1" => Api::V1,
            "v2" => Api::V2,
            other => {
                self.err(
                    file,
                    &format!("{root}.api"),
                    format!("unknown API generation `{other}`; use v1 or v2"),
                );
                return None;
            }
        };
        if e.method != "POST" {
            self.err(
                file,
                &format!("{root}.method"),
                format!(
                    "method `{}` is not supported; every endpoint of this API is POST",
                    e.method
                ),
            );
        }
        if !e.path.starts_with('/') {
            self.err(file, &format!("{root}.path"), "path must start with `/`");
        }
        if e.hosts.is_empty() {
            self.err(
                file,
                &format!("{root}.hosts"),
                "name at least one host the pages give",
            );
        }
        let rl = &e.rate_limit;
        if rl.calls == 0 || rl.window_seconds == 0 {
            self.err(
                file,
                &format!("{root}.rate_limit"),
                "calls and window_seconds must be greater than 0",
            );
        }
        if !codes.iter().any(|c| c.code == rl.code) {
            self.err(
                file,
                &format!("{root}.rate_limit.code"),
                format!("code {} is not in api.yaml's status_codes", rl.code),
            );
        }
        if e.sources.is_empty() {
            self.err(
                file,
                &format!("{root}.sources"),
                "name at least one source page",
            );
        }
        let sources = self.check_pages(file, &format!("{root}.sources"), &e.sources);
        let mut disagreements = Vec::new();
        for (i, d) in e.disagreements.iter().enumerate() {
            for id in d.pages.keys() {
                if !self.raw.api.pages.contains_key(id) {
                    self.err(
                        file,
                        &format!("{root}.disagreements[{i}].pages.{id}"),
                        format!("unknown page `{id}`"),
                    );
                }
            }
            disagreements.push(Disagreement {
                topic: d.topic.clone(),
                pages: d
                    .pages
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                settled: d.settled.clone(),
            });
        }
        let mut status_codes = Vec::new();
        for (code, s) in &e.status_codes {
            match codes.iter().find(|c| c.code == *code) {
                Some(c) => status_codes.push(EndpointStatus {
                    code: *code,
                    kind: c.kind.clone(),
                    variant: c.variant.clone(),
                    meaning: s.meaning.clone(),
                    advice: s.advice.clone(),
                }),
                None => self.err(
                    file,
                    &format!("{root}.status_codes.{code}"),
                    format!("code {code} is not in api.yaml's status_codes"),
                ),
            }
        }
        if !e.status_codes.contains_key(&200) {
            self.err(file, &format!("{root}.status_codes"), "code 200 is missing");
        }
        let fields = self.fields(
            file,
            &format!("{root}.fields"),
            &e.fields,
            Place::Request(api),
        );
        let rules = e
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| self.rule(file, &format!("{root}.rules[{i}]"), r, &fields))
            .collect();
        let reply_fields = self.fields(
            file,
            &format!("{root}.reply.fields"),
            &e.reply.fields,
            Place::Reply,
        );
        if let Some(example) = &e.reply.example {
            if serde_json::from_str::<serde_json::Value>(example).is_err() {
                self.err(
                    file,
                    &format!("{root}.reply.example"),
                    "the reply example is not valid JSON; record the valid JSON a server sends",
                );
            }
        }
        let example = e
            .example
            .as_ref()
            .and_then(|x| self.example(file, &format!("{root}.example"), x, &fields));
        Some(Endpoint {
            name: name.to_owned(),
            type_stem: pascal_case(name),
            summary: e.summary.clone(),
            description: e.description.clone(),
            api,
            method: e.method.clone(),
            path: e.path.clone(),
            hosts: e.hosts.clone(),
            rate_limit: RateLimit {
                calls: rl.calls,
                window_seconds: rl.window_seconds,
                block_seconds: rl.block_seconds,
                code: rl.code,
                note: rl.note.clone(),
            },
            sources,
            disagreements,
            status_codes,
            fields,
            rules,
            reply: Reply {
                description: e.reply.description.clone(),
                fields: reply_fields,
                example: e.reply.example.clone(),
            },
            example,
        })
    }

    fn example(
        &mut self,
        file: usize,
        path: &str,
        x: &serde_yaml::Value,
        fields: &[Field],
    ) -> Option<serde_json::Value> {
        let json = match serde_json::to_value(x) {
            Ok(json) => json,
            Err(err) => {
                self.err(
                    file,
                    path,
                    format!("the example cannot be read as JSON: {err}"),
                );
                return None;
            }
        };
        let Some(map) = json.as_object() else {
            self.err(
                file,
                path,
                "the example is a mapping of wire names to values",
            );
            return None;
        };
        for key in map.keys() {
            if !fields.iter().any(|f| &f.wire == key) {
                self.err(
                    file,
                    &format!("{path}.{key}"),
                    format!("the example sets `{key}`, which is not a field"),
                );
            }
        }
        for f in fields.iter().filter(|f| f.required) {
            if !map.contains_key(&f.wire) {
                self.err(
                    file,
                    path,
                    format!("the example lacks the required field `{}`", f.wire),
                );
            }
        }
        Some(json)
    }

    /// Resolves a dotted wire path through the endpoint's fields and named objects.
    fn field_path(
        &mut self,
        file: usize,
        path: &str,
        dotted: &str,
        fields: &[Field],
    ) -> Option<FieldPath> {
        let mut steps: Vec<PathStep> = Vec::new();
        let mut scope: Vec<Field> = fields.to_vec();
        for (i, segment) in dotted.split('.').enumerate() {
            if i > 0 {
                let parent = steps.last().map(|s| s.ty.clone());
                let Some(Ty::Object(obj)) = parent else {
                    self.err(
                        file,
                        path,
                        format!(
                            "`{dotted}`: `{}` is not an object, so it has no field `{segment}`",
                            steps[i - 1].wire
                        ),
                    );
                    return None;
                };
                let raw_fields = self
                    .raw
                    .types
                    .types
                    .get(&obj)
                    .and_then(|t| t.fields.as_ref());
                scope = match raw_fields {
                    Some(rf) => rf
                        .iter()
                        .filter_map(|(w, f)| self.field_quiet(w, f))
                        .collect(),
                    None => Vec::new(),
                };
            }
            let Some(f) = scope.iter().find(|f| f.wire == segment) else {
                let known: Vec<&str> = scope.iter().map(|f| f.wire.as_str()).collect();
                let within = if dotted.contains('.') {
                    format!(" in `{dotted}`")
                } else {
                    String::new()
                };
                self.err(
                    file,
                    path,
                    format!(
                        "unknown field `{segment}`{within}; fields here: {}",
                        known.join(", ")
                    ),
                );
                return None;
            };
            steps.push(PathStep {
                wire: f.wire.clone(),
                rust: f.rust.clone(),
                ty: f.ty.clone(),
                required: f.required,
                default: f.default.clone(),
                length_unit: f.length_unit,
            });
        }
        Some(FieldPath { steps })
    }

    /// A field of a named object, without reporting (its own check reports).
    fn field_quiet(&mut self, wire: &str, f: &spec::Field) -> Option<Field> {
        let saved = self.diags.len();
        let field = self.field(0, "", wire, f, Place::Object);
        self.diags.truncate(saved);
        field
    }

    fn rule(
        &mut self,
        file: usize,
        path: &str,
        r: &spec::RuleDef,
        fields: &[Field],
    ) -> Option<Rule> {
        let sources = self.check_pages(file, &format!("{path}.sources"), &r.sources);
        let when = self.field_path(file, &format!("{path}.when.field"), &r.when.field, fields);
        let then = self.field_path(file, &format!("{path}.then.field"), &r.then.field, fields);
        let test = when.as_ref().and_then(|w| {
            let ty = w.last().ty.clone();
            if ty.is_composite() {
                self.err(
                    file,
                    &format!("{path}.when.field"),
                    format!(
                        "a condition compares a scalar; `{}` is `{}`",
                        r.when.field,
                        ty.spec_name()
                    ),
                );
                return None;
            }
            match (&r.when.equals, &r.when.one_of) {
                (Some(v), None) => self
                    .literal(file, &format!("{path}.when.equals"), &ty, v)
                    .map(Test::Equals),
                (None, Some(vs)) if !vs.is_empty() => {
                    let lits: Vec<Literal> = vs
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| {
                            self.literal(file, &format!("{path}.when.in[{i}]"), &ty, v)
                        })
                        .collect();
                    (lits.len() == vs.len()).then_some(Test::In(lits))
                }
                _ => {
                    self.err(
                        file,
                        &format!("{path}.when"),
                        "a condition needs exactly one of `equals` or a non-empty `in`",
                    );
                    None
                }
            }
        });
        let consequence = then.as_ref().and_then(|t| {
            let step = t.last();
            let c = &r.then;
            let chosen = [
                c.absent,
                c.present,
                c.max_items.is_some(),
                c.max_chars.is_some(),
                c.max.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if chosen != 1 {
                self.err(
                    file,
                    &format!("{path}.then"),
                    "a consequence needs exactly one of absent, present, max_items, max_chars, max",
                );
                return None;
            }
            let fits = |ok: bool, cx: &mut Self, what: &str| {
                if !ok {
                    cx.err(
                        file,
                        &format!("{path}.then"),
                        format!(
                            "{what} does not apply to `{}` of type `{}`",
                            t.wire(),
                            step.ty.spec_name()
                        ),
                    );
                }
                ok
            };
            if c.absent {
                if step.required {
                    self.err(
                        file,
                        &format!("{path}.then.absent"),
                        format!("`{}` is required, so it can never be absent", t.wire()),
                    );
                    return None;
                }
                Some(Consequence::Absent)
            } else if c.present {
                Some(Consequence::Present)
            } else if let Some(n) = c.max_items {
                fits(
                    matches!(step.ty, Ty::List(_) | Ty::Map(_)),
                    self,
                    "max_items",
                )
                .then_some(Consequence::MaxItems(n))
            } else if let Some(n) = c.max_chars {
                fits(step.ty.is_string(), self, "max_chars").then_some(Consequence::MaxChars(n))
            } else {
                let n = c.max.unwrap_or_default();
                fits(step.ty.is_integer(), self, "max").then_some(Consequence::Max(n))
            }
        });
        Some(Rule {
            when: when?,
            test: test?,
            then: then?,
            consequence: consequence?,
            description: r.description.clone(),
            sources,
        })
    }
}

impl Checker<'_> {
    /// An object that contains itself through object-typed fields would have infinite size;
    /// lists and maps add the indirection that makes recursion representable.
    fn reject_recursion(&mut self, objects: &[ObjectDef]) {
        fn reaches(
            objects: &[ObjectDef],
            from: &str,
            target: &str,
            seen: &mut BTreeSet<String>,
        ) -> bool {
            let Some(o) = objects.iter().find(|o| o.name == from) else {
                return false;
            };
            o.fields.iter().any(|f| match &f.ty {
                Ty::Object(next) => {
                    next == target
                        || (seen.insert(next.clone()) && reaches(objects, next, target, seen))
                }
                _ => false,
            })
        }
        let file = self.types_file();
        for o in objects {
            if reaches(objects, &o.name, &o.name, &mut BTreeSet::new()) {
                self.err(file, &format!("types.{}", o.name), format!("{} contains itself through object fields, which no Rust struct can hold; put the recursion inside a list or map", o.name));
            }
        }
    }
}

/// Marks each object reachable from requests and from replies.
fn mark_reachability(objects: &mut [ObjectDef], endpoints: &[Endpoint]) {
    fn visit(ty: &Ty, objects: &[ObjectDef], seen: &mut BTreeSet<String>) {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => visit(inner, objects, seen),
            Ty::Object(name) if seen.insert(name.clone()) => {
                for o in objects.iter().filter(|o| &o.name == name) {
                    for f in &o.fields {
                        visit(&f.ty, objects, seen);
                    }
                }
            }
            _ => {}
        }
    }
    let mut request = BTreeSet::new();
    let mut reply = BTreeSet::new();
    for e in endpoints {
        for f in &e.fields {
            visit(&f.ty, objects, &mut request);
        }
        for f in &e.reply.fields {
            visit(&f.ty, objects, &mut reply);
        }
    }
    for o in objects.iter_mut() {
        o.in_request = request.contains(&o.name);
        o.in_reply = reply.contains(&o.name);
    }
}
