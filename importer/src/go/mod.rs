//! Reads the Go SDK: URL constants, request and response structs (`json:"…"` tags), and the
//! service methods that call `ExecuteV1Api(Const, paramMap)` or
//! `ExecuteV2Api(http.M, Const, pathParams, queryParams, body)`.

mod method;

use crate::record::{v1_path, Call, Constant, Field, Placement, Sdk};
use crate::syntax::{
    descendants, files, leading_comment, named_children, parse, string_value, text,
    trailing_comment,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tree_sitter::Node;

#[derive(Debug, Clone)]
struct GoField {
    go_name: String,
    wire: Option<String>,
    ty: String,
    doc: Option<String>,
}

#[derive(Default)]
struct Package {
    name: String,
    constants: BTreeMap<String, String>,
    structs: HashMap<String, Vec<GoField>>,
    /// `type X int` and the like: the spec type of the underlying type.
    aliases: HashMap<String, String>,
}

struct Source {
    package: usize,
    text: String,
    tree: tree_sitter::Tree,
}

pub fn read_sdk(dir: &Path) -> Result<(Vec<Call>, Vec<Constant>), String> {
    let language: tree_sitter::Language = tree_sitter_go::LANGUAGE.into();
    let mut packages: Vec<Package> = Vec::new();
    let mut by_dir: HashMap<std::path::PathBuf, usize> = HashMap::new();
    let mut sources = Vec::new();
    for file in files(dir, "go")? {
        if file.to_string_lossy().ends_with("_test.go") {
            continue;
        }
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let tree = parse(&language, &text)?;
        let parent = file.parent().unwrap_or(dir).to_path_buf();
        let next = packages.len();
        let index = *by_dir.entry(parent.clone()).or_insert(next);
        if index == next {
            let name = parent
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            packages.push(Package {
                name,
                ..Package::default()
            });
        }
        collect_declarations(tree.root_node(), &text, &mut packages[index]);
        sources.push(Source {
            package: index,
            text,
            tree,
        });
    }
    let mut calls = Vec::new();
    let mut used: Vec<(usize, String)> = Vec::new();
    for source in &sources {
        let package = &packages[source.package];
        for node in named_children(source.tree.root_node()) {
            if node.kind() == "method_declaration" {
                if let Some((call, constant)) = method::read_method(node, &source.text, package) {
                    used.push((source.package, constant));
                    calls.push(call);
                }
            }
        }
    }
    let mut constants = Vec::new();
    for (index, package) in packages.iter().enumerate() {
        for (name, path) in &package.constants {
            if !looks_like_endpoint(path) {
                continue;
            }
            let is_used = used.iter().any(|(p, c)| *p == index && c == name);
            constants.push(Constant {
                sdk: Sdk::Go,
                package: package.name.clone(),
                name: name.clone(),
                path: path.clone(),
                used: is_used,
            });
        }
    }
    Ok((calls, constants))
}

/// URL constants: a path, not some other string constant of the package.
pub fn looks_like_endpoint(value: &str) -> bool {
    value.starts_with('/')
        && (value.ends_with(".action") || value.contains("/v2") || value.starts_with("/ai/"))
}

fn collect_declarations(root: Node, src: &str, package: &mut Package) {
    for node in named_children(root) {
        match node.kind() {
            "const_declaration" => {
                for spec in named_children(node)
                    .into_iter()
                    .filter(|n| n.kind() == "const_spec")
                {
                    let name = spec
                        .child_by_field_name("name")
                        .map(|n| text(n, src).to_string());
                    let value = spec
                        .child_by_field_name("value")
                        .and_then(|v| named_children(v).into_iter().next())
                        .and_then(|v| string_value(v, src));
                    if let (Some(name), Some(value)) = (name, value) {
                        package.constants.insert(name, value);
                    }
                }
            }
            "type_declaration" => {
                for spec in named_children(node)
                    .into_iter()
                    .filter(|n| n.kind() == "type_spec")
                {
                    let (Some(name), Some(ty)) = (
                        spec.child_by_field_name("name"),
                        spec.child_by_field_name("type"),
                    ) else {
                        continue;
                    };
                    let name = text(name, src).to_string();
                    if ty.kind() == "struct_type" {
                        package.structs.insert(name, struct_fields(ty, src));
                    } else {
                        package.aliases.insert(name, type_expr(ty, src));
                    }
                }
            }
            _ => {}
        }
    }
}

fn struct_fields(node: Node, src: &str) -> Vec<GoField> {
    let mut out = Vec::new();
    let Some(list) = named_children(node)
        .into_iter()
        .find(|n| n.kind() == "field_declaration_list")
    else {
        return out;
    };
    for decl in named_children(list)
        .into_iter()
        .filter(|n| n.kind() == "field_declaration")
    {
        let Some(ty) = decl.child_by_field_name("type") else {
            continue;
        };
        let tag = decl
            .child_by_field_name("tag")
            .map(|t| text(t, src).to_string())
            .unwrap_or_default();
        let doc = trailing_comment(decl, src).or_else(|| leading_comment(decl, src));
        let mut cursor = decl.walk();
        for name in decl.children_by_field_name("name", &mut cursor) {
            let go_name = text(name, src).to_string();
            out.push(GoField {
                wire: json_tag(&tag, &go_name),
                go_name,
                ty: type_expr(ty, src),
                doc: doc.clone(),
            });
        }
    }
    out
}

/// The wire name a `json:"…"` tag gives (`None` for `json:"-"`); the Go name without a tag.
fn json_tag(tag: &str, go_name: &str) -> Option<String> {
    let Some(start) = tag.find("json:\"") else {
        return Some(go_name.to_string());
    };
    let rest = &tag[start + 6..];
    let value = &rest[..rest.find('"').unwrap_or(rest.len())];
    let name = value.split(',').next().unwrap_or_default();
    match name {
        "-" => None,
        "" => Some(go_name.to_string()),
        n => Some(n.to_string()),
    }
}

/// A Go type as a spec type expression; struct names are kept for the caller to resolve.
fn type_expr(node: Node, src: &str) -> String {
    match node.kind() {
        "pointer_type" | "parenthesized_type" => named_children(node)
            .first()
            .map_or("any".into(), |n| type_expr(*n, src)),
        "slice_type" | "array_type" => node
            .child_by_field_name("element")
            .map_or("list<any>".into(), |e| {
                format!("list<{}>", type_expr(e, src))
            }),
        "map_type" => node
            .child_by_field_name("value")
            .map_or("map<string, any>".into(), |v| {
                format!("map<string, {}>", type_expr(v, src))
            }),
        "type_identifier" => match text(node, src) {
            "string" => "string".into(),
            "bool" => "bool".into(),
            "int64" | "uint64" | "uint32" => "long".into(),
            "int" | "int32" | "int16" | "int8" | "uint" | "uint16" | "uint8" | "byte" | "rune" => {
                "int".into()
            }
            "float64" | "float32" => "float".into(),
            "any" => "any".into(),
            other => format!("@{other}"),
        },
        _ => "any".into(),
    }
}

fn reply_field(wire: &str, ty: &str, doc: Option<String>) -> Field {
    Field {
        wire: wire.to_string(),
        ty: ty.to_string(),
        placements: vec![],
        required: false,
        doc,
        all_placements: vec![],
        sdks: vec![],
    }
}

fn add_field(
    fields: &mut Vec<Field>,
    wire: &str,
    ty: &str,
    placement: Placement,
    doc: Option<String>,
) {
    if let Some(f) = fields.iter_mut().find(|f| f.wire == wire) {
        if !f.placements.contains(&placement) {
            f.placements.push(placement);
            f.placements.sort();
        }
        return;
    }
    fields.push(Field {
        wire: wire.to_string(),
        ty: ty.to_string(),
        placements: vec![placement],
        required: false,
        doc,
        all_placements: vec![],
        sdks: vec![],
    });
}

/// Replaces `@Name` struct references by object names, registering the objects in `types`.
fn resolve_type(
    ty: &str,
    package: &Package,
    types: &mut BTreeMap<String, Vec<Field>>,
    stack: &mut Vec<String>,
) -> String {
    crate::merge::map_names(ty, &mut |name| {
        if let Some(alias) = package.aliases.get(name) {
            return if alias.contains('@') {
                "any".into()
            } else {
                alias.clone()
            };
        }
        let Some(fields) = package.structs.get(name) else {
            return "any".into();
        };
        if stack.iter().any(|s| s == name) {
            return "any".into();
        }
        if !types.contains_key(name) {
            stack.push(name.to_string());
            let resolved: Vec<Field> = fields
                .iter()
                .filter_map(|f| {
                    f.wire.as_ref().map(|w| {
                        reply_field(
                            w,
                            &resolve_type(&f.ty, package, types, stack),
                            f.doc.clone(),
                        )
                    })
                })
                .collect();
            stack.pop();
            types.insert(name.to_string(), resolved);
        }
        name.to_string()
    })
}
