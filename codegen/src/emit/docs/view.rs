//! Serializable views the templates render: the model's own items plus what templates cannot
//! compute (limit phrases, rule sentences, the objects and enums a page uses, page dates, examples).

use std::collections::BTreeSet;

use serde::Serialize;

use super::markdown::code;
use super::prose;
use crate::emit::{markdown_header, snippet};
use crate::model::{
    Endpoint, EndpointStatus, EnumDef, Field, HostSet, Model, ObjectDef, Page, RateLimit, Ty,
};

/// The index page.
#[derive(Serialize)]
pub struct IndexView<'a> {
    pub header: String,
    pub model: &'a Model,
    /// One group per declared domain, then the endpoints filed in none; without domains, one
    /// group without a heading.
    pub groups: Vec<IndexGroup<'a>>,
    pub sources: Vec<SourceView<'a>>,
}

/// A domain's section of the index.
#[derive(Serialize)]
pub struct IndexGroup<'a> {
    /// `None` for the endpoints filed in no domain.
    pub domain: Option<&'a crate::model::Domain>,
    pub endpoints: Vec<IndexRow<'a>>,
}

/// One endpoint's row in the index.
#[derive(Serialize)]
pub struct IndexRow<'a> {
    pub endpoint: &'a Endpoint,
    pub rate_limit: String,
}

/// One endpoint's page.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub header: String,
    pub endpoint: &'a Endpoint,
    pub request_type: String,
    pub reply_type: String,
    pub host_set: Option<&'a HostSet>,
    pub default_url: String,
    pub rate_limit: Option<RateLimitView<'a>>,
    /// Where the request's parameters travel, in words.
    pub parameters_travel: String,
    /// Whether a request carries a body (a DELETE does when a field travels in it).
    pub has_body: bool,
    pub paging: Option<PagingView<'a>>,
    pub deprecated: Option<String>,
    pub fields: Vec<FieldView<'a>>,
    pub request_objects: Vec<RequestObjectView<'a>>,
    pub enums: Vec<EnumView<'a>>,
    pub rules: Vec<RuleView<'a>>,
    pub reply_fields: Vec<ReplyFieldView<'a>>,
    pub reply_objects: Vec<ReplyObjectView<'a>>,
    pub reply_example: Option<String>,
    pub status_codes: Vec<&'a EndpointStatus>,
    pub request_example: Option<String>,
    pub usage: String,
    pub sources: Vec<SourceView<'a>>,
    pub disagreements: Vec<DisagreementView<'a>>,
}

#[derive(Serialize)]
pub struct RateLimitView<'a> {
    pub limit: &'a RateLimit,
    pub window: String,
    /// How long a passed limit blocks, or that no source says.
    pub block: String,
    /// What a passed limit blocks, in words.
    pub blocks: &'static str,
    /// The `ApiErrorKind` variant of the code answered past the limit, when the spec knows it.
    pub variant: Option<&'a str>,
    /// Other plans' limits, in words.
    pub plans: Vec<String>,
}

#[derive(Serialize)]
pub struct PagingView<'a> {
    pub paging: &'a crate::model::Paging,
    /// How it pages, from `emit::paging_prose`.
    pub how: String,
    /// The Rust name of the paginator methods' stem (the endpoint's).
    pub method: &'a str,
}

/// A note under a field's description in its table cell: a label the generator writes, and a
/// text that may hold spec prose, so the template escapes it with `cell` like every cell text.
#[derive(Serialize)]
pub struct CellNote {
    pub label: &'static str,
    pub text: String,
}

/// A request field (top level or of a request object).
#[derive(Serialize)]
pub struct FieldView<'a> {
    pub field: &'a Field,
    pub type_name: String,
    /// `body`, `query` or `path`.
    pub location: &'static str,
    /// Notes beside the description: deprecation, truncation past a limit.
    pub notes: Vec<CellNote>,
    /// How Rust code sets it: `argument 2 of new` or `setter`, and its JSON setter if any.
    pub role: String,
    pub limits: Vec<String>,
    /// The server's default, as inline markdown.
    pub default: Option<String>,
    /// Enum values the type allows, as `` `name = value` ``.
    pub allowed: Vec<String>,
}

/// A reply field (top level or of a reply object).
#[derive(Serialize)]
pub struct ReplyFieldView<'a> {
    pub field: &'a Field,
    pub type_name: String,
    pub lenient: Vec<String>,
    /// What an absent field means, when the sources say.
    pub default: Option<String>,
}

#[derive(Serialize)]
pub struct RequestObjectView<'a> {
    pub object: &'a ObjectDef,
    /// Its Rust path, e.g. `yunxin_im::types::PushConfig`.
    pub rust_path: String,
    pub fields: Vec<FieldView<'a>>,
}

#[derive(Serialize)]
pub struct ReplyObjectView<'a> {
    pub object: &'a ObjectDef,
    pub rust_path: String,
    pub fields: Vec<ReplyFieldView<'a>>,
}

#[derive(Serialize)]
pub struct EnumView<'a> {
    pub def: &'a EnumDef,
    pub rust_path: String,
}

#[derive(Serialize)]
pub struct RuleView<'a> {
    pub sentence: String,
    pub description: &'a str,
    /// `refused` or `warning`.
    pub severity: &'static str,
    pub sources: &'a [String],
}

#[derive(Serialize)]
pub struct DisagreementView<'a> {
    pub topic: &'a str,
    pub pages: Vec<PageSays<'a>>,
    pub settled: &'a str,
}

#[derive(Serialize)]
pub struct PageSays<'a> {
    pub id: &'a str,
    pub date: String,
    pub says: &'a str,
}

/// A source page with its date in words.
#[derive(Serialize)]
pub struct SourceView<'a> {
    pub page: &'a Page,
    pub date: String,
}

/// The index's short rate-limit text: `120 calls / 60 s, then blocked 60 s (code 416)`.
fn rate_limit_short(limit: Option<&RateLimit>) -> String {
    let Some(limit) = limit else {
        return "not documented".into();
    };
    let block = limit
        .block_seconds
        .map_or("for an undocumented time".to_owned(), |b| format!("{b} s"));
    format!(
        "{} calls / {} s, then blocked {block} (code {})",
        limit.calls, limit.window_seconds, limit.code
    )
}

/// The Rust path of a named type: shared ones in `types`, inline ones in their endpoint's module.
pub fn rust_path(scope: Option<&str>, name: &str) -> String {
    format!("yunxin_im::{}::{name}", scope.unwrap_or("types"))
}

pub fn index(model: &Model) -> IndexView<'_> {
    let rows = |domain: Option<&str>| -> Vec<IndexRow<'_>> {
        model
            .endpoints
            .iter()
            .filter(|e| e.domain.as_deref() == domain)
            .map(|endpoint| IndexRow {
                endpoint,
                rate_limit: rate_limit_short(endpoint.rate_limit.as_ref()),
            })
            .collect()
    };
    let mut groups: Vec<IndexGroup<'_>> = model
        .domains
        .iter()
        .map(|domain| IndexGroup {
            domain: Some(domain),
            endpoints: rows(Some(&domain.name)),
        })
        .filter(|group| !group.endpoints.is_empty())
        .collect();
    let ungrouped = rows(None);
    if !ungrouped.is_empty() {
        groups.push(IndexGroup {
            domain: None,
            endpoints: ungrouped,
        });
    }
    IndexView {
        header: markdown_header(model),
        model,
        groups,
        sources: model
            .pages
            .iter()
            .map(|page| SourceView {
                page,
                date: page.date_text(),
            })
            .collect(),
    }
}

pub fn page<'a>(model: &'a Model, endpoint: &'a Endpoint) -> PageView<'a> {
    // The checker makes sure every generation an endpoint uses has hosts.
    let host_set = model.hosts.iter().find(|h| h.api == endpoint.api);
    let host = host_set.map_or("", |h| h.default.as_str());
    let default_url = format!("{}{}", host.trim_end_matches('/'), endpoint.path);
    let mut used = Used::default();
    for f in &endpoint.fields {
        used.visit(model, &f.ty, Side::Request);
    }
    for f in &endpoint.reply.fields {
        used.visit(model, &f.ty, Side::Reply);
    }
    let rules = endpoint
        .rules
        .iter()
        .map(|r| RuleView {
            sentence: prose::rule(r),
            description: &r.description,
            severity: match r.severity {
                crate::model::Severity::Error => "refused",
                crate::model::Severity::Warning => "warning",
            },
            sources: &r.sources,
        })
        .collect();
    let usage = snippet::usage_program(model, endpoint);
    let request_example = endpoint.example.as_ref().map(|x| pretty_json(&x.json));
    let reply_example =
        endpoint
            .reply
            .example
            .as_deref()
            .map(|text| match serde_json::from_str(text) {
                Ok(value) => pretty_json(&value),
                Err(_) => text.to_owned(),
            });
    PageView {
        header: markdown_header(model),
        endpoint,
        request_type: endpoint.request_type(),
        reply_type: endpoint.reply_type(),
        host_set,
        default_url,
        rate_limit: endpoint.rate_limit.as_ref().map(|limit| RateLimitView {
            limit,
            window: prose::seconds(limit.window_seconds),
            block: limit.block_seconds.map_or_else(
                || "a time no source states (the client waits a configurable default)".to_owned(),
                prose::seconds,
            ),
            blocks: match limit.blocks {
                crate::model::Blocks::App => "every endpoint of the application",
                crate::model::Blocks::Endpoint => "this endpoint",
            },
            variant: model
                .status_codes
                .iter()
                .find(|s| s.code == limit.code)
                .map(|s| s.variant.as_str()),
            plans: limit
                .plans
                .iter()
                .map(|p| {
                    format!(
                        "{}: {} calls per {}{}",
                        p.plan,
                        p.calls,
                        prose::seconds(p.window_seconds),
                        p.note
                            .as_deref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default()
                    )
                })
                .collect(),
        }),
        parameters_travel: parameters_travel(endpoint),
        has_body: endpoint.has_body(),
        paging: endpoint.paging.as_ref().map(|paging| PagingView {
            paging,
            how: crate::emit::paging_prose::how(paging),
            method: &endpoint.name,
        }),
        deprecated: endpoint.deprecated.as_ref().map(|d| d.text()),
        fields: request_fields(model, &endpoint.fields),
        request_objects: used
            .request_objects
            .iter()
            .map(|o| RequestObjectView {
                object: o,
                rust_path: rust_path(o.scope.as_deref(), &o.name),
                fields: request_fields(model, &o.fields),
            })
            .collect(),
        enums: used
            .enums
            .iter()
            .map(|def| EnumView {
                def,
                rust_path: rust_path(def.scope.as_deref(), &def.name),
            })
            .collect(),
        rules,
        reply_fields: reply_fields(&endpoint.reply.fields),
        reply_objects: used
            .reply_objects
            .iter()
            .map(|o| ReplyObjectView {
                object: o,
                rust_path: rust_path(o.scope.as_deref(), &o.name),
                fields: reply_fields(&o.fields),
            })
            .collect(),
        reply_example,
        status_codes: endpoint.status_codes.iter().collect(),
        request_example,
        usage,
        sources: sources(model, endpoint, &used),
        disagreements: disagreements(model, endpoint),
    }
}

/// Where the parameters of a request travel, in words.
fn parameters_travel(e: &Endpoint) -> String {
    use crate::model::Location;
    let body = match e.api {
        crate::model::Api::V1 => "the form body",
        crate::model::Api::V2 => "the JSON body",
    };
    let mut parts = Vec::new();
    if e.fields_in(Location::Path).next().is_some() {
        parts.push("path parameters fill the `{…}` segments of the path, each percent-encoded as one segment (so `|` and `/` inside a value travel as `%7C` and `%2F`); an empty value, `.` or `..` is refused, as it would name another route".to_owned());
    }
    if e.fields_in(Location::Query).next().is_some() {
        parts.push("query parameters travel in the URL's query string".to_owned());
    }
    if e.fields_in(Location::Body).next().is_some() {
        // "The others" only after path or query parameters were named.
        let which = if parts.is_empty() {
            "all parameters"
        } else {
            "the others"
        };
        parts.push(format!("{which} travel in {body}"));
    } else if !e.has_body() {
        parts.push("a request carries no body".to_owned());
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}

fn pretty_json(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn request_fields<'a>(model: &'a Model, fields: &'a [Field]) -> Vec<FieldView<'a>> {
    let mut position = 0;
    fields
        .iter()
        .map(|field| {
            let mut role = if field.required {
                position += 1;
                format!("argument {position} of `new`")
            } else {
                "setter".to_owned()
            };
            if field.ty == crate::model::Ty::Json {
                // The JSON setter takes any Serialize value; say what it sends.
                role.push_str(&format!(
                    ", or `{}(&value)` with any `Serialize` value, sent as its compact JSON text",
                    crate::names::json_setter(&field.rust)
                ));
            }
            let mut notes = Vec::new();
            if let Some(d) = &field.deprecated {
                notes.push(CellNote {
                    label: "Deprecated:",
                    text: d.text(),
                });
            }
            if field.over_limit == crate::model::OverLimit::Truncated {
                notes.push(CellNote {
                    label: "Past the limit",
                    text: "the server truncates the value; the client warns and still sends."
                        .to_owned(),
                });
            }
            let mut limits: Vec<String> = prose::limits(&field.limits, field.size_unit())
                .into_iter()
                .map(|l| match field.ty {
                    // A list's pattern applies to each item.
                    Ty::List(_) if l.starts_with("matches ") => format!("each item {l}"),
                    _ => l,
                })
                .collect();
            if field.location == crate::model::Location::Path && field.ty.is_string() {
                // Mirrors the generated check: such a value would not stay one segment.
                limits.push("not empty, `.` or `..`".to_owned());
            }
            FieldView {
                field,
                type_name: field.ty.spec_name(),
                location: field.location.name(),
                notes,
                role,
                limits,
                default: field.default.as_ref().map(prose::literal),
                allowed: allowed(model, &field.ty),
            }
        })
        .collect()
}

fn reply_fields(fields: &[Field]) -> Vec<ReplyFieldView<'_>> {
    fields
        .iter()
        .map(|field| ReplyFieldView {
            field,
            type_name: field.ty.spec_name(),
            lenient: prose::lenience(&field.lenience),
            default: field.default.as_ref().map(prose::literal),
        })
        .collect()
}

/// The values of the enum a type holds (directly or as list items or map values).
fn allowed(model: &Model, ty: &Ty) -> Vec<String> {
    match ty {
        Ty::Enum(name) => model
            .enum_def(name)
            .map(|e| {
                e.values
                    .iter()
                    .map(|v| code(&format!("{} = {}", v.name, v.value)))
                    .collect()
            })
            .unwrap_or_default(),
        Ty::List(inner) | Ty::Map(inner) => allowed(model, inner),
        _ => Vec::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Reply,
}

/// The named types a page uses, each once, in the order first met.
#[derive(Default)]
struct Used<'a> {
    request_objects: Vec<&'a ObjectDef>,
    reply_objects: Vec<&'a ObjectDef>,
    enums: Vec<&'a EnumDef>,
}

impl<'a> Used<'a> {
    /// Records the named types `ty` uses (the checker resolved every name in a model).
    fn visit(&mut self, model: &'a Model, ty: &Ty, side: Side) {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => self.visit(model, inner, side),
            Ty::Enum(name) => {
                if let Some(def) = model.enum_def(name) {
                    if !self.enums.iter().any(|e| e.name == def.name) {
                        self.enums.push(def);
                    }
                }
            }
            Ty::Object(name) => {
                let Some(def) = model.object(name) else {
                    return;
                };
                let seen = self
                    .request_objects
                    .iter()
                    .chain(&self.reply_objects)
                    .any(|o| o.name == def.name);
                if seen {
                    return;
                }
                match side {
                    Side::Request => self.request_objects.push(def),
                    Side::Reply => self.reply_objects.push(def),
                }
                for f in &def.fields {
                    self.visit(model, &f.ty, side);
                }
            }
            _ => {}
        }
    }
}

/// The pages the endpoint, its fields, the types it uses and its disagreements cite, in the spec's page order.
fn sources<'a>(model: &'a Model, endpoint: &Endpoint, used: &Used) -> Vec<SourceView<'a>> {
    let mut ids: BTreeSet<&str> = endpoint.sources.iter().map(String::as_str).collect();
    let fields = endpoint.fields.iter().chain(&endpoint.reply.fields).chain(
        used.request_objects
            .iter()
            .chain(&used.reply_objects)
            .flat_map(|o| &o.fields),
    );
    for f in fields {
        ids.extend(f.sources.iter().map(String::as_str));
    }
    for o in used.request_objects.iter().chain(&used.reply_objects) {
        ids.extend(o.sources.iter().map(String::as_str));
    }
    for e in &used.enums {
        ids.extend(e.sources.iter().map(String::as_str));
    }
    for d in &endpoint.disagreements {
        ids.extend(d.pages.iter().map(|(id, _)| id.as_str()));
    }
    for r in &endpoint.rules {
        ids.extend(r.sources.iter().map(String::as_str));
    }
    for e in &used.enums {
        for v in &e.values {
            ids.extend(v.sources.iter().map(String::as_str));
        }
    }
    if let Some(limit) = &endpoint.rate_limit {
        ids.extend(limit.sources.iter().map(String::as_str));
    }
    if let Some(d) = &endpoint.deprecated {
        ids.extend(d.sources.iter().map(String::as_str));
    }
    model
        .pages
        .iter()
        .filter(|p| ids.contains(p.id.as_str()))
        .map(|page| SourceView {
            page,
            date: page.date_text(),
        })
        .collect()
}

fn disagreements<'a>(model: &'a Model, endpoint: &'a Endpoint) -> Vec<DisagreementView<'a>> {
    endpoint
        .disagreements
        .iter()
        .map(|d| DisagreementView {
            topic: &d.topic,
            pages: d
                .pages
                .iter()
                .map(|(id, says)| PageSays {
                    id,
                    date: model.page(id).map(Page::date_text).unwrap_or_default(),
                    says,
                })
                .collect(),
            settled: &d.settled,
        })
        .collect()
}
