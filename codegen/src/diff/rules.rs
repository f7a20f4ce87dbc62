//! Conditional rules: a new or tightened rule rejects requests that passed before.

use super::compare::{code, list, Differ};
use super::{Class, Kind};
use crate::model::{Consequence, Literal, Rule, Test};

/// Rules are matched by the field they test, the field they constrain and the kind of constraint.
fn key(rule: &Rule) -> (String, String, &'static str) {
    let kind = match rule.consequence {
        Consequence::Absent => "absent",
        Consequence::Present => "present",
        Consequence::MaxItems(_) => "max_items",
        Consequence::MaxChars(_) => "max_chars",
        Consequence::Max(_) => "max",
    };
    (rule.when.wire(), rule.then.wire(), kind)
}

fn summary(rule: &Rule) -> String {
    format!(
        "{} ⇒ {}",
        code(&rule.condition_text()),
        code(&rule.consequence_text())
    )
}

fn values(test: &Test) -> Vec<Literal> {
    match test {
        Test::Equals(v) => vec![v.clone()],
        Test::In(vs) => vs.clone(),
    }
}

fn limit(consequence: &Consequence) -> Option<i128> {
    match consequence {
        Consequence::MaxItems(n) | Consequence::MaxChars(n) => Some(i128::from(*n)),
        Consequence::Max(n) => Some(i128::from(*n)),
        Consequence::Absent | Consequence::Present => None,
    }
}

impl Differ<'_> {
    /// Compares an endpoint's rules; `root` is its spec path.
    pub(super) fn rules(&mut self, endpoint: &str, root: &str, old: &[Rule], new: &[Rule]) {
        let mut unmatched: Vec<usize> = (0..old.len()).collect();
        let mut pairs = Vec::new();
        for (ni, n) in new.iter().enumerate() {
            match unmatched.iter().position(|&oi| key(&old[oi]) == key(n)) {
                Some(pos) => pairs.push((unmatched.remove(pos), ni)),
                None => {
                    let text = format!("new rule {}", summary(n));
                    self.record(
                        endpoint,
                        format!("{root}.rules[{ni}]"),
                        Kind::RuleAdded,
                        Class::Breaking,
                        text,
                    )
                    .new = Some(summary(n));
                }
            }
        }
        for oi in unmatched {
            let text = format!("rule removed: {}", summary(&old[oi]));
            self.record(
                endpoint,
                format!("{root}.rules[{oi}]"),
                Kind::RuleRemoved,
                Class::Compatible,
                text,
            )
            .old = Some(summary(&old[oi]));
        }
        for (oi, ni) in pairs {
            self.rule(endpoint, &format!("{root}.rules[{ni}]"), &old[oi], &new[ni]);
        }
    }

    fn rule(&mut self, endpoint: &str, spec: &str, o: &Rule, n: &Rule) {
        let (a, b) = (values(&o.test), values(&n.test));
        if a.len() != b.len() || a.iter().any(|v| !b.contains(v)) {
            let widened = a.iter().all(|v| b.contains(v));
            let narrowed = b.iter().all(|v| a.contains(v));
            let (class, verb) = match (widened, narrowed) {
                (true, _) => (Class::Breaking, "widened (applies in more cases)"),
                (_, true) => (Class::Compatible, "narrowed (applies in fewer cases)"),
                _ => (Class::Breaking, "changed"),
            };
            let text = format!(
                "rule condition {verb}: {} → {}",
                code(&o.condition_text()),
                code(&n.condition_text())
            );
            self.record(
                endpoint,
                format!("{spec}.when"),
                Kind::RuleChanged,
                class,
                text,
            )
            .values(o.condition_text(), n.condition_text());
        }
        if let (Some(x), Some(y)) = (limit(&o.consequence), limit(&n.consequence)) {
            if x != y {
                let (class, verb) = if y < x {
                    (Class::Breaking, "tightened")
                } else {
                    (Class::Compatible, "loosened")
                };
                let text = format!(
                    "rule {} {verb}: {} → {}",
                    code(&n.condition_text()),
                    code(&o.consequence_text()),
                    code(&n.consequence_text())
                );
                self.record(
                    endpoint,
                    format!("{spec}.then"),
                    Kind::RuleChanged,
                    class,
                    text,
                )
                .values(x, y);
            }
        }
        let what = format!("rule {}", code(&n.condition_text()));
        self.docs(
            endpoint,
            &format!("{spec}.description"),
            &format!("{what}: description"),
            &o.description,
            &n.description,
        );
        self.docs(
            endpoint,
            &format!("{spec}.sources"),
            &format!("{what}: sources"),
            &list(&o.sources),
            &list(&n.sources),
        );
    }
}
