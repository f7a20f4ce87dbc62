//! One service method of the Java SDK: the endpoint it calls and what it sends and reads.

use super::*;

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

pub(super) fn read_method(
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
    let (class, constant) = url_constant(constant_node, &nodes, index, src)?;
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

/// The `(class, constant)` a URL argument names: `Ctx.CONST` itself, or a local holding
/// `Ctx.CONST.replace(…)` (some methods pass the substituted path where the constant goes).
fn url_constant(arg: Node, nodes: &[Node], index: &Index, src: &str) -> Option<(String, String)> {
    let named = |n: Node| {
        let (class, constant) = text(n, src).rsplit_once('.')?;
        let key = (class.to_string(), constant.to_string());
        index.constants.contains_key(&key).then_some(key)
    };
    if arg.kind() == "field_access" {
        return named(arg);
    }
    let local = text(arg, src);
    let value = nodes.iter().find_map(|n| {
        let declares = n.kind() == "variable_declarator"
            && n.child_by_field_name("name")
                .is_some_and(|m| text(m, src) == local);
        declares.then(|| n.child_by_field_name("value"))?
    })?;
    descendants(value)
        .into_iter()
        .filter(|n| n.kind() == "field_access")
        .find_map(named)
}
