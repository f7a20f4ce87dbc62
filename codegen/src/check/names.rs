//! Names the spec gives the generated code: endpoints (modules and `Client` methods), named types
//! and enum variants. Each must be a Rust identifier and must not meet a name the generated or
//! hand-written code already defines (`crate::names`), so that every accepted name compiles.

use std::collections::BTreeMap;

use super::{Checker, Place};
use crate::model::{pascal_case, Api, Endpoint, Field, Ty};
use crate::names::{self, ident_problem};

/// The inherent methods a struct of fields at `place` has beside its fields' accessors; `None`
/// for replies, whose members are public and which have no methods of their own.
fn own_methods(place: Place) -> Option<Vec<&'static str>> {
    let mut own = names::STRUCT_METHODS.to_vec();
    match place {
        Place::Reply => return None,
        Place::Object => {}
        Place::Request(api) => {
            own.extend(names::REQUEST_METHODS);
            if api == Api::V2 {
                own.extend(names::V2_REQUEST_METHODS);
            }
        }
    }
    Some(own)
}

/// The accessors a field generates, each with what it is (`getter`, `setter`, `JSON setter`).
fn named_accessors(f: &Field) -> Vec<(String, &'static str)> {
    let json = f.ty == Ty::Json;
    names::accessors(&f.rust, f.required, json)
        .into_iter()
        .map(|name| {
            let what = if name == names::getter(&f.rust) {
                "getter"
            } else if name == names::setter(&f.rust) {
                "setter"
            } else {
                "JSON setter"
            };
            (name, what)
        })
        .collect()
}

/// Why the accessors of `fields` (getters, setters of optional fields, JSON setters of `json`
/// fields) cannot all be generated, as (wire name of the field to rename, problem): an accessor
/// that is another field's (`get_name` beside `name`, `payload_json` beside a `json` field
/// `payload`), one of the struct's own methods, or a member the struct already has. The field
/// blamed is the one whose own name makes the clash: its setter, else its JSON setter.
pub(super) fn accessor_clashes(fields: &[Field], place: Place) -> Vec<(String, String)> {
    let Some(own) = own_methods(place) else {
        return Vec::new();
    };
    let has_json = fields.iter().any(|f| f.ty == Ty::Json);
    let mut clashes = Vec::new();
    for f in fields {
        let member = if place == Place::Request(Api::V2) && f.rust == names::V2_REQUEST_MEMBER {
            Some("the member holding a v2 request's trace id")
        } else if has_json && f.rust == names::UNENCODABLE_MEMBER {
            Some("the member recording the values its JSON setters could not encode")
        } else {
            None
        };
        if let Some(member) = member {
            clashes.push((
                f.wire.clone(),
                format!("Rust name `{}` is {member}", f.rust),
            ));
            continue;
        }
        for (name, what) in named_accessors(f) {
            if own.contains(&name.as_str()) {
                clashes.push((
                    f.wire.clone(),
                    format!("Rust name `{}` gives the {what} `{name}`, a method the generated struct already has ({})", f.rust, own.join(", ")),
                ));
                continue;
            }
            // Rust names are distinct, so two getters, two setters or two JSON setters never
            // meet; of a pair that does, the setter's field is blamed, else the JSON setter's.
            let other = fields.iter().filter(|o| o.wire != f.wire).find_map(|o| {
                named_accessors(o)
                    .into_iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, other_what)| (o, other_what))
            });
            let Some((other, other_what)) = other else {
                continue;
            };
            if what == "setter" || (what == "JSON setter" && other_what == "getter") {
                clashes.push((
                    f.wire.clone(),
                    format!(
                        "Rust name `{}` gives the {what} `{name}`, which is also the {other_what} of `{}`",
                        f.rust, other.wire
                    ),
                ));
            }
        }
    }
    clashes
}

impl Checker<'_> {
    /// An endpoint's file name becomes a module at the crate root and a type stem.
    pub(super) fn endpoint_name(&mut self, file: usize, root: &str, name: &str) {
        let stem = pascal_case(name);
        let problem = if let Some(problem) = ident_problem(name) {
            Some(format!(
                "{problem}; rename the file (the name becomes a module and a method)"
            ))
        } else if let Some(problem) = ident_problem(&names::request_type(&stem)) {
            Some(format!(
                "its types would be named `{stem}Request`, and {problem}; rename the file"
            ))
        } else if name.trim_start_matches('_').contains("__") {
            // rustc's non_snake_case refuses `__` inside a method name.
            Some(format!(
                "`{name}` holds `__`, which rustc's non_snake_case lint refuses in its method; rename the file"
            ))
        } else if name.ends_with('_') {
            Some(format!(
                "`{name}` ends with `_`, so its methods (`{name}_pages`, `{name}_fan_out`) would hold `__`; rename the file"
            ))
        } else if names::HAND_EXAMPLES.contains(&name) {
            Some(format!(
                "`{name}` is the name of a hand-written example of the client, which would hide \
                 this endpoint's generated example; rename the file"
            ))
        } else if names::SHARED_MODULES.contains(&name) || names::CRATE_ROOT_MODULES.contains(&name)
        {
            Some(format!(
                "`{name}` is the name of a module the client always has ({}); rename the file",
                names::SHARED_MODULES
                    .iter()
                    .chain(names::CRATE_ROOT_MODULES)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.err(file, root, format!("endpoint name {problem}"));
        }
    }

    /// Every `Client` method comes from one endpoint and is not one of the runtime's own.
    pub(super) fn client_methods(&mut self, endpoints: &[Endpoint]) {
        let mut owners: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for e in endpoints {
            for method in e.client_methods() {
                owners.entry(method).or_default().push(&e.name);
            }
        }
        for (method, endpoints) in &owners {
            for name in endpoints {
                let others: Vec<String> = endpoints
                    .iter()
                    .filter(|o| *o != name)
                    .map(|o| format!("`{o}`"))
                    .collect();
                let problem = if names::CLIENT_METHODS.contains(&method.as_str()) {
                    format!("`Client::{method}` is a method of the client itself")
                } else if !others.is_empty() {
                    format!(
                        "`Client::{method}` would also be generated for endpoint {}",
                        others.join(", ")
                    )
                } else {
                    continue;
                };
                let what = if method == name {
                    "the endpoint's method".to_owned()
                } else {
                    format!("its paging or fan-out method `{method}`")
                };
                if let Some((_, _, file)) = self.raw.endpoints.iter().find(|(n, _, _)| n == name) {
                    self.err(
                        *file,
                        &format!("endpoints.{name}"),
                        format!("{what} collides: {problem}; rename the endpoint file"),
                    );
                }
            }
        }
    }

    /// Why a named type cannot be called `name`, if it cannot.
    pub(super) fn type_name_problem(&self, name: &str) -> Option<String> {
        if let Some(problem) = ident_problem(name) {
            return Some(format!("type name {problem}"));
        }
        if names::SUPPORT_NAMES.contains(&name) || names::PRELUDE_NAMES.contains(&name) {
            return Some(format!(
                "type name `{name}` is a name every generated module already uses (from Rust's prelude or the client's runtime); rename it"
            ));
        }
        let stems = self
            .raw
            .endpoints
            .iter()
            .map(|(n, _, _)| (n, pascal_case(n)));
        for (endpoint, stem) in stems {
            if [names::request_type(&stem), names::reply_type(&stem)].contains(&name.to_owned()) {
                return Some(format!(
                    "type name `{name}` is the name of endpoint `{endpoint}`'s generated request or reply; rename it"
                ));
            }
        }
        None
    }

    /// Each name becomes a variant: a Rust identifier, distinct within its enum. `values` are
    /// (spec path, name, variant); `reserved` are variants the emitter adds itself.
    pub(super) fn variant_names(
        &mut self,
        file: usize,
        values: &[(String, String, String)],
        reserved: &[&str],
    ) {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (at, value, variant) in values {
            if let Some(problem) = ident_problem(variant) {
                self.err(
                    file,
                    at,
                    format!("`{value}` becomes the variant `{variant}`, and {problem}; rename it"),
                );
            } else if reserved.contains(&variant.as_str()) {
                self.err(
                    file,
                    at,
                    format!("`{value}` becomes the variant `{variant}`, which the generated enum already has for values the spec does not list; rename it"),
                );
            } else if let Some(first) = seen.get(variant.as_str()) {
                self.err(
                    file,
                    at,
                    format!(
                        "`{value}` and `{first}` both become the variant `{variant}`; rename one"
                    ),
                );
            }
            seen.entry(variant).or_insert(value);
        }
    }
}
