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
use yunxin_im::runtime::validate::{Rule, Violation};

mod judge;
mod past;
mod pattern;

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

/// A place in a call: `msgList[0].ext` is [Key(msgList), Index(0), Key(ext)].
#[derive(Debug, Clone, Default)]
struct Slot(Vec<Step>);

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

impl Slot {
    fn of(path: &FieldPath) -> Slot {
        Slot(
            path.steps
                .iter()
                .map(|s| Step::Key(s.wire.clone()))
                .collect(),
        )
    }

    /// The slot a violation path names: `msgList[0].ext`.
    fn parse(path: &str) -> Slot {
        let mut steps = Vec::new();
        for part in path.split('.') {
            let mut pieces = part.split('[');
            steps.push(Step::Key(pieces.next().unwrap_or_default().to_owned()));
            for index in pieces {
                let index = index.trim_end_matches(']').parse().unwrap_or(0);
                steps.push(Step::Index(index));
            }
        }
        Slot(steps)
    }

    /// The path without list indexes, as rules name fields: `msgList.ext`.
    fn without_indexes(&self) -> String {
        let keys = self.0.iter().filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        });
        keys.collect::<Vec<_>>().join(".")
    }

    fn then(&self, step: Step) -> Slot {
        let mut steps = self.0.clone();
        steps.push(step);
        Slot(steps)
    }

    /// The violation path: `msgList[0].ext`.
    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.0 {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => out = format!("{out}.{k}"),
                Step::Index(i) => out = format!("{out}[{i}]"),
            }
        }
        out
    }

    fn get<'a>(&self, call: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(call, |at, step| match step {
            Step::Key(k) => at.get(k),
            Step::Index(i) => at.get(i),
        })
    }

    /// `call` with `value` here; missing objects on the way are created empty.
    fn set(&self, call: &Value, value: Value) -> Value {
        let mut call = call.clone();
        let (last, parents) = self.0.split_last().expect("a slot names a field");
        let mut at = &mut call;
        for step in parents {
            at = match step {
                Step::Key(k) => at.as_object_mut().unwrap().entry(k).or_insert(json!({})),
                Step::Index(i) => &mut at[*i],
            };
        }
        match last {
            Step::Key(k) => at.as_object_mut().unwrap().insert(k.clone(), value),
            Step::Index(i) => Some(std::mem::replace(&mut at[*i], value)),
        };
        call
    }

    /// `call` without the field here.
    fn remove(&self, call: &Value) -> Value {
        let mut call = call.clone();
        let Some((Step::Key(key), parents)) = self.0.split_last() else {
            unreachable!("only fields are removed")
        };
        let parent = parents.iter().try_fold(&mut call, |at, step| match step {
            Step::Key(k) => at.get_mut(k.as_str()),
            Step::Index(i) => at.get_mut(*i),
        });
        if let Some(Value::Object(map)) = parent {
            map.remove(key);
        }
        call
    }
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

    /// Cases for one rule: condition true (consequence broken, then respected), condition false,
    /// and the field of the condition unset, where its default decides. An unconditional rule has
    /// only the first two.
    fn rule(&mut self, rule: &SpecRule, call: &Value) {
        let then = Slot::of(&rule.then);
        let name = format!(
            "rule `{}` => {}",
            rule.condition_text(),
            rule.consequence_text()
        );
        let mut call = call.clone();
        call = self.with_parents(&call, &rule.then);
        if let Some(w) = &rule.when {
            call = self.with_parents(&call, &w.field);
        }
        // A comparison is skipped while the other field is unset: give it a value.
        if let Consequence::Compare(_, other) = &rule.consequence {
            call = self.with_parents(&call, other);
            let slot = Slot::of(other);
            if slot.get(&call).is_none() {
                call = slot.set(&call, compared_value(self.field_at(other)));
            }
        }
        let (breaking, respecting, broken) = self.consequence(rule, &call);
        let expect_broken = match rule.severity {
            Severity::Error => Expect::Broken(broken.clone()),
            Severity::Warning => Expect::Warned(broken.clone()),
        };
        let broken_in = |c: &Value| then_set(&then, c, &breaking);
        let respected_in = |c: &Value| then_set(&then, c, &respecting);
        let Some(when) = &rule.when else {
            self.push(format!("{name}: broken"), broken_in(&call), expect_broken);
            self.clean(format!("{name}: respected"), respected_in(&call));
            return;
        };
        let when_slot = Slot::of(&when.field);
        let at = |c: &Value, v: &Option<Value>| then_set(&when_slot, c, v);
        for value in self.hold_values(rule) {
            let c = at(&call, &value);
            let shown = value.as_ref().map_or("unset".into(), Value::to_string);
            self.push(
                format!("{name}: holds ({shown}), broken"),
                broken_in(&c),
                expect_broken.clone(),
            );
            self.clean(
                format!("{name}: holds ({shown}), respected"),
                respected_in(&c),
            );
        }
        for value in self.off_values(rule) {
            let c = at(&call, &value);
            let shown = value.as_ref().map_or("unset".into(), Value::to_string);
            self.clean(
                format!("{name}: does not hold ({shown}), consequence broken"),
                broken_in(&c),
            );
        }
        if matches!(when.test, Test::IsSet(_) | Test::NonEmpty) {
            return;
        }
        // Unset: the leaf, or the whole optional object around it when `then` is not inside.
        let mut unset = Vec::new();
        if !when.field.last().required {
            unset.push((when.field.wire(), when_slot.remove(&call)));
        }
        let top = &when.field.steps[0];
        if when.field.steps.len() > 1 && !top.required && rule.then.steps[0].wire != top.wire {
            let top_slot = Slot(vec![Step::Key(top.wire.clone())]);
            unset.push((top.wire.clone(), top_slot.remove(&call)));
        }
        let default = when.field.last().default.as_ref();
        let holds = default.is_some_and(|d| satisfies(&when.test, d));
        let shown = default.map_or("no default".to_owned(), |d| {
            format!("default {}", d.display())
        });
        for (what, c) in unset {
            let label = format!("{name}: {what} unset ({shown}), consequence broken");
            let expect = if holds {
                expect_broken.clone()
            } else {
                Expect::Clean
            };
            self.push(label, broken_in(&c), expect);
            if holds {
                self.clean(
                    format!("{name}: {what} unset ({shown}), respected"),
                    respected_in(&c),
                );
            }
        }
    }

    /// The value that breaks the consequence, the one that respects it (`None`: left unset),
    /// and the violation breaking it gives.
    fn consequence(&self, rule: &SpecRule, call: &Value) -> (Option<Value>, Option<Value>, Broken) {
        let field = self.field_at(&rule.then);
        let text_of = |n| json!(text(n, field.length_unit, field.ty == Ty::Json));
        let list_of = |n| items(self.model, field, None, n);
        let sample = sample(self.model, field);
        let as_field = |n: i64| {
            if field.ty.is_string() {
                json!(n.to_string())
            } else {
                json!(n)
            }
        };
        // (breaking, respecting, rule, the limit, what breaking finds)
        let (breaking, respecting, broken_rule, limit, found) = match &rule.consequence {
            Consequence::Absent => (Some(sample), None, Rule::Absent, None, None),
            Consequence::Present => (None, Some(sample), Rule::Present, None, None),
            Consequence::MaxItems(n) => (
                Some(list_of(n + 1)),
                Some(list_of(*n)),
                Rule::MaxItems,
                Some(n.to_string()),
                Some((n + 1).to_string()),
            ),
            Consequence::MaxChars(n) => (
                Some(text_of(n + 1)),
                Some(text_of(*n)),
                Rule::MaxChars,
                Some(n.to_string()),
                Some((n + 1).to_string()),
            ),
            Consequence::Max(n) => {
                let e = number_edge(String::new(), Rule::Max, *n, true);
                (
                    Some(e.past),
                    Some(e.at),
                    Rule::Max,
                    Some(e.limit),
                    Some(e.found),
                )
            }
            Consequence::Min(n) => {
                let e = number_edge(String::new(), Rule::Min, *n, false);
                (
                    Some(e.past),
                    Some(e.at),
                    Rule::Min,
                    Some(e.limit),
                    Some(e.found),
                )
            }
            Consequence::Compare(op, other) => {
                let other_value = Slot::of(other)
                    .get(call)
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                    .unwrap_or(1_000);
                let (bad, good) = match op {
                    CompareOp::LessThan => (other_value, other_value - 1),
                    CompareOp::LessOrEqual => (other_value + 1, other_value),
                    CompareOp::GreaterThan => (other_value, other_value + 1),
                    CompareOp::GreaterOrEqual => (other_value - 1, other_value),
                };
                let rule = match op {
                    CompareOp::LessThan => Rule::LessThan,
                    CompareOp::LessOrEqual => Rule::LessOrEqual,
                    CompareOp::GreaterThan => Rule::GreaterThan,
                    CompareOp::GreaterOrEqual => Rule::GreaterOrEqual,
                };
                (
                    Some(as_field(bad)),
                    Some(as_field(good)),
                    rule,
                    Some(other.wire()),
                    Some(bad.to_string()),
                )
            }
        };
        let broken = Broken {
            path: rule.then.wire(),
            rule: broken_rule,
            limit_mentions: limit.into_iter().collect(),
            actual_mentions: found.into_iter().collect(),
            condition: Some(rule.condition_text()),
        };
        (breaking, respecting, broken)
    }

    /// Values of the condition's field that make it hold (`None`: unset).
    fn hold_values(&self, rule: &SpecRule) -> Vec<Option<Value>> {
        let Some(when) = &rule.when else {
            return Vec::new();
        };
        let field = self.field_at(&when.field);
        match &when.test {
            Test::Equals(v) => vec![Some(literal(v))],
            Test::In(vs) => vs.iter().map(|v| Some(literal(v))).collect(),
            Test::NotEquals(v) => self.others(field, &[literal(v)]),
            Test::NotIn(vs) => self.others(field, &vs.iter().map(literal).collect::<Vec<_>>()),
            Test::IsSet(true) => vec![Some(sample(self.model, field))],
            Test::IsSet(false) => vec![None],
            Test::NonEmpty => vec![Some(items(self.model, field, None, 1))],
        }
    }

    /// Valid values of the condition's field that make it false (`None`: unset).
    fn off_values(&self, rule: &SpecRule) -> Vec<Option<Value>> {
        let Some(when) = &rule.when else {
            return Vec::new();
        };
        let field = self.field_at(&when.field);
        match &when.test {
            Test::Equals(v) => self.others(field, &[literal(v)]),
            Test::In(vs) => self.others(field, &vs.iter().map(literal).collect::<Vec<_>>()),
            Test::NotEquals(v) => vec![Some(literal(v))],
            Test::NotIn(vs) => vs.iter().map(|v| Some(literal(v))).collect(),
            Test::IsSet(true) => vec![None],
            Test::IsSet(false) => vec![Some(sample(self.model, field))],
            Test::NonEmpty => vec![Some(items(self.model, field, None, 0)), None],
        }
    }

    /// Valid values of `field` other than `taken`.
    fn others(&self, field: &Field, taken: &[Value]) -> Vec<Option<Value>> {
        let candidates: Vec<Value> = match &field.ty {
            _ if !field.limits.allowed.is_empty() => {
                field.limits.allowed.iter().map(literal).collect()
            }
            Ty::Bool => vec![json!(true), json!(false)],
            Ty::Enum(name) => {
                let def = self.model.enum_def(name).expect("enums resolve");
                def.values.iter().map(|v| json!(v.value)).collect()
            }
            Ty::Int | Ty::Long => {
                // Next to the values taken, then the field's own bounds: kept within its limits.
                let l = &field.limits;
                let (lo, hi) = (l.min.map(Number::as_f64), l.max.map(Number::as_f64));
                let max = taken.iter().filter_map(Value::as_i64).max().unwrap_or(0);
                let min = taken.iter().filter_map(Value::as_i64).min().unwrap_or(0);
                let bounds = [lo, hi].into_iter().flatten().map(|b| b as i64);
                [max + 1, min - 1]
                    .into_iter()
                    .chain(bounds)
                    .filter(|n| lo.is_none_or(|lo| *n as f64 >= lo))
                    .filter(|n| hi.is_none_or(|hi| *n as f64 <= hi))
                    .map(|n| json!(n))
                    .collect()
            }
            Ty::Float => {
                let max = taken.iter().filter_map(Value::as_f64).fold(0.0, f64::max);
                vec![json!(max + 1.0)]
            }
            _ => vec![json!("some other value")],
        };
        candidates
            .into_iter()
            .filter(|v| !taken.contains(v))
            .map(Some)
            .collect()
    }

    /// The field a rule's path ends at.
    fn field_at(&self, path: &FieldPath) -> &Field {
        let mut fields = &self.endpoint.fields;
        let mut found = None;
        for step in &path.steps {
            let field = fields
                .iter()
                .find(|f| f.wire == step.wire)
                .expect("rule paths resolve");
            if let Ty::Object(name) = &field.ty {
                fields = &self.model.object(name).expect("objects resolve").fields;
            }
            found = Some(field);
        }
        found.expect("a rule path has a step")
    }

    /// `call` with every object on `path` present (made with its required fields if missing).
    fn with_parents(&self, call: &Value, path: &FieldPath) -> Value {
        let mut call = call.clone();
        for n in 1..path.steps.len() {
            let slot = Slot(Slot::of(path).0[..n].to_vec());
            if slot.get(&call).is_none() {
                let Ty::Object(name) = &path.steps[n - 1].ty else {
                    unreachable!("paths go through objects")
                };
                let object = self.model.object(name).expect("objects resolve");
                call = slot.set(&call, object_of(self.model, &object.fields));
            }
        }
        call
    }
}

/// A value for the field a comparison rule compares with: 1000 kept inside its limits, so the
/// compared field can sit one above or below it.
fn compared_value(field: &Field) -> Value {
    let l = &field.limits;
    let mut n = 1000.0_f64;
    if let Some(max) = l.max {
        n = n.min(max.as_f64() - 1.0);
    }
    if let Some(min) = l.min {
        n = n.max(min.as_f64() + 1.0);
    }
    match field.ty.is_string() {
        true => json!((n as i64).to_string()),
        false => json!(n as i64),
    }
}

/// An object with only its required fields, each a valid sample.
fn object_of(model: &Model, fields: &[Field]) -> Value {
    let required = fields.iter().filter(|f| f.required);
    Value::Object(
        required
            .map(|f| (f.wire.clone(), sample(model, f)))
            .collect(),
    )
}

/// A valid value of `f` under its limits.
fn sample(model: &Model, f: &Field) -> Value {
    let l = &f.limits;
    if let Some(first) = l.allowed.first() {
        return literal(first);
    }
    match &f.ty {
        Ty::String => {
            let plain = "v".repeat(l.min_chars.unwrap_or(1).max(1) as usize);
            let pattern = l.pattern.as_deref().and_then(Pattern::new);
            let (min, max) = (l.min_chars.unwrap_or(0), l.max_chars.unwrap_or(u64::MAX));
            match pattern {
                Some(p) if !p.is_match(&plain) => {
                    json!(p.matching(min, max, f.length_unit).unwrap_or(plain))
                }
                _ => json!(plain),
            }
        }
        Ty::Json => json!(text(l.min_chars.unwrap_or(2).max(2), f.length_unit, true)),
        Ty::Int | Ty::Long | Ty::Float => {
            let (min, max) = (l.min.map(Number::as_f64), l.max.map(Number::as_f64));
            let n = min.unwrap_or(0.0).min(max.unwrap_or(f64::MAX));
            if f.ty == Ty::Float {
                json!(n)
            } else {
                json!(n as i64)
            }
        }
        Ty::List(_) | Ty::Map(_) => items(model, f, None, l.min_items.unwrap_or(0)),
        other => item_of(model, other, 0),
    }
}

/// `n` items of the list (or entries of the map) `f`, copies of `template` when given; string
/// items match the field's pattern, which applies to each item.
fn items(model: &Model, f: &Field, template: Option<&Value>, n: u64) -> Value {
    let (Ty::List(item) | Ty::Map(item)) = &f.ty else {
        unreachable!("item counts apply to lists and maps")
    };
    let pattern = f.limits.pattern.as_deref().and_then(Pattern::new);
    let one = |i| match (template, &pattern) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) if **item == Ty::String => json!(p.nth_match(i)),
        (None, _) => item_of(model, item, i),
    };
    match f.ty {
        Ty::Map(_) => Value::Object((0..n).map(|i| (format!("k{i}"), one(i))).collect()),
        _ => Value::Array((0..n).map(one).collect()),
    }
}

/// A value of a list item's type; items carry no limits of their own.
fn item_of(model: &Model, ty: &Ty, i: u64) -> Value {
    match ty {
        Ty::String => json!(format!("id{i}")),
        Ty::Json => json!("{}"),
        Ty::Int | Ty::Long => json!(i),
        Ty::Float => json!(i as f64 + 0.5),
        Ty::Any => json!({ "k": i }),
        Ty::Bool => json!(false),
        Ty::Enum(name) => json!(model.enum_def(name).expect("enums resolve").values[0].value),
        Ty::Object(name) => object_of(model, &model.object(name).expect("objects resolve").fields),
        Ty::List(_) => json!([]),
        Ty::Map(_) => json!({}),
    }
}

/// `call` with the field at `slot` set to `value`, or removed for `None`.
fn then_set(slot: &Slot, call: &Value, value: &Option<Value>) -> Value {
    match value {
        Some(v) => slot.set(call, v.clone()),
        None => slot.remove(call),
    }
}

/// The wire value of a literal: enums as their integer.
fn literal(v: &Literal) -> Value {
    match v {
        Literal::Bool(b) => json!(b),
        Literal::Int(i) => json!(i),
        Literal::Float(f) => json!(f),
        Literal::Str(s) => json!(s),
        Literal::Enum { value, .. } => json!(value),
    }
}

fn satisfies(test: &Test, value: &Literal) -> bool {
    match test {
        Test::Equals(v) => v == value,
        Test::In(vs) => vs.contains(value),
        Test::NotEquals(v) => v != value,
        Test::NotIn(vs) => !vs.contains(value),
        Test::IsSet(set) => *set,
        Test::NonEmpty => false,
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

/// A value of the allowed set's type that the set lacks.
fn outside(allowed: &[Literal]) -> Value {
    let ints: Vec<i64> = allowed
        .iter()
        .filter_map(|v| {
            if let Literal::Int(i) = v {
                Some(*i)
            } else {
                None
            }
        })
        .collect();
    match ints.iter().max() {
        Some(max) => json!(max + 1),
        None => json!("not-an-allowed-value"),
    }
}

/// A value shown in a label: numbers and short strings whole, long strings by length.
fn short(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() > 24 => {
            format!("{} UTF-16 units", s.encode_utf16().count())
        }
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("{} items", items.len()),
        other => other.to_string(),
    }
}
