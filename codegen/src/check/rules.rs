//! Conditional rules and the dotted field paths they name.

use super::{Checker, Place};
use crate::model::*;
use crate::spec;

impl Checker<'_> {
    /// Resolves a dotted wire path through the endpoint's fields and named objects.
    pub(super) fn field_path(
        &mut self,
        file: usize,
        path: &str,
        dotted: &str,
        fields: &[Field],
        declared: &[String],
    ) -> Option<FieldPath> {
        let mut steps: Vec<PathStep> = Vec::new();
        let mut scope: Vec<Field> = fields.to_vec();
        let mut scope_declared: Vec<String> = declared.to_vec();
        for (i, segment) in dotted.split('.').enumerate() {
            if i > 0 {
                let parent = steps.last().map(|s| s.ty.clone());
                let Some(Ty::Object(obj)) = parent else {
                    self.err(
                        file,
                        path,
                        format!(
                            "`{dotted}`: `{}` is not an object, so it has no field `{segment}`",
                            steps[i - 1].wire
                        ),
                    );
                    return None;
                };
                let raw_fields = self.raw_type(&obj).and_then(|t| t.fields.as_ref());
                scope_declared = self.declared_object_fields(&obj);
                scope = match raw_fields {
                    Some(rf) => rf
                        .iter()
                        .filter_map(|(w, f)| self.field_quiet(w, f))
                        .collect(),
                    None => Vec::new(),
                };
            }
            let Some(f) = scope.iter().find(|f| f.wire == segment) else {
                // A declared field whose own definition is broken is reported there, once.
                if scope_declared.iter().any(|d| d == segment) {
                    return None;
                }
                let known: Vec<&str> = scope.iter().map(|f| f.wire.as_str()).collect();
                let within = if dotted.contains('.') {
                    format!(" in `{dotted}`")
                } else {
                    String::new()
                };
                self.err(
                    file,
                    path,
                    format!(
                        "unknown field `{segment}`{within}; fields here: {}",
                        known.join(", ")
                    ),
                );
                return None;
            };
            steps.push(PathStep {
                wire: f.wire.clone(),
                rust: f.rust.clone(),
                ty: f.ty.clone(),
                required: f.required,
                default: f.default.clone(),
                length_unit: f.length_unit,
            });
        }
        Some(FieldPath { steps })
    }

    /// A field of a named object, without reporting (its own check reports).
    pub(super) fn field_quiet(&mut self, wire: &str, f: &spec::Field) -> Option<Field> {
        let saved = self.diags.len();
        let field = self.field(0, "", wire, f, Place::Object);
        self.diags.truncate(saved);
        field
    }

    pub(super) fn rule(
        &mut self,
        file: usize,
        path: &str,
        r: &spec::RuleDef,
        fields: &[Field],
        declared: &[String],
        endpoint_sources: &[String],
    ) -> Option<Rule> {
        // Every rule cites a page: its own, else the endpoint's (which a spec from before rules
        // had sources still gives, so `spec-diff` reads old revisions).
        let sources = self.check_pages(file, &format!("{path}.sources"), &r.sources);
        let sources = if sources.is_empty() {
            endpoint_sources.to_vec()
        } else {
            sources
        };
        let severity = match r.severity.as_deref().unwrap_or("error") {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            other => {
                self.err(
                    file,
                    &format!("{path}.severity"),
                    format!("unknown severity `{other}`; use error (the server refuses) or warning (the value has no effect)"),
                );
                None
            }
        };
        let when = match &r.when {
            Some(c) => Some(self.condition(file, &format!("{path}.when"), c, fields, declared)?),
            None => None,
        };
        let then = self.field_path(
            file,
            &format!("{path}.then.field"),
            &r.then.field,
            fields,
            declared,
        );
        let consequence = then.as_ref().and_then(|t| {
            self.consequence(file, &format!("{path}.then"), &r.then, t, fields, declared)
        });
        if let (Some(then), Some(consequence)) = (&then, &consequence) {
            self.rule_contradictions(file, path, when.as_ref(), then, consequence, fields);
            self.consequence_values(file, path, when.as_ref(), then, consequence, fields);
        }
        Some(Rule {
            when,
            then: then?,
            consequence: consequence?,
            severity: severity?,
            description: r.description.clone(),
            sources,
        })
    }

    fn condition(
        &mut self,
        file: usize,
        path: &str,
        c: &spec::Condition,
        fields: &[Field],
        declared: &[String],
    ) -> Option<Condition> {
        let field = self.field_path(file, &format!("{path}.field"), &c.field, fields, declared)?;
        let ty = field.last().ty.clone();
        let given = [
            c.equals.is_some(),
            c.one_of.is_some(),
            c.not_equals.is_some(),
            c.not_in.is_some(),
            c.is_set.is_some(),
            c.non_empty.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given != 1 {
            self.err(
                file,
                path,
                "a condition needs exactly one of equals, in, not_equals, not_in, is_set, non_empty",
            );
            return None;
        }
        let scalar = |cx: &mut Self| {
            if ty.is_composite() || ty == Ty::Any {
                cx.err(
                    file,
                    &format!("{path}.field"),
                    format!(
                        "this condition compares a scalar; `{}` is `{}` (use is_set or non_empty)",
                        c.field,
                        ty.spec_name()
                    ),
                );
                return false;
            }
            true
        };
        let list = |cx: &mut Self, key: &str, vs: &[serde_yaml::Value]| -> Option<Vec<Literal>> {
            if vs.is_empty() {
                cx.err(
                    file,
                    &format!("{path}.{key}"),
                    "the list of values is empty",
                );
                return None;
            }
            let lits: Vec<Literal> = vs
                .iter()
                .enumerate()
                .filter_map(|(i, v)| cx.literal(file, &format!("{path}.{key}[{i}]"), &ty, v))
                .collect();
            (lits.len() == vs.len()).then_some(lits)
        };
        let test = if let Some(v) = &c.equals {
            scalar(self).then_some(())?;
            Test::Equals(self.literal(file, &format!("{path}.equals"), &ty, v)?)
        } else if let Some(vs) = &c.one_of {
            scalar(self).then_some(())?;
            Test::In(list(self, "in", vs)?)
        } else if let Some(v) = &c.not_equals {
            scalar(self).then_some(())?;
            Test::NotEquals(self.literal(file, &format!("{path}.not_equals"), &ty, v)?)
        } else if let Some(vs) = &c.not_in {
            scalar(self).then_some(())?;
            Test::NotIn(list(self, "not_in", vs)?)
        } else if let Some(set) = c.is_set {
            if field.steps.iter().all(|s| s.required) {
                self.err(
                    file,
                    &format!("{path}.is_set"),
                    format!("`{}` is required, so it is always set", c.field),
                );
                return None;
            }
            Test::IsSet(set)
        } else {
            if !matches!(ty, Ty::List(_) | Ty::Map(_)) {
                self.err(
                    file,
                    &format!("{path}.non_empty"),
                    format!(
                        "non_empty applies to lists and maps; `{}` is `{}`",
                        c.field,
                        ty.spec_name()
                    ),
                );
                return None;
            }
            if c.non_empty == Some(false) {
                // No test reads "empty": is_set tells only unset from set, and `[]` is set.
                let hint = if field.steps.iter().all(|s| s.required) {
                    format!("`{}` is required, so it is always set: write the rule for `non_empty: true` instead", c.field)
                } else {
                    format!("for an unset `{}` use `is_set: false`; an empty one cannot be tested, so write the rule for `non_empty: true` instead", c.field)
                };
                self.err(
                    file,
                    &format!("{path}.non_empty"),
                    format!("only `non_empty: true` is a condition; {hint}"),
                );
                return None;
            }
            Test::NonEmpty
        };
        Some(Condition { field, test })
    }

    fn consequence(
        &mut self,
        file: usize,
        path: &str,
        c: &spec::Consequence,
        t: &FieldPath,
        fields: &[Field],
        declared: &[String],
    ) -> Option<Consequence> {
        let step = t.last();
        let compare = [
            (CompareOp::LessThan, &c.less_than),
            (CompareOp::LessOrEqual, &c.less_or_equal),
            (CompareOp::GreaterThan, &c.greater_than),
            (CompareOp::GreaterOrEqual, &c.greater_or_equal),
        ];
        let chosen = [
            c.absent,
            c.present,
            c.max_items.is_some(),
            c.max_chars.is_some(),
            c.max.is_some(),
            c.min.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
            + compare.iter().filter(|(_, f)| f.is_some()).count();
        if chosen != 1 {
            self.err(
                file,
                path,
                "a consequence needs exactly one of absent, present, max_items, max_chars, max, min, less_than, less_or_equal, greater_than, greater_or_equal",
            );
            return None;
        }
        let fits = |ok: bool, cx: &mut Self, what: &str| {
            if !ok {
                cx.err(
                    file,
                    path,
                    format!(
                        "{what} does not apply to `{}` of type `{}`",
                        t.wire(),
                        step.ty.spec_name()
                    ),
                );
            }
            ok
        };
        if c.absent {
            if step.required {
                self.err(
                    file,
                    &format!("{path}.absent"),
                    format!("`{}` is required, so it can never be absent", t.wire()),
                );
                return None;
            }
            return Some(Consequence::Absent);
        }
        if c.present {
            return Some(Consequence::Present);
        }
        if let Some(n) = c.max_items {
            return fits(
                matches!(step.ty, Ty::List(_) | Ty::Map(_)),
                self,
                "max_items",
            )
            .then_some(Consequence::MaxItems(n));
        }
        if let Some(n) = c.max_chars {
            return fits(step.ty.is_string(), self, "max_chars")
                .then_some(Consequence::MaxChars(n));
        }
        for (key, bound) in [("max", &c.max), ("min", &c.min)] {
            if let Some(n) = bound {
                if !fits(step.ty.is_number(), self, key) {
                    return None;
                }
                let n = self.number(file, &format!("{path}.{key}"), &step.ty, n)?;
                return Some(if key == "max" {
                    Consequence::Max(n)
                } else {
                    Consequence::Min(n)
                });
            }
        }
        let (op, other) = compare
            .iter()
            .find_map(|(op, f)| f.as_ref().map(|f| (*op, f)))?;
        if !fits(step.ty.is_number() || step.ty.is_string(), self, op.name()) {
            return None;
        }
        let other_path = self.field_path(
            file,
            &format!("{path}.{}", op.name()),
            other,
            fields,
            declared,
        )?;
        let other_ty = &other_path.last().ty;
        let comparable = (step.ty.is_number() && other_ty.is_number())
            || (step.ty.is_string() && other_ty.is_string());
        if !comparable {
            self.err(
                file,
                &format!("{path}.{}", op.name()),
                format!(
                    "`{}` is `{}` and `{other}` is `{}`: only numbers with numbers (or strings holding numbers with each other) compare",
                    t.wire(),
                    step.ty.spec_name(),
                    other_ty.spec_name()
                ),
            );
            return None;
        }
        Some(Consequence::Compare(op, other_path))
    }
}
