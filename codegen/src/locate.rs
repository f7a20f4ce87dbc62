//! Maps spec paths to line and column by walking YAML events, and finds duplicate keys,
//! which serde would otherwise resolve silently.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Positions of every key and value of one YAML file, by dotted path.
#[derive(Debug, Default, Clone)]
pub struct Locator {
    /// Where each path's key starts (for a list item, where the item starts).
    keys: HashMap<String, (usize, usize)>,
    /// Keys that appear twice in one mapping: path and the position of the second.
    pub duplicates: Vec<(String, (usize, usize))>,
}

impl Locator {
    /// Indexes `text`, whose paths are prefixed with `root` (e.g. `endpoints.send_batch_msg`).
    /// YAML that does not parse gives its syntax error and position instead, which is more
    /// precise than what serde reports for the same text.
    pub fn new(text: &str, root: &str) -> Result<Locator, SyntaxError> {
        let mut walker = Walker {
            root: root.to_owned(),
            ..Walker::default()
        };
        let mut parser = Parser::new_from_str(text);
        if let Err(err) = parser.load(&mut walker, false) {
            let mark = err.marker();
            let mut message = format!("YAML syntax error: {}", err.info());
            if text
                .lines()
                .nth(mark.line().saturating_sub(1))
                .is_some_and(|l| l.starts_with('\t'))
                || text.contains("\n\t")
            {
                message.push_str(" (YAML indents with spaces, never tabs)");
            }
            return Err(SyntaxError {
                message,
                position: (mark.line(), mark.col() + 1),
            });
        }
        Ok(Locator {
            keys: walker.keys,
            duplicates: walker.duplicates,
        })
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut probe = path;
        loop {
            if let Some(pos) = self.keys.get(probe) {
                return Some(*pos);
            }
            probe = &probe[..probe.rfind(['.', '['])?];
        }
    }
}

/// A YAML syntax error at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub position: (usize, usize),
}

#[derive(Default)]
enum Frame {
    #[default]
    Root,
    /// A mapping: its path, the keys seen, and whether the next scalar is a key.
    Map {
        path: String,
        seen: Vec<String>,
        pending_key: Option<String>,
    },
    /// A sequence: its path and the next index.
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct Walker {
    root: String,
    stack: Vec<Frame>,
    keys: HashMap<String, (usize, usize)>,
    duplicates: Vec<(String, (usize, usize))>,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Walker {
    /// Path of the value that starts now, consuming a pending key or a list index.
    fn value_path(&mut self, mark: Marker) -> String {
        let pos = (mark.line(), mark.col() + 1);
        match self.stack.last_mut() {
            None | Some(Frame::Root) => self.root.clone(),
            Some(Frame::Map {
                path, pending_key, ..
            }) => {
                let key = pending_key.take().unwrap_or_default();
                join(path, &key)
            }
            Some(Frame::Seq { path, next }) => {
                let item = format!("{path}[{next}]");
                *next += 1;
                self.keys.entry(item.clone()).or_insert(pos);
                item
            }
        }
    }

    fn scalar(&mut self, text: &str, mark: Marker) {
        let pos = (mark.line(), mark.col() + 1);
        if let Some(Frame::Map {
            path,
            seen,
            pending_key,
        }) = self.stack.last_mut()
        {
            if pending_key.is_none() {
                let full = join(path, text);
                if seen.iter().any(|k| k == text) {
                    self.duplicates.push((full, pos));
                } else {
                    seen.push(text.to_owned());
                    self.keys.insert(full, pos);
                }
                *pending_key = Some(text.to_owned());
                return;
            }
        }
        self.value_path(mark);
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => self.scalar(&text, mark),
            Event::MappingStart(..) => {
                let path = self.value_path(mark);
                self.stack.push(Frame::Map {
                    path,
                    seen: Vec::new(),
                    pending_key: None,
                });
            }
            Event::SequenceStart(..) => {
                let path = self.value_path(mark);
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.value_path(mark);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_keys_and_items() {
        let text =
            "fields:\n  toAccids:\n    type: list<string>\n    max_items: 5\nrules:\n  - when: x\n";
        let loc = Locator::new(text, "endpoints.e").unwrap();
        assert_eq!(
            loc.find("endpoints.e.fields.toAccids.max_items"),
            Some((4, 5))
        );
        assert_eq!(loc.find("endpoints.e.rules[0].when"), Some((6, 5)));
        // An unknown child falls back to its nearest ancestor.
        assert_eq!(
            loc.find("endpoints.e.fields.toAccids.nothing"),
            Some((2, 3))
        );
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
}
