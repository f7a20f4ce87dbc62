use std::time::{Duration, Instant};

use super::*;

#[test]
fn locates_nested_keys_and_items() {
    let text =
        "fields:\n  toAccids:\n    type: list<string>\n    max_items: 5\nrules:\n  - when: x\n";
    let loc = Locator::new(text, "endpoints.e").unwrap();
    assert_eq!(loc.find("endpoints.e.fields.toAccids.max_items"), (4, 5));
    assert_eq!(loc.find("endpoints.e.rules[0].when"), (6, 5));
    // An unknown child falls back to its nearest ancestor, and the file's root to the root node.
    assert_eq!(loc.find("endpoints.e.fields.toAccids.nothing"), (2, 3));
    assert_eq!(loc.find("endpoints.e"), (1, 1));
    let api = Locator::new("# comment\ntitle: t\n", "").unwrap();
    assert_eq!(api.find(""), (2, 1));
}

#[test]
fn reports_duplicate_keys() {
    let text = "fields:\n  a: 1\n  a: 2\n";
    let loc = Locator::new(text, "").unwrap();
    assert_eq!(loc.duplicates, vec![("fields.a".to_owned(), (3, 3))]);
}

#[test]
fn reports_syntax_errors_where_they_are() {
    let err = Locator::new("a: [1, 2\nb: 3\n", "").unwrap_err();
    assert!(
        err.message.starts_with("YAML syntax error"),
        "{}",
        err.message
    );
    assert_eq!(err.position.0, 2);
    let tab = Locator::new("a:\n\tb: 1\n", "").unwrap_err();
    assert!(tab.message.contains("tabs"), "{}", tab.message);
}

/// Walks `text`, which must be refused at `position` with a message containing `words`, fast.
fn assert_refused(text: &str, position: (usize, usize), words: &str) {
    let start = Instant::now();
    let result = Locator::new(text, "endpoints.e");
    let took = start.elapsed();
    let err = result.expect_err("refused");
    assert_eq!(err.position, position, "{}", err.message);
    assert!(err.message.contains(words), "{}", err.message);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn refuses_deep_nesting_of_every_kind_at_the_first_level_too_deep() {
    // 100_000 levels: recursion in the walk would overflow the stack; a path per level would
    // cost gigabytes. The walk stops at level 65, on the first line.
    let block_seqs = format!("{}x\n", "- ".repeat(100_000));
    assert_refused(&block_seqs, (1, 129), "deeper than 64 levels");
    // In flow collections yaml-rust2's scanner reads ahead and trips its own limit (255 levels)
    // before the walk sees level 65: refused all the same.
    let flow_seqs = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert_refused(&flow_seqs, (1, 259), "deeper than 64 levels");
    let flow_maps = format!("{}x{}\n", "{a: ".repeat(100_000), "}".repeat(100_000));
    assert_refused(&flow_maps, (1, 1021), "deeper than 64 levels");
    // Up to the limit is fine.
    assert!(Locator::new(&format!("{}x\n", "- ".repeat(64)), "").is_ok());
    let block_maps: String = (0..100)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    // yaml-rust2 marks a block mapping at the `:` after its first key.
    assert_refused(&block_maps, (65, 130), "deeper than 64 levels");
}

#[test]
fn refuses_alias_bombs_chains_and_cycles() {
    // Billion laughs: each level holds ten aliases of the previous one.
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    assert_refused(&bomb, (3, 50), "more than 1000 nodes");
    // A long chain, each alias nesting the previous anchor one level deeper.
    let mut chain = String::from("a0: &a0 x\n");
    for i in 1..10_000 {
        chain.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
    }
    assert_refused(&chain, (46, 12), "more than 1000 nodes");
    // An alias that nests its anchor past the limit where it is used.
    let deep = format!(
        "d: &d [[[[[x]]]]]\ne: {}*d{}\n",
        "[".repeat(60),
        "]".repeat(60)
    );
    assert_refused(&deep, (2, 64), "deeper than 64 levels");
    assert_refused("a: &a [*a]\n", (1, 8), "contains it");
    // A few small aliases are fine.
    let shared = "base: &base {type: string, description: d}\nx: *base\ny: [*base, *base]\n";
    assert!(Locator::new(shared, "").is_ok());
}

#[test]
fn refuses_a_second_document() {
    assert_refused("a: 1\n---\nb: 2\n", (2, 1), "second YAML document");
    assert!(Locator::new("---\na: 1\n", "").is_ok());
}

#[test]
fn lists_a_bounded_number_of_duplicate_keys() {
    // A long key path over many duplicates would otherwise make the report quadratic.
    let mut text: String = (0..10)
        .map(|i| format!("{}{}:\n", "  ".repeat(i), "k".repeat(1_000)))
        .collect();
    text.push_str(&format!("{}a: 1\n", "  ".repeat(10)).repeat(1_000));
    let loc = Locator::new(&text, "").unwrap();
    assert_eq!(loc.duplicates.len(), 100);
    assert_eq!(loc.unlisted_duplicates, Some((899, (112, 21))));
}
