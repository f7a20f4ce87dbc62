//! Markdown escaping for text taken from the spec: the `cell`, `text` and `code` template filters.
//!
//! Spec prose may hold `|`, line breaks, `<`, `>`, `[`, `]` and code spans in backticks. Outside
//! code spans those characters are escaped; inside code spans only what GFM tables split on (`|`)
//! is escaped, because everything else there is shown literally.

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
                    // No closing run: the backticks are literal text.
                    out.push_str(&"`".repeat(run));
                    i += run;
                }
            }
            continue;
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
            other => out.push(other),
        }
        i += 1;
    }
    out
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
        assert_eq!(cell("it`s <b> | c"), "it`s &lt;b&gt; \\| c");
        assert_eq!(cell("a `` b ` c | d"), "a `` b ` c \\| d");
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
    fn code_picks_a_fence_longer_than_any_backtick_run() {
        assert_eq!(code("list<string>"), "`list<string>`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(cell(&code("a|b")), "`a\\|b`");
    }
}
