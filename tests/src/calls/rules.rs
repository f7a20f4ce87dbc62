//! The cases of one conditional (or unconditional) rule: values of its condition's field that
//! make it hold and not, and values of its consequence's field that break and respect it.

use super::*;

impl Cases<'_> {
    /// Cases for one rule: condition true (consequence broken, then respected), condition false,
    /// and the field of the condition unset, where its default decides. An unconditional rule has
    /// only the first two.
    pub(super) fn rule(&mut self, rule: &SpecRule, call: &Value) {
        let then = Slot::of(&rule.then);
        let name = format!(
            "rule `{}` => {}",
            rule.condition_text(),
            rule.consequence_text()
        );
        let mut call = call.clone();
        call = self.with_parents(&call, &rule.then);
        if let Some(w) = &rule.when {
            call = self.with_parents(&call, &w.field);
        }
        // A comparison is skipped while the other field is unset: give it a value.
        if let Consequence::Compare(_, other) = &rule.consequence {
            call = self.with_parents(&call, other);
            let slot = Slot::of(other);
            if slot.get(&call).is_none() {
                call = slot.set(&call, compared_value(self.field_at(other)));
            }
        }
        let (breaking, respecting, broken) = self.consequence(rule, &call);
        let expect_broken = match rule.severity {
            Severity::Error => Expect::Broken(broken.clone()),
            Severity::Warning => Expect::Warned(broken.clone()),
        };
        let broken_in = |c: &Value| then_set(&then, c, &breaking);
        let respected_in = |c: &Value| then_set(&then, c, &respecting);
        let Some(when) = &rule.when else {
            self.push(format!("{name}: broken"), broken_in(&call), expect_broken);
            self.clean(format!("{name}: respected"), respected_in(&call));
            return;
        };
        let when_slot = Slot::of(&when.field);
        let at = |c: &Value, v: &Option<Value>| then_set(&when_slot, c, v);
        for value in self.hold_values(rule) {
            let c = at(&call, &value);
            let shown = value.as_ref().map_or("unset".into(), Value::to_string);
            self.push(
                format!("{name}: holds ({shown}), broken"),
                broken_in(&c),
                expect_broken.clone(),
            );
            self.clean(
                format!("{name}: holds ({shown}), respected"),
                respected_in(&c),
            );
        }
        for value in self.off_values(rule) {
            let c = at(&call, &value);
            let shown = value.as_ref().map_or("unset".into(), Value::to_string);
            self.clean(
                format!("{name}: does not hold ({shown}), consequence broken"),
                broken_in(&c),
            );
        }
        if matches!(when.test, Test::IsSet(_) | Test::NonEmpty) {
            return;
        }
        // Unset: the leaf, or the whole optional object around it when `then` is not inside.
        let mut unset = Vec::new();
        if !when.field.last().required {
            unset.push((when.field.wire(), when_slot.remove(&call)));
        }
        let top = &when.field.steps[0];
        if when.field.steps.len() > 1 && !top.required && rule.then.steps[0].wire != top.wire {
            let top_slot = Slot(vec![Step::Key(top.wire.clone())]);
            unset.push((top.wire.clone(), top_slot.remove(&call)));
        }
        let default = when.field.last().default.as_ref();
        let holds = default.is_some_and(|d| satisfies(&when.test, d));
        let shown = default.map_or("no default".to_owned(), |d| {
            format!("default {}", d.display())
        });
        for (what, c) in unset {
            let label = format!("{name}: {what} unset ({shown}), consequence broken");
            let expect = if holds {
                expect_broken.clone()
            } else {
                Expect::Clean
            };
            self.push(label, broken_in(&c), expect);
            if holds {
                self.clean(
                    format!("{name}: {what} unset ({shown}), respected"),
                    respected_in(&c),
                );
            }
        }
    }

    /// The value that breaks the consequence, the one that respects it (`None`: left unset),
    /// and the violation breaking it gives.
    pub(super) fn consequence(
        &self,
        rule: &SpecRule,
        call: &Value,
    ) -> (Option<Value>, Option<Value>, Broken) {
        let field = self.field_at(&rule.then);
        let text_of = |n| json!(text(n, field.length_unit, field.ty == Ty::Json));
        let list_of = |n| items(self.model, field, None, n);
        let sample = sample(self.model, field);
        let as_field = |n: i64| {
            if field.ty.is_string() {
                json!(n.to_string())
            } else {
                json!(n)
            }
        };
        // (breaking, respecting, rule, the limit, what breaking finds)
        let (breaking, respecting, broken_rule, limit, found) = match &rule.consequence {
            Consequence::Absent => (Some(sample), None, Rule::Absent, None, None),
            Consequence::Present => (None, Some(sample), Rule::Present, None, None),
            Consequence::MaxItems(n) => (
                Some(list_of(n + 1)),
                Some(list_of(*n)),
                Rule::MaxItems,
                Some(n.to_string()),
                Some((n + 1).to_string()),
            ),
            Consequence::MaxChars(n) => (
                Some(text_of(n + 1)),
                Some(text_of(*n)),
                Rule::MaxChars,
                Some(n.to_string()),
                Some((n + 1).to_string()),
            ),
            Consequence::Max(n) => {
                let e = number_edge(String::new(), Rule::Max, *n, true);
                (
                    Some(e.past),
                    Some(e.at),
                    Rule::Max,
                    Some(e.limit),
                    Some(e.found),
                )
            }
            Consequence::Min(n) => {
                let e = number_edge(String::new(), Rule::Min, *n, false);
                (
                    Some(e.past),
                    Some(e.at),
                    Rule::Min,
                    Some(e.limit),
                    Some(e.found),
                )
            }
            Consequence::Compare(op, other) => {
                let other_value = Slot::of(other)
                    .get(call)
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                    .unwrap_or(1_000);
                let (bad, good) = match op {
                    CompareOp::LessThan => (other_value, other_value - 1),
                    CompareOp::LessOrEqual => (other_value + 1, other_value),
                    CompareOp::GreaterThan => (other_value, other_value + 1),
                    CompareOp::GreaterOrEqual => (other_value - 1, other_value),
                };
                let rule = match op {
                    CompareOp::LessThan => Rule::LessThan,
                    CompareOp::LessOrEqual => Rule::LessOrEqual,
                    CompareOp::GreaterThan => Rule::GreaterThan,
                    CompareOp::GreaterOrEqual => Rule::GreaterOrEqual,
                };
                (
                    Some(as_field(bad)),
                    Some(as_field(good)),
                    rule,
                    Some(other.wire()),
                    Some(bad.to_string()),
                )
            }
        };
        let broken = Broken {
            path: rule.then.wire(),
            rule: broken_rule,
            limit_mentions: limit.into_iter().collect(),
            actual_mentions: found.into_iter().collect(),
            condition: Some(rule.condition_text()),
        };
        (breaking, respecting, broken)
    }

    /// Values of the condition's field that make it hold (`None`: unset).
    pub(super) fn hold_values(&self, rule: &SpecRule) -> Vec<Option<Value>> {
        let Some(when) = &rule.when else {
            return Vec::new();
        };
        let field = self.field_at(&when.field);
        match &when.test {
            Test::Equals(v) => vec![Some(literal(v))],
            Test::In(vs) => vs.iter().map(|v| Some(literal(v))).collect(),
            Test::NotEquals(v) => self.others(field, &[literal(v)]),
            Test::NotIn(vs) => self.others(field, &vs.iter().map(literal).collect::<Vec<_>>()),
            Test::IsSet(true) => vec![Some(sample(self.model, field))],
            Test::IsSet(false) => vec![None],
            Test::NonEmpty => vec![Some(items(self.model, field, None, 1))],
        }
    }

    /// Valid values of the condition's field that make it false (`None`: unset).
    pub(super) fn off_values(&self, rule: &SpecRule) -> Vec<Option<Value>> {
        let Some(when) = &rule.when else {
            return Vec::new();
        };
        let field = self.field_at(&when.field);
        match &when.test {
            Test::Equals(v) => self.others(field, &[literal(v)]),
            Test::In(vs) => self.others(field, &vs.iter().map(literal).collect::<Vec<_>>()),
            Test::NotEquals(v) => vec![Some(literal(v))],
            Test::NotIn(vs) => vs.iter().map(|v| Some(literal(v))).collect(),
            Test::IsSet(true) => vec![None],
            Test::IsSet(false) => vec![Some(sample(self.model, field))],
            Test::NonEmpty => vec![Some(items(self.model, field, None, 0)), None],
        }
    }

    /// Valid values of `field` other than `taken`.
    pub(super) fn others(&self, field: &Field, taken: &[Value]) -> Vec<Option<Value>> {
        let candidates: Vec<Value> = match &field.ty {
            _ if !field.limits.allowed.is_empty() => {
                field.limits.allowed.iter().map(literal).collect()
            }
            Ty::Bool => vec![json!(true), json!(false)],
            Ty::Enum(name) => {
                let def = self.model.enum_def(name).expect("enums resolve");
                def.values.iter().map(|v| json!(v.value)).collect()
            }
            Ty::Int | Ty::Long => {
                // Next to the values taken, then the field's own bounds: kept within its limits.
                let l = &field.limits;
                let (lo, hi) = (l.min.map(Number::as_f64), l.max.map(Number::as_f64));
                let max = taken.iter().filter_map(Value::as_i64).max().unwrap_or(0);
                let min = taken.iter().filter_map(Value::as_i64).min().unwrap_or(0);
                let bounds = [lo, hi].into_iter().flatten().map(|b| b as i64);
                [max + 1, min - 1]
                    .into_iter()
                    .chain(bounds)
                    .filter(|n| lo.is_none_or(|lo| *n as f64 >= lo))
                    .filter(|n| hi.is_none_or(|hi| *n as f64 <= hi))
                    .map(|n| json!(n))
                    .collect()
            }
            Ty::Float => {
                let max = taken.iter().filter_map(Value::as_f64).fold(0.0, f64::max);
                vec![json!(max + 1.0)]
            }
            _ => vec![json!("some other value")],
        };
        candidates
            .into_iter()
            .filter(|v| !taken.contains(v))
            .map(Some)
            .collect()
    }

    /// The field a rule's path ends at.
    pub(super) fn field_at(&self, path: &FieldPath) -> &Field {
        let mut fields = &self.endpoint.fields;
        let mut found = None;
        for step in &path.steps {
            let field = fields
                .iter()
                .find(|f| f.wire == step.wire)
                .expect("rule paths resolve");
            if let Ty::Object(name) = &field.ty {
                fields = &self.model.object(name).expect("objects resolve").fields;
            }
            found = Some(field);
        }
        found.expect("a rule path has a step")
    }

    /// `call` with every object on `path` present (made with its required fields if missing).
    pub(super) fn with_parents(&self, call: &Value, path: &FieldPath) -> Value {
        let mut call = call.clone();
        for n in 1..path.steps.len() {
            let slot = Slot(Slot::of(path).0[..n].to_vec());
            if slot.get(&call).is_none() {
                let Ty::Object(name) = &path.steps[n - 1].ty else {
                    unreachable!("paths go through objects")
                };
                let object = self.model.object(name).expect("objects resolve");
                call = slot.set(&call, object_of(self.model, &object.fields));
            }
        }
        call
    }
}
