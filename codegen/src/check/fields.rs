//! Fields: names, types, encodings, limits, defaults and leniency.

use std::collections::HashMap;

use super::{is_snake_ident, Checker, Place, RESERVED_FIELD_NAMES, RUST_KEYWORDS};
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

    pub(super) fn limits(&mut self, file: usize, path: &str, f: &spec::Field, ty: &Ty) -> Limits {
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
}
