//! Merges the calls both SDKs make into one endpoint each, recording every disagreement, and
//! names the endpoints.

use crate::domains::domain_of;
use crate::record::{
    normalise_path, Call, Constant, Disagreement, Endpoint, Field, Placement, Record, Sdk,
};
use std::collections::{BTreeMap, BTreeSet};

/// Rewrites the names in a type expression (`list<@Item>`): `f` gets each `@`-marked name.
pub fn map_names(ty: &str, f: &mut dyn FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String, f: &mut dyn FnMut(&str) -> String| {
        if let Some(name) = token.strip_prefix('@') {
            out.push_str(&f(name));
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in ty.chars() {
        if c.is_alphanumeric() || c == '_' || c == '@' {
            token.push(c);
        } else {
            flush(&mut token, &mut out, f);
            out.push(c);
        }
    }
    flush(&mut token, &mut out, f);
    out
}

/// The object names a type expression mentions.
pub fn object_names(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| {
            !t.is_empty()
                && !matches!(
                    *t,
                    "string" | "int" | "long" | "float" | "bool" | "any" | "list" | "map" | "json"
                )
        })
        .map(str::to_string)
        .collect()
}

/// A v1 reply: the SDK reads `keys` from the body. A key the response type lacks holds the
/// response type itself (`info` holding the account); several such keys are kept as `any`.
pub fn wrap_v1_reply(
    reply: Vec<Field>,
    keys: &[String],
    response: Option<&str>,
    types: &mut BTreeMap<String, Vec<Field>>,
) -> Vec<Field> {
    let unknown: Vec<&String> = keys
        .iter()
        .filter(|k| !reply.iter().any(|f| &f.wire == *k))
        .collect();
    let field = |wire: &str, ty: &str| Field {
        wire: wire.to_string(),
        ty: ty.to_string(),
        placements: vec![],
        required: false,
        doc: None,
        all_placements: vec![],
        sdks: vec![],
    };
    match (unknown.as_slice(), response) {
        ([], _) => reply,
        ([key], Some(name)) if !reply.is_empty() => {
            types.insert(name.to_string(), reply);
            vec![field(key, name)]
        }
        _ => {
            let mut out = reply;
            out.extend(unknown.iter().map(|k| field(k, "any")));
            out
        }
    }
}

type Group = BTreeMap<Sdk, Call>;

pub fn merge(calls: Vec<Call>, constants: Vec<Constant>) -> Record {
    // One call per SDK and endpoint: a second method calling the same URL adds its fields.
    let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
    for call in calls {
        let key = (normalise_path(&call.path), call.http_method.clone());
        let group = groups.entry(key).or_default();
        match group.get_mut(&call.sdk) {
            Some(first) => absorb(first, call),
            None => {
                group.insert(call.sdk, call);
            }
        }
    }
    // Calls one SDK makes with one method and the other with another: one endpoint.
    let keys: Vec<(String, String)> = groups.keys().cloned().collect();
    for key in &keys {
        let Some(group) = groups.get(key) else {
            continue;
        };
        if group.len() != 1 || !group.contains_key(&Sdk::Go) {
            continue;
        }
        let partner = keys.iter().find(|k| {
            k.0 == key.0
                && k.1 != key.1
                && groups
                    .get(*k)
                    .is_some_and(|g| g.len() == 1 && g.contains_key(&Sdk::Java))
        });
        if let Some(partner) = partner.cloned() {
            let java = groups
                .remove(&partner)
                .and_then(|mut g| g.remove(&Sdk::Java));
            if let (Some(group), Some(java)) = (groups.get_mut(key), java) {
                group.insert(Sdk::Java, java);
            }
        }
    }
    let mut endpoints: Vec<Endpoint> = groups.into_values().map(endpoint).collect();
    endpoints.sort_by(|a, b| a.key.cmp(&b.key));
    name_endpoints(&mut endpoints);
    let mut unused: Vec<Constant> = constants.into_iter().filter(|c| !c.used).collect();
    unused.sort();
    Record {
        endpoints,
        unused_constants: unused,
    }
}

fn absorb(first: &mut Call, other: Call) {
    for f in other.fields {
        if !first.fields.iter().any(|g| g.wire == f.wire) {
            first.fields.push(f);
        }
    }
    for (name, fields) in other.types {
        first.types.entry(name).or_insert(fields);
    }
}

fn endpoint(group: Group) -> Endpoint {
    let calls: Vec<Call> = group.into_values().collect();
    let primary = &calls[0];
    let sdks: Vec<Sdk> = calls.iter().map(|c| c.sdk).collect();
    let mut methods: Vec<String> = calls.iter().map(|c| c.http_method.clone()).collect();
    methods.dedup();
    let mut disagreements = Vec::new();
    if methods.len() > 1 {
        disagreements.push(Disagreement {
            topic: "HTTP method".into(),
            field: None,
            pages: calls
                .iter()
                .map(|c| {
                    (
                        c.sdk,
                        format!("{} {} ({}).", c.http_method, c.path, c.method_name),
                    )
                })
                .collect(),
            settled: format!(
                "{}, {}'s (the newer SDK), pending a page.",
                primary.http_method,
                primary.sdk.title()
            ),
        });
    }
    if calls.len() == 2 && calls[0].path != calls[1].path {
        disagreements.push(Disagreement {
            topic: "Names of the path parameters".into(),
            field: None,
            pages: calls.iter().map(|c| (c.sdk, c.path.clone())).collect(),
            settled: format!(
                "{}, {}'s, pending a page.",
                primary.path,
                primary.sdk.title()
            ),
        });
    }
    let (fields, mut types) = merge_fields(&calls, |c| &c.fields, true, &mut disagreements);
    let (reply, reply_types) = merge_fields(&calls, |c| &c.reply, false, &mut disagreements);
    for (name, fields) in reply_types {
        types.entry(name).or_insert(fields);
    }
    let (domain, _) = domain_of(&primary.package);
    Endpoint {
        key: format!("{} {}", primary.http_method, normalise_path(&primary.path)),
        method: primary.http_method.clone(),
        methods,
        path: primary.path.clone(),
        api: primary.api.clone(),
        sdks,
        package: primary.package.clone(),
        domain,
        name: String::new(),
        fields,
        reply,
        types,
        disagreements,
        calls,
    }
}

/// Merges one list of fields (request or reply) of every call, and the objects they reach.
fn merge_fields(
    calls: &[Call],
    list: impl Fn(&Call) -> &Vec<Field>,
    request: bool,
    disagreements: &mut Vec<Disagreement>,
) -> (Vec<Field>, BTreeMap<String, Vec<Field>>) {
    let what = if request { "request" } else { "reply" };
    let mut merged: Vec<Field> = Vec::new();
    for call in calls {
        for f in list(call) {
            match merged.iter_mut().find(|m| m.wire == f.wire) {
                None => {
                    let mut f = f.clone();
                    f.sdks = vec![call.sdk];
                    f.all_placements = f.placements.clone();
                    merged.push(f);
                }
                Some(m) => {
                    m.sdks.push(call.sdk);
                    m.required |= f.required;
                    for p in &f.placements {
                        if !m.all_placements.contains(p) {
                            m.all_placements.push(*p);
                            m.all_placements.sort();
                        }
                    }
                    if m.doc.is_none() {
                        m.doc = f.doc.clone();
                    }
                    if m.ty != f.ty && !same_shape(&m.ty, &f.ty) {
                        let chosen = if (m.ty == "int" && f.ty == "long")
                            || (m.ty == "long" && f.ty == "int")
                        {
                            "long".to_string()
                        } else {
                            m.ty.clone()
                        };
                        let why = if chosen == "long" {
                            "the wider of the two".to_string()
                        } else {
                            format!("{}'s, pending a page", calls[0].sdk.title())
                        };
                        disagreements.push(Disagreement {
                            topic: format!("Type of {what} field `{}`", f.wire),
                            field: Some(f.wire.clone()),
                            pages: vec![
                                (calls[0].sdk, format!("types it {}.", m.ty)),
                                (call.sdk, format!("types it {}.", f.ty)),
                            ],
                            settled: format!("{chosen}, {why}."),
                        });
                        m.ty = chosen;
                    }
                    if request && m.placements != f.placements {
                        disagreements.push(Disagreement {
                            topic: format!("Where `{}` travels", f.wire),
                            field: Some(f.wire.clone()),
                            pages: vec![
                                (calls[0].sdk, places(&m.placements)),
                                (call.sdk, places(&f.placements)),
                            ],
                            settled: format!(
                                "In the {}, as {} sends it, pending a page.",
                                primary_place(&m.placements).as_str(),
                                calls[0].sdk.title()
                            ),
                        });
                    }
                }
            }
        }
    }
    // A path parameter the other SDK names differently is the primary's, under its name.
    let params = crate::record::path_params(&calls[0].path);
    merged.retain(|f| {
        !(request && f.all_placements == [Placement::Path] && !params.contains(&f.wire))
    });
    if calls.len() > 1 {
        for f in &merged {
            if f.sdks.len() == 1 {
                let other = calls
                    .iter()
                    .find(|c| c.sdk != f.sdks[0])
                    .map(|c| c.sdk)
                    .unwrap_or(Sdk::Java);
                disagreements.push(Disagreement {
                    topic: format!("{} field `{}` in one SDK only", capitalise(what), f.wire),
                    field: Some(f.wire.clone()),
                    pages: vec![
                        (f.sdks[0], format!("has `{}` ({}).", f.wire, f.ty)),
                        (other, format!("has no `{}`.", f.wire)),
                    ],
                    settled: "Kept, optional, as one SDK sends or reads it; pending a page.".into(),
                });
            }
        }
    }
    // Objects: the first SDK's, with fields only the other has added (and recorded).
    let mut types: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    let mut wanted: BTreeSet<String> = merged.iter().flat_map(|f| object_names(&f.ty)).collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = wanted.pop_first() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let mut fields: Vec<Field> = Vec::new();
        for call in calls {
            let Some(theirs) = call.types.get(&name) else {
                continue;
            };
            for f in theirs {
                if let Some(m) = fields.iter_mut().find(|m| m.wire == f.wire) {
                    m.sdks.push(call.sdk);
                } else {
                    let mut f = f.clone();
                    f.sdks = vec![call.sdk];
                    fields.push(f);
                }
            }
        }
        let having: Vec<Sdk> = calls
            .iter()
            .filter(|c| c.types.contains_key(&name))
            .map(|c| c.sdk)
            .collect();
        if having.len() > 1 {
            let odd: Vec<&Field> = fields.iter().filter(|f| f.sdks.len() == 1).collect();
            if !odd.is_empty() {
                disagreements.push(Disagreement {
                    topic: format!("Fields of `{name}`"),
                    field: None,
                    pages: having
                        .iter()
                        .map(|s| {
                            (
                                *s,
                                format!(
                                    "lacks {}.",
                                    odd.iter()
                                        .filter(|f| !f.sdks.contains(s))
                                        .map(|f| format!("`{}`", f.wire))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )
                        })
                        .filter(|(_, t)| t != "lacks .")
                        .collect(),
                    settled: "Every field either SDK has, each optional, pending a page.".into(),
                });
            }
        }
        wanted.extend(
            fields
                .iter()
                .flat_map(|f| object_names(&f.ty))
                .filter(|n| !seen.contains(n)),
        );
        types.insert(name, fields);
    }
    (merged, types)
}

/// Two object types of the same shape named differently by each SDK are not a disagreement.
fn same_shape(a: &str, b: &str) -> bool {
    let strip = |t: &str| {
        let names = object_names(t);
        t.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|part| {
                let word = part.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
                if names.iter().any(|n| n == word) {
                    part.replacen(word, "object", 1)
                } else {
                    part.to_string()
                }
            })
            .collect::<String>()
    };
    !object_names(a).is_empty() && !object_names(b).is_empty() && strip(a) == strip(b)
}

fn places(p: &[Placement]) -> String {
    if p.is_empty() {
        return "does not send it.".into();
    }
    format!(
        "sends it in the {}.",
        p.iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" and the ")
    )
}

/// Where a draft sends a field an SDK sends to several places: path, then query, then body.
pub fn primary_place(p: &[Placement]) -> Placement {
    p.iter().copied().min().unwrap_or(Placement::Body)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The stem an endpoint is named after: the request type's (`AddFriendRequestV2` → `AddFriend`).
fn stem(endpoint: &Endpoint) -> String {
    let call = &endpoint.calls[0];
    let raw = call
        .request_type
        .clone()
        .or_else(|| endpoint.calls.iter().find_map(|c| c.request_type.clone()))
        .unwrap_or_else(|| capitalise(&call.method_name));
    let cut = raw.find("Request").map_or(raw.as_str(), |i| &raw[..i]);
    let cut = cut.trim_end_matches("V1").trim_end_matches("V2");
    words_snake(if cut.is_empty() { &raw } else { cut })
}

/// `BatchSendP2PMessage` → `batch_send_p2p_message`: an acronym stays one word.
fn words_snake(pascal: &str) -> String {
    let chars: Vec<char> = pascal.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || ((p.is_ascii_uppercase() || p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A name the checker refuses for an endpoint (keywords, the client's own names, domains).
pub fn refused_name(name: &str) -> bool {
    use codegen::names::*;
    name.contains("__")
        || name.ends_with('_')
        || RUST_KEYWORDS.contains(&name)
        || SHARED_MODULES.contains(&name)
        || CRATE_ROOT_MODULES.contains(&name)
        || CLIENT_METHODS.contains(&name)
        || HAND_EXAMPLES.contains(&name)
        || CLIENT_FEATURES.contains(&name)
        || crate::domains::all_domains().contains(&name)
}

/// Unique names, deterministically: a v1/v2 pair gets `_v1` on the v1 one, then the package,
/// then a number, in key order.
fn name_endpoints(endpoints: &mut [Endpoint]) {
    for e in endpoints.iter_mut() {
        let mut name = stem(e);
        if refused_name(&name) {
            name.push_str("_api");
        }
        e.name = name;
    }
    for round in 0..3 {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, e) in endpoints.iter().enumerate() {
            by_name.entry(e.name.clone()).or_default().push(i);
        }
        for (name, ids) in by_name.into_iter().filter(|(_, ids)| ids.len() > 1) {
            let v1: Vec<usize> = ids
                .iter()
                .copied()
                .filter(|i| endpoints[*i].api == "v1")
                .collect();
            for (n, i) in ids.iter().copied().enumerate() {
                let e = &mut endpoints[i];
                e.name = match round {
                    0 if v1.len() == 1 && e.api == "v1" => format!("{name}_v1"),
                    0 if v1.len() == 1 => continue,
                    0 => format!("{name}_{}", e.package),
                    _ if n == 0 => continue,
                    _ => format!("{name}_{}", n + 1),
                };
            }
        }
    }
}
