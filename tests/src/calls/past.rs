//! A value one past a documented limit, for fixtures (`past_limits:` in `tests/fixtures`): a
//! fixture that shows the client refusing an over-long value names the field and the limit, and
//! the value is built from the spec, so raising the limit in `spec/` moves the value with it.

use codegen::model::{Consequence, Endpoint, Field, Model, Number, Ty};
use serde_json::{json, Value};

use super::judge::holds;
use super::pattern::Pattern;
use super::{items, text, Slot, Step};

/// `call` with the value at `path` (`alias`, `msgList[0].ext`) one past the tightest `limit`
/// (`max_chars`, `min_chars`, `max_items`, `min_items`, `max` or `min`) that applies to the call:
/// the field's own, or a conditional rule's whose condition holds.
pub fn past_limit(
    model: &Model,
    endpoint: &Endpoint,
    call: &Value,
    path: &str,
    limit: &str,
) -> Result<Value, String> {
    let slot = Slot::parse(path);
    let field = field_at(model, endpoint, &slot).ok_or(format!("`{path}` is not a field"))?;
    let l = &field.limits;
    let own = match limit {
        "max_chars" => l.max_chars.map(|n| n as f64),
        "min_chars" => l.min_chars.map(|n| n as f64),
        "max_items" => l.max_items.map(|n| n as f64),
        "min_items" => l.min_items.map(|n| n as f64),
        "max" => l.max.map(Number::as_f64),
        "min" => l.min.map(Number::as_f64),
        other => return Err(format!("`{other}` is not a limit")),
    };
    let plain = slot.without_indexes();
    let conditional = endpoint
        .rules
        .iter()
        .filter(|r| r.then.wire() == plain && holds(r, call))
        .filter_map(|r| match (&r.consequence, limit) {
            (Consequence::MaxChars(n), "max_chars") | (Consequence::MaxItems(n), "max_items") => {
                Some(*n as f64)
            }
            (Consequence::Max(n), "max") | (Consequence::Min(n), "min") => Some(n.as_f64()),
            _ => None,
        });
    let all = own.into_iter().chain(conditional);
    let upper = limit.starts_with("max");
    let tightest = match upper {
        true => all.reduce(f64::min),
        false => all.reduce(f64::max),
    };
    let n = tightest.ok_or(format!("`{path}` states no {limit}"))?;
    let step = if upper { 1.0 } else { -1.0 };
    let value = match limit {
        "max_chars" | "min_chars" if field.ty == Ty::Bytes => super::file((n + step) as u64),
        "max_chars" | "min_chars" => json!(text_of(field, (n + step) as u64)),
        "max_items" | "min_items" => list_of(model, field, slot.get(call), (n + step) as u64),
        _ if matches!(field.ty, Ty::Int | Ty::Long) && n.fract() == 0.0 => {
            json!(n as i64 + step as i64)
        }
        _ => json!(n + step / 2.0),
    };
    Ok(slot.set(call, value))
}

/// Text `len` long in the field's unit, matching its pattern when it has one.
fn text_of(field: &Field, len: u64) -> String {
    let pattern = field.limits.pattern.as_deref().and_then(Pattern::new);
    let matching = pattern.and_then(|p| p.matching(len, len, field.length_unit));
    matching.unwrap_or_else(|| text(len, field.length_unit, field.ty == Ty::Json))
}

/// `n` items: the call's own items repeated when it has some, else made from the spec.
fn list_of(model: &Model, field: &Field, current: Option<&Value>, n: u64) -> Value {
    match current {
        Some(Value::Array(given)) if !given.is_empty() => {
            Value::Array(given.iter().cycle().take(n as usize).cloned().collect())
        }
        _ => items(model, field, None, n),
    }
}

/// The field at `slot`, through objects and list items.
fn field_at<'m>(model: &'m Model, endpoint: &'m Endpoint, slot: &Slot) -> Option<&'m Field> {
    let mut fields = &endpoint.fields;
    let mut found: Option<&Field> = None;
    for step in &slot.0 {
        let Step::Key(key) = step else { continue };
        if let Some(f) = found {
            let mut ty = &f.ty;
            while let Ty::List(item) = ty {
                ty = item;
            }
            let Ty::Object(name) = ty else { return None };
            fields = &model.object(name)?.fields;
        }
        found = Some(fields.iter().find(|f| &f.wire == key)?);
    }
    found
}
