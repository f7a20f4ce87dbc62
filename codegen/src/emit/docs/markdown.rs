//! Markdown escaping for text taken from the spec: the `cell`, `text` and `code` template filters,
//! and the rustdoc of generated Rust (rustdoc reads markdown with the same parser rules).
//!
//! Spec prose may hold `|`, line breaks, `<`, `>`, `[`, `]` and code spans in backticks. Outside
//! code spans those characters are escaped; inside code spans only what GFM tables split on (`|`)
//! is escaped, because everything else there is shown literally. Whatever the prose holds, the
//! result is one line that can never open a code block (a fenced block in rustdoc would run as a
//! doctest), raw HTML, a link, a heading or a list: unmatched backticks and `~` are escaped,
//! line-leading markers are escaped, and bare URLs become autolinks (rustdoc warns on bare URLs).

/// Where escaped text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A GFM table cell: one line, `|` escaped, line breaks become `<br>`.
    Cell,
    /// Inline prose: one line, line breaks become spaces.
    Text,
}

/// Escapes `text` for one GFM table cell (the `cell` filter).
///
/// `|` becomes `\|` everywhere, also inside code spans, where GFM still splits cells on it;
/// line breaks become `<br>` (spaces inside code spans); `<`, `>`, `&`, `[` and `]` outside code
/// spans become entities or backslash escapes, so `list<string>` is not read as an HTML tag and
/// `array[string]` not as a link. Leading and trailing whitespace is dropped.
pub fn cell(text: &str) -> String {
    escape(text, Target::Cell)
}

/// Escapes `text` for inline prose (the `text` filter): as [`cell`], but `|` stays and line breaks
/// become spaces.
pub fn text(text: &str) -> String {
    escape(text, Target::Text)
}

/// Escapes `text` for one paragraph of rustdoc: as [`text`]. Kept as its own name so every place
/// that turns spec prose into Rust doc comments says so.
pub fn rustdoc(text: &str) -> String {
    escape(text, Target::Text)
}

/// Wraps `text` in a code span that shows it verbatim, whatever backticks it holds (the `code`
/// filter). The result still needs [`cell`] inside a table.
pub fn code(text: &str) -> String {
    let longest = longest_backtick_run(text);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

fn escape(text: &str, target: Target) -> String {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let chars: Vec<char> = normalized.trim().chars().collect();
    let mut out = String::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = run_length(&chars, i);
            match closing_run(&chars, i + run, run) {
                Some(end) => {
                    push_code_span(&mut out, &chars[i..end + run], target);
                    i = end + run;
                }
                None => {
                    // No closing run: the backticks are literal text. Escaped, because a run of
                    // three at the start of a line would open a fenced code block.
                    out.push_str(&"\\`".repeat(run));
                    i += run;
                }
            }
            continue;
        }
        if let Some(len) = url_length(&chars[i..]) {
            if i == 0 || !chars[i - 1].is_alphanumeric() {
                // An autolink: rustdoc warns on bare URLs, and `<` would otherwise be escaped.
                out.push('<');
                out.extend(&chars[i..i + len]);
                out.push('>');
                i += len;
                continue;
            }
        }
        if out.is_empty() {
            if let Some(escaped) = leading_marker(&chars) {
                out.push_str(&escaped);
                i += escaped.chars().filter(|c| *c != '\\').count();
                continue;
            }
        }
        if c == '\\' {
            match chars.get(i + 1) {
                // An escape the author wrote: keep the pair, so `\|` or `\*` stays as meant.
                Some(next) if next.is_ascii_punctuation() => {
                    out.push('\\');
                    out.push(*next);
                    i += 2;
                    continue;
                }
                // A backslash before a line break would make a hard break: show it literally.
                Some('\n') => {
                    out.push_str("\\\\");
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        match c {
            '|' if target == Target::Cell => out.push_str("\\|"),
            '\n' if target == Target::Cell => out.push_str("<br>"),
            '\n' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            // `~~~` opens a fence and `~~x~~` strikes through; `*` emphasises.
            '~' => out.push_str("\\~"),
            '*' => out.push_str("\\*"),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// The length of an `http://` or `https://` URL starting at `chars[0]`, without trailing
/// punctuation, or `None` when no URL starts there.
fn url_length(chars: &[char]) -> Option<usize> {
    let starts = |prefix: &str| {
        prefix.chars().count() <= chars.len()
            && prefix
                .chars()
                .zip(chars)
                .all(|(a, b)| a == b.to_ascii_lowercase())
    };
    let scheme = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        return None;
    };
    let mut len = chars[scheme..]
        .iter()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`' | '|' | '\\'))
        .count()
        + scheme;
    while len > scheme
        && matches!(
            chars[len - 1],
            '.' | ',' | ';' | ':' | ')' | ']' | '!' | '?'
        )
    {
        len -= 1;
    }
    (len > scheme).then_some(len)
}

/// A line-leading marker that would make a heading, a list item or a thematic break, escaped.
fn leading_marker(chars: &[char]) -> Option<String> {
    match chars {
        ['#', ..] => Some("\\#".into()),
        ['-' | '+', next, ..] if next.is_whitespace() => Some(format!("\\{}", chars[0])),
        ['-' | '+' | '_' | '='] => Some(format!("\\{}", chars[0])),
        _ => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            match chars.get(digits) {
                Some('.' | ')') if digits > 0 && digits < 10 => {
                    let number: String = chars[..digits].iter().collect();
                    Some(format!("{number}\\{}", chars[digits]))
                }
                _ => None,
            }
        }
    }
}

/// A code span, fences included: its content is literal, so only `|` (cells) and line breaks change.
fn push_code_span(out: &mut String, span: &[char], target: Target) {
    for &c in span {
        match c {
            '|' if target == Target::Cell => out.push_str("\\|"),
            '\n' => out.push(' '),
            other => out.push(other),
        }
    }
}

fn run_length(chars: &[char], start: usize) -> usize {
    chars[start..].iter().take_while(|&&c| c == '`').count()
}

/// The start of the next backtick run of exactly `len` backticks at or after `from`.
fn closing_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = run_length(chars, i);
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_escapes_pipes_and_line_breaks() {
        assert_eq!(cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(cell("a\r\nb\rc"), "a<br>b<br>c");
        assert_eq!(cell("  padded \n"), "padded");
    }

    #[test]
    fn cell_escapes_angle_brackets_and_links_outside_code_only() {
        assert_eq!(
            cell("list<string> & array[string]"),
            "list&lt;string&gt; &amp; array\\[string\\]"
        );
        assert_eq!(cell("`list<string>`"), "`list<string>`");
    }

    #[test]
    fn cell_escapes_pipes_inside_code_spans_and_keeps_them_whole() {
        assert_eq!(cell("use `a|b` or\n`c\nd`"), "use `a\\|b` or<br>`c d`");
        assert_eq!(cell("``x ` | y``"), "``x ` \\| y``");
    }

    #[test]
    fn cell_treats_unclosed_backticks_as_text() {
        assert_eq!(cell("it`s <b> | c"), "it\\`s &lt;b&gt; \\| c");
        assert_eq!(cell("a `` b ` c | d"), "a \\`\\` b \\` c \\| d");
    }

    #[test]
    fn cell_keeps_written_escapes() {
        assert_eq!(cell("a \\| b \\* c"), "a \\| b \\* c");
        assert_eq!(cell("trailing\\\nbreak"), "trailing\\\\<br>break");
    }

    #[test]
    fn description_with_pipe_newline_and_backticks() {
        let description = "Either `0|1` or `2`.\nSee the table | below <here>.";
        assert_eq!(
            cell(description),
            "Either `0\\|1` or `2`.<br>See the table \\| below &lt;here&gt;."
        );
        assert!(!cell(description).contains('\n'));
        // Every `|` left in a cell is escaped.
        let escaped = cell(description);
        let bytes = escaped.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'|' {
                assert_eq!(bytes[i - 1], b'\\', "unescaped pipe at {i} in {escaped}");
            }
        }
    }

    #[test]
    fn text_joins_lines_and_keeps_pipes() {
        assert_eq!(text("a | b\nc <d>"), "a | b c &lt;d&gt;");
        assert_eq!(text("typed array[string]"), "typed array\\[string\\]");
    }

    #[test]
    fn prose_never_opens_a_block_or_a_link() {
        assert_eq!(rustdoc("```rust\nfn x() {}"), "\\`\\`\\`rust fn x() {}");
        // A closed run is a code span: its closing backticks make it an invalid fence opener.
        assert_eq!(rustdoc("```rust\nfn x() {}\n```"), "```rust fn x() {} ```");
        assert_eq!(rustdoc("~~~\nx"), "\\~\\~\\~ x");
        assert_eq!(rustdoc("# Title"), "\\# Title");
        assert_eq!(rustdoc("- item"), "\\- item");
        assert_eq!(rustdoc("1. first"), "1\\. first");
        assert_eq!(rustdoc("a *b* c"), "a \\*b\\* c");
        assert_eq!(
            rustdoc("see https://doc.example/a?b=1. Or http://x.example"),
            "see <https://doc.example/a?b=1>. Or <http://x.example>"
        );
        // Inside a code span nothing changes.
        assert_eq!(
            rustdoc("`https://x.example *a*`"),
            "`https://x.example *a*`"
        );
    }

    #[test]
    fn code_picks_a_fence_longer_than_any_backtick_run() {
        assert_eq!(code("list<string>"), "`list<string>`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(cell(&code("a|b")), "`a\\|b`");
    }
}
