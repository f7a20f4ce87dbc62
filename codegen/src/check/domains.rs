//! Domains: the folders under `endpoints/` that group endpoints, declared in `api.yaml`. A domain
//! names a section of the docs index, and its name is kept free for a module and a cargo feature.

use super::{is_snake_ident, Checker};
use crate::model::{Domain, Endpoint};
use crate::names;

impl Checker<'_> {
    pub(super) fn domains(&mut self, endpoints: &[Endpoint]) -> Vec<Domain> {
        let api_file = self.raw.api_file;
        let mut out = Vec::new();
        for (name, def) in &self.raw.api.domains {
            let path = format!("domains.{name}");
            if let Some(problem) = domain_name_problem(name, endpoints) {
                self.err(api_file, &path, format!("domain name {problem}"));
            }
            out.push(Domain {
                name: name.clone(),
                title: def.title.clone(),
                description: def.description.clone(),
            });
        }
        for (name, _, file) in &self.raw.endpoints {
            let Some(domain) = self.raw.domain_of(*file) else {
                continue;
            };
            if !self.raw.api.domains.contains_key(domain) {
                let declared: Vec<&str> = self.raw.api.domains.keys().map(String::as_str).collect();
                self.err(
                    *file,
                    &format!("endpoints.{name}"),
                    format!(
                        "the folder `endpoints/{domain}/` is not a domain of api.yaml (declared: {}); \
                         declare it under `domains:` with a title and a description, or move the file",
                        if declared.is_empty() { "none".to_owned() } else { declared.join(", ") }
                    ),
                );
            }
        }
        out
    }
}

/// Why `name` cannot be a domain: it will name a module beside the endpoint modules and a cargo
/// feature of the client, so it must be both and collide with neither.
fn domain_name_problem(name: &str, endpoints: &[Endpoint]) -> Option<String> {
    if let Some(problem) = names::ident_problem(name) {
        return Some(problem);
    }
    if !is_snake_ident(name) || name.starts_with('_') || name.contains("__") || name.ends_with('_')
    {
        return Some(format!(
            "`{name}` must be snake_case words (it names a folder, a module and a cargo feature)"
        ));
    }
    if names::SHARED_MODULES.contains(&name) || names::CRATE_ROOT_MODULES.contains(&name) {
        return Some(format!(
            "`{name}` is the name of a module the client always has"
        ));
    }
    if names::CLIENT_FEATURES.contains(&name) {
        return Some(format!(
            "`{name}` is the name of one of the client's own cargo features"
        ));
    }
    if endpoints.iter().any(|e| e.name == name) {
        return Some(format!(
            "`{name}` is also an endpoint's name (both would be modules)"
        ));
    }
    None
}
