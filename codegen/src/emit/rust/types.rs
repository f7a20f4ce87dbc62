//! Emits `types.rs`: the spec's shared enums and objects.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::field_checks;
use super::common::{field_doc, field_type, ident, int, param, prose};
use super::wire::{decode_members, json_inserts};
use crate::model::{EnumDef, Field, Model, ObjectDef};

pub fn emit(model: &Model) -> TokenStream {
    let enums = model.enums.iter().map(enum_def);
    let objects = model.objects.iter().map(|o| object_def(model, o));
    quote! {
        //! Enums and objects that several endpoints share.
        #(#enums)*
        #(#objects)*
    }
}

fn enum_def(e: &EnumDef) -> TokenStream {
    let name = ident(&e.name);
    let doc = prose(&e.description);
    let variants = e.values.iter().map(|v| {
        let (variant, doc) = (
            ident(&v.variant),
            format!("{} (`{}` = {})", prose(&v.description), v.name, v.value),
        );
        quote!(#[doc = #doc] #variant,)
    });
    let to_code = e.values.iter().map(|v| {
        let (variant, code) = (ident(&v.variant), int(v.value));
        quote!(Self::#variant => #code,)
    });
    let from_code = e.values.iter().map(|v| {
        let (variant, code) = (ident(&v.variant), int(v.value));
        quote!(#code => Some(Self::#variant),)
    });
    let listed: Vec<String> = e.values.iter().map(|v| v.value.to_string()).collect();
    let expected = format!("a value of {} ({})", e.name, listed.join(", "));
    let (other_variant, other_code, other_from, unlisted, decode_unknown) = if e.open {
        (
            quote!(
                /// A value the spec does not list. Replies may carry it; requests holding it fail validation.
                Other(i32),
            ),
            quote!(Self::Other(code) => code,),
            quote!(other => Some(Self::Other(other)),),
            quote!(match self {
                Self::Other(code) => Some(code as i64),
                _ => None,
            }),
            quote!(Ok(Self::from_code(code).unwrap_or(Self::Other(code)))),
        )
    } else {
        (
            quote!(),
            quote!(),
            quote!(_ => None,),
            quote!(None),
            quote!(Self::from_code(code).ok_or_else(|| crate::runtime::decode::mismatch(path, #expected, value))),
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #other_variant
        }

        impl #name {
            /// The integer sent on the wire.
            pub const fn code(self) -> i32 {
                match self { #(#to_code)* #other_code }
            }

            /// The value for a wire integer, if the spec lists it (open enums take any).
            pub const fn from_code(code: i32) -> Option<Self> {
                match code { #(#from_code)* #other_from }
            }

            /// The code of a value the spec does not list; such values are never sent.
            pub const fn unlisted_code(self) -> Option<i64> {
                #unlisted
            }
        }

        impl crate::runtime::encode::ToJson for #name {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::from(self.code())
            }
        }

        impl crate::runtime::encode::FormScalar for #name {
            fn form_value(&self) -> String {
                self.code().to_string()
            }
        }

        impl crate::runtime::decode::Decode for #name {
            fn decode(value: &serde_json::Value, lenience: &crate::runtime::decode::Lenience, path: &str) -> Result<Self, crate::runtime::decode::DecodeError> {
                let code = <i32 as crate::runtime::decode::Decode>::decode(value, lenience, path)?;
                #decode_unknown
            }
        }
    }
}

/// `new(required…)` and one by-value setter per optional field; `touch` runs after each setter.
pub fn constructor_and_setters(
    fields: &[Field],
    extra_init: TokenStream,
    touch: TokenStream,
) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let name = ident(&f.rust);
        let (ty, _) = param(f);
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.rust);
        if f.required && f.ty.is_string() {
            quote!(#name: #name.into(),)
        } else if f.required {
            quote!(#name,)
        } else {
            quote!(#name: None,)
        }
    });
    let new_doc = if required.is_empty() {
        "Starts with every field unset, so the server's defaults apply.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!("Starts from the required fields ({}); every optional field is unset, so the server's defaults apply.", names.join(", "))
    };
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let name = ident(&f.rust);
        let (ty, conv) = param(f);
        let doc = format!("Sets `{}`. {}", f.wire, field_doc(f));
        quote! {
            #[doc = #doc]
            pub fn #name(mut self, #name: #ty) -> Self {
                self.#name = Some(#conv);
                #touch
                self
            }
        }
    });
    let allow = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        #[doc = #new_doc]
        #allow
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* #extra_init }
        }
        #(#setters)*
    }
}

/// The struct's fields, each with its doc.
pub fn struct_fields(fields: &[Field], public: bool) -> TokenStream {
    let vis = if public { quote!(pub) } else { quote!() };
    let members = fields.iter().map(|f| {
        let (name, ty, doc) = (ident(&f.rust), field_type(f), field_doc(f));
        quote!(#[doc = #doc] #vis #name: #ty,)
    });
    quote!(#(#members)*)
}

fn object_def(model: &Model, o: &ObjectDef) -> TokenStream {
    let name = ident(&o.name);
    let doc = prose(&o.description);
    let members = struct_fields(&o.fields, true);
    let derive_default = if o.fields.iter().any(|f| f.required) {
        quote!()
    } else {
        quote!(Default,)
    };
    let ctor = constructor_and_setters(&o.fields, quote!(), quote!());
    let checks = field_checks(model, &o.fields);
    let inserts = json_inserts(&o.fields);
    let members_decode = decode_members(&o.fields);
    let expected = format!("an object {}", o.name);
    let from_scalar = match &o.from_scalar {
        Some(scalar) => {
            let inits = o.fields.iter().map(|f| {
                let n = ident(&f.rust);
                match (&f.wire == scalar, f.required) {
                    (true, true) => quote!(#n: text.clone(),),
                    (true, false) => quote!(#n: Some(text.clone()),),
                    _ => quote!(#n: None,),
                }
            });
            quote! {
                // The pages show this object both as itself and as a bare string.
                if let serde_json::Value::String(text) = value {
                    return Ok(Self { #(#inits)* });
                }
            }
        }
        None => quote!(),
    };
    let validate_doc = format!(
        "Pushes every rule of {} that `self` breaks, with paths under `prefix`.",
        o.name
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
        #[non_exhaustive]
        pub struct #name { #members }

        impl #name {
            #ctor

            #[doc = #validate_doc]
            #[allow(unused_variables)]
            pub fn validate_at(&self, prefix: &str, out: &mut crate::runtime::validate::Violations) {
                #checks
            }
        }

        impl crate::runtime::encode::ToJson for #name {
            fn to_json(&self) -> serde_json::Value {
                let mut body = serde_json::Map::new();
                #inserts
                serde_json::Value::Object(body)
            }
        }

        impl crate::runtime::decode::Decode for #name {
            fn decode(value: &serde_json::Value, lenience: &crate::runtime::decode::Lenience, path: &str) -> Result<Self, crate::runtime::decode::DecodeError> {
                #from_scalar
                let map = crate::runtime::decode::object(value, lenience, path, #expected)?;
                Ok(Self { #members_decode })
            }
        }
    }
}
