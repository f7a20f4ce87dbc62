//! Rules of every kind and both severities, some chained (a rule's condition on a field another
//! rule constrains). Each consequence is chosen so that the generated request satisfies it
//! whether or not its condition holds: the request stays valid, and the rule still reaches the
//! generated validator, docs and limits.

use serde_json::{json, Map, Value};
use serde_yaml::Value as Yaml;

use super::types::{to_yaml, FieldDef, Ty};
use super::values::units;
use super::{map, Env};

/// A rule target: a dotted wire path, its field, and its value in the request.
struct Target {
    path: String,
    field: FieldDef,
    value: Option<Value>,
}

fn targets(env: &Env, fields: &[FieldDef], request: &Map<String, Value>) -> Vec<Target> {
    let mut out = Vec::new();
    for f in fields {
        let value = request.get(&f.wire).cloned();
        if f.wire.contains('.') {
            continue; // a dotted wire name cannot be told from a path into an object
        }
        if let Ty::Object(i) = f.ty {
            for sub in &env.reg.objects[i].fields {
                if sub.wire.contains('.') {
                    continue;
                }
                out.push(Target {
                    path: format!("{}.{}", f.wire, sub.wire),
                    field: sub.clone(),
                    value: value.as_ref().and_then(|v| v.get(&sub.wire)).cloned(),
                });
            }
        }
        out.push(Target {
            path: f.wire.clone(),
            field: f.clone(),
            value,
        });
    }
    out
}

pub fn rules(env: &mut Env, fields: &[FieldDef], request: &Map<String, Value>) -> Vec<Yaml> {
    let targets = targets(env, fields, request);
    if targets.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut previous_then: Option<usize> = None;
    for _ in 0..env.rng.range(0, 5) {
        let when = match previous_then {
            // Chained: this rule's condition reads the field the previous rule constrains.
            Some(i) if env.rng.chance(50) => i,
            _ => env.rng.below(targets.len()),
        };
        let unconditional = env.rng.chance(15);
        let Some(then) = (0..10)
            .map(|_| env.rng.below(targets.len()))
            .find(|&t| t != when && !related(&targets[t].path, &targets[when].path))
        else {
            continue;
        };
        let Some(consequence) = consequence(env, &targets, then) else {
            continue;
        };
        let mut entries = Vec::new();
        if !unconditional {
            let Some(condition) = condition(env, &targets[when]) else {
                continue;
            };
            entries.push(("when", condition));
        }
        entries.push(("then", consequence));
        match env.rng.below(3) {
            0 => entries.push(("severity", Yaml::from("warning"))),
            1 => entries.push(("severity", Yaml::from("error"))),
            _ => {}
        }
        entries.push(("description", env.prose()));
        if env.rng.chance(30) {
            entries.push(("sources", env.sources()));
        }
        out.push(map(entries));
        previous_then = Some(then);
    }
    out
}

/// A path and a path into it (or the reverse) name overlapping values.
fn related(a: &str, b: &str) -> bool {
    a.starts_with(&format!("{b}.")) || b.starts_with(&format!("{a}."))
}

/// A test of `t`'s value; `None` when none can vary (a required field with no values to compare).
fn condition(env: &mut Env, t: &Target) -> Option<Yaml> {
    let field = ("field", Yaml::from(t.path.as_str()));
    let candidates = comparable_values(env, &t.field);
    let list_like = matches!(t.field.ty, Ty::List(_) | Ty::Map(_));
    let pick = env.rng.below(6);
    let test = match pick {
        0..=3 if !candidates.is_empty() => {
            let one = to_yaml(env.rng.pick(&candidates));
            let some = Yaml::Sequence(candidates.iter().take(2).map(to_yaml).collect());
            // Excluding every value the field can take makes a rule that never applies, which
            // the checker refuses: over a closed set, exclude a strict subset.
            let (distinct, exhaustive) = exhaustive(&t.field, &candidates);
            let excluded = if exhaustive {
                distinct.len().saturating_sub(1).min(2)
            } else {
                distinct.len().min(2)
            };
            let none_left = excluded == 0;
            let not_one = to_yaml(&distinct[0]);
            let not_some = Yaml::Sequence(distinct.iter().take(excluded).map(to_yaml).collect());
            match pick {
                0 => ("equals", one),
                1 => ("in", some),
                2 if !none_left => ("not_equals", not_one),
                3 if !none_left => ("not_in", not_some),
                _ => ("equals", one),
            }
        }
        4 if list_like => ("non_empty", Yaml::Bool(true)),
        // A required field is always set: testing it would be a condition that cannot vary.
        _ if t.field.required => return None,
        _ => ("is_set", Yaml::Bool(env.rng.chance(50))),
    };
    Some(map(vec![field, test]))
}

/// The distinct values among `candidates`, and whether they are every value the field may hold
/// in a request (its `allowed` list, a bool, an enum, or an integer range that narrow).
fn exhaustive(f: &FieldDef, candidates: &[Value]) -> (Vec<Value>, bool) {
    let mut distinct: Vec<Value> = Vec::new();
    for c in candidates {
        if !distinct.contains(c) {
            distinct.push(c.clone());
        }
    }
    let closed = f.allowed.is_some()
        || matches!(f.ty, Ty::Bool | Ty::Enum(_))
        || match (
            f.min.as_ref().and_then(Value::as_i64),
            f.max.as_ref().and_then(Value::as_i64),
        ) {
            (Some(lo), Some(hi)) => hi - lo <= 1,
            _ => false,
        };
    (distinct, closed)
}

/// Values a condition may compare the field with: valid values of its type and limits.
fn comparable_values(env: &mut Env, f: &FieldDef) -> Vec<Value> {
    if let Some(allowed) = &f.allowed {
        return allowed.clone();
    }
    match &f.ty {
        Ty::Bool => vec![json!(true), json!(false)],
        Ty::Enum(i) => {
            let e = &env.reg.enums[*i];
            // By name, or now and then by number.
            e.values
                .iter()
                .map(|(name, n)| {
                    if env.rng.chance(70) {
                        json!(name)
                    } else {
                        json!(n)
                    }
                })
                .collect()
        }
        Ty::Int | Ty::Long => {
            let lo = f.min.as_ref().and_then(Value::as_i64).unwrap_or(-5);
            let hi = f.max.as_ref().and_then(Value::as_i64).unwrap_or(lo + 10);
            vec![json!(lo), json!(hi)]
        }
        _ => Vec::new(),
    }
}

/// A constraint on `targets[t]` that the request satisfies.
fn consequence(env: &mut Env, targets: &[Target], t: usize) -> Option<Yaml> {
    let target = &targets[t];
    let f = &target.field;
    let field = ("field", Yaml::from(target.path.as_str()));
    let unit = f.length_unit.unwrap_or(env.unit);
    let Some(value) = &target.value else {
        if f.required {
            return None;
        }
        return Some(match compare_with(env, targets, t) {
            Some(c) if env.rng.chance(40) => map(vec![field, c]),
            _ => map(vec![field, ("absent", Yaml::Bool(true))]),
        });
    };
    let mut options: Vec<(&str, Yaml)> = Vec::new();
    if !f.required {
        options.push(("present", Yaml::Bool(true)));
    }
    match (&f.ty, value) {
        (Ty::List(_), Value::Array(items)) => options.push((
            "max_items",
            tighter(env, items.len() as u64, f.min_items, f.max_items),
        )),
        (Ty::Map(_), Value::Object(items)) => options.push((
            "max_items",
            tighter(env, items.len() as u64, f.min_items, f.max_items),
        )),
        (Ty::Str, Value::String(s)) => options.push((
            "max_chars",
            tighter(env, units(s, unit), f.min_chars, f.max_chars),
        )),
        (Ty::Int | Ty::Long, Value::Number(n)) => {
            let v = n.as_i64().unwrap();
            let hi = f.max.as_ref().and_then(Value::as_i64).unwrap_or(v + 10);
            let lo = f.min.as_ref().and_then(Value::as_i64).unwrap_or(v - 10);
            options.push(("max", Yaml::Number(env.rng.range(v, hi.max(v)).into())));
            options.push(("min", Yaml::Number(env.rng.range(lo.min(v), v).into())));
        }
        (Ty::Float, Value::Number(n)) => {
            let v = n.as_f64().unwrap();
            options.push(("max", to_yaml(&json!(v + 0.25))));
            options.push(("min", to_yaml(&json!(v - 0.25))));
        }
        _ => {}
    }
    if let Some(c) = compare_with(env, targets, t) {
        options.push(c);
    }
    if options.is_empty() {
        return None;
    }
    let i = env.rng.below(options.len());
    Some(map(vec![field, options.swap_remove(i)]))
}

/// A conditional upper limit `n` with `current <= n`, never under the field's own minimum
/// (nor 0), never over its own maximum.
fn tighter(env: &mut Env, current: u64, own_min: Option<u64>, own_max: Option<u64>) -> Yaml {
    let lo = current.max(own_min.unwrap_or(0)).max(1);
    let hi = own_max.unwrap_or(lo + 3).max(lo);
    Yaml::Number(env.rng.range(lo as i64, hi as i64).into())
}

/// A comparison with another top-level number field of the same type that the request
/// satisfies (or that is skipped because one side is unset).
fn compare_with(env: &mut Env, targets: &[Target], t: usize) -> Option<(&'static str, Yaml)> {
    let me = &targets[t];
    if !me.field.ty.is_number() || me.path.contains('.') {
        return None;
    }
    let others: Vec<&Target> = targets
        .iter()
        .enumerate()
        .filter(|(i, o)| *i != t && o.field.ty == me.field.ty && !o.path.contains('.'))
        .map(|(_, o)| o)
        .collect();
    if others.is_empty() {
        return None;
    }
    let other = others[env.rng.below(others.len())];
    let (a, b) = match (&me.value, &other.value) {
        (Some(a), Some(b)) => (a.as_f64().unwrap(), b.as_f64().unwrap()),
        _ => (0.0, 0.0),
    };
    let both = me.value.is_some() && other.value.is_some();
    let mut ops = Vec::new();
    if !both || a < b {
        ops.push("less_than");
    }
    if !both || a <= b {
        ops.push("less_or_equal");
    }
    if !both || a > b {
        ops.push("greater_than");
    }
    if !both || a >= b {
        ops.push("greater_or_equal");
    }
    let op = *env.rng.pick(&ops);
    Some((op, Yaml::from(other.path.as_str())))
}
