//! Replies (fields, lenient shapes, the example the server answers with, the reply the client
//! must make of it) and fan-out (its recipients, resend, and reply lists).

use serde_json::{json, Map, Value};
use serde_yaml::{Mapping, Value as Yaml};

use super::fields::{choose_type, field, new_object, Place, Taken};
use super::types::{key, FieldDef, ObjectType, Ty};
use super::values::draw;
use super::{map, Env};

pub fn fan_out(
    env: &mut Env,
    taken: &mut Taken,
    fields: &mut Vec<FieldDef>,
    reply_fields: &mut Vec<FieldDef>,
    reply_taken: &mut Taken,
    v1: bool,
    owner: &str,
) -> Yaml {
    let place = if v1 { Place::Text } else { Place::Json };
    let mut recipients = field(env, taken, Ty::List(Box::new(Ty::Str)), place);
    recipients.required = true;
    recipients.default = None;
    recipients.min_items = None;
    recipients.extra.remove(key("deprecated"));
    recipients
        .extra
        .insert(key("x-recipients"), Yaml::Bool(true));
    let mut entries = vec![("recipients", Yaml::from(recipients.wire.as_str()))];
    if recipients.max_items.is_none() {
        entries.push(("chunk_size", Yaml::Number(env.rng.range(1, 50).into())));
    }
    fields.push(recipients);
    if env.rng.chance(50) {
        let f = field(env, reply_taken, Ty::List(Box::new(Ty::Str)), Place::Reply);
        entries.push(("unregistered", Yaml::from(f.wire.as_str())));
        reply_fields.push(f);
    }
    if env.rng.chance(50) {
        let f = field(env, reply_taken, Ty::List(Box::new(Ty::Str)), Place::Reply);
        entries.push(("succeeded", Yaml::from(f.wire.as_str())));
        reply_fields.push(f);
    }
    if env.rng.chance(50) {
        let object = failed_object(env, owner);
        let f = field(
            env,
            reply_taken,
            Ty::List(Box::new(Ty::Object(object))),
            Place::Reply,
        );
        let mut failed = vec![
            ("field", Yaml::from(f.wire.as_str())),
            ("recipient", Yaml::from("who")),
        ];
        if env.rng.chance(50) {
            failed.push(("reason", Yaml::from("why")));
        }
        entries.push(("failed", map(failed)));
        reply_fields.push(f);
    }
    if env.rng.chance(40) {
        let ty = Ty::List(Box::new(Ty::Map(Box::new(Ty::Str))));
        let f = field(env, reply_taken, ty, Place::Reply);
        entries.push(("failed_items", Yaml::from(f.wire.as_str())));
        reply_fields.push(f);
    }
    if v1 && env.rng.chance(60) {
        let mut flag = field(env, taken, Ty::Int, place);
        // `set.field` is a path (`list[].name`, `object.name`): a dotted wire name cannot be named.
        while flag.wire.contains('.') {
            flag = field(env, taken, Ty::Int, place);
        }
        flag.min = None;
        flag.max = None;
        flag.allowed = None;
        flag.default = None;
        flag.extra.remove(key("over_limit"));
        let mut resend = vec![(
            "set",
            map(vec![
                ("field", Yaml::from(flag.wire.as_str())),
                ("value", Yaml::Number(1.into())),
            ]),
        )];
        if env.rng.chance(50) {
            resend.push(("sources", env.sources()));
        }
        entries.push(("resend", map(resend)));
        fields.push(flag);
    }
    if env.rng.chance(50) {
        entries.push(("sources", env.sources()));
    }
    if env.rng.chance(50) {
        entries.push(("note", env.prose()));
    }
    map(entries)
}

/// A reply-only object naming a refused recipient (`who`) and why (`why`).
fn failed_object(env: &mut Env, owner: &str) -> usize {
    let i = new_object(env, Some(owner), true);
    let o: &mut ObjectType = &mut env.reg.objects[i];
    for wire in ["who", "why"] {
        if !o.fields.iter().any(|f| f.wire == wire) {
            let mut f = FieldDef::new(wire.into(), None, Ty::Str);
            f.extra.insert(key("description"), Yaml::from("A string."));
            o.fields.push(f);
        }
    }
    // `who` and `why` must be strings; drop any generated field of those names with another type.
    o.fields
        .retain(|f| !(["who", "why"].contains(&f.wire.as_str()) && f.ty != Ty::Str));
    i
}

/// The reply's YAML, the body the server sends, and what the client must make of it.
pub fn reply(
    env: &mut Env,
    owner: &str,
    v1: bool,
    fields: &mut Vec<FieldDef>,
    taken: &mut Taken,
) -> (Yaml, String, Map<String, Value>) {
    if env.rng.chance(30) {
        new_object(env, Some(owner), true);
    }
    for _ in 0..env.rng.range(0, 4) {
        let ty = choose_type(env, Place::Reply, Some(owner), usize::MAX);
        let f = field(env, taken, ty, Place::Reply);
        fields.push(f);
    }
    let mut canonical = Map::new();
    let mut wire = Map::new();
    let mut field_map = Mapping::new();
    for f in fields.iter_mut() {
        let lenient = lenient(env, &f.ty);
        if !lenient.is_empty() {
            let list = lenient.iter().map(|l| Yaml::from(*l)).collect();
            f.extra.insert(key("lenient"), Yaml::Sequence(list));
        }
        field_map.insert(key(&f.wire), f.yaml(&env.reg));
        if !env.rng.chance(75) {
            continue;
        }
        let unit = env.unit;
        let drawn = draw(&mut env.rng, f, &env.reg, unit, false);
        let value = reply_value(env, &f.ty, &drawn);
        let as_number_text = lenient.contains(&"number_as_string")
            && matches!(f.ty, Ty::Int | Ty::Long)
            && env.rng.chance(60);
        let as_json_text = lenient.contains(&"json_text") && env.rng.chance(60);
        let sent = if as_number_text || as_json_text {
            Value::String(value.to_string())
        } else {
            value.clone()
        };
        canonical.insert(f.wire.clone(), expected_value(env, &f.ty, &value));
        wire.insert(f.wire.clone(), sent);
    }
    let body = if v1 {
        let mut body = Map::new();
        body.insert("code".into(), json!(200));
        body.extend(wire);
        Value::Object(body)
    } else {
        json!({"code": 200, "msg": "success", "data": wire})
    };
    let mut entries = vec![("description", env.prose())];
    if !field_map.is_empty() {
        entries.push(("fields", Yaml::Mapping(field_map)));
    }
    entries.push(("example", Yaml::from(body.to_string())));
    if env.rng.chance(30) {
        entries.push(("example_note", env.prose()));
    }
    (map(entries), body.to_string(), canonical)
}

fn lenient(env: &mut Env, ty: &Ty) -> Vec<&'static str> {
    let mut out = Vec::new();
    if matches!(ty, Ty::List(_) | Ty::Map(_) | Ty::Object(_)) && env.rng.chance(30) {
        out.push("json_text");
    }
    if matches!(ty, Ty::Int | Ty::Long) && env.rng.chance(40) {
        out.push("number_as_string");
    }
    out
}

/// A reply value as the server may send it: an open enum sometimes holds an unlisted value, a
/// `from_scalar` object sometimes arrives as its bare string.
fn reply_value(env: &mut Env, ty: &Ty, value: &Value) -> Value {
    match (ty, value) {
        (Ty::Enum(i), _) if env.reg.enums[*i].open && env.rng.chance(50) => {
            let max = env.reg.enums[*i]
                .values
                .iter()
                .map(|v| v.1)
                .max()
                .unwrap_or(0);
            json!(max + 1000)
        }
        (Ty::Object(i), Value::Object(m)) => {
            if let Some(field) = env.reg.objects[*i].from_scalar.clone() {
                if env.rng.chance(50) {
                    return json!(format!("bare|{}", field.len()));
                }
            }
            let fields = env.reg.objects[*i].fields.clone();
            let mut out = Map::new();
            for (k, v) in m {
                let ty = fields.iter().find(|f| &f.wire == k).map(|f| f.ty.clone());
                out.insert(k.clone(), ty.map_or(v.clone(), |t| reply_value(env, &t, v)));
            }
            Value::Object(out)
        }
        (Ty::List(item), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| reply_value(env, item, v)).collect())
        }
        (Ty::Map(item), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), reply_value(env, item, v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// What the client must make of a reply value: a bare string for a `from_scalar` object is the
/// object with only that field.
fn expected_value(env: &Env, ty: &Ty, value: &Value) -> Value {
    match (ty, value) {
        (Ty::Object(i), Value::String(s)) => {
            let field = env.reg.objects[*i].from_scalar.clone().unwrap();
            json!({ field: s })
        }
        (Ty::Object(i), Value::Object(m)) => {
            let fields = &env.reg.objects[*i].fields;
            Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let ty = fields.iter().find(|f| &f.wire == k).map(|f| f.ty.clone());
                        (
                            k.clone(),
                            ty.map_or(v.clone(), |t| expected_value(env, &t, v)),
                        )
                    })
                    .collect(),
            )
        }
        (Ty::List(item), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| expected_value(env, item, v)).collect())
        }
        (Ty::Map(item), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), expected_value(env, item, v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}
