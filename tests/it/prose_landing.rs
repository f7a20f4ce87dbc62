//! Wherever hostile spec prose lands it stays text: every docs page keeps the block structure it
//! has with the spec's own prose (the same headings, paragraphs, lists, tables with the same rows
//! and cells, code blocks), holds no HTML but the generator's `<br>` and no link but autolinks;
//! and no generated Rust file (modules, examples) gains a token from it.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use crate::prose::{hostile_model, real_model, HOSTILE, SPECS};

/// The code the hostile texts hide; it must never be a Rust token.
const MARKER: &str = "hostile_marker";

/// The block structure of a markdown page, one entry per block (with its kind and size), plus
/// any HTML or non-autolink link, which spec prose may never produce.
fn structure(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for event in Parser::new_ext(markdown, Options::all()) {
        let entry = match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => "paragraph".to_owned(),
                Tag::Heading { level, .. } => format!("heading {level:?}"),
                Tag::BlockQuote(_) => "quote".to_owned(),
                Tag::CodeBlock(kind) => format!("code block {kind:?}"),
                Tag::HtmlBlock => "HTML block".to_owned(),
                Tag::List(start) => format!("list {start:?}"),
                Tag::Item => "item".to_owned(),
                Tag::FootnoteDefinition(_) => "footnote".to_owned(),
                Tag::Table(columns) => format!("table of {}", columns.len()),
                Tag::TableHead => "table head".to_owned(),
                Tag::TableRow => "row".to_owned(),
                Tag::TableCell => "cell".to_owned(),
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                } if link_type != LinkType::Autolink && !dest_url.ends_with(".md") => {
                    format!("{link_type:?} link to {dest_url}")
                }
                Tag::Image { dest_url, .. } => format!("image {dest_url}"),
                _ => continue,
            },
            Event::Rule => "thematic break".to_owned(),
            Event::Html(html) => format!("HTML {html:?}"),
            Event::InlineHtml(html) if &*html != "<br>" => format!("inline HTML {html:?}"),
            _ => continue,
        };
        out.push(entry);
    }
    out
}

/// The cells GFM splits a table line into: one more than its pipes that no backslash precedes
/// (GFM splits on those inside code spans too, a backslash before a pipe escapes it even when
/// itself escaped, and a row's extra cells are silently dropped, which the parsed structure
/// cannot show).
fn cells(line: &str) -> usize {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut previous = ' ';
    let mut count = 1;
    for c in inner.chars() {
        if c == '|' && previous != '\\' {
            count += 1;
        }
        previous = c;
    }
    count
}

/// Table lines whose cell count differs from their table's header line.
fn ragged_rows(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut header: Option<usize> = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let n = cells(line);
        match header {
            None => header = Some(n),
            Some(h) if h != n => out.push(format!("{n} cells where the header has {h}: {line}")),
            Some(_) => {}
        }
    }
    out
}

/// Where `got` first departs from `want`.
fn departure(want: &[String], got: &[String]) -> Option<String> {
    let at = want.iter().zip(got).position(|(a, b)| a != b);
    match at {
        Some(i) => Some(format!(
            "block {i}: {:?} where {:?} belongs",
            got[i], want[i]
        )),
        None if want.len() != got.len() => {
            Some(format!("{} blocks where {} belong", got.len(), want.len()))
        }
        None => None,
    }
}

/// The identifiers of a Rust file; `Err` when it does not even tokenize.
fn idents(rust: &str) -> Result<Vec<String>, String> {
    fn walk(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                _ => {}
            }
        }
    }
    let tokens: proc_macro2::TokenStream = rust.parse().map_err(|e| format!("{e:?}"))?;
    let mut out = Vec::new();
    walk(tokens, &mut out);
    Ok(out)
}

#[test]
fn hostile_prose_keeps_every_docs_page_whole() {
    let mut failures = Vec::new();
    for source in SPECS {
        let want: BTreeMap<String, Vec<String>> = codegen::emit::docs::emit(&real_model(source))
            .into_iter()
            .map(|page| (page.path, structure(&page.contents)))
            .collect();
        for text in HOSTILE {
            let pages = codegen::emit::docs::emit(&hostile_model(source, text));
            assert_eq!(pages.len(), want.len(), "{source}: docs pages");
            for page in pages {
                let got = structure(&page.contents);
                let problems = departure(&want[&page.path], &got)
                    .into_iter()
                    .chain(ragged_rows(&page.contents));
                for problem in problems {
                    failures.push(format!(
                        "{source}: {} with prose {text:?}: {problem}",
                        page.path
                    ));
                }
            }
        }
    }
    failures.truncate(8);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_prose_never_becomes_a_rust_token() {
    let mut failures = Vec::new();
    for source in SPECS {
        for text in HOSTILE {
            let model = hostile_model(source, text);
            for file in codegen::emit::generate_all(&model) {
                if !file.path.ends_with(".rs") {
                    continue;
                }
                match idents(&file.contents) {
                    Err(e) => failures.push(format!(
                        "{source}: {} with prose {text:?} does not tokenize: {e}",
                        file.path
                    )),
                    Ok(idents) if idents.iter().any(|i| i == MARKER) => failures.push(format!(
                        "{source}: {} with prose {text:?}: the prose became code",
                        file.path
                    )),
                    Ok(_) => {}
                }
            }
        }
    }
    failures.truncate(8);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Negative controls: a broken row, an injected heading or list, raw HTML and a link are all
/// departures; prose that escapes a `//` comment is a token.
#[test]
fn the_checks_see_what_they_must_refuse() {
    let page = "# T\n\n| a | b |\n|---|---|\n| x | y |\n\nText.<br>more\n";
    let want = structure(page);
    for broken in [
        "# T\n\n| a | b |\n|---|---|\n| x | y | z |\n\nText.<br>more\n",
        "# T\n\n| a | b |\n|---|---|\n| x\n| y |\n\nText.<br>more\n",
        "# T\n\n| a | b |\n|---|---|\n| x | y |\n\n# Text.<br>more\n",
        "# T\n\n| a | b |\n|---|---|\n| x | y |\n\n- Text.<br>more\n",
        "# T\n\n| a | b |\n|---|---|\n| x | y |\n\nText.<b>more</b>\n",
        "# T\n\n| a | b |\n|---|---|\n| x | y |\n\nText [more](https://e.example)\n",
        "# T\n\n| a | b |\n|---|---|\n| x | y |\n\n```\nText.\n```\n",
    ] {
        let problems = departure(&want, &structure(broken))
            .into_iter()
            .chain(ragged_rows(broken));
        assert!(problems.count() > 0, "{broken:?}");
    }
    assert!(ragged_rows(page).is_empty());
    assert!(ragged_rows("| a | b |\n|---|---|\n| `x\\|y` \\\\| z | w |\n").is_empty());
    assert_eq!(
        ragged_rows("| a | b |\n|---|---|\n| `x|y` | w |\n").len(),
        1
    );
    assert!(departure(&want, &structure(page)).is_none());
    assert!(departure(
        &want,
        &structure(&page.replace("Text.", "Other <https://x.example>"))
    )
    .is_none());
    let comment = format!("// a note\nfn {MARKER}() {{}}\n");
    assert!(idents(&comment).unwrap().contains(&MARKER.to_owned()));
    let inert =
        format!("// a note fn {MARKER}() {{}}\n/// doc {MARKER}\nconst X: &str = \"{MARKER}\";\n");
    assert!(!idents(&inert).unwrap().contains(&MARKER.to_owned()));
}
