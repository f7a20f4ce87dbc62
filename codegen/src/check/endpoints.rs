//! Endpoints: generation, sources, status codes, fields, rules, reply and example. The route
//! (method, path, parameters), the rate limit and paging are checked in `route.rs`.

use super::{is_snake_ident, Checker, Place};
use crate::model::*;
use crate::spec;

impl Checker<'_> {
    pub(super) fn endpoint(
        &mut self,
        name: &str,
        e: &spec::EndpointFile,
        file: usize,
        codes: &[StatusCode],
    ) -> Option<Endpoint> {
        let root = format!("endpoints.{name}");
        if !is_snake_ident(name) {
            self.err(file, &root, format!("endpoint file name `{name}` must be snake_case (it names a module and a method)"));
        } else {
            self.endpoint_name(file, &root, name);
        }
        let api = match e.api.as_str() {
            "v1" => Api::V1,
            "v2" => Api::V2,
            other => {
                self.err(
                    file,
                    &format!("{root}.api"),
                    format!("unknown API generation `{other}`; use v1 or v2"),
                );
                return None;
            }
        };
        if e.hosts.is_empty() {
            self.err(
                file,
                &format!("{root}.hosts"),
                "name at least one host the pages give",
            );
        }
        for (i, url) in e.hosts.iter().enumerate() {
            if let Some(problem) = super::contradictions::host_problem(url) {
                self.err(file, &format!("{root}.hosts[{i}]"), problem);
            }
        }
        if e.sources.is_empty() {
            self.err(
                file,
                &format!("{root}.sources"),
                "name at least one source page",
            );
        }
        let sources = self.check_pages(file, &format!("{root}.sources"), &e.sources);
        let disagreements = self.disagreements(file, &root, e);
        let status_codes = self.endpoint_status(file, &root, e, codes);
        let rate_limit = e
            .rate_limit
            .as_ref()
            .and_then(|rl| self.rate_limit(file, &format!("{root}.rate_limit"), rl, &status_codes));
        let deprecated = e
            .deprecated
            .as_ref()
            .map(|d| self.deprecation(file, &format!("{root}.deprecated"), d));
        if let Some(replacement) = e.deprecated.as_ref().and_then(|d| d.replacement.as_ref()) {
            let exists = self.raw.endpoints.iter().any(|(n, _, _)| n == replacement);
            if !exists || replacement == name {
                self.err(
                    file,
                    &format!("{root}.deprecated.replacement"),
                    format!("the replacement `{replacement}` is not another endpoint of the spec"),
                );
            }
        }
        self.scope = Some(name.to_owned());
        let fields = self.fields(
            file,
            &format!("{root}.fields"),
            &e.fields,
            Place::Request(api),
        );
        let method = self.route(file, &root, e, api, &fields);
        let multipart = self.body_kind(file, &root, e, api, &fields);
        let declared: Vec<String> = e.fields.keys().cloned().collect();
        let rules: Vec<(usize, Rule)> = e
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let path = format!("{root}.rules[{i}]");
                let rule = self.rule(file, &path, r, &fields, &declared, &sources)?;
                Some((i, rule))
            })
            .collect();
        self.opposed_rules(file, &root, &rules);
        let rules: Vec<Rule> = rules.into_iter().map(|(_, r)| r).collect();
        let reply_fields = self.fields(
            file,
            &format!("{root}.reply.fields"),
            &e.reply.fields,
            Place::Reply,
        );
        self.scope = None;
        if let Some(example) = &e.reply.example {
            if serde_json::from_str::<serde_json::Value>(example).is_err() {
                self.err(
                    file,
                    &format!("{root}.reply.example"),
                    "the reply example is not valid JSON; record the valid JSON a server sends",
                );
            }
        }
        let paging = e
            .paging
            .as_ref()
            .and_then(|p| self.paging(file, &format!("{root}.paging"), p, &fields, &reply_fields));
        let fan_out = e.fan_out.as_ref().and_then(|f| {
            self.fan_out(
                file,
                &format!("{root}.fan_out"),
                f,
                api,
                &fields,
                &rules,
                &reply_fields,
            )
        });
        let example = e
            .example
            .as_ref()
            .and_then(|x| self.example(file, &format!("{root}.example"), x, &fields, &declared))
            .map(|x| Example {
                note: e.example_note.clone(),
                ..x
            });
        for (note, example, at) in [
            (&e.example_note, e.example.is_some(), "example_note"),
            (
                &e.reply.example_note,
                e.reply.example.is_some(),
                "reply.example_note",
            ),
        ] {
            if note.is_some() && !example {
                self.err(
                    file,
                    &format!("{root}.{at}"),
                    "a note on where the example comes from needs the example",
                );
            }
        }
        let usage = match &example {
            Some(x) => x.fields.clone(),
            None => self.placeholder_fields(&fields, 0),
        };
        Some(Endpoint {
            name: name.to_owned(),
            domain: self.raw.domain_of(file).map(str::to_owned),
            type_stem: pascal_case(name),
            summary: e.summary.clone(),
            description: e.description.clone(),
            api,
            method: method?,
            path: e.path.clone(),
            hosts: e.hosts.clone(),
            rate_limit,
            deprecated,
            paging,
            fan_out,
            sources,
            disagreements,
            status_codes,
            fields,
            multipart,
            rules,
            reply: Reply {
                description: e.reply.description.clone(),
                fields: reply_fields,
                example: e.reply.example.clone(),
                example_note: e.reply.example_note.clone(),
            },
            example,
            usage,
        })
    }

    fn disagreements(
        &mut self,
        file: usize,
        root: &str,
        e: &spec::EndpointFile,
    ) -> Vec<Disagreement> {
        let mut out = Vec::new();
        for (i, d) in e.disagreements.iter().enumerate() {
            for id in d.pages.keys() {
                if !self.raw.api.pages.contains_key(id) {
                    self.err(
                        file,
                        &format!("{root}.disagreements[{i}].pages.{id}"),
                        format!("unknown page `{id}`"),
                    );
                }
            }
            if d.pages.is_empty() {
                self.err(
                    file,
                    &format!("{root}.disagreements[{i}].pages"),
                    "say what each source says: at least one page",
                );
            }
            out.push(Disagreement {
                topic: d.topic.clone(),
                pages: d
                    .pages
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                settled: d.settled.clone(),
            });
        }
        out
    }

    /// The codes the endpoint's page lists: API-wide ones by code, local ones with their kind.
    fn endpoint_status(
        &mut self,
        file: usize,
        root: &str,
        e: &spec::EndpointFile,
        codes: &[StatusCode],
    ) -> Vec<EndpointStatus> {
        let mut out = Vec::new();
        for (code, s) in &e.status_codes {
            let path = format!("{root}.status_codes.{code}");
            let global = codes.iter().find(|c| c.code == *code);
            match (global, &s.kind) {
                (Some(c), None) => out.push(EndpointStatus {
                    code: *code,
                    local: false,
                    kind: c.kind.clone(),
                    variant: c.variant.clone(),
                    meaning: s.meaning.clone(),
                    advice: s.advice.clone(),
                }),
                (Some(_), Some(_)) => self.err(
                    file,
                    &format!("{path}.kind"),
                    format!("code {code} is in api.yaml, which gives its kind; leave `kind` out here"),
                ),
                (None, Some(kind)) if super::is_snake_ident(kind) => {
                    if codes.iter().any(|c| &c.kind == kind) {
                        self.err(
                            file,
                            &format!("{path}.kind"),
                            format!("kind `{kind}` is already api.yaml's for another code"),
                        );
                    }
                    out.push(EndpointStatus {
                        code: *code,
                        local: true,
                        kind: kind.clone(),
                        variant: pascal_case(kind),
                        meaning: s.meaning.clone(),
                        advice: s.advice.clone(),
                    });
                }
                (None, Some(kind)) => self.err(
                    file,
                    &format!("{path}.kind"),
                    format!("kind `{kind}` must be snake_case"),
                ),
                (None, None) => self.err(
                    file,
                    &path,
                    format!("code {code} is not in api.yaml's status_codes; declare it there, or give it a `kind` here if only this endpoint has it"),
                ),
            }
        }
        if !e.status_codes.contains_key(&200) {
            self.err(file, &format!("{root}.status_codes"), "code 200 is missing");
        }
        out
    }
}
