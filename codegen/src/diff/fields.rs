//! Field lists, followed into the objects and enums they use: added, removed, retyped,
//! required, limits, allowed values, defaults, enum values.

use super::compare::{code, list, Differ};
use super::{Change, Class, Kind};
use crate::model::{Encoding, EnumDef, Field, Literal, ObjectDef, Ty};

/// Why a new value of a closed enum in a reply breaks.
const CLOSED_NOTE: &str =
    " (closed enum: clients built from the old spec fail to decode replies carrying it)";

/// Which way a field travels, which decides what a change does to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// Sent by the client and validated before sending.
    Request,
    /// Decoded by the client; not validated.
    Reply,
}

/// Where a list of fields sits.
#[derive(Debug, Clone)]
pub(super) struct Scope {
    /// Endpoint name, or `shared`.
    pub endpoint: String,
    pub side: Side,
    /// Prefix of the shown paths: ``, `reply.`, `option.`, `msgList[].`.
    pub display: String,
    /// Spec path of the old and the new field list, e.g. `types.ChatroomMessage.fields`.
    pub old_base: String,
    pub new_base: String,
}

/// Where a named type is declared: `types.Name`, or `endpoints.<name>.types.Name` for a type
/// only that endpoint uses.
pub(super) fn type_spec(name: &str, scope: &Option<String>) -> String {
    match scope {
        Some(endpoint) => format!("endpoints.{endpoint}.types.{name}"),
        None => format!("types.{name}"),
    }
}

/// (old, new) object names being walked, so recursive types end.
pub(super) type Stack = Vec<(String, String)>;

impl Differ<'_> {
    pub(super) fn field_change(
        &mut self,
        scope: &Scope,
        spec: String,
        kind: Kind,
        class: Class,
        text: String,
    ) -> &mut Change {
        self.record(&scope.endpoint, spec, kind, class, text)
    }

    /// Compares two field lists of the same place.
    pub(super) fn field_list(
        &mut self,
        scope: &Scope,
        old: &[Field],
        new: &[Field],
        stack: &mut Stack,
    ) {
        for o in old {
            if !new.iter().any(|n| n.wire == o.wire) {
                let path = format!("{}{}", scope.display, o.wire);
                let spec = format!("{}.{}", scope.old_base, o.wire);
                let was = if o.deprecated.is_some() {
                    " (was deprecated)"
                } else {
                    ""
                };
                let c = self.field_change(
                    scope,
                    spec,
                    Kind::FieldRemoved,
                    Class::Breaking,
                    format!("{}: field removed{was}", code(&path)),
                );
                c.old = Some(o.ty.spec_name());
            }
        }
        for n in new {
            match old.iter().find(|o| o.wire == n.wire) {
                Some(o) => self.field(scope, o, n, stack),
                None => {
                    let path = format!("{}{}", scope.display, n.wire);
                    let spec = format!("{}.{}", scope.new_base, n.wire);
                    let ty = code(&n.ty.spec_name());
                    let ty = match &n.default {
                        Some(d) => format!("{ty} (server default {})", code(&d.display())),
                        None => ty,
                    };
                    let (class, text) = match (scope.side, n.required) {
                        (Side::Request, true) => (
                            Class::Breaking,
                            format!("{}: new required field of type {ty}", code(&path)),
                        ),
                        (Side::Request, false) => (
                            Class::Compatible,
                            format!("{}: new optional field of type {ty}", code(&path)),
                        ),
                        (Side::Reply, _) => (
                            Class::Compatible,
                            format!("{}: new field of type {ty}", code(&path)),
                        ),
                    };
                    let c = self.field_change(scope, spec, Kind::FieldAdded, class, text);
                    c.new = Some(n.ty.spec_name());
                }
            }
        }
    }

    fn field(&mut self, scope: &Scope, o: &Field, n: &Field, stack: &mut Stack) {
        let path = format!("{}{}", scope.display, n.wire);
        let shown = code(&path);
        let spec = format!("{}.{}", scope.new_base, n.wire);
        let at = |key: &str| format!("{spec}.{key}");
        let reply = scope.side == Side::Reply;

        if o.ty != n.ty {
            let (a, b) = (o.ty.spec_name(), n.ty.spec_name());
            let text = format!("{shown}: type {} → {}", code(&a), code(&b));
            self.field_change(scope, at("type"), Kind::TypeChanged, Class::Breaking, text)
                .values(a, b);
        }
        if o.rust != n.rust {
            let text = format!("{shown}: Rust name {} → {}", code(&o.rust), code(&n.rust));
            self.field_change(
                scope,
                at("rust"),
                Kind::RustNameChanged,
                Class::Breaking,
                text,
            )
            .values(&o.rust, &n.rust);
        }
        if o.required != n.required {
            // Every way breaks: a request field moves in or out of the generated `new()` (and a
            // new required one must be sent); a reply field's Rust type gains or loses `Option`.
            let what = match (reply, n.required) {
                (false, true) => "now required",
                (false, false) => "now optional (no longer a `new()` parameter; use its setter)",
                (true, true) => "now always present (no longer an `Option`)",
                (true, false) => "may now be absent (becomes an `Option`)",
            };
            let (class, text) = (Class::Breaking, format!("{shown}: {what}"));
            self.field_change(scope, at("required"), Kind::RequiredChanged, class, text)
                .values(o.required, n.required);
        }
        if o.encoding != n.encoding {
            let name = |e: Encoding| match e {
                Encoding::Plain => "plain",
                Encoding::JsonText => "json_text",
                Encoding::CommaJoined => "comma_joined",
                Encoding::ZeroOne => "zero_one",
            };
            let (a, b) = (name(o.encoding), name(n.encoding));
            let text = format!("{shown}: wire encoding {a} → {b} (the client encodes it)");
            self.field_change(
                scope,
                at("encoding"),
                Kind::EncodingChanged,
                Class::Compatible,
                text,
            )
            .values(a, b);
        }
        if o.location != n.location {
            let (a, b) = (o.location.name(), n.location.name());
            // The client sends it where the spec says; the server expects it where it did.
            let text = format!("{shown}: travels in the {a} → the {b}");
            self.field_change(
                scope,
                at("in"),
                Kind::LocationChanged,
                Class::Compatible,
                text,
            )
            .values(a, b);
        }
        if o.default != n.default {
            let show = |d: &Option<Literal>| d.as_ref().map(Literal::display);
            let text = format!(
                "{shown}: default {} → {} (server-side default; documentation only)",
                show(&o.default).map_or("(none)".into(), |d| code(&d)),
                show(&n.default).map_or("(none)".into(), |d| code(&d)),
            );
            let c = self.field_change(
                scope,
                at("default"),
                Kind::DefaultChanged,
                Class::DocsOnly,
                text,
            );
            (c.old, c.new) = (show(&o.default), show(&n.default));
        }
        self.limits(scope, &shown, &spec, o, n);
        self.over_limit(scope, &shown, &spec, o, n);
        // The generated accessors of request fields carry the attribute; reply fields have none.
        let effect = match (reply, n.required) {
            (true, _) => None,
            (false, true) => Some("its getter becomes `#[deprecated]`"),
            (false, false) => Some("its setter and getter become `#[deprecated]`"),
        };
        self.deprecation(
            &scope.endpoint,
            &spec,
            &shown,
            effect,
            o.deprecated.as_ref(),
            n.deprecated.as_ref(),
        );
        self.allowed(scope, &shown, &spec, o, n);
        self.length_unit(scope, &shown, &spec, o, n);
        self.lenience(scope, &shown, &spec, o, n);
        self.docs(
            &scope.endpoint,
            &at("description"),
            &format!("{shown}: description"),
            &o.description,
            &n.description,
        );
        self.docs_opt(
            &scope.endpoint,
            &at("note"),
            &format!("{shown}: note"),
            &o.note,
            &n.note,
        );
        self.docs(
            &scope.endpoint,
            &at("sources"),
            &format!("{shown}: sources"),
            &list(&o.sources),
            &list(&n.sources),
        );
        self.nested(scope, &path, &o.ty, &n.ty, stack);
    }

    /// Follows list items, map values, objects and enums on both sides.
    fn nested(&mut self, scope: &Scope, path: &str, old: &Ty, new: &Ty, stack: &mut Stack) {
        match (old, new) {
            (Ty::List(a), Ty::List(b)) => self.nested(scope, &format!("{path}[]"), a, b, stack),
            (Ty::Map(a), Ty::Map(b)) => self.nested(scope, &format!("{path}.*"), a, b, stack),
            (Ty::Object(a), Ty::Object(b)) => {
                if let (Some(o), Some(n)) = (self.old.object(a), self.new.object(b)) {
                    self.object(&scope.endpoint, scope.side, path, o, n, stack);
                }
            }
            (Ty::Enum(a), Ty::Enum(b)) => {
                if let (Some(o), Some(n)) = (self.old.enum_def(a), self.new.enum_def(b)) {
                    self.enum_values(&scope.endpoint, scope.side, path, o, n);
                }
            }
            _ => {}
        }
    }

    /// Compares two objects reached at `path` (shown as `path.field`).
    pub(super) fn object(
        &mut self,
        endpoint: &str,
        side: Side,
        path: &str,
        o: &ObjectDef,
        n: &ObjectDef,
        stack: &mut Stack,
    ) {
        let pair = (o.name.clone(), n.name.clone());
        if stack.contains(&pair) {
            return;
        }
        if o.from_scalar != n.from_scalar {
            let spec = format!("{}.from_scalar", type_spec(&n.name, &n.scope));
            let (class, what) = match (&n.from_scalar, side) {
                (_, Side::Request) => (Class::DocsOnly, "only applies to replies".to_owned()),
                (Some(f), Side::Reply) if o.from_scalar.is_none() => (
                    Class::Compatible,
                    format!("now also accepted as a bare string (taken as {})", code(f)),
                ),
                (Some(f), Side::Reply) => (
                    Class::Breaking,
                    format!("a bare string is now taken as {}", code(f)),
                ),
                (None, Side::Reply) => (
                    Class::Breaking,
                    "no longer accepted as a bare string".to_owned(),
                ),
            };
            let text = format!(
                "{}: {} from_scalar changed; {what}",
                code(path),
                code(&n.name)
            );
            let c = self.record(endpoint, spec, Kind::FromScalarChanged, class, text);
            (c.old, c.new) = (o.from_scalar.clone(), n.from_scalar.clone());
        }
        let scope = Scope {
            endpoint: endpoint.to_owned(),
            side,
            display: format!("{path}."),
            old_base: format!("{}.fields", type_spec(&o.name, &o.scope)),
            new_base: format!("{}.fields", type_spec(&n.name, &n.scope)),
        };
        stack.push(pair);
        self.field_list(&scope, &o.fields, &n.fields, stack);
        stack.pop();
    }

    /// Compares the values of two enums reached at `path`.
    pub(super) fn enum_values(
        &mut self,
        endpoint: &str,
        side: Side,
        path: &str,
        o: &EnumDef,
        n: &EnumDef,
    ) {
        let shown = code(path);
        let name = code(&n.name);
        for ov in &o.values {
            let spec = format!("{}.values.{}", type_spec(&n.name, &n.scope), ov.name);
            match n.values.iter().find(|nv| nv.name == ov.name) {
                None => {
                    let text = format!(
                        "{shown}: {name} value {} ({}) removed",
                        code(&ov.name),
                        ov.value
                    );
                    self.record(
                        endpoint,
                        spec,
                        Kind::EnumValueRemoved,
                        Class::Breaking,
                        text,
                    )
                    .old = Some(ov.value.to_string());
                }
                Some(nv) if nv.value != ov.value => {
                    let text = format!(
                        "{shown}: {name} value {} renumbered {} → {}",
                        code(&ov.name),
                        ov.value,
                        nv.value
                    );
                    self.record(
                        endpoint,
                        format!("{spec}.value"),
                        Kind::EnumValueRenumbered,
                        Class::Breaking,
                        text,
                    )
                    .values(ov.value, nv.value);
                }
                Some(_) => {}
            }
        }
        for nv in n
            .values
            .iter()
            .filter(|nv| !o.values.iter().any(|ov| ov.name == nv.name))
        {
            let spec = format!("{}.values.{}", type_spec(&n.name, &n.scope), nv.name);
            let (class, note) = match (side, n.open) {
                // The generated enums are `#[non_exhaustive]`, so code still compiles; but a
                // closed enum has no catch-all, so clients built from the old spec fail to
                // decode replies carrying the new value.
                (Side::Reply, false) => (Class::Breaking, CLOSED_NOTE),
                _ => (Class::Compatible, ""),
            };
            let text = format!(
                "{shown}: {name} value {} ({}) added{note}",
                code(&nv.name),
                nv.value
            );
            self.record(endpoint, spec, Kind::EnumValueAdded, class, text)
                .new = Some(nv.value.to_string());
        }
        if o.open != n.open {
            let spec = format!("{}.open", type_spec(&n.name, &n.scope));
            // Opening adds the catch-all variant `Other` to a `#[non_exhaustive]` enum; closing
            // removes it, and unlisted values in replies no longer decode.
            let (class, what) = match (side, n.open) {
                (_, true) => (
                    Class::Compatible,
                    "unlisted values in replies decode as `Other`",
                ),
                (Side::Request, false) => (Class::Breaking, "its `Other` variant goes away"),
                (Side::Reply, false) => (
                    Class::Breaking,
                    "its `Other` variant goes away and unlisted values in replies no longer decode",
                ),
            };
            let state = if n.open { "open" } else { "closed" };
            let text = format!("{shown}: {name} is now {state}; {what}");
            self.record(endpoint, spec, Kind::EnumOpenChanged, class, text)
                .values(o.open, n.open);
        }
    }
}
