//! Emits validation: every limit of every field and every conditional rule, as calls into
//! `crate::runtime::validate`, collecting all violations with their wire paths.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, int, literal_tokens};
use crate::model::{Consequence, Field, FieldPath, LengthUnit, Literal, Model, Rule, Test, Ty};

fn unit_tokens(unit: LengthUnit) -> TokenStream {
    match unit {
        LengthUnit::Utf16 => quote!(crate::runtime::validate::LengthUnit::Utf16),
        LengthUnit::Chars => quote!(crate::runtime::validate::LengthUnit::Chars),
        LengthUnit::Bytes => quote!(crate::runtime::validate::LengthUnit::Bytes),
    }
}

/// Checks of one field; `value` is a `&T` expression, `path` a `String` expression.
fn value_checks(
    model: &Model,
    field: &Field,
    ty: &Ty,
    value: &TokenStream,
    path: &TokenStream,
    top: bool,
) -> TokenStream {
    let v = quote!(crate::runtime::validate);
    let mut out = TokenStream::new();
    // Limits in the spec belong to the field itself, not to list items.
    let l = if top {
        field.limits.clone()
    } else {
        Default::default()
    };
    let unit = unit_tokens(field.length_unit);
    match ty {
        Ty::String | Ty::Json => {
            if let Some(n) = l.min_chars {
                let n = int(n);
                out.extend(quote!(#v::min_chars(out, #path, #value, #n, #unit, None);));
            }
            if let Some(n) = l.max_chars {
                let n = int(n);
                out.extend(quote!(#v::max_chars(out, #path, #value, #n, #unit, None);));
            }
            let allowed: Vec<&String> = l
                .allowed
                .iter()
                .filter_map(|a| {
                    if let Literal::Str(s) = a {
                        Some(s)
                    } else {
                        None
                    }
                })
                .collect();
            if !allowed.is_empty() {
                out.extend(quote!(#v::allowed_str(out, #path, #value, &[#(#allowed),*]);));
            }
            if *ty == Ty::Json && top {
                out.extend(quote!(#v::json_text(out, #path, #value);));
            }
        }
        Ty::Int | Ty::Long => {
            if let Some(n) = l.min.map(int) {
                out.extend(quote!(#v::min_value(out, #path, i64::from(*#value), #n, None);));
            }
            if let Some(n) = l.max.map(int) {
                out.extend(quote!(#v::max_value(out, #path, i64::from(*#value), #n, None);));
            }
            let allowed: Vec<proc_macro2::Literal> = l
                .allowed
                .iter()
                .filter_map(|a| {
                    if let Literal::Int(i) = a {
                        Some(int(*i))
                    } else {
                        None
                    }
                })
                .collect();
            if !allowed.is_empty() {
                out.extend(
                    quote!(#v::allowed_int(out, #path, i64::from(*#value), &[#(#allowed),*]);),
                );
            }
        }
        Ty::Bool => {}
        Ty::Enum(name) => {
            if model.enum_def(name).is_some_and(|e| e.open) {
                out.extend(quote!(#v::known_enum(out, #path, #name, #value.unlisted_code());));
            }
        }
        Ty::Object(_) => out.extend(quote!(#value.validate_at(&#path, out);)),
        Ty::List(item) | Ty::Map(item) => {
            if let Some(n) = l.min_items {
                let n = int(n);
                out.extend(quote!(#v::min_items(out, #path, #value.len(), #n, None);));
            }
            if let Some(n) = l.max_items {
                let n = int(n);
                out.extend(quote!(#v::max_items(out, #path, #value.len(), #n, None);));
            }
            let item_checks = value_checks(
                model,
                field,
                item,
                &quote!(item),
                &quote!(item_path.clone()),
                false,
            );
            if !item_checks.is_empty() {
                let walk = if matches!(ty, Ty::List(_)) {
                    quote!(for (i, item) in #value.iter().enumerate() { let item_path = format!("{}[{}]", #path, i); #item_checks })
                } else {
                    quote!(for (key, item) in #value.iter() { let item_path = #v::child(&#path, key); #item_checks })
                };
                out.extend(walk);
            }
        }
    }
    out
}

/// Checks of each field of a struct whose validating method has `prefix: &str` in scope.
pub fn field_checks(model: &Model, fields: &[Field]) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        let name = ident(&f.rust);
        let wire = &f.wire;
        let path = quote!(crate::runtime::validate::child(prefix, #wire));
        let checks = value_checks(model, f, &f.ty, &quote!(value), &path, true);
        if checks.is_empty() {
            continue;
        }
        out.extend(if f.required {
            quote!({ let value = &self.#name; #checks })
        } else {
            quote!(if let Some(value) = &self.#name { #checks })
        });
    }
    out
}

/// `Option<&T>` of the value at `path` (no default applied).
fn path_value(path: &FieldPath) -> TokenStream {
    let mut expr = TokenStream::new();
    for (i, step) in path.steps.iter().enumerate() {
        let name = ident(&step.rust);
        expr = match (i, step.required) {
            (0, true) => quote!(Some(&self.#name)),
            (0, false) => quote!(self.#name.as_ref()),
            (_, true) => quote!(#expr.map(|v| &v.#name)),
            (_, false) => quote!(#expr.and_then(|v| v.#name.as_ref())),
        };
    }
    expr
}

/// Every conditional rule of an endpoint.
pub fn rule_checks(rules: &[Rule]) -> TokenStream {
    let v = quote!(crate::runtime::validate);
    let mut out = TokenStream::new();
    for rule in rules {
        let condition = format!(
            "{} ({})",
            rule.condition_text(),
            rule.description.trim_end_matches('.')
        );
        let when_step = rule.when.last();
        let lit = |l: &Literal| literal_tokens(l, &when_step.ty);
        // The effective value: as set, else the server's documented default.
        let raw = path_value(&rule.when);
        let effective = match &when_step.ty {
            Ty::String | Ty::Json => quote!(#raw.map(String::as_str)),
            _ => quote!(#raw.copied()),
        };
        let effective = match &when_step.default {
            Some(d) => {
                let d = lit(d);
                quote!(#effective.or(Some(#d)))
            }
            None => effective,
        };
        let test = match &rule.test {
            Test::Equals(l) => {
                let l = lit(l);
                quote!(effective == Some(#l))
            }
            Test::In(ls) => {
                let ls: Vec<TokenStream> = ls.iter().map(lit).collect();
                quote!(effective.is_some_and(|e| [#(#ls),*].contains(&e)))
            }
        };
        let then_value = path_value(&rule.then);
        let then_path = rule.then.wire();
        let consequence = match &rule.consequence {
            Consequence::Absent => {
                quote!(#v::absent(out, #then_path.to_owned(), #then_value.is_some(), CONDITION);)
            }
            Consequence::Present => {
                quote!(#v::present(out, #then_path.to_owned(), #then_value.is_some(), CONDITION);)
            }
            Consequence::MaxItems(n) => {
                let n = int(*n);
                quote!(if let Some(value) = #then_value { #v::max_items(out, #then_path.to_owned(), value.len(), #n, Some(CONDITION)); })
            }
            Consequence::MaxChars(n) => {
                let n = int(*n);
                let unit = unit_tokens(rule.then.last().length_unit);
                quote!(if let Some(value) = #then_value { #v::max_chars(out, #then_path.to_owned(), value, #n, #unit, Some(CONDITION)); })
            }
            Consequence::Max(n) => {
                let n = int(*n);
                quote!(if let Some(value) = #then_value { #v::max_value(out, #then_path.to_owned(), i64::from(*value), #n, Some(CONDITION)); })
            }
        };
        out.extend(quote! {
            {
                const CONDITION: &str = #condition;
                let effective = #effective;
                if #test { #consequence }
            }
        });
    }
    out
}
