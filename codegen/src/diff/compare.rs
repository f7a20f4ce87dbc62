//! The walk's driver and its endpoint level: path, method, rate limit, status codes, fields,
//! rules and reply of each endpoint; shared parts are in `shared`.

use super::fields::{Scope, Side, Stack};
use super::{Change, Class, Kind};
use crate::model::{Disagreement, Endpoint, Example, Model};

/// Collects the changes between two models.
pub(super) struct Differ<'a> {
    pub old: &'a Model,
    pub new: &'a Model,
    pub changes: Vec<Change>,
}

/// `text` as inline code on one line, safe in markdown whatever it holds: a line break inside a
/// code span would still end the list item or open a block (blocks are parsed before spans).
pub(super) fn code(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    crate::emit::docs::markdown::code(&one_line)
}

/// `[a, b]`.
pub(super) fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

impl Change {
    /// Sets the old and new values.
    pub(super) fn values(&mut self, old: impl ToString, new: impl ToString) -> &mut Change {
        self.old = Some(old.to_string());
        self.new = Some(new.to_string());
        self
    }
}

impl<'a> Differ<'a> {
    pub fn new(old: &'a Model, new: &'a Model) -> Self {
        Differ {
            old,
            new,
            changes: Vec::new(),
        }
    }

    /// Records `change`; returns it so values can be set.
    pub(super) fn push(&mut self, change: Change) -> &mut Change {
        self.changes.push(change);
        self.changes.last_mut().expect("just pushed")
    }

    /// Records a change without values; returns it so values can be set.
    pub(super) fn record(
        &mut self,
        endpoint: &str,
        spec: String,
        kind: Kind,
        class: Class,
        text: String,
    ) -> &mut Change {
        self.push(Change {
            endpoint: endpoint.to_owned(),
            spec_path: spec,
            kind,
            old: None,
            new: None,
            class,
            text,
        })
    }

    /// A documentation text that may have changed: `what changed`.
    pub(super) fn docs(&mut self, endpoint: &str, spec: &str, what: &str, old: &str, new: &str) {
        if old != new {
            self.record(
                endpoint,
                spec.to_owned(),
                Kind::Docs,
                Class::DocsOnly,
                format!("{what} changed"),
            )
            .values(old, new);
        }
    }

    /// An optional documentation text: added, removed or changed.
    pub(super) fn docs_opt(
        &mut self,
        endpoint: &str,
        spec: &str,
        what: &str,
        old: &Option<String>,
        new: &Option<String>,
    ) {
        let verb = match (old, new) {
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            (Some(a), Some(b)) if a != b => "changed",
            _ => return,
        };
        let c = self.record(
            endpoint,
            spec.to_owned(),
            Kind::Docs,
            Class::DocsOnly,
            format!("{what} {verb}"),
        );
        (c.old, c.new) = (old.clone(), new.clone());
    }

    pub fn run(&mut self) {
        let (old, new) = (self.old, self.new);
        for o in &old.endpoints {
            if !new.endpoints.iter().any(|n| n.name == o.name) {
                let was = if o.deprecated.is_some() {
                    ", was deprecated"
                } else {
                    ""
                };
                let text = format!("endpoint removed ({} {}{was})", o.method, code(&o.path));
                self.record(
                    &o.name,
                    format!("endpoints.{}", o.name),
                    Kind::EndpointRemoved,
                    Class::Breaking,
                    text,
                )
                .old = Some(o.path.clone());
            }
        }
        for n in &new.endpoints {
            match old.endpoints.iter().find(|o| o.name == n.name) {
                Some(o) => self.endpoint(o, n),
                None => {
                    let text = format!(
                        "new endpoint ({} {}, {})",
                        n.method,
                        code(&n.path),
                        n.api.name()
                    );
                    self.record(
                        &n.name,
                        format!("endpoints.{}", n.name),
                        Kind::EndpointAdded,
                        Class::Compatible,
                        text,
                    )
                    .new = Some(n.path.clone());
                }
            }
        }
        self.shared();
        self.types();
    }

    fn endpoint(&mut self, o: &Endpoint, n: &Endpoint) {
        fn body_name(e: &Endpoint) -> &'static str {
            match (e.multipart, e.api) {
                (true, _) => "multipart",
                (false, crate::model::Api::V1) => "form",
                (false, crate::model::Api::V2) => "json",
            }
        }
        let ep = n.name.as_str();
        let root = format!("endpoints.{ep}");
        let at = |key: &str| format!("{root}.{key}");
        let breaking = [
            (
                Kind::ApiChanged,
                "api",
                "API generation",
                o.api.name().to_owned(),
                n.api.name().to_owned(),
            ),
            (
                Kind::MethodChanged,
                "method",
                "method",
                o.method.to_string(),
                n.method.to_string(),
            ),
            (
                Kind::PathChanged,
                "path",
                "path",
                o.path.clone(),
                n.path.clone(),
            ),
            // The server reads the other encoding as another request.
            (
                Kind::BodyChanged,
                "body",
                "body encoding",
                body_name(o).to_owned(),
                body_name(n).to_owned(),
            ),
        ];
        for (kind, key, what, a, b) in breaking {
            if a != b {
                self.record(
                    ep,
                    at(key),
                    kind,
                    Class::Breaking,
                    format!("{what} {} → {}", code(&a), code(&b)),
                )
                .values(a, b);
            }
        }
        self.docs(ep, &at("summary"), "summary", &o.summary, &n.summary);
        // The module path stays, but the cargo feature that compiles it is the domain's: a build
        // that enables only the old domain loses the endpoint.
        if o.domain != n.domain {
            let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_owned());
            let (a, b) = (show(&o.domain), show(&n.domain));
            let text = format!(
                "moved from domain {} to {}: builds that enable only the old domain's feature lose it",
                code(&a),
                code(&b)
            );
            self.record(ep, root.clone(), Kind::DomainChanged, Class::Breaking, text)
                .values(a, b);
        }
        self.docs(
            ep,
            &at("description"),
            "description",
            &o.description,
            &n.description,
        );
        if o.hosts != n.hosts {
            // The client sends to these hosts, in order, unless the user sets others: where it
            // sends changes, not what the user writes.
            let (a, b) = (list(&o.hosts), list(&n.hosts));
            let text = format!("hosts {} → {}", code(&a), code(&b));
            self.record(ep, at("hosts"), Kind::HostsChanged, Class::Compatible, text)
                .values(a, b);
        }
        self.rate_limit(ep, &root, o.rate_limit.as_ref(), n.rate_limit.as_ref());
        self.fan_out(ep, &root, o.fan_out.as_ref(), n.fan_out.as_ref());
        self.paging(ep, &root, o.paging.as_ref(), n.paging.as_ref());
        let subject = format!("endpoint {}", code(ep));
        self.deprecation(
            ep,
            &root,
            &subject,
            Some("its request and reply types and client method become `#[deprecated]`"),
            o.deprecated.as_ref(),
            n.deprecated.as_ref(),
        );
        self.docs(
            ep,
            &at("sources"),
            "sources",
            &list(&o.sources),
            &list(&n.sources),
        );
        self.disagreements(o, n);
        self.endpoint_status(o, n);
        let fields = Scope {
            endpoint: ep.to_owned(),
            side: Side::Request,
            display: String::new(),
            old_base: at("fields"),
            new_base: at("fields"),
        };
        self.field_list(&fields, &o.fields, &n.fields, &mut Stack::new());
        self.rules(ep, &root, &o.rules, &n.rules);
        self.docs(
            ep,
            &at("reply.description"),
            "reply description",
            &o.reply.description,
            &n.reply.description,
        );
        let reply = Scope {
            endpoint: ep.to_owned(),
            side: Side::Reply,
            display: "reply.".into(),
            old_base: at("reply.fields"),
            new_base: at("reply.fields"),
        };
        self.field_list(&reply, &o.reply.fields, &n.reply.fields, &mut Stack::new());
        self.docs_opt(
            ep,
            &at("reply.example"),
            "reply example",
            &o.reply.example,
            &n.reply.example,
        );
        self.docs_opt(
            ep,
            &at("reply.example_note"),
            "where the reply example comes from",
            &o.reply.example_note,
            &n.reply.example_note,
        );
        let show = |x: &Option<Example>| x.as_ref().map(|v| v.json.to_string());
        self.docs_opt(
            ep,
            &at("example"),
            "request example",
            &show(&o.example),
            &show(&n.example),
        );
        let note = |x: &Option<Example>| x.as_ref().and_then(|v| v.note.clone());
        self.docs_opt(
            ep,
            &at("example_note"),
            "where the request example comes from",
            &note(&o.example),
            &note(&n.example),
        );
    }

    fn disagreements(&mut self, o: &Endpoint, n: &Endpoint) {
        let ep = n.name.as_str();
        let spec = |i: usize| format!("endpoints.{ep}.disagreements[{i}]");
        let text = |d: &Disagreement| {
            let pages: Vec<String> = d.pages.iter().map(|(p, s)| format!("{p}: {s}")).collect();
            format!("{} Settled: {}", pages.join(" "), d.settled)
        };
        for (i, od) in o.disagreements.iter().enumerate() {
            if !n.disagreements.iter().any(|nd| nd.topic == od.topic) {
                let what = format!("disagreement {} removed", code(&od.topic));
                self.record(ep, spec(i), Kind::Docs, Class::DocsOnly, what)
                    .old = Some(text(od));
            }
        }
        for (i, nd) in n.disagreements.iter().enumerate() {
            match o.disagreements.iter().find(|od| od.topic == nd.topic) {
                None => {
                    let what = format!("disagreement {} added", code(&nd.topic));
                    self.record(ep, spec(i), Kind::Docs, Class::DocsOnly, what)
                        .new = Some(text(nd));
                }
                Some(od) => self.docs(
                    ep,
                    &spec(i),
                    &format!("disagreement {}", code(&nd.topic)),
                    &text(od),
                    &text(nd),
                ),
            }
        }
    }

    /// The codes an endpoint's page lists: documentation of what it may answer.
    fn endpoint_status(&mut self, o: &Endpoint, n: &Endpoint) {
        let ep = n.name.as_str();
        for os in o
            .status_codes
            .iter()
            .filter(|os| !n.status_codes.iter().any(|ns| ns.code == os.code))
        {
            let text = format!(
                "status code {} ({}) no longer listed",
                os.code,
                code(&os.kind)
            );
            self.record(
                ep,
                format!("endpoints.{ep}.status_codes.{}", os.code),
                Kind::StatusCodeRemoved,
                Class::Compatible,
                text,
            )
            .old = Some(os.code.to_string());
        }
        for ns in &n.status_codes {
            let spec = format!("endpoints.{ep}.status_codes.{}", ns.code);
            match o.status_codes.iter().find(|os| os.code == ns.code) {
                None => {
                    let text = format!("status code {} ({}) now listed", ns.code, code(&ns.kind));
                    self.record(ep, spec, Kind::StatusCodeAdded, Class::Compatible, text)
                        .new = Some(ns.code.to_string());
                }
                Some(os) => {
                    // A global code's kind is reported once, with api.yaml's codes.
                    if (os.local || ns.local) && os.kind != ns.kind {
                        let text = format!(
                            "status code {}: error kind {} → {}",
                            ns.code,
                            code(&os.variant),
                            code(&ns.variant)
                        );
                        self.record(
                            ep,
                            format!("{spec}.kind"),
                            Kind::StatusCodeChanged,
                            Class::Breaking,
                            text,
                        )
                        .values(&os.kind, &ns.kind);
                    }
                    self.docs(
                        ep,
                        &format!("{spec}.meaning"),
                        &format!("status code {}: meaning", ns.code),
                        &os.meaning,
                        &ns.meaning,
                    );
                    self.docs_opt(
                        ep,
                        &format!("{spec}.advice"),
                        &format!("status code {}: advice", ns.code),
                        &os.advice,
                        &ns.advice,
                    );
                }
            }
        }
    }
}
