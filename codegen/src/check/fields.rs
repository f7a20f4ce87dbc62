//! Fields: names, types, encodings, limits, defaults and leniency.

use std::collections::HashMap;

use super::{is_snake_ident, Checker, Place, RUST_KEYWORDS};
use crate::model::*;
use crate::spec;
use crate::types;

impl Checker<'_> {
    pub(super) fn fields(
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
        for (wire, problem) in super::names::accessor_clashes(&out, place) {
            let at = if raw.get(&wire).is_some_and(|f| f.rust.is_some()) {
                format!("{path}.{wire}.rust")
            } else {
                format!("{path}.{wire}")
            };
            self.err(file, &at, format!("{problem}; set `rust:` to another name"));
        }
        for (wire, f) in raw {
            let Some(replacement) = f.deprecated.as_ref().and_then(|d| d.replacement.as_ref())
            else {
                continue;
            };
            if replacement == wire || !raw.contains_key(replacement) {
                let known: Vec<&str> = raw
                    .keys()
                    .filter(|k| *k != wire)
                    .map(String::as_str)
                    .collect();
                self.err(
                    file,
                    &format!("{path}.{wire}.deprecated.replacement"),
                    format!(
                        "the replacement `{replacement}` is not another field here; fields: {}",
                        known.join(", ")
                    ),
                );
            }
        }
        out
    }

    pub(super) fn field(
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
        } else if let Some(problem) = crate::names::ident_problem(&rust) {
            self.err(file, &rust_path, format!("Rust name {problem}{fix}"));
        } else if rust.starts_with('_') || rust.contains("__") {
            // rustc's non_snake_case refuses `__` inside a name, as in the getter `get__x`.
            self.err(
                file,
                &rust_path,
                format!(
                    "Rust name `{rust}` {}, which rustc's non_snake_case lint refuses; set `rust:`",
                    if rust.starts_with('_') {
                        format!("makes the getter `get_{rust}`")
                    } else {
                        "holds `__`".to_owned()
                    }
                ),
            );
        } else if place == Place::Reply && rust == crate::names::REPLY_UNREADABLE {
            self.err(
                file,
                &rust_path,
                format!(
                    "Rust name `{rust}` is the reply's own list of unreadable values; set `rust:`"
                ),
            );
        }
        let ty = match types::parse(&f.ty).and_then(|expr| self.resolve(&expr)) {
            Ok(ty) => ty,
            Err(message) => {
                self.err(file, &format!("{path}.type"), message);
                return None;
            }
        };
        self.bytes_place(file, path, &ty, place);
        let location = self.location(file, path, f, place);
        let encoding = self.encoding(file, path, f, &ty, place, location);
        let over_limit = match f.over_limit.as_deref() {
            None | Some("refused") => OverLimit::Refused,
            Some("truncated") => OverLimit::Truncated,
            Some(other) => {
                self.err(
                    file,
                    &format!("{path}.over_limit"),
                    format!("unknown over_limit `{other}`; use refused or truncated"),
                );
                OverLimit::Refused
            }
        };
        if over_limit == OverLimit::Truncated
            && f.max_chars.is_none()
            && f.max_items.is_none()
            && f.max.is_none()
        {
            self.err(
                file,
                &format!("{path}.over_limit"),
                "`over_limit` says what happens past an upper limit; the field has none",
            );
        }
        let deprecated = f
            .deprecated
            .as_ref()
            .map(|d| self.deprecation(file, &format!("{path}.deprecated"), d));
        let length_unit = match &f.length_unit {
            // A file's size is counted in bytes, whatever the spec's unit for text.
            _ if ty == Ty::Bytes => LengthUnit::Bytes,
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
        if place == Place::Reply && f.required {
            self.err(
                file,
                &format!("{path}.required"),
                "reply fields are always optional: a reply whose code says success is a success even when a field is missing",
            );
        }
        self.allowed_within_limits(file, path, &limits, length_unit);
        self.required_room(file, path, f.required, &limits);
        if let Some(d) = &default {
            if f.required {
                self.err(
                    file,
                    &format!("{path}.default"),
                    "a required field cannot have a default: the caller always sets it",
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
            location,
            encoding,
            over_limit,
            deprecated,
            default,
            limits,
            length_unit,
            lenience,
            sources,
            note: f.note.clone(),
        })
    }

    pub(super) fn limits(&mut self, file: usize, path: &str, f: &spec::Field, ty: &Ty) -> Limits {
        let mut limits = Limits::default();
        let strings = ty.is_string();
        let sized = strings || *ty == Ty::Bytes;
        let lists = matches!(ty, Ty::List(_) | Ty::Map(_));
        let numbers = ty.is_number();
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
        let text_or_file = "strings and files (`bytes`, counted in bytes)";
        if applies(
            self,
            "min_chars",
            f.min_chars.is_some(),
            sized,
            text_or_file,
        ) {
            limits.min_chars = f.min_chars;
        }
        if applies(
            self,
            "max_chars",
            f.max_chars.is_some(),
            sized,
            text_or_file,
        ) {
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
        if applies(self, "min", f.min.is_some(), numbers, "int, long and float") {
            limits.min = f
                .min
                .as_ref()
                .and_then(|n| self.number(file, &format!("{path}.min"), ty, n));
        }
        if applies(self, "max", f.max.is_some(), numbers, "int, long and float") {
            limits.max = f
                .max
                .as_ref()
                .and_then(|n| self.number(file, &format!("{path}.max"), ty, n));
        }
        // A list of strings: each item must match (ids joined into one query value, say).
        let string_list = matches!(ty, Ty::List(item) if **item == Ty::String);
        if applies(
            self,
            "pattern",
            f.pattern.is_some(),
            strings || string_list,
            "strings and lists of strings",
        ) {
            if let Some(pattern) = &f.pattern {
                match regex::Regex::new(&format!("^(?:{pattern})$")) {
                    Ok(_) => limits.pattern = Some(pattern.clone()),
                    Err(err) => self.err(
                        file,
                        &format!("{path}.pattern"),
                        format!("`{pattern}` is not a regular expression: {err}"),
                    ),
                }
            }
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
        let pairs: [(&str, Option<f64>, Option<f64>); 3] = [
            (
                "chars",
                limits.min_chars.map(|n| n as f64),
                limits.max_chars.map(|n| n as f64),
            ),
            (
                "items",
                limits.min_items.map(|n| n as f64),
                limits.max_items.map(|n| n as f64),
            ),
            (
                "",
                limits.min.map(Number::as_f64),
                limits.max.map(Number::as_f64),
            ),
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
        limits
    }

    /// Converts a YAML scalar to a literal of type `ty`, reporting a mismatch.
    pub(super) fn literal(
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
            (Ty::Float, Y::Number(n)) => n.as_f64().map(Literal::Float),
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

    pub(super) fn default_within_limits(
        &mut self,
        file: usize,
        path: &str,
        ty: &Ty,
        d: &Literal,
        limits: &Limits,
        unit: LengthUnit,
    ) {
        match d {
            Literal::Int(_) | Literal::Float(_) => {
                let i = match d {
                    Literal::Int(i) => *i as f64,
                    Literal::Float(f) => *f,
                    _ => 0.0,
                };
                if let Some(min) = limits.min.filter(|m| i < m.as_f64()) {
                    self.err(
                        file,
                        path,
                        format!("default {i} is below the field's own min {min}"),
                    );
                }
                if let Some(max) = limits.max.filter(|m| i > m.as_f64()) {
                    self.err(
                        file,
                        path,
                        format!("default {i} is above the field's own max {max}"),
                    );
                }
            }
            Literal::Str(s) => {
                let len = unit.measure(s);
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

    /// A number of `ty`: an integer for int and long (within range), any number for float.
    pub(super) fn number(
        &mut self,
        file: usize,
        path: &str,
        ty: &Ty,
        n: &serde_yaml::Number,
    ) -> Option<Number> {
        match ty {
            Ty::Float => n.as_f64().map(Number::Float),
            _ => match n.as_i64() {
                Some(i) if *ty == Ty::Int && i32::try_from(i).is_err() => {
                    self.err(file, path, format!("{i} does not fit in an int (i32)"));
                    None
                }
                Some(i) => Some(Number::Int(i)),
                None => {
                    self.err(
                        file,
                        path,
                        format!(
                            "{n} is not an integer, but the field is `{}`",
                            ty.spec_name()
                        ),
                    );
                    None
                }
            },
        }
    }

    /// Where a field travels: path and query parameters are request fields only.
    fn location(&mut self, file: usize, path: &str, f: &spec::Field, place: Place) -> Location {
        let location = match f.location.as_deref() {
            None | Some("body") => Location::Body,
            Some("query") => Location::Query,
            Some("path") => Location::Path,
            Some(other) => {
                self.err(
                    file,
                    &format!("{path}.in"),
                    format!("unknown location `{other}`; use body, query or path"),
                );
                return Location::Body;
            }
        };
        if location != Location::Body && !matches!(place, Place::Request(_)) {
            self.err(
                file,
                &format!("{path}.in"),
                "only top-level request fields travel in the path or the query",
            );
            return Location::Body;
        }
        if location == Location::Path && !f.required {
            self.err(
                file,
                &format!("{path}.required"),
                "a path parameter is always sent: make it `required: true`",
            );
        }
        location
    }

    /// A file (`bytes`) is a top-level request field of its own: not inside a list, a map or an
    /// object, never in a reply.
    fn bytes_place(&mut self, file: usize, path: &str, ty: &Ty, place: Place) {
        fn holds_bytes(ty: &Ty) -> bool {
            match ty {
                Ty::Bytes => true,
                Ty::List(inner) | Ty::Map(inner) => holds_bytes(inner),
                _ => false,
            }
        }
        if !holds_bytes(ty) {
            return;
        }
        let problem = match place {
            Place::Request(_) if *ty == Ty::Bytes => return,
            Place::Request(_) => "a file is one part of a multipart body: make it a field of its own with `type: bytes`, not a list or map of files",
            Place::Object => "a file is one part of a multipart body: a field of an object cannot hold one; make it a top-level request field",
            Place::Reply => "replies are JSON and carry no file: a reply field cannot be `bytes` (a URL to the file is a `string`)",
        };
        self.err(file, &format!("{path}.type"), problem);
    }

    /// How a field is encoded where it travels.
    fn encoding(
        &mut self,
        file: usize,
        path: &str,
        f: &spec::Field,
        ty: &Ty,
        place: Place,
        location: Location,
    ) -> Encoding {
        let scalar_list = matches!(ty, Ty::List(item) if !item.is_composite() && **item != Ty::Any);
        // Form fields and query or path values are text: a composite must say how it travels.
        let text_only = match place {
            Place::Request(Api::V1) => true,
            Place::Request(Api::V2) => location != Location::Body,
            _ => false,
        };
        match f.encoding.as_deref() {
            // A switch is a number wherever it travels, so it is not limited to text places.
            Some("zero_one") if *ty == Ty::Bool => Encoding::ZeroOne,
            Some("zero_one") => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    format!(
                        "only a `bool` travels as a 0/1 switch, not `{}`; make the field `type: bool`",
                        ty.spec_name()
                    ),
                );
                Encoding::Plain
            }
            None if text_only && (ty.is_composite() || *ty == Ty::Any) => {
                let fix = if scalar_list {
                    "`encoding: comma_joined` or `encoding: json_text`"
                } else {
                    "`encoding: json_text`"
                };
                self.err(
                    file,
                    path,
                    format!(
                        "a {} value cannot carry `{}` as such; add {fix}",
                        if location == Location::Body {
                            "form"
                        } else {
                            location.name()
                        },
                        ty.spec_name()
                    ),
                );
                Encoding::Plain
            }
            None => Encoding::Plain,
            Some(_) if !text_only => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    "only top-level fields sent as text (v1 form fields, query and path values) have an encoding",
                );
                Encoding::Plain
            }
            Some("json_text") if ty.is_composite() || *ty == Ty::Any => Encoding::JsonText,
            Some("json_text") => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    "only lists, maps, objects and `any` travel as JSON text",
                );
                Encoding::Plain
            }
            Some("comma_joined") if scalar_list => Encoding::CommaJoined,
            Some("comma_joined") => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    "only lists of scalars (strings, numbers, enums) travel comma-joined",
                );
                Encoding::Plain
            }
            Some(other) => {
                self.err(
                    file,
                    &format!("{path}.encoding"),
                    format!("unknown encoding `{other}`; use json_text, comma_joined or zero_one"),
                );
                Encoding::Plain
            }
        }
    }

    pub(super) fn deprecation(
        &mut self,
        file: usize,
        path: &str,
        d: &spec::Deprecation,
    ) -> Deprecation {
        let sources = self.check_pages(file, &format!("{path}.sources"), &d.sources);
        Deprecation {
            note: d.note.clone(),
            replacement: d.replacement.clone(),
            sources,
        }
    }
}
