//! Renders a [`SpecDiff`] as plain text for the terminal, or as markdown for `CHANGELOG.md`.

use std::fmt::Write;

use super::{Class, SpecDiff};

/// Plain text: one block per endpoint, one line per change with its spec path, then a summary.
/// `old` and `new` name the two sides (a folder or a git revision).
pub fn render_text(diff: &SpecDiff, old: &str, new: &str) -> String {
    let mut out = format!("spec changes: {old} → {new}\n");
    if diff.is_empty() {
        out.push_str("no semantic changes\n");
    }
    for (endpoint, changes) in diff.groups() {
        let _ = writeln!(out, "\n{endpoint}");
        for c in changes {
            let _ = writeln!(
                out,
                "  {:<10}  {}  [{}]",
                c.class.name(),
                one_line(&c.text),
                one_line(&c.spec_path)
            );
        }
    }
    let _ = writeln!(out, "\n{}", diff.summary());
    out
}

/// Markdown ready to paste into `CHANGELOG.md`: a `## Spec changes` section, a summary line,
/// then a `### <endpoint>` subsection per endpoint (and `### shared`) with one bullet per change.
pub fn render_markdown(diff: &SpecDiff, old: &str, new: &str) -> String {
    let mut out = String::from("## Spec changes\n\n");
    let _ = writeln!(out, "From `{old}` to `{new}`.\n");
    let _ = writeln!(out, "Summary: {}.", diff.summary());
    if diff.is_empty() {
        out.push_str("\nNo semantic changes.\n");
    }
    for (endpoint, changes) in diff.groups() {
        let _ = writeln!(out, "\n### {endpoint}\n");
        for c in changes {
            let _ = writeln!(out, "- {} — {}", label(c.class), one_line(&c.text));
        }
    }
    out
}

/// The bullet's prefix: breaking changes stand out.
fn label(class: Class) -> &'static str {
    match class {
        Class::Breaking => "**breaking**",
        Class::Compatible => "compatible",
        Class::DocsOnly => "docs-only",
    }
}

/// One change, one line: a spec path may hold a name the spec gives in prose (a plan's).
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
