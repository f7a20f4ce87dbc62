//! The shared parts of the spec: api.yaml (title, hosts, pages, global status codes) and the
//! named types of types.yaml as such (added, removed, documented, or used by no endpoint).

use std::collections::{BTreeMap, BTreeSet};

use super::compare::{code, list, Differ};
use super::fields::{type_spec, Side, Stack};
use super::{Class, Kind, SHARED};
use crate::model::{EnumDef, Model, ObjectDef, Page, Ty};

impl Differ<'_> {
    /// api.yaml: title, hosts, pages, status codes.
    pub(super) fn shared(&mut self) {
        let (old, new) = (self.old, self.new);
        self.docs(SHARED, "title", "title", &old.title, &new.title);
        self.docs(
            SHARED,
            "description",
            "API description",
            &old.description,
            &new.description,
        );
        self.domains();
        for oh in old
            .hosts
            .iter()
            .filter(|oh| !new.hosts.iter().any(|nh| nh.api == oh.api))
        {
            let text = format!(
                "hosts for {} removed (its default base URL constant goes away)",
                oh.api.name()
            );
            self.record(
                SHARED,
                format!("hosts.{}", oh.api.name()),
                Kind::HostsChanged,
                Class::Breaking,
                text,
            )
            .old = Some(oh.default.clone());
        }
        for nh in &new.hosts {
            let spec = format!("hosts.{}", nh.api.name());
            let Some(oh) = old.hosts.iter().find(|oh| oh.api == nh.api) else {
                let text = format!(
                    "hosts for {} added, default {}",
                    nh.api.name(),
                    code(&nh.default)
                );
                self.record(SHARED, spec, Kind::HostsChanged, Class::Compatible, text)
                    .new = Some(nh.default.clone());
                continue;
            };
            if oh.default != nh.default {
                let text = format!(
                    "default {} base URL {} → {}",
                    nh.api.name(),
                    code(&oh.default),
                    code(&nh.default)
                );
                self.record(
                    SHARED,
                    format!("{spec}.default"),
                    Kind::HostsChanged,
                    Class::Compatible,
                    text,
                )
                .values(&oh.default, &nh.default);
            }
            if oh.alternatives != nh.alternatives {
                let (a, b) = (list(&oh.alternatives), list(&nh.alternatives));
                let text = format!(
                    "alternative {} hosts {} → {}",
                    nh.api.name(),
                    code(&a),
                    code(&b)
                );
                self.record(
                    SHARED,
                    format!("{spec}.alternatives"),
                    Kind::HostsChanged,
                    Class::Compatible,
                    text,
                )
                .values(a, b);
            }
            self.docs_opt(
                SHARED,
                &format!("{spec}.note"),
                &format!("hosts.{} note", nh.api.name()),
                &oh.note,
                &nh.note,
            );
        }
        for op in old
            .pages
            .iter()
            .filter(|op| !new.pages.iter().any(|np| np.id == op.id))
        {
            self.record(
                SHARED,
                format!("pages.{}", op.id),
                Kind::Docs,
                Class::DocsOnly,
                format!("source page {} removed", code(&op.id)),
            )
            .old = op.file.clone().or_else(|| op.url.clone());
        }
        for np in &new.pages {
            let show = |p: &Page| {
                format!(
                    "{} ({}, {}, {}, {}{})",
                    p.file.as_deref().unwrap_or("no stored copy"),
                    p.title,
                    p.language,
                    p.date_text(),
                    p.kind,
                    p.url
                        .as_deref()
                        .map(|u| format!(", {u}"))
                        .unwrap_or_default()
                )
            };
            match old.pages.iter().find(|op| op.id == np.id) {
                None => {
                    self.record(
                        SHARED,
                        format!("pages.{}", np.id),
                        Kind::Docs,
                        Class::DocsOnly,
                        format!("source page {} added", code(&np.id)),
                    )
                    .new = Some(show(np))
                }
                Some(op) => self.docs(
                    SHARED,
                    &format!("pages.{}", np.id),
                    &format!("source page {}", code(&np.id)),
                    &show(op),
                    &show(np),
                ),
            }
        }
        self.global_status();
    }

    /// api.yaml's status codes: each is a variant of the generated error-kind enum, so one that
    /// goes away or is renamed breaks code that names it; a new one is compatible (the enum is
    /// `#[non_exhaustive]` and unknown codes already arrive as `Other`).
    fn global_status(&mut self) {
        let (old, new) = (self.old, self.new);
        for os in old
            .status_codes
            .iter()
            .filter(|os| !new.status_codes.iter().any(|ns| ns.code == os.code))
        {
            let text = format!(
                "status code {} removed (error kind {} goes away)",
                os.code,
                code(&os.variant)
            );
            self.record(
                SHARED,
                format!("status_codes.{}", os.code),
                Kind::StatusCodeRemoved,
                Class::Breaking,
                text,
            )
            .old = Some(os.kind.clone());
        }
        for ns in &new.status_codes {
            let spec = format!("status_codes.{}", ns.code);
            let Some(os) = old.status_codes.iter().find(|os| os.code == ns.code) else {
                let text = format!(
                    "status code {} added (error kind {})",
                    ns.code,
                    code(&ns.variant)
                );
                self.record(SHARED, spec, Kind::StatusCodeAdded, Class::Compatible, text)
                    .new = Some(ns.kind.clone());
                continue;
            };
            if os.kind != ns.kind {
                let text = format!(
                    "status code {}: error kind {} → {}",
                    ns.code,
                    code(&os.variant),
                    code(&ns.variant)
                );
                self.record(
                    SHARED,
                    format!("{spec}.kind"),
                    Kind::StatusCodeChanged,
                    Class::Breaking,
                    text,
                )
                .values(&os.kind, &ns.kind);
            }
            self.docs(
                SHARED,
                &format!("{spec}.meaning"),
                &format!("status code {}: meaning", ns.code),
                &os.meaning,
                &ns.meaning,
            );
            self.docs_opt(
                SHARED,
                &format!("{spec}.advice"),
                &format!("status code {}: advice", ns.code),
                &os.advice,
                &ns.advice,
            );
        }
    }

    /// types.yaml: types added or removed, type-level documentation, and the fields and values
    /// of types no endpoint uses (those of used types are reported under each endpoint).
    pub(super) fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut users = usage(old);
        for (name, eps) in usage(new) {
            users.entry(name).or_default().extend(eps);
        }
        let used_by = |name: &str| match users.get(name) {
            Some(eps) if !eps.is_empty() => format!(
                " (used by {})",
                eps.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            _ => " (used by no endpoint)".to_owned(),
        };
        let mut names: Vec<&str> = type_names(old);
        names.extend(
            type_names(new)
                .into_iter()
                .filter(|n| lookup(old, n).is_none()),
        );
        for name in names {
            let (o, n) = (lookup(old, name), lookup(new, name));
            let declared = n.or(o).map_or(&None, TypeRef::scope);
            let spec = type_spec(name, declared);
            let shown = code(name);
            match (o, n) {
                (Some(_), None) => {
                    let text = format!("type {shown} removed{}", used_by(name));
                    self.record(SHARED, spec, Kind::TypeRemoved, Class::Breaking, text);
                }
                (None, Some(n)) => {
                    let text = format!("new {} type {shown}{}", n.kind(), used_by(name));
                    self.record(SHARED, spec, Kind::TypeAdded, Class::Compatible, text);
                }
                (Some(o), Some(n)) if o.kind() != n.kind() => {
                    let text = format!(
                        "type {shown} changed from {} to {}{}",
                        o.kind(),
                        n.kind(),
                        used_by(name)
                    );
                    self.record(SHARED, spec, Kind::TypeRemoved, Class::Breaking, text)
                        .values(o.kind(), n.kind());
                }
                (Some(o), Some(n)) => {
                    let before = self.changes.len();
                    self.docs(
                        SHARED,
                        &format!("{spec}.description"),
                        &format!("type {shown} description"),
                        o.description(),
                        n.description(),
                    );
                    let what = format!("type {shown} sources");
                    self.docs(
                        SHARED,
                        &format!("{spec}.sources"),
                        &what,
                        &list(o.sources()),
                        &list(n.sources()),
                    );
                    if let (TypeRef::Enum(oe), TypeRef::Enum(ne)) = (o, n) {
                        for nv in &ne.values {
                            if let Some(ov) = oe.values.iter().find(|ov| ov.name == nv.name) {
                                let value = format!("{shown} value {}", code(&nv.name));
                                self.docs(
                                    SHARED,
                                    &format!("{spec}.values.{}.description", nv.name),
                                    &format!("{value}: description"),
                                    &ov.description,
                                    &nv.description,
                                );
                                self.docs(
                                    SHARED,
                                    &format!("{spec}.values.{}.sources", nv.name),
                                    &format!("{value}: sources"),
                                    &list(&ov.sources),
                                    &list(&nv.sources),
                                );
                            }
                        }
                    }
                    let note = used_by(name);
                    for c in &mut self.changes[before..] {
                        c.text.push_str(&note);
                    }
                    if !users.contains_key(name) {
                        match (o, n) {
                            (TypeRef::Enum(oe), TypeRef::Enum(ne)) => {
                                self.enum_values(SHARED, Side::Request, name, oe, ne)
                            }
                            (TypeRef::Object(oo), TypeRef::Object(no)) => {
                                self.object(SHARED, Side::Request, name, oo, no, &mut Stack::new())
                            }
                            _ => {}
                        }
                    }
                }
                (None, None) => {}
            }
        }
    }
    /// Domains only title sections of the docs index.
    fn domains(&mut self) {
        let (old, new) = (self.old, self.new);
        for o in &old.domains {
            if !new.domains.iter().any(|n| n.name == o.name) {
                let spec = format!("domains.{}", o.name);
                self.docs_opt(SHARED, &spec, "domain", &Some(o.title.clone()), &None);
            }
        }
        for n in &new.domains {
            let spec = format!("domains.{}", n.name);
            match old.domains.iter().find(|o| o.name == n.name) {
                None => self.docs_opt(SHARED, &spec, "domain", &None, &Some(n.title.clone())),
                Some(o) => {
                    self.docs(
                        SHARED,
                        &format!("{spec}.title"),
                        "domain title",
                        &o.title,
                        &n.title,
                    );
                    let what = "domain description";
                    self.docs(
                        SHARED,
                        &format!("{spec}.description"),
                        what,
                        &o.description,
                        &n.description,
                    );
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum TypeRef<'a> {
    Enum(&'a EnumDef),
    Object(&'a ObjectDef),
}

impl<'a> TypeRef<'a> {
    fn kind(self) -> &'static str {
        match self {
            TypeRef::Enum(_) => "enum",
            TypeRef::Object(_) => "object",
        }
    }

    fn description(self) -> &'a str {
        match self {
            TypeRef::Enum(e) => &e.description,
            TypeRef::Object(o) => &o.description,
        }
    }

    fn scope(self) -> &'a Option<String> {
        match self {
            TypeRef::Enum(e) => &e.scope,
            TypeRef::Object(o) => &o.scope,
        }
    }

    fn sources(self) -> &'a [String] {
        match self {
            TypeRef::Enum(e) => &e.sources,
            TypeRef::Object(o) => &o.sources,
        }
    }
}

fn lookup<'a>(model: &'a Model, name: &str) -> Option<TypeRef<'a>> {
    model
        .enum_def(name)
        .map(TypeRef::Enum)
        .or_else(|| model.object(name).map(TypeRef::Object))
}

fn type_names(model: &Model) -> Vec<&str> {
    model
        .enums
        .iter()
        .map(|e| e.name.as_str())
        .chain(model.objects.iter().map(|o| o.name.as_str()))
        .collect()
}

/// For each named type, the endpoints whose request or reply reaches it.
fn usage(model: &Model) -> BTreeMap<String, BTreeSet<String>> {
    fn visit(model: &Model, ty: &Ty, endpoint: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => visit(model, inner, endpoint, out),
            Ty::Enum(name) => {
                out.entry(name.clone())
                    .or_default()
                    .insert(endpoint.to_owned());
            }
            Ty::Object(name) => {
                let first = out
                    .entry(name.clone())
                    .or_default()
                    .insert(endpoint.to_owned());
                // Each object is followed once per endpoint, so recursive types end.
                let fields = match model.object(name) {
                    Some(o) if first => o.fields.as_slice(),
                    _ => &[],
                };
                for f in fields {
                    visit(model, &f.ty, endpoint, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for e in &model.endpoints {
        for f in e.fields.iter().chain(&e.reply.fields) {
            visit(model, &f.ty, &e.name, &mut out);
        }
    }
    out
}
