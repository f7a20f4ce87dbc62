//! An endpoint's paging: which form its keys declare (cursor, offset or time window), and that
//! every field they name exists with a type the pager can read or set.

use super::Checker;
use crate::model::*;
use crate::spec;

/// The keys only one form has, by form: a declaration mixing them is refused as a whole.
const FORMS: &[(&str, &[&str])] = &[
    ("cursor", &["cursor", "next_cursor", "has_more"]),
    ("offset", &["offset", "total"]),
    ("window", &["window"]),
];

const FORMS_HELP: &str = "declare one form: cursor (`cursor`, `next_cursor`, `has_more`), \
    offset (`offset`, `limit`, `total`) or time window (`window`, `limit`)";

/// What a request field must be for the pager to set it: anything but a path parameter, which
/// is part of the route, not of a page.
fn settable(f: &Field) -> bool {
    f.location != Location::Path
}

impl Checker<'_> {
    pub(super) fn paging(
        &mut self,
        file: usize,
        path: &str,
        p: &spec::Paging,
        request: &[Field],
        reply: &[Field],
    ) -> Option<Paging> {
        let present: Vec<(&str, Vec<&str>)> = FORMS
            .iter()
            .map(|(form, keys)| {
                let set = keys.iter().copied().filter(|k| present_key(p, k)).collect();
                (*form, set)
            })
            .filter(|(_, keys): &(&str, Vec<&str>)| !keys.is_empty())
            .collect();
        let sources = self.check_pages(file, &format!("{path}.sources"), &p.sources);
        let items = self.field_of(
            file,
            path,
            "items",
            &p.items,
            reply,
            "reply",
            "a list",
            &|f| matches!(f.ty, Ty::List(_)),
        );
        let form = match present.as_slice() {
            [] => {
                self.err(file, path, format!("paging names no form; {FORMS_HELP}"));
                return None;
            }
            [(form, _)] => *form,
            several => {
                let named: Vec<String> = several
                    .iter()
                    .map(|(form, keys)| format!("the {form} form (`{}`)", keys.join("`, `")))
                    .collect();
                self.err(
                    file,
                    path,
                    format!("paging mixes {}; {FORMS_HELP}", named.join(" with ")),
                );
                return None;
            }
        };
        let int = |f: &Field| f.ty.is_integer() && settable(f);
        let limit = match (&p.limit, form) {
            (Some(name), "cursor") => {
                self.err(
                    file,
                    &format!("{path}.limit"),
                    format!("cursor paging ends on its reply's cursor, so `{name}` is not needed; `limit` is a key of the offset and window forms"),
                );
                None
            }
            (None, "cursor") => Some(None),
            (Some(name), _) => self
                .field_of(
                    file,
                    path,
                    "limit",
                    name,
                    request,
                    "request",
                    "an int or long request field (query or body)",
                    &int,
                )
                .map(Some),
            (None, _) => {
                self.err(
                    file,
                    path,
                    format!("{form} paging needs `limit`, the request field with the page size: a page shorter than it is the last"),
                );
                None
            }
        };
        let form = match form {
            "cursor" => self.cursor_form(file, path, p, request, reply)?,
            "offset" => {
                let Some(offset) = &p.offset else {
                    self.err(
                        file,
                        path,
                        format!("offset paging needs `offset`; {FORMS_HELP}"),
                    );
                    return None;
                };
                let offset = self.field_of(
                    file,
                    path,
                    "offset",
                    offset,
                    request,
                    "request",
                    "an int or long request field (query or body)",
                    &int,
                );
                let total = match &p.total {
                    Some(name) => self
                        .field_of(
                            file,
                            path,
                            "total",
                            name,
                            reply,
                            "reply",
                            "an int or long",
                            &|f| f.ty.is_integer(),
                        )
                        .map(Some),
                    None => Some(None),
                };
                PagingForm::Offset {
                    offset: offset?,
                    total: total?,
                }
            }
            _ => {
                let window = p.window.as_ref()?;
                let at = format!("{path}.window");
                PagingForm::Window(self.window(file, &at, window, request, items.as_ref()?)?)
            }
        };
        Some(Paging {
            form,
            limit: limit?,
            items: items?,
            note: p.note.clone(),
            sources,
        })
    }

    fn cursor_form(
        &mut self,
        file: usize,
        path: &str,
        p: &spec::Paging,
        request: &[Field],
        reply: &[Field],
    ) -> Option<PagingForm> {
        let need = |cx: &mut Self, key: &str, name: &Option<String>| {
            if name.is_none() {
                cx.err(
                    file,
                    path,
                    format!("cursor paging needs `{key}`; {FORMS_HELP}"),
                );
            }
            name.clone()
        };
        let cursor = need(self, "cursor", &p.cursor);
        let next_cursor = need(self, "next_cursor", &p.next_cursor);
        let cursor = cursor.and_then(|cursor| {
            self.field_of(
                file,
                path,
                "cursor",
                &cursor,
                request,
                "request",
                "an optional string request field (query or body)",
                &|f| f.ty == Ty::String && !f.required && settable(f),
            )
        });
        let next_cursor = next_cursor.and_then(|next_cursor| {
            self.field_of(
                file,
                path,
                "next_cursor",
                &next_cursor,
                reply,
                "reply",
                "a string",
                &|f| f.ty == Ty::String,
            )
        });
        let has_more = match &p.has_more {
            Some(name) => self
                .field_of(
                    file,
                    path,
                    "has_more",
                    name,
                    reply,
                    "reply",
                    "a bool",
                    &|f| f.ty == Ty::Bool,
                )
                .map(Some),
            None => Some(None),
        };
        Some(PagingForm::Cursor {
            cursor: cursor?,
            next_cursor: next_cursor?,
            has_more: has_more?,
        })
    }

    fn window(
        &mut self,
        file: usize,
        path: &str,
        w: &spec::Window,
        request: &[Field],
        items: &Field,
    ) -> Option<Window> {
        let end = self.field_of(
            file,
            path,
            "end",
            &w.end,
            request,
            "request",
            "an int or long request field (query or body)",
            &|f| f.ty.is_integer() && settable(f),
        );
        let begin = match &w.begin {
            Some(name) => self
                .field_of(
                    file,
                    path,
                    "begin",
                    name,
                    request,
                    "request",
                    "an int or long request field (query or body)",
                    &|f| f.ty.is_integer() && settable(f),
                )
                .map(Some),
            None => Some(None),
        };
        let order = match &w.order {
            Some(o) => self
                .window_order(file, &format!("{path}.order"), o, request)
                .map(Some),
            None => Some(None),
        };
        let exclude_field = w.exclude.as_ref().and_then(|x| {
            self.field_of(
                file,
                &format!("{path}.exclude"),
                "field",
                &x.field,
                request,
                "request",
                "an optional string request field (query or body)",
                &|f| f.ty == Ty::String && !f.required && settable(f),
            )
        });
        let object = match &items.ty {
            Ty::List(item) => match &**item {
                Ty::Object(name) => self.objects.iter().find(|o| &o.name == name).cloned(),
                _ => None,
            },
            _ => None,
        };
        let Some(object) = object else {
            self.err(
                file,
                &format!("{path}.item_time"),
                format!(
                    "the items `{}` are `{}`; window paging reads each item's time, so the items are a list of objects",
                    items.wire,
                    items.ty.spec_name()
                ),
            );
            return None;
        };
        let side = format!("{} object", object.name);
        let item_time = self.field_of(
            file,
            path,
            "item_time",
            &w.item_time,
            &object.fields,
            &side,
            "an int or long",
            &|f| f.ty.is_integer(),
        );
        let exclude = match &w.exclude {
            Some(x) => {
                let item = self.field_of(
                    file,
                    &format!("{path}.exclude"),
                    "item",
                    &x.item,
                    &object.fields,
                    &side,
                    "a string, int or long",
                    &|f| f.ty == Ty::String || f.ty.is_integer(),
                );
                exclude_field.zip(item).map(Some)
            }
            None => Some(None),
        };
        Some(Window {
            end: end?,
            begin: begin?,
            item_time: item_time?,
            exclude: exclude?,
            order: order?,
        })
    }

    fn window_order(
        &mut self,
        file: usize,
        path: &str,
        o: &spec::WindowOrder,
        request: &[Field],
    ) -> Option<WindowOrder> {
        let field = self.field_of(
            file,
            path,
            "field",
            &o.field,
            request,
            "request",
            "an int or enum request field (query or body)",
            &|f| (f.ty.is_integer() || matches!(f.ty, Ty::Enum(_))) && settable(f),
        )?;
        let variant = match &field.ty {
            Ty::Enum(name) => {
                let def = self.enums.iter().find(|e| &e.name == name)?;
                let Some(value) = def.values.iter().find(|v| v.value == o.newest_first) else {
                    let listed: Vec<String> =
                        def.values.iter().map(|v| v.value.to_string()).collect();
                    self.err(
                        file,
                        &format!("{path}.newest_first"),
                        format!(
                            "{} is not a value of `{name}` ({})",
                            o.newest_first,
                            listed.join(", ")
                        ),
                    );
                    return None;
                };
                Some(value.variant.clone())
            }
            Ty::Int if i32::try_from(o.newest_first).is_err() => {
                self.err(
                    file,
                    &format!("{path}.newest_first"),
                    format!("{} does not fit `{}`, an int", o.newest_first, field.wire),
                );
                return None;
            }
            _ => None,
        };
        Some(WindowOrder {
            field,
            value: o.newest_first,
            variant,
        })
    }

    /// The field `name` of `fields`, reported at `path.key` when missing or not `ok`.
    #[allow(clippy::too_many_arguments)]
    fn field_of(
        &mut self,
        file: usize,
        path: &str,
        key: &str,
        name: &str,
        fields: &[Field],
        side: &str,
        want: &str,
        ok: &dyn Fn(&Field) -> bool,
    ) -> Option<Field> {
        let at = format!("{path}.{key}");
        let field = self.named(file, &at, name, fields, side)?;
        if ok(&field) {
            return Some(field);
        }
        let place = if field.location == Location::Path {
            ", a path parameter"
        } else {
            ""
        };
        let required = if field.required { "required " } else { "" };
        self.err(
            file,
            &at,
            format!(
                "`{name}` is a {required}`{}`{place}; the {key} is {want}",
                field.ty.spec_name()
            ),
        );
        None
    }
}

fn present_key(p: &spec::Paging, key: &str) -> bool {
    match key {
        "cursor" => p.cursor.is_some(),
        "next_cursor" => p.next_cursor.is_some(),
        "has_more" => p.has_more.is_some(),
        "offset" => p.offset.is_some(),
        "total" => p.total.is_some(),
        _ => p.window.is_some(),
    }
}
