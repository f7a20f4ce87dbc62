//! Request examples: the page's request, checked against the fields' names, types, enum values
//! and limits, so the docs and the generated example programs can never show a request the
//! client would refuse, and the emitters never meet a value they cannot render.

use serde_json::Value;

use super::Checker;
use crate::model::*;

impl Checker<'_> {
    /// The typed example of a request whose fields are `fields`; `declared` holds every wire
    /// name the spec declares there, including fields whose own definition is broken (those are
    /// reported once, at the field, not again here).
    pub(super) fn example(
        &mut self,
        file: usize,
        path: &str,
        x: &serde_yaml::Value,
        fields: &[Field],
        declared: &[String],
    ) -> Option<Example> {
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
        let fields = self.example_object(file, path, &json, fields, declared)?;
        Some(Example {
            json,
            fields,
            note: None,
        })
    }

    fn example_object(
        &mut self,
        file: usize,
        path: &str,
        value: &Value,
        fields: &[Field],
        declared: &[String],
    ) -> Option<Vec<ExampleField>> {
        let Some(map) = value.as_object() else {
            self.err(
                file,
                path,
                format!("expected a mapping of wire names to values, found {value}"),
            );
            return None;
        };
        let mut ok = true;
        for key in map.keys() {
            if fields.iter().any(|f| &f.wire == key) {
                continue;
            }
            ok = false;
            if !declared.contains(key) {
                let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
                self.err(
                    file,
                    &format!("{path}.{key}"),
                    format!(
                        "the example sets `{key}`, which is not a field; fields here: {}",
                        known.join(", ")
                    ),
                );
            }
        }
        let mut out = Vec::new();
        for f in fields {
            let fpath = format!("{path}.{}", f.wire);
            match map.get(&f.wire).filter(|v| !v.is_null()) {
                None if f.required => {
                    ok = false;
                    self.err(
                        file,
                        path,
                        format!("the example lacks the required field `{}`", f.wire),
                    );
                }
                None => {}
                Some(v) => match self.example_value(file, &fpath, f, &f.ty, v, true) {
                    Some(value) => out.push(ExampleField {
                        wire: f.wire.clone(),
                        rust: f.rust.clone(),
                        required: f.required,
                        value,
                    }),
                    None => ok = false,
                },
            }
        }
        ok.then_some(out)
    }

    /// `value` as a value of `ty`; `top` says whether `field`'s own limits apply (they do to the
    /// field's value, not to the items inside a list or map).
    fn example_value(
        &mut self,
        file: usize,
        path: &str,
        field: &Field,
        ty: &Ty,
        value: &Value,
        top: bool,
    ) -> Option<ExampleValue> {
        let mismatch = |cx: &mut Self, what: &str| {
            cx.err(file, path, format!("expected {what}, found {value}"));
            None
        };
        let typed = match ty {
            Ty::String => match value {
                Value::String(s) => ExampleValue::Str(s.clone()),
                _ => return mismatch(self, "a string"),
            },
            Ty::Json => match value {
                Value::String(s) if serde_json::from_str::<Value>(s).is_err() => {
                    self.err(
                        file,
                        path,
                        "the field's type is json, but the example's text does not parse as JSON",
                    );
                    return None;
                }
                Value::String(s) => ExampleValue::Str(s.clone()),
                // A JSON field given as a structure travels as its text.
                other => ExampleValue::Str(other.to_string()),
            },
            Ty::Int => match value.as_i64() {
                Some(n) if i32::try_from(n).is_ok() => ExampleValue::Int(n),
                Some(n) => {
                    self.err(file, path, format!("{n} does not fit in an int (i32)"));
                    return None;
                }
                None => return mismatch(self, "an integer"),
            },
            Ty::Long => match value.as_i64() {
                Some(n) => ExampleValue::Int(n),
                None => return mismatch(self, "an integer that fits in a long (i64)"),
            },
            Ty::Float => match value.as_f64() {
                Some(f) => ExampleValue::Float(f),
                None => return mismatch(self, "a number"),
            },
            // An example holds wire values, and a switch's are the page's 0 and 1.
            Ty::Bool if top && field.encoding == Encoding::ZeroOne => match value.as_i64() {
                Some(0) => ExampleValue::Bool(false),
                Some(1) => ExampleValue::Bool(true),
                _ => return mismatch(self, "the switch 0 or 1"),
            },
            Ty::Bool => match value.as_bool() {
                Some(b) => ExampleValue::Bool(b),
                None => return mismatch(self, "true or false"),
            },
            Ty::Any => ExampleValue::Any(value.clone()),
            // A file in its JSON view: standard base64, as `dynamic` and fixtures take it.
            Ty::Bytes => {
                use base64::Engine as _;
                let decoded = value
                    .as_str()
                    .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok());
                match decoded {
                    Some(bytes) => ExampleValue::Bytes(bytes),
                    None => return mismatch(self, "a file's bytes as standard base64 text"),
                }
            }
            Ty::Enum(name) => self.example_enum(file, path, name, value)?,
            Ty::Object(name) => {
                let fields = self.object_fields(name);
                let declared = self.declared_object_fields(name);
                let set = self.example_object(file, path, value, &fields, &declared)?;
                ExampleValue::Object {
                    name: name.clone(),
                    fields: set,
                }
            }
            Ty::List(item) => {
                let Some(items) = value.as_array() else {
                    return mismatch(self, "a list");
                };
                let mut out = Vec::new();
                for (i, v) in items.iter().enumerate() {
                    out.push(self.example_value(
                        file,
                        &format!("{path}[{i}]"),
                        field,
                        item,
                        v,
                        false,
                    ));
                }
                ExampleValue::List(out.into_iter().collect::<Option<_>>()?)
            }
            Ty::Map(item) => {
                let Some(entries) = value.as_object() else {
                    return mismatch(self, "a mapping");
                };
                let mut out = Vec::new();
                for (k, v) in entries {
                    let typed =
                        self.example_value(file, &format!("{path}.{k}"), field, item, v, false);
                    out.push(typed.map(|t| (k.clone(), t)));
                }
                ExampleValue::Map(out.into_iter().collect::<Option<_>>()?)
            }
        };
        if top {
            for problem in limit_problems(field, &typed) {
                self.err(
                    file,
                    path,
                    format!("the example breaks the field's limits: {problem}"),
                );
            }
        }
        Some(typed)
    }

    /// An enum value given by its wire integer or, leniently, by its name.
    fn example_enum(
        &mut self,
        file: usize,
        path: &str,
        name: &str,
        value: &Value,
    ) -> Option<ExampleValue> {
        let def = self.enums.iter().find(|e| e.name == name)?;
        let found = def.values.iter().find(|v| match value {
            Value::Number(n) => n.as_i64() == Some(v.value),
            Value::String(s) => *s == v.name,
            _ => false,
        });
        match found {
            Some(v) => Some(ExampleValue::Enum {
                name: name.to_owned(),
                variant: v.variant.clone(),
            }),
            None => {
                let known: Vec<String> = def
                    .values
                    .iter()
                    .map(|v| format!("{} = {}", v.name, v.value))
                    .collect();
                self.err(
                    file,
                    path,
                    format!(
                        "{value} is not a value of `{name}` ({}); examples only send listed values",
                        known.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// The checked fields of object `name` (empty when it has none or is not an object).
    fn object_fields(&self, name: &str) -> Vec<Field> {
        self.objects
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.fields.clone())
            .unwrap_or_default()
    }

    /// Every wire name object `name` declares, including fields whose definition is broken.
    pub(super) fn declared_object_fields(&self, name: &str) -> Vec<String> {
        self.raw_type(name)
            .and_then(|t| t.fields.as_ref())
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A request with only the required fields, holding placeholder values that satisfy their
    /// limits: what the usage example shows when the page shows no request.
    pub(super) fn placeholder_fields(&self, fields: &[Field], depth: usize) -> Vec<ExampleField> {
        fields
            .iter()
            .filter(|f| f.required)
            .map(|f| ExampleField {
                wire: f.wire.clone(),
                rust: f.rust.clone(),
                required: true,
                value: self.placeholder(f, &f.ty, depth),
            })
            .collect()
    }

    fn placeholder(&self, field: &Field, ty: &Ty, depth: usize) -> ExampleValue {
        match ty {
            Ty::String => ExampleValue::Str("example".into()),
            Ty::Json => ExampleValue::Str("{}".into()),
            Ty::Int | Ty::Long => {
                let allowed = field.limits.allowed.iter().find_map(|l| match l {
                    Literal::Int(n) => Some(*n),
                    _ => None,
                });
                let min = field.limits.min.map(|m| m.as_f64().ceil() as i64);
                ExampleValue::Int(allowed.or(min).unwrap_or(0))
            }
            Ty::Float => ExampleValue::Float(field.limits.min.map_or(0.0, |m| m.as_f64())),
            Ty::Any => ExampleValue::Any(serde_json::Value::Object(Default::default())),
            Ty::Bytes => {
                // Within the field's size limits, so the usage example validates.
                let min = field.limits.min_chars.unwrap_or(0).min(4096) as usize;
                let max = field.limits.max_chars.unwrap_or(u64::MAX).min(4096) as usize;
                let len = "example".len().max(min).min(max);
                ExampleValue::Bytes(b"example".iter().copied().cycle().take(len).collect())
            }
            Ty::Bool => ExampleValue::Bool(false),
            Ty::Enum(name) => {
                let variant = self
                    .enums
                    .iter()
                    .find(|e| &e.name == name)
                    .and_then(|e| e.values.first())
                    .map(|v| v.variant.clone())
                    .unwrap_or_default();
                ExampleValue::Enum {
                    name: name.clone(),
                    variant,
                }
            }
            // Recursion through objects is rejected elsewhere; the depth bound keeps a broken
            // spec from looping here before that error is reported.
            Ty::Object(name) if depth < 16 => ExampleValue::Object {
                name: name.clone(),
                fields: self.placeholder_fields(&self.object_fields(name), depth + 1),
            },
            Ty::Object(name) => ExampleValue::Object {
                name: name.clone(),
                fields: Vec::new(),
            },
            Ty::List(item) if field.limits.min_items.unwrap_or(0) > 0 => {
                ExampleValue::List(vec![self.placeholder(field, item, depth)])
            }
            Ty::List(_) => ExampleValue::List(Vec::new()),
            Ty::Map(_) => ExampleValue::Map(Vec::new()),
        }
    }
}

/// Each of `field`'s own limits that `value` breaks, in words.
fn limit_problems(field: &Field, value: &ExampleValue) -> Vec<String> {
    let l = &field.limits;
    let mut out = Vec::new();
    match value {
        ExampleValue::Bytes(bytes) => {
            let len = bytes.len() as u64;
            if let Some(max) = l.max_chars.filter(|m| len > *m) {
                out.push(format!("{len} bytes, more than max_chars {max}"));
            }
            if let Some(min) = l.min_chars.filter(|m| len < *m) {
                out.push(format!("{len} bytes, fewer than min_chars {min}"));
            }
        }
        ExampleValue::Str(s) => {
            let len = field.length_unit.measure(s);
            let unit = field.length_unit.words();
            if let Some(max) = l.max_chars.filter(|m| len > *m) {
                out.push(format!("{len} {unit}, more than max_chars {max}"));
            }
            if let Some(min) = l.min_chars.filter(|m| len < *m) {
                out.push(format!("{len} {unit}, fewer than min_chars {min}"));
            }
            let allowed: Vec<&str> = l
                .allowed
                .iter()
                .filter_map(|a| match a {
                    Literal::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            if !allowed.is_empty() && !allowed.contains(&s.as_str()) {
                out.push(format!("{s:?} is not among the allowed values"));
            }
            let matches =
                |p: &str| regex::Regex::new(&format!("^(?:{p})$")).is_ok_and(|re| re.is_match(s));
            if let Some(p) = l.pattern.as_deref().filter(|p| !matches(p)) {
                out.push(format!("{s:?} does not match the pattern `{p}`"));
            }
        }
        ExampleValue::Int(_) | ExampleValue::Float(_) => {
            let (n, shown) = match value {
                ExampleValue::Int(i) => (*i as f64, i.to_string()),
                ExampleValue::Float(f) => (*f, format!("{f:?}")),
                _ => unreachable!("matched above"),
            };
            if let Some(max) = l.max.filter(|m| n > m.as_f64()) {
                out.push(format!("{shown} is above max {max}"));
            }
            if let Some(min) = l.min.filter(|m| n < m.as_f64()) {
                out.push(format!("{shown} is below min {min}"));
            }
            let listed = l.allowed.iter().any(|a| match (a, value) {
                (Literal::Int(a), ExampleValue::Int(i)) => a == i,
                (Literal::Float(a), ExampleValue::Float(f)) => a == f,
                _ => false,
            });
            if !l.allowed.is_empty() && !listed {
                out.push(format!("{shown} is not among the allowed values"));
            }
        }
        ExampleValue::List(items) => {
            count_problems(l, items.len() as u64, &mut out);
            // A list's pattern applies to each of its strings.
            if let Some(p) = l.pattern.as_deref() {
                for (i, item) in items.iter().enumerate() {
                    if let ExampleValue::Str(s) = item {
                        if !regex::Regex::new(&format!("^(?:{p})$")).is_ok_and(|re| re.is_match(s))
                        {
                            out.push(format!("item {i}, {s:?}, does not match the pattern `{p}`"));
                        }
                    }
                }
            }
        }
        ExampleValue::Map(entries) => count_problems(l, entries.len() as u64, &mut out),
        ExampleValue::Bool(_)
        | ExampleValue::Any(_)
        | ExampleValue::Enum { .. }
        | ExampleValue::Object { .. } => {}
    }
    out
}

fn count_problems(l: &Limits, n: u64, out: &mut Vec<String>) {
    if let Some(max) = l.max_items.filter(|m| n > *m) {
        out.push(format!("{n} items, more than max_items {max}"));
    }
    if let Some(min) = l.min_items.filter(|m| n < *m) {
        out.push(format!("{n} items, fewer than min_items {min}"));
    }
}
