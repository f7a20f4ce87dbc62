//! Names: endpoint, type and wire names, hostile but valid (dashes, dots, capitals and
//! keywords in wire names with a `rust:` rename; snake names next to keywords; long names).

use super::rng::Rng;

const WORDS: &[&str] = &[
    "send", "msg", "batch", "user", "room", "list", "query", "set", "info", "item", "v2", "x",
];

/// Snake names that are valid identifiers but sit next to keywords, prelude items or methods
/// the client already has.
const NEAR_KEYWORDS: &[&str] = &[
    "type_of",
    "r_type",
    "self_ref",
    "crate_id",
    "async_send",
    "r#",
    "box2",
    "dyn_x",
    "try_it",
    "_private",
    "sends",
    "items_list",
    "new_one",
];

/// Endpoint names the checker must refuse, located: keywords, modules the client always has,
/// `Client`'s own methods, names whose methods would hold `__`.
const REFUSED_ENDPOINTS: &[&str] = &[
    "type",
    "match",
    "fn",
    "async",
    "impl",
    "self",
    "super",
    "crate",
    "types",
    "hosts",
    "dynamic",
    "status",
    "runtime",
    "generated",
    "error",
    "client",
    "fan_out",
    "pacing",
    "auth",
    "endpoint",
    "send",
    "builder",
    "pages",
    "trailing_",
    "double__under",
];
/// Type names the checker must refuse: `Self`, prelude and runtime names.
const REFUSED_TYPES: &[&str] = &[
    "Self", "Result", "Option", "Vec", "String", "Box", "Some", "Ok",
];

/// An endpoint name the checker must refuse (a keyword, a generated module, a `Client` method,
/// a name whose methods would hold `__`). Names that collide with another endpoint's generated
/// method depend on its paging and fan-out: `tests/broken-specs` holds those cases.
pub fn refused_endpoint_name(rng: &mut Rng) -> String {
    rng.pick(REFUSED_ENDPOINTS).to_string()
}

/// A type name the checker must refuse.
pub fn refused_type_name(rng: &mut Rng) -> String {
    rng.pick(REFUSED_TYPES).to_string()
}

/// A snake_case endpoint name not in `taken`.
pub fn endpoint_name(rng: &mut Rng, taken: &[String]) -> String {
    loop {
        let name = match rng.below(10) {
            0..=3 => rng.pick(NEAR_KEYWORDS).to_string(),
            4 => {
                let mut long = String::from("a_very_long_endpoint_name");
                for _ in 0..rng.range(2, 6) {
                    long.push('_');
                    let word: &str = WORDS[rng.below(WORDS.len())];
                    long.push_str(word);
                }
                long
            }
            _ => {
                let n = rng.range(1, 3);
                let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
                words.join("_")
            }
        };
        // `Client`'s own methods are names the checker refuses.
        let client_method = codegen::names::CLIENT_METHODS.contains(&name.as_str());
        if name.contains('#') || taken.contains(&name) || client_method {
            continue;
        }
        return name;
    }
}

const TYPE_WORDS: &[&str] = &[
    "Widget", "Msg", "Option2", "Item", "Value", "Client", "Error",
];

/// A PascalCase type name not in `taken`.
pub fn type_name(rng: &mut Rng, taken: &[String]) -> String {
    loop {
        let name = match rng.below(8) {
            0..=2 => format!("A{}", rng.range(0, 99)),
            3 => "AVeryLongTypeNameThatKeepsGoingOnAndOnForTheDocsTable".to_string(),
            _ => format!("{}{}", rng.pick(TYPE_WORDS), rng.range(0, 9)),
        };
        if !taken.contains(&name) {
            return name;
        }
    }
}

/// A wire name and, when its snake form is not a usable Rust name, the `rust:` rename.
pub fn wire_name(rng: &mut Rng, taken_wire: &[String]) -> (String, Option<String>) {
    loop {
        let base = format!("{}{}", rng.pick(WORDS), rng.range(0, 99));
        let (wire, needs_rust) = match rng.below(9) {
            0 => (format!("{base}-id"), true),
            1 => (format!("x.{base}"), true),
            2 => (format!("{}Id", capitalize(&base)), false),
            3 => ("type".to_string(), true),
            4 => ("new".to_string(), true),
            5 => ("数据".to_string(), true),
            6 => (format!("HTTP{base}"), false),
            _ => (base.clone(), false),
        };
        if taken_wire.contains(&wire) {
            continue;
        }
        let rust = needs_rust.then(|| {
            let pick = rng.pick(&["r_", "type_", "self_", "f_"]);
            format!("{pick}{}", taken_wire.len())
        });
        return (wire, rust);
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// A snake_case enum value name.
pub fn value_name(i: usize) -> String {
    [
        "text", "image", "r#type", "self_ref", "none", "other", "some", "x9",
    ]
    .get(i)
    .map(|s| s.replace("r#", "r_"))
    .unwrap_or_else(|| format!("value_{i}"))
}
