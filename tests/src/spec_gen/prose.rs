//! Prose for every prose key: markdown, fences, HTML, table pipes and Rust comment terminators,
//! which must stay inert in rustdoc, docs tables, headings and example comments.

use super::rng::Rng;

const FRAGMENTS: &[&str] = &[
    "Plain words.",
    "A *starred* and __underlined__ phrase with `code`.",
    "A | pipe | inside | a table cell.",
    "Ends a comment */ and opens one /* here.",
    "A \"quoted\" word and a back\\slash \\n.",
    "<script>alert(1)</script> <b>bold</b> &amp; <!-- comment -->",
    "# Not a heading",
    "- not a list item\n- nor this one",
    "```rust\nfn main() { panic!() }\n```",
    "~~~\nfenced with tildes\n~~~",
    "[a link](https://example.invalid) and ![an image](x.png)",
    "A trailing backslash \\",
    "Unicode: 批量发送 ünïcödé 😀.",
    "#[doc = \"attr\"] //! inner doc ///",
    "{{braces}} and ${dollar} and %s and {}",
    "    indented like code",
    "> a quote\n\n1. a numbered item",
    "<details><summary>x</summary>y</details>",
    "r#\"raw\"# and '\\u{0}'",
];

/// One to three fragments, joined by a space or a newline.
pub fn prose(rng: &mut Rng) -> String {
    prose_from(rng, FRAGMENTS)
}

fn prose_from(rng: &mut Rng, fragments: &[&str]) -> String {
    let n = rng.range(1, 3);
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push_str(if rng.chance(50) { " " } else { "\n" });
        }
        out.push_str(fragments[rng.below(fragments.len())]);
    }
    out
}
