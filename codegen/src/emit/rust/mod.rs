//! Rust emission through quote → syn → prettyplease into `generated-client/src/generated/`.

mod checks;
mod common;
mod endpoint;
mod types;
mod wire;

use quote::quote;

use super::GeneratedFile;
use crate::model::{Api, Model};
use common::{ident, render_file};

const DIR: &str = "generated-client/src/generated";

pub fn emit(model: &Model) -> Result<Vec<GeneratedFile>, String> {
    let mut files = Vec::new();
    let mut add = |name: &str, tokens| -> Result<(), String> {
        files.push(GeneratedFile { path: format!("{DIR}/{name}.rs"), contents: render_file(model, tokens)? });
        Ok(())
    };
    let modules = model.endpoints.iter().map(|e| {
        let (m, doc) = (ident(&e.name), format!("`{} {}`: {}", e.method, e.path, e.summary.trim()));
        quote!(#[doc = #doc] pub mod #m;)
    });
    add(
        "mod",
        quote! {
            //! Everything the spec describes. Generated: change `spec/` and run `cargo xtask codegen`.
            #(#modules)*
            pub mod hosts;
            pub mod status;
            pub mod types;
        },
    )?;
    add("hosts", hosts(model))?;
    add("status", status(model))?;
    add("types", types::emit(model)?)?;
    for e in &model.endpoints {
        add(&e.name, endpoint::emit(model, e))?;
    }
    Ok(files)
}

fn hosts(model: &Model) -> proc_macro2::TokenStream {
    let consts = model.hosts.iter().map(|h| {
        let (name, alt_name) = match h.api {
            Api::V1 => (ident("V1_DEFAULT_BASE_URL"), ident("V1_OTHER_BASE_URLS")),
            Api::V2 => (ident("V2_DEFAULT_BASE_URL"), ident("V2_OTHER_BASE_URLS")),
        };
        let url = &h.default;
        let alts = &h.alternatives;
        let doc = format!("Default base URL of the {} API.{}", h.api.name(), h.note.as_deref().map(|n| format!(" {n}")).unwrap_or_default());
        let alt_doc = format!("Other hosts the pages name for the {} API.", h.api.name());
        quote! {
            #[doc = #doc]
            pub const #name: &str = #url;
            #[doc = #alt_doc]
            pub const #alt_name: &[&str] = &[#(#alts),*];
        }
    });
    quote! {
        //! The vendor's hosts, per API generation.
        #(#consts)*
    }
}

fn status(model: &Model) -> proc_macro2::TokenStream {
    let errors: Vec<_> = model.status_codes.iter().filter(|s| s.code != 200).collect();
    let variants = errors.iter().map(|s| {
        let (v, doc) = (ident(&s.variant), format!("{} (code {})", s.meaning.trim(), s.code));
        quote!(#[doc = #doc] #v,)
    });
    let from = errors.iter().map(|s| {
        let (v, c) = (ident(&s.variant), common::int(s.code));
        quote!(#c => Self::#v,)
    });
    let code = errors.iter().map(|s| {
        let (v, c) = (ident(&s.variant), common::int(s.code));
        quote!(Self::#v => Some(#c),)
    });
    let meaning = errors.iter().map(|s| {
        let (v, m) = (ident(&s.variant), s.meaning.trim());
        quote!(Self::#v => #m,)
    });
    let advice = errors.iter().map(|s| {
        let (v, a) = (ident(&s.variant), s.advice.as_deref().unwrap_or("").trim());
        quote!(Self::#v => #a,)
    });
    quote! {
        //! Typed kinds of a reply's body `code`, from the spec's status codes.

        /// What a non-200 body `code` means.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ApiErrorKind {
            #(#variants)*
            /// A code the spec does not list.
            Other(i64),
        }

        impl ApiErrorKind {
            /// The kind of a body `code`.
            pub fn from_code(code: i64) -> Self {
                match code { #(#from)* other => Self::Other(other) }
            }

            /// The code of a listed kind.
            pub fn code(self) -> Option<i64> {
                match self { #(#code)* Self::Other(_) => None }
            }

            /// What the code means, from the spec.
            pub fn meaning(self) -> &'static str {
                match self { #(#meaning)* Self::Other(_) => "A code the spec does not list." }
            }

            /// What to do about it, from the spec; empty when the pages give no advice.
            pub fn advice(self) -> &'static str {
                match self { #(#advice)* Self::Other(_) => "Read the desc; see the vendor's full status-code list." }
            }
        }
    }
}
