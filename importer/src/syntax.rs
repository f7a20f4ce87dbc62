//! Small helpers over tree-sitter syntax trees shared by the Go and Java readers.

use std::path::{Path, PathBuf};
use tree_sitter::{Language, Node, Parser, Tree};

pub fn parse(language: &Language, source: &str) -> Result<Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(language)
        .map_err(|e| format!("grammar: {e}"))?;
    parser
        .parse(source, None)
        .ok_or_else(|| "the parser gave no tree".to_string())
}

pub fn text<'a>(node: Node, source: &'a str) -> &'a str {
    &source[node.byte_range()]
}

pub fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// Every node below `node` (itself included), depth first.
pub fn descendants(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut children = named_children(n);
        children.reverse();
        stack.extend(children);
    }
    out
}

/// The value of a string literal node (Go interpreted/raw, Java), escapes left as written.
pub fn string_value(node: Node, source: &str) -> Option<String> {
    match node.kind() {
        "interpreted_string_literal" | "raw_string_literal" | "string_literal" => {
            let t = text(node, source);
            Some(t[1..t.len().saturating_sub(1).max(1)].to_string())
        }
        _ => None,
    }
}

/// The comment lines right above `node` (no blank line between), markers stripped.
pub fn leading_comment(node: Node, source: &str) -> Option<String> {
    let mut lines = Vec::new();
    let mut row = node.start_position().row;
    let mut prev = node.prev_sibling();
    while let Some(p) = prev {
        if p.kind() != "comment" && p.kind() != "line_comment" && p.kind() != "block_comment" {
            break;
        }
        if p.end_position().row + 1 < row {
            break;
        }
        lines.insert(0, clean_comment(text(p, source)));
        row = p.start_position().row;
        prev = p.prev_sibling();
    }
    let joined = lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// A comment on the same line, after `node` (Go struct fields).
pub fn trailing_comment(node: Node, source: &str) -> Option<String> {
    let next = node.next_sibling()?;
    (next.kind() == "comment" && next.start_position().row == node.end_position().row)
        .then(|| clean_comment(text(next, source)))
        .filter(|c| !c.is_empty())
}

fn clean_comment(raw: &str) -> String {
    raw.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("/**")
                .trim_start_matches("/*")
                .trim_start_matches("//")
                .trim_end_matches("*/")
                .trim_start_matches('*')
                .trim()
        })
        .filter(|l| !l.is_empty() && !l.starts_with('@'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Files under `dir` ending in `ext`, sorted, so every run reads them in one order.
pub fn files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `AddFriend`/`addFriend` → `add_friend`.
pub fn snake(name: &str) -> String {
    codegen::model::snake_case(name)
}
