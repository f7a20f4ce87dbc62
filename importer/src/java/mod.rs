//! Reads the Java SDK: `XxxUrlContext` constants, request and response classes
//! (`@JSONField(name = …)` for JSON, `@YunxinParam(…)` for v1 forms), and the service methods
//! that call `httpClient.executeV1Api(…)` or `executeV2Api(HttpMethod.X, Ctx.Y, path, query, body)`.

mod method;

use crate::record::{v1_path, Call, Constant, Field, Placement, Sdk};
use crate::syntax::{
    descendants, files, leading_comment, named_children, parse, string_value, text,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tree_sitter::Node;

#[derive(Debug, Clone)]
struct JField {
    java_name: String,
    wire: String,
    /// Carries `@YunxinParam`: the v1 form sends only those.
    form_param: bool,
    serialize: bool,
    ty: String,
    doc: Option<String>,
}

#[derive(Debug, Clone)]
struct Class {
    file: usize,
    package: String,
    fields: Vec<JField>,
}

struct Source {
    package: String,
    text: String,
    tree: tree_sitter::Tree,
}

#[derive(Default)]
struct Index {
    classes: HashMap<String, Vec<Class>>,
    /// (class, constant) → value.
    constants: HashMap<(String, String), String>,
    /// (package, method) → doc comment, from interfaces and implementations.
    docs: HashMap<(String, String), String>,
}

/// The service package of a file: its folder, or the folder above `request/` and `response/`.
fn package_of(file: &Path) -> String {
    let parent = file.parent().unwrap_or(file);
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match name(parent).as_str() {
        "request" | "response" | "model" => parent.parent().map(name).unwrap_or_default(),
        other => other.to_string(),
    }
}

pub fn read_sdk(dir: &Path) -> Result<(Vec<Call>, Vec<Constant>), String> {
    let language: tree_sitter::Language = tree_sitter_java::LANGUAGE.into();
    let mut sources = Vec::new();
    let mut index = Index::default();
    for file in files(dir, "java")? {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let tree = parse(&language, &text)?;
        let package = package_of(&file);
        let file_index = sources.len();
        for node in named_children(tree.root_node()) {
            collect_type(node, &text, &package, file_index, &mut index);
        }
        sources.push(Source {
            package,
            text,
            tree,
        });
    }
    let mut calls = Vec::new();
    let mut used = Vec::new();
    for (file_index, source) in sources.iter().enumerate() {
        for class in descendants(source.tree.root_node())
            .into_iter()
            .filter(|n| n.kind() == "class_declaration")
        {
            let Some(body) = class.child_by_field_name("body") else {
                continue;
            };
            for method in named_children(body)
                .into_iter()
                .filter(|n| n.kind() == "method_declaration")
            {
                if let Some((call, constant)) =
                    method::read_method(method, source, file_index, &index)
                {
                    used.push(constant);
                    calls.push(call);
                }
            }
        }
    }
    let mut constants: Vec<Constant> = index
        .constants
        .iter()
        .filter(|((class, _), value)| {
            class.ends_with("UrlContext") && crate::go::looks_like_endpoint(value)
        })
        .map(|((class, name), value)| Constant {
            sdk: Sdk::Java,
            package: class.clone(),
            name: name.clone(),
            path: value.clone(),
            used: used.contains(&(class.clone(), name.clone())),
        })
        .collect();
    constants.sort();
    Ok((calls, constants))
}

fn collect_type(node: Node, src: &str, package: &str, file: usize, index: &mut Index) {
    let Some(body) = node.child_by_field_name("body") else {
        return;
    };
    let class_name = node
        .child_by_field_name("name")
        .map(|n| text(n, src).to_string())
        .unwrap_or_default();
    match node.kind() {
        "class_declaration" => {
            let mut fields = Vec::new();
            for member in named_children(body) {
                match member.kind() {
                    "field_declaration" => read_field(member, src, &class_name, &mut fields, index),
                    "class_declaration" | "interface_declaration" => {
                        collect_type(member, src, package, file, index)
                    }
                    "method_declaration" => record_doc(member, src, package, index),
                    _ => {}
                }
            }
            index.classes.entry(class_name).or_default().push(Class {
                file,
                package: package.to_string(),
                fields,
            });
        }
        "interface_declaration" => {
            for member in named_children(body)
                .into_iter()
                .filter(|m| m.kind() == "method_declaration")
            {
                record_doc(member, src, package, index);
            }
        }
        _ => {}
    }
}

fn record_doc(method: Node, src: &str, package: &str, index: &mut Index) {
    let Some(name) = method.child_by_field_name("name") else {
        return;
    };
    if let Some(doc) = leading_comment(method, src) {
        index
            .docs
            .entry((package.to_string(), text(name, src).to_string()))
            .or_insert(doc);
    }
}

fn read_field(member: Node, src: &str, class: &str, fields: &mut Vec<JField>, index: &mut Index) {
    let modifiers = named_children(member)
        .into_iter()
        .find(|n| n.kind() == "modifiers");
    let is_static = modifiers.is_some_and(|m| {
        let mut c = m.walk();
        let found = m.children(&mut c).any(|k| k.kind() == "static");
        found
    });
    let Some(ty) = member.child_by_field_name("type") else {
        return;
    };
    let mut cursor = member.walk();
    for declarator in member.children_by_field_name("declarator", &mut cursor) {
        let Some(name) = declarator.child_by_field_name("name") else {
            continue;
        };
        let java_name = text(name, src).to_string();
        if is_static {
            if let Some(value) = declarator
                .child_by_field_name("value")
                .and_then(|v| string_value(v, src))
            {
                index
                    .constants
                    .insert((class.to_string(), java_name), value);
            }
            continue;
        }
        let (wire, form_param, serialize) = annotations(modifiers, src);
        fields.push(JField {
            wire: wire.unwrap_or_else(|| java_name.clone()),
            java_name,
            form_param,
            serialize,
            ty: type_expr(ty, src),
            doc: leading_comment(member, src),
        });
    }
}

/// (wire name, has `@YunxinParam`, serialised) from a field's annotations.
fn annotations(modifiers: Option<Node>, src: &str) -> (Option<String>, bool, bool) {
    let (mut wire, mut form, mut serialize) = (None, false, true);
    let Some(modifiers) = modifiers else {
        return (wire, form, serialize);
    };
    for a in named_children(modifiers)
        .into_iter()
        .filter(|n| n.kind() == "annotation")
    {
        let name = a
            .child_by_field_name("name")
            .map(|n| text(n, src))
            .unwrap_or_default();
        let Some(args) = a.child_by_field_name("arguments") else {
            continue;
        };
        for arg in named_children(args) {
            match arg.kind() {
                "string_literal" if name == "YunxinParam" => {
                    wire = string_value(arg, src);
                    form = true;
                }
                "element_value_pair" => {
                    let key = arg
                        .child_by_field_name("key")
                        .map(|k| text(k, src))
                        .unwrap_or_default();
                    let value = arg.child_by_field_name("value");
                    match key {
                        "name" | "value" => {
                            if let Some(v) = value.and_then(|v| string_value(v, src)) {
                                wire = Some(v);
                                form |= name == "YunxinParam";
                            }
                        }
                        "serialize" => serialize = value.is_none_or(|v| text(v, src) != "false"),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    (wire, form, serialize)
}

fn type_expr(node: Node, src: &str) -> String {
    match node.kind() {
        "integral_type" => {
            if text(node, src) == "long" {
                "long".into()
            } else {
                "int".into()
            }
        }
        "floating_point_type" => "float".into(),
        "boolean_type" => "bool".into(),
        "array_type" => node
            .child_by_field_name("element")
            .map_or("list<any>".into(), |e| {
                format!("list<{}>", type_expr(e, src))
            }),
        "generic_type" => {
            let parts = named_children(node);
            let base = parts.first().map(|b| text(*b, src)).unwrap_or_default();
            let args: Vec<Node> = parts.get(1).map(|a| named_children(*a)).unwrap_or_default();
            match base {
                "List" | "Set" | "ArrayList" | "Collection" | "LinkedList" | "HashSet" => {
                    format!(
                        "list<{}>",
                        args.first().map_or("any".into(), |a| type_expr(*a, src))
                    )
                }
                "Map" | "HashMap" | "LinkedHashMap" | "TreeMap" => {
                    format!(
                        "map<string, {}>",
                        args.get(1).map_or("any".into(), |a| type_expr(*a, src))
                    )
                }
                _ => "any".into(),
            }
        }
        "type_identifier" | "scoped_type_identifier" => {
            let name = text(node, src).rsplit('.').next().unwrap_or_default();
            match name {
                "String" => "string".into(),
                "Integer" | "Short" | "Byte" => "int".into(),
                "Long" | "BigInteger" => "long".into(),
                "Boolean" => "bool".into(),
                "Double" | "Float" | "BigDecimal" => "float".into(),
                "Object" | "JSONObject" => "any".into(),
                "JSONArray" => "list<any>".into(),
                other => format!("@{other}"),
            }
        }
        _ => "any".into(),
    }
}

fn find_class<'i>(index: &'i Index, name: &str, file: usize, package: &str) -> Option<&'i Class> {
    let candidates = index.classes.get(name)?;
    candidates
        .iter()
        .find(|c| c.file == file)
        .or_else(|| candidates.iter().find(|c| c.package == package))
        .or_else(|| candidates.first())
}

fn resolve_type(
    ty: &str,
    index: &Index,
    file: usize,
    package: &str,
    types: &mut BTreeMap<String, Vec<Field>>,
    stack: &mut Vec<String>,
) -> String {
    crate::merge::map_names(ty, &mut |name| {
        let Some(class) = find_class(index, name, file, package) else {
            return "any".into();
        };
        if stack.iter().any(|s| s == name) {
            return "any".into();
        }
        if !types.contains_key(name) {
            stack.push(name.to_string());
            let fields = class
                .fields
                .iter()
                .filter(|f| f.serialize)
                .map(|f| {
                    plain_field(
                        &f.wire,
                        &resolve_type(&f.ty, index, class.file, &class.package, types, stack),
                        f.doc.clone(),
                    )
                })
                .collect();
            stack.pop();
            types.insert(name.to_string(), fields);
        }
        name.to_string()
    })
}

fn plain_field(wire: &str, ty: &str, doc: Option<String>) -> Field {
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
