//! Emits cursor paging: how an endpoint's request takes a cursor and its reply yields the next
//! one, and the client's `<endpoint>_pages` / `<endpoint>_items` streams built on it.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::{ident, ty_tokens};
use crate::model::{Api, Endpoint, Ty};

pub fn emit(e: &Endpoint, request: &Ident, reply: &Ident) -> TokenStream {
    let Some(p) = &e.paging else {
        return quote!();
    };
    let cursor = ident(&p.cursor.rust);
    let next = ident(&p.next_cursor.rust);
    let items = ident(&p.items.rust);
    let item = match &p.items.ty {
        Ty::List(item) => ty_tokens(item),
        other => ty_tokens(other),
    };
    let renew = if e.api == Api::V2 {
        // Each page is its own logical request, with its own de-duplication id.
        quote!(next.trace_id = new_trace_id();)
    } else {
        quote!()
    };
    let has_more = match &p.has_more {
        Some(f) => {
            let f = ident(&f.rust);
            quote!(fn has_more(reply: &#reply) -> Option<bool> { reply.#f })
        }
        // Without a has_more field, an empty or missing next cursor ends the walk.
        None => quote!(fn has_more(_reply: &#reply) -> Option<bool> { None }),
    };
    let pages = ident(&crate::names::pages_method(&e.name));
    let all_items = ident(&crate::names::items_method(&e.name));
    let pages_doc = format!(
        "Every page of `{}`, starting from `request` (its `{}`, if set): each reply's `{}` is sent \
         as the next request's `{}` until the server says there is no more. A failed page ends the \
         stream with its error.",
        e.name, p.cursor.wire, p.next_cursor.wire, p.cursor.wire
    );
    let items_doc = format!(
        "Every item of every page of `{}` (the `{}` of each reply), in order; see [`Self::{pages}`].",
        e.name, p.items.wire
    ) + &loop_example(e, &all_items.to_string());
    quote! {
        impl Paged for #request {
            type Item = #item;
            fn with_cursor(&self, cursor: Option<String>) -> Self {
                let mut next = self.clone();
                next.#cursor = cursor;
                #renew
                next
            }
            fn next_cursor(reply: &#reply) -> Option<&str> {
                reply.#next.as_deref()
            }
            #has_more
            fn items(reply: #reply) -> Vec<#item> {
                reply.#items.unwrap_or_default()
            }
        }

        impl crate::Client {
            #[doc = #pages_doc]
            pub fn #pages(&self, request: &#request) -> impl Stream<Item = Result<#reply, crate::Error>> + Unpin + '_ {
                self.pages(request.clone())
            }

            #[doc = #items_doc]
            pub fn #all_items(&self, request: &#request) -> impl Stream<Item = Result<#item, crate::Error>> + Unpin + '_ {
                self.items(request.clone())
            }
        }
    }
}

/// A doc example of the obvious loop over `method`'s stream, compiled (not run) as a doctest:
/// the streams are `Unpin`, so `StreamExt::next` needs no `pin!`. The loop's body is on one
/// line because generated doc lines lose their leading spaces (`common::split_doc_lines`).
fn loop_example(e: &Endpoint, method: &str) -> String {
    let krate = crate::emit::snippet::CRATE;
    let request = format!("{krate}::{}::{}", e.name, e.request_type());
    format!(
        "\n\n# Example\n\n```no_run\n\
         # async fn walk(client: &{krate}::Client, request: &{request}) -> Result<(), {krate}::Error> {{\n\
         use futures_util::StreamExt; // for `next()`\n\n\
         let mut items = client.{method}(request);\n\
         while let Some(item) = items.next().await {{ println!(\"{{:?}}\", item?); }}\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}
