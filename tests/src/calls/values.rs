//! Valid values built from the model: samples under a field's limits, list items, literals.

use super::*;

/// A value for the field a comparison rule compares with: 1000 kept inside its limits, so the
/// compared field can sit one above or below it.
pub(super) fn compared_value(field: &Field) -> Value {
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
pub(super) fn object_of(model: &Model, fields: &[Field]) -> Value {
    let required = fields.iter().filter(|f| f.required);
    Value::Object(
        required
            .map(|f| (f.wire.clone(), sample(model, f)))
            .collect(),
    )
}

/// A valid value of `f` under its limits.
pub(super) fn sample(model: &Model, f: &Field) -> Value {
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
        Ty::Bytes => file(l.min_chars.unwrap_or(1).max(1)),
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
        // A switch travels as 0 or 1, and its wire form is what calls hold.
        Ty::Bool if f.encoding == codegen::model::Encoding::ZeroOne => json!(0),
        other => item_of(model, other, 0),
    }
}

/// `n` items of the list (or entries of the map) `f`, copies of `template` when given; string
/// items match the field's pattern, which applies to each item.
pub(super) fn items(model: &Model, f: &Field, template: Option<&Value>, n: u64) -> Value {
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
pub(super) fn item_of(model: &Model, ty: &Ty, i: u64) -> Value {
    match ty {
        Ty::String => json!(format!("id{i}")),
        Ty::Json => json!("{}"),
        Ty::Int | Ty::Long => json!(i),
        Ty::Float => json!(i as f64 + 0.5),
        Ty::Any => json!({ "k": i }),
        Ty::Bytes => file(i + 1),
        Ty::Bool => json!(false),
        Ty::Enum(name) => json!(model.enum_def(name).expect("enums resolve").values[0].value),
        Ty::Object(name) => object_of(model, &model.object(name).expect("objects resolve").fields),
        Ty::List(_) => json!([]),
        Ty::Map(_) => json!({}),
    }
}

/// The wire value of a literal: enums as their integer.
pub(super) fn literal(v: &Literal) -> Value {
    match v {
        Literal::Bool(b) => json!(b),
        Literal::Int(i) => json!(i),
        Literal::Float(f) => json!(f),
        Literal::Str(s) => json!(s),
        Literal::Enum { value, .. } => json!(value),
    }
}

pub(super) fn satisfies(test: &Test, value: &Literal) -> bool {
    match test {
        Test::Equals(v) => v == value,
        Test::In(vs) => vs.contains(value),
        Test::NotEquals(v) => v != value,
        Test::NotIn(vs) => !vs.contains(value),
        Test::IsSet(set) => *set,
        Test::NonEmpty => false,
    }
}

/// A value of the allowed set's type that the set lacks.
pub(super) fn outside(allowed: &[Literal]) -> Value {
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
pub(super) fn short(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() > 24 => {
            format!("{} UTF-16 units", s.encode_utf16().count())
        }
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("{} items", items.len()),
        other => other.to_string(),
    }
}
