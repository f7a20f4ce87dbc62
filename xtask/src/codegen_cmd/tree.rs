//! What a run may touch. Stale candidates come from the old manifest and from walking the owned
//! folders; every entry that is not a regular file inside them, reached without a link, is
//! refused, and one refusal stops the run before anything is written or deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::Path;

use codegen::emit::features::CLIENT_MANIFEST;
use codegen::emit::GeneratedFile;

use super::safe_fs::{check_relative, describe, inspect, Blocked, Found, TEMP_PREFIX};
use super::{MANIFEST, OWNED_DIRS};

const REMOVE: &str = "remove it by hand";
const REMOVE_LINK: &str = "remove the link by hand (`rm` removes the link, not what it points to)";
const EDIT_MANIFEST: &str =
    "delete the line by hand, or the whole manifest (the next run writes it again)";

/// An entry codegen will not touch: where it is, why, and what the user should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub entry: String,
    pub why: String,
    pub fix: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; {}", self.entry, self.why, self.fix)
    }
}

/// The outcome of looking at the tree before a run.
#[derive(Debug, Default)]
pub struct Scan {
    /// Regular files that exist and are no longer produced.
    pub stale: BTreeSet<String>,
    /// Entries never to be written or deleted.
    pub refused: Vec<Refused>,
}

/// Whether codegen may own `rel`: a file inside an owned folder, or the manifest.
pub fn is_owned(rel: &str) -> bool {
    rel == MANIFEST
        || OWNED_DIRS
            .iter()
            .any(|dir| rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
}

/// Collects refusals, keyed by entry: a link above many generated files is reported once.
#[derive(Default)]
struct Refusals(BTreeMap<String, Refused>);

impl Refusals {
    fn add(&mut self, entry: impl Into<String>, why: impl Into<String>, fix: &'static str) {
        let entry = entry.into();
        self.0.entry(entry.clone()).or_insert(Refused {
            entry,
            why: why.into(),
            fix,
        });
    }

    fn blocked(&mut self, blocked: Blocked) {
        let fix = if blocked.is_link { REMOVE_LINK } else { REMOVE };
        self.add(blocked.at, blocked.why, fix);
    }
}

/// Looks at the manifest, the owned folders and the paths of `produced`, following no link.
pub fn scan(root: &Path, produced: &[GeneratedFile]) -> Scan {
    let mut found = BTreeSet::new();
    let mut refused = Refusals::default();
    read_manifest(root, &mut found, &mut refused);
    for dir in OWNED_DIRS {
        match inspect(root, dir) {
            Ok(Found::Folder) => walk(root, dir, &mut found, &mut refused),
            Ok(Found::Nothing) => {}
            Ok(Found::File) => refused.add(*dir, "a file where a generated folder goes", REMOVE),
            Err(blocked) => refused.blocked(blocked),
        }
    }
    temp_files_beside_manifest(root, &mut found);
    for f in produced {
        // The client's manifest is written (its feature block) but never owned: no manifest
        // line may name it, so it is never found stale.
        let writable = |p: &str| is_owned(p) || p == CLIENT_MANIFEST;
        match check_relative(&f.path).map(|()| writable(&f.path)) {
            Err(why) => refused.add(&f.path, why, REMOVE),
            Ok(false) => refused.add(&f.path, "outside the generated folders", REMOVE),
            Ok(true) => match inspect(root, &f.path) {
                Ok(Found::Nothing | Found::File) => {}
                Ok(Found::Folder) => {
                    refused.add(&f.path, "a folder where a generated file goes", REMOVE)
                }
                Err(blocked) => refused.blocked(blocked),
            },
        }
    }
    let produced: BTreeSet<&str> = produced.iter().map(|f| f.path.as_str()).collect();
    found.retain(|p| !produced.contains(p.as_str()));
    Scan {
        stale: found,
        refused: refused.0.into_values().collect(),
    }
}

/// Adds the old manifest's entries that exist as regular files; refuses the others.
fn read_manifest(root: &Path, found: &mut BTreeSet<String>, refused: &mut Refusals) {
    match inspect(root, MANIFEST) {
        Ok(Found::File) => {}
        Ok(Found::Nothing) => return,
        Ok(Found::Folder) => return refused.add(MANIFEST, "a folder", REMOVE),
        Err(blocked) => return refused.blocked(blocked),
    }
    let Ok(text) = fs::read_to_string(root.join(MANIFEST)) else {
        return refused.add(MANIFEST, "cannot be read as UTF-8 text", REMOVE);
    };
    for (n, line) in text.lines().enumerate() {
        let entry = line.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        let at = format!("{MANIFEST} line {}: `{entry}`", n + 1);
        match check_relative(entry).map(|()| is_owned(entry)) {
            Err(why) => refused.add(at, why, EDIT_MANIFEST),
            Ok(false) => refused.add(at, "outside the generated folders", EDIT_MANIFEST),
            Ok(true) => match inspect(root, entry) {
                Ok(Found::File) => {
                    found.insert(entry.to_owned());
                }
                // A folder is never deleted; inside an owned folder, `walk` judges it.
                Ok(Found::Nothing | Found::Folder) => {}
                Err(blocked) => refused.blocked(blocked),
            },
        }
    }
}

/// Adds every regular file under the owned folder `dir`; refuses links and special files.
/// `DirEntry::file_type` does not follow links, so a link to a folder is never walked into.
fn walk(root: &Path, dir: &str, found: &mut BTreeSet<String>, refused: &mut Refusals) {
    let entries = match fs::read_dir(root.join(dir)) {
        Ok(entries) => entries,
        Err(e) => return refused.add(dir, format!("cannot be listed: {e}"), REMOVE),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => return refused.add(dir, format!("cannot be listed: {e}"), REMOVE),
        };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            let shown = format!("{dir}/{}", name.to_string_lossy());
            refused.add(shown, "a name that is not UTF-8", REMOVE);
            continue;
        };
        let rel = format!("{dir}/{name}");
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk(root, &rel, found, refused),
            Ok(kind) if kind.is_file() => {
                found.insert(rel);
            }
            Ok(kind) if kind.is_symlink() => refused.add(rel, describe(kind), REMOVE_LINK),
            Ok(kind) => refused.add(rel, describe(kind), REMOVE),
            Err(e) => refused.add(rel, format!("cannot be inspected: {e}"), REMOVE),
        }
    }
}

/// The manifest's folder is not owned, so only the temporary files a killed run left there are
/// stale (regular files named with the prefix; anything else there is not codegen's).
fn temp_files_beside_manifest(root: &Path, found: &mut BTreeSet<String>) {
    let Some((dir, _)) = MANIFEST.rsplit_once('/') else {
        return;
    };
    if inspect(root, dir) != Ok(Found::Folder) {
        return;
    }
    for entry in fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) && entry.file_type().is_ok_and(|t| t.is_file()) {
            found.insert(format!("{dir}/{name}"));
        }
    }
}
