//! Emits `types.rs`: the spec's shared enums and objects, and the struct pieces requests share
//! with them (builder-style setters, getters, validation).

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::{field_checks, pattern_statics};
use super::common::{
    field_doc, field_type, getter, ident, int, mostly_camel, named_types, param, prose,
};
use super::serde_attrs::{container_attrs, field_attrs, needs_serde_as, Side};
use crate::model::{EnumDef, Field, Model, ObjectDef, Ty};

pub fn emit(model: &Model) -> TokenStream {
    let items = scoped(model, None);
    quote! {
        //! Enums and objects that several endpoints share.
        use crate::runtime::support::*;
        #items
    }
}

/// The enums and objects declared in `scope`: `types.yaml` (`None`) or an endpoint's own.
pub fn scoped(model: &Model, scope: Option<&str>) -> TokenStream {
    let enums = model
        .enums
        .iter()
        .filter(|e| e.scope.as_deref() == scope)
        .map(enum_def);
    let objects = model
        .objects
        .iter()
        .filter(|o| o.scope.as_deref() == scope)
        .map(|o| object_def(model, o));
    quote! {
        #(#enums)*
        #(#objects)*
    }
}

fn enum_def(e: &EnumDef) -> TokenStream {
    let name = ident(&e.name);
    let type_name = &e.name;
    let doc = prose(&e.description);
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let doc = format!(
            "{} Wire `{}` (`{}`).",
            prose(&v.description),
            v.value,
            v.name
        );
        quote!(#[doc = #doc] #variant,)
    });
    let to_code = e.values.iter().map(|v| {
        let (variant, code) = (ident(&v.variant), int(v.value));
        quote!(Self::#variant => #code,)
    });
    let from_code = e.values.iter().map(|v| {
        let (variant, code) = (ident(&v.variant), int(v.value));
        quote!(#code => Self::#variant,)
    });
    let (other, other_code, other_from, unlisted) = if e.open {
        (
            quote!(
                /// A value the spec does not list. Replies may carry it; requests holding it fail validation.
                Other(i32),
            ),
            quote!(Self::Other(code) => code,),
            quote!(other => Self::Other(other),),
            quote! {
                impl Unlisted for #name {
                    fn unlisted(&self) -> Option<i64> {
                        match self { Self::Other(code) => Some(i64::from(*code)), _ => None }
                    }
                }
            },
        )
    } else {
        (
            quote!(),
            quote!(),
            quote!(other => return Err(UnlistedValue::new(#type_name, other)),),
            quote!(),
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(into = "i32", try_from = "i32")]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #other
        }

        impl #name {
            /// The integer sent on the wire.
            pub const fn code(self) -> i32 {
                match self { #(#to_code)* #other_code }
            }
        }

        impl From<#name> for i32 {
            fn from(value: #name) -> i32 {
                value.code()
            }
        }

        impl TryFrom<i32> for #name {
            type Error = UnlistedValue;
            fn try_from(code: i32) -> Result<Self, UnlistedValue> {
                Ok(match code { #(#from_code)* #other_from })
            }
        }

        /// Reads the wire integer from text (replies may send numbers as strings).
        impl std::str::FromStr for #name {
            type Err = UnlistedValue;
            fn from_str(text: &str) -> Result<Self, UnlistedValue> {
                let code: i32 = text.trim().parse().map_err(|_| UnlistedValue::text(#type_name, text))?;
                Self::try_from(code)
            }
        }

        /// Shows the wire integer.
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.code().fmt(f)
            }
        }

        #unlisted
    }
}

/// The side an object is read and written on.
fn object_side(o: &ObjectDef) -> Side {
    if o.in_reply {
        Side::Reply(o.lenience)
    } else {
        Side::Request
    }
}

fn object_def(model: &Model, o: &ObjectDef) -> TokenStream {
    let name = ident(&o.name);
    let doc = prose(&o.description);
    let side = object_side(o);
    let camel = mostly_camel(&o.fields);
    let serde_as = if needs_serde_as(model, &o.fields, side) {
        quote!(#[serde_as])
    } else {
        quote!()
    };
    let from_scalar = o.from_scalar.as_ref().map(|scalar| {
        let inits = o.fields.iter().map(|f| {
            let n = ident(&f.rust);
            if &f.wire == scalar {
                quote!(#n: Some(text),)
            } else {
                quote!(#n: None,)
            }
        });
        quote! {
            /// The pages show this object both as itself and as a bare string, which is its
            /// `#scalar`.
            impl From<String> for #name {
                fn from(text: String) -> Self {
                    Self { #(#inits)* }
                }
            }
        }
    });
    if !o.in_request {
        // Reply-only: public fields, read leniently, never sent. Reply fields are never
        // required (a success may lack any of them), whatever `required` says for sending.
        let optional: Vec<Field> = o
            .fields
            .iter()
            .cloned()
            .map(|mut f| {
                f.required = false;
                f
            })
            .collect();
        let members = optional.iter().map(|f| {
            let (n, ty, doc) = (ident(&f.rust), field_type(f), field_doc(f));
            let attrs = field_attrs(model, f, side, camel);
            quote!(#[doc = #doc] #attrs pub #n: #ty,)
        });
        let container = container_attrs(camel, &["default"]);
        return quote! {
            #[doc = #doc]
            #serde_as
            #[skip_serializing_none]
            #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
            #container
            #[non_exhaustive]
            pub struct #name { #(#members)* }
            #from_scalar
        };
    }
    let members = struct_members(model, &o.fields, side, camel);
    let derive_default = if o.fields.iter().any(|f| f.required) {
        quote!()
    } else {
        quote!(Default,)
    };
    // Objects that also arrive in replies must ignore what the spec does not list.
    let strict: &[&str] = if o.in_reply {
        &[]
    } else {
        &["deny_unknown_fields"]
    };
    let container = container_attrs(camel, strict);
    let methods = accessors(&o.fields, &quote!(), &o.name);
    let checks = field_checks(model, &o.fields);
    let patterns = pattern_statics(&o.fields);
    let v = if checks.is_empty() {
        quote!(_)
    } else {
        quote!(v)
    };
    quote! {
        #[doc = #doc]
        #serde_as
        #[skip_serializing_none]
        #[derive(Debug, Clone, #derive_default PartialEq, Serialize, Deserialize)]
        #container
        #[must_use]
        pub struct #name { #members }

        impl #name {
            #methods
        }

        impl Validate for #name {
            fn validate_into(&self, #v: &mut Validator) {
                #patterns
                #checks
            }
        }

        #from_scalar
    }
}

/// The private members of a request or request object.
pub fn struct_members(model: &Model, fields: &[Field], side: Side, camel: bool) -> TokenStream {
    let members = fields.iter().map(|f| {
        let (n, ty) = (ident(&f.rust), field_type(f));
        let attrs = field_attrs(model, f, side, camel);
        quote!(#attrs #n: #ty,)
    });
    let unencodable = has_json(fields).then(|| {
        let member = ident(crate::names::UNENCODABLE_MEMBER);
        quote! {
            #[serde(skip_deserializing, skip_serializing_if = "Vec::is_empty", serialize_with = "refuse_unencodable")]
            #member: Vec<(&'static str, String)>,
        }
    });
    quote!(#(#members)* #unencodable)
}

/// Whether a struct of `fields` has a `json` field, and so JSON setters and the member
/// recording what they could not encode.
pub fn has_json(fields: &[Field]) -> bool {
    fields.iter().any(|f| f.ty == Ty::Json)
}

/// `new(required…)`, a getter per field and a setter per optional field. `touch` runs in every
/// setter (v2 requests renew their trace id there); `extra_init` completes `Self { .. }`.
pub fn accessors_with(
    fields: &[Field],
    touch: &TokenStream,
    extra_init: &TokenStream,
    type_name: &str,
) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let name = ident(&f.rust);
        let (ty, _) = param(f);
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.rust);
        if f.required && (f.ty.is_string() || f.ty == Ty::Bytes) {
            quote!(#name: #name.into(),)
        } else if f.required {
            quote!(#name,)
        } else {
            quote!(#name: None,)
        }
    });
    let unencodable = ident(crate::names::UNENCODABLE_MEMBER);
    let unencodable_init = has_json(fields).then(|| quote!(#unencodable: Vec::new(),));
    let new_doc = if required.is_empty() {
        format!("An empty {type_name}: every field unset, so the server's defaults apply.")
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(
            "Starts from the required fields ({}); every optional field is unset, so the server's defaults apply.",
            names.join(", ")
        )
    };
    // Clippy's default limit of arguments; `new` takes every required field by design (a request
    // cannot be built without them), so past it the lint is allowed on `new` alone.
    const CLIPPY_MAX_ARGUMENTS: usize = 7;
    let many = (required.len() > CLIPPY_MAX_ARGUMENTS).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "every required field is an argument, so none can be forgotten")])
    });
    let mut methods = quote! {
        #[doc = #new_doc]
        #many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* #unencodable_init #extra_init }
        }
    };
    for f in fields {
        let name = ident(&f.rust);
        let get = ident(&crate::names::getter(&f.rust));
        let set = ident(&crate::names::setter(&f.rust));
        let (ret, body) = getter(f);
        let doc = field_doc(f);
        let deprecated = f.deprecated.as_ref().map(|d| {
            let note = d.text();
            quote!(#[deprecated(note = #note)])
        });
        let wire = &f.wire;
        // A text set later replaces a value that failed to encode, so its failure goes too.
        let forget_failure = (f.ty == Ty::Json)
            .then(|| quote!(self.#unencodable.retain(|(field, _)| *field != #wire);));
        if f.required {
            methods.extend(quote! {
                #[doc = #doc]
                #deprecated
                pub fn #get(&self) -> #ret { #body }
            });
        } else {
            let (ty, value) = param(f);
            let get_doc = format!("`{}`, if set; see [`Self::{set}`].", f.wire);
            methods.extend(quote! {
                #[doc = #doc]
                #deprecated
                pub fn #set(mut self, #name: #ty) -> Self {
                    self.#name = Some(#value);
                    #forget_failure
                    #touch
                    self
                }
                #[doc = #get_doc]
                #deprecated
                pub fn #get(&self) -> #ret { #body }
            });
        }
        if f.ty == Ty::Json {
            methods.extend(json_setter(f, touch, &unencodable));
        }
    }
    methods
}

/// The JSON setter of a `json` field: any `Serialize` value, stored as the JSON text
/// `serde_json::to_string` makes of it. A value that cannot be encoded (a map with non-string
/// keys, a failing `Serialize` impl) leaves the field unset and is recorded for `validate()`,
/// which refuses the request naming the field: the setter cannot fail, and nothing is lost.
fn json_setter(f: &Field, touch: &TokenStream, unencodable: &proc_macro2::Ident) -> TokenStream {
    let name = ident(&f.rust);
    let set = ident(&crate::names::json_setter(&f.rust));
    let wire = &f.wire;
    let text_way = if f.required {
        "`new`".to_owned()
    } else {
        format!("[`Self::{}`]", crate::names::setter(&f.rust))
    };
    let left = if f.required { "as it was" } else { "unset" };
    let doc = format!(
        "Sets `{wire}` from any `Serialize` value (`serde_json::json!({{..}})`, a struct of your \
         own), sent as the compact JSON text `serde_json::to_string` makes of it; {text_way} \
         takes the text itself. A value that cannot be encoded (a map with non-string keys, a \
         failing `Serialize` impl) leaves `{wire}` {left}, and `validate()` (which the client \
         runs before sending) refuses the request naming `{wire}` with rule `json`."
    );
    let store = if f.required {
        quote!(self.#name = text;)
    } else {
        quote!(self.#name = Some(text);)
    };
    // A required field keeps its text: it has no unset state.
    let clear = (!f.required).then(|| quote!(self.#name = None;));
    let deprecated = f.deprecated.as_ref().map(|d| {
        let note = d.text();
        quote!(#[deprecated(note = #note)])
    });
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #set(mut self, #name: &(impl Serialize + ?Sized)) -> Self {
            self.#unencodable.retain(|(field, _)| *field != #wire);
            match serde_json::to_string(#name) {
                Ok(text) => { #store }
                Err(error) => {
                    #clear
                    self.#unencodable.push((#wire, error.to_string()));
                }
            }
            #touch
            self
        }
    }
}

fn accessors(fields: &[Field], touch: &TokenStream, type_name: &str) -> TokenStream {
    accessors_with(fields, touch, &quote!(), type_name)
}

/// The `use` line for the shared named types `types` mention (inline types are local).
pub fn uses_of<'a>(
    model: &Model,
    types: impl Iterator<Item = &'a crate::model::Ty>,
) -> TokenStream {
    let shared = |name: &String| {
        model
            .enum_def(name)
            .map(|e| e.scope.is_none())
            .or_else(|| model.object(name).map(|o| o.scope.is_none()))
            .unwrap_or(false)
    };
    let names: Vec<_> = named_types(types)
        .iter()
        .filter(|n| shared(n))
        .map(|n| ident(n))
        .collect();
    if names.is_empty() {
        quote!()
    } else {
        quote!(use crate::types::{#(#names),*};)
    }
}
