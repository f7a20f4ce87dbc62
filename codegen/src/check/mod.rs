//! Semantic checks: turns a parsed spec into the model, reporting every problem at once.

mod contradictions;
mod domains;
mod endpoints;
mod example;
mod fan_out;
mod fields;
mod names;
mod own_limits;
mod paging;
mod route;
mod rule_values;
mod rules;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::RawSpec;
use crate::model::*;

/// Checks `raw` and builds the model, or returns every problem found.
pub fn check(raw: &RawSpec) -> Result<Model, Diagnostics> {
    let mut cx = Checker {
        raw,
        diags: Vec::new(),
        unit: LengthUnit::Utf16,
        enums: Vec::new(),
        object_names: BTreeSet::new(),
        type_scopes: BTreeMap::new(),
        scope: None,
        objects: Vec::new(),
    };
    let model = cx.run();
    if cx.diags.is_empty() {
        Ok(model)
    } else {
        Err(Diagnostics(cx.diags).finish())
    }
}

struct Checker<'a> {
    raw: &'a RawSpec,
    diags: Vec<Diagnostic>,
    unit: LengthUnit,
    enums: Vec<EnumDef>,
    object_names: BTreeSet<String>,
    /// Each named type's declaring endpoint (`None`: `types.yaml`).
    type_scopes: BTreeMap<String, Option<String>>,
    /// The endpoint whose fields (or inline types) are being checked; `None` for `types.yaml`.
    /// A type an endpoint declares is visible only there.
    scope: Option<String>,
    /// The checked objects, for endpoint checks that look inside them (examples).
    objects: Vec<ObjectDef>,
}

/// Where a field list sits, which decides what it may say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Top-level request fields of an endpoint of this generation.
    Request(Api),
    /// Fields of a named object.
    Object,
    /// Reply fields.
    Reply,
}

use crate::names::RUST_KEYWORDS;

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_pascal_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// A date as precise as its source: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize| p.len() == len && p.bytes().all(|c| c.is_ascii_digit());
    let within = |p: &str, max: u32| p.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    match parts.as_slice() {
        [y] => number(y, 4),
        [y, m] => number(y, 4) && number(m, 2) && within(m, 12),
        [y, m, d] => number(y, 4) && number(m, 2) && within(m, 12) && number(d, 2) && within(d, 31),
        _ => false,
    }
}

/// The kinds of source the spec knows.
const SOURCE_KINDS: &[&str] = &["page", "debug_project", "sdk", "api_list"];

impl Checker<'_> {
    fn err(&mut self, file: usize, path: &str, message: impl Into<String>) {
        let d = self.raw.diag(file, path, message);
        self.diags.push(d);
    }

    fn check_pages(&mut self, file: usize, path: &str, ids: &[String]) -> Vec<String> {
        for (i, id) in ids.iter().enumerate() {
            if !self.raw.api.pages.contains_key(id) {
                let known = self
                    .raw
                    .api
                    .pages
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    file,
                    &format!("{path}[{i}]"),
                    format!("unknown page `{id}`; pages in api.yaml: {known}"),
                );
            }
        }
        ids.to_vec()
    }

    fn run(&mut self) -> Model {
        let raw = self.raw;
        let api_file = raw.api_file;
        if let Some(unit) = &raw.api.defaults.length_unit {
            match LengthUnit::parse(unit) {
                Some(u) => self.unit = u,
                None => self.err(
                    api_file,
                    "defaults.length_unit",
                    format!("unknown length unit `{unit}`; use utf16, chars or bytes"),
                ),
            }
        }
        let hosts = self.hosts();
        let pages = self.pages();
        let status_codes = self.status_codes();
        self.collect_enums();
        let mut objects = self.objects();
        self.objects.clone_from(&objects);
        let mut endpoints = Vec::new();
        for (name, endpoint, file) in &raw.endpoints {
            if let Some(e) = self.endpoint(name, endpoint, *file, &status_codes) {
                endpoints.push(e);
            }
        }
        self.client_methods(&endpoints);
        for api in [Api::V1, Api::V2] {
            if endpoints.iter().any(|e| e.api == api) && !hosts.iter().any(|h| h.api == api) {
                self.err(
                    api_file,
                    "hosts",
                    format!(
                        "endpoints use `{}` but `hosts.{}` is missing",
                        api.name(),
                        api.name()
                    ),
                );
            }
        }
        if raw.endpoints.is_empty() {
            self.err(
                api_file,
                "endpoints",
                "the spec has no endpoints: add files under endpoints/",
            );
        }
        let domains = self.domains(&endpoints);
        self.reject_recursion(&objects);
        mark_reachability(&mut objects, &endpoints);
        Model {
            title: raw.api.title.clone(),
            description: raw.api.description.clone(),
            spec_sha1: raw.sha1.clone(),
            hosts,
            pages,
            status_codes,
            enums: std::mem::take(&mut self.enums),
            objects,
            endpoints,
            domains,
        }
    }

    fn hosts(&mut self) -> Vec<HostSet> {
        let mut out = Vec::new();
        for (key, set) in &self.raw.api.hosts {
            let path = format!("hosts.{key}");
            let api = match key.as_str() {
                "v1" => Api::V1,
                "v2" => Api::V2,
                _ => {
                    self.err(
                        self.raw.api_file,
                        &path,
                        format!("unknown API generation `{key}`; use v1 or v2"),
                    );
                    continue;
                }
            };
            for (i, url) in std::iter::once(&set.default)
                .chain(&set.alternatives)
                .enumerate()
            {
                if let Some(problem) = contradictions::host_problem(url) {
                    let at = if i == 0 {
                        format!("{path}.default")
                    } else {
                        format!("{path}.alternatives[{}]", i - 1)
                    };
                    self.err(self.raw.api_file, &at, problem);
                }
            }
            out.push(HostSet {
                api,
                default: set.default.clone(),
                alternatives: set.alternatives.clone(),
                note: set.note.clone(),
            });
        }
        out
    }

    fn pages(&mut self) -> Vec<Page> {
        let mut out = Vec::new();
        for (id, page) in &self.raw.api.pages {
            if let Some(date) = page.date.as_deref().filter(|d| !is_date(d)) {
                self.err(
                    self.raw.api_file,
                    &format!("pages.{id}.date"),
                    format!("date `{date}` is not YYYY-MM-DD, YYYY-MM or YYYY; leave it out (and say why in `date_note`) when the source shows none"),
                );
            }
            if page.file.is_none() && page.url.is_none() {
                self.err(
                    self.raw.api_file,
                    &format!("pages.{id}"),
                    "a source needs a stored copy (`file`) or an address (`url`), or both",
                );
            }
            let kind = page.kind.clone().unwrap_or_else(|| "page".into());
            if !SOURCE_KINDS.contains(&kind.as_str()) {
                self.err(
                    self.raw.api_file,
                    &format!("pages.{id}.kind"),
                    format!(
                        "unknown source kind `{kind}`; use {}",
                        SOURCE_KINDS.join(", ")
                    ),
                );
            }
            out.push(Page {
                id: id.clone(),
                file: page.file.clone(),
                title: page.title.clone(),
                language: page.language.clone(),
                date: page.date.clone(),
                date_note: page.date_note.clone(),
                url: page.url.clone(),
                kind,
            });
        }
        out
    }

    fn status_codes(&mut self) -> Vec<StatusCode> {
        let mut out: Vec<StatusCode> = Vec::new();
        for (code, status) in &self.raw.api.status_codes {
            let path = format!("status_codes.{code}");
            if !is_snake_ident(&status.kind) {
                self.err(
                    self.raw.api_file,
                    &format!("{path}.kind"),
                    format!("kind `{}` must be snake_case", status.kind),
                );
            } else if (*code == 200) != (status.kind == "ok") {
                self.err(
                    self.raw.api_file,
                    &format!("{path}.kind"),
                    "code 200, and only 200, has kind `ok`",
                );
            } else if out.iter().any(|s| s.kind == status.kind) {
                self.err(
                    self.raw.api_file,
                    &format!("{path}.kind"),
                    format!("kind `{}` is used by another code", status.kind),
                );
            }
            out.push(StatusCode {
                code: *code,
                kind: status.kind.clone(),
                variant: pascal_case(&status.kind),
                meaning: status.meaning.clone(),
                advice: status.advice.clone(),
            });
        }
        if !out.iter().any(|s| s.code == 200) {
            self.err(
                self.raw.api_file,
                "status_codes",
                "code 200 (kind `ok`) is missing",
            );
        }
        // Every code but 200 becomes a variant of `ApiErrorKind`, beside its catch-all `Other`.
        let variants: Vec<(String, String, String)> = out
            .iter()
            .filter(|s| s.code != 200 && is_snake_ident(&s.kind))
            .map(|s| {
                (
                    format!("status_codes.{}.kind", s.code),
                    s.kind.clone(),
                    s.variant.clone(),
                )
            })
            .collect();
        self.variant_names(self.raw.api_file, &variants, &["Other"]);
        out
    }
}

impl Checker<'_> {
    /// The file and spec path of a named type declared in `scope` (an endpoint) or types.yaml.
    pub(super) fn type_location(&self, scope: Option<&str>, name: &str) -> (usize, String) {
        match scope.and_then(|s| self.raw.endpoints.iter().find(|(n, _, _)| n == s)) {
            Some((endpoint, _, file)) => (*file, format!("endpoints.{endpoint}.types.{name}")),
            None => (self.types_file(), format!("types.{name}")),
        }
    }

    /// An object that contains itself through object-typed fields would have infinite size;
    /// lists and maps add the indirection that makes recursion representable. One depth-first
    /// walk over the object graph (linear in objects and fields, iterative so a long chain cannot
    /// overflow the stack) finds every object on a cycle.
    fn reject_recursion(&mut self, objects: &[ObjectDef]) {
        let index: BTreeMap<&str, usize> = objects
            .iter()
            .enumerate()
            .map(|(i, o)| (o.name.as_str(), i))
            .collect();
        let edges: Vec<Vec<usize>> = objects
            .iter()
            .map(|o| {
                o.fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        Ty::Object(next) => index.get(next.as_str()).copied(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        // 0: not seen, 1: on the current path, 2: done.
        let mut state = vec![0u8; objects.len()];
        let mut on_cycle = vec![false; objects.len()];
        for start in 0..objects.len() {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some((node, next)) = stack.pop() {
                if let Some(&to) = edges[node].get(next) {
                    stack.push((node, next + 1));
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => {
                            // Everything on the path from `to` back to `node` is on the cycle.
                            on_cycle[to] = true;
                            for &(n, _) in stack.iter().rev() {
                                on_cycle[n] = true;
                                if n == to {
                                    break;
                                }
                            }
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                }
            }
        }
        for (o, _) in objects.iter().zip(&on_cycle).filter(|(_, c)| **c) {
            let (file, path) = self.type_location(o.scope.as_deref(), &o.name);
            self.err(file, &path, format!("{} contains itself through object fields, which no Rust struct can hold; put the recursion inside a list or map", o.name));
        }
    }
}

/// Marks each object reachable from requests and from replies, and gives each the union of the
/// leniencies of the reply fields it is reached through.
fn mark_reachability(objects: &mut [ObjectDef], endpoints: &[Endpoint]) {
    fn visit(
        ty: &Ty,
        lenience: Lenience,
        objects: &[ObjectDef],
        seen: &mut BTreeMap<String, Lenience>,
    ) {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => visit(inner, lenience, objects, seen),
            Ty::Object(name) => {
                let known = seen.get(name).copied();
                let merged = known.unwrap_or_default().union(lenience);
                if known == Some(merged) {
                    return;
                }
                seen.insert(name.clone(), merged);
                for o in objects.iter().filter(|o| &o.name == name) {
                    for f in &o.fields {
                        visit(&f.ty, merged.union(f.lenience), objects, seen);
                    }
                }
            }
            _ => {}
        }
    }
    let mut request = BTreeMap::new();
    let mut reply = BTreeMap::new();
    for e in endpoints {
        for f in &e.fields {
            visit(&f.ty, Lenience::default(), objects, &mut request);
        }
        for f in &e.reply.fields {
            visit(&f.ty, f.lenience, objects, &mut reply);
        }
    }
    for o in objects.iter_mut() {
        o.in_request = request.contains_key(&o.name);
        o.in_reply = reply.contains_key(&o.name);
        o.lenience = reply.get(&o.name).copied().unwrap_or_default();
    }
}
