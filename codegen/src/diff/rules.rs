//! Conditional rules: a new or tightened rule rejects requests that passed before.

use super::compare::{code, list, Differ};
use super::{Class, Kind};
use crate::model::{Consequence, Literal, Rule, Severity, Test};

/// Rules are matched by the field they test, the field they constrain and the kind of constraint.
fn key(rule: &Rule) -> (String, String, &'static str) {
    let kind = match &rule.consequence {
        Consequence::Absent => "absent",
        Consequence::Present => "present",
        Consequence::MaxItems(_) => "max_items",
        Consequence::MaxChars(_) => "max_chars",
        Consequence::Max(_) => "max",
        Consequence::Min(_) => "min",
        Consequence::Compare(op, _) => op.name(),
    };
    let when = rule
        .when
        .as_ref()
        .map_or_else(|| "always".to_owned(), |w| w.field.wire());
    (when, rule.then.wire(), kind)
}

fn summary(rule: &Rule) -> String {
    format!(
        "{} ⇒ {}",
        code(&rule.condition_text()),
        code(&rule.consequence_text())
    )
}

/// The values a condition holds for, when it lists them (a negated list holds for the others).
fn values(rule: &Rule) -> Option<(bool, Vec<Literal>)> {
    match &rule.when.as_ref()?.test {
        Test::Equals(v) => Some((true, vec![v.clone()])),
        Test::In(vs) => Some((true, vs.clone())),
        Test::NotEquals(v) => Some((false, vec![v.clone()])),
        Test::NotIn(vs) => Some((false, vs.clone())),
        Test::IsSet(_) | Test::NonEmpty => None,
    }
}

/// An upper limit (positive) or a lower one (negated), so "smaller" always means "tighter".
fn limit(consequence: &Consequence) -> Option<f64> {
    match consequence {
        Consequence::MaxItems(n) | Consequence::MaxChars(n) => Some(*n as f64),
        Consequence::Max(n) => Some(n.as_f64()),
        Consequence::Min(n) => Some(-n.as_f64()),
        Consequence::Absent | Consequence::Present | Consequence::Compare(..) => None,
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
                    // A new warning refuses nothing; a new error may refuse what passed before.
                    let class = match n.severity {
                        Severity::Error => Class::Breaking,
                        Severity::Warning => Class::Compatible,
                    };
                    let text = format!("new rule {}", summary(n));
                    self.record(
                        endpoint,
                        format!("{root}.rules[{ni}]"),
                        Kind::RuleAdded,
                        class,
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
        if o.severity != n.severity {
            let class = match n.severity {
                Severity::Error => Class::Breaking,
                Severity::Warning => Class::Compatible,
            };
            let text = format!(
                "rule {} is now {}",
                code(&n.condition_text()),
                match n.severity {
                    Severity::Error => "an error (the request is refused)",
                    Severity::Warning => "a warning (the request is sent)",
                }
            );
            self.record(
                endpoint,
                format!("{spec}.severity"),
                Kind::RuleChanged,
                class,
                text,
            )
            .values(format!("{:?}", o.severity), format!("{:?}", n.severity));
        }
        let changed = match (values(o), values(n)) {
            (Some((pa, a)), Some((pb, b))) if pa == pb => {
                (a.len() != b.len() || a.iter().any(|v| !b.contains(v))).then(|| {
                    // For a negated list, more values means the rule applies in fewer cases.
                    let (wide, narrow) = if pa { (&a, &b) } else { (&b, &a) };
                    (
                        wide.iter().all(|v| narrow.contains(v)),
                        narrow.iter().all(|v| wide.contains(v)),
                    )
                })
            }
            _ => (o.condition_text() != n.condition_text()).then_some((false, false)),
        };
        if let Some((widened, narrowed)) = changed {
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
        let change = match (limit(&o.consequence), limit(&n.consequence)) {
            (Some(x), Some(y)) if x != y && y < x => Some((Class::Breaking, "tightened")),
            (Some(x), Some(y)) if x != y => Some((Class::Compatible, "loosened")),
            // Compared with another field now: requests that passed may be refused.
            (None, _) if o.consequence_text() != n.consequence_text() => {
                Some((Class::Breaking, "changed"))
            }
            _ => None,
        };
        if let Some((class, verb)) = change {
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
            .values(o.consequence_text(), n.consequence_text());
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
