//! The README's promises: it opens with the two commands, its usage and fan-out examples are
//! the programs `tests/compile` builds (and runs, for usage), and `.ci/run` runs the README's test command.

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

#[test]
fn readme_usage_example_is_the_compile_checked_program() {
    let readme = read("README.md");
    let example = first_block(&readme, "rust").expect("a rust usage block");
    let checked = read("tests/compile/readme_usage.rs");
    assert_eq!(
        example.trim(),
        checked.trim(),
        "copy tests/compile/readme_usage.rs into README.md"
    );
}

#[test]
fn readme_fan_out_example_is_the_compile_checked_program() {
    let readme = read("README.md");
    let section = &readme[readme.find("## Fan-out").expect("a Fan-out section")..];
    let example = first_block(section, "rust").expect("a rust block in the Fan-out section");
    let checked = read("tests/compile/readme_fan_out.rs");
    assert_eq!(
        example.trim(),
        checked.trim(),
        "copy tests/compile/readme_fan_out.rs into README.md"
    );
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
