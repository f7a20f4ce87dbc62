//! Emits validation: one `Validator` call per documented limit of each field, and each
//! conditional rule, so every violation is collected with its wire path.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, int, literal_tokens};
use crate::model::{Consequence, Field, FieldPath, LengthUnit, Literal, Model, Rule, Test, Ty};

fn unit_tokens(unit: LengthUnit) -> TokenStream {
    match unit {
        LengthUnit::Utf16 => quote!(Utf16),
        LengthUnit::Chars => quote!(LengthUnit::Chars),
        LengthUnit::Bytes => quote!(LengthUnit::Bytes),
    }
}

/// Whether values of `ty` hold objects that validate themselves.
fn holds_objects(ty: &Ty) -> bool {
    match ty {
        Ty::Object(_) => true,
        Ty::List(inner) | Ty::Map(inner) => holds_objects(inner),
        _ => false,
    }
}

/// The open enum whose values `ty` holds, if any (its catch-all is never sent).
fn open_enum<'m>(model: &'m Model, ty: &Ty) -> Option<&'m str> {
    match ty {
        Ty::Enum(name) => model
            .enum_def(name)
            .filter(|e| e.open)
            .map(|e| e.name.as_str()),
        Ty::List(inner) => open_enum(model, inner),
        _ => None,
    }
}

/// The checks of each field, as statements over `self` with a validator `v` in scope.
pub fn field_checks(model: &Model, fields: &[Field]) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        let (name, wire) = (ident(&f.rust), f.wire.as_str());
        let value = quote!(&self.#name);
        let l = &f.limits;
        let unit = unit_tokens(f.length_unit);
        if let Some(n) = l.min_chars.map(int) {
            out.extend(quote!(v.min_chars(#wire, #value, #n, #unit);));
        }
        if let Some(n) = l.max_chars.map(int) {
            out.extend(quote!(v.max_chars(#wire, #value, #n, #unit);));
        }
        if let Some(n) = l.min_items.map(int) {
            out.extend(quote!(v.min_items(#wire, #value, #n);));
        }
        if let Some(n) = l.max_items.map(int) {
            out.extend(quote!(v.max_items(#wire, #value, #n);));
        }
        if let Some(n) = l.min.map(int) {
            out.extend(quote!(v.min(#wire, #value, #n);));
        }
        if let Some(n) = l.max.map(int) {
            out.extend(quote!(v.max(#wire, #value, #n);));
        }
        let ints: Vec<_> = l
            .allowed
            .iter()
            .filter_map(|a| match a {
                Literal::Int(i) => Some(int(*i)),
                _ => None,
            })
            .collect();
        if !ints.is_empty() {
            out.extend(quote!(v.one_of(#wire, #value, &[#(#ints),*]);));
        }
        let texts: Vec<&String> = l
            .allowed
            .iter()
            .filter_map(|a| match a {
                Literal::Str(s) => Some(s),
                _ => None,
            })
            .collect();
        if !texts.is_empty() {
            out.extend(quote!(v.one_of_text(#wire, #value, &[#(#texts),*]);));
        }
        if f.ty == Ty::Json {
            out.extend(quote!(v.json(#wire, #value);));
        }
        if let Some(name) = open_enum(model, &f.ty) {
            out.extend(quote!(v.listed(#wire, #value, #name);));
        }
        if holds_objects(&f.ty) {
            out.extend(quote!(v.nested(#wire, #value);));
        }
    }
    out
}

/// The value at `path` as an `Option` of a copy or a `&str` (no default applied): the first step
/// reads the field, later steps go through the nested objects' getters.
fn path_value(path: &FieldPath) -> TokenStream {
    let mut expr = TokenStream::new();
    for (i, step) in path.steps.iter().enumerate() {
        let name = ident(&step.rust);
        let getter = ident(&format!("get_{}", step.rust));
        let last = i + 1 == path.steps.len();
        let scalar = !step.ty.is_composite();
        expr = match (i, step.required, last && scalar) {
            (0, true, true) if step.ty.is_string() => quote!(Some(self.#name.as_str())),
            (0, true, true) => quote!(Some(self.#name)),
            (0, true, false) => quote!(Some(&self.#name)),
            (0, false, true) if step.ty.is_string() => quote!(self.#name.as_deref()),
            (0, false, true) => quote!(self.#name),
            (0, false, false) => quote!(self.#name.as_ref()),
            (_, true, _) => quote!(#expr.map(|o| o.#getter())),
            (_, false, _) => quote!(#expr.and_then(|o| o.#getter())),
        };
    }
    expr
}

/// The condition of `rule` as a `bool` expression over `self`, comparing the effective value
/// (as set, else the documented default).
fn condition(rule: &Rule) -> TokenStream {
    let step = rule.when.last();
    let lit = |l: &Literal| literal_tokens(l, &step.ty);
    let (value, wrap) = match (&step.default, rule.when.steps.len(), step.required) {
        // A required top-level field always has its value.
        (_, 1, true) => {
            let name = ident(&step.rust);
            if step.ty.is_string() {
                (quote!(self.#name.as_str()), false)
            } else {
                (quote!(self.#name), false)
            }
        }
        // With a default the effective value is always known.
        (Some(d), _, _) => {
            let (value, d) = (path_value(&rule.when), lit(d));
            (quote!(#value.unwrap_or(#d)), false)
        }
        (None, _, _) => (path_value(&rule.when), true),
    };
    let pattern = |ls: &[Literal]| {
        let ls: Vec<TokenStream> = ls.iter().map(lit).collect();
        if wrap {
            quote!(Some(#(#ls)|*))
        } else {
            quote!(#(#ls)|*)
        }
    };
    match &rule.test {
        Test::Equals(Literal::Bool(b)) if !wrap => {
            if *b {
                quote!(#value)
            } else {
                quote!(!#value)
            }
        }
        Test::Equals(l) => {
            let p = pattern(std::slice::from_ref(l));
            quote!(matches!(#value, #p))
        }
        Test::In(ls) => {
            let p = pattern(ls);
            quote!(matches!(#value, #p))
        }
    }
}

/// Every conditional rule, as `if <condition> { v.when(RULE_n, ..) }` statements, and the
/// `RULE_n` constants naming each condition.
pub fn rule_checks(rules: &[Rule]) -> (TokenStream, TokenStream) {
    let mut consts = TokenStream::new();
    let mut checks = TokenStream::new();
    for (i, rule) in rules.iter().enumerate() {
        let name = ident(&format!("RULE_{i}"));
        let text = format!(
            "{} ({})",
            rule.condition_text(),
            rule.description.trim_end_matches('.')
        );
        consts.extend(quote!(const #name: &str = #text;));
        let then = rule.then.wire();
        let value = match rule.then.steps.len() {
            1 => {
                let f = ident(&rule.then.last().rust);
                quote!(&self.#f)
            }
            _ => {
                let v = path_value(&rule.then);
                quote!(&#v)
            }
        };
        let consequence = match &rule.consequence {
            Consequence::Absent => quote!(v.absent(#then, #value)),
            Consequence::Present => quote!(v.present(#then, #value)),
            Consequence::MaxItems(n) => {
                let n = int(*n);
                quote!(v.max_items(#then, #value, #n))
            }
            Consequence::MaxChars(n) => {
                let (n, unit) = (int(*n), unit_tokens(rule.then.last().length_unit));
                quote!(v.max_chars(#then, #value, #n, #unit))
            }
            Consequence::Max(n) => {
                let n = int(*n);
                quote!(v.max(#then, #value, #n))
            }
        };
        let test = condition(rule);
        checks.extend(quote! {
            if #test {
                v.when(#name, Severity::Error, |v| #consequence);
            }
        });
    }
    (consts, checks)
}
