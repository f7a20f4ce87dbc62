//! Emits encoding of requests (form fields, JSON text, JSON bodies) and decoding of replies.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, lenience_tokens, ty_tokens};
use crate::model::{Encoding, Field};

/// Statements that insert each set field into `body: serde_json::Map`.
pub fn json_inserts(fields: &[Field]) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        let (name, wire) = (ident(&f.rust), &f.wire);
        out.extend(if f.required {
            quote!(body.insert(#wire.to_owned(), crate::runtime::encode::ToJson::to_json(&self.#name));)
        } else {
            quote!(if let Some(value) = &self.#name { body.insert(#wire.to_owned(), crate::runtime::encode::ToJson::to_json(value)); })
        });
    }
    out
}

/// Builds `form: Vec<(&'static str, String)>` with each set field, in spec order.
pub fn form_pushes(fields: &[Field]) -> TokenStream {
    let mut required = Vec::new();
    let mut optional = TokenStream::new();
    for f in fields {
        let (name, wire) = (ident(&f.rust), &f.wire);
        let encode = |value: TokenStream| match f.encoding {
            Encoding::JsonText => quote!(crate::runtime::encode::json_text(#value)),
            Encoding::Plain => quote!(crate::runtime::encode::FormScalar::form_value(#value)),
        };
        if f.required {
            let e = encode(quote!(&self.#name));
            required.push(quote!((#wire, #e)));
        } else {
            let e = encode(quote!(value));
            optional.extend(quote!(if let Some(value) = &self.#name { form.push((#wire, #e)); }));
        }
    }
    let binding = if optional.is_empty() {
        quote!(let form)
    } else {
        quote!(let mut form)
    };
    quote! {
        #binding: Vec<(&'static str, String)> = vec![#(#required),*];
        #optional
    }
}

/// Struct-literal members decoding each field from `map`, with the field's own lenience added.
pub fn decode_members(fields: &[Field]) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        let (name, wire) = (ident(&f.rust), &f.wire);
        let ty = ty_tokens(&f.ty);
        let own = lenience_tokens(f.lenience);
        let getter = if f.required {
            quote!(required)
        } else {
            quote!(optional)
        };
        out.extend(quote! {
            #name: crate::runtime::decode::#getter::<#ty>(&map, #wire, &lenience.union(#own), path)?,
        });
    }
    out
}
