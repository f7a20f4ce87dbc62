//! Compares the SDK record with the spec: endpoints, request fields and reply fields one has and
//! the other lacks, and request fields sent elsewhere. A difference on a field is excused when the spec endpoint
//! has a `disagreements` entry whose topic names the field's wire name in backquotes
//! (`` Where `type` travels ``): the maintainers settled it.

use crate::draft::{SpecEndpoint, SpecIndex};
use crate::record::{Endpoint, Record};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// An endpoint the SDKs call that the spec lacks.
    MissingEndpoint { key: String, name: String },
    /// A spec endpoint citing an SDK that neither SDK calls.
    SpecOnlyEndpoint { name: String, key: String },
    /// A request field of a matched endpoint.
    Field {
        endpoint: String,
        wire: String,
        problem: String,
        excused: bool,
    },
    /// A top-level reply field of a matched endpoint (v2: a field of `data`).
    ReplyField {
        endpoint: String,
        wire: String,
        problem: String,
        excused: bool,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::MissingEndpoint { key, name } => {
                write!(f, "missing in spec: endpoint {key} (draft name {name})")
            }
            Difference::SpecOnlyEndpoint { name, key } => write!(
                f,
                "missing in SDKs: endpoint {name} ({key}) cites an SDK that does not call it"
            ),
            Difference::Field {
                endpoint,
                wire,
                problem,
                excused,
            } => write_field(f, endpoint, "field", wire, problem, *excused),
            Difference::ReplyField {
                endpoint,
                wire,
                problem,
                excused,
            } => write_field(f, endpoint, "reply field", wire, problem, *excused),
        }
    }
}

fn write_field(
    f: &mut std::fmt::Formatter<'_>,
    endpoint: &str,
    what: &str,
    wire: &str,
    problem: &str,
    excused: bool,
) -> std::fmt::Result {
    write!(f, "{endpoint}: {what} `{wire}`: {problem}")?;
    if excused {
        write!(f, " (excused: settled in the spec's disagreements)")?;
    }
    Ok(())
}

impl Difference {
    pub fn counts(&self) -> bool {
        !matches!(
            self,
            Difference::Field { excused: true, .. } | Difference::ReplyField { excused: true, .. }
        )
    }
}

fn names_field(topics: &[String], wire: &str) -> bool {
    let quoted = format!("`{wire}`");
    topics.iter().any(|t| t.contains(&quoted))
}

pub fn compare(record: &Record, spec: &SpecIndex) -> Vec<Difference> {
    let mut out = Vec::new();
    for endpoint in &record.endpoints {
        match spec.find(endpoint) {
            None => out.push(Difference::MissingEndpoint {
                key: endpoint.key.clone(),
                name: endpoint.name.clone(),
            }),
            Some(s) => {
                out.extend(compare_fields(endpoint, s));
                out.extend(compare_reply(endpoint, s));
            }
        }
    }
    for s in &spec.endpoints {
        let cites_sdk = s.sources.iter().any(|p| p == "sdk_go" || p == "sdk_java");
        let path = crate::record::normalise_path(&s.path);
        let called = record.endpoints.iter().any(|e| {
            crate::record::normalise_path(&e.path) == path && e.methods.contains(&s.method)
        });
        if cites_sdk && !called {
            out.push(Difference::SpecOnlyEndpoint {
                name: s.name.clone(),
                key: format!("{} {}", s.method, path),
            });
        }
    }
    out
}

fn compare_fields(endpoint: &Endpoint, spec: &SpecEndpoint) -> Vec<Difference> {
    let mut out = Vec::new();
    let params = crate::record::path_params(&spec.path);
    let field = |wire: &str, problem: String| Difference::Field {
        endpoint: spec.name.clone(),
        wire: wire.to_string(),
        excused: names_field(&spec.topics, wire),
        problem,
    };
    for f in &endpoint.fields {
        // A path parameter the SDKs name differently is the same parameter.
        let is_param = f.all_placements == [crate::record::Placement::Path];
        match spec.fields.iter().find(|(w, _)| w == &f.wire) {
            None if is_param
                && params.len() == crate::record::path_params(&endpoint.path).len() => {}
            None => out.push(field(&f.wire, "missing in spec".into())),
            Some((_, place)) if !f.all_placements.contains(place) => out.push(field(
                &f.wire,
                format!(
                    "spec sends it in the {}, the SDKs in the {}",
                    place.as_str(),
                    f.all_placements
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(" and the ")
                ),
            )),
            Some(_) => {}
        }
    }
    for (wire, place) in &spec.fields {
        if *place == crate::record::Placement::Path {
            continue;
        }
        if !endpoint.fields.iter().any(|f| &f.wire == wire) {
            out.push(field(wire, "missing in SDKs".into()));
        }
    }
    out
}

/// A v1 reply's envelope, which the spec describes once for every endpoint (`api.yaml`).
const V1_ENVELOPE: &[&str] = &["code", "desc"];

/// Reply fields, by wire name at the top level: the SDKs' reply types against the spec's. An
/// SDK that models no reply (nothing read back) is not a difference.
fn compare_reply(endpoint: &Endpoint, spec: &SpecEndpoint) -> Vec<Difference> {
    let envelope: &[&str] = if endpoint.api == "v1" {
        V1_ENVELOPE
    } else {
        &[]
    };
    if endpoint
        .reply
        .iter()
        .all(|f| envelope.contains(&f.wire.as_str()))
    {
        return Vec::new();
    }
    let field = |wire: &str, problem: &str| Difference::ReplyField {
        endpoint: spec.name.clone(),
        wire: wire.to_string(),
        excused: names_field(&spec.topics, wire),
        problem: problem.to_string(),
    };
    let mut out: Vec<Difference> = endpoint
        .reply
        .iter()
        .filter(|f| !spec.reply.contains(&f.wire) && !envelope.contains(&f.wire.as_str()))
        .map(|f| field(&f.wire, "missing in spec"))
        .collect();
    out.extend(
        spec.reply
            .iter()
            .filter(|w| !endpoint.reply.iter().any(|f| &&f.wire == w))
            .map(|w| field(w, "missing in SDKs")),
    );
    out
}
