//! Spec prose never becomes code: every description, note, meaning and advice of the real spec is
//! replaced by hostile markdown (fences, indented code, HTML, links, headings, comment
//! terminators), the spec is generated, and every doc comment of the generated Rust and every
//! docs page is parsed with pulldown-cmark, the markdown parser rustdoc itself uses. No spec text
//! may open a code block (which rustdoc would run as a doctest), raw HTML, a link or a heading.

use std::fs;
use std::path::Path;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// Texts a maintainer might paste from a vendor page, or a hostile contributor might write.
const HOSTILE: &[&str] = &[
    "```\nfn main() { panic!(\"doctest ran\") }\n```",
    "~~~rust\nfn main() { panic!(\"doctest ran\") }\n~~~",
    "Intro.\n\n    fn main() { panic!(\"indented doctest ran\") }",
    "```rust\nunclosed fence",
    "*/ #[doc = \"x\"] /* \"quoted\" \\",
    "<script>alert(1)</script> list<string> <b>bold</b>",
    "[link](https://evil.example) [broken] https://bare.example/path.",
    "# Heading\n===\n---\n- item\n1. first",
    "| a | b |\n|---|---|\n| c | d |",
    "\r\n```\r\nfn main() {}\r\n```\r\n",
];

/// Keys whose values are prose.
const PROSE_KEYS: &[&str] = &[
    "description",
    "summary",
    "note",
    "meaning",
    "advice",
    "settled",
    "topic",
    "date_note",
];

fn rewrite(value: &mut serde_yaml::Value, text: &str) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, v) in map.iter_mut() {
                let prose = key.as_str().is_some_and(|k| PROSE_KEYS.contains(&k));
                if prose && v.is_string() {
                    *v = serde_yaml::Value::String(text.to_owned());
                } else {
                    rewrite(v, text);
                }
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter_mut().for_each(|v| rewrite(v, text)),
        _ => {}
    }
}

/// A copy of the real spec with every prose value set to `text`.
fn hostile_spec(dir: &Path, text: &str) {
    let spec = xtask::workspace_root().join("spec");
    for relative in ["api.yaml", "types.yaml"]
        .into_iter()
        .map(String::from)
        .chain(
            fs::read_dir(spec.join("endpoints"))
                .unwrap()
                .map(|e| format!("endpoints/{}", e.unwrap().file_name().to_string_lossy())),
        )
    {
        let mut value: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(spec.join(&relative)).unwrap()).unwrap();
        rewrite(&mut value, text);
        let target = dir.join(&relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, serde_yaml::to_string(&value).unwrap()).unwrap();
    }
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

#[test]
fn hostile_prose_never_becomes_code_html_links_or_headings_in_rustdoc() {
    let mut failures = Vec::new();
    for text in HOSTILE {
        let tmp = tempfile::tempdir().unwrap();
        let spec = tmp.path().join("spec");
        hostile_spec(&spec, text);
        let model = codegen::load_model(&spec, "spec").unwrap_or_else(|d| panic!("{d}"));
        for file in codegen::emit::generate_all(&model) {
            if !file.path.ends_with(".rs") {
                continue;
            }
            for block in doc_blocks(&file.contents) {
                for problem in forbidden(&block) {
                    failures.push(format!(
                        "{} with prose {text:?}: {problem} in doc comment:\n{block}",
                        file.path
                    ));
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
    let real = codegen::load_model(&xtask::workspace_root().join("spec"), "spec").unwrap();
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
    let expected = blocks(codegen::emit::docs::emit(&real));
    for text in HOSTILE {
        let tmp = tempfile::tempdir().unwrap();
        let spec = tmp.path().join("spec");
        hostile_spec(&spec, text);
        let model = codegen::load_model(&spec, "spec").unwrap();
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
