//! Maps spec paths to line and column by walking YAML events, finds duplicate keys (which serde
//! would resolve silently), and refuses YAML past the limits of `crate::limits` before serde_yaml
//! sees it. The walk is a loop over events with an explicit stack, so no input can make it recurse.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::limits::{MAX_ALIAS_NODES, MAX_DUPLICATE_KEYS_REPORTED, MAX_YAML_DEPTH};
use path_hash::PathHash;

/// Positions of every key and value of one YAML file, by dotted path.
#[derive(Debug, Clone)]
pub struct Locator {
    /// Where each path's key starts (for a list item, where the item starts), by a hash of the
    /// dotted path: storing the paths themselves would cost a key's whole path for every key.
    keys: HashMap<u128, (usize, usize)>,
    /// Where the root node starts; the answer for paths with no located ancestor.
    root: (usize, usize),
    /// Keys that appear twice in one mapping: path and the position of the second.
    pub duplicates: Vec<(String, (usize, usize))>,
    /// Duplicates past `MAX_DUPLICATE_KEYS_REPORTED`: how many, and where the first is.
    pub unlisted_duplicates: Option<(usize, (usize, usize))>,
}

impl Default for Locator {
    fn default() -> Self {
        Locator {
            keys: HashMap::new(),
            root: (1, 1),
            duplicates: Vec::new(),
            unlisted_duplicates: None,
        }
    }
}

/// Why a file's YAML was not indexed, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub position: (usize, usize),
    /// The text is YAML past a limit, or several documents: no other parser may be given it.
    /// Otherwise it is a syntax error, which libyaml may word better.
    pub refused: bool,
}

impl Locator {
    /// Indexes `text`, whose paths are prefixed with `root` (e.g. `endpoints.send_batch_msg`).
    /// YAML that does not parse gives its syntax error and position instead, which is more
    /// precise than what serde reports for the same text.
    pub fn new(text: &str, root: &str) -> Result<Locator, YamlError> {
        let mut walker = Walker {
            root: root.to_owned(),
            locator: Locator::default(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            alias_nodes: 0,
            documents: 0,
        };
        let mut parser = Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => return Ok(walker.locator),
                Ok((event, mark)) => walker.on_event(event, mark)?,
                // yaml-rust2's scanner reads ahead, so for `[[[[…` its own limit (255 levels of
                // flow nesting) can trip before the walk sees level 65: the same refusal.
                Err(err) if err.info() == "recursion limit exceeded" => {
                    return Err(too_deep(*err.marker()))
                }
                Err(err) => return Err(syntax_error(text, err.marker(), err.info())),
            }
        }
    }

    /// The position of `path`, or of its nearest located ancestor, or of the root node.
    pub fn find(&self, path: &str) -> (usize, usize) {
        let mut probe = path;
        loop {
            if let Some(pos) = self.keys.get(&PathHash::of(probe).state) {
                return *pos;
            }
            match probe.rfind(['.', '[']) {
                Some(end) => probe = &probe[..end],
                None => return self.root,
            }
        }
    }
}

fn syntax_error(text: &str, mark: &Marker, info: &str) -> YamlError {
    let mut message = format!("YAML syntax error: {info}");
    if text
        .lines()
        .nth(mark.line().saturating_sub(1))
        .is_some_and(|l| l.starts_with('\t'))
        || text.contains("\n\t")
    {
        message.push_str(" (YAML indents with spaces, never tabs)");
    }
    YamlError {
        message,
        position: position(mark),
        refused: false,
    }
}

fn too_deep(mark: Marker) -> YamlError {
    refuse(
        mark,
        format!(
            "YAML nests deeper than {MAX_YAML_DEPTH} levels here; that is the limit for spec files"
        ),
    )
}

fn refuse(mark: Marker, message: String) -> YamlError {
    YamlError {
        message,
        position: position(&mark),
        refused: true,
    }
}

fn position(mark: &Marker) -> (usize, usize) {
    (mark.line(), mark.col() + 1)
}

/// How a node's path extends its parent's; kept per open node to spell a duplicate's path.
enum Segment {
    Root,
    Key(String),
    Item(usize),
}

enum Kind {
    /// The keys seen, and the key whose value comes next (`None`: the next scalar is a key).
    Map {
        seen: HashSet<String>,
        pending_key: Option<String>,
    },
    /// The next item's index.
    Seq { next: usize },
}

/// An open mapping or sequence.
struct Frame {
    kind: Kind,
    hash: PathHash,
    segment: Segment,
    /// Anchor id, 0 for none.
    anchor: usize,
    /// `Walker::nodes` before this node began.
    nodes_before: u64,
    /// The deepest nesting inside this node so far, aliases expanded, counted from the document.
    deepest: usize,
}

/// What an alias to an anchored node adds when expanded.
#[derive(Clone, Copy)]
struct Anchor {
    nodes: u64,
    /// Levels of nesting: 0 for a scalar, 1 for a flat list or mapping.
    height: usize,
}

struct Walker {
    root: String,
    locator: Locator,
    stack: Vec<Frame>,
    /// Anchors by id; `None` while the anchored node is still open.
    anchors: HashMap<usize, Option<Anchor>>,
    /// Nodes so far, aliases expanded.
    nodes: u64,
    /// Nodes added by expanding aliases.
    alias_nodes: u64,
    documents: usize,
}

impl Walker {
    fn on_event(&mut self, event: Event, mark: Marker) -> Result<(), YamlError> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(refuse(
                        mark,
                        "a second YAML document starts here; a spec file holds exactly one".into(),
                    ));
                }
            }
            Event::Scalar(text, _, anchor, _) => {
                if self.nodes < 2 {
                    self.root_at(mark);
                }
                self.nodes += 1;
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Some(Anchor {
                            nodes: 1,
                            height: 0,
                        }),
                    );
                }
                self.scalar(text, mark);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let depth = self.stack.len() + 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(too_deep(mark));
                }
                if self.nodes < 2 {
                    self.root_at(mark);
                }
                let nodes_before = self.nodes;
                self.nodes += 1;
                if anchor != 0 {
                    self.anchors.insert(anchor, None);
                }
                let (hash, segment) = self.value_path(mark);
                let kind = if matches!(event, Event::MappingStart(..)) {
                    Kind::Map {
                        seen: HashSet::new(),
                        pending_key: None,
                    }
                } else {
                    Kind::Seq { next: 0 }
                };
                self.stack.push(Frame {
                    kind,
                    hash,
                    segment,
                    anchor,
                    nodes_before,
                    deepest: depth,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = self.stack.pop() {
                    let depth = self.stack.len() + 1;
                    if let Some(parent) = self.stack.last_mut() {
                        parent.deepest = parent.deepest.max(frame.deepest);
                    }
                    if frame.anchor != 0 {
                        let anchor = Anchor {
                            nodes: self.nodes - frame.nodes_before,
                            height: frame.deepest + 1 - depth,
                        };
                        self.anchors.insert(frame.anchor, Some(anchor));
                    }
                }
            }
            Event::Alias(id) => self.alias(id, mark)?,
            _ => {}
        }
        Ok(())
    }

    /// Places the root node at the earlier of the first two nodes: yaml-rust2 marks a block
    /// mapping where its first value starts, after its first key.
    fn root_at(&mut self, mark: Marker) {
        let pos = position(&mark);
        if self.nodes == 0 || pos < self.locator.root {
            self.locator.root = pos;
        }
    }

    /// Checks what expanding the alias would cost, as serde_yaml will expand it.
    fn alias(&mut self, id: usize, mark: Marker) -> Result<(), YamlError> {
        let Some(Some(anchor)) = self.anchors.get(&id).copied() else {
            return Err(refuse(
                mark,
                "this alias refers to a node that contains it, which would never end".into(),
            ));
        };
        let depth = self.stack.len() + anchor.height;
        if depth > MAX_YAML_DEPTH {
            return Err(refuse(mark, format!("this alias, expanded, nests YAML deeper than {MAX_YAML_DEPTH} levels; that is the limit for spec files")));
        }
        self.alias_nodes += anchor.nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(refuse(mark, format!("aliases expand to more than {MAX_ALIAS_NODES} nodes by here; that is the limit for spec files (write the values out)")));
        }
        self.nodes += anchor.nodes;
        if let Some(top) = self.stack.last_mut() {
            top.deepest = top.deepest.max(depth);
        }
        self.value_path(mark);
        Ok(())
    }

    /// Path of the value that starts now, consuming a pending key or a list index.
    fn value_path(&mut self, mark: Marker) -> (PathHash, Segment) {
        match self.stack.last_mut() {
            None => (PathHash::of(&self.root), Segment::Root),
            Some(Frame {
                kind: Kind::Map { pending_key, .. },
                hash,
                ..
            }) => {
                let key = pending_key.take().unwrap_or_default();
                (hash.key(&key), Segment::Key(key))
            }
            Some(Frame {
                kind: Kind::Seq { next },
                hash,
                ..
            }) => {
                let index = *next;
                *next += 1;
                let item = hash.item(index);
                self.locator
                    .keys
                    .entry(item.state)
                    .or_insert(position(&mark));
                (item, Segment::Item(index))
            }
        }
    }

    fn scalar(&mut self, text: String, mark: Marker) {
        let Some(Frame {
            kind: Kind::Map { seen, pending_key },
            hash,
            ..
        }) = self.stack.last_mut()
        else {
            self.value_path(mark);
            return;
        };
        if pending_key.is_some() {
            self.value_path(mark);
            return;
        }
        let pos = position(&mark);
        if seen.contains(&text) {
            *pending_key = Some(text.clone());
            self.duplicate(&text, pos);
        } else {
            self.locator.keys.insert(hash.key(&text).state, pos);
            seen.insert(text.clone());
            *pending_key = Some(text);
        }
    }

    fn duplicate(&mut self, key: &str, pos: (usize, usize)) {
        if self.locator.duplicates.len() < MAX_DUPLICATE_KEYS_REPORTED {
            let path = join(&self.path_of_top(), key);
            self.locator.duplicates.push((path, pos));
        } else {
            self.locator.unlisted_duplicates.get_or_insert((0, pos)).0 += 1;
        }
    }

    /// The dotted path of the innermost open node.
    fn path_of_top(&self) -> String {
        let mut path = self.root.clone();
        for frame in &self.stack {
            match &frame.segment {
                Segment::Root => {}
                Segment::Key(key) => path = join(&path, key),
                Segment::Item(index) => path = format!("{path}[{index}]"),
            }
        }
        path
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

mod path_hash;
#[cfg(test)]
mod tests;
