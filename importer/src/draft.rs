//! Drafts spec files (`endpoints/<domain>/<name>.yaml`) for the endpoints the spec lacks, in a
//! form the checker accepts as is: every fact from the SDKs, every disagreement recorded, no
//! limits, defaults or enums (no SDK states them).

use crate::merge::{object_names, primary_place};
use crate::record::{path_params, Disagreement, Endpoint, Field, Placement, Record};
use codegen::model::{pascal_case, snake_case, Location, Model};
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What the importer needs to know of the spec it drafts for.
pub struct SpecIndex {
    pub endpoints: Vec<SpecEndpoint>,
    pub type_names: BTreeSet<String>,
    pub domains: BTreeSet<String>,
    pub v1_host: String,
    pub v2_host: String,
}

pub struct SpecEndpoint {
    pub name: String,
    pub domain: Option<String>,
    pub method: String,
    pub path: String,
    pub fields: Vec<(String, Placement)>,
    /// The reply's top-level wire names (a v2 reply's `data` fields).
    pub reply: Vec<String>,
    pub topics: Vec<String>,
    pub sources: Vec<String>,
}

impl SpecIndex {
    pub fn from_model(model: &Model) -> SpecIndex {
        let host = |api: codegen::model::Api| {
            model
                .hosts
                .iter()
                .find(|h| h.api == api)
                .map(|h| h.default.clone())
                .unwrap_or_default()
        };
        SpecIndex {
            endpoints: model
                .endpoints
                .iter()
                .map(|e| SpecEndpoint {
                    name: e.name.clone(),
                    domain: e.domain.clone(),
                    method: e.method.as_str().to_string(),
                    path: e.path.clone(),
                    fields: e
                        .fields
                        .iter()
                        .map(|f| {
                            let p = match f.location {
                                Location::Body => Placement::Body,
                                Location::Query => Placement::Query,
                                Location::Path => Placement::Path,
                            };
                            (f.wire.clone(), p)
                        })
                        .collect(),
                    reply: e.reply.fields.iter().map(|f| f.wire.clone()).collect(),
                    topics: e.disagreements.iter().map(|d| d.topic.clone()).collect(),
                    sources: e.sources.clone(),
                })
                .collect(),
            type_names: model
                .enums
                .iter()
                .map(|e| e.name.clone())
                .chain(model.objects.iter().map(|o| o.name.clone()))
                .collect(),
            domains: model.domains.iter().map(|d| d.name.clone()).collect(),
            v1_host: host(codegen::model::Api::V1),
            v2_host: host(codegen::model::Api::V2),
        }
    }

    /// The spec endpoint an SDK endpoint is: same path (parameters aside) and one of its methods.
    pub fn find(&self, endpoint: &Endpoint) -> Option<&SpecEndpoint> {
        let path = crate::record::normalise_path(&endpoint.path);
        self.endpoints.iter().find(|s| {
            crate::record::normalise_path(&s.path) == path && endpoint.methods.contains(&s.method)
        })
    }
}

pub struct Draft {
    pub key: String,
    pub domain: String,
    pub name: String,
    pub yaml: String,
}

/// Drafts every endpoint of `record` the spec lacks, with names free in the spec.
pub fn drafts(record: &Record, spec: &SpecIndex) -> Vec<Draft> {
    let mut taken_names: BTreeSet<String> = spec.endpoints.iter().map(|e| e.name.clone()).collect();
    taken_names.extend(
        record
            .endpoints
            .iter()
            .filter(|e| spec.find(e).is_some())
            .map(|e| e.name.clone()),
    );
    let mut taken_types = spec.type_names.clone();
    let mut out = Vec::new();
    for endpoint in record.endpoints.iter().filter(|e| spec.find(e).is_none()) {
        let mut name = endpoint.name.clone();
        let mut n = 2;
        while taken_names.contains(&name) || spec.domains.contains(&name) {
            name = format!("{}_{n}", endpoint.name);
            n += 1;
        }
        taken_names.insert(name.clone());
        let yaml = draft(endpoint, &name, spec, &mut taken_types);
        out.push(Draft {
            key: endpoint.key.clone(),
            domain: endpoint.domain.clone(),
            name,
            yaml,
        });
    }
    out
}

fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(text(k), v);
    }
    Value::Mapping(m)
}

fn first_sentence(doc: &str) -> String {
    let line = doc.lines().next().unwrap_or_default().trim();
    let cut = line.find(['。', '.']).map_or(line, |i| &line[..i]);
    cut.trim().to_string()
}

fn draft(e: &Endpoint, name: &str, spec: &SpecIndex, taken_types: &mut BTreeSet<String>) -> String {
    let docs: Vec<String> = e.calls.iter().filter_map(|c| c.doc.clone()).collect();
    let summary = match docs.first() {
        Some(d) if !first_sentence(d).is_empty() => {
            format!("{} ({} {}).", first_sentence(d), e.method, e.path)
        }
        _ => format!("{} {} (no doc comment in either SDK).", e.method, e.path),
    };
    let methods: Vec<String> = e
        .calls
        .iter()
        .map(|c| format!("{} `{}.{}`", c.sdk.title(), c.package, c.method_name))
        .collect();
    let mut description = String::new();
    match docs.is_empty() {
        true => description.push_str("Neither SDK has a doc comment for it. "),
        false => {
            let mut unique: Vec<String> = docs
                .iter()
                .map(|d| d.trim_end_matches(['.', '。']).to_string())
                .collect();
            unique.dedup();
            description.push_str(&format!("The SDKs' doc comments: {}. ", unique.join(" / ")));
        }
    }
    description.push_str(&format!(
        "Drafted by `cargo xtask import` from {}. Limits: none stated by the SDKs; required fields are those an SDK refuses to send without.",
        methods.join(" and ")
    ));
    // Object names, scoped to the endpoint so two drafts never declare the same type.
    let prefix = pascal_case(name);
    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    for sdk_name in e.types.keys() {
        if e.types[sdk_name].is_empty() {
            continue;
        }
        let stem = sdk_name
            .trim_end_matches("V1")
            .trim_end_matches("V2")
            .replace("Response", "")
            .replace("Request", "");
        let base = format!("{prefix}{stem}");
        let mut candidate = base.clone();
        let mut n = 2;
        while taken_types.contains(&candidate)
            || codegen::names::PRELUDE_NAMES.contains(&candidate.as_str())
            || codegen::names::SUPPORT_NAMES.contains(&candidate.as_str())
        {
            candidate = format!("{base}{n}");
            n += 1;
        }
        taken_types.insert(candidate.clone());
        type_names.insert(sdk_name.clone(), candidate);
    }
    let rename = |ty: &str| {
        crate::merge::map_names(&mark(ty), &mut |n| {
            type_names.get(n).cloned().unwrap_or_else(|| "any".into())
        })
    };
    let mut disagreements: Vec<Disagreement> = e.disagreements.clone();
    // A DELETE may carry a body (spec/README.md, "Where parameters travel"); a GET may not.
    let body_forbidden = e.method == "GET";
    let params = path_params(&e.path);
    let mut fields = Mapping::new();
    let mut request_fields: Vec<(Field, Placement)> = Vec::new();
    for f in &e.fields {
        let mut place = primary_place(&f.placements);
        if place == Placement::Path && !params.contains(&f.wire) {
            continue;
        }
        if place == Placement::Body && body_forbidden {
            disagreements.push(Disagreement {
                topic: format!("Where `{}` travels on a {}", f.wire, e.method),
                field: Some(f.wire.clone()),
                pages: f
                    .sdks
                    .iter()
                    .map(|s| {
                        (
                            *s,
                            format!("sends `{}` in the body of a {}.", f.wire, e.method),
                        )
                    })
                    .collect(),
                settled: format!(
                    "In the query: the spec format has no body on a {}; pending a page.",
                    e.method
                ),
            });
            place = Placement::Query;
        }
        request_fields.push((f.clone(), place));
    }
    for p in &params {
        if !request_fields.iter().any(|(f, _)| &f.wire == p) {
            let f = Field {
                wire: p.clone(),
                ty: "string".into(),
                placements: vec![Placement::Path],
                required: true,
                doc: None,
                all_placements: vec![Placement::Path],
                sdks: e.sdks.clone(),
            };
            request_fields.push((f, Placement::Path));
        }
    }
    let v2_request = e.api == "v2";
    let request_rust = rust_names(
        request_fields.iter().map(|(f, _)| f.wire.as_str()),
        if v2_request {
            &["new", "validate", "trace_id", "with_trace_id"]
        } else {
            &["new", "validate"]
        },
    );
    for ((f, place), rust) in request_fields.iter().zip(request_rust) {
        let mut ty = rename(&f.ty);
        if *place == Placement::Path && ty != "string" && ty != "int" && ty != "long" {
            ty = "string".into();
        }
        let mut entry = vec![("type", text(ty.clone())), ("in", text(place.as_str()))];
        if let Some(r) = rust {
            entry.push(("rust", text(r)));
        }
        if f.required || *place == Placement::Path {
            entry.push(("required", Value::Bool(true)));
        }
        let textual = (*place == Placement::Body && e.api == "v1") || *place == Placement::Query;
        if textual && composite(&ty, &type_names) {
            let scalar_list =
                ty.starts_with("list<") && !composite(&ty[5..ty.len() - 1], &type_names);
            let encoding = if *place == Placement::Query && scalar_list {
                "comma_joined"
            } else {
                "json_text"
            };
            entry.push(("encoding", text(encoding)));
        }
        entry.push(("description", text(describe(f))));
        if f.sdks.len() < e.sdks.len() {
            entry.push((
                "sources",
                Value::Sequence(f.sdks.iter().map(|s| text(s.page_id())).collect()),
            ));
        }
        fields.insert(text(f.wire.clone()), map(entry));
    }
    let mut types = Mapping::new();
    for (sdk_name, scoped) in &type_names {
        let object_fields = object_fields(&e.types[sdk_name], &rename, &[]);
        let sources = Value::Sequence(e.sdks.iter().map(|s| text(s.page_id())).collect());
        types.insert(
            text(scoped.clone()),
            map(vec![
                ("kind", text("object")),
                ("description", text(format!("`{sdk_name}` of the SDKs."))),
                ("sources", sources),
                ("fields", object_fields),
            ]),
        );
    }
    let reply_fields = object_fields(&e.reply, &rename, &["unreadable"]);
    let mut top = vec![
        ("summary", text(summary)),
        ("description", text(description)),
        ("api", text(e.api.clone())),
        ("method", text(e.method.clone())),
        ("path", text(e.path.clone())),
        (
            "hosts",
            Value::Sequence(vec![text(if e.api == "v1" {
                spec.v1_host.clone()
            } else {
                spec.v2_host.clone()
            })]),
        ),
        (
            "sources",
            Value::Sequence(e.sdks.iter().map(|s| text(s.page_id())).collect()),
        ),
    ];
    // Request types renamed to spec names, as the fields above are written.
    let typed: Vec<(Field, Placement)> = request_fields
        .iter()
        .map(|(f, place)| {
            (
                Field {
                    ty: rename(&f.ty),
                    ..f.clone()
                },
                *place,
            )
        })
        .collect();
    if let Some(paging) = crate::paging::draft(&typed, &e.reply) {
        top.push(("paging", paging));
    }
    if !disagreements.is_empty() {
        let list = disagreements
            .iter()
            .map(|d| {
                let mut pages = Mapping::new();
                for (sdk, said) in &d.pages {
                    let key = text(sdk.page_id());
                    let joined = match pages.get(&key).and_then(Value::as_str) {
                        Some(before) => format!("{before} {said}"),
                        None => said.clone(),
                    };
                    pages.insert(key, text(joined));
                }
                map(vec![
                    ("topic", text(d.topic.clone())),
                    ("pages", Value::Mapping(pages)),
                    ("settled", text(d.settled.clone())),
                ])
            })
            .collect();
        top.push(("disagreements", Value::Sequence(list)));
    }
    let mut codes = Mapping::new();
    codes.insert(
        Value::Number(200.into()),
        map(vec![("meaning", text("Success."))]),
    );
    top.push(("status_codes", Value::Mapping(codes)));
    if !types.is_empty() {
        top.push(("types", Value::Mapping(types)));
    }
    top.push(("fields", Value::Mapping(fields)));
    top.push((
        "reply",
        map(vec![
            (
                "description",
                text("The reply's fields as the SDKs read them."),
            ),
            ("fields", reply_fields),
        ]),
    ));
    let header = format!("# Drafted by `cargo xtask import` from the vendor SDKs ({}); review before relying on it.\n", e.key);
    header + &serde_yaml::to_string(&map(top)).unwrap_or_default()
}

/// Marks object names (`Item` → `@Item`) for renaming.
fn mark(ty: &str) -> String {
    let names = object_names(ty);
    let mut out = String::new();
    let mut token = String::new();
    for c in ty.chars().chain(std::iter::once('\0')) {
        if c.is_alphanumeric() || c == '_' {
            token.push(c);
            continue;
        }
        if names.contains(&token) {
            out.push('@');
        }
        out.push_str(&token);
        token.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

fn composite(ty: &str, objects: &BTreeMap<String, String>) -> bool {
    ty.starts_with("list<")
        || ty.starts_with("map<")
        || ty == "any"
        || objects.values().any(|o| o == ty)
}

fn describe(f: &Field) -> String {
    f.doc
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| "No description in the SDKs.".into())
}

fn object_fields(list: &[Field], rename: &dyn Fn(&str) -> String, reserved: &[&str]) -> Value {
    let mut out = Mapping::new();
    let rust = rust_names(list.iter().map(|f| f.wire.as_str()), reserved);
    for (f, rust) in list.iter().zip(rust) {
        let mut entry = vec![("type", text(rename(&f.ty)))];
        if let Some(r) = rust {
            entry.push(("rust", text(r)));
        }
        entry.push(("description", text(describe(f))));
        out.insert(text(f.wire.clone()), map(entry));
    }
    Value::Mapping(out)
}

/// A `rust:` name for each wire name whose derived one the checker would refuse or that would
/// collide (a keyword, not an identifier, a name twice, an accessor of another field).
fn rust_names<'a>(wires: impl Iterator<Item = &'a str>, reserved: &[&str]) -> Vec<Option<String>> {
    let derived: Vec<String> = wires.map(snake_case).collect();
    let mut used: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    for (i, name) in derived.iter().enumerate() {
        let getter_clash = |n: &str| {
            derived
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && n == format!("get_{other}"))
        };
        let fine = |n: &str, used: &BTreeSet<String>| {
            codegen::names::ident_problem(n).is_none()
                && !n.starts_with('_')
                && !n.contains("__")
                && !used.contains(n)
                && !getter_clash(n)
        };
        if fine(name, &used) {
            used.insert(name.clone());
            out.push(None);
            continue;
        }
        let mut base: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        while base.contains("__") {
            base = base.replace("__", "_");
        }
        let base = base.trim_matches('_').to_string();
        let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            format!("field_{base}")
        } else {
            base
        };
        let mut candidate = base.clone();
        let mut n = 2;
        if !fine(&candidate, &used) {
            candidate = format!("{base}_value");
        }
        while !fine(&candidate, &used) {
            candidate = format!("{base}_value{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        out.push(Some(candidate));
    }
    out
}
