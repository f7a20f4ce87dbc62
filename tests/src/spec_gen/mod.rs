//! A seeded generator of valid specs: every construct `spec/README.md` documents, hostile
//! prose and names, and for each endpoint one valid request (in wire names and values) with the
//! reply the server should answer it with. `tests/it/spec_fuzz.rs` generates each spec, builds
//! the client and compares what reaches a loopback server with [`oracle`]'s expectations.

mod endpoint;
mod fields;
mod names;
pub mod oracle;
mod prose;
mod reply;
mod rng;
mod rules;
mod types;
mod values;

use std::fs;
use std::path::Path;

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use rng::Rng;
use types::{key, Registry};

/// One request the generated client must send, and the reply the server answers it with.
#[derive(Debug, Clone)]
pub struct Call {
    pub endpoint: String,
    /// The request in wire names and wire values, as `dynamic::send_json` takes it.
    pub request: serde_json::Map<String, Value>,
    /// The `X-custom-traceid` of a v2 request.
    pub trace_id: Option<String>,
    /// The reply body the server sends (the spec's `reply.example`).
    pub reply_body: String,
    /// The reply the client must make of it, in wire names and plain values.
    pub reply: serde_json::Map<String, Value>,
}

/// A generated spec folder and the calls to make with the client generated from it.
pub struct GeneratedSpec {
    pub seed: u64,
    /// Paths relative to the spec folder, and their YAML.
    pub files: Vec<(String, String)>,
    pub calls: Vec<Call>,
}

impl GeneratedSpec {
    /// Writes the spec into `dir`, replacing whatever spec was there.
    pub fn write(&self, dir: &Path) {
        let _ = fs::remove_dir_all(dir);
        for (path, text) in &self.files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }

    /// The text of a file of the spec.
    pub fn file(&self, path: &str) -> &str {
        &self.files.iter().find(|(p, _)| p == path).unwrap().1
    }

    /// The path of `endpoint`'s file: in `endpoints/` or one of its domain folders.
    pub fn endpoint_path(&self, endpoint: &str) -> &str {
        let file = format!("/{endpoint}.yaml");
        &self
            .files
            .iter()
            .find(|(p, _)| p.starts_with("endpoints/") && p.ends_with(&file))
            .unwrap_or_else(|| panic!("no file for endpoint {endpoint}"))
            .0
    }

    /// The text of `endpoint`'s file.
    pub fn endpoint_file(&self, endpoint: &str) -> &str {
        self.file(self.endpoint_path(endpoint))
    }
}

/// What every part of the generator shares while one spec is built.
pub struct Env {
    pub rng: Rng,
    pub reg: Registry,
    pub pages: Vec<String>,
    /// `defaults.length_unit`.
    pub unit: &'static str,
}

impl Env {
    /// A non-empty subset of the page ids.
    pub fn sources(&mut self) -> Yaml {
        let n = self.rng.range(1, self.pages.len() as i64) as usize;
        let start = self.rng.below(self.pages.len());
        let ids: Vec<Yaml> = (0..n)
            .map(|i| Yaml::from(self.pages[(start + i) % self.pages.len()].as_str()))
            .collect();
        Yaml::Sequence(ids)
    }

    pub fn prose(&mut self) -> Yaml {
        Yaml::from(prose::prose(&mut self.rng))
    }
}

pub fn generate(seed: u64) -> GeneratedSpec {
    let mut rng = Rng::new(seed);
    let unit = *rng.pick(&["utf16", "chars", "bytes"]);
    let mut env = Env {
        rng,
        reg: Registry::default(),
        pages: Vec::new(),
        unit,
    };
    let api = api_yaml(&mut env);
    fields::shared_types(&mut env);
    let mut files = Vec::new();
    let mut calls = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let count = env.rng.range(3, 5);
    for index in 0..count as usize {
        let (name, yaml, call) = endpoint::endpoint(&mut env, index, &names);
        files.push((format!("endpoints/{name}.yaml"), yaml_text(&yaml)));
        calls.push(call);
        names.push(name);
    }
    let mut shared = Mapping::new();
    shared.insert(key("types"), Yaml::Mapping(type_defs(&mut env, None)));
    files.push(("types.yaml".into(), yaml_text(&Yaml::Mapping(shared))));
    // Drawn last, so the rest of a seed's spec is what it was before domains existed.
    let mut api = api;
    file_in_domains(&mut env, &mut api, &mut files, &names);
    files.push(("api.yaml".into(), yaml_text(&api)));
    GeneratedSpec { seed, files, calls }
}

/// Half the specs file their endpoints in domains: one to three declared (one may stay empty),
/// each endpoint in one of them or directly in `endpoints/`.
fn file_in_domains(
    env: &mut Env,
    api: &mut Yaml,
    files: &mut [(String, String)],
    names: &[String],
) {
    if !env.rng.chance(50) {
        return;
    }
    let count = env.rng.range(1, 3) as usize;
    let domains: Vec<String> = ["inbox", "roster", "lobby_rooms"][..count]
        .iter()
        .map(|d| format!("domain_{d}"))
        .filter(|d| !names.contains(d))
        .collect();
    let mut declared = Mapping::new();
    for domain in &domains {
        let def = map(vec![("title", env.prose()), ("description", env.prose())]);
        declared.insert(key(domain), def);
    }
    api.as_mapping_mut()
        .expect("api.yaml is a mapping")
        .insert(key("domains"), Yaml::Mapping(declared));
    for name in names {
        let choice = env.rng.range(0, domains.len() as i64) as usize;
        let Some(domain) = domains.get(choice) else {
            continue;
        };
        let flat = format!("endpoints/{name}.yaml");
        if let Some((path, _)) = files.iter_mut().find(|(p, _)| *p == flat) {
            *path = format!("endpoints/{domain}/{name}.yaml");
        }
    }
}

fn yaml_text(yaml: &Yaml) -> String {
    serde_yaml::to_string(yaml).expect("YAML serializes")
}

fn map(entries: Vec<(&str, Yaml)>) -> Yaml {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(key(k), v);
    }
    Yaml::Mapping(m)
}

fn api_yaml(env: &mut Env) -> Yaml {
    let pages = [
        ("day_page", Some("2025-06-04"), "page"),
        ("month_project", Some("2024-08"), "debug_project"),
        ("year_sdk", Some("2023"), "sdk"),
        ("undated_list", None, "api_list"),
    ];
    let mut page_map = Mapping::new();
    for (id, date, kind) in pages {
        env.pages.push(id.into());
        let mut entries = vec![
            ("file", Yaml::from(format!("fuzz/{id}.md"))),
            ("title", env.prose()),
            ("language", Yaml::from(*env.rng.pick(&["zh", "en"]))),
        ];
        match date {
            Some(d) => entries.push(("date", Yaml::from(d))),
            None => entries.push(("date_note", env.prose())),
        }
        if env.rng.chance(50) {
            entries.push(("url", Yaml::from(format!("https://docs.fuzz.example/{id}"))));
        }
        if kind != "page" || env.rng.chance(50) {
            entries.push(("kind", Yaml::from(kind)));
        }
        page_map.insert(key(id), map(entries));
    }
    let codes = [
        (200, "ok"),
        (414, "parameter_error"),
        (416, "rate_limited"),
        (500, "server_error"),
    ];
    let mut status = Mapping::new();
    for (code, kind) in codes {
        let mut entries = vec![("kind", Yaml::from(kind)), ("meaning", env.prose())];
        if env.rng.chance(50) {
            entries.push(("advice", env.prose()));
        }
        status.insert(Yaml::Number(code.into()), map(entries));
    }
    let host = |env: &mut Env, generation: &str| {
        let mut entries = vec![(
            "default",
            Yaml::from(format!("https://{generation}.fuzz.example")),
        )];
        if env.rng.chance(50) {
            entries.push((
                "alternatives",
                Yaml::Sequence(vec![format!("https://{generation}-b.fuzz.example").into()]),
            ));
            entries.push(("note", env.prose()));
        }
        map(entries)
    };
    let hosts = map(vec![("v1", host(env, "v1")), ("v2", host(env, "v2"))]);
    map(vec![
        ("title", env.prose()),
        ("description", env.prose()),
        ("defaults", map(vec![("length_unit", Yaml::from(env.unit))])),
        ("hosts", hosts),
        ("pages", Yaml::Mapping(page_map)),
        ("status_codes", Yaml::Mapping(status)),
    ])
}

/// The `types:` mapping of the types `owner` declares (`None`: `types.yaml`).
pub fn type_defs(env: &mut Env, owner: Option<&str>) -> Mapping {
    let mut out = Mapping::new();
    for i in 0..env.reg.enums.len() {
        if env.reg.enums[i].owner.as_deref() != owner {
            continue;
        }
        let mut values = Mapping::new();
        for (name, value) in env.reg.enums[i].values.clone() {
            let mut entries = vec![
                ("value", Yaml::Number(value.into())),
                ("description", env.prose()),
            ];
            if env.rng.chance(30) {
                entries.push(("sources", env.sources()));
            }
            values.insert(key(&name), map(entries));
        }
        let mut entries = vec![
            ("kind", Yaml::from("enum")),
            ("description", env.prose()),
            ("values", Yaml::Mapping(values)),
        ];
        if env.reg.enums[i].open || env.rng.chance(30) {
            entries.push(("open", Yaml::Bool(env.reg.enums[i].open)));
        }
        if env.rng.chance(40) {
            entries.push(("sources", env.sources()));
        }
        out.insert(key(&env.reg.enums[i].name.clone()), map(entries));
    }
    for i in 0..env.reg.objects.len() {
        if env.reg.objects[i].owner.as_deref() != owner {
            continue;
        }
        let mut fields = Mapping::new();
        for f in &env.reg.objects[i].fields {
            fields.insert(key(&f.wire), f.yaml(&env.reg));
        }
        let mut entries = vec![
            ("kind", Yaml::from("object")),
            ("description", env.prose()),
            ("fields", Yaml::Mapping(fields)),
        ];
        if let Some(s) = env.reg.objects[i].from_scalar.clone() {
            entries.push(("from_scalar", Yaml::from(s)));
        }
        if env.rng.chance(40) {
            entries.push(("sources", env.sources()));
        }
        out.insert(key(&env.reg.objects[i].name.clone()), map(entries));
    }
    out
}

/// A copy of `spec`'s files with names the checker must refuse, for `seed`: one endpoint file
/// renamed to a refused endpoint name, and a shared type copied under a refused type name.
/// Returns the files and the two names (the type's is `None` when the spec shares no type).
pub fn with_refused_names(spec: &GeneratedSpec) -> (Vec<(String, String)>, String, Option<String>) {
    // Its own stream, so the valid spec of a seed stays what it was.
    let mut rng = Rng::new(spec.seed ^ 0x005e_ed0f_bad0_a3e5);
    let endpoints: Vec<String> = spec
        .files
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("endpoints/")?.strip_suffix(".yaml"))
        .map(str::to_owned)
        .collect();
    let endpoint = loop {
        let name = names::refused_endpoint_name(&mut rng);
        if !endpoints.contains(&name) {
            break name;
        }
    };
    // An endpoint no deprecation names as its replacement, so renaming it breaks nothing else.
    let free: Vec<&String> = endpoints
        .iter()
        .filter(|e| {
            let replaced_by = format!("replacement: {e}\n");
            !spec
                .files
                .iter()
                .any(|(_, text)| text.contains(&replaced_by))
        })
        .collect();
    let victim = (*rng.pick(&free)).clone();
    let type_name = names::refused_type_name(&mut rng);
    let mut files = spec.files.clone();
    let mut copied_type = None;
    for (path, text) in files.iter_mut() {
        if path.ends_with(&format!("/{victim}.yaml")) && path.starts_with("endpoints/") {
            *path = path.replace(&format!("/{victim}.yaml"), &format!("/{endpoint}.yaml"));
        } else if path == "types.yaml" {
            let mut yaml: Yaml = serde_yaml::from_str(text).expect("generated YAML");
            let types = yaml
                .get_mut("types")
                .and_then(Yaml::as_mapping_mut)
                .expect("types.yaml holds `types`");
            if let Some(first) = types.values().next().cloned() {
                types.insert(key(&type_name), first);
                copied_type = Some(type_name.clone());
                *text = yaml_text(&yaml);
            }
        }
    }
    (files, endpoint, copied_type)
}
