//! Fields of every type in every place, with their limits, defaults, prose and deprecation.

use serde_yaml::Value as Yaml;

use super::names::{type_name, value_name, wire_name};
use super::types::{key, EnumType, FieldDef, ObjectType, Ty};
use super::values::{constrain, draw};
use super::{map, Env};

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Place {
    Path,
    /// A query parameter, or a v1 form field: text, so composites need an encoding.
    Text,
    /// A member of a v2 JSON body.
    Json,
    /// A field of an object type.
    Object,
    Reply,
}

/// Names taken in one struct: wire names and Rust names.
#[derive(Default)]
pub struct Taken {
    pub wire: Vec<String>,
}

/// The types the generator may use from an endpoint (or `types.yaml`, `owner` `None`).
fn visible(env: &Env, owner: Option<&str>, reply: bool) -> (Vec<usize>, Vec<usize>) {
    let enums = (0..env.reg.enums.len())
        .filter(|&i| env.reg.enums[i].owner.is_none() || env.reg.enums[i].owner.as_deref() == owner)
        .collect();
    let objects = (0..env.reg.objects.len())
        .filter(|&i| {
            let o = &env.reg.objects[i];
            (o.owner.is_none() || o.owner.as_deref() == owner) && (reply || o.from_scalar.is_none())
        })
        .collect();
    (enums, objects)
}

pub fn scalar(env: &mut Env, place: Place) -> Ty {
    let mut choices = vec![Ty::Str, Ty::Int, Ty::Long];
    if place != Place::Path {
        choices.extend([Ty::Float, Ty::Bool, Ty::Json]);
    }
    env.rng.pick(&choices).clone()
}

/// A type for a field in `place`; objects come from those below `object_limit` (no cycles).
pub fn choose_type(env: &mut Env, place: Place, owner: Option<&str>, object_limit: usize) -> Ty {
    if place == Place::Path {
        return scalar(env, place);
    }
    let (enums, objects) = visible(env, owner, place == Place::Reply);
    let objects: Vec<usize> = objects.into_iter().filter(|&i| i < object_limit).collect();
    let item = |env: &mut Env| -> Ty {
        match env.rng.below(4) {
            0 if !enums.is_empty() => Ty::Enum(*env.rng.pick(&enums)),
            1 if !objects.is_empty() => Ty::Object(*env.rng.pick(&objects)),
            _ => scalar(env, Place::Object),
        }
    };
    match env.rng.below(10) {
        0 | 1 => Ty::List(Box::new(item(env))),
        2 => Ty::Map(Box::new(item(env))),
        3 => Ty::Any,
        4 if !enums.is_empty() => Ty::Enum(*env.rng.pick(&enums)),
        5 if !objects.is_empty() => Ty::Object(*env.rng.pick(&objects)),
        _ => scalar(env, place),
    }
}

/// The encoding a field of `ty` needs in `place`, if any.
pub fn encoding(env: &mut Env, ty: &Ty, place: Place) -> Option<&'static str> {
    if place != Place::Text || ty.is_scalar() {
        return None;
    }
    let joinable = matches!(ty, Ty::List(item) if matches!(**item, Ty::Str | Ty::Int | Ty::Long | Ty::Enum(_)));
    Some(if joinable && env.rng.chance(50) {
        "comma_joined"
    } else {
        "json_text"
    })
}

/// A new field of `ty` in `place` with its limits, default and prose (not its value).
pub fn field(env: &mut Env, taken: &mut Taken, ty: Ty, place: Place) -> FieldDef {
    let (wire, rust) = wire_name(&mut env.rng, &taken.wire);
    taken.wire.push(wire.clone());
    let mut f = FieldDef::new(wire, rust, ty);
    f.encoding = encoding(env, &f.ty, place);
    // Every other sent bool is a 0/1 switch, chosen by its name rather than a draw so that the
    // fixed seeds keep the specs (and the defects) they were chosen for. Replies keep plain
    // bools: paging's `has_more` is one, and the generator writes its replies as `true`/`false`.
    if f.ty == Ty::Bool && place != Place::Reply && f.wire.len().is_multiple_of(2) {
        f.encoding = Some("zero_one");
    }
    if place != Place::Reply {
        constrain(&mut env.rng, &mut f);
        if f.encoding == Some("comma_joined") {
            // A pattern's matches may hold commas, which the joined value could not tell apart.
            f.pattern = None;
        }
    }
    describe(env, &mut f, &taken.wire);
    f
}

/// Description, note, sources, and for an optional field sometimes a default and a deprecation.
pub fn describe(env: &mut Env, f: &mut FieldDef, siblings: &[String]) {
    f.extra.insert(key("description"), env.prose());
    if env.rng.chance(20) {
        f.extra.insert(key("note"), env.prose());
    }
    if env.rng.chance(20) {
        let sources = env.sources();
        f.extra.insert(key("sources"), sources);
    }
    if env.rng.chance(10) {
        let mut entries = vec![("note", deprecation_note(env))];
        let others: Vec<&String> = siblings.iter().filter(|s| **s != f.wire).collect();
        if !others.is_empty() && env.rng.chance(60) {
            entries.push(("replacement", Yaml::from(env.rng.pick(&others).as_str())));
        }
        if env.rng.chance(50) {
            entries.push(("sources", env.sources()));
        }
        f.extra.insert(key("deprecated"), map(entries));
    }
}

/// A field's deprecation note: hostile prose, like every prose key.
fn deprecation_note(env: &mut Env) -> Yaml {
    env.prose()
}

/// Sets a documented default on an optional scalar field now and then; it satisfies the
/// field's own limits, as the format requires.
pub fn maybe_default(env: &mut Env, f: &mut FieldDef) {
    let defaultable = matches!(f.ty, Ty::Str | Ty::Int | Ty::Long | Ty::Float | Ty::Bool);
    if !f.required && defaultable && env.rng.chance(25) {
        let unit = env.unit;
        let drawn = draw(&mut env.rng, f, &env.reg, unit, false);
        // A default is the Rust value the spec states (`true`), not the switch's wire `1`.
        f.default = Some(if f.encoding == Some("zero_one") {
            serde_json::Value::Bool(drawn == 1)
        } else {
            drawn
        });
    }
}

/// The shared types of `types.yaml`: two enums (one open) and objects nesting each other.
pub fn shared_types(env: &mut Env) {
    for open in [false, true] {
        new_enum(env, open, None);
    }
    for _ in 0..env.rng.range(2, 3) {
        new_object(env, None, false);
    }
}

pub fn all_type_names(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = env.reg.enums.iter().map(|e| e.name.clone()).collect();
    names.extend(env.reg.objects.iter().map(|o| o.name.clone()));
    names
}

pub fn new_enum(env: &mut Env, open: bool, owner: Option<&str>) -> usize {
    let taken = all_type_names(env);
    let name = type_name(&mut env.rng, &taken);
    let count = env.rng.range(1, 5) as usize;
    let mut values = Vec::new();
    let mut next = env.rng.range(-2, 3);
    for i in 0..count {
        values.push((value_name(i), next));
        next += env.rng.range(1, 100);
    }
    env.reg.enums.push(EnumType {
        name,
        values,
        open,
        owner: owner.map(str::to_owned),
    });
    env.reg.enums.len() - 1
}

/// An object type whose fields use only objects declared before it; `reply_only` objects may
/// arrive as a bare string (`from_scalar`).
pub fn new_object(env: &mut Env, owner: Option<&str>, reply_only: bool) -> usize {
    let taken = all_type_names(env);
    let name = type_name(&mut env.rng, &taken);
    let limit = env.reg.objects.len();
    let mut taken = Taken::default();
    let mut fields = Vec::new();
    let place = if reply_only {
        Place::Reply
    } else {
        Place::Object
    };
    for _ in 0..env.rng.range(1, 4) {
        let ty = choose_type(env, place, owner, limit);
        let mut f = field(env, &mut taken, ty, place);
        f.required = !reply_only && env.rng.chance(25);
        maybe_default(env, &mut f);
        fields.push(f);
    }
    let from_scalar = if reply_only && env.rng.chance(60) {
        let mut f = FieldDef::new("name_of".into(), None, Ty::Str);
        if !taken.wire.contains(&f.wire) {
            describe(env, &mut f, &taken.wire);
            // from_scalar: every other field optional, and this one a string.
            f.extra.remove(key("deprecated"));
            fields.push(f);
            Some("name_of".to_owned())
        } else {
            None
        }
    } else {
        None
    };
    env.reg.objects.push(ObjectType {
        name,
        fields,
        from_scalar,
        owner: owner.map(str::to_owned),
    });
    env.reg.objects.len() - 1
}
