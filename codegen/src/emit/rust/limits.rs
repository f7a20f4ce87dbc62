//! Emits each endpoint's `limits` module: the documented limits of its fields as constants, so
//! callers can size batches (e.g. chunk recipients) before building a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, int};
use crate::model::{Consequence, Endpoint, LengthUnit, Number, Ty};

pub fn emit(e: &Endpoint) -> TokenStream {
    let mut consts = Vec::new();
    let mut names = Vec::new();
    let mut push = |name: String, ty: TokenStream, value: Number, doc: String| {
        // A repeated name gets a number; the numbered name may itself be taken (a field can be
        // called `x_1`), so the number grows until the name is free.
        let mut unique = name.clone();
        let mut n = names.len();
        while names.contains(&unique) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        let name = unique;
        names.push(name.clone());
        let id = ident(&name);
        let value = match value {
            Number::Int(i) => {
                let i = int(i);
                quote!(#i)
            }
            Number::Float(f) => {
                let f = proc_macro2::Literal::f64_suffixed(f);
                quote!(#f)
            }
        };
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
                Number::Int(n as i64),
                counted("at least", n),
            );
        }
        if let Some(n) = l.max_chars {
            push(
                format!("{upper}_MAX_CHARS"),
                quote!(usize),
                Number::Int(n as i64),
                counted("at most", n),
            );
        }
        if let Some(n) = l.min_items {
            push(
                format!("{upper}_MIN_ITEMS"),
                quote!(usize),
                Number::Int(n as i64),
                format!("`{wire}`: at least {n} items."),
            );
        }
        if let Some(n) = l.max_items {
            push(
                format!("{upper}_MAX_ITEMS"),
                quote!(usize),
                Number::Int(n as i64),
                format!("`{wire}`: at most {n} items."),
            );
        }
        let number_ty = if f.ty == Ty::Float {
            quote!(f64)
        } else {
            quote!(i64)
        };
        if let Some(n) = l.min {
            push(
                format!("{upper}_MIN"),
                number_ty.clone(),
                n,
                format!("`{wire}`: at least {n}."),
            );
        }
        if let Some(n) = l.max {
            push(
                format!("{upper}_MAX"),
                number_ty,
                n,
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
        let when = match &rule.when {
            Some(w) => w
                .field
                .steps
                .iter()
                .map(|s| s.rust.to_uppercase())
                .collect::<Vec<_>>()
                .join("_"),
            // An unconditional rule's limit is the field's own; the field constants say it.
            None => continue,
        };
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
                Number::Int(n as i64),
                doc,
            ),
            Consequence::MaxChars(n) => {
                let doc = format!("{doc} Counted in {}.", LengthUnit::words(unit));
                push(
                    format!("{then}_MAX_CHARS_WHEN_{when}"),
                    quote!(usize),
                    Number::Int(n as i64),
                    doc,
                )
            }
            Consequence::Max(n) => push(
                format!("{then}_MAX_WHEN_{when}"),
                match n {
                    Number::Int(_) => quote!(i64),
                    Number::Float(_) => quote!(f64),
                },
                n,
                doc,
            ),
            Consequence::Min(_)
            | Consequence::Absent
            | Consequence::Present
            | Consequence::Compare(..) => {}
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
