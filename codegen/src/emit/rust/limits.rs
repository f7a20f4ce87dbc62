//! Emits each endpoint's `limits` module: the documented limits of its fields as constants, so
//! callers can size batches (e.g. chunk recipients) before building a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, int};
use crate::model::{Consequence, Endpoint, LengthUnit};

pub fn emit(e: &Endpoint) -> TokenStream {
    let mut consts = Vec::new();
    let mut names = Vec::new();
    let mut push = |name: String, ty: TokenStream, value: i128, doc: String| {
        let name = if names.contains(&name) {
            format!("{name}_{}", names.len())
        } else {
            name
        };
        names.push(name.clone());
        let (id, value) = (ident(&name), int(value));
        consts.push(quote!(#[doc = #doc] pub const #id: #ty = #value;));
    };
    for f in &e.fields {
        let upper = f.rust.to_uppercase();
        let wire = &f.wire;
        let unit = f.length_unit.words();
        let l = &f.limits;
        let counted = |what: &str, n: u64| format!("`{wire}`: {what} {n} {unit}.");
        if let Some(n) = l.min_chars {
            push(
                format!("{upper}_MIN_CHARS"),
                quote!(usize),
                n.into(),
                counted("at least", n),
            );
        }
        if let Some(n) = l.max_chars {
            push(
                format!("{upper}_MAX_CHARS"),
                quote!(usize),
                n.into(),
                counted("at most", n),
            );
        }
        if let Some(n) = l.min_items {
            push(
                format!("{upper}_MIN_ITEMS"),
                quote!(usize),
                n.into(),
                format!("`{wire}`: at least {n} items."),
            );
        }
        if let Some(n) = l.max_items {
            push(
                format!("{upper}_MAX_ITEMS"),
                quote!(usize),
                n.into(),
                format!("`{wire}`: at most {n} items."),
            );
        }
        if let Some(n) = l.min {
            push(
                format!("{upper}_MIN"),
                quote!(i64),
                n.into(),
                format!("`{wire}`: at least {n}."),
            );
        }
        if let Some(n) = l.max {
            push(
                format!("{upper}_MAX"),
                quote!(i64),
                n.into(),
                format!("`{wire}`: at most {n}."),
            );
        }
    }
    for rule in &e.rules {
        let then = rule
            .then
            .steps
            .iter()
            .map(|s| s.rust.to_uppercase())
            .collect::<Vec<_>>()
            .join("_");
        let when = rule
            .when
            .steps
            .iter()
            .map(|s| s.rust.to_uppercase())
            .collect::<Vec<_>>()
            .join("_");
        let doc = format!(
            "`{}` when {}: {}.",
            rule.then.wire(),
            rule.condition_text(),
            super::common::prose(rule.description.trim_end_matches('.'))
        );
        let unit = rule.then.last().length_unit;
        match rule.consequence {
            Consequence::MaxItems(n) => push(
                format!("{then}_MAX_ITEMS_WHEN_{when}"),
                quote!(usize),
                n.into(),
                doc,
            ),
            Consequence::MaxChars(n) => {
                let doc = format!("{doc} Counted in {}.", LengthUnit::words(unit));
                push(
                    format!("{then}_MAX_CHARS_WHEN_{when}"),
                    quote!(usize),
                    n.into(),
                    doc,
                )
            }
            Consequence::Max(n) => push(
                format!("{then}_MAX_WHEN_{when}"),
                quote!(i64),
                n.into(),
                doc,
            ),
            Consequence::Absent | Consequence::Present => {}
        }
    }
    quote! {
        /// The documented limits of this endpoint's fields, for sizing batches before building a
        /// request; `validate()` enforces the same numbers.
        pub mod limits {
            #(#consts)*
        }
    }
}
