//! Reads a spec folder: `api.yaml`, `types.yaml`, `endpoints/*.yaml` and
//! `endpoints/<domain>/*.yaml`. Syntax and shape errors
//! (unknown keys, wrong types) become located diagnostics; meaning is checked in `check`.
//! Each file is read by `read` (regular files, bounded size, UTF-8) and vetted by `vet` (YAML
//! within the limits of `limits`) before serde sees it.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;
use sha1::{Digest, Sha1};

use crate::diag::{Diagnostic, Diagnostics};
use crate::locate::Locator;
use crate::read::read_spec_file;
use crate::spec::{ApiFile, EndpointFile, TypesFile};
use crate::vet::{split_serde_message, vet_yaml};

/// One spec file as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in messages: the folder's label joined with the relative path.
    pub display: String,
    /// Path relative to the spec folder, with `/` separators.
    pub relative: String,
    pub text: String,
    /// Spec path of the file's root, e.g. `endpoints.send_batch_msg`; empty for `api.yaml`.
    pub root: String,
    pub locator: Locator,
}

/// A spec whose files all parsed.
#[derive(Debug, Clone)]
pub struct RawSpec {
    pub files: Vec<SourceFile>,
    pub api: ApiFile,
    pub api_file: usize,
    pub types: TypesFile,
    pub types_file: Option<usize>,
    /// (name from the file stem, endpoint, index into `files`), sorted by name.
    pub endpoints: Vec<(String, EndpointFile, usize)>,
    pub sha1: String,
}

impl RawSpec {
    /// The domain folder file `file` sits in (`endpoints/<domain>/<name>.yaml`), if any.
    pub fn domain_of(&self, file: usize) -> Option<&str> {
        let rest = self.files[file].relative.strip_prefix("endpoints/")?;
        rest.split_once('/').map(|(domain, _)| domain)
    }

    /// A diagnostic at `spec_path` in file `file`, located at the path, its nearest located
    /// ancestor, or the root node.
    pub fn diag(&self, file: usize, spec_path: &str, message: impl Into<String>) -> Diagnostic {
        let source = &self.files[file];
        Diagnostic {
            file: source.display.clone(),
            location: Some(source.locator.find(spec_path)),
            spec_path: spec_path.to_owned(),
            message: message.into(),
        }
    }
}

/// Reads the spec folder `dir`; `label` is how its paths are shown (e.g. `spec`).
pub fn load_dir(dir: &Path, label: &str) -> Result<RawSpec, Diagnostics> {
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let mut read = |relative: &str, root: &str, diags: &mut Vec<Diagnostic>| -> Option<usize> {
        let display = format!("{label}/{relative}");
        let text = match read_spec_file(&dir.join(relative)) {
            Ok(text) => text,
            Err(err) => {
                diags.push(Diagnostic {
                    file: display,
                    location: Some(err.position),
                    spec_path: root.to_owned(),
                    message: err.message,
                });
                return None;
            }
        };
        let (locator, usable) = vet_yaml(&text, root, &display, diags);
        files.push(SourceFile {
            display,
            relative: relative.to_owned(),
            text,
            root: root.to_owned(),
            locator,
        });
        usable.then_some(files.len() - 1)
    };

    let api_index = read("api.yaml", "", &mut diags);
    let types_index = if dir.join("types.yaml").exists() {
        read("types.yaml", "", &mut diags)
    } else {
        None
    };

    let endpoint_files = endpoint_files(dir, label, &mut diags);
    let endpoint_indices: Vec<(String, Option<usize>)> = endpoint_files
        .into_iter()
        .map(|(name, relative)| {
            let index = read(&relative, &format!("endpoints.{name}"), &mut diags);
            (name, index)
        })
        .collect();

    let api: Option<ApiFile> = api_index.and_then(|i| parse(&files[i], &mut diags));
    let types: Option<TypesFile> = match types_index {
        Some(i) => parse(&files[i], &mut diags),
        None => Some(TypesFile {
            types: Default::default(),
        }),
    };
    let mut endpoints = Vec::new();
    for (name, index) in endpoint_indices {
        let Some(index) = index else { continue };
        if let Some(endpoint) = parse::<EndpointFile>(&files[index], &mut diags) {
            endpoints.push((name, endpoint, index));
        }
    }

    let sha1 = spec_sha1(&files);
    match (api, types, api_index) {
        (Some(api), Some(types), Some(api_file)) if diags.is_empty() => Ok(RawSpec {
            files,
            api,
            api_file,
            types,
            types_file: types_index,
            endpoints,
            sha1,
        }),
        _ => Err(Diagnostics(diags).finish()),
    }
}

/// Every endpoint file as (name from the file stem, path relative to the spec folder), sorted by
/// name: files directly in `endpoints/` and in its domain folders, one level deep. A name found
/// twice is reported at both files: the name is the module, the client method and the spec path.
fn endpoint_files(dir: &Path, label: &str, diags: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut folders = vec![("endpoints".to_owned(), true)];
    while let Some((folder, top)) = folders.pop() {
        let entries = match fs::read_dir(dir.join(&folder)) {
            Ok(entries) => entries,
            Err(err) => {
                diags.push(Diagnostic {
                    file: format!("{label}/{folder}"),
                    location: Some((1, 1)),
                    spec_path: "endpoints".into(),
                    message: format!("cannot read the endpoints folder: {err}"),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let relative = format!("{folder}/{name}");
            // `file_type` does not follow links: a linked folder is read as a file and refused
            // by `read_spec_file`, like a linked file.
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            match (is_dir, name.strip_suffix(".yaml")) {
                (true, _) if top => folders.push((relative, false)),
                (true, _) => diags.push(Diagnostic {
                    file: format!("{label}/{relative}"),
                    location: Some((1, 1)),
                    spec_path: String::new(),
                    message: "unexpected folder: a domain folder holds endpoint files only".into(),
                }),
                (false, Some(stem)) => found.push((stem.to_owned(), relative)),
                // A file as a whole is at fault: located at its start, like every problem.
                (false, None) => diags.push(Diagnostic {
                    file: format!("{label}/{relative}"),
                    location: Some((1, 1)),
                    spec_path: String::new(),
                    message: "unexpected file: endpoint files end in `.yaml`".into(),
                }),
            }
        }
    }
    found.sort();
    for pair in found.windows(2) {
        if pair[0].0 == pair[1].0 {
            for (other, this) in [(&pair[1].1, &pair[0].1), (&pair[0].1, &pair[1].1)] {
                diags.push(Diagnostic {
                    file: format!("{label}/{this}"),
                    location: Some((1, 1)),
                    spec_path: format!("endpoints.{}", pair[0].0),
                    message: format!(
                        "endpoint `{}` is also defined by {label}/{other}: endpoint names are \
                         unique across domains (each is a module and a client method)",
                        pair[0].0
                    ),
                });
            }
        }
    }
    found
}

fn parse<T: DeserializeOwned>(source: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<T> {
    match serde_yaml::from_str::<T>(&source.text) {
        Ok(value) => Some(value),
        Err(err) => {
            let (path, message) = split_serde_message(&err.to_string());
            let spec_path = match (source.root.is_empty(), path.is_empty()) {
                (_, true) => source.root.clone(),
                (true, false) => path,
                (false, false) => format!("{}.{path}", source.root),
            };
            // serde_yaml has no position for a few errors; the path's position stands in.
            let location = err.location().map_or_else(
                || source.locator.find(&spec_path),
                |l| (l.line(), l.column()),
            );
            diags.push(Diagnostic {
                file: source.display.clone(),
                location: Some(location),
                spec_path,
                message,
            });
            None
        }
    }
}

/// sha1 over every spec file's relative path and bytes, in path order.
pub fn spec_sha1(files: &[SourceFile]) -> String {
    let mut sorted: Vec<&SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut hasher = Sha1::new();
    for file in sorted {
        hasher.update(file.relative.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}
