//! The spec format is documented and exercised in full: every key the loader accepts
//! (`codegen/src/spec.rs`) is described in `spec/README.md` and used by the kitchen-sink spec
//! (`tests/kitchen-sink/spec/`, which `kitchen_sink.rs` generates, compiles and calls), and so is
//! every value of the keys that take one of a fixed set. A key added to the format without docs
//! or a kitchen-sink use fails here, naming it.

use std::collections::BTreeSet;
use std::fs;

use regex::Regex;

fn read(path: &str) -> String {
    fs::read_to_string(xtask::workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The YAML keys of every struct in `spec.rs`: field names, or their `#[serde(rename = "…")]`.
fn spec_keys(source: &str) -> BTreeSet<String> {
    let field = Regex::new(r"^\s*pub ([a-z_0-9]+): ").unwrap();
    let rename = Regex::new(r#"rename = "([^"]+)""#).unwrap();
    let mut keys = BTreeSet::new();
    let mut renamed: Option<String> = None;
    for line in source.lines() {
        if let Some(c) = rename.captures(line) {
            if line.trim_start().starts_with("#[serde(") {
                renamed = Some(c[1].to_owned());
                continue;
            }
        }
        if let Some(c) = field.captures(line) {
            keys.insert(renamed.take().unwrap_or_else(|| c[1].to_owned()));
        } else if !line.trim_start().starts_with("#[") && !line.trim_start().starts_with("///") {
            renamed = None;
        }
    }
    keys
}

/// The YAML keys of `spec.rs` with the struct that holds each, e.g. `("RateLimit", "note")`:
/// the same reading as [`spec_keys`], for tests that must tell one `note` from another.
pub(crate) fn struct_keys(source: &str) -> BTreeSet<(String, String)> {
    let start = Regex::new(r"^pub struct ([A-Za-z0-9_]+)").unwrap();
    let mut keys = BTreeSet::new();
    let mut current = String::new();
    let mut body = String::new();
    let flush = |current: &str, body: &str, keys: &mut BTreeSet<(String, String)>| {
        for key in spec_keys(body) {
            keys.insert((current.to_owned(), key));
        }
    };
    for line in source.lines() {
        if let Some(c) = start.captures(line) {
            flush(&current, &body, &mut keys);
            current = c[1].to_owned();
            body.clear();
        } else if !current.is_empty() {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&current, &body, &mut keys);
    keys
}

/// The text of `codegen/src/spec.rs`, the format's keys.
pub(crate) fn spec_source() -> String {
    read("codegen/src/spec.rs")
}

/// All YAML text of the kitchen-sink spec.
fn kitchen_sink() -> String {
    let root = xtask::workspace_root().join("tests/kitchen-sink/spec");
    let mut text = fs::read_to_string(root.join("api.yaml")).unwrap();
    text.push_str(&fs::read_to_string(root.join("types.yaml")).unwrap());
    for path in yunxin_tests::spec_edit::endpoint_files(&root) {
        text.push_str(&fs::read_to_string(path).unwrap());
    }
    text
}

/// Whether `yaml` uses `key` as a mapping key (block or flow style), outside comments.
fn uses_key(yaml: &str, key: &str) -> bool {
    let pattern = Regex::new(&format!(r"(^|[\s{{,`])({})\s*:", regex::escape(key))).unwrap();
    yaml.lines()
        .map(|l| l.split(" #").next().unwrap_or(""))
        .filter(|l| !l.trim_start().starts_with('#'))
        .any(|l| pattern.is_match(l))
}

/// Whether `yaml` gives `key` the value `value`, alone or in a flow list.
fn uses_value(yaml: &str, key: &str, value: &str) -> bool {
    let pattern = Regex::new(&format!(
        r"(^|[\s{{,]){}\s*:\s*(\[[^\]]*)?\b{}",
        regex::escape(key),
        regex::escape(value)
    ))
    .unwrap();
    yaml.lines().any(|l| pattern.is_match(l))
}

/// The keys that take one of a fixed set of values, with the set (as the checker accepts it).
const VALUES: &[(&str, &[&str])] = &[
    ("api", &["v1", "v2"]),
    ("method", &["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ("in", &["body", "query", "path"]),
    ("encoding", &["json_text", "comma_joined", "zero_one"]),
    ("over_limit", &["refused", "truncated"]),
    ("lenient", &["json_text", "number_as_string"]),
    ("severity", &["error", "warning"]),
    ("blocks", &["app", "endpoint"]),
    ("length_unit", &["utf16", "chars", "bytes"]),
    (
        "kind",
        &["page", "debug_project", "sdk", "api_list", "enum", "object"],
    ),
    (
        "type",
        &[
            "string",
            "int",
            "long",
            "float",
            "bool",
            "json",
            "any",
            "list<",
            "map<string,",
        ],
    ),
];

#[test]
fn every_key_of_the_format_is_documented_and_in_the_kitchen_sink() {
    let keys = spec_keys(&read("codegen/src/spec.rs"));
    assert!(keys.len() > 60, "too few keys found: {keys:?}");
    let readme = read("spec/README.md");
    let yaml = kitchen_sink();
    let mut missing = Vec::new();
    for key in &keys {
        if !readme.contains(&format!("`{key}`")) && !uses_key(&readme, key) {
            missing.push(format!("spec/README.md does not describe `{key}`"));
        }
        if !uses_key(&yaml, key) {
            missing.push(format!("the kitchen-sink spec does not use `{key}`"));
        }
    }
    for (key, values) in VALUES {
        for value in *values {
            if !uses_value(&yaml, key, value) {
                missing.push(format!("the kitchen-sink spec never sets `{key}: {value}`"));
            }
            if !readme.contains(value) {
                missing.push(format!(
                    "spec/README.md never mentions `{key}` value `{value}`"
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The checks above can fail: a key nobody uses is reported.
#[test]
fn an_unused_key_would_be_reported() {
    let yaml = "a:\n  max_chars: 3 # over_limit: no\n  in: [query]\n";
    assert!(uses_key(yaml, "max_chars"));
    assert!(!uses_key(yaml, "over_limit"), "comments do not count");
    assert!(uses_value(yaml, "in", "query"));
    assert!(!uses_value(yaml, "in", "path"));
    let keys = spec_keys(
        "pub struct A {\n    #[serde(rename = \"in\")]\n    pub location: Option<String>,\n    pub max: u8,\n}\n",
    );
    assert_eq!(keys, BTreeSet::from(["in".to_owned(), "max".to_owned()]));
    let keys = struct_keys(
        "pub struct A {\n    pub note: String,\n}\n\npub struct B {\n    #[serde(rename = \"in\")]\n    pub location: u8,\n    pub note: u8,\n}\n",
    );
    let pair = |s: &str, k: &str| (s.to_owned(), k.to_owned());
    assert_eq!(
        keys,
        BTreeSet::from([pair("A", "note"), pair("B", "in"), pair("B", "note")])
    );
}
