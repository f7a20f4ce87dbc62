//! Rules that can never apply or never hold, judged by the values a field can take: a condition
//! that no value passes (`in` listing none of them, `not_in` listing all), a field compared with
//! itself, and a bound that every value the rule applies to breaks.

use super::Checker;
use crate::model::*;

/// The test's key in the spec, its values, and whether it passes for the listed values (`in`)
/// or for the others (`not_in`); `None` for tests without values.
fn listed(test: &Test) -> Option<(&'static str, &[Literal], bool)> {
    match test {
        Test::Equals(l) => Some(("equals", std::slice::from_ref(l), true)),
        Test::In(ls) => Some(("in", ls, true)),
        Test::NotEquals(l) => Some(("not_equals", std::slice::from_ref(l), false)),
        Test::NotIn(ls) => Some(("not_in", ls, false)),
        Test::IsSet(_) | Test::NonEmpty => None,
    }
}

fn as_f64(l: &Literal) -> Option<f64> {
    match l {
        Literal::Int(i) => Some(*i as f64),
        Literal::Float(f) => Some(*f),
        _ => None,
    }
}

fn shown(values: &[Literal]) -> String {
    values
        .iter()
        .map(Literal::display)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Checker<'_> {
    /// Every value `field` can take when they can be listed (its `allowed` ones, a bool's two, a
    /// closed enum's), with where the list comes from.
    fn listable_values(&self, field: &Field) -> Option<(Vec<Literal>, String)> {
        if !field.limits.allowed.is_empty() {
            let values = field.limits.allowed.clone();
            let why = format!("its allowed values are {}", shown(&values));
            return Some((values, why));
        }
        match &field.ty {
            Ty::Bool => Some((
                vec![Literal::Bool(false), Literal::Bool(true)],
                "it is a bool".to_owned(),
            )),
            Ty::Enum(name) => {
                let def = self.enums.iter().find(|e| &e.name == name)?;
                if def.open {
                    return None;
                }
                let values = def
                    .values
                    .iter()
                    .map(|v| Literal::Enum {
                        name: v.name.clone(),
                        variant: v.variant.clone(),
                        value: v.value,
                    })
                    .collect();
                Some((values, format!("`{name}` is a closed enum")))
            }
            _ => None,
        }
    }

    /// Whether `field` can hold `value` at all, and if not, why.
    fn cannot_take(&self, field: &Field, value: &Literal) -> Option<String> {
        if let Some((values, why)) = self.listable_values(field) {
            return (!values.contains(value)).then_some(why);
        }
        let (l, n) = (&field.limits, as_f64(value)?);
        let below = l.min.is_some_and(|min| n < min.as_f64());
        let above = l.max.is_some_and(|max| n > max.as_f64());
        let bound = |b: Option<Number>| b.map_or("none".to_owned(), |b| b.to_string());
        (below || above).then(|| {
            format!(
                "its limits are min: {}, max: {}",
                bound(l.min),
                bound(l.max)
            )
        })
    }

    /// A condition no value of its field passes.
    pub(super) fn condition_values(
        &mut self,
        file: usize,
        path: &str,
        when: &Condition,
        fields: &[Field],
    ) {
        let Some((key, values, passes_listed)) = listed(&when.test) else {
            return;
        };
        let Some(field) = self.field_at(&when.field, fields) else {
            return;
        };
        let wire = when.field.wire();
        let impossible: Vec<String> = values
            .iter()
            .filter_map(|v| self.cannot_take(&field, v))
            .collect();
        // A test that passes for the listed values needs one the field can take; one that
        // passes for the others needs a value left unlisted. A test every known value passes
        // only says "the value is known", which is redundant, not wrong: the emitters reduce it.
        let problem = if passes_listed && impossible.len() == values.len() {
            Some(format!(
                "`{key}` lists only values `{wire}` can never have ({}), so the rule never applies; list a value it can have",
                impossible[0]
            ))
        } else if !passes_listed {
            self.listable_values(&field)
                .filter(|(possible, _)| possible.iter().all(|p| values.contains(p)))
                .map(|(_, why)| {
                    format!(
                        "`{key}` lists every value `{wire}` can have, so the rule never applies ({why})"
                    )
                })
        } else {
            None
        };
        if let Some(problem) = problem {
            self.err(file, &format!("{path}.when"), problem);
        }
    }

    /// A comparison of a field with itself, and a bound every value the rule can apply to breaks
    /// (the field's allowed values, or those its own condition lists).
    pub(super) fn consequence_values(
        &mut self,
        file: usize,
        path: &str,
        when: Option<&Condition>,
        then: &FieldPath,
        consequence: &Consequence,
        fields: &[Field],
    ) {
        if let Consequence::Compare(op, other) = consequence {
            if other.wire() == then.wire() {
                let verdict = match op {
                    CompareOp::LessThan | CompareOp::GreaterThan => "can never hold",
                    CompareOp::LessOrEqual | CompareOp::GreaterOrEqual => "always holds",
                };
                self.err(
                    file,
                    &format!("{path}.then.{}", op.name()),
                    format!(
                        "the rule compares `{}` with itself, so it {verdict}; compare it with the other field the page names",
                        then.wire()
                    ),
                );
            }
            return;
        }
        let Some(field) = self.field_at(then, fields) else {
            return;
        };
        // What the rule applies to: the values its condition lists when it tests the same
        // field, else every value the field can take, when they can be listed.
        let same = when.filter(|w| w.field.wire() == then.wire());
        let (values, source) = match same.and_then(|w| listed(&w.test)) {
            Some((key, values, true)) => (
                values.to_vec(),
                format!("the condition's `{key}` lists {}", shown(values)),
            ),
            _ => match self.listable_values(&field) {
                Some((values, why)) => (values, why),
                None => return,
            },
        };
        let unit = field.length_unit;
        let key = match consequence {
            Consequence::Max(_) => "max",
            Consequence::Min(_) => "min",
            Consequence::MaxChars(_) => "max_chars",
            _ => return,
        };
        let breaks = |v: &Literal| match consequence {
            Consequence::Max(n) => as_f64(v).is_some_and(|x| x > n.as_f64()),
            Consequence::Min(n) => as_f64(v).is_some_and(|x| x < n.as_f64()),
            Consequence::MaxChars(n) => matches!(v, Literal::Str(s) if unit.measure(s) > *n),
            _ => false,
        };
        if !values.is_empty() && values.iter().all(breaks) {
            self.err(
                file,
                &format!("{path}.then.{key}"),
                format!(
                    "every value the rule applies to breaks this `{key}` ({source}): the rule can never hold"
                ),
            );
        }
    }

    /// Two refusing rules under one condition that want opposite things of one field (present
    /// and absent, or a `min` above a `max`): no request the condition applies to passes both.
    /// `rules` are the checked rules with their index in the file.
    pub(super) fn opposed_rules(&mut self, file: usize, root: &str, rules: &[(usize, Rule)]) {
        let condition =
            |r: &Rule| format!("{:?}", r.when.as_ref().map(|w| (w.field.wire(), &w.test)));
        for (j, (later, b)) in rules.iter().enumerate() {
            for (earlier, a) in &rules[..j] {
                let same = a.then.wire() == b.then.wire() && condition(a) == condition(b);
                let refusing = a.severity == Severity::Error && b.severity == Severity::Error;
                if !same || !refusing {
                    continue;
                }
                let opposed = match (&a.consequence, &b.consequence) {
                    (Consequence::Present, Consequence::Absent)
                    | (Consequence::Absent, Consequence::Present) => true,
                    (Consequence::Max(max), Consequence::Min(min))
                    | (Consequence::Min(min), Consequence::Max(max)) => min.as_f64() > max.as_f64(),
                    _ => false,
                };
                if opposed {
                    self.err(
                        file,
                        &format!("{root}.rules[{later}].then"),
                        format!(
                            "rules[{earlier}] wants the opposite of `{}` under the same condition, and both refuse: no request they apply to can pass both; keep the one the page states",
                            b.then.wire()
                        ),
                    );
                }
            }
        }
    }
}
