//! The serde attributes of generated fields: renames, and the `serde_with` adapters that turn the
//! spec's wire shapes into per-field declarations (JSON text inside a form field; replies that may
//! hold JSON text, numbers as strings, or objects as bare strings).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::rename;
use crate::model::{Encoding, Field, Lenience, Model, Ty};

/// Where a field is read and written, which decides how leniently it is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Sent: written strictly, read back strictly (a stored request).
    Request,
    /// Received: read leniently as the spec says, written as plain values.
    Reply(Lenience),
}

/// The adapter for a value of `ty` nested inside a field, or `None` for plain serde.
fn inner(model: &Model, ty: &Ty, numbers_as_strings: bool) -> Option<String> {
    match ty {
        Ty::Int | Ty::Long | Ty::Enum(_) if numbers_as_strings => {
            Some("PickFirst<(_, DisplayFromStr)>".into())
        }
        Ty::Object(name) if model.object(name).is_some_and(|o| o.from_scalar.is_some()) => {
            Some("ObjectOrScalar".into())
        }
        Ty::List(item) => inner(model, item, numbers_as_strings).map(|a| format!("Vec<{a}>")),
        Ty::Map(value) => {
            inner(model, value, numbers_as_strings).map(|a| format!("BTreeMap<_, {a}>"))
        }
        _ => None,
    }
}

/// The `serde_as` type of a field, or `None` when plain serde reads and writes it.
fn adapter(model: &Model, field: &Field, side: Side) -> Option<String> {
    let lenience = match side {
        Side::Request => Lenience::default(),
        Side::Reply(outer) => outer.union(field.lenience),
    };
    let value = inner(model, &field.ty, lenience.number_as_string);
    let wrapped = if field.encoding == Encoding::JsonText {
        Some(generic("JsonText", value))
    } else if field.encoding == Encoding::CommaJoined {
        Some("CommaJoined".to_owned())
    } else if field.encoding == Encoding::ZeroOne {
        Some("ZeroOne".to_owned())
    } else if lenience.json_text && field.ty.is_composite() {
        let either = generic("ValueOrJsonText", value);
        return Some(if field.required {
            either
        } else {
            format!("EmptyAsNone<{either}>")
        });
    } else {
        value
    };
    wrapped.map(|a| {
        if field.required {
            a
        } else {
            format!("Option<{a}>")
        }
    })
}

fn generic(name: &str, param: Option<String>) -> String {
    match param {
        Some(p) => format!("{name}<{p}>"),
        None => name.to_owned(),
    }
}

/// Whether any field of `fields` needs `#[serde_as]` on its container.
pub fn needs_serde_as(model: &Model, fields: &[Field], side: Side) -> bool {
    fields.iter().any(|f| adapter(model, f, side).is_some())
}

/// The serde attributes of one field.
pub fn field_attrs(model: &Model, field: &Field, side: Side, camel: bool) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(wire) = rename(field, camel) {
        out.extend(quote!(#[serde(rename = #wire)]));
    }
    if let Some(adapter) = adapter(model, field, side) {
        // serde_as makes a missing `Option<…>` field `None` only for `Option<…>` adapters; with
        // another one (`EmptyAsNone`) a missing optional field would be an error in an object
        // whose container has no `default` (a request object that replies carry too).
        if !field.required && !adapter.starts_with("Option<") {
            out.extend(quote!(#[serde(default)]));
        }
        out.extend(quote!(#[serde_as(as = #adapter)]));
    }
    out
}

/// The container attributes: `rename_all` when it saves renames, plus `extra` (e.g.
/// `deny_unknown_fields` for requests, `default` for replies).
pub fn container_attrs(camel: bool, extra: &[&str]) -> TokenStream {
    let mut items: Vec<TokenStream> = Vec::new();
    if camel {
        items.push(quote!(rename_all = "camelCase"));
    }
    for e in extra {
        let e: TokenStream = e.parse().expect("a serde container attribute");
        items.push(e);
    }
    if items.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#items),*)])
    }
}
