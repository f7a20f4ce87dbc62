//! The README's promises: it opens with the two commands, `.ci/run` runs its test command, and
//! the client's examples live in one place, the client README that is the crate's front page.

use std::fs;

fn read(path: &str) -> String {
    fs::read_to_string(xtask::workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The body of the first fenced block whose info string starts with `lang`.
fn first_block<'a>(markdown: &'a str, lang: &str) -> Option<&'a str> {
    let start = markdown.find(&format!("```{lang}"))?;
    let body = &markdown[start..];
    let body = &body[body.find('\n')? + 1..];
    Some(&body[..body.find("\n```")?])
}

#[test]
fn readme_opens_with_the_main_job_and_the_test_command() {
    let readme = read("README.md");
    let commands = first_block(&readme, "sh").expect("a sh block near the top");
    let lines: Vec<&str> = commands
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .collect();
    assert_eq!(lines, ["cargo xtask codegen", "cargo xtask test"]);
    assert!(
        readme.find("```sh").unwrap() < 200,
        "the commands come first"
    );
}

/// Why a markdown file's rust blocks would not all be compiled as doctests: each block whose
/// info string skips compilation (`ignore`, `text`...), by its first line.
fn uncompiled_rust_blocks(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim().strip_prefix("```") else {
            continue;
        };
        let attrs: Vec<&str> = info.split(',').map(str::trim).collect();
        let body_first = lines.next().unwrap_or("").to_owned();
        // Skip to the closing fence.
        for l in lines.by_ref() {
            if l.trim() == "```" {
                break;
            }
        }
        let rust = attrs.first().is_some_and(|a| *a == "rust" || a.is_empty());
        if rust
            && attrs
                .iter()
                .any(|a| matches!(*a, "ignore" | "text" | "compile_fail"))
        {
            out.push(body_first);
        }
    }
    out
}

#[test]
fn the_client_readme_is_the_crate_front_page_and_every_example_in_it_compiles() {
    let lib = read("generated-client/src/lib.rs");
    assert!(
        lib.lines()
            .any(|l| l.trim() == r#"#![doc = include_str!("../README.md")]"#),
        "the crate root's docs are the client README, so its examples are doctests"
    );
    let readme = read("generated-client/README.md");
    for section in [
        "## Install",
        "## The first call",
        "## Errors",
        "## Paging",
        "## Fan-out",
        "## Features",
    ] {
        assert!(
            readme.contains(&format!("\n{section}\n")),
            "the client README lacks {section}"
        );
    }
    assert!(
        first_block(&readme, "rust").is_some(),
        "the client README shows code"
    );
    assert_eq!(
        uncompiled_rust_blocks(&readme),
        Vec::<String>::new(),
        "rust blocks rustdoc would skip"
    );
    // The examples live in one place: the repository README shows none of its own.
    assert!(
        first_block(&read("README.md"), "rust").is_none(),
        "README.md holds a rust example: move it to generated-client/README.md"
    );
}

#[test]
fn an_ignored_example_would_be_reported() {
    let markdown = "# x\n\n```rust,no_run\nfn ok() {}\n```\n\n```rust,ignore\nfn skipped() {}\n```\n\n```toml\n[a]\n```\n";
    assert_eq!(uncompiled_rust_blocks(markdown), ["fn skipped() {}"]);
    assert!(uncompiled_rust_blocks("```rust\nfn a() {}\n```\n").is_empty());
}

#[test]
fn ci_runs_the_readme_test_command_and_the_checks() {
    let ci = read(".ci/run");
    let run: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cargo "))
        .collect();
    for command in [
        "cargo xtask test",
        "cargo xtask codegen --check",
        "cargo fmt --all -- --check",
        "cargo clippy --workspace --all-targets -- -D warnings",
    ] {
        assert!(run.contains(&command), ".ci/run lacks `{command}`: {run:?}");
    }
}

/// The README points to the generated endpoint index and keeps no endpoint table of its own:
/// a hand-kept one listed 5 of the 15 endpoints while nothing noticed.
#[test]
fn readme_links_the_generated_endpoint_index_and_lists_no_endpoints_itself() {
    let readme = read("README.md");
    assert!(
        readme.contains("(generated-client/docs/README.md)"),
        "the README links the generated endpoint index"
    );
    let model = codegen::load_model(&xtask::workspace_root().join("spec"), "spec").unwrap();
    let index = read("generated-client/docs/README.md");
    let mut problems = Vec::new();
    for e in &model.endpoints {
        let row = format!("| [{}]({}.md)", e.name, e.name);
        if !index.contains(&row) {
            problems.push(format!("the generated index has no row for `{}`", e.name));
        }
        let listed = readme
            .lines()
            .any(|l| l.starts_with('|') && l.contains(&format!("`{}`", e.name)));
        if listed {
            problems.push(format!(
                "the README lists `{}` in a table of its own",
                e.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
