//! Reads the Go SDK: URL constants, request and response structs (`json:"…"` tags), and the
//! service methods that call `ExecuteV1Api(Const, paramMap)` or
//! `ExecuteV2Api(http.M, Const, pathParams, queryParams, body)`.

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
                if let Some((call, constant)) = read_method(node, &source.text, package) {
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

struct MapUse<'t> {
    key: String,
    value: Option<Node<'t>>,
}

fn read_method(method: Node, src: &str, package: &Package) -> Option<(Call, String)> {
    let body = method.child_by_field_name("body")?;
    let nodes = descendants(body);
    let exec = nodes.iter().copied().find(|n| {
        n.kind() == "call_expression"
            && n.child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("field"))
                .is_some_and(|f| matches!(text(f, src), "ExecuteV1Api" | "ExecuteV2Api"))
    })?;
    let function = text(
        exec.child_by_field_name("function")?
            .child_by_field_name("field")?,
        src,
    );
    let args = named_children(exec.child_by_field_name("arguments")?);
    let method_name = text(method.child_by_field_name("name")?, src).to_string();
    let (req_var, req_type) = request_param(method, src);
    let request = req_type
        .as_deref()
        .and_then(|t| package.structs.get(t))
        .cloned()
        .unwrap_or_default();
    let mut fields: Vec<Field> = Vec::new();
    let (api, http_method, constant_node) = if function == "ExecuteV1Api" {
        let map_var = args
            .get(1)
            .map(|a| text(*a, src).to_string())
            .unwrap_or_default();
        for f in &request {
            if let Some(wire) = &f.wire {
                add_field(&mut fields, wire, &f.ty, Placement::Body, f.doc.clone());
            }
        }
        for u in map_uses(&nodes, &map_var, src) {
            let ty = value_type(u.value, &u.key, &req_var, &request, src);
            add_field(&mut fields, &u.key, &ty, Placement::Body, None);
        }
        for key in deleted_keys(&nodes, &map_var, src) {
            fields.retain(|f| f.wire != key);
        }
        ("v1", "POST".to_string(), *args.first()?)
    } else {
        let http = args
            .first()
            .and_then(|a| a.child_by_field_name("field"))
            .map(|f| text(f, src).to_string())?;
        for (index, placement) in [(2, Placement::Path), (3, Placement::Query)] {
            let var = args
                .get(index)
                .map(|a| text(*a, src).to_string())
                .unwrap_or_default();
            if var == "nil" {
                continue;
            }
            for u in map_uses(&nodes, &var, src) {
                let ty = value_type(u.value, &u.key, &req_var, &request, src);
                add_field(&mut fields, &u.key, &ty, placement, None);
            }
        }
        let body = args.get(4).map(|a| text(*a, src)).unwrap_or("nil");
        if body != "nil" && body != "\"\"" {
            for f in &request {
                if let Some(wire) = &f.wire {
                    add_field(&mut fields, wire, &f.ty, Placement::Body, f.doc.clone());
                }
            }
        }
        ("v2", http, *args.get(1)?)
    };
    // Docs of request fields sent through maps come from the struct field they read.
    let constant = text(constant_node, src)
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_string();
    let raw_path = package.constants.get(&constant)?.clone();
    let path = if api == "v1" {
        v1_path(&raw_path)
    } else {
        raw_path
    };
    for wire in required_fields(&nodes, &req_var, &request, src) {
        if let Some(f) = fields.iter_mut().find(|f| f.wire == wire) {
            f.required = true;
        }
    }
    for f in fields
        .iter_mut()
        .filter(|f| f.placements.contains(&Placement::Path))
    {
        f.required = true;
    }
    let response_type = response_type(method, src, package);
    let reply_keys = reply_keys(&nodes, src);
    let mut types = BTreeMap::new();
    let resolve = |ty: &str, types: &mut BTreeMap<String, Vec<Field>>| {
        resolve_type(ty, package, types, &mut Vec::new())
    };
    for f in &mut fields {
        f.ty = resolve(&f.ty, &mut types);
    }
    let response = response_type
        .as_deref()
        .and_then(|t| package.structs.get(t))
        .cloned()
        .unwrap_or_default();
    let mut reply: Vec<Field> = response
        .iter()
        .filter_map(|f| {
            f.wire
                .as_ref()
                .map(|w| reply_field(w, &resolve(&f.ty, &mut types), f.doc.clone()))
        })
        .collect();
    if api == "v1" {
        reply =
            crate::merge::wrap_v1_reply(reply, &reply_keys, response_type.as_deref(), &mut types);
    }
    let doc = leading_comment(method, src)
        .map(|d| {
            d.trim_start_matches(method_name.as_str())
                .trim()
                .to_string()
        })
        .filter(|d| !d.is_empty());
    let call = Call {
        sdk: Sdk::Go,
        package: package.name.clone(),
        method_name,
        doc,
        api: api.to_string(),
        http_method,
        path,
        constant: constant.clone(),
        request_type: req_type,
        response_type,
        fields,
        reply,
        types,
    };
    Some((call, constant))
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

fn request_param(method: Node, src: &str) -> (String, Option<String>) {
    let Some(params) = method.child_by_field_name("parameters") else {
        return (String::new(), None);
    };
    let Some(first) = named_children(params)
        .into_iter()
        .find(|n| n.kind() == "parameter_declaration")
    else {
        return (String::new(), None);
    };
    let name = first
        .child_by_field_name("name")
        .map(|n| text(n, src).to_string())
        .unwrap_or_default();
    let ty = first
        .child_by_field_name("type")
        .and_then(|t| {
            descendants(t)
                .into_iter()
                .find(|n| n.kind() == "type_identifier")
        })
        .map(|n| text(n, src).to_string());
    (name, ty)
}

fn response_type(method: Node, src: &str, package: &Package) -> Option<String> {
    let result = method.child_by_field_name("result")?;
    descendants(result)
        .into_iter()
        .filter(|n| n.kind() == "type_identifier")
        .map(|n| text(n, src).to_string())
        .rfind(|n| package.structs.contains_key(n))
}

/// Keys a map variable gets: from its composite literal and from `var["k"] = …`.
fn map_uses<'t>(nodes: &[Node<'t>], var: &str, src: &str) -> Vec<MapUse<'t>> {
    let mut out = Vec::new();
    for n in nodes {
        match n.kind() {
            "short_var_declaration" | "assignment_statement" => {
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    continue;
                };
                let target = named_children(left).into_iter().next();
                let value = named_children(right).into_iter().next();
                let (Some(target), Some(value)) = (target, value) else {
                    continue;
                };
                if text(target, src) == var && value.kind() == "composite_literal" {
                    for element in descendants(value)
                        .into_iter()
                        .filter(|e| e.kind() == "keyed_element")
                    {
                        let parts = named_children(element);
                        let key = parts
                            .first()
                            .map(|k| unwrap_element(*k))
                            .and_then(|k| string_value(k, src));
                        if let Some(key) = key {
                            out.push(MapUse {
                                key,
                                value: parts.get(1).map(|v| unwrap_element(*v)),
                            });
                        }
                    }
                } else if target.kind() == "index_expression"
                    && target
                        .child_by_field_name("operand")
                        .is_some_and(|o| text(o, src) == var)
                {
                    if let Some(key) = target
                        .child_by_field_name("index")
                        .and_then(|i| string_value(i, src))
                    {
                        out.push(MapUse {
                            key,
                            value: Some(value),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn unwrap_element(node: Node) -> Node {
    if node.kind() == "literal_element" {
        named_children(node).into_iter().next().unwrap_or(node)
    } else {
        node
    }
}

fn deleted_keys(nodes: &[Node], var: &str, src: &str) -> Vec<String> {
    nodes
        .iter()
        .filter(|n| {
            n.kind() == "call_expression"
                && n.child_by_field_name("function")
                    .is_some_and(|f| text(f, src) == "delete")
        })
        .filter_map(|n| {
            let args = named_children(n.child_by_field_name("arguments")?);
            (args.first().map(|a| text(*a, src)) == Some(var))
                .then(|| args.get(1).and_then(|k| string_value(*k, src)))?
        })
        .collect()
}

/// The type of the request field a map value reads (`req.Limit` inside `strconv.Itoa(…)`).
fn value_type(
    value: Option<Node>,
    key: &str,
    req_var: &str,
    request: &[GoField],
    src: &str,
) -> String {
    value
        .and_then(|v| {
            descendants(v).into_iter().find_map(|n| {
                (n.kind() == "selector_expression"
                    && n.child_by_field_name("operand")
                        .is_some_and(|o| text(o, src) == req_var))
                .then(|| {
                    n.child_by_field_name("field")
                        .map(|f| text(f, src).to_string())
                })?
            })
        })
        .and_then(|go_name| {
            request
                .iter()
                .find(|f| f.go_name == go_name)
                .map(|f| f.ty.clone())
        })
        .or_else(|| {
            request
                .iter()
                .find(|f| f.wire.as_deref() == Some(key))
                .map(|f| f.ty.clone())
        })
        .unwrap_or_else(|| "string".into())
}

/// Wire names of request fields an `if req.X == "" { return …Errorf… }` refuses to leave empty.
fn required_fields(nodes: &[Node], req_var: &str, request: &[GoField], src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for n in nodes.iter().filter(|n| n.kind() == "if_statement") {
        let (Some(cond), Some(then)) = (
            n.child_by_field_name("condition"),
            n.child_by_field_name("consequence"),
        ) else {
            continue;
        };
        let then_text = text(then, src);
        if !(then_text.contains("return")
            && (then_text.contains("Errorf") || then_text.contains("errors.New")))
        {
            continue;
        }
        for b in descendants(cond)
            .into_iter()
            .filter(|b| b.kind() == "binary_expression")
        {
            let (Some(l), Some(r)) = (
                b.child_by_field_name("left"),
                b.child_by_field_name("right"),
            ) else {
                continue;
            };
            let op = b
                .child_by_field_name("operator")
                .map(|o| text(o, src))
                .unwrap_or_default();
            let empty = matches!(text(r, src), "\"\"" | "nil" | "0") && (op == "==" || op == "<=");
            if !empty {
                continue;
            }
            let target = if l.kind() == "call_expression"
                && l.child_by_field_name("function")
                    .is_some_and(|f| text(f, src) == "len")
            {
                l.child_by_field_name("arguments")
                    .and_then(|a| named_children(a).into_iter().next())
            } else {
                Some(l)
            };
            let Some(target) = target.filter(|t| t.kind() == "selector_expression") else {
                continue;
            };
            if target
                .child_by_field_name("operand")
                .is_none_or(|o| text(o, src) != req_var)
            {
                continue;
            }
            let go_name = target
                .child_by_field_name("field")
                .map(|f| text(f, src))
                .unwrap_or_default();
            if let Some(wire) = request.iter().find(|f| f.go_name == go_name).and_then(|f| {
                f.wire
                    .clone()
                    .or_else(|| Some(crate::syntax::snake(go_name)))
            }) {
                out.push(wire);
            }
        }
    }
    out
}

/// Keys a v1 method reads from the decoded reply (`jsonObj["info"]`), `code` and `desc` aside.
fn reply_keys(nodes: &[Node], src: &str) -> Vec<String> {
    let decoded: Vec<String> = nodes
        .iter()
        .filter(|n| {
            n.kind() == "call_expression"
                && n.child_by_field_name("function")
                    .is_some_and(|f| text(f, src) == "json.Unmarshal")
        })
        .filter_map(|n| {
            let args = named_children(n.child_by_field_name("arguments")?);
            (args.len() == 2 && text(args[0], src).contains("apiResponse"))
                .then(|| text(args[1], src).trim_start_matches('&').to_string())
        })
        .collect();
    let mut keys = Vec::new();
    for n in nodes.iter().filter(|n| n.kind() == "index_expression") {
        let operand = n
            .child_by_field_name("operand")
            .map(|o| text(o, src))
            .unwrap_or_default();
        if !decoded.iter().any(|d| d == operand) {
            continue;
        }
        if let Some(key) = n
            .child_by_field_name("index")
            .and_then(|i| string_value(i, src))
        {
            if key != "code" && key != "desc" && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}
