//! Emits fan-out: how an endpoint's request is re-addressed to a chunk of recipients, sized by
//! its conditional maxima and marked as a resend, how its reply names recipients, and the
//! client's `<endpoint>_fan_out` / `_fan_out_stream` methods. The engine is runtime code.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::checks::condition;
use super::common::{ident, int, literal_tokens};
use crate::model::{Api, Consequence, Endpoint, Field, Model, Resend, Ty};

pub fn emit(model: &Model, e: &Endpoint, request: &Ident, reply: &Ident) -> TokenStream {
    let Some(f) = &e.fan_out else {
        return quote!();
    };
    let recipients = ident(&f.recipients.rust);
    let max = int(f.max);
    let tighter: Vec<TokenStream> = f
        .conditional
        .iter()
        .filter_map(|&i| {
            let rule = &e.rules[i];
            let Consequence::MaxItems(n) = rule.consequence else {
                return None;
            };
            let n = int(n);
            Some(match condition(rule) {
                Some(test) => quote!(if #test { max = max.min(#n); }),
                None => quote!(max = max.min(#n);),
            })
        })
        .collect();
    let recipients_max = if tighter.is_empty() {
        quote!(#max)
    } else {
        quote!(let mut max: usize = #max; #(#tighter)* max)
    };
    let renew = (e.api == Api::V2).then(|| quote!(next.trace_id = new_trace_id();));
    let resend = match (&f.resend, e.api) {
        // The same value keeps its trace id, which the server de-duplicates by.
        (_, Api::V2) => quote!(Some(self.clone())),
        (Some(r), _) => resend(r),
        (None, _) => quote!(None),
    };
    let owned = |list: &Field| ident(&list.rust);
    let unregistered = f.unregistered.as_ref().map(|u| {
        let u = owned(u);
        quote!(report.unregistered = reply.#u.clone().unwrap_or_default();)
    });
    let succeeded = f.succeeded.as_ref().map(|s| {
        let s = owned(s);
        quote!(report.succeeded = reply.#s.clone();)
    });
    let failed = f.failed.as_ref().map(|(list, who, why)| {
        let in_request = match &list.ty {
            Ty::List(item) => match &**item {
                Ty::Object(name) => model.object(name).is_some_and(|o| o.in_request),
                _ => false,
            },
            _ => false,
        };
        let get = |field: &Field| {
            if in_request {
                let getter = ident(&crate::names::getter(&field.rust));
                quote!(o.#getter().map(str::to_owned))
            } else {
                let name = ident(&field.rust);
                quote!(o.#name.clone())
            }
        };
        let (list, who) = (owned(list), get(who));
        let why = match why {
            Some(why) => {
                let why = get(why);
                quote!(#why.unwrap_or_default())
            }
            None => quote!(String::new()),
        };
        quote! {
            report.failed = reply.#list.iter().flatten()
                .filter_map(|o| Some((#who?, #why)))
                .collect();
        }
    });
    let failed_items = f.failed_items.as_ref().map(|items| {
        let items = owned(items);
        quote! {
            report.failed_items = reply.#items.iter().flatten()
                .flat_map(|m| m.iter().map(|(id, why)| (id.clone(), why.clone())))
                .collect();
        }
    });
    // A reply that names no recipient list is not read: its parameter would be unused.
    let reads_reply =
        unregistered.is_some() || succeeded.is_some() || failed.is_some() || failed_items.is_some();
    let reply_param = ident(if reads_reply { "reply" } else { "_reply" });
    let fan_out = ident(&crate::names::fan_out_method(&e.name));
    let fan_out_stream = ident(&crate::names::fan_out_stream_method(&e.name));
    let doc = format!(
        "Sends `template` to every recipient (its `{}` replaced), in chunks of the most one call may \
         carry; see [`FanOut`].",
        f.recipients.wire
    );
    let stream_doc = format!("[`Self::{fan_out}`] with recipients from a `Stream`.");
    quote! {
        impl FanOutRequest for #request {
            fn recipients_max(&self) -> usize {
                #recipients_max
            }
            fn with_recipients(&self, recipients: Vec<String>) -> Self {
                let mut next = self.clone();
                next.#recipients = recipients;
                #renew
                next
            }
            fn resend(&self) -> Option<Self> {
                #resend
            }
            fn report(#reply_param: &#reply) -> ChunkReport {
                #[allow(unused_mut)]
                let mut report = ChunkReport::new();
                #unregistered
                #succeeded
                #failed
                #failed_items
                report
            }
        }

        impl crate::Client {
            #[doc = #doc]
            pub fn #fan_out<I>(&self, template: &#request, recipients: I) -> FanOut<'_, #request>
            where
                I: IntoIterator,
                I::Item: Into<String>,
            {
                FanOut::new(self, template.clone(), recipients)
            }

            #[doc = #stream_doc]
            pub fn #fan_out_stream<'a>(
                &'a self,
                template: &#request,
                recipients: impl Stream<Item = String> + Send + 'a,
            ) -> FanOut<'a, #request> {
                FanOut::from_stream(self, template.clone(), recipients)
            }
        }
    }
}

/// The body of `resend()`: the request with its resend marker set.
fn resend(r: &Resend) -> TokenStream {
    let value = literal_tokens(&r.value, &r.field.ty);
    let value = if r.field.ty == Ty::String {
        quote!(#value.to_owned())
    } else {
        value
    };
    let field = ident(&r.field.rust);
    let set = match &r.outer {
        None => quote!(next.#field = Some(#value);),
        Some(outer) => {
            let o = ident(&outer.rust);
            let each = match (&outer.ty, outer.required) {
                (Ty::List(_), true) => {
                    quote!(next.#o.into_iter().map(|x| x.#field(#value)).collect())
                }
                (Ty::List(_), false) => {
                    quote!(next.#o.map(|l| l.into_iter().map(|x| x.#field(#value)).collect()))
                }
                (_, true) => quote!(next.#o.#field(#value)),
                (_, false) => quote!(next.#o.map(|x| x.#field(#value))),
            };
            quote!(next.#o = #each;)
        }
    };
    quote! {
        let mut next = self.clone();
        #set
        Some(next)
    }
}
