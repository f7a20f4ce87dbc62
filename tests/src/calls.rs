//! Calls in wire terms (JSON), built from the spec's model alone: each endpoint's example, moved to
//! every limit of every request field and one past it, and into and out of every conditional rule.
//!
//! Nothing here names a field, so a limit or rule added to the spec gets its cases with no Rust
//! code. `tests/limits.rs` validates the cases; `tests/no_network.rs` sends the failing ones.

use codegen::model::{
    CompareOp, Consequence, Endpoint, Field, FieldPath, LengthUnit, Literal, Model, Number,
    OverLimit, Rule as SpecRule, Severity, Test, Ty,
};
use serde_json::{json, Value};
use yunxin_im::error::{Rule, Violation};

mod judge;
mod past;
mod pattern;
mod rules;
mod slot;
mod values;

use slot::{then_set, Slot, Step};
use values::*;

pub use judge::{disagreements, judge, Found};
pub use past::past_limit;
pub use pattern::Pattern;

/// The spec's model, as codegen reads it.
pub fn model() -> Model {
    let dir = xtask::workspace_root().join("spec");
    codegen::load_model(&dir, "spec").unwrap_or_else(|d| panic!("the spec does not load:\n{d}"))
}

/// One call of one endpoint and what validating it must report.
#[derive(Debug, Clone)]
pub struct Case {
    pub endpoint: String,
    pub label: String,
    /// The request in wire names and values, as `dynamic::validate_json` takes it.
    pub call: Value,
    pub expect: Expect,
}

#[derive(Debug, Clone)]
pub enum Expect {
    /// No violation at all.
    Clean,
    /// Exactly this one violation, which stops the request.
    Broken(Broken),
    /// Exactly this one warning: the request still goes.
    Warned(Broken),
    /// Not a request in wire terms (a missing required field, a value a closed enum lacks).
    Undecodable,
}

/// The one violation a case expects.
#[derive(Debug, Clone)]
pub struct Broken {
    pub path: String,
    pub rule: Rule,
    /// Words (numbers, names) the violation's `limit` text must contain.
    pub limit_mentions: Vec<String>,
    /// Words the violation's `actual` text must contain.
    pub actual_mentions: Vec<String>,
    /// For a conditional rule: the condition's text, which `condition` must contain.
    pub condition: Option<String>,
}

impl Broken {
    /// Whether `LimitPolicy::SkipUpperLimits` skips this violation: a field's own upper limit,
    /// never a conditional rule's (those are not plan-dependent).
    pub fn is_upper_limit(&self) -> bool {
        self.condition.is_none() && matches!(self.rule, Rule::MaxChars | Rule::MaxItems | Rule::Max)
    }

    /// Why `v` is not the expected violation, if it is not.
    pub fn mismatch(&self, v: &Violation) -> Option<String> {
        let mut wrong = Vec::new();
        if v.path != self.path || v.rule != self.rule {
            wrong.push(format!("expected `{}` {}", self.path, self.rule));
        }
        for word in self
            .limit_mentions
            .iter()
            .filter(|w| !mentions(&v.limit.to_string(), w))
        {
            wrong.push(format!("limit does not mention {word}"));
        }
        for word in self
            .actual_mentions
            .iter()
            .filter(|w| !mentions(&v.actual.to_string(), w))
        {
            wrong.push(format!("actual does not mention {word}"));
        }
        match (&self.condition, &v.condition) {
            (Some(want), Some(got)) if got.contains(want.as_str()) => {}
            (None, None) => {}
            (want, _) => wrong.push(format!("expected condition {want:?}")),
        }
        (!wrong.is_empty()).then(|| format!("{}; got {v:?}", wrong.join(", ")))
    }
}

/// Whether `word` occurs in `text` as a whole word (so `32` is not found in `320`).
pub fn mentions(text: &str, word: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(i, _)| {
        !is_word(text[..i].chars().next_back()) && !is_word(text[i + word.len()..].chars().next())
    })
}

/// The length of `text` in `unit`, counted independently of the runtime.
pub fn measure(text: &str, unit: LengthUnit) -> u64 {
    let n = match unit {
        LengthUnit::Utf16 => text.encode_utf16().count(),
        LengthUnit::Chars => text.chars().count(),
        LengthUnit::Bytes => text.len(),
    };
    n as u64
}

/// A file of `len` bytes in a call's terms: its standard base64 (the bytes are not text, so a
/// size counted as text would be off).
pub fn file(len: u64) -> Value {
    use base64::Engine as _;
    let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8 + 3).collect();
    json!(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The size in bytes of a file given in a call's terms, if it is base64.
pub fn file_size(value: &Value) -> Option<u64> {
    use base64::Engine as _;
    let text = value.as_str().or_else(|| value.get("base64")?.as_str())?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    Some(bytes.len() as u64)
}

/// Text exactly `len` long in `unit`. It starts with '😀' (2 UTF-16 code units, 1 character,
/// 4 bytes), so a length counted in another unit is off. With `json`, a JSON string literal.
pub fn text(len: u64, unit: LengthUnit, json: bool) -> String {
    if json && len < 2 {
        return "7".repeat(len as usize); // a number is JSON too
    }
    let quotes = if json { 2 } else { 0 };
    let mut body = String::new();
    if measure("😀", unit) + quotes <= len {
        body.push('😀');
    }
    while measure(&body, unit) + quotes < len {
        body.push('a');
    }
    if json {
        format!("\"{body}\"")
    } else {
        body
    }
}

/// Every case of `endpoint`: its example, each field's limits, each conditional rule.
pub fn cases(model: &Model, endpoint: &Endpoint) -> Vec<Case> {
    let mut cx = Cases {
        model,
        endpoint,
        out: Vec::new(),
        focus: Focus::default(),
    };
    let example = match &endpoint.example {
        Some(example) => example.json.clone(),
        None => object_of(model, &endpoint.fields),
    };
    cx.clean("the example", example.clone());
    cx.fields(&endpoint.fields, &example, &Slot::default());
    for (i, rule) in endpoint.rules.iter().enumerate() {
        let mut paths = vec![rule.then.wire()];
        paths.extend(rule.when.as_ref().map(|w| w.field.wire()));
        if let Consequence::Compare(_, other) = &rule.consequence {
            paths.push(other.wire());
        }
        cx.focus = Focus {
            paths,
            rule: Some(i),
        };
        cx.rule(rule, &example);
    }
    cx.out
}

/// A limit's edge: the value at the limit, the one past it, the rule and the numbers the
/// violation must mention.
struct Edge {
    name: String,
    at: Value,
    past: Value,
    rule: Rule,
    limit: String,
    found: String,
    /// The condition a truncation warning names, when past the limit is a warning.
    truncated: bool,
}

impl Edge {
    /// The edge between `limit` and `found`, with values made by `value`.
    fn new<N: Copy + ToString>(
        name: String,
        rule: Rule,
        limit: N,
        found: N,
        value: impl Fn(N) -> Value,
    ) -> Edge {
        let (at, past) = (value(limit), value(found));
        let (limit, found) = (limit.to_string(), found.to_string());
        Edge {
            name,
            at,
            past,
            rule,
            limit,
            found,
            truncated: false,
        }
    }
}

struct Cases<'m> {
    model: &'m Model,
    endpoint: &'m Endpoint,
    out: Vec<Case>,
    focus: Focus,
}

/// What the cases being built are about: the wire paths they set on purpose, and the rule they
/// test. Every other rule is kept satisfied (see [`Cases::settle`]).
#[derive(Debug, Clone, Default)]
struct Focus {
    paths: Vec<String>,
    rule: Option<usize>,
}

impl Focus {
    /// Whether `path` is, holds or lies inside a path the cases set on purpose.
    fn pins(&self, path: &str) -> bool {
        let inside = |a: &str, b: &str| {
            a == b || a.strip_prefix(b).is_some_and(|r| r.starts_with(['.', '[']))
        };
        self.paths
            .iter()
            .any(|p| inside(path, p) || inside(p, path))
    }
}

impl Cases<'_> {
    fn push(&mut self, label: String, call: Value, expect: Expect) {
        let endpoint = self.endpoint.name.clone();
        let call = self.settle(call);
        if self.entangled(&call) {
            return;
        }
        self.out.push(Case {
            endpoint,
            label,
            call,
            expect,
        });
    }

    /// `call` with every rule other than the one in focus satisfied, changing only fields out of
    /// focus: a rule that holds and is broken is switched off through its condition's field, or
    /// else respected. Chained rules (a rule's field governed by another rule) need this: the
    /// value that breaks or switches one rule may switch on another.
    fn settle(&self, mut call: Value) -> Value {
        for _ in 0..4 * self.endpoint.rules.len() {
            let Ok(found) = judge(self.model, self.endpoint, &call) else {
                return call;
            };
            let other = found
                .iter()
                .filter_map(|f| f.by_rule)
                .find(|i| Some(*i) != self.focus.rule);
            let Some(index) = other else { return call };
            match self.satisfy(&self.endpoint.rules[index], &call) {
                Some(fixed) => call = fixed,
                None => return call,
            }
        }
        call
    }

    /// Whether a rule out of focus is still broken after [`Cases::settle`]: it can only be
    /// switched off or respected through fields in focus, so the case cannot isolate what it
    /// tests (e.g. `sealed=false` makes both `note ≤ 80` and `note ≤ 120` hold, and no note
    /// breaks the second alone). Such a case is left out; the value that does isolate it stays.
    fn entangled(&self, call: &Value) -> bool {
        judge(self.model, self.endpoint, call).is_ok_and(|found| {
            found
                .iter()
                .any(|f| f.by_rule.is_some_and(|i| Some(i) != self.focus.rule))
        })
    }

    /// `call` with `rule` switched off or respected, touching no field in focus.
    fn satisfy(&self, rule: &SpecRule, call: &Value) -> Option<Value> {
        if let Some(when) = rule
            .when
            .as_ref()
            .filter(|w| !self.focus.pins(&w.field.wire()))
        {
            let slot = Slot::of(&when.field);
            let required = when.field.last().required;
            for off in self.off_values(rule) {
                if off.is_none() && required {
                    continue;
                }
                let changed = then_set(&slot, call, &off);
                if !judge::holds(rule, &changed) {
                    return Some(changed);
                }
            }
        }
        if self.focus.pins(&rule.then.wire()) {
            return None;
        }
        let (_, respecting, _) = self.consequence(rule, call);
        Some(then_set(&Slot::of(&rule.then), call, &respecting))
    }

    fn clean(&mut self, label: impl Into<String>, call: Value) {
        self.push(label.into(), call, Expect::Clean);
    }

    /// The value at the limit (no violation) and the one past it (exactly one violation).
    fn edge(&mut self, call: &Value, slot: &Slot, edge: Edge) {
        let Edge {
            name,
            at,
            past,
            rule,
            limit,
            found,
            truncated,
        } = edge;
        let path = slot.path();
        let label = format!("{path}: {name}: at the limit ({})", short(&at));
        self.clean(label, slot.set(call, at));
        let label = format!("{path}: {name}: one past ({})", short(&past));
        let broken = Broken {
            path,
            rule,
            limit_mentions: vec![limit],
            actual_mentions: vec![found],
            condition: truncated.then(|| "keeps only what fits".to_owned()),
        };
        let expect = if truncated {
            Expect::Warned(broken)
        } else {
            Expect::Broken(broken)
        };
        self.push(label, slot.set(call, past), expect);
    }

    /// Cases for `fields` placed at `at` of `call`, then for the fields of nested objects.
    fn fields(&mut self, fields: &[Field], call: &Value, at: &Slot) {
        for field in fields {
            let slot = at.then(Step::Key(field.wire.clone()));
            self.field(field, call, &slot);
            let (inner, slot) = match &field.ty {
                Ty::Object(name) => (name, slot),
                Ty::List(item) => match &**item {
                    Ty::Object(name) => (name, slot.then(Step::Index(0))),
                    _ => continue,
                },
                _ => continue,
            };
            let object = self.model.object(inner).expect("objects resolve");
            let mut call = call.clone();
            if slot.get(&call).is_none() {
                let made = object_of(self.model, &object.fields);
                let value = if matches!(field.ty, Ty::List(_)) {
                    json!([made])
                } else {
                    made
                };
                call = at.then(Step::Key(field.wire.clone())).set(&call, value);
            }
            self.fields(&object.fields, &call, &slot);
        }
    }

    /// Cases for one field's own limits.
    fn field(&mut self, f: &Field, call: &Value, slot: &Slot) {
        let path = slot.path();
        self.focus = Focus {
            paths: vec![path.clone()],
            rule: None,
        };
        let mut call = call.clone();
        // A rule that constrains this field is switched off, so only the limit speaks.
        for rule in self.endpoint.rules.iter().filter(|r| r.then.wire() == path) {
            // An unconditional rule constrains the field always; its own cases cover it.
            let Some(when) = &rule.when else { continue };
            call = match self.off_values(rule).into_iter().next() {
                Some(Some(off)) => Slot::of(&when.field).set(&call, off),
                Some(None) => Slot::of(&when.field).remove(&call),
                None => call,
            };
        }
        let (l, unit, json) = (&f.limits, f.length_unit, f.ty == Ty::Json);
        if f.required {
            let label = format!("{path}: required, left out");
            self.push(label, slot.remove(&call), Expect::Undecodable);
        }
        // A field with a pattern is probed with text the pattern accepts, so that only the length
        // speaks at its edges: the default text (it starts with an emoji) is kept when it matches.
        let pattern = l
            .pattern
            .as_deref()
            .map(|p| Pattern::new(p).expect("checked pattern"));
        let text_of = |n| {
            if f.ty == Ty::Bytes {
                return file(n);
            }
            let default = text(n, unit, json);
            let fits = |t: &String| pattern.as_ref().is_none_or(|re| re.is_match(t));
            let fill = ["0", "a"].map(|c| c.repeat(n as usize));
            let walked = pattern.as_ref().and_then(|p| p.matching(n, n, unit));
            json!(std::iter::once(default.clone())
                .chain(fill)
                .chain(walked)
                .find(fits)
                .unwrap_or(default))
        };
        let template = slot.then(Step::Index(0)).get(&call).cloned();
        let list_of = |n| items(self.model, f, template.as_ref(), n);
        let unit_name = unit.name();
        let mut edges = Vec::new();
        if let Some(n) = l.max_chars {
            let name = format!("max_chars {n} ({unit_name})");
            edges.push(Edge::new(name, Rule::MaxChars, n, n + 1, text_of));
        }
        if let Some(n) = l.min_chars.filter(|n| *n > u64::from(json)) {
            let name = format!("min_chars {n} ({unit_name})");
            edges.push(Edge::new(name, Rule::MinChars, n, n - 1, text_of));
        }
        if let Some(n) = l.max_items {
            let name = format!("max_items {n}");
            edges.push(Edge::new(name, Rule::MaxItems, n, n + 1, list_of));
        }
        if let Some(n) = l.min_items.filter(|n| *n > 0) {
            let name = format!("min_items {n}");
            edges.push(Edge::new(name, Rule::MinItems, n, n - 1, list_of));
        }
        if let Some(n) = l.max {
            edges.push(number_edge(format!("max {n}"), Rule::Max, n, true));
        }
        if let Some(n) = l.min {
            edges.push(number_edge(format!("min {n}"), Rule::Min, n, false));
        }
        for mut edge in edges {
            let upper = matches!(edge.rule, Rule::MaxChars | Rule::MaxItems | Rule::Max);
            edge.truncated = upper && f.over_limit == OverLimit::Truncated;
            self.edge(&call, slot, edge);
        }
        if let Some(pattern) = &l.pattern {
            let re = Pattern::new(pattern).expect("checked pattern");
            if let Some(miss) = re.missing() {
                let label = format!("{path}: does not match `{pattern}` ({miss:?})");
                // A list's pattern applies to each item: one list of one bad item.
                let (broken_path, value) = match f.ty {
                    Ty::List(_) => (format!("{path}[0]"), json!([miss])),
                    _ => (path.clone(), json!(miss)),
                };
                let expect = Expect::Broken(Broken {
                    path: broken_path,
                    rule: Rule::Pattern,
                    limit_mentions: vec![],
                    actual_mentions: vec![],
                    condition: None,
                });
                self.push(label, slot.set(&call, value), expect);
            }
        }
        let broken = |rule, limit_mentions, actual_mentions| {
            let path = path.clone();
            let condition = None;
            Expect::Broken(Broken {
                path,
                rule,
                limit_mentions,
                actual_mentions,
                condition,
            })
        };
        if !l.allowed.is_empty() {
            for value in &l.allowed {
                let label = format!("{path}: allowed {}", value.display());
                self.clean(label, slot.set(&call, literal(value)));
            }
            let (outside, shown) = (outside(&l.allowed), l.allowed.iter());
            let expect = broken(
                Rule::Allowed,
                shown.map(|v| short(&literal(v))).collect(),
                vec![short(&outside)],
            );
            let label = format!("{path}: not allowed ({})", short(&outside));
            self.push(label, slot.set(&call, outside), expect);
        }
        if json {
            let fits = l.max_chars.unwrap_or(u64::MAX) >= 11 && l.min_chars.unwrap_or(0) <= 11;
            let valid = match fits {
                true => r#"{"k":"😀v"}"#.to_owned(),
                false => text(l.min_chars.unwrap_or(2).max(2), unit, true),
            };
            self.clean(
                format!("{path}: JSON text {valid}"),
                slot.set(&call, json!(valid)),
            );
            let mut invalid = "{not json".to_owned();
            while measure(&invalid, unit) < l.min_chars.unwrap_or(0) {
                invalid.push('x');
            }
            let label = format!("{path}: not JSON text ({invalid})");
            let expect = broken(Rule::Json, vec!["JSON".into()], vec![]);
            self.push(label, slot.set(&call, json!(invalid)), expect);
        }
        if let Ty::Enum(name) = &f.ty {
            let def = self.model.enum_def(name).expect("enums resolve");
            for v in &def.values {
                let label = format!("{path}: {name}::{}", v.variant);
                self.clean(label, slot.set(&call, json!(v.value)));
            }
            let unlisted = def.values.iter().map(|v| v.value).max().unwrap_or(0) + 1;
            let label = format!("{path}: a code {name} does not list ({unlisted})");
            let expect = match def.open {
                true => broken(
                    Rule::KnownEnumValue,
                    vec![name.clone()],
                    vec![unlisted.to_string()],
                ),
                false => Expect::Undecodable,
            };
            self.push(label, slot.set(&call, json!(unlisted)), expect);
        }
    }
}

/// The edge of a numeric limit: the limit itself, and one past it (a half for floats).
fn number_edge(name: String, rule: Rule, n: Number, upper: bool) -> Edge {
    let step = if upper { 1 } else { -1 };
    match n {
        Number::Int(i) => Edge::new(name, rule, i, i + step, |v| json!(v)),
        Number::Float(f) => Edge::new(name, rule, f, f + 0.5 * step as f64, |v| json!(v)),
    }
}

/// `endpoint`'s request with every field set, each to a valid sample (objects with their
/// required fields): what request-parity tests send to see where each field travels.
pub fn every_field_call(model: &Model, endpoint: &Endpoint) -> Value {
    Value::Object(
        endpoint
            .fields
            .iter()
            .map(|f| (f.wire.clone(), sample(model, f)))
            .collect(),
    )
}
