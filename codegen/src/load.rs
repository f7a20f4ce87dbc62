//! Reads a spec folder: `api.yaml`, `types.yaml`, `endpoints/*.yaml`. Syntax and shape errors
//! (unknown keys, wrong types) become located diagnostics; meaning is checked in `check`.
//! Each file is read by `read`: regular files only, bounded size, UTF-8 without a BOM.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;
use sha1::{Digest, Sha1};

use crate::diag::{Diagnostic, Diagnostics};
use crate::locate::Locator;
use crate::read::read_spec_file;
use crate::spec::{ApiFile, EndpointFile, TypesFile};

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
    /// A diagnostic at `spec_path` in file `file`, located where possible.
    pub fn diag(&self, file: usize, spec_path: &str, message: impl Into<String>) -> Diagnostic {
        let source = &self.files[file];
        Diagnostic {
            file: source.display.clone(),
            location: source.locator.find(spec_path),
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
        match read_spec_file(&dir.join(relative)) {
            Ok(text) => {
                // A file with a syntax error or a duplicate key is not handed to serde, whose
                // report of the same text would be less precise or misplaced.
                let (locator, usable) = match Locator::new(&text, root) {
                    Ok(locator) => {
                        for (path, pos) in &locator.duplicates {
                            let key = path.rsplit('.').next().unwrap_or(path);
                            diags.push(Diagnostic {
                                file: display.clone(),
                                location: Some(*pos),
                                spec_path: path.clone(),
                                message: format!("duplicate key `{key}`: a key may appear only once in a mapping"),
                            });
                        }
                        let usable = locator.duplicates.is_empty();
                        (locator, usable)
                    }
                    Err(err) if serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok() => {
                        diags.push(Diagnostic {
                            file: display.clone(),
                            location: Some(err.position),
                            spec_path: root.to_owned(),
                            message: err.message,
                        });
                        (Locator::default(), false)
                    }
                    // Both parsers reject the text: the check below reports libyaml's wording.
                    Err(_) => (Locator::default(), true),
                };
                // libyaml (through serde_yaml) words syntax errors best, with their context; reading
                // plain YAML first keeps a shape error from hiding a syntax error further down.
                let usable = usable
                    && match serde_yaml::from_str::<serde_yaml::Value>(&text) {
                        Ok(_) => true,
                        Err(err) => {
                            let location = err.location().map(|l| (l.line(), l.column()));
                            let (_, message) = split_serde_message(&err.to_string());
                            diags.push(Diagnostic {
                                file: display.clone(),
                                location,
                                spec_path: root.to_owned(),
                                message: format!("YAML syntax error: {message}"),
                            });
                            false
                        }
                    };
                files.push(SourceFile {
                    display,
                    relative: relative.to_owned(),
                    text,
                    root: root.to_owned(),
                    locator,
                });
                usable.then_some(files.len() - 1)
            }
            Err(err) => {
                diags.push(Diagnostic {
                    file: display,
                    location: Some(err.position),
                    spec_path: root.to_owned(),
                    message: err.message,
                });
                None
            }
        }
    };

    let api_index = read("api.yaml", "", &mut diags);
    let types_index = if dir.join("types.yaml").exists() {
        read("types.yaml", "", &mut diags)
    } else {
        None
    };

    let mut endpoint_names = Vec::new();
    match fs::read_dir(dir.join("endpoints")) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                match name.strip_suffix(".yaml") {
                    Some(stem) => endpoint_names.push(stem.to_owned()),
                    // A file as a whole is at fault: located at its start, like every problem.
                    None => diags.push(Diagnostic {
                        file: format!("{label}/endpoints/{name}"),
                        location: Some((1, 1)),
                        spec_path: String::new(),
                        message: "unexpected file: endpoint files end in `.yaml`".into(),
                    }),
                }
            }
        }
        Err(err) => diags.push(Diagnostic {
            file: format!("{label}/endpoints"),
            location: Some((1, 1)),
            spec_path: "endpoints".into(),
            message: format!("cannot read the endpoints folder: {err}"),
        }),
    }
    endpoint_names.sort();
    let endpoint_indices: Vec<(String, Option<usize>)> = endpoint_names
        .into_iter()
        .map(|name| {
            let index = read(
                &format!("endpoints/{name}.yaml"),
                &format!("endpoints.{name}"),
                &mut diags,
            );
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

fn parse<T: DeserializeOwned>(source: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<T> {
    match serde_yaml::from_str::<T>(&source.text) {
        Ok(value) => Some(value),
        Err(err) => {
            let location = err.location().map(|l| (l.line(), l.column()));
            let (path, message) = split_serde_message(&err.to_string());
            let spec_path = match (source.root.is_empty(), path.is_empty()) {
                (_, true) => source.root.clone(),
                (true, false) => path,
                (false, false) => format!("{}.{path}", source.root),
            };
            diags.push(Diagnostic {
                file: source.display.clone(),
                location,
                spec_path,
                message,
            });
            None
        }
    }
}

/// Splits serde_yaml's `path: message at line L column C` into the path and the message,
/// dropping the first position (shown in front instead) but keeping any later context.
fn split_serde_message(text: &str) -> (String, String) {
    let (path, rest) = match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (path.to_owned(), rest),
        _ => (String::new(), text),
    };
    let mut message = rest.to_owned();
    if let Some(start) = message.find(" at line ") {
        let tail = &message[start + " at line ".len()..];
        let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
        let line_len = digits(tail);
        let after_line = &tail[line_len..];
        if line_len > 0 && after_line.starts_with(" column ") {
            let col_len = digits(&after_line[" column ".len()..]);
            let end = start + " at line ".len() + line_len + " column ".len() + col_len;
            message.replace_range(start..end, "");
        }
    }
    (path, message)
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

#[cfg(test)]
mod tests {
    use super::split_serde_message;

    #[test]
    fn serde_messages_split_into_path_and_text() {
        assert_eq!(
            split_serde_message(
                "fields.fromAccid: unknown field `x`, expected `a` at line 5 column 3"
            ),
            (
                "fields.fromAccid".to_owned(),
                "unknown field `x`, expected `a`".to_owned()
            )
        );
        assert_eq!(
            split_serde_message("did not find expected ',' at line 7 column 1, while parsing a flow sequence at line 6 column 8"),
            (String::new(), "did not find expected ',', while parsing a flow sequence at line 6 column 8".to_owned())
        );
    }
}
