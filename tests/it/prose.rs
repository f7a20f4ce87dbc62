//! Spec prose never becomes code: every description, note, meaning and advice of the real spec is
//! replaced by hostile markdown (fences, indented code, HTML, links, headings, comment
//! terminators), the spec is generated, and every doc comment of the generated Rust and every
//! docs page is parsed with pulldown-cmark, the markdown parser rustdoc itself uses. No spec text
//! may open a code block (which rustdoc would run as a doctest), raw HTML, a link or a heading.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use codegen::model::Model;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use regex::Regex;
use serde_yaml::Value;

/// Texts a maintainer might paste from a vendor page, or a hostile contributor might write.
/// `hostile_marker` is code that must never become a Rust token.
pub(crate) const HOSTILE: &[&str] = &[
    "```\nfn main() { hostile_marker(); panic!(\"doctest ran\") }\n```",
    "~~~rust\nfn main() { panic!(\"doctest ran\") }\n~~~",
    "Intro.\n\n    fn main() { panic!(\"indented doctest ran\") }",
    "```rust\nunclosed fence",
    "*/ #[doc = \"x\"] /* \"quoted\" \\",
    "<script>alert(1)</script> list<string> <b>bold</b> <!-- c --> &amp; &#96;",
    "[link](https://evil.example) [broken] https://bare.example/path.",
    "# Heading\n===\n---\n- item\n1. first\n> quote",
    "| a | b |\n|---|---|\n| c | d |",
    "\r\n```\r\nfn main() {}\r\n```\r\n",
    "ends a comment\nfn hostile_marker() {}\n// and goes on",
    "a lone\rcarriage return, a trailing backslash \\",
];

/// The keys of `codegen/src/spec.rs` whose values are prose, as `Struct.key`: the hostile specs
/// replace every one of them.
pub(crate) const PROSE: &[&str] = &[
    "ApiFile.title",
    "ApiFile.description",
    "DomainDef.title",
    "DomainDef.description",
    "HostSet.note",
    "Page.title",
    "Page.language",
    "Page.date_note",
    "StatusCode.meaning",
    "StatusCode.advice",
    "TypeDef.description",
    "EnumValue.description",
    "EndpointFile.summary",
    "EndpointFile.description",
    "EndpointFile.example_note",
    "RateLimit.note",
    "RateLimit.plans",
    "PlanLimit.note",
    "Deprecation.note",
    "FanOut.note",
    "Paging.note",
    "Disagreement.topic",
    "Disagreement.pages",
    "Disagreement.settled",
    "EndpointStatus.meaning",
    "EndpointStatus.advice",
    "Field.description",
    "Field.note",
    "RuleDef.description",
    "Reply.description",
    "Reply.example_note",
];

/// Prose keys held as a map: whose values are what each page says (`pages` of a disagreement,
/// not the `pages` of api.yaml, which map to objects), and whose keys are plan names.
const PROSE_VALUES_MAP: &str = "pages";
const PROSE_KEYS_MAP: &str = "plans";

/// The keys of `spec.rs` that hold text but are not prose, each with why.
pub(crate) const NOT_PROSE: &[(&str, &str)] = &[
    ("Defaults.length_unit", "one of a fixed set, checked"),
    ("ApiFile.hosts", "keyed by API generation, checked"),
    (
        "ApiFile.domains",
        "keyed by domain name: snake_case words, checked (a folder, a module, a feature)",
    ),
    ("HostSet.default", "a URL, checked"),
    ("HostSet.alternatives", "URLs, checked"),
    (
        "ApiFile.pages",
        "page ids: referenced by every `sources`; shown through `cell`/`text`",
    ),
    ("Page.file", "a path, shown as a code span"),
    ("Page.date", "a date, checked"),
    ("Page.url", "a URL"),
    ("Page.kind", "one of a fixed set, checked"),
    ("StatusCode.kind", "a snake_case name, checked"),
    ("EndpointStatus.kind", "a snake_case name, checked"),
    ("TypesFile.types", "type names, checked"),
    ("EndpointFile.types", "type names, checked"),
    ("TypeDef.kind", "one of a fixed set, checked"),
    ("TypeDef.values", "value names, checked"),
    ("TypeDef.fields", "wire names, checked"),
    ("TypeDef.from_scalar", "a wire name, checked"),
    ("EndpointFile.api", "one of a fixed set, checked"),
    ("EndpointFile.body", "one of a fixed set, checked"),
    ("EndpointFile.method", "one of a fixed set, checked"),
    ("EndpointFile.path", "a path, checked"),
    ("EndpointFile.hosts", "URLs, checked"),
    ("EndpointFile.fields", "wire names, checked"),
    ("Reply.fields", "wire names, checked"),
    (
        "Reply.example",
        "JSON the checker parses; shown in a JSON code block",
    ),
    ("RateLimit.blocks", "one of a fixed set, checked"),
    (
        "Deprecation.replacement",
        "an endpoint or field name, checked",
    ),
    ("Paging.cursor", "a wire name, checked"),
    ("Paging.next_cursor", "a wire name, checked"),
    ("Paging.has_more", "a wire name, checked"),
    ("Paging.items", "a wire name, checked"),
    ("Paging.offset", "a wire name, checked"),
    ("Paging.total", "a wire name, checked"),
    ("Paging.limit", "a wire name, checked"),
    ("Window.end", "a wire name, checked"),
    ("Window.begin", "a wire name, checked"),
    ("Window.item_time", "a wire name, checked"),
    ("Exclude.field", "a wire name, checked"),
    ("Exclude.item", "a wire name, checked"),
    ("WindowOrder.field", "a wire name, checked"),
    ("FanOut.recipients", "a wire name, checked"),
    ("FanOut.unregistered", "a wire name, checked"),
    ("FanOut.succeeded", "a wire name, checked"),
    ("FanOut.failed_items", "a wire name, checked"),
    ("FailedList.field", "a wire name, checked"),
    ("FailedList.recipient", "a wire name, checked"),
    ("FailedList.reason", "a wire name, checked"),
    ("ResendSet.field", "a wire path, checked"),
    ("Field.type", "a type expression, checked"),
    ("Field.in", "one of a fixed set, checked"),
    ("Field.rust", "a Rust name, checked"),
    ("Field.encoding", "one of a fixed set, checked"),
    ("Field.length_unit", "one of a fixed set, checked"),
    (
        "Field.pattern",
        "a regular expression the checker compiles; shown as a code span",
    ),
    ("Field.over_limit", "one of a fixed set, checked"),
    ("Field.lenient", "a fixed set, checked"),
    ("RuleDef.severity", "one of a fixed set, checked"),
    ("Condition.field", "a wire path, checked"),
    ("Consequence.field", "a wire path, checked"),
    ("Consequence.less_than", "a wire path, checked"),
    ("Consequence.less_or_equal", "a wire path, checked"),
    ("Consequence.greater_than", "a wire path, checked"),
    ("Consequence.greater_or_equal", "a wire path, checked"),
    ("*.sources", "page ids, checked against api.yaml's pages"),
];

/// Keys whose values are data, not text: a request example's values may be named like prose
/// keys (a field `title`), and a resend marker's value is sent as it is.
const NOT_PROSE_VALUES: &[&str] = &["example", "value"];

/// The plain prose keys, as YAML spells them.
fn prose_names() -> Vec<&'static str> {
    PROSE
        .iter()
        .map(|k| k.split_once('.').expect("Struct.key").1)
        .filter(|k| ![PROSE_VALUES_MAP, PROSE_KEYS_MAP].contains(k))
        .collect()
}

/// Replaces every prose value under `value` with `text`; counts the replacements per key.
fn rewrite(value: &mut Value, text: &str, seen: &mut BTreeMap<String, usize>) {
    fn count(seen: &mut BTreeMap<String, usize>, key: &str) {
        *seen.entry(key.to_owned()).or_default() += 1;
    }
    match value {
        Value::Mapping(map) => {
            for (key, v) in map.iter_mut() {
                let key = key.as_str().unwrap_or_default();
                if NOT_PROSE_VALUES.contains(&key) {
                    continue;
                }
                if prose_names().contains(&key) && v.is_string() {
                    *v = Value::String(text.to_owned());
                    count(seen, key);
                } else if key == PROSE_VALUES_MAP
                    && v.as_mapping()
                        .is_some_and(|m| m.values().all(Value::is_string))
                {
                    for said in v.as_mapping_mut().expect("a mapping").values_mut() {
                        *said = Value::String(text.to_owned());
                        count(seen, key);
                    }
                } else if key == PROSE_KEYS_MAP && v.is_mapping() {
                    let plans = std::mem::take(v.as_mapping_mut().expect("a mapping"));
                    for (i, (_, mut plan)) in plans.into_iter().enumerate() {
                        rewrite(&mut plan, text, seen);
                        let name = Value::String(format!("{text} {i}"));
                        v.as_mapping_mut().expect("a mapping").insert(name, plan);
                        count(seen, key);
                    }
                } else {
                    rewrite(v, text, seen);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| rewrite(v, text, seen)),
        _ => {}
    }
}

/// The specs the hostile prose goes into: the real one, and the kitchen sink, which uses every
/// key of the format.
pub(crate) const SPECS: &[&str] = &["spec", "tests/kitchen-sink/spec"];

/// A copy of the spec at `source` (relative to the workspace) with every prose value set to
/// `text`; returns how many values of each prose key it replaced.
pub(crate) fn hostile_spec(source: &str, dir: &Path, text: &str) -> BTreeMap<String, usize> {
    let spec = xtask::workspace_root().join(source);
    let mut seen = BTreeMap::new();
    for relative in ["api.yaml", "types.yaml"]
        .into_iter()
        .map(String::from)
        .chain(endpoint_files(source))
    {
        let mut value: Value =
            serde_yaml::from_str(&fs::read_to_string(spec.join(&relative)).unwrap()).unwrap();
        rewrite(&mut value, text, &mut seen);
        let target = dir.join(&relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, serde_yaml::to_string(&value).unwrap()).unwrap();
    }
    seen
}

/// The model of `source` with every prose value set to `text`.
pub(crate) fn hostile_model(source: &str, text: &str) -> Model {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec");
    hostile_spec(source, &spec, text);
    codegen::load_model(&spec, "spec")
        .unwrap_or_else(|d| panic!("{source} with prose {text:?} does not load:\n{d}"))
}

/// The model of `source` as it is.
pub(crate) fn real_model(source: &str) -> Model {
    let spec = xtask::workspace_root().join(source);
    if source != REAL_SPEC {
        return codegen::load_model(&spec, "spec").unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    yunxin_tests::spec_edit::copy_page_endpoints(&spec, tmp.path());
    codegen::load_model(tmp.path(), "spec").unwrap()
}

/// The real spec, of which the prose checks read the page-written endpoints: they hold every
/// prose key and construct; the SDK drafts would only multiply the pages rendered.
const REAL_SPEC: &str = "spec";

/// The endpoint files of `source` the prose checks read, relative to it.
fn endpoint_files(source: &str) -> Vec<String> {
    if source == REAL_SPEC {
        let files = yunxin_tests::spec_edit::real_page_endpoint_files();
        return files
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
    }
    let spec = xtask::workspace_root().join(source);
    yunxin_tests::spec_edit::endpoint_files(&spec)
        .into_iter()
        .map(|p| {
            p.strip_prefix(&spec)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The YAML text-holding keys of `spec.rs` (types that hold a `String`), as `Struct.key`.
fn text_keys(source: &str) -> Vec<String> {
    let start = Regex::new(r"^pub struct ([A-Za-z0-9_]+)").unwrap();
    let field = Regex::new(r"^\s*pub ([a-z_0-9]+): (.+),$").unwrap();
    let rename = Regex::new(r#"^\s*#\[serde\(rename = "([^"]+)"\)\]"#).unwrap();
    let (mut current, mut renamed, mut keys) = (String::new(), None::<String>, Vec::new());
    for line in source.lines() {
        if let Some(c) = start.captures(line) {
            current = c[1].to_owned();
        } else if let Some(c) = rename.captures(line) {
            renamed = Some(c[1].to_owned());
        } else if let Some(c) = field.captures(line) {
            let key = renamed.take().unwrap_or_else(|| c[1].to_owned());
            if c[2].contains("String") {
                keys.push(format!("{current}.{key}"));
            }
        }
    }
    keys
}

/// Text keys that are neither prose nor listed as not prose.
fn unclassified(source: &str) -> Vec<String> {
    text_keys(source)
        .into_iter()
        .filter(|k| {
            let sources = k.ends_with(".sources");
            !PROSE.contains(&k.as_str())
                && !NOT_PROSE
                    .iter()
                    .any(|(n, _)| *n == k || (sources && *n == "*.sources"))
        })
        .collect()
}

#[test]
fn every_text_key_of_the_format_is_prose_or_said_not_to_be() {
    let source = fs::read_to_string(xtask::workspace_root().join("codegen/src/spec.rs")).unwrap();
    let keys = text_keys(&source);
    assert!(keys.len() > 50, "too few text keys read: {keys:?}");
    let missing = unclassified(&source);
    assert!(
        missing.is_empty(),
        "text keys of codegen/src/spec.rs that tests/it/prose.rs classes neither as PROSE nor as NOT_PROSE: {missing:?}"
    );
    for key in PROSE {
        assert!(
            keys.contains(&key.to_string()),
            "{key} is not a text key of spec.rs"
        );
    }
    // A prose name must not also be a non-prose key elsewhere, or the rewrite would reach it.
    for (key, _) in NOT_PROSE {
        let name = key.split_once('.').unwrap().1;
        assert!(
            !prose_names().contains(&name),
            "`{name}` is prose in one struct and not in {key}"
        );
    }
    // Negative control: a new text key is reported.
    let extended =
        format!("{source}\npub struct Brand {{\n    pub new_text: Option<String>,\n}}\n");
    assert_eq!(unclassified(&extended), ["Brand.new_text"]);
}

#[test]
fn every_prose_key_is_rewritten_in_the_hostile_specs() {
    let mut seen = BTreeMap::new();
    for source in SPECS {
        let tmp = tempfile::tempdir().unwrap();
        for (key, n) in hostile_spec(source, tmp.path(), "x") {
            *seen.entry(key).or_insert(0) += n;
        }
    }
    let names: Vec<&str> = PROSE.iter().map(|k| k.split_once('.').unwrap().1).collect();
    let never: Vec<&&str> = names.iter().filter(|k| !seen.contains_key(**k)).collect();
    assert!(
        never.is_empty(),
        "prose keys no hostile spec holds: {never:?}"
    );
}

/// The doc comments of a Rust file, each run of `///` or `//!` lines as one markdown text.
fn doc_blocks(rust: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in rust.lines() {
        let trimmed = line.trim_start();
        let doc = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"));
        match doc {
            Some(text) => {
                let block = current.get_or_insert_with(String::new);
                block.push_str(text.strip_prefix(' ').unwrap_or(text));
                block.push('\n');
            }
            None => blocks.extend(current.take()),
        }
    }
    blocks.extend(current);
    blocks
}

/// The rustdoc sections the generator writes itself.
const OWN_HEADINGS: &[&str] = &["Errors"];

/// What a markdown text holds that spec prose must never produce.
fn forbidden(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::all()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) if heading.is_some() => heading.as_mut().unwrap().push_str(&t),
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default();
                if !OWN_HEADINGS.contains(&text.as_str()) {
                    found.push(format!("heading {text:?}"));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => found.push(format!("code block {kind:?}")),
            Event::Html(html) | Event::InlineHtml(html) => found.push(format!("HTML {html:?}")),
            // A URL the prose spells out may show as an autolink; a link whose text hides its
            // target, or an intra-doc link, may not.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if link_type != LinkType::Autolink => {
                found.push(format!("{link_type:?} link to {dest_url:?}"))
            }
            Event::Start(Tag::Table(_)) => found.push("table".into()),
            _ => {}
        }
    }
    found
}

/// What each generated Rust file's doc comments hold that prose must never produce, counted:
/// the generator's own sections and examples (an `# Example` with its `no_run` block) are in the
/// real spec's output too, so only what the hostile prose adds is a failure.
fn forbidden_per_file(model: &Model) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for file in codegen::emit::generate_all(model) {
        if !file.path.ends_with(".rs") {
            continue;
        }
        let counts = out.entry(file.path.clone()).or_default();
        for block in doc_blocks(&file.contents) {
            for problem in forbidden(&block) {
                *counts.entry(problem).or_default() += 1;
            }
        }
    }
    out
}

#[test]
fn hostile_prose_never_becomes_code_html_links_or_headings_in_rustdoc() {
    let mut failures = Vec::new();
    for source in SPECS {
        let baseline = forbidden_per_file(&real_model(source));
        for text in HOSTILE {
            for (path, counts) in forbidden_per_file(&hostile_model(source, text)) {
                let own = baseline.get(&path);
                for (problem, n) in counts {
                    let expected = own.and_then(|o| o.get(&problem)).copied().unwrap_or(0);
                    if n > expected {
                        failures.push(format!(
                            "{source}: {path} with prose {text:?}: {problem} ({n} times, {expected} without the prose)"
                        ));
                    }
                }
            }
        }
    }
    failures.truncate(5);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn hostile_prose_never_adds_code_blocks_to_the_docs_pages() {
    // A page's own code blocks are its usage example and its JSON examples; spec prose must not
    // add any: the count stays what the real spec gives, and none holds the hostile text.
    let blocks = |pages: Vec<codegen::emit::GeneratedFile>| -> Vec<(String, Vec<String>)> {
        pages
            .into_iter()
            .map(|page| {
                let mut code = Vec::new();
                let mut inside = None::<String>;
                for event in Parser::new_ext(&page.contents, Options::all()) {
                    match event {
                        Event::Start(Tag::CodeBlock(_)) => inside = Some(String::new()),
                        Event::Text(t) if inside.is_some() => inside.as_mut().unwrap().push_str(&t),
                        Event::End(pulldown_cmark::TagEnd::CodeBlock) => code.extend(inside.take()),
                        _ => {}
                    }
                }
                (page.path, code)
            })
            .collect()
    };
    for (source, text) in SPECS
        .iter()
        .flat_map(|s| HOSTILE.iter().map(move |t| (s, t)))
    {
        let expected = blocks(codegen::emit::docs::emit(&real_model(source)));
        let model = hostile_model(source, text);
        let got = blocks(codegen::emit::docs::emit(&model));
        for ((path, want), (_, have)) in expected.iter().zip(&got) {
            assert_eq!(
                want.len(),
                have.len(),
                "{path} with prose {text:?}: code blocks {have:#?}"
            );
            for block in have {
                assert!(
                    !block.contains("doctest ran"),
                    "{path}: prose inside a code block: {block}"
                );
            }
        }
    }
}

#[test]
fn the_scanner_sees_what_it_must_refuse() {
    // Negative control: unescaped hostile text is flagged, so a passing run means something.
    assert!(!forbidden("```\nfn main() {}\n```").is_empty());
    assert!(!forbidden("a\n\n    indented code").is_empty());
    assert!(!forbidden("<b>x</b>").is_empty());
    assert!(!forbidden("[a](b)").is_empty());
    assert!(!forbidden("# H").is_empty());
    assert!(forbidden("plain `code` text <https://ok.example>").is_empty());
    assert_eq!(
        doc_blocks("/// a\n/// b\nfn x() {}\n//! c\n"),
        ["a\nb\n", "c\n"]
    );
}
