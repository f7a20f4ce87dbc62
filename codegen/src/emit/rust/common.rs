//! Pieces every Rust emitter uses: identifiers, types, doc text, file formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Field, Literal, Model, Ty};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// An integer literal without a type suffix (the type comes from context).
pub fn int(n: impl Into<i128>) -> proc_macro2::Literal {
    proc_macro2::Literal::i128_unsuffixed(n.into())
}

/// Spec prose as rustdoc: escaped so that it can never open a code block (a doctest), HTML, a
/// link or a heading, whatever the spec says.
pub fn prose(text: &str) -> String {
    crate::emit::docs::markdown::rustdoc(text)
}

/// The Rust type of a stored value of `ty`; named types are in scope by their name.
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String | Ty::Json => quote!(String),
        Ty::Int => quote!(i32),
        Ty::Long => quote!(i64),
        Ty::Float => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Any => quote!(serde_json::Value),
        Ty::Bytes => quote!(FileContent),
        Ty::List(item) => {
            let item = ty_tokens(item);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = ty_tokens(value);
            quote!(BTreeMap<String, #value>)
        }
        Ty::Enum(name) | Ty::Object(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The field's declared type: optional fields are `Option`.
pub fn field_type(field: &Field) -> TokenStream {
    let ty = ty_tokens(&field.ty);
    if field.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// Whether values of `ty` are `Copy` (returned by value from getters).
pub fn is_copy(ty: &Ty) -> bool {
    matches!(ty, Ty::Int | Ty::Long | Ty::Float | Ty::Bool | Ty::Enum(_))
}

/// The parameter type a constructor or setter takes, and how it becomes the stored value.
pub fn param(field: &Field) -> (TokenStream, TokenStream) {
    let name = ident(&field.rust);
    if field.ty.is_string() {
        (quote!(impl Into<String>), quote!(#name.into()))
    } else if field.ty == Ty::Bytes {
        (quote!(impl Into<FileContent>), quote!(#name.into()))
    } else {
        (ty_tokens(&field.ty), quote!(#name))
    }
}

/// A getter's return type and body for a private field.
pub fn getter(field: &Field) -> (TokenStream, TokenStream) {
    let name = ident(&field.rust);
    let borrowed = match &field.ty {
        Ty::String | Ty::Json => quote!(str),
        Ty::List(item) => {
            let item = ty_tokens(item);
            quote!([#item])
        }
        other => ty_tokens(other),
    };
    let derefs = matches!(field.ty, Ty::String | Ty::Json | Ty::List(_));
    match (field.required, is_copy(&field.ty), derefs) {
        (true, true, _) => (borrowed, quote!(self.#name)),
        (true, false, _) => (quote!(&#borrowed), quote!(&self.#name)),
        (false, true, _) => (quote!(Option<#borrowed>), quote!(self.#name)),
        (false, false, true) => (quote!(Option<&#borrowed>), quote!(self.#name.as_deref())),
        (false, false, false) => (quote!(Option<&#borrowed>), quote!(self.#name.as_ref())),
    }
}

/// A literal as a Rust pattern or expression of the field's value type.
pub fn literal_tokens(lit: &Literal, ty: &Ty) -> TokenStream {
    match (lit, ty) {
        (Literal::Bool(b), _) => quote!(#b),
        (Literal::Int(i), _) => {
            let i = int(*i);
            quote!(#i)
        }
        (Literal::Str(s), _) => quote!(#s),
        (Literal::Float(f), _) => {
            let f = proc_macro2::Literal::f64_suffixed(*f);
            quote!(#f)
        }
        (Literal::Enum { variant, .. }, Ty::Enum(name)) => {
            let (name, variant) = (ident(name), ident(variant));
            quote!(#name::#variant)
        }
        (Literal::Enum { value, .. }, _) => {
            let value = int(*value);
            quote!(#value)
        }
    }
}

/// One line of rustdoc for a field: description, wire name, limits, default and note.
pub fn field_doc(field: &Field) -> String {
    let mut doc = prose(&field.description);
    if !doc.ends_with('.') {
        doc.push('.');
    }
    doc.push_str(&format!(" Wire `{}`", field.wire));
    match field.location {
        crate::model::Location::Body => {}
        crate::model::Location::Query => doc.push_str(" (query)"),
        crate::model::Location::Path => doc.push_str(" (path)"),
    }
    let limits = limits_text(field);
    if !limits.is_empty() {
        doc.push_str(&format!("; {}", limits.join("; ")));
    }
    if let Some(d) = &field.default {
        doc.push_str(&format!("; server default `{}`", d.display()));
    }
    doc.push('.');
    if let Some(note) = &field.note {
        doc.push_str(&format!(" Note: {}", prose(note)));
    }
    doc
}

/// Each documented limit in words, e.g. `at most 32 UTF-16 code units`.
pub fn limits_text(field: &Field) -> Vec<String> {
    let l = &field.limits;
    let unit = field.size_unit();
    let mut out = Vec::new();
    if let Some(n) = l.min_chars {
        out.push(format!("at least {n} {unit}"));
    }
    if let Some(n) = l.max_chars {
        out.push(format!("at most {n} {unit}"));
    }
    if let Some(n) = l.min_items {
        out.push(format!("at least {n} items"));
    }
    if let Some(n) = l.max_items {
        out.push(format!("at most {n} items"));
    }
    if let Some(n) = l.min {
        out.push(format!("at least {n}"));
    }
    if let Some(n) = l.max {
        out.push(format!("at most {n}"));
    }
    if field.over_limit == crate::model::OverLimit::Truncated {
        out.push("truncated past the upper limit (a warning, not a refusal)".into());
    }
    if let Some(p) = &l.pattern {
        if matches!(field.ty, Ty::List(_)) {
            out.push(format!("each item matches `{p}`"));
        } else {
            out.push(format!("matches `{p}`"));
        }
    }
    if !l.allowed.is_empty() {
        let vals: Vec<String> = l.allowed.iter().map(Literal::display).collect();
        out.push(format!("one of {}", vals.join(", ")));
    }
    if field.ty == Ty::Json {
        out.push("must be JSON text".into());
    }
    if field.encoding == crate::model::Encoding::ZeroOne {
        out.push("sent as 1 (`true`) or 0 (`false`)".into());
    }
    out
}

/// serde's `camelCase` renaming of a snake_case field name, as serde computes it.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for (i, c) in snake.chars().enumerate() {
        if c == '_' {
            upper = i > 0;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether most fields' wire names are the camelCase of their Rust names, so a container-level
/// `rename_all = "camelCase"` leaves the fewest per-field renames.
pub fn mostly_camel(fields: &[Field]) -> bool {
    let camel = fields
        .iter()
        .filter(|f| camel_case(&f.rust) == f.wire && f.rust != f.wire)
        .count();
    let plain = fields
        .iter()
        .filter(|f| f.rust == f.wire && camel_case(&f.rust) != f.wire)
        .count();
    camel > plain
}

/// The `#[serde(rename = ..)]` a field needs under its container's naming, if any.
pub fn rename(field: &Field, camel: bool) -> Option<&str> {
    let derived = if camel {
        camel_case(&field.rust)
    } else {
        field.rust.clone()
    };
    (derived != field.wire).then_some(field.wire.as_str())
}

/// The named types a set of types mentions directly (not through other named types).
pub fn named_types<'a>(types: impl Iterator<Item = &'a Ty>) -> Vec<String> {
    fn walk(ty: &Ty, out: &mut Vec<String>) {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => walk(inner, out),
            Ty::Enum(name) | Ty::Object(name) if !out.contains(name) => out.push(name.clone()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ty in types {
        walk(ty, &mut out);
    }
    out.sort();
    out
}

/// Formats a generated module, prefixed with the generated-file header.
///
/// The tokens come from `quote!` over checked names (identifiers the checker validated) and
/// string literals, so they always parse; a failure here is a bug of the emitter, not of a spec.
pub fn render_file(model: &Model, tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(split_doc_lines(tokens))
        .unwrap_or_else(|e| panic!("the emitter produced Rust that does not parse: {e}"));
    format!(
        "{}\n{}",
        super::super::rust_header(model),
        prettyplease::unparse(&file)
    )
}

/// Splits each `#[doc = "..."]` into one attribute per line, each starting with a space, so
/// the formatter prints tidy `/// ` lines instead of a `/** */` block.
fn split_doc_lines(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                let lines = doc_text(&g.stream());
                match (lines, out.last()) {
                    (Some(text), Some(TokenTree::Punct(p))) if p.as_char() == '#' => {
                        out.pop();
                        for line in text.lines() {
                            let line = if line.is_empty() {
                                String::new()
                            } else {
                                format!(" {}", line.trim_start())
                            };
                            out.extend(quote!(#[doc = #line]));
                        }
                    }
                    _ => {
                        let mut inner = Group::new(g.delimiter(), split_doc_lines(g.stream()));
                        inner.set_span(g.span());
                        out.push(TokenTree::Group(inner));
                    }
                }
            }
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), split_doc_lines(g.stream()));
                inner.set_span(g.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The text of `doc = "..."`, if the tokens are exactly that.
fn doc_text(tokens: &TokenStream) -> Option<String> {
    let attr: syn::MetaNameValue = syn::parse2(tokens.clone()).ok()?;
    if !attr.path.is_ident("doc") {
        return None;
    }
    match attr.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_serde() {
        assert_eq!(camel_case("from_accid"), "fromAccid");
        assert_eq!(
            camel_case("check_accid_async_enable"),
            "checkAccidAsyncEnable"
        );
        assert_eq!(camel_case("pushcontent"), "pushcontent");
        assert_eq!(camel_case("msgid_client"), "msgidClient");
        assert_eq!(camel_case("sub_type"), "subType");
    }
}
