//! One service method of the Go SDK: the endpoint it calls and what it sends and reads.

use super::*;

struct MapUse<'t> {
    key: String,
    value: Option<Node<'t>>,
}

pub(super) fn read_method(method: Node, src: &str, package: &Package) -> Option<(Call, String)> {
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
            let ty = value_type(u.value, &u.key, &req_var, &request, &nodes, src);
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
                let ty = value_type(u.value, &u.key, &req_var, &request, &nodes, src);
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
    nodes: &[Node],
    src: &str,
) -> String {
    let read = |v: Node| {
        descendants(v).into_iter().find_map(|n| {
            let on_request = n.kind() == "selector_expression"
                && n.child_by_field_name("operand")
                    .is_some_and(|o| text(o, src) == req_var);
            on_request.then(|| {
                n.child_by_field_name("field")
                    .map(|f| text(f, src).to_string())
            })?
        })
    };
    // `toJson, _ := json.Marshal(req.To)` then `paramMap["to"] = string(toJson)`: follow the local.
    let through_local = |v: Node| {
        descendants(v)
            .into_iter()
            .filter(|n| n.kind() == "identifier")
            .find_map(|id| {
                nodes.iter().find_map(|d| {
                    let declares = d.kind() == "short_var_declaration"
                        && d.child_by_field_name("left").is_some_and(|l| {
                            named_children(l)
                                .first()
                                .is_some_and(|x| text(*x, src) == text(id, src))
                        });
                    declares.then(|| d.child_by_field_name("right").and_then(read))?
                })
            })
    };
    value
        .and_then(|v| read(v).or_else(|| through_local(v)))
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
