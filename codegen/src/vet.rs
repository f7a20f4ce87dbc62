//! Decides whether serde may parse a spec file's text: indexes it for locations, and reports
//! duplicate keys, YAML past a limit and syntax errors, the last worded by libyaml where it can.

use crate::diag::Diagnostic;
use crate::limits::MAX_DUPLICATE_KEYS_REPORTED;
use crate::locate::{Locator, YamlError};

/// How far past yaml-rust2's syntax error libyaml may read to word it: libyaml is quadratic in
/// flow nesting, which the walk checked only up to the error.
const LIBYAML_LOOKAHEAD: usize = 1024;

/// Indexes a file's YAML and reports what keeps it from serde: syntax errors, duplicate keys,
/// YAML past a limit. Returns the locator and whether serde may parse the text.
pub(crate) fn vet_yaml(
    text: &str,
    root: &str,
    display: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Locator, bool) {
    let at = |position: (usize, usize), spec_path: &str, message: String| Diagnostic {
        file: display.to_owned(),
        location: Some(position),
        spec_path: spec_path.to_owned(),
        message,
    };
    let err = match Locator::new(text, root) {
        Ok(locator) => {
            for (path, pos) in &locator.duplicates {
                let key = path.rsplit('.').next().unwrap_or(path);
                let message =
                    format!("duplicate key `{key}`: a key may appear only once in a mapping");
                diags.push(at(*pos, path, message));
            }
            if let Some((count, pos)) = locator.unlisted_duplicates {
                let message = format!("{count} more duplicate key(s) from here on, not listed: only the first {MAX_DUPLICATE_KEYS_REPORTED} of a file are");
                diags.push(at(pos, root, message));
            }
            // A file with a duplicate key is not handed to serde, which would resolve it silently.
            if !locator.duplicates.is_empty() {
                return (locator, false);
            }
            // libyaml rejects some text yaml-rust2 accepts; reading plain YAML first keeps a shape
            // error from hiding a syntax error further down. The walk has bounded its cost.
            return match serde_yaml::from_str::<serde_yaml::Value>(text) {
                Ok(_) => (locator, true),
                Err(err) => {
                    let (_, message) = split_serde_message(&err.to_string());
                    let pos = err
                        .location()
                        .map_or(locator.find(root), |l| (l.line(), l.column()));
                    diags.push(at(pos, root, format!("YAML syntax error: {message}")));
                    (locator, false)
                }
            };
        }
        Err(err) => err,
    };
    let YamlError {
        message,
        position,
        refused,
    } = err;
    // libyaml (through serde_yaml) words syntax errors best, with their context; it reads only a
    // little past yaml-rust2's error, and is believed only about an error before the end of that.
    let libyaml = (!refused).then(|| libyaml_error(text, position)).flatten();
    diags.push(match libyaml {
        Some((pos, message)) => at(pos, root, format!("YAML syntax error: {message}")),
        None => at(position, root, message),
    });
    (Locator::default(), false)
}

/// libyaml's error in `text` up to a little past `position`, if it is located before that cut
/// (an error at the cut may only be the cut).
fn libyaml_error(text: &str, (line, col): (usize, usize)) -> Option<((usize, usize), String)> {
    let line_start = match line.checked_sub(2) {
        None => 0,
        Some(newlines) => text
            .match_indices('\n')
            .nth(newlines)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    let error = text[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i);
    // Through the next line: yaml-rust2 may stop at the end of a line whose fault libyaml
    // reports where the next one starts (a tab, say).
    let next_line_end = text[error..]
        .match_indices('\n')
        .nth(1)
        .map_or(text.len(), |(i, _)| error + i + 1);
    let mut cut = next_line_end.min(error + LIBYAML_LOOKAHEAD);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let prefix = &text[..cut];
    let end = (
        prefix.matches('\n').count() + 1,
        prefix[prefix.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1,
    );
    let err = serde_yaml::from_str::<serde_yaml::Value>(prefix).err()?;
    let location = err.location().map(|l| (l.line(), l.column()))?;
    (location < end).then(|| (location, split_serde_message(&err.to_string()).1))
}

/// Splits serde_yaml's `path: message at line L column C` into the path and the message,
/// dropping the first position (shown in front instead) but keeping any later context.
pub(crate) fn split_serde_message(text: &str) -> (String, String) {
    let (path, rest) = match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (path.to_owned(), rest),
        _ => (String::new(), text),
    };
    let mut message = rest.to_owned();
    if let Some(start) = message.find(" at line ") {
        let tail = &message[start + " at line ".len()..];
        let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
        let line_len = digits(tail);
        let after_line = &tail[line_len..];
        if line_len > 0 && after_line.starts_with(" column ") {
            let col_len = digits(&after_line[" column ".len()..]);
            let end = start + " at line ".len() + line_len + " column ".len() + col_len;
            message.replace_range(start..end, "");
        }
    }
    (path, message)
}

#[cfg(test)]
mod tests {
    use super::split_serde_message;

    #[test]
    fn serde_messages_split_into_path_and_text() {
        assert_eq!(
            split_serde_message(
                "fields.fromAccid: unknown field `x`, expected `a` at line 5 column 3"
            ),
            (
                "fields.fromAccid".to_owned(),
                "unknown field `x`, expected `a`".to_owned()
            )
        );
        assert_eq!(
            split_serde_message("did not find expected ',' at line 7 column 1, while parsing a flow sequence at line 6 column 8"),
            (String::new(), "did not find expected ',', while parsing a flow sequence at line 6 column 8".to_owned())
        );
    }
}
