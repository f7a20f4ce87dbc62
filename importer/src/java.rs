//! Reads the Java SDK: `XxxUrlContext` constants, request and response classes
//! (`@JSONField(name = …)` for JSON, `@YunxinParam(…)` for v1 forms), and the service methods
//! that call `httpClient.executeV1Api(…)` or `executeV2Api(HttpMethod.X, Ctx.Y, path, query, body)`.

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
                if let Some((call, constant)) = read_method(method, source, file_index, &index) {
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
    let modifier_text = modifiers.map(|m| text(m, src)).unwrap_or_default();
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
    let _ = modifier_text;
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

/// Calls `recv.name("key", value…)` in `nodes`: (receiver text, key, value node).
fn keyed_calls<'t>(
    nodes: &[Node<'t>],
    name: &str,
    src: &str,
) -> Vec<(String, String, Option<Node<'t>>)> {
    nodes
        .iter()
        .filter(|n| {
            n.kind() == "method_invocation"
                && n.child_by_field_name("name")
                    .is_some_and(|m| text(m, src) == name)
        })
        .filter_map(|n| {
            let receiver = n
                .child_by_field_name("object")
                .map(|o| text(o, src).to_string())
                .unwrap_or_default();
            let args = named_children(n.child_by_field_name("arguments")?);
            let key = string_value(*args.first()?, src)?;
            Some((receiver, key, args.get(1).copied()))
        })
        .collect()
}

/// The request field a value reads through its getter (`request.getLimit()`).
fn getter_field<'c>(
    value: Option<Node>,
    req_var: &str,
    class: Option<&'c Class>,
    src: &str,
) -> Option<&'c JField> {
    let class = class?;
    let value = value?;
    descendants(value).into_iter().find_map(|n| {
        if n.kind() != "method_invocation"
            || n.child_by_field_name("object")
                .is_none_or(|o| text(o, src) != req_var)
        {
            return None;
        }
        let getter = text(n.child_by_field_name("name")?, src);
        let property = getter
            .strip_prefix("get")
            .or_else(|| getter.strip_prefix("is"))?;
        class
            .fields
            .iter()
            .find(|f| f.java_name.eq_ignore_ascii_case(property))
    })
}

fn read_method(
    method: Node,
    source: &Source,
    file: usize,
    index: &Index,
) -> Option<(Call, (String, String))> {
    let src = source.text.as_str();
    let body = method.child_by_field_name("body")?;
    let nodes = descendants(body);
    let exec = nodes.iter().copied().find(|n| {
        n.kind() == "method_invocation"
            && n.child_by_field_name("name")
                .is_some_and(|m| matches!(text(m, src), "executeV1Api" | "executeV2Api"))
    })?;
    let v1 = text(exec.child_by_field_name("name")?, src) == "executeV1Api";
    let args = named_children(exec.child_by_field_name("arguments")?);
    let method_name = text(method.child_by_field_name("name")?, src).to_string();
    let param = method.child_by_field_name("parameters").and_then(|p| {
        named_children(p)
            .into_iter()
            .find(|n| n.kind() == "formal_parameter")
    });
    let req_var = param
        .and_then(|p| p.child_by_field_name("name"))
        .map(|n| text(n, src).to_string())
        .unwrap_or_default();
    let req_type = param
        .and_then(|p| p.child_by_field_name("type"))
        .map(|t| text(t, src).to_string());
    let request = req_type
        .as_deref()
        .and_then(|t| find_class(index, t, file, &source.package));
    let constant_node = if v1 { *args.first()? } else { *args.get(1)? };
    let constant_text = text(constant_node, src);
    let (class, constant) = constant_text
        .rsplit_once('.')
        .map(|(c, k)| (c.to_string(), k.to_string()))?;
    let raw_path = index
        .constants
        .get(&(class.clone(), constant.clone()))?
        .clone();
    let mut fields = Vec::new();
    // The request field a map value reads: through its getter, else the field of that wire name.
    let field_of = |value: Option<Node>, key: &str| {
        getter_field(value, &req_var, request, src)
            .or_else(|| request.and_then(|c| c.fields.iter().find(|f| f.wire == key)))
    };
    let (api, http_method, path) = if v1 {
        let map_var = args
            .get(1)
            .map(|a| text(*a, src).to_string())
            .unwrap_or_default();
        for f in request
            .map(|c| c.fields.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|f| f.form_param)
        {
            add_field(&mut fields, &f.wire, &f.ty, Placement::Body, f.doc.clone());
        }
        for (receiver, key, value) in keyed_calls(&nodes, "put", src) {
            if receiver == map_var {
                let f = field_of(value, &key);
                add_field(
                    &mut fields,
                    &key,
                    f.map_or("string", |f| f.ty.as_str()),
                    Placement::Body,
                    f.and_then(|f| f.doc.clone()),
                );
            }
        }
        for (receiver, key, _) in keyed_calls(&nodes, "remove", src) {
            if receiver == map_var {
                fields.retain(|f: &Field| f.wire != key);
            }
        }
        ("v1", "POST".to_string(), v1_path(&raw_path))
    } else {
        let http = args
            .first()
            .and_then(|a| a.child_by_field_name("field"))
            .map(|f| text(f, src).to_string())?;
        for (_, key, value) in keyed_calls(&nodes, "replace", src) {
            if let Some(name) = key.strip_prefix('{').and_then(|k| k.strip_suffix('}')) {
                let f = field_of(value, name);
                add_field(
                    &mut fields,
                    name,
                    f.map_or("string", |f| f.ty.as_str()),
                    Placement::Path,
                    f.and_then(|f| f.doc.clone()),
                );
            }
        }
        let query_var = args
            .get(3)
            .map(|a| text(*a, src).to_string())
            .unwrap_or_else(|| "null".into());
        let body_arg = args
            .get(4)
            .map(|a| text(*a, src).to_string())
            .unwrap_or_else(|| "null".into());
        for (receiver, key, value) in keyed_calls(&nodes, "put", src) {
            let placement = if receiver == query_var {
                Placement::Query
            } else if body_arg != "null" {
                Placement::Body
            } else {
                continue;
            };
            let f = field_of(value, &key);
            add_field(
                &mut fields,
                &key,
                f.map_or("string", |f| f.ty.as_str()),
                placement,
                f.and_then(|f| f.doc.clone()),
            );
        }
        let serialises_request = body_arg != "null"
            && nodes.iter().any(|n| {
                n.kind() == "method_invocation"
                    && n.child_by_field_name("name")
                        .is_some_and(|m| text(m, src) == "toJSONString")
                    && n.child_by_field_name("arguments").is_some_and(|a| {
                        named_children(a)
                            .first()
                            .is_some_and(|x| text(*x, src) == req_var)
                    })
            });
        if serialises_request {
            let removed: Vec<String> = keyed_calls(&nodes, "remove", src)
                .into_iter()
                .map(|(_, k, _)| k)
                .collect();
            for f in request
                .map(|c| c.fields.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|f| f.serialize && !removed.contains(&f.wire))
            {
                add_field(&mut fields, &f.wire, &f.ty, Placement::Body, f.doc.clone());
            }
        }
        ("v2", http, raw_path)
    };
    for wire in required_fields(&nodes, &req_var, request, src) {
        if let Some(f) = fields.iter_mut().find(|f| f.wire == wire) {
            f.required = true;
        }
    }
    let mut types = BTreeMap::new();
    for f in fields.iter_mut() {
        if f.placements.contains(&Placement::Path) {
            f.required = true;
        }
        let (cf, cp) = request.map_or((file, source.package.as_str()), |c| {
            (c.file, c.package.as_str())
        });
        f.ty = resolve_type(&f.ty, index, cf, cp, &mut types, &mut Vec::new());
    }
    let response_type = method.child_by_field_name("type").and_then(|t| {
        descendants(t)
            .into_iter()
            .filter(|n| n.kind() == "type_identifier")
            .map(|n| text(n, src).to_string())
            .find(|n| n != "Result")
    });
    let response = response_type
        .as_deref()
        .and_then(|t| find_class(index, t, file, &source.package));
    let mut reply: Vec<Field> = response
        .map(|c| {
            c.fields
                .iter()
                .map(|f| {
                    plain_field(
                        &f.wire,
                        &resolve_type(
                            &f.ty,
                            index,
                            c.file,
                            &c.package,
                            &mut types,
                            &mut Vec::new(),
                        ),
                        f.doc.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if v1 {
        reply = crate::merge::wrap_v1_reply(
            reply,
            &reply_keys(&nodes, src),
            response_type.as_deref(),
            &mut types,
        );
    }
    let doc = index
        .docs
        .get(&(source.package.clone(), method_name.clone()))
        .cloned();
    let call = Call {
        sdk: Sdk::Java,
        package: source.package.clone(),
        method_name,
        doc,
        api: api.into(),
        http_method,
        path,
        constant: constant.clone(),
        request_type: req_type,
        response_type,
        fields,
        reply,
        types,
    };
    Some((call, (class, constant)))
}

/// Wire names an `if (request.getX() == null …) throw …` refuses to leave empty.
fn required_fields(
    nodes: &[Node],
    req_var: &str,
    request: Option<&Class>,
    src: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for n in nodes.iter().filter(|n| n.kind() == "if_statement") {
        let (Some(cond), Some(then)) = (
            n.child_by_field_name("condition"),
            n.child_by_field_name("consequence"),
        ) else {
            continue;
        };
        if !text(then, src).contains("throw") {
            continue;
        }
        for c in descendants(cond) {
            let empty_test = match c.kind() {
                "binary_expression" => {
                    c.child_by_field_name("operator")
                        .is_some_and(|o| text(o, src) == "==")
                        && c.child_by_field_name("right")
                            .is_some_and(|r| r.kind() == "null_literal")
                }
                "method_invocation" => {
                    c.child_by_field_name("name")
                        .is_some_and(|m| matches!(text(m, src), "isEmpty" | "isBlank"))
                        && c.parent().is_none_or(|p| p.kind() != "unary_expression")
                }
                _ => false,
            };
            if !empty_test {
                continue;
            }
            if let Some(f) = getter_field(Some(c), req_var, request, src) {
                if !out.contains(&f.wire) {
                    out.push(f.wire.clone());
                }
            }
        }
    }
    out
}

/// Keys a v1 method reads from the decoded reply (`object.getObject("info", …)`).
fn reply_keys(nodes: &[Node], src: &str) -> Vec<String> {
    let decoded: Vec<String> = nodes
        .iter()
        .filter(|n| {
            n.kind() == "variable_declarator"
                && n.child_by_field_name("value")
                    .is_some_and(|v| text(v, src).contains("apiResponse.getData()"))
        })
        .filter_map(|n| {
            n.child_by_field_name("name")
                .map(|m| text(m, src).to_string())
        })
        .collect();
    let mut keys = Vec::new();
    for n in nodes.iter().filter(|n| n.kind() == "method_invocation") {
        let receiver = n
            .child_by_field_name("object")
            .map(|o| text(o, src))
            .unwrap_or_default();
        let name = n
            .child_by_field_name("name")
            .map(|m| text(m, src))
            .unwrap_or_default();
        if !decoded.iter().any(|d| d == receiver) || !name.starts_with("get") {
            continue;
        }
        let key = n
            .child_by_field_name("arguments")
            .and_then(|a| named_children(a).into_iter().next())
            .and_then(|k| string_value(k, src));
        if let Some(key) = key.filter(|k| k != "code" && k != "desc") {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}
