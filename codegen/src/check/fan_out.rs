//! An endpoint's `fan_out:`: the recipients field, the reply fields that name recipients, and
//! the resend marker, each checked against the fields it names.

use super::Checker;
use crate::model::*;
use crate::spec;

fn list_of(ty: &Ty, item: &Ty) -> bool {
    matches!(ty, Ty::List(inner) if **inner == *item)
}

impl Checker<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fan_out(
        &mut self,
        file: usize,
        path: &str,
        f: &spec::FanOut,
        api: Api,
        request: &[Field],
        rules: &[Rule],
        reply: &[Field],
    ) -> Option<FanOut> {
        let sources = self.check_pages(file, &format!("{path}.sources"), &f.sources);
        let recipients = self.named(
            file,
            &format!("{path}.recipients"),
            &f.recipients,
            request,
            "request",
        );
        let recipients = recipients.filter(|r| {
            let mut wrong = Vec::new();
            if !list_of(&r.ty, &Ty::String) {
                wrong.push(format!("is `{}`, not a list<string>", r.ty.spec_name()));
            } else if r.limits.max_items.is_none() && f.chunk_size.is_none() {
                wrong.push("states no max_items (give chunk_size where no source states one)".to_owned());
            }
            if !r.required {
                wrong.push("is optional".to_owned());
            }
            if !wrong.is_empty() {
                self.err(
                    file,
                    &format!("{path}.recipients"),
                    format!(
                        "`{}` {}; the recipients are a required list<string> request field with max_items (the chunk size)",
                        r.wire,
                        wrong.join(" and "),
                    ),
                );
            }
            wrong.is_empty()
        });
        let strings = |cx: &mut Self, key: &str, name: &Option<String>| -> Option<Option<Field>> {
            let Some(name) = name else { return Some(None) };
            let at = format!("{path}.{key}");
            let field = cx.named(file, &at, name, reply, "reply")?;
            if !list_of(&field.ty, &Ty::String) {
                cx.err(
                    file,
                    &at,
                    format!(
                        "`{name}` is `{}`; the {key} list is a list<string> reply field",
                        field.ty.spec_name()
                    ),
                );
                return None;
            }
            Some(Some(field))
        };
        let unregistered = strings(self, "unregistered", &f.unregistered);
        let succeeded = strings(self, "succeeded", &f.succeeded);
        let failed_items = match &f.failed_items {
            None => Some(None),
            Some(name) => {
                let at = format!("{path}.failed_items");
                let item = Ty::Map(Box::new(Ty::String));
                match self.named(file, &at, name, reply, "reply") {
                    Some(field) if list_of(&field.ty, &item) => Some(Some(field)),
                    Some(field) => {
                        self.err(file, &at, format!("`{name}` is `{}`; failed_items is a list<map<string, string>> reply field (item id to reason)", field.ty.spec_name()));
                        None
                    }
                    None => None,
                }
            }
        };
        let failed = match &f.failed {
            None => Some(None),
            Some(failed) => self
                .failed_list(file, &format!("{path}.failed"), failed, reply)
                .map(Some),
        };
        let resend = match &f.resend {
            None => Some(None),
            Some(_) if api == Api::V2 => {
                self.err(file, &format!("{path}.resend"), "a v2 request is resent as it is: its X-custom-traceid lets the server de-duplicate; leave resend out");
                None
            }
            Some(r) => self
                .resend(file, &format!("{path}.resend"), r, request)
                .map(Some),
        };
        let recipients = recipients?;
        let max = match (f.chunk_size, recipients.limits.max_items) {
            (Some(n), Some(m)) if n > m || n == 0 => {
                self.err(
                    file,
                    &format!("{path}.chunk_size"),
                    format!(
                        "chunk_size {n} must be between 1 and `{}`'s max_items {m}",
                        recipients.wire
                    ),
                );
                None
            }
            (Some(0), None) => {
                self.err(
                    file,
                    &format!("{path}.chunk_size"),
                    "chunk_size must be at least 1",
                );
                None
            }
            (Some(n), _) | (None, Some(n)) => Some(n),
            (None, None) => None,
        };
        let conditional = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.severity == Severity::Error
                    && r.then.steps.len() == 1
                    && r.then.last().wire == recipients.wire
                    && matches!(r.consequence, Consequence::MaxItems(_))
            })
            .map(|(i, _)| i)
            .collect();
        Some(FanOut {
            max: max?,
            note: f.note.clone(),
            recipients,
            conditional,
            unregistered: unregistered?,
            failed: failed?,
            succeeded: succeeded?,
            failed_items: failed_items?,
            resend: resend?,
            sources,
        })
    }

    /// The field `name` of `fields`, or an error listing them.
    pub(super) fn named(
        &mut self,
        file: usize,
        at: &str,
        name: &str,
        fields: &[Field],
        side: &str,
    ) -> Option<Field> {
        let found = fields.iter().find(|f| f.wire == name).cloned();
        if found.is_none() {
            let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
            self.err(
                file,
                at,
                format!(
                    "no {side} field `{name}`; {side} fields: {}",
                    known.join(", ")
                ),
            );
        }
        found
    }

    fn failed_list(
        &mut self,
        file: usize,
        path: &str,
        f: &spec::FailedList,
        reply: &[Field],
    ) -> Option<(Field, Field, Option<Field>)> {
        let list = self.named(file, &format!("{path}.field"), &f.field, reply, "reply")?;
        let object = match &list.ty {
            Ty::List(item) => match &**item {
                Ty::Object(name) => self.objects.iter().find(|o| &o.name == name).cloned(),
                _ => None,
            },
            _ => None,
        };
        let Some(object) = object else {
            self.err(
                file,
                &format!("{path}.field"),
                format!(
                    "`{}` is `{}`; the failed list is a reply list of objects",
                    list.wire,
                    list.ty.spec_name()
                ),
            );
            return None;
        };
        let string = |cx: &mut Self, key: &str, name: &str| -> Option<Field> {
            let at = format!("{path}.{key}");
            let field = cx.named(
                file,
                &at,
                name,
                &object.fields,
                &format!("{} object", object.name),
            )?;
            if !field.ty.is_string() {
                cx.err(
                    file,
                    &at,
                    format!(
                        "`{name}` is `{}`; the {key} is a string field",
                        field.ty.spec_name()
                    ),
                );
                return None;
            }
            Some(field)
        };
        let recipient = string(self, "recipient", &f.recipient);
        let reason = match &f.reason {
            Some(name) => Some(string(self, "reason", name)?),
            None => None,
        };
        Some((list, recipient?, reason))
    }

    fn resend(
        &mut self,
        file: usize,
        path: &str,
        r: &spec::Resend,
        request: &[Field],
    ) -> Option<Resend> {
        let sources = self.check_pages(file, &format!("{path}.sources"), &r.sources);
        let at = format!("{path}.set.field");
        let (outer, inner) = match r.set.field.split_once('.') {
            Some((outer, inner)) => (Some(outer), inner),
            None => (None, r.set.field.as_str()),
        };
        let (outer, fields) = match outer {
            None => (None, request.to_vec()),
            Some(name) => {
                let (name, list) = match name.strip_suffix("[]") {
                    Some(n) => (n, true),
                    None => (name, false),
                };
                let field = self.named(file, &at, name, request, "request")?;
                let object = match (&field.ty, list) {
                    (Ty::List(item), true) => match &**item {
                        Ty::Object(o) => Some(o.clone()),
                        _ => None,
                    },
                    (Ty::Object(o), false) => Some(o.clone()),
                    _ => None,
                };
                let Some((object, fields)) = object
                    .and_then(|o| self.objects.iter().find(|x| x.name == o))
                    .map(|o| (o.name.clone(), o.fields.clone()))
                else {
                    self.err(file, &at, format!("`{name}` is `{}`; write `list[].field` for a list of objects, `object.field` for an object", field.ty.spec_name()));
                    return None;
                };
                (Some((field, object)), fields)
            }
        };
        let side = match &outer {
            Some((_, object)) => object.clone(),
            None => "request".to_owned(),
        };
        let field = self.named(file, &at, inner, &fields, &side)?;
        let outer = outer.map(|(field, _)| field);
        if field.required || !matches!(field.ty, Ty::Int | Ty::Long | Ty::Bool | Ty::String) {
            self.err(file, &at, format!("`{inner}` is a{} `{}`; the resend marker is an optional int, long, bool or string", if field.required { " required" } else { "n optional" }, field.ty.spec_name()));
            return None;
        }
        let value = self.literal(file, &format!("{path}.set.value"), &field.ty, &r.set.value)?;
        let wire_value = match (&value, field.encoding) {
            (Literal::Bool(b), Encoding::ZeroOne) => u8::from(*b).to_string(),
            _ => value.display(),
        };
        Some(Resend {
            outer,
            field,
            value,
            wire_value,
            sources,
        })
    }
}
