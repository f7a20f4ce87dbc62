//! Emits paging: how an endpoint's request makes the next page's request from a reply (cursor,
//! offset or time window), and the client's `<endpoint>_pages` / `<endpoint>_items` streams.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::{ident, ty_tokens};
use crate::model::{Api, Endpoint, Field, PagingForm, Ty, Window};

pub fn emit(e: &Endpoint, request: &Ident, reply: &Ident) -> TokenStream {
    let Some(p) = &e.paging else {
        return quote!();
    };
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
    let limit = p.limit.as_ref().map_or(quote!(None), read_request);
    let (first, next_page) = match &p.form {
        PagingForm::Cursor {
            cursor,
            next_cursor,
            has_more,
        } => {
            let cursor = ident(&cursor.rust);
            let next_cursor = ident(&next_cursor.rust);
            let has_more = match has_more {
                Some(f) => {
                    let f = ident(&f.rust);
                    quote!(reply.#f)
                }
                // Without a has_more field, an empty or missing next cursor ends the walk.
                None => quote!(None),
            };
            let body = quote! {
                let cursor = next_cursor(self.#cursor.as_deref(), reply.#next_cursor.as_deref(), #has_more)?;
                let mut next = self.clone();
                next.#cursor = Some(cursor);
            };
            (quote!(), body)
        }
        PagingForm::Offset { offset, total } => {
            let read = read_request(offset);
            let write = write(offset, quote!(offset));
            let total = total.as_ref().map_or(quote!(None), |t| {
                let t = ident(&t.rust);
                quote!(reply.#t.map(i64::from))
            });
            let body = quote! {
                let received = reply.#items.as_ref().map_or(0, Vec::len);
                let offset = next_offset(#read, #limit, received, #total)?;
                let mut next = self.clone();
                #write
            };
            (quote!(), body)
        }
        PagingForm::Window(w) => window(w, &items, &limit),
    };
    let pages = ident(&crate::names::pages_method(&e.name));
    let all_items = ident(&crate::names::items_method(&e.name));
    let pages_doc = format!(
        "Every page of `{}`, starting from `request`. {} A failed page ends the stream with its \
         error.",
        e.name,
        crate::emit::paging_prose::how(p)
    );
    let items_doc = format!(
        "Every item of every page of `{}` (the `{}` of each reply), in order; see [`Self::{pages}`].",
        e.name, p.items.wire
    ) + &loop_example(e, &all_items.to_string());
    quote! {
        impl Paged for #request {
            type Item = #item;
            #first
            fn next_page(&self, reply: &#reply) -> Option<Self> {
                #next_page
                #renew
                Some(next)
            }
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

/// A time window's `first_page` (its order set, when it has one) and `next_page` body.
fn window(w: &Window, items: &Ident, limit: &TokenStream) -> (TokenStream, TokenStream) {
    let end = read_request(&w.end);
    let begin = w.begin.as_ref().map_or(quote!(None), read_request);
    let set_end = write(&w.end, quote!(end));
    let time = read_item(&w.item_time);
    let exclude = match &w.exclude {
        Some((field, id)) => {
            let field = ident(&field.rust);
            let id = read_item(id);
            quote!(next.#field = last.and_then(|item| #id).map(|id| id.to_string());)
        }
        None => quote!(),
    };
    let order = match &w.order {
        Some(o) => {
            let value = match &o.variant {
                Some(variant) => {
                    let ty = ty_tokens(&o.field.ty);
                    let variant = ident(variant);
                    quote!(#ty::#variant)
                }
                None => int(o.value, &o.field.ty),
            };
            let field = ident(&o.field.rust);
            let value = if o.field.required {
                value
            } else {
                quote!(Some(#value))
            };
            quote!(next.#field = #value;)
        }
        None => quote!(),
    };
    let first = if w.order.is_some() {
        quote! {
            fn first_page(&self) -> Self {
                let mut next = self.clone();
                #order
                next
            }
        }
    } else {
        quote!()
    };
    let body = quote! {
        let page = reply.#items.as_deref().unwrap_or_default();
        let last = page.last();
        let end = next_window_end(#end, #begin, #limit, page.len(), last.and_then(|item| #time))?;
        let mut next = self.clone();
        #set_end
        #exclude
    };
    (first, body)
}

/// A request field's value as an `Option<i64>`.
fn read_request(f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    match (f.required, f.ty == Ty::Int) {
        (true, true) => quote!(Some(i64::from(self.#name))),
        (true, false) => quote!(Some(self.#name)),
        (false, true) => quote!(self.#name.map(i64::from)),
        (false, false) => quote!(self.#name),
    }
}

/// An item's field as an `Option` (`item` is a reference to the item): an int or long as `i64`,
/// a string id by reference.
fn read_item(f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    match (f.required, &f.ty) {
        (true, Ty::Int) => quote!(Some(i64::from(item.#name))),
        (true, Ty::Long) => quote!(Some(item.#name)),
        (true, _) => quote!(Some(&item.#name)),
        (false, Ty::Int) => quote!(item.#name.map(i64::from)),
        (false, Ty::Long) => quote!(item.#name),
        (false, _) => quote!(item.#name.as_ref()),
    }
}

/// Sets the int or long request field `f` to the `i64` in `value`; a value an int cannot hold
/// ends the walk rather than wrap.
fn write(f: &Field, value: TokenStream) -> TokenStream {
    let name = ident(&f.rust);
    let value = if f.ty == Ty::Int {
        quote!(i32::try_from(#value).ok()?)
    } else {
        value
    };
    if f.required {
        quote!(next.#name = #value;)
    } else {
        quote!(next.#name = Some(#value);)
    }
}

/// The literal `value` as the int or long `ty`.
fn int(value: i64, ty: &Ty) -> TokenStream {
    if *ty == Ty::Int {
        let v = i32::try_from(value).unwrap_or_default();
        quote!(#v)
    } else {
        quote!(#value)
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
