//! One endpoint: route, fields in every place, paging, fan-out, rate limit, provenance,
//! deprecation, rules, reply, example; and the request the test sends to it.

use serde_json::{Map, Value};
use serde_yaml::{Mapping, Value as Yaml};

use super::fields::{choose_type, field, maybe_default, new_enum, new_object, Place, Taken};
use super::names::endpoint_name;
use super::types::{key, to_yaml, FieldDef, Ty};
use super::values::draw;
use super::{map, reply, rules, type_defs, Call, Env};

pub fn endpoint(env: &mut Env, index: usize, taken_names: &[String]) -> (String, Yaml, Call) {
    let name = endpoint_name(&mut env.rng, taken_names);
    let v1 = env.rng.chance(40);
    let method = if v1 {
        "POST"
    } else {
        *env.rng.pick(&["GET", "POST", "PUT", "PATCH", "DELETE"])
    };
    let has_body = matches!(method, "POST" | "PUT" | "PATCH");
    let body_place = if v1 { Place::Text } else { Place::Json };
    let mut taken = Taken::default();
    let mut fields: Vec<FieldDef> = Vec::new();
    let mut path = if v1 {
        format!("/e{index}/do-it.action")
    } else {
        format!("/v2/e{index}")
    };

    // Endpoint-local types, used by this endpoint's fields or reply only.
    if env.rng.chance(40) {
        let open = env.rng.chance(30);
        new_enum(env, open, Some(&name));
    }
    if env.rng.chance(40) {
        new_object(env, Some(&name), false);
    }

    if !v1 {
        for k in 0..env.rng.range(0, 2) {
            let wire = format!("seg{k}Id");
            taken.wire.push(wire.clone());
            path.push_str(&format!("/part.{k}/{{{wire}}}"));
            let ty = choose_type(env, Place::Path, Some(&name), 0);
            let mut f = FieldDef::new(wire, None, ty);
            super::values::constrain(&mut env.rng, &mut f);
            f.location = Some("path");
            f.required = true;
            if f.ty == Ty::Str && f.pattern.is_none() {
                // Room for the characters a segment must escape (see the request below).
                f.allowed = None;
                f.max_chars = Some(f.max_chars.unwrap_or(0).max(16));
                f.min_chars = None;
            }
            super::fields::describe(env, &mut f, &taken.wire);
            f.extra.remove(key("deprecated"));
            f.extra.remove(key("over_limit"));
            fields.push(f);
        }
    }
    let object_limit = env.reg.objects.len();
    for _ in 0..env.rng.range(1, 7) {
        let in_query = !has_body || env.rng.chance(25);
        let place = if in_query { Place::Text } else { body_place };
        let ty = choose_type(env, place, Some(&name), object_limit);
        let mut f = field(env, &mut taken, ty, place);
        f.location = match (in_query, env.rng.chance(30)) {
            (true, _) => Some("query"),
            (false, true) => Some("body"),
            (false, false) => None,
        };
        f.required = env.rng.chance(35);
        maybe_default(env, &mut f);
        fields.push(f);
    }
    let mut extra_yaml: Vec<(&str, Yaml)> = Vec::new();
    let mut reply_fields: Vec<FieldDef> = Vec::new();
    let mut reply_taken = Taken::default();

    if env.rng.chance(25) {
        let (paging, sent) = paging(
            env,
            &mut taken,
            &mut reply_fields,
            &mut reply_taken,
            has_body,
            v1,
            &name,
        );
        fields.extend(sent);
        extra_yaml.push(("paging", paging));
    }
    if has_body && env.rng.chance(30) {
        let fan_out = reply::fan_out(
            env,
            &mut taken,
            &mut fields,
            &mut reply_fields,
            &mut reply_taken,
            v1,
            &name,
        );
        extra_yaml.push(("fan_out", fan_out));
    }
    for f in fields.iter_mut() {
        if f.required {
            f.default = None;
        }
    }
    for f in fields.iter_mut() {
        f.extra.remove(key("x-recipients"));
    }

    // The request: every required field, and most optional ones.
    let mut request = Map::new();
    for f in &fields {
        if f.required || env.rng.chance(60) {
            let unit = env.unit;
            let no_comma = f.encoding == Some("comma_joined");
            let mut value = draw(&mut env.rng, f, &env.reg, unit, no_comma);
            // In wire terms a json_text value may be given as its JSON text, so a bare string
            // for an `any` field is read as text (and is not JSON): an ambiguity of the dynamic
            // API, listed in the fuzzer's report rather than sent here.
            while f.ty == Ty::Any && value.is_string() {
                value = draw(&mut env.rng, f, &env.reg, unit, no_comma);
            }
            if f.location == Some("path") && f.ty == Ty::Str && f.pattern.is_none() {
                // Every character that would leave the segment if sent raw: `/`, `|`, `%`, a
                // space, `?`, `#`, and one outside ASCII.
                let tail = draw(
                    &mut env.rng,
                    &FieldDef::new(String::new(), None, Ty::Int),
                    &env.reg,
                    unit,
                    false,
                );
                value = Value::String(format!(
                    "a/|% ?#é{}",
                    tail.as_i64().unwrap_or(0).rem_euclid(100)
                ));
            }
            if f.location == Some("path") {
                // An empty segment, `.` or `..` is refused before sending (rule path_segment).
                while matches!(value.as_str(), Some("" | "." | "..")) {
                    value = draw(&mut env.rng, f, &env.reg, unit, no_comma);
                }
            }
            request.insert(f.wire.clone(), value);
        }
    }
    let rules = rules::rules(env, &fields, &request);
    // Files are drawn last, from a stream of their own, so the rest of every seed's spec (and
    // the defects its seed was chosen for) stays as it was before the generator knew files.
    let multipart = v1 && files(index, &name, &taken, &mut fields, &mut request);

    let trace_id = (!v1).then(|| format!("fuzz-trace-{index}"));
    let (reply_yaml, reply_body, reply_value) =
        reply::reply(env, &name, v1, &mut reply_fields, &mut reply_taken);
    let call = Call {
        endpoint: name.clone(),
        request: request.clone(),
        trace_id,
        reply_body,
        reply: reply_value,
    };

    let generation = if v1 { "v1" } else { "v2" };
    let mut m = Mapping::new();
    let mut put = |k: &str, v: Yaml| {
        m.insert(key(k), v);
    };
    put("summary", env.prose());
    put("description", env.prose());
    put("api", generation.into());
    put("method", method.into());
    put("path", path.into());
    put(
        "hosts",
        Yaml::Sequence(vec![format!("https://{generation}.fuzz.example").into()]),
    );
    if env.rng.chance(40) {
        put("rate_limit", rate_limit(env));
    }
    if multipart {
        put("body", "multipart".into());
    }
    let deprecated = !taken_names.is_empty() && env.rng.chance(20);
    if deprecated {
        let mut entries = vec![("note", env.prose())];
        if env.rng.chance(70) {
            entries.push((
                "replacement",
                Yaml::from(env.rng.pick(taken_names).as_str()),
            ));
        }
        if env.rng.chance(50) {
            entries.push(("sources", env.sources()));
        }
        put("deprecated", map(entries));
    }
    let local = type_defs(env, Some(&name));
    if !local.is_empty() {
        put("types", Yaml::Mapping(local));
    }
    for (k, v) in extra_yaml {
        put(k, v);
    }
    let sources = env.sources();
    put("sources", sources.clone());
    if env.rng.chance(40) {
        let mut pages = Mapping::new();
        if let Yaml::Sequence(ids) = &sources {
            for id in ids {
                pages.insert(id.clone(), env.prose());
            }
        }
        put(
            "disagreements",
            Yaml::Sequence(vec![map(vec![
                ("topic", env.prose()),
                ("pages", Yaml::Mapping(pages)),
                ("settled", env.prose()),
            ])]),
        );
    }
    put("status_codes", status_codes(env, index));
    let mut field_map = Mapping::new();
    for f in &fields {
        field_map.insert(key(&f.wire), f.yaml(&env.reg));
    }
    put("fields", Yaml::Mapping(field_map));
    if !rules.is_empty() {
        put("rules", Yaml::Sequence(rules));
    }
    put("reply", reply_yaml);
    if env.rng.chance(60) {
        put("example", to_yaml(&Value::Object(request)));
        if env.rng.chance(40) {
            put("example_note", env.prose());
        }
    }
    (name, Yaml::Mapping(m), call)
}

/// Makes about a third of v1 endpoints multipart: one or two `bytes` fields (some required, some
/// limited in size) with values that hold CR, LF, `-` and bytes that are not UTF-8, so a part
/// cut or framed wrongly shows. Returns whether the endpoint became multipart.
fn files(
    index: usize,
    name: &str,
    taken: &Taken,
    fields: &mut Vec<FieldDef>,
    request: &mut Map<String, Value>,
) -> bool {
    use base64::Engine as _;
    let seed = name.bytes().fold(0xF11E_u64 ^ index as u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    });
    let mut rng = super::rng::Rng::new(seed);
    if !rng.chance(35) {
        return false;
    }
    for k in 0..rng.range(1, 2) {
        let wire = format!("upload{k}");
        if taken.wire.contains(&wire) {
            continue;
        }
        let mut f = FieldDef::new(wire.clone(), None, Ty::Bytes);
        f.required = rng.chance(50);
        if rng.chance(50) {
            f.max_chars = Some(rng.range(4, 24) as u64);
            if rng.chance(30) {
                f.min_chars = Some(1);
            }
        }
        f.extra.insert(key("description"), "A file.".into());
        if f.required || rng.chance(70) {
            let len = rng.range(
                f.min_chars.unwrap_or(0) as i64,
                f.max_chars.unwrap_or(24) as i64,
            );
            let bytes: Vec<u8> = (0..len)
                .map(|_| *rng.pick(&[b'\r', b'\n', b'-', 0x00, 0xff, b'a', b'"']))
                .collect();
            let text = base64::engine::general_purpose::STANDARD.encode(bytes);
            request.insert(wire, Value::String(text));
        }
        fields.push(f);
    }
    true
}

/// Cursor or offset paging (time windows need an item object with a time field, which the
/// kitchen sink and the broken specs cover); returns the declaration and the request fields it
/// pages through.
fn paging(
    env: &mut Env,
    taken: &mut Taken,
    reply_fields: &mut Vec<FieldDef>,
    reply_taken: &mut Taken,
    has_body: bool,
    v1: bool,
    owner: &str,
) -> (Yaml, Vec<FieldDef>) {
    let place = if !has_body || env.rng.chance(50) || v1 {
        Place::Text
    } else {
        Place::Json
    };
    let in_body = has_body && (place == Place::Json || (v1 && env.rng.chance(50)));
    let location = if in_body { "body" } else { "query" };
    let item_ty = choose_type(env, Place::Reply, Some(owner), usize::MAX);
    let items = field(env, reply_taken, Ty::List(Box::new(item_ty)), Place::Reply);
    let mut entries = Vec::new();
    let mut sent = Vec::new();
    if env.rng.chance(40) {
        for key in ["offset", "limit"] {
            let ty = if env.rng.chance(50) {
                Ty::Int
            } else {
                Ty::Long
            };
            let mut f = field(env, taken, ty, place);
            f.location = Some(location);
            f.allowed = None;
            f.required = env.rng.chance(50);
            if f.required {
                // A required field with a default is refused.
                f.default = None;
            }
            entries.push((key, Yaml::from(f.wire.as_str())));
            sent.push(f);
        }
        if env.rng.chance(50) {
            let total = field(env, reply_taken, Ty::Int, Place::Reply);
            entries.push(("total", Yaml::from(total.wire.as_str())));
            reply_fields.push(total);
        }
    } else {
        let mut cursor = field(env, taken, Ty::Str, place);
        cursor.location = Some(location);
        cursor.pattern = None;
        cursor.allowed = None;
        cursor.default = None;
        let next = field(env, reply_taken, Ty::Str, Place::Reply);
        entries.push(("cursor", Yaml::from(cursor.wire.as_str())));
        entries.push(("next_cursor", Yaml::from(next.wire.as_str())));
        if env.rng.chance(60) {
            let more = field(env, reply_taken, Ty::Bool, Place::Reply);
            entries.push(("has_more", Yaml::from(more.wire.as_str())));
            reply_fields.push(more);
        }
        reply_fields.push(next);
        sent.push(cursor);
    }
    entries.push(("items", Yaml::from(items.wire.as_str())));
    reply_fields.push(items);
    (map(entries), sent)
}

fn rate_limit(env: &mut Env) -> Yaml {
    let mut entries = vec![
        ("calls", Yaml::Number(env.rng.range(1, 1000).into())),
        ("window_seconds", Yaml::Number(env.rng.range(1, 60).into())),
    ];
    if env.rng.chance(50) {
        entries.push(("block_seconds", Yaml::Number(env.rng.range(1, 600).into())));
    }
    entries.push(("code", Yaml::Number(416.into())));
    if env.rng.chance(60) {
        entries.push(("blocks", Yaml::from(*env.rng.pick(&["app", "endpoint"]))));
    }
    if env.rng.chance(50) {
        let mut plans = Mapping::new();
        let mut plan = vec![
            ("calls", Yaml::Number(env.rng.range(1, 5000).into())),
            ("window_seconds", Yaml::Number(env.rng.range(1, 60).into())),
        ];
        if env.rng.chance(50) {
            plan.push(("note", env.prose()));
        }
        plans.insert(key("premium_plan"), map(plan));
        entries.push(("plans", Yaml::Mapping(plans)));
    }
    if env.rng.chance(50) {
        entries.push(("sources", env.sources()));
    }
    if env.rng.chance(50) {
        entries.push(("note", env.prose()));
    }
    map(entries)
}

fn status_codes(env: &mut Env, index: usize) -> Yaml {
    let mut codes = Mapping::new();
    codes.insert(
        Yaml::Number(200.into()),
        map(vec![("meaning", env.prose())]),
    );
    if env.rng.chance(50) {
        let mut entries = vec![("meaning", env.prose())];
        if env.rng.chance(50) {
            entries.push(("advice", env.prose()));
        }
        codes.insert(Yaml::Number(414.into()), map(entries));
    }
    if env.rng.chance(40) {
        codes.insert(
            Yaml::Number((40400 + index as i64).into()),
            map(vec![
                ("kind", Yaml::from(format!("gone_{index}"))),
                ("meaning", env.prose()),
                ("advice", env.prose()),
            ]),
        );
    }
    Yaml::Mapping(codes)
}
