//! Emits each endpoint's `limits` module: the documented limits of its fields as constants, so
//! callers can size batches (e.g. chunk recipients) before building a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, int};
use crate::model::{Consequence, Endpoint, LengthUnit, Number, Ty};

pub fn emit(e: &Endpoint) -> TokenStream {
    let mut consts = Vec::new();
    let mut names = Vec::new();
    let mut push = |name: String, ty: ConstTy, value: Number, doc: String| {
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
        let value = match (value, ty) {
            (Number::Int(i), ConstTy::Count | ConstTy::Int | ConstTy::Long) => {
                let i = int(i);
                quote!(#i)
            }
            // A float field's whole-number limit still needs a float literal.
            (Number::Int(i), ConstTy::Float) => {
                let f = proc_macro2::Literal::f64_suffixed(i as f64);
                quote!(#f)
            }
            (Number::Float(f), _) => {
                let f = proc_macro2::Literal::f64_suffixed(f);
                quote!(#f)
            }
        };
        let ty = ty.tokens();
        consts.push(quote!(#[doc = #doc] pub const #id: #ty = #value;));
    };
    for f in &e.fields {
        let upper = f.rust.to_uppercase();
        let wire = &f.wire;
        let file = f.ty == Ty::Bytes;
        let unit = f.size_unit();
        let size = if file { "BYTES" } else { "CHARS" };
        let l = &f.limits;
        let counted = |what: &str, n: u64| format!("`{wire}`: {what} {n} {unit}.");
        if let Some(n) = l.min_chars {
            push(
                format!("{upper}_MIN_{size}"),
                ConstTy::Count,
                Number::Int(n as i64),
                counted("at least", n),
            );
        }
        if let Some(n) = l.max_chars {
            push(
                format!("{upper}_MAX_{size}"),
                ConstTy::Count,
                Number::Int(n as i64),
                counted("at most", n),
            );
        }
        if let Some(n) = l.min_items {
            push(
                format!("{upper}_MIN_ITEMS"),
                ConstTy::Count,
                Number::Int(n as i64),
                format!("`{wire}`: at least {n} items."),
            );
        }
        if let Some(n) = l.max_items {
            push(
                format!("{upper}_MAX_ITEMS"),
                ConstTy::Count,
                Number::Int(n as i64),
                format!("`{wire}`: at most {n} items."),
            );
        }
        let number_ty = ConstTy::of(&f.ty);
        if let Some(n) = l.min {
            push(
                format!("{upper}_MIN"),
                number_ty,
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
                ConstTy::Count,
                Number::Int(n as i64),
                doc,
            ),
            Consequence::MaxChars(n) => {
                let doc = format!("{doc} Counted in {}.", LengthUnit::words(unit));
                push(
                    format!("{then}_MAX_CHARS_WHEN_{when}"),
                    ConstTy::Count,
                    Number::Int(n as i64),
                    doc,
                )
            }
            Consequence::Max(n) => push(
                format!("{then}_MAX_WHEN_{when}"),
                ConstTy::of(&rule.then.last().ty),
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

/// The type of a limit constant: a count of items or characters is compared with `len()` and
/// passed to `chunks()`, so it is a `usize`; a number limit has the type of its field's setter, so
/// `.limit(limits::LIMIT_MAX)` compiles as written.
#[derive(Clone, Copy)]
enum ConstTy {
    Count,
    Int,
    Long,
    Float,
}

impl ConstTy {
    /// The setter type of a number field; a list's limits bound its elements.
    fn of(ty: &Ty) -> Self {
        match ty {
            Ty::Int => ConstTy::Int,
            Ty::Float => ConstTy::Float,
            Ty::List(inner) | Ty::Map(inner) => ConstTy::of(inner),
            _ => ConstTy::Long,
        }
    }

    fn tokens(self) -> TokenStream {
        match self {
            ConstTy::Count => quote!(usize),
            ConstTy::Int => quote!(i32),
            ConstTy::Long => quote!(i64),
            ConstTy::Float => quote!(f64),
        }
    }
}
