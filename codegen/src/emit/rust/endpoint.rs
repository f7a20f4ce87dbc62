//! Emits one module per endpoint: its `Endpoint` data, the request (serde, builder, getters,
//! validation), the reply, the limits constants and the client method.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::{field_checks, pattern_statics, rule_checks};
use super::common::{field_doc, field_type, ident, int, mostly_camel, prose};
use super::serde_attrs::{container_attrs, field_attrs, needs_serde_as, Side};
use super::types::{accessors_with, scoped, struct_members, uses_of};
use crate::model::{
    Api, Blocks, Consequence, Endpoint, FieldPath, Lenience, Location, Method, Model, Rule, Test,
    Ty,
};

pub fn emit(model: &Model, e: &Endpoint) -> TokenStream {
    let doc_path = format!("../../docs/{}.md", e.name);
    let request = ident(&e.request_type());
    let reply = ident(&e.reply_type());
    let method = ident(&e.name);
    let unreadable = ident(crate::names::REPLY_UNREADABLE);
    let const_name = ident(&e.name.to_uppercase());
    let v2 = e.api == Api::V2;

    let rule_types = e
        .rules
        .iter()
        .filter_map(|r| r.when.as_ref())
        // Only a test against values names the enum's variants; `is_set` and `non_empty` do not.
        .filter(|w| !matches!(w.test, Test::IsSet(_) | Test::NonEmpty))
        .map(|w| &w.field.last().ty);
    let inline_fields = model
        .objects
        .iter()
        .filter(|o| o.scope.as_deref() == Some(e.name.as_str()))
        .flat_map(|o| &o.fields);
    let uses = uses_of(
        model,
        e.fields
            .iter()
            .chain(&e.reply.fields)
            .chain(inline_fields)
            .map(|f| &f.ty)
            .chain(rule_types.filter(|t| matches!(t, Ty::Enum(_)))),
    );
    let inline_types = scoped(model, Some(&e.name));
    let deprecated = e.deprecated.as_ref().map(|d| {
        let note = d.text();
        quote!(#[deprecated(note = #note)])
    });
    let allow_deprecated =
        e.deprecated.is_some() || e.fields.iter().any(|f| f.deprecated.is_some());
    let allow_deprecated = allow_deprecated.then(|| quote!(#![allow(deprecated)]));
    let endpoint = endpoint_const(model, e, &const_name);

    let camel = mostly_camel(&e.fields);
    let serde_as = if needs_serde_as(model, &e.fields, Side::Request) {
        quote!(#[serde_as])
    } else {
        quote!()
    };
    let members = struct_members(model, &e.fields, Side::Request, camel);
    let container = container_attrs(camel, &["deny_unknown_fields"]);
    let (trace_member, trace_init, touch, trace_methods, trace_impl) = if v2 {
        (
            quote! {
                #[serde(rename = "X-custom-traceid", default = "new_trace_id", skip_serializing_if = "for_the_body")]
                trace_id: String,
            },
            quote!(trace_id: new_trace_id(),),
            // A changed request is a different logical request, so it gets a new trace id.
            quote!(self.trace_id = new_trace_id();),
            quote! {
                /// The `X-custom-traceid` this request is sent with: made when the request is built and
                /// renewed by every setter, so resending the same value (a retry) lets the server de-duplicate.
                pub fn trace_id(&self) -> &str {
                    &self.trace_id
                }
                /// Uses `trace_id` instead of a random one: keep it with a queued send so a retry, even from
                /// another process, carries the same id. Never give two different requests one id.
                pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
                    self.trace_id = trace_id.into();
                    self
                }
            },
            quote! {
                fn trace_id(&self) -> Option<&str> {
                    Some(&self.trace_id)
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!(), quote!(), quote!())
    };
    let methods = accessors_with(&e.fields, &touch, &trace_init, &e.request_type());
    let checks = field_checks(model, &e.fields);
    let patterns = pattern_statics(&e.fields);
    let (rule_consts, rules) = rule_checks(&e.rules);
    // A rule on `object.field` reads it through the object's getter, which is #[deprecated]
    // when the field is; the check must still run, so such validation allows it locally.
    let allow_nested_deprecated = e
        .rules
        .iter()
        .any(reads_nested)
        .then(|| quote!(#[allow(deprecated)]));
    let v = if checks.is_empty() && rules.is_empty() {
        quote!(_)
    } else {
        quote!(v)
    };
    let request_doc = format!(
        "Request of `{}` ({} {}): {} Serializes to the wire form{}.",
        e.name,
        e.method,
        e.path,
        prose(&e.summary),
        if v2 && e.fields.iter().any(|f| f.location != Location::Body) {
            // The client takes path and query parameters out of it; it is not the body.
            " (every parameter in wire names, path and query ones included, plus the trace id)"
        } else if v2 {
            " (its JSON body, plus the trace id)"
        } else {
            " (form fields; lists and objects as JSON text)"
        }
    );

    let reply_serde_as = if needs_serde_as(model, &e.reply.fields, Side::Reply(Lenience::default()))
    {
        quote!(#[serde_as])
    } else {
        quote!()
    };
    let reply_camel = mostly_camel(&e.reply.fields);
    let reply_container = container_attrs(reply_camel, &["default"]);
    let reply_members = e.reply.fields.iter().map(|f| {
        let (n, ty, doc) = (ident(&f.rust), field_type(f), field_doc(f));
        let attrs = field_attrs(model, f, Side::Reply(Lenience::default()), reply_camel);
        quote!(#[doc = #doc] #attrs pub #n: #ty,)
    });
    let reply_doc = prose(&e.reply.description);
    let reply_wires = e.reply.fields.iter().map(|f| &f.wire);
    let rate = match &e.rate_limit {
        Some(rl) => format!(
            "Rate limit: {} calls per {} s; past it the server answers code {} and blocks {} for {}.",
            rl.calls,
            rl.window_seconds,
            rl.code,
            match rl.blocks {
                Blocks::App => "the app",
                Blocks::Endpoint => "this endpoint",
            },
            rl.block_seconds
                .map_or("a time no source states".to_owned(), |b| format!("{b} s"))
        ),
        None => "No source states a rate limit.".to_owned(),
    };
    let method_doc = format!(
        "{}\n\nValidates `request` (an invalid one is not sent), signs it, sends it ({} `{}`) and reads the reply. {rate}",
        prose(&e.summary),
        e.method,
        e.path,
    );
    // A `new()` without arguments wants a `Default` beside it (clippy::new_without_default); a
    // derive would give a v2 request an empty trace id, so it delegates to `new`.
    let default_impl = e.fields.iter().all(|f| !f.required).then(|| {
        quote! {
            impl Default for #request {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let limits_module = super::limits::emit(e);
    let file_parts = file_parts(e);
    let paging = super::paging::emit(e, &request, &reply);
    let fan_out = super::fan_out::emit(model, e, &request, &reply);

    quote! {
        #![doc = include_str!(#doc_path)]
        #allow_deprecated
        use crate::runtime::support::*;
        #uses

        #endpoint

        #inline_types

        #[doc = #request_doc]
        #deprecated
        #serde_as
        #[skip_serializing_none]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #container
        #[must_use]
        pub struct #request {
            #members
            #trace_member
        }

        impl #request {
            #methods
            #trace_methods

            /// Checks every rule of the spec (limits, allowed values, JSON text, conditional rules) and
            /// returns the warnings, or every broken rule with its wire path. `Client` runs this first.
            pub fn validate(&self) -> Result<Vec<Violation>, ValidationError> {
                Validator::check(LimitPolicy::Documented, self).finish()
            }
        }

        #default_impl
        #rule_consts

        impl Validate for #request {
            #allow_nested_deprecated
            fn validate_into(&self, #v: &mut Validator) {
                #patterns
                #checks
                #rules
            }
        }

        impl ApiRequest for #request {
            type Reply = #reply;
            const ENDPOINT: &'static Endpoint = &#const_name;
            #trace_impl
            #file_parts
        }

        #[doc = #reply_doc]
        #deprecated
        #reply_serde_as
        #[skip_serializing_none]
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #reply_container
        #[non_exhaustive]
        pub struct #reply {
            #(#reply_members)*
            /// Values that arrived but could not be read as the spec describes (left unset above),
            /// and what a reply of another shape held instead of these fields: see [`Unreadable`].
            #[serde(skip)]
            pub #unreadable: Vec<Unreadable>,
        }

        impl ApiReply for #reply {
            const WIRE_FIELDS: &'static [&'static str] = &[#(#reply_wires),*];
            fn set_unreadable(&mut self, unreadable: Vec<Unreadable>) {
                self.#unreadable = unreadable;
            }
            fn unreadable(&self) -> &[Unreadable] {
                &self.#unreadable
            }
        }

        #limits_module

        impl crate::Client {
            #[doc = #method_doc]
            #deprecated
            pub async fn #method(&self, request: &#request) -> Result<#reply, crate::Error> {
                self.send(request).await
            }
        }

        #paging
        #fan_out
    }
}

/// The endpoint's `Endpoint` constant and the status codes its page lists.
fn endpoint_const(model: &Model, e: &Endpoint, const_name: &proc_macro2::Ident) -> TokenStream {
    let (name, path, http_method) = (&e.name, &e.path, e.method.as_str());
    let api = match e.api {
        Api::V1 => quote!(ApiGeneration::V1),
        Api::V2 => quote!(ApiGeneration::V2),
    };
    let hosts = &e.hosts;
    let rate_limit = match &e.rate_limit {
        Some(rl) => {
            let (calls, window, code) = (int(rl.calls), int(rl.window_seconds), int(rl.code));
            let block = match rl.block_seconds {
                Some(b) => {
                    let b = int(b);
                    quote!(Some(#b))
                }
                None => quote!(None),
            };
            let blocks = match rl.blocks {
                Blocks::App => quote!(Blocks::App),
                Blocks::Endpoint => quote!(Blocks::Endpoint),
            };
            quote!(Some(RateLimit::new(#calls, #window, #block, #code, #blocks)))
        }
        None => quote!(None),
    };
    let params = e
        .fields
        .iter()
        .filter(|f| f.location != Location::Body)
        .map(|f| {
            let wire = &f.wire;
            match f.location {
                Location::Path => quote!((#wire, Location::Path),),
                _ => quote!((#wire, Location::Query),),
            }
        });
    let statuses = e.status_codes.iter().map(|s| {
        let global = model.status_codes.iter().find(|g| g.code == s.code);
        let advice = s
            .advice
            .as_deref()
            .or(global.and_then(|g| g.advice.as_deref()))
            .unwrap_or("");
        let (code, kind, meaning) = (int(s.code), &s.kind, s.meaning.trim());
        let advice = advice.trim();
        quote!(StatusInfo::new(#code, #kind, #meaning, #advice),)
    });
    let doc = format!("Where and how `{}` is sent.", e.name);
    let delete_body =
        (e.method == Method::Delete && e.has_body()).then(|| quote!(.with_delete_body()));
    let multipart = e.multipart.then(|| quote!(.with_multipart()));
    quote! {
        /// The status codes this endpoint's page lists, in its own words.
        const STATUS: &[StatusInfo] = &[#(#statuses)*];

        #[doc = #doc]
        pub const #const_name: Endpoint = Endpoint::new(
            #name,
            #api,
            #http_method,
            #path,
            &[#(#hosts),*],
            #rate_limit,
            &[STATUS, crate::status::ALL],
        )
        .with_params(&[#(#params)*])
        #delete_body
        #multipart;
    }
}

/// `ApiRequest::file_parts` of a multipart request: its `bytes` fields that are set.
fn file_parts(e: &Endpoint) -> Option<TokenStream> {
    if !e.multipart {
        return None;
    }
    let files: Vec<_> = e.fields.iter().filter(|f| f.ty == Ty::Bytes).collect();
    // In the spec's order: the leading required files start the vector (clippy refuses
    // `Vec::new()` followed by `push`), each later one is pushed, an optional one when set.
    let leading = files.iter().take_while(|f| f.required).count();
    let first = files[..leading].iter().map(|f| {
        let (name, wire) = (ident(&f.rust), f.wire.as_str());
        quote!((#wire, &self.#name))
    });
    let rest: Vec<TokenStream> = files[leading..]
        .iter()
        .map(|f| {
            let (name, wire) = (ident(&f.rust), f.wire.as_str());
            if f.required {
                quote!(parts.push((#wire, &self.#name));)
            } else {
                quote!(if let Some(file) = &self.#name { parts.push((#wire, file)); })
            }
        })
        .collect();
    let body = if rest.is_empty() {
        quote!(vec![#(#first),*])
    } else {
        quote! {
            let mut parts: Vec<(&'static str, &FileContent)> = vec![#(#first),*];
            #(#rest)*
            parts
        }
    };
    Some(quote! {
        fn file_parts(&self) -> Vec<(&'static str, &FileContent)> {
            #body
        }
    })
}

/// Whether `rule` reads a field inside an object (a path of more than one step).
fn reads_nested(rule: &Rule) -> bool {
    let nested = |p: &FieldPath| p.steps.len() > 1;
    let compared = match &rule.consequence {
        Consequence::Compare(_, other) => nested(other),
        _ => false,
    };
    nested(&rule.then) || rule.when.as_ref().is_some_and(|c| nested(&c.field)) || compared
}
