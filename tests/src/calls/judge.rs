//! An independent judge of a call in wire terms: what the spec says is wrong with it, computed
//! from the model alone (not from the generated validators). The case builder uses it to keep a
//! case to the one violation it is about (chained rules: a value that breaks or switches one
//! rule may switch on another), and tests use it to check the case builder against a spec that
//! has no generated client.

use codegen::model::{
    CompareOp, Consequence, Endpoint, Field, Location, Model, Rule as SpecRule, Severity, Test, Ty,
};
use serde_json::Value;
use yunxin_im::error::Rule;

use super::pattern::Pattern;
use super::{literal, measure, Slot};

/// One thing the spec says is wrong with a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub path: String,
    pub rule: Rule,
    pub warning: bool,
    /// The index of the endpoint's rule that found it; `None` for a field's own limit.
    pub by_rule: Option<usize>,
}

/// Everything wrong with `call`, or why it is not a request at all (a required field missing, a
/// value a closed enum lacks).
pub fn judge(model: &Model, endpoint: &Endpoint, call: &Value) -> Result<Vec<Found>, String> {
    let mut found = Vec::new();
    fields(model, &endpoint.fields, call, "", &mut found)?;
    for (i, rule) in endpoint.rules.iter().enumerate() {
        if let Some(rule_found) = broken_rule(rule, call) {
            found.push(Found {
                by_rule: Some(i),
                ..rule_found
            });
        }
    }
    Ok(found)
}

fn fields(
    model: &Model,
    fields: &[Field],
    at: &Value,
    prefix: &str,
    out: &mut Vec<Found>,
) -> Result<(), String> {
    for f in fields {
        let path = format!("{prefix}{}", f.wire);
        match at.get(&f.wire).filter(|v| !v.is_null()) {
            None if f.required => return Err(format!("required `{path}` is missing")),
            None => {}
            Some(v) => field(model, f, v, &path, out)?,
        }
    }
    Ok(())
}

fn field(
    model: &Model,
    f: &Field,
    v: &Value,
    path: &str,
    out: &mut Vec<Found>,
) -> Result<(), String> {
    let l = &f.limits;
    let truncated = f.over_limit == codegen::model::OverLimit::Truncated;
    let mut push = |rule: Rule, path: &str| {
        let upper = matches!(rule, Rule::MaxChars | Rule::MaxItems | Rule::Max);
        out.push(Found {
            path: path.to_owned(),
            rule,
            warning: upper && truncated,
            by_rule: None,
        })
    };
    if !l.allowed.is_empty() && !l.allowed.iter().any(|a| literal(a) == *v) {
        push(Rule::Allowed, path);
    }
    if f.ty == Ty::Bytes {
        // A file's size in bytes, from its base64.
        if let Some(n) = super::file_size(v) {
            if l.max_chars.is_some_and(|m| n > m) {
                push(Rule::MaxChars, path);
            }
            if l.min_chars.is_some_and(|m| n < m) {
                push(Rule::MinChars, path);
            }
        }
    } else if let Some(text) = v.as_str() {
        let n = measure(text, f.length_unit);
        if l.max_chars.is_some_and(|m| n > m) {
            push(Rule::MaxChars, path);
        }
        if l.min_chars.is_some_and(|m| n < m) {
            push(Rule::MinChars, path);
        }
        if let Some(p) = l.pattern.as_deref().and_then(Pattern::new) {
            if !p.is_match(text) {
                push(Rule::Pattern, path);
            }
        }
        if f.ty == Ty::Json && serde_json::from_str::<Value>(text).is_err() {
            push(Rule::Json, path);
        }
        let segment = f.location == Location::Path && l.pattern.is_none();
        if segment && matches!(text, "" | "." | "..") {
            push(Rule::PathSegment, path);
        }
    }
    if let Some(x) = v.as_f64() {
        if l.max.is_some_and(|m| x > m.as_f64()) {
            push(Rule::Max, path);
        }
        if l.min.is_some_and(|m| x < m.as_f64()) {
            push(Rule::Min, path);
        }
    }
    let count = match v {
        Value::Array(items) => Some(items.len() as u64),
        Value::Object(map) if matches!(f.ty, Ty::Map(_)) => Some(map.len() as u64),
        _ => None,
    };
    if let Some(n) = count {
        if l.max_items.is_some_and(|m| n > m) {
            push(Rule::MaxItems, path);
        }
        if l.min_items.is_some_and(|m| n < m) {
            push(Rule::MinItems, path);
        }
    }
    match (&f.ty, v) {
        (Ty::Enum(name), _) => enum_value(model, name, v, path, out)?,
        (Ty::Object(name), _) => {
            let def = model.object(name).expect("objects resolve");
            fields(model, &def.fields, v, &format!("{path}."), out)?;
        }
        (Ty::List(item), Value::Array(items)) => {
            for (i, value) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match &**item {
                    Ty::Object(name) => {
                        let def = model.object(name).expect("objects resolve");
                        fields(model, &def.fields, value, &format!("{at}."), out)?;
                    }
                    // The validator names the list, not the item, for a value the enum lacks.
                    Ty::Enum(name) => enum_value(model, name, value, path, out)?,
                    _ => {}
                }
                let pattern = l.pattern.as_deref().and_then(Pattern::new);
                if let (Some(p), Some(text)) = (pattern, value.as_str()) {
                    if !p.is_match(text) {
                        out.push(Found {
                            path: at,
                            rule: Rule::Pattern,
                            warning: false,
                            by_rule: None,
                        });
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn enum_value(
    model: &Model,
    name: &str,
    v: &Value,
    path: &str,
    out: &mut Vec<Found>,
) -> Result<(), String> {
    let def = model.enum_def(name).expect("enums resolve");
    if def.values.iter().any(|x| Some(x.value) == v.as_i64()) {
        return Ok(());
    }
    if !def.open {
        return Err(format!("`{path}`: {v} is not a value of {name}"));
    }
    out.push(Found {
        path: path.to_owned(),
        rule: Rule::KnownEnumValue,
        warning: false,
        by_rule: None,
    });
    Ok(())
}

/// Whether `rule`'s condition holds for `call`: on the field's value, else its default.
pub fn holds(rule: &SpecRule, call: &Value) -> bool {
    let Some(when) = &rule.when else { return true };
    let set = Slot::of(&when.field).get(call).filter(|v| !v.is_null());
    let default = when.field.last().default.as_ref().map(literal);
    let effective = set.cloned().or(default);
    let is = |l| effective.as_ref() == Some(&literal(l));
    match &when.test {
        Test::Equals(v) => is(v),
        Test::In(vs) => vs.iter().any(is),
        Test::NotEquals(v) => effective.is_some() && !is(v),
        Test::NotIn(vs) => effective.is_some() && !vs.iter().any(is),
        Test::IsSet(want) => set.is_some() == *want,
        Test::NonEmpty => match set {
            Some(Value::Array(items)) => !items.is_empty(),
            Some(Value::Object(map)) => !map.is_empty(),
            _ => false,
        },
    }
}

/// What `rule` finds wrong with `call`, if anything.
pub fn broken_rule(rule: &SpecRule, call: &Value) -> Option<Found> {
    if !holds(rule, call) {
        return None;
    }
    let then = Slot::of(&rule.then).get(call).filter(|v| !v.is_null());
    let unit = rule.then.last().length_unit;
    let number = |v: &Value| v.as_f64().or_else(|| v.as_str()?.parse().ok());
    let broken = match (&rule.consequence, then) {
        (Consequence::Absent, set) => set.is_some().then_some(Rule::Absent),
        (Consequence::Present, set) => set.is_none().then_some(Rule::Present),
        (_, None) => None,
        (Consequence::MaxItems(n), Some(v)) => {
            let len = v
                .as_array()
                .map(Vec::len)
                .or(v.as_object().map(|m| m.len()));
            len.is_some_and(|len| len as u64 > *n)
                .then_some(Rule::MaxItems)
        }
        (Consequence::MaxChars(n), Some(v)) => v
            .as_str()
            .is_some_and(|t| measure(t, unit) > *n)
            .then_some(Rule::MaxChars),
        (Consequence::Max(n), Some(v)) => number(v)
            .is_some_and(|x| x > n.as_f64())
            .then_some(Rule::Max),
        (Consequence::Min(n), Some(v)) => number(v)
            .is_some_and(|x| x < n.as_f64())
            .then_some(Rule::Min),
        (Consequence::Compare(op, other), Some(v)) => {
            let other = Slot::of(other).get(call).and_then(number);
            match (number(v), other) {
                (Some(a), Some(b)) => compare_broken(*op, a, b),
                _ => None,
            }
        }
    };
    broken.map(|rule_kind| Found {
        path: rule.then.wire(),
        rule: rule_kind,
        warning: rule.severity == Severity::Warning,
        by_rule: None,
    })
}

fn compare_broken(op: CompareOp, a: f64, b: f64) -> Option<Rule> {
    let (ok, rule) = match op {
        CompareOp::LessThan => (a < b, Rule::LessThan),
        CompareOp::LessOrEqual => (a <= b, Rule::LessOrEqual),
        CompareOp::GreaterThan => (a > b, Rule::GreaterThan),
        CompareOp::GreaterOrEqual => (a >= b, Rule::GreaterOrEqual),
    };
    (!ok).then_some(rule)
}

/// Where the judge disagrees with what a case expects, one line per case; empty when the case
/// builder kept every case of `endpoint` to what it is about.
pub fn disagreements(model: &Model, endpoint: &Endpoint, cases: &[super::Case]) -> Vec<String> {
    use super::Expect;
    let mut out = Vec::new();
    for case in cases {
        let got = judge(model, endpoint, &case.call);
        let one = |b: &super::Broken, warning: bool| match &got {
            Ok(v) => {
                v.len() == 1
                    && v[0].path == b.path
                    && v[0].rule == b.rule
                    && v[0].warning == warning
            }
            Err(_) => false,
        };
        let agrees = match &case.expect {
            Expect::Clean => got.as_ref().is_ok_and(Vec::is_empty),
            Expect::Undecodable => got.is_err(),
            Expect::Broken(b) => one(b, false),
            Expect::Warned(b) => one(b, true),
        };
        if !agrees {
            out.push(format!(
                "{}: {}: expected {:?}, the judge found {got:?} in {}",
                case.endpoint, case.label, case.expect, case.call
            ));
        }
    }
    out
}
