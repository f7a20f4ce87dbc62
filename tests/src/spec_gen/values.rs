//! Constraints for a field of each type, and values drawn to satisfy them.

use serde_json::{json, Map, Value};
use serde_yaml::Value as Yaml;

use super::rng::Rng;
use super::types::{FieldDef, Registry, Ty};

type Gen = fn(&mut Rng) -> String;

/// Patterns the format allows (whole-value regular expressions) with a generator of matches.
pub const PATTERNS: &[(&str, Gen)] = &[
    ("[a-z0-9_]+", |r| class(r, "abcxyz0129_", 1, 8)),
    ("[^|]+\\|[123]\\|[^|]+", |r| {
        format!(
            "{}|{}|{}",
            class(r, "ab é/%批😀 ", 1, 4),
            r.range(1, 3),
            class(r, "xy?#&+😀", 1, 4)
        )
    }),
    ("[a-z]+@[a-z]+\\.[a-z]{2,3}", |r| {
        let tld_len = r.range(2, 3) as usize;
        format!(
            "{}@{}.{}",
            class(r, "mailbox", 1, 6),
            class(r, "example", 1, 6),
            class(r, "comnet", tld_len, tld_len)
        )
    }),
    ("[0-9]{3}-[A-Z]{2}", |r| {
        format!(
            "{}-{}",
            class(r, "0123456789", 3, 3),
            class(r, "ABCXYZ", 2, 2)
        )
    }),
    ("\\d+(\\.\\d+)?", |r| {
        format!("{}.{}", r.range(0, 999), r.range(0, 99))
    }),
];

/// The longest match any generator above makes, in UTF-8 bytes (the largest unit).
const PATTERN_MAX_BYTES: u64 = 40;

fn class(rng: &mut Rng, chars: &str, min: usize, max: usize) -> String {
    let chars: Vec<char> = chars.chars().collect();
    let n = rng.range(min as i64, max as i64);
    (0..n).map(|_| *rng.pick(&chars)).collect()
}

/// Characters that need escaping somewhere: in a path segment, a query, a form, JSON, a
/// comma-joined list; and ones counted differently in UTF-16, chars and bytes.
const POOL: &[char] = &[
    'a', 'b', 'Z', '0', '9', ' ', '|', '/', '%', '?', '#', '&', '=', '+', ',', '"', '\\', '\'',
    '<', '>', 'é', '批', '😀', '.', '-', '_', '~', '*', ':', '@', '!', '$', '(', ')', ';', '[',
    ']', '{', '}', '\n',
];

pub fn units(s: &str, unit: &str) -> u64 {
    match unit {
        "utf16" => s.encode_utf16().count() as u64,
        "bytes" => s.len() as u64,
        _ => s.chars().count() as u64,
    }
}

/// Picks the limits of `f` for its type: constraints first, values drawn later.
pub fn constrain(rng: &mut Rng, f: &mut FieldDef) {
    match f.ty.clone() {
        Ty::Str => {
            if rng.chance(25) {
                f.pattern = Some(rng.below(PATTERNS.len()));
                if rng.chance(50) {
                    f.max_chars = Some(PATTERN_MAX_BYTES);
                }
            } else if rng.chance(15) {
                f.allowed = Some(vec![json!("plain"), json!("fan|cy"), json!("a b/é")]);
            } else if rng.chance(60) {
                f.max_chars = Some(rng.range(2, 12) as u64);
                if rng.chance(30) {
                    f.min_chars = Some(rng.range(1, 2) as u64);
                }
            }
            if rng.chance(30) {
                f.length_unit = Some(*rng.pick(&["utf16", "chars", "bytes"]));
            }
        }
        Ty::Int | Ty::Long => {
            if rng.chance(15) {
                f.allowed = Some(vec![json!(0), json!(5), json!(-3)]);
            } else if rng.chance(50) {
                let lo = rng.range(-100, 10);
                f.min = Some(json!(lo));
                f.max = Some(json!(lo + rng.range(1, 1000)));
            } else if rng.chance(30) {
                f.max = Some(json!(rng.range(0, 50)));
            }
        }
        Ty::Float if rng.chance(50) => {
            let lo = rng.range(-20, 5) as f64 + 0.5;
            f.min = Some(json!(lo));
            f.max = Some(json!(lo + rng.range(3, 40) as f64));
        }
        Ty::Json if rng.chance(30) => f.max_chars = Some(60),
        Ty::List(item) | Ty::Map(item) => {
            if rng.chance(30) {
                f.min_items = Some(1);
            }
            if rng.chance(50) {
                f.max_items = Some(rng.range(2, 5) as u64);
            }
            if *item == Ty::Str && matches!(f.ty, Ty::List(_)) && rng.chance(20) {
                f.pattern = Some(rng.below(PATTERNS.len()));
            }
        }
        _ => {}
    }
    if f.has_upper_limit() && rng.chance(30) {
        let over = *rng.pick(&["refused", "truncated"]);
        f.extra
            .insert(super::types::key("over_limit"), Yaml::from(over));
    }
}

/// A value of `f` that satisfies every limit it states. `unit` is the spec's default length
/// unit; `no_comma` keeps commas out of strings that travel comma-joined.
pub fn draw(rng: &mut Rng, f: &FieldDef, reg: &Registry, unit: &str, no_comma: bool) -> Value {
    let unit = f.length_unit.unwrap_or(unit);
    if let Some(allowed) = &f.allowed {
        return rng.pick(allowed).clone();
    }
    match &f.ty {
        Ty::Bytes => {
            use base64::Engine as _;
            let len = rng_len(
                rng,
                f.min_chars.unwrap_or(1).max(1),
                f.max_chars.unwrap_or(10),
            );
            Value::String(
                base64::engine::general_purpose::STANDARD.encode(vec![b'a'; len as usize]),
            )
        }
        Ty::Str => {
            if let Some(p) = f.pattern {
                return Value::String((PATTERNS[p].1)(rng));
            }
            let max = f.max_chars.unwrap_or(10);
            let min = f.min_chars.unwrap_or(1).max(1);
            let len = rng_len(rng, min, max);
            Value::String(text(rng, unit, len, no_comma))
        }
        Ty::Int | Ty::Long => {
            let lo = f.min.as_ref().and_then(Value::as_i64);
            let hi = f.max.as_ref().and_then(Value::as_i64);
            if f.ty == Ty::Long && lo.is_none() && hi.is_none() && rng.chance(40) {
                // Past 2^53: a JSON reader that goes through f64 would change it.
                return json!(*rng.pick(&[9_007_199_254_740_993_i64, -5_000_000_000]));
            }
            json!(rng.range(lo.unwrap_or(-1000), hi.unwrap_or(100_000)))
        }
        Ty::Float => {
            let lo = f.min.as_ref().and_then(Value::as_f64).unwrap_or(-50.5);
            let hi = f.max.as_ref().and_then(Value::as_f64).unwrap_or(50.5);
            // A whole part and a quarter: exact in binary, one spelling in decimal.
            let whole = rng.range(lo.ceil() as i64, hi.floor() as i64 - 1) as f64;
            json!(whole + *rng.pick(&[0.25, 0.5, 0.75]))
        }
        Ty::List(item) => {
            let n = rng_len(
                rng,
                f.min_items.unwrap_or(1).max(1),
                f.max_items.unwrap_or(3),
            );
            let item_def = FieldDef {
                pattern: f.pattern,
                ..FieldDef::new(String::new(), None, (**item).clone())
            };
            let mut items: Vec<Value> = Vec::new();
            // Distinct items (fan-out drops duplicates), as many as a small domain allows.
            for _ in 0..50 {
                if items.len() == n as usize {
                    break;
                }
                let v = draw(rng, &item_def, reg, unit, no_comma);
                if !items.contains(&v) {
                    items.push(v);
                }
            }
            Value::Array(items)
        }
        Ty::Map(item) => {
            let n = rng_len(
                rng,
                f.min_items.unwrap_or(1).max(1),
                f.max_items.unwrap_or(3),
            );
            let item_def = FieldDef::new(String::new(), None, (**item).clone());
            let keys = ["k|1", "key with space", "键", "a/b", "x.y", "\"q\""];
            let mut map = Map::new();
            for k in keys.iter().take(n as usize) {
                map.insert((*k).into(), draw(rng, &item_def, reg, unit, false));
            }
            Value::Object(map)
        }
        // A switch's wire value: the request is built from wire values.
        Ty::Bool if f.encoding == Some("zero_one") => json!(u8::from(rng.chance(50))),
        Ty::Bool => json!(rng.chance(50)),
        Ty::Json => {
            let texts = [
                r#"{"k":[1,"x|y"]}"#,
                "[1,2.5]",
                r#""s""#,
                "42",
                r#"{"n":{"a":null}}"#,
            ];
            let fits: Vec<&&str> = texts
                .iter()
                .filter(|t| f.max_chars.is_none_or(|m| units(t, unit) <= m))
                .collect();
            json!(**rng.pick(&fits))
        }
        Ty::Any => rng
            .pick(&[
                json!({"a": [1, "two", null], "b|c": {"d": 1.5}}),
                json!([true, {"x": "y/z"}]),
                json!(7),
                json!("text|/%"),
            ])
            .clone(),
        Ty::Enum(i) => json!(rng.pick(&reg.enums[*i].values).1),
        Ty::Object(i) => {
            let mut map = Map::new();
            for field in &reg.objects[*i].fields {
                if field.required || rng.chance(60) {
                    map.insert(field.wire.clone(), draw(rng, field, reg, unit, false));
                }
            }
            Value::Object(map)
        }
    }
}

fn rng_len(rng: &mut Rng, min: u64, max: u64) -> u64 {
    rng.range(min as i64, max.max(min) as i64) as u64
}

/// A string of exactly `len` units of `unit`, from [`POOL`].
fn text(rng: &mut Rng, unit: &str, len: u64, no_comma: bool) -> String {
    let mut s = String::new();
    while units(&s, unit) < len {
        let c = *rng.pick(POOL);
        if no_comma && c == ',' {
            continue;
        }
        let mut next = s.clone();
        next.push(c);
        if units(&next, unit) <= len {
            s = next;
        } else {
            s.push('a');
        }
    }
    s
}
