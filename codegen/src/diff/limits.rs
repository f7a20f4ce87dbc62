//! What a field accepts: length, item and number limits, allowed values, the unit lengths are
//! counted in, and the leniencies of reply fields.

use super::compare::{code, Differ};
use super::fields::{Scope, Side};
use super::{Class, Kind};
use crate::model::{Field, LengthUnit, Literal, OverLimit};

impl Differ<'_> {
    pub(super) fn limits(&mut self, scope: &Scope, shown: &str, spec: &str, o: &Field, n: &Field) {
        let (a, b) = (&o.limits, &n.limits);
        let pairs: [(&str, bool, Option<i128>, Option<i128>); 4] = [
            (
                "min_chars",
                false,
                a.min_chars.map(i128::from),
                b.min_chars.map(i128::from),
            ),
            (
                "max_chars",
                true,
                a.max_chars.map(i128::from),
                b.max_chars.map(i128::from),
            ),
            (
                "min_items",
                false,
                a.min_items.map(i128::from),
                b.min_items.map(i128::from),
            ),
            (
                "max_items",
                true,
                a.max_items.map(i128::from),
                b.max_items.map(i128::from),
            ),
        ];
        self.number_limits(scope, shown, spec, a, b);
        for (key, upper, old, new) in pairs {
            if old == new {
                continue;
            }
            // Whether the change lets through more than before.
            let (looser, text) = match (old, new) {
                (Some(x), Some(y)) => {
                    let verb = if y > x { "raised" } else { "lowered" };
                    ((y > x) == upper, format!("{shown}: {key} {verb} {x} → {y}"))
                }
                (None, Some(y)) => (false, format!("{shown}: new limit {key} {y}")),
                (Some(x), None) => (true, format!("{shown}: limit {key} {x} removed")),
                (None, None) => continue,
            };
            let class = self.request_only(
                scope,
                if looser {
                    Class::Compatible
                } else {
                    Class::Breaking
                },
            );
            let c = self.field_change(
                scope,
                format!("{spec}.{key}"),
                Kind::LimitChanged,
                class,
                with_reply_note(text, scope),
            );
            (c.old, c.new) = (old.map(|v| v.to_string()), new.map(|v| v.to_string()));
        }
    }

    /// `min` and `max` of numbers, which may be floats.
    fn number_limits(
        &mut self,
        scope: &Scope,
        shown: &str,
        spec: &str,
        a: &crate::model::Limits,
        b: &crate::model::Limits,
    ) {
        for (key, upper, old, new) in [("min", false, a.min, b.min), ("max", true, a.max, b.max)] {
            if old == new {
                continue;
            }
            let (looser, text) = match (old, new) {
                (Some(x), Some(y)) => {
                    let raised = y.as_f64() > x.as_f64();
                    let verb = if raised { "raised" } else { "lowered" };
                    (raised == upper, format!("{shown}: {key} {verb} {x} → {y}"))
                }
                (None, Some(y)) => (false, format!("{shown}: new limit {key} {y}")),
                (Some(x), None) => (true, format!("{shown}: limit {key} {x} removed")),
                (None, None) => continue,
            };
            let class = if looser {
                Class::Compatible
            } else {
                Class::Breaking
            };
            let class = self.request_only(scope, class);
            let c = self.field_change(
                scope,
                format!("{spec}.{key}"),
                Kind::LimitChanged,
                class,
                with_reply_note(text, scope),
            );
            (c.old, c.new) = (old.map(|v| v.to_string()), new.map(|v| v.to_string()));
        }
        if a.pattern != b.pattern {
            // A pattern refuses values that passed before unless it is only removed.
            let class = if b.pattern.is_none() {
                Class::Compatible
            } else {
                Class::Breaking
            };
            let class = self.request_only(scope, class);
            let text = format!(
                "{shown}: pattern {} → {}",
                a.pattern.as_deref().map_or("none".into(), code),
                b.pattern.as_deref().map_or("none".into(), code)
            );
            let c = self.field_change(
                scope,
                format!("{spec}.pattern"),
                Kind::LimitChanged,
                class,
                with_reply_note(text, scope),
            );
            (c.old, c.new) = (a.pattern.clone(), b.pattern.clone());
        }
    }

    /// Past an upper limit the client refuses (`refused`) or sends and warns (`truncated`):
    /// refused → truncated lets through what was refused (compatible), the other way refuses
    /// what passed (breaking). Replies are not validated.
    pub(super) fn over_limit(
        &mut self,
        scope: &Scope,
        shown: &str,
        spec: &str,
        o: &Field,
        n: &Field,
    ) {
        if o.over_limit == n.over_limit {
            return;
        }
        let name = |v: OverLimit| match v {
            OverLimit::Refused => "refused",
            OverLimit::Truncated => "truncated",
        };
        let (class, what) = match n.over_limit {
            OverLimit::Truncated => (
                Class::Compatible,
                "the client warns and sends it; the server keeps the start",
            ),
            OverLimit::Refused => (Class::Breaking, "the client refuses it"),
        };
        let class = self.request_only(scope, class);
        let text = format!(
            "{shown}: over_limit {} → {} (a value past the limit: {what})",
            name(o.over_limit),
            name(n.over_limit)
        );
        self.field_change(
            scope,
            format!("{spec}.over_limit"),
            Kind::OverLimitChanged,
            class,
            with_reply_note(text, scope),
        )
        .values(name(o.over_limit), name(n.over_limit));
    }

    pub(super) fn allowed(&mut self, scope: &Scope, shown: &str, spec: &str, o: &Field, n: &Field) {
        let (a, b) = (&o.limits.allowed, &n.limits.allowed);
        if a == b {
            return;
        }
        let show = |v: &[Literal]| {
            format!(
                "[{}]",
                v.iter()
                    .map(Literal::display)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let spec = format!("{spec}.allowed");
        let mut changes: Vec<(Class, String)> = Vec::new();
        if a.is_empty() {
            changes.push((
                Class::Breaking,
                format!("{shown}: now restricted to allowed values {}", show(b)),
            ));
        } else if b.is_empty() {
            changes.push((
                Class::Compatible,
                format!("{shown}: allowed-values restriction {} lifted", show(a)),
            ));
        } else {
            let removed: Vec<Literal> = a.iter().filter(|v| !b.contains(v)).cloned().collect();
            let added: Vec<Literal> = b.iter().filter(|v| !a.contains(v)).cloned().collect();
            if !removed.is_empty() {
                changes.push((
                    Class::Breaking,
                    format!("{shown}: allowed values removed: {}", show(&removed)),
                ));
            }
            if !added.is_empty() {
                changes.push((
                    Class::Compatible,
                    format!("{shown}: allowed values added: {}", show(&added)),
                ));
            }
        }
        for (class, text) in changes {
            let class = self.request_only(scope, class);
            self.field_change(
                scope,
                spec.clone(),
                Kind::AllowedChanged,
                class,
                with_reply_note(text, scope),
            )
            .values(show(a), show(b));
        }
    }

    pub(super) fn length_unit(
        &mut self,
        scope: &Scope,
        shown: &str,
        spec: &str,
        o: &Field,
        n: &Field,
    ) {
        let has_max = o.limits.max_chars.is_some() || n.limits.max_chars.is_some();
        let has_min = o.limits.min_chars.is_some() || n.limits.min_chars.is_some();
        if o.length_unit == n.length_unit || !(has_max || has_min) {
            return;
        }
        // For any text: UTF-8 bytes >= UTF-16 units >= characters; counting more is stricter for a maximum.
        let rank = |u: LengthUnit| match u {
            LengthUnit::Chars => 0,
            LengthUnit::Utf16 => 1,
            LengthUnit::Bytes => 2,
        };
        let counts_more = rank(n.length_unit) > rank(o.length_unit);
        let tighter = (has_max && counts_more) || (has_min && !counts_more);
        let class = self.request_only(
            scope,
            if tighter {
                Class::Breaking
            } else {
                Class::Compatible
            },
        );
        let text = format!(
            "{shown}: length counted in {} instead of {}",
            n.length_unit.words(),
            o.length_unit.words()
        );
        self.field_change(
            scope,
            format!("{spec}.length_unit"),
            Kind::LengthUnitChanged,
            class,
            with_reply_note(text, scope),
        )
        .values(o.length_unit.name(), n.length_unit.name());
    }

    pub(super) fn lenience(
        &mut self,
        scope: &Scope,
        shown: &str,
        spec: &str,
        o: &Field,
        n: &Field,
    ) {
        let flags = [
            (
                "json_text",
                "as JSON text",
                o.lenience.json_text,
                n.lenience.json_text,
            ),
            (
                "number_as_string",
                "with numbers as strings",
                o.lenience.number_as_string,
                n.lenience.number_as_string,
            ),
        ];
        for (key, how, a, b) in flags {
            if a == b {
                continue;
            }
            let (class, text) = if b {
                (
                    Class::Compatible,
                    format!("{shown}: now also accepted {how}"),
                )
            } else {
                (
                    Class::Breaking,
                    format!("{shown}: no longer accepted {how}"),
                )
            };
            self.field_change(
                scope,
                format!("{spec}.lenient"),
                Kind::LenienceChanged,
                class,
                text,
            )
            .values(key_state(key, a), key_state(key, b));
        }
    }

    /// Limits bind requests only: the client does not validate replies.
    fn request_only(&self, scope: &Scope, class: Class) -> Class {
        match scope.side {
            Side::Request => class,
            Side::Reply => Class::DocsOnly,
        }
    }
}

fn with_reply_note(text: String, scope: &Scope) -> String {
    match scope.side {
        Side::Request => text,
        Side::Reply => format!("{text} (replies are not validated)"),
    }
}

fn key_state(key: &str, on: bool) -> String {
    if on {
        key.to_owned()
    } else {
        format!("no {key}")
    }
}
