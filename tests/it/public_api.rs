//! The error API holds no foreign type: every item `yunxin_im::error` re-exports, read from its
//! source, names no type of reqwest, redis, serde_json or the HTTP stack, so upgrading one of
//! them cannot break a caller's `match`. (The compile case `transport_error_is_not_reqwest`
//! checks the transport variant from a caller's side.)

use std::fs;
use std::path::{Path, PathBuf};

/// Crate paths whose types must not appear in the error API.
const FOREIGN: &[&str] = &[
    "reqwest::",
    "redis::",
    "serde_json::",
    "hyper::",
    "http::",
    "url::",
];

fn client_src() -> PathBuf {
    xtask::workspace_root().join("generated-client/src")
}

/// The body of `pub mod <name> { ... }` in `lib_rs`.
fn module_block<'a>(lib_rs: &'a str, name: &str) -> &'a str {
    let start = lib_rs
        .find(&format!("pub mod {name} {{"))
        .unwrap_or_else(|| panic!("lib.rs has no inline `pub mod {name}`"));
    balanced(&lib_rs[start..])
}

/// `text` up to the end of its first balanced `{ ... }`, or to its first `;` if that comes first.
fn balanced(text: &str) -> &str {
    let mut depth = 0;
    for (at, c) in text.char_indices() {
        match c {
            ';' if depth == 0 => return &text[..=at],
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..=at];
                }
            }
            _ => {}
        }
    }
    text
}

/// `(source file, item name)` for each `pub use crate::<a>::<b>::{...};` of a module block.
fn re_exports(block: &str) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for statement in block.split("pub use crate::").skip(1) {
        let statement = &statement[..statement.find(';').expect("a use ends with ;")];
        let (path, names) = match statement.find("::{") {
            Some(at) => (&statement[..at], &statement[at + 3..statement.len() - 1]),
            None => statement.rsplit_once("::").expect("a path"),
        };
        let file = client_src().join(format!("{}.rs", path.replace("::", "/")));
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            found.push((file.clone(), name.to_owned()));
        }
    }
    found
}

/// The source of `name` in `text` (its definition and the `pub fn` lines of its inherent
/// impls), comments left out; `None` when `text` does not define it.
fn item_source(text: &str, name: &str) -> Option<String> {
    let code: String = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let kinds = ["struct", "enum", "type", "fn", "const", "trait"];
    let start = kinds.iter().find_map(|kind| {
        [" ", "<", "(", ":", "{", ";"]
            .iter()
            .find_map(|end| code.find(&format!("pub {kind} {name}{end}")))
    })?;
    let mut source = balanced(&code[start..]).to_owned();
    let mut rest = code.as_str();
    while let Some(at) = rest.find(&format!("impl {name} {{")) {
        let block = balanced(&rest[at..]);
        for line in block
            .lines()
            .filter(|l| l.trim_start().starts_with("pub fn"))
        {
            source.push('\n');
            source.push_str(line);
        }
        rest = &rest[at + block.len()..];
    }
    Some(source)
}

fn foreign_in(source: &str) -> Vec<&'static str> {
    FOREIGN
        .iter()
        .copied()
        .filter(|f| source.contains(f))
        .collect()
}

#[test]
fn the_error_module_names_no_foreign_type() {
    let lib_rs = fs::read_to_string(client_src().join("lib.rs")).unwrap();
    let items = re_exports(module_block(&lib_rs, "error"));
    assert!(
        items.iter().any(|(_, n)| n == "TransportError"),
        "{items:?}"
    );
    let mut problems = Vec::new();
    for (file, name) in &items {
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Some(source) = item_source(&text, name) else {
            problems.push(format!("{name}: not defined in {}", short(file)));
            continue;
        };
        for foreign in foreign_in(&source) {
            problems.push(format!("{name} ({}) names `{foreign}`", short(file)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn short(file: &Path) -> String {
    file.strip_prefix(client_src())
        .unwrap_or(file)
        .display()
        .to_string()
}

/// The scan sees a foreign type in a variant field and in a method, and only in the item asked.
#[test]
fn the_scan_finds_a_foreign_type_where_it_is() {
    let old = "/// Doc naming reqwest::Error is fine.\npub enum Error {\n    Transport {\n        source: reqwest::Error,\n    },\n}\n\npub struct Fine {\n    pub a: u8,\n}\n\nimpl Fine {\n    pub fn body(&self) -> serde_json::Value {\n        todo!()\n    }\n    fn private(&self) -> redis::Value {\n        todo!()\n    }\n}\n";
    assert_eq!(
        foreign_in(&item_source(old, "Error").unwrap()),
        ["reqwest::"]
    );
    assert_eq!(
        foreign_in(&item_source(old, "Fine").unwrap()),
        ["serde_json::"]
    );
    assert!(item_source(old, "Missing").is_none());
    let block = "pub mod error {\n    pub use crate::runtime::error::{Error, Result};\n    pub use crate::generated::status::ApiErrorKind;\n}";
    let names: Vec<String> = re_exports(block).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["Error", "Result", "ApiErrorKind"]);
}
