//! Endpoints: generation, route, rate limit, sources, status codes, reply and example.

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
        if e.method != "POST" {
            self.err(
                file,
                &format!("{root}.method"),
                format!(
                    "method `{}` is not supported; every endpoint of this API is POST",
                    e.method
                ),
            );
        }
        if !e.path.starts_with('/') {
            self.err(file, &format!("{root}.path"), "path must start with `/`");
        }
        if e.hosts.is_empty() {
            self.err(
                file,
                &format!("{root}.hosts"),
                "name at least one host the pages give",
            );
        }
        let rl = &e.rate_limit;
        if rl.calls == 0 || rl.window_seconds == 0 {
            self.err(
                file,
                &format!("{root}.rate_limit"),
                "calls and window_seconds must be greater than 0",
            );
        }
        if !codes.iter().any(|c| c.code == rl.code) {
            self.err(
                file,
                &format!("{root}.rate_limit.code"),
                format!("code {} is not in api.yaml's status_codes", rl.code),
            );
        }
        if e.sources.is_empty() {
            self.err(
                file,
                &format!("{root}.sources"),
                "name at least one source page",
            );
        }
        let sources = self.check_pages(file, &format!("{root}.sources"), &e.sources);
        let mut disagreements = Vec::new();
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
            disagreements.push(Disagreement {
                topic: d.topic.clone(),
                pages: d
                    .pages
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                settled: d.settled.clone(),
            });
        }
        let mut status_codes = Vec::new();
        for (code, s) in &e.status_codes {
            match codes.iter().find(|c| c.code == *code) {
                Some(c) => status_codes.push(EndpointStatus {
                    code: *code,
                    kind: c.kind.clone(),
                    variant: c.variant.clone(),
                    meaning: s.meaning.clone(),
                    advice: s.advice.clone(),
                }),
                None => self.err(
                    file,
                    &format!("{root}.status_codes.{code}"),
                    format!("code {code} is not in api.yaml's status_codes"),
                ),
            }
        }
        if !e.status_codes.contains_key(&200) {
            self.err(file, &format!("{root}.status_codes"), "code 200 is missing");
        }
        let fields = self.fields(
            file,
            &format!("{root}.fields"),
            &e.fields,
            Place::Request(api),
        );
        let declared: Vec<String> = e.fields.keys().cloned().collect();
        let rules = e
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                self.rule(file, &format!("{root}.rules[{i}]"), r, &fields, &declared)
            })
            .collect();
        let reply_fields = self.fields(
            file,
            &format!("{root}.reply.fields"),
            &e.reply.fields,
            Place::Reply,
        );
        if let Some(example) = &e.reply.example {
            if serde_json::from_str::<serde_json::Value>(example).is_err() {
                self.err(
                    file,
                    &format!("{root}.reply.example"),
                    "the reply example is not valid JSON; record the valid JSON a server sends",
                );
            }
        }
        let example = e
            .example
            .as_ref()
            .and_then(|x| self.example(file, &format!("{root}.example"), x, &fields, &declared));
        let usage = match &example {
            Some(x) => x.fields.clone(),
            None => self.placeholder_fields(&fields, 0),
        };
        Some(Endpoint {
            name: name.to_owned(),
            type_stem: pascal_case(name),
            summary: e.summary.clone(),
            description: e.description.clone(),
            api,
            method: e.method.clone(),
            path: e.path.clone(),
            hosts: e.hosts.clone(),
            rate_limit: RateLimit {
                calls: rl.calls,
                window_seconds: rl.window_seconds,
                block_seconds: rl.block_seconds,
                code: rl.code,
                note: rl.note.clone(),
            },
            sources,
            disagreements,
            status_codes,
            fields,
            rules,
            reply: Reply {
                description: e.reply.description.clone(),
                fields: reply_fields,
                example: e.reply.example.clone(),
            },
            example,
            usage,
        })
    }
}
