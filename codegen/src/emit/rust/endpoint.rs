//! Emits one module per endpoint: request type, validation, encoding, reply type, client method.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::{field_checks, rule_checks};
use super::common::{ident, int, prose};
use super::types::{constructor_and_setters, struct_fields};
use super::wire::{decode_members, form_pushes, json_inserts};
use crate::model::{Api, Endpoint, Model};

pub fn emit(model: &Model, e: &Endpoint) -> TokenStream {
    let doc_path = format!("../../docs/{}.md", e.name);
    let request = ident(&e.request_type());
    let reply = ident(&e.reply_type());
    let method = ident(&e.name);
    let const_name = ident(&e.name.to_uppercase());
    let (name, path, http_method) = (&e.name, &e.path, &e.method);
    let rl = &e.rate_limit;
    let (calls, window, block, code) = (
        int(rl.calls),
        int(rl.window_seconds),
        int(rl.block_seconds),
        int(rl.code),
    );
    let api = match e.api {
        Api::V1 => quote!(crate::runtime::endpoint::ApiGeneration::V1),
        Api::V2 => quote!(crate::runtime::endpoint::ApiGeneration::V2),
    };
    let v2 = e.api == Api::V2;

    let members = struct_fields(&e.fields, false);
    let (trace_member, trace_init, touch) = if v2 {
        (
            quote!(trace_id: String,),
            quote!(trace_id: crate::runtime::endpoint::new_trace_id(),),
            // A changed request is a different logical request, so it gets a new trace id.
            quote!(self.trace_id = crate::runtime::endpoint::new_trace_id();),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let ctor = constructor_and_setters(&e.fields, trace_init, touch);
    let trace_methods = if v2 {
        quote! {
            /// The `X-custom-traceid` this request is sent with. It is made when the request is
            /// built and renewed by every setter; sending the same value again (a retry) reuses it,
            /// so the server de-duplicates the retry instead of sending twice.
            pub fn trace_id(&self) -> &str {
                &self.trace_id
            }

            /// Uses `trace_id` instead of a random one: keep it with a queued send so that a retry,
            /// even from another process, carries the same id. Never give two different requests one id.
            pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
                self.trace_id = trace_id.into();
                self
            }
        }
    } else {
        quote!()
    };
    let trace_impl = if v2 {
        quote!(
            fn trace_id(&self) -> Option<&str> {
                Some(&self.trace_id)
            }
        )
    } else {
        quote!()
    };
    let checks = field_checks(model, &e.fields);
    let rules = rule_checks(&e.rules);
    let to_wire = match e.api {
        Api::V1 => {
            let pushes = form_pushes(&e.fields);
            quote! {
                #pushes
                crate::runtime::endpoint::WireBody::Form(form)
            }
        }
        Api::V2 => {
            let inserts = json_inserts(&e.fields);
            quote! {
                let mut body = serde_json::Map::new();
                #inserts
                crate::runtime::endpoint::WireBody::Json(serde_json::Value::Object(body))
            }
        }
    };

    let reply_members = struct_fields(&e.reply.fields, true);
    let reply_decode = decode_members(&e.reply.fields);
    let reply_doc = prose(&e.reply.description);
    let request_doc = format!(
        "Request of `{}` ({} {}): {}",
        e.name,
        e.method,
        e.path,
        prose(&e.summary)
    );
    let method_doc = format!(
        "{}\n\nValidates the request (an invalid one is not sent), signs it, sends it to `{}` and decodes the reply.\n\n\
         Rate limit: {} calls per {} s; past it the server answers code {} and blocks the app for {} s.\n\n\
         # Errors\n\nSee [`crate::Error`]: validation, API error (typed by code), transport, HTTP status, undecodable reply.",
        prose(&e.summary),
        e.path,
        rl.calls,
        rl.window_seconds,
        rl.code,
        rl.block_seconds
    );
    let endpoint_doc = format!("Where and how `{}` is sent.", e.name);
    let map_binding = if e.reply.fields.is_empty() {
        quote!(let _map)
    } else {
        quote!(let map)
    };
    let reply_lenience = if e.reply.fields.is_empty() {
        quote!(_lenience)
    } else {
        quote!(lenience)
    };
    let policy_allow = quote!(#[allow(unused_variables)]);
    let limits_module = super::limits::emit(e);
    let reply_inserts = json_inserts(&e.reply.fields);
    let reply_body_binding = if e.reply.fields.is_empty() {
        quote!(let body)
    } else {
        quote!(let mut body)
    };
    let wire_names: Vec<&str> = e.fields.iter().map(|f| f.wire.as_str()).collect();
    let request_decode = decode_members(&e.fields);
    let trace_init = if v2 {
        quote!(trace_id: crate::runtime::endpoint::new_trace_id(),)
    } else {
        quote!()
    };

    quote! {
        #![doc = include_str!(#doc_path)]

        #[doc = #endpoint_doc]
        pub const #const_name: crate::runtime::endpoint::Endpoint = crate::runtime::endpoint::Endpoint {
            name: #name,
            api: #api,
            method: #http_method,
            path: #path,
            rate_limit: crate::runtime::endpoint::RateLimit { calls: #calls, window_seconds: #window, block_seconds: #block, code: #code },
        };

        #[doc = #request_doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #request {
            #members
            #trace_member
        }

        impl #request {
            #ctor
            #trace_methods

            /// Every rule of the spec this request breaks (limits, allowed values, JSON text,
            /// conditional rules), with wire paths. `Client` runs this before sending.
            pub fn validate(&self) -> Result<(), crate::runtime::validate::ValidationError> {
                let mut out = crate::runtime::validate::Violations::new(crate::runtime::validate::LimitPolicy::Documented);
                crate::runtime::endpoint::ApiRequest::validate_into(self, crate::runtime::validate::LimitPolicy::Documented, &mut out);
                out.into_result()
            }
        }

        impl crate::runtime::endpoint::ApiRequest for #request {
            type Reply = #reply;
            const ENDPOINT: &'static crate::runtime::endpoint::Endpoint = &#const_name;

            #policy_allow
            fn validate_into(&self, policy: crate::runtime::validate::LimitPolicy, out: &mut crate::runtime::validate::Violations) {
                let prefix = "";
                #checks
                #rules
            }

            fn to_wire(&self) -> crate::runtime::endpoint::WireBody {
                #to_wire
            }

            #trace_impl
        }

        #[doc = #reply_doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #reply { #reply_members }

        impl crate::runtime::decode::Decode for #reply {
            fn decode(value: &serde_json::Value, #reply_lenience: &crate::runtime::decode::Lenience, path: &str) -> Result<Self, crate::runtime::decode::DecodeError> {
                #map_binding = crate::runtime::decode::object(value, &crate::runtime::decode::Lenience::STRICT, path, "a reply object")?;
                Ok(Self { #reply_decode })
            }
        }

        impl crate::runtime::encode::ToJson for #reply {
            fn to_json(&self) -> serde_json::Value {
                #reply_body_binding = serde_json::Map::new();
                #reply_inserts
                serde_json::Value::Object(body)
            }
        }

        /// Builds the request from a JSON object in wire names and wire values (lists as JSON
        /// arrays, enums as their integers), strictly: unknown fields are errors.
        impl crate::runtime::decode::Decode for #request {
            fn decode(value: &serde_json::Value, lenience: &crate::runtime::decode::Lenience, path: &str) -> Result<Self, crate::runtime::decode::DecodeError> {
                let map = crate::runtime::decode::object(value, lenience, path, "a request object in wire names")?;
                crate::runtime::decode::deny_unknown(&map, &[#(#wire_names),*], path)?;
                Ok(Self { #request_decode #trace_init })
            }
        }

        #limits_module

        impl crate::Client {
            #[doc = #method_doc]
            pub async fn #method(&self, request: &#request) -> Result<#reply, crate::Error> {
                self.send(request).await
            }
        }
    }
}
