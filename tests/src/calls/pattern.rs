//! Text for a field's `pattern`: a string the pattern matches (of an exact length, when a limit
//! asks for one) and one it does not.
//!
//! The matching text is built by walking the pattern's syntax tree (`regex-syntax`, the parser the
//! `regex` crate itself uses, so the tree is exactly what the generated validator compiles): each
//! class gives one plain character, each repetition its minimum plus a share of a budget that
//! lengthens the text. Every candidate is confirmed with `regex` before it is used.

use codegen::model::LengthUnit;
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};

use super::measure;

/// A pattern as the validator applies it (the whole value must match).
pub struct Pattern {
    re: Regex,
    hir: Hir,
}

impl Pattern {
    /// `None` for a pattern `regex` rejects (the checker refuses those).
    pub fn new(pattern: &str) -> Option<Pattern> {
        let whole = format!("^(?:{pattern})$");
        Some(Pattern {
            re: Regex::new(&whole).ok()?,
            hir: regex_syntax::parse(&whole).ok()?,
        })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.re.is_match(text)
    }

    /// Matching texts, shortest first: the walk with a growing budget of extra repetitions.
    fn walks(&self) -> impl Iterator<Item = String> + '_ {
        (0..4096u64).filter_map(|budget| {
            let mut out = String::new();
            walk(&self.hir, &mut budget.clone(), &mut out);
            self.is_match(&out).then_some(out)
        })
    }

    /// The `i`-th matching text (by growing budget), or the first when there are fewer: list
    /// items that differ where the pattern lets them.
    pub fn nth_match(&self, i: u64) -> String {
        let mut walks = self.walks().take(64);
        let first = walks.next().unwrap_or_default();
        std::iter::once(first.clone())
            .chain(walks)
            .nth(i as usize)
            .unwrap_or(first)
    }

    /// A matching text whose length in `unit` lies in `min..=max`.
    pub fn matching(&self, min: u64, max: u64, unit: LengthUnit) -> Option<String> {
        self.walks()
            .take_while(|t| measure(t, unit) <= max)
            .find(|t| measure(t, unit) >= min)
    }

    /// A text the pattern does not match, if there is one among plain candidates and small
    /// changes of a matching text.
    pub fn missing(&self) -> Option<String> {
        let plain = ["", "!", "not a match ☃", "0", "x", "\n"].map(String::from);
        let matching = self.walks().next().unwrap_or_default();
        let changed = [
            format!("{matching}☃"),
            format!("☃{matching}"),
            format!("{matching}\n"),
            matching.chars().skip(1).collect(),
        ];
        plain.into_iter().chain(changed).find(|t| !self.is_match(t))
    }
}

/// Appends a text `hir` matches; repetitions take extra rounds from `budget` while they can.
fn walk(hir: &Hir, budget: &mut u64, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(class) => out.extend(plain_char(class)),
        HirKind::Capture(cap) => walk(&cap.sub, budget, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| walk(p, budget, out)),
        // The first branch; another only when the first cannot produce text at all.
        HirKind::Alternation(branches) => {
            let branch = branches
                .iter()
                .find(|b| b.properties().minimum_len().is_some())
                .unwrap_or(&branches[0]);
            walk(branch, budget, out)
        }
        HirKind::Repetition(rep) => {
            let room = u64::from(rep.max.unwrap_or(u32::MAX) - rep.min);
            let extra = room.min(*budget);
            *budget -= extra;
            for _ in 0..u64::from(rep.min) + extra {
                walk(&rep.sub, budget, out);
            }
        }
    }
}

/// A readable character of `class`: a letter or digit when it has one.
fn plain_char(class: &Class) -> Option<char> {
    let preferred = "a0A_-.@".chars().chain('b'..='z').chain('1'..='9');
    let chars: Vec<(char, char)> = match class {
        Class::Unicode(u) => u.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .filter(|r| r.start().is_ascii())
            .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
            .collect(),
    };
    let inside = |c: char| chars.iter().any(|(a, b)| (*a..=*b).contains(&c));
    preferred.into_iter().find(|c| inside(*c)).or_else(|| {
        chars
            .iter()
            .find_map(|(a, b)| (*a.max(&'!')..=*b).find(|c| !c.is_control()))
    })
}
