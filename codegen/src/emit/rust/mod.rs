//! Rust emission through quote → syn → prettyplease into `generated-client/src/generated/`.

mod checks;
mod common;
mod endpoint;
mod fan_out;
mod limits;
mod paging;
mod serde_attrs;
mod types;

use quote::quote;

use super::GeneratedFile;
use crate::model::{Api, Model};
use common::{ident, render_file};

const DIR: &str = "generated-client/src/generated";

pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    let mut add = |name: &str, tokens| {
        files.push(GeneratedFile {
            path: format!("{DIR}/{name}.rs"),
            contents: render_file(model, tokens),
        });
    };
    let modules = model.endpoints.iter().map(|e| {
        let (m, doc) = (
            ident(&e.name),
            format!("`{} {}`: {}", e.method, e.path, common::prose(&e.summary)),
        );
        let gate = feature_gate(e);
        quote!(#[doc = #doc] #gate pub mod #m;)
    });
    let shared = crate::names::SHARED_MODULES.iter().map(|m| ident(m));
    add(
        "mod",
        quote! {
            //! Everything the spec describes. Generated: change `spec/` and run `cargo xtask codegen`.
            //!
            //! A domain's endpoint modules are left out of the crate's own unit-test build
            //! (`cfg(test)`): those tests are the runtime's, and the endpoints are tested against
            //! the library itself.
            #(#modules)*
            #(pub mod #shared;)*
        },
    );
    add("dynamic", dynamic(model));
    add("hosts", hosts(model));
    add("status", status(model));
    add("types", types::emit(model));
    for e in &model.endpoints {
        add(&e.name, endpoint::emit(model, e));
    }
    files
}

/// The cargo feature an endpoint's module needs: its domain's, or none for an endpoint filed in
/// no domain. `doc(cfg)` makes docs.rs show it (the crate root enables `doc_cfg` there).
fn feature_gate(e: &crate::model::Endpoint) -> proc_macro2::TokenStream {
    match &e.domain {
        Some(feature) => {
            let cfg = feature_cfg(e);
            quote! {
                #cfg
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            }
        }
        None => quote!(),
    }
}

/// The `cfg` alone, for items inside a function or a list, where `doc(cfg)` means nothing.
/// Besides its domain's feature, a domain's endpoint needs `not(test)`: the crate's unit-test
/// build (the runtime's tests) compiles no domain, rather than every endpoint a second time.
fn feature_cfg(e: &crate::model::Endpoint) -> proc_macro2::TokenStream {
    match &e.domain {
        Some(feature) => quote!(#[cfg(all(feature = #feature, not(test)))]),
        None => quote!(),
    }
}

/// Calls by endpoint name with requests in wire terms: for fixtures, queues and tools that
/// hold sends as data rather than as Rust values. The work is the runtime's; this only names.
fn dynamic(model: &Model) -> proc_macro2::TokenStream {
    let request = |e: &crate::model::Endpoint| {
        let (m, req) = (ident(&e.name), ident(&e.request_type()));
        quote!(crate::#m::#req)
    };
    let consts = model.endpoints.iter().map(|e| {
        let (m, c, cfg) = (
            ident(&e.name),
            ident(&e.name.to_uppercase()),
            feature_cfg(e),
        );
        quote!(#cfg &crate::#m::#c,)
    });
    let send_arms = model.endpoints.iter().map(|e| {
        let (name, req, cfg) = (&e.name, request(e), feature_cfg(e));
        quote!(#cfg #name => crate::runtime::dynamic::send::<#req>(client, call, trace_id).await,)
    });
    let validate_arms = model.endpoints.iter().map(|e| {
        let (name, req, cfg) = (&e.name, request(e), feature_cfg(e));
        quote!(#cfg #name => crate::runtime::dynamic::validate::<#req>(call, policy),)
    });
    // A name whose domain's feature is off is known, just not compiled in: the error says which
    // feature to enable rather than that no such endpoint exists.
    let disabled_arms: Vec<_> = model
        .endpoints
        .iter()
        .filter_map(|e| {
            let feature = e.domain.as_deref()?;
            let name = &e.name;
            Some(quote! {
                #[cfg(not(all(feature = #feature, not(test))))]
                #name => DynamicError::FeatureDisabled { endpoint: #name, feature: #feature },
            })
        })
        .collect();
    // A match of one arm is clippy's `match_single_binding`: with no endpoint in a domain, none.
    let not_compiled = if disabled_arms.is_empty() {
        quote!(DynamicError::UnknownEndpoint(endpoint.to_owned()))
    } else {
        quote! {
            match endpoint {
                #(#disabled_arms)*
                other => DynamicError::UnknownEndpoint(other.to_owned()),
            }
        }
    };
    // Deprecated endpoints stay callable by name; naming them here is not a use to warn about.
    let allow_deprecated = model
        .endpoints
        .iter()
        .any(|e| e.deprecated.is_some())
        .then(|| quote!(#![allow(deprecated)]));
    quote! {
        //! Every endpoint by name, with requests and replies as JSON in wire terms.
        #allow_deprecated
        pub use crate::runtime::dynamic::{DynamicError, DynamicReply};
        use crate::runtime::endpoint::Endpoint;
        use crate::runtime::validate::{LimitPolicy, Violation};

        /// Every endpoint the spec describes whose domain's cargo feature is enabled.
        pub const ENDPOINTS: &[&Endpoint] = &[#(#consts)*];

        /// Sends `call` (a JSON object in wire names and values) to `endpoint` through the typed
        /// client and returns the reply as JSON in wire names. `trace_id` is used by v2 endpoints
        /// and ignored by v1 ones.
        pub async fn send_json(client: &crate::Client, endpoint: &str, call: &serde_json::Value, trace_id: Option<&str>) -> Result<DynamicReply, DynamicError> {
            match endpoint {
                #(#send_arms)*
                other => {
                    // With every domain's feature off, no arm above reads them.
                    let _ = (client, call, trace_id);
                    Err(not_compiled(other))
                }
            }
        }

        /// Every rule `call` breaks as a request of `endpoint`, warnings included.
        pub fn validate_json(endpoint: &str, call: &serde_json::Value, policy: LimitPolicy) -> Result<Vec<Violation>, DynamicError> {
            match endpoint {
                #(#validate_arms)*
                other => {
                    let _ = (call, policy);
                    Err(not_compiled(other))
                }
            }
        }

        /// Why no arm took `endpoint`: its domain's feature is off, or no endpoint has that name.
        fn not_compiled(endpoint: &str) -> DynamicError {
            #not_compiled
        }
    }
}

fn hosts(model: &Model) -> proc_macro2::TokenStream {
    let consts = model.hosts.iter().map(|h| {
        let (name, alt_name) = match h.api {
            Api::V1 => (ident("V1_DEFAULT_BASE_URL"), ident("V1_OTHER_BASE_URLS")),
            Api::V2 => (ident("V2_DEFAULT_BASE_URL"), ident("V2_OTHER_BASE_URLS")),
        };
        let url = &h.default;
        let alts = &h.alternatives;
        let doc = format!(
            "Default base URL of the {} API.{}",
            h.api.name(),
            h.note
                .as_deref()
                .map(|n| format!(" {}", common::prose(n)))
                .unwrap_or_default()
        );
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
    let errors: Vec<_> = model
        .status_codes
        .iter()
        .filter(|s| s.code != 200)
        .collect();
    let variants = errors.iter().map(|s| {
        let (v, doc) = (
            ident(&s.variant),
            format!("{} (code {})", common::prose(&s.meaning), s.code),
        );
        quote!(#[doc = #doc] #v,)
    });
    let from = errors.iter().map(|s| {
        let (v, c) = (ident(&s.variant), common::int(s.code));
        quote!(#c => Self::#v,)
    });
    let infos = model.status_codes.iter().map(|s| {
        let (c, kind, meaning) = (common::int(s.code), &s.kind, s.meaning.trim());
        let advice = s.advice.as_deref().unwrap_or("").trim();
        quote!(StatusInfo::new(#c, #kind, #meaning, #advice),)
    });
    quote! {
        //! Typed kinds of a reply's body `code`, from the spec's status codes.
        use crate::runtime::endpoint::StatusInfo;
        use crate::runtime::error::{ApiError, Error};

        /// Every body `code` the spec knows, with its meaning and advice.
        pub const ALL: &[StatusInfo] = &[#(#infos)*];

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
        }

        impl ApiError {
            /// The typed kind of the refusal's `code`.
            pub fn kind(&self) -> ApiErrorKind {
                ApiErrorKind::from_code(self.code)
            }
        }

        impl Error {
            /// The typed kind of an [`Error::Api`]'s body `code`.
            pub fn api_kind(&self) -> Option<ApiErrorKind> {
                self.api_error().map(ApiError::kind)
            }
        }
    }
}
