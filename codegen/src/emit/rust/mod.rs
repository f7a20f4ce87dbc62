//! Rust emission through quote → syn → prettyplease into `generated-client/src/generated/`.

mod checks;
mod common;
mod endpoint;
mod limits;
mod types;
mod wire;

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
        quote!(#[doc = #doc] pub mod #m;)
    });
    add(
        "mod",
        quote! {
            //! Everything the spec describes. Generated: change `spec/` and run `cargo xtask codegen`.
            #(#modules)*
            pub mod dynamic;
            pub mod hosts;
            pub mod status;
            pub mod types;
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

/// Calls by endpoint name with requests in wire terms: for fixtures, queues and tools that
/// hold sends as data rather than as Rust values.
fn dynamic(model: &Model) -> proc_macro2::TokenStream {
    let consts: Vec<_> = model
        .endpoints
        .iter()
        .map(|e| {
            let (m, c) = (ident(&e.name), ident(&e.name.to_uppercase()));
            quote!(&crate::#m::#c)
        })
        .collect();
    let send_arms = model.endpoints.iter().map(|e| {
        let (name, m, req) = (&e.name, ident(&e.name), ident(&e.request_type()));
        let trace = if e.api == Api::V2 {
            quote!(let request = match trace_id { Some(id) => request.with_trace_id(id), None => request };)
        } else {
            quote!(let _ = trace_id;)
        };
        quote! {
            #name => {
                let request = <crate::#m::#req as Decode>::decode(call, &Lenience::STRICT, "").map_err(DynamicError::BadCall)?;
                #trace
                let reply = client.send(&request).await.map_err(DynamicError::Client)?;
                Ok(reply.to_json())
            }
        }
    });
    let validate_arms = model.endpoints.iter().map(|e| {
        let (name, m, req) = (&e.name, ident(&e.name), ident(&e.request_type()));
        quote! {
            #name => {
                let request = <crate::#m::#req as Decode>::decode(call, &Lenience::STRICT, "").map_err(DynamicError::BadCall)?;
                crate::runtime::endpoint::ApiRequest::validate_into(&request, policy, &mut out);
            }
        }
    });
    let encode_arms = model.endpoints.iter().map(|e| {
        let (name, m, req) = (&e.name, ident(&e.name), ident(&e.request_type()));
        quote! {
            #name => {
                let request = <crate::#m::#req as Decode>::decode(call, &Lenience::STRICT, "").map_err(DynamicError::BadCall)?;
                Ok(crate::runtime::endpoint::ApiRequest::to_wire(&request))
            }
        }
    });
    quote! {
        //! Every endpoint by name, with requests and replies as JSON in wire terms.

        use crate::runtime::decode::{Decode, DecodeError, Lenience};
        use crate::runtime::encode::ToJson;

        /// Every endpoint the spec describes.
        pub const ENDPOINTS: &[&crate::runtime::endpoint::Endpoint] = &[#(#consts),*];

        /// Why a call by name failed.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum DynamicError {
            /// No endpoint has that name.
            UnknownEndpoint(String),
            /// The call is not a request of that endpoint in wire terms.
            BadCall(DecodeError),
            /// The typed client failed (validation, API, transport, HTTP or decoding).
            Client(crate::Error),
        }

        impl std::fmt::Display for DynamicError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::UnknownEndpoint(name) => write!(f, "no endpoint is named `{name}`"),
                    Self::BadCall(e) => write!(f, "the call is not a valid request in wire terms: {e}"),
                    Self::Client(e) => write!(f, "{e}"),
                }
            }
        }

        impl std::error::Error for DynamicError {}

        /// Sends `call` (a JSON object in wire names and values) to `endpoint` through the typed
        /// client and returns the decoded reply, as JSON in wire names. `trace_id` is used by v2
        /// endpoints and ignored by v1 ones.
        pub async fn send_json(client: &crate::Client, endpoint: &str, call: &serde_json::Value, trace_id: Option<&str>) -> Result<serde_json::Value, DynamicError> {
            match endpoint {
                #(#send_arms)*
                other => Err(DynamicError::UnknownEndpoint(other.to_owned())),
            }
        }

        /// Every rule `call` breaks as a request of `endpoint`.
        pub fn validate_json(endpoint: &str, call: &serde_json::Value, policy: crate::runtime::validate::LimitPolicy) -> Result<Vec<crate::runtime::validate::Violation>, DynamicError> {
            let mut out = crate::runtime::validate::Violations::new(policy);
            match endpoint {
                #(#validate_arms)*
                other => return Err(DynamicError::UnknownEndpoint(other.to_owned())),
            }
            Ok(out.as_slice().to_vec())
        }

        /// The body the typed client would send for `call`, without validating it.
        pub fn encode_json(endpoint: &str, call: &serde_json::Value) -> Result<crate::runtime::endpoint::WireBody, DynamicError> {
            match endpoint {
                #(#encode_arms)*
                other => Err(DynamicError::UnknownEndpoint(other.to_owned())),
            }
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
