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
                let raw_fields = self
                    .raw
                    .types
                    .types
                    .get(&obj)
                    .and_then(|t| t.fields.as_ref());
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
    ) -> Option<Rule> {
        let sources = self.check_pages(file, &format!("{path}.sources"), &r.sources);
        let when = self.field_path(
            file,
            &format!("{path}.when.field"),
            &r.when.field,
            fields,
            declared,
        );
        let then = self.field_path(
            file,
            &format!("{path}.then.field"),
            &r.then.field,
            fields,
            declared,
        );
        let test = when.as_ref().and_then(|w| {
            let ty = w.last().ty.clone();
            if ty.is_composite() {
                self.err(
                    file,
                    &format!("{path}.when.field"),
                    format!(
                        "a condition compares a scalar; `{}` is `{}`",
                        r.when.field,
                        ty.spec_name()
                    ),
                );
                return None;
            }
            match (&r.when.equals, &r.when.one_of) {
                (Some(v), None) => self
                    .literal(file, &format!("{path}.when.equals"), &ty, v)
                    .map(Test::Equals),
                (None, Some(vs)) if !vs.is_empty() => {
                    let lits: Vec<Literal> = vs
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| {
                            self.literal(file, &format!("{path}.when.in[{i}]"), &ty, v)
                        })
                        .collect();
                    (lits.len() == vs.len()).then_some(Test::In(lits))
                }
                _ => {
                    self.err(
                        file,
                        &format!("{path}.when"),
                        "a condition needs exactly one of `equals` or a non-empty `in`",
                    );
                    None
                }
            }
        });
        let consequence = then.as_ref().and_then(|t| {
            let step = t.last();
            let c = &r.then;
            let chosen = [
                c.absent,
                c.present,
                c.max_items.is_some(),
                c.max_chars.is_some(),
                c.max.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if chosen != 1 {
                self.err(
                    file,
                    &format!("{path}.then"),
                    "a consequence needs exactly one of absent, present, max_items, max_chars, max",
                );
                return None;
            }
            let fits = |ok: bool, cx: &mut Self, what: &str| {
                if !ok {
                    cx.err(
                        file,
                        &format!("{path}.then"),
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
                        &format!("{path}.then.absent"),
                        format!("`{}` is required, so it can never be absent", t.wire()),
                    );
                    return None;
                }
                Some(Consequence::Absent)
            } else if c.present {
                Some(Consequence::Present)
            } else if let Some(n) = c.max_items {
                fits(
                    matches!(step.ty, Ty::List(_) | Ty::Map(_)),
                    self,
                    "max_items",
                )
                .then_some(Consequence::MaxItems(n))
            } else if let Some(n) = c.max_chars {
                fits(step.ty.is_string(), self, "max_chars").then_some(Consequence::MaxChars(n))
            } else {
                let n = c.max.unwrap_or_default();
                fits(step.ty.is_integer(), self, "max").then_some(Consequence::Max(n))
            }
        });
        Some(Rule {
            when: when?,
            test: test?,
            then: then?,
            consequence: consequence?,
            description: r.description.clone(),
            sources,
        })
    }
}
