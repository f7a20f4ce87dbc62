//! The generated markdown docs: every fact of the spec appears on its endpoint's page (the committed
//! file and fresh output), the tables parse into one row per field, and spec text holding `|` or
//! line breaks cannot break a table.

use std::fs;
use std::path::PathBuf;

use codegen::emit::docs::{self, page_path};
use codegen::emit::{markdown_header, snippet};
use codegen::model::{Endpoint, Field, Literal, Model, Ty};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

fn root() -> PathBuf {
    xtask::workspace_root()
}

fn model() -> Model {
    codegen::load_model(&root().join("spec"), "spec")
        .unwrap_or_else(|d| panic!("the spec does not load:\n{d}"))
}

fn committed(endpoint: &Endpoint) -> String {
    let path = root().join(page_path(endpoint));
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask codegen`", path.display()))
}

fn fresh(model: &Model, endpoint: &Endpoint) -> String {
    docs::render_endpoint(model, endpoint)
}

// ---------------------------------------------------------------------------------------------
// The model walk, independent of the emitter's own.

/// The objects an endpoint uses, each once, request side first, depth first in field order.
fn objects_used<'m>(model: &'m Model, endpoint: &Endpoint) -> Vec<&'m codegen::model::ObjectDef> {
    fn walk<'m>(model: &'m Model, ty: &Ty, out: &mut Vec<&'m codegen::model::ObjectDef>) {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => walk(model, inner, out),
            Ty::Object(name) if !out.iter().any(|o| &o.name == name) => {
                let def = model.object(name).expect("checked model");
                out.push(def);
                for f in &def.fields {
                    walk(model, &f.ty, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for f in endpoint.fields.iter().chain(&endpoint.reply.fields) {
        walk(model, &f.ty, &mut out);
    }
    out
}

fn enums_used<'m>(model: &'m Model, endpoint: &Endpoint) -> Vec<&'m codegen::model::EnumDef> {
    fn inner_enum(ty: &Ty) -> Option<&str> {
        match ty {
            Ty::Enum(name) => Some(name),
            Ty::List(inner) | Ty::Map(inner) => inner_enum(inner),
            _ => None,
        }
    }
    let mut names: Vec<&str> = Vec::new();
    let objects = objects_used(model, endpoint);
    let fields = endpoint
        .fields
        .iter()
        .chain(&endpoint.reply.fields)
        .chain(objects.iter().flat_map(|o| &o.fields));
    for f in fields {
        if let Some(name) = inner_enum(&f.ty) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
        .iter()
        .map(|n| model.enum_def(n).expect("checked model"))
        .collect()
}

/// Every field the page must describe: request, reply, and the fields of every object used.
fn all_fields<'m>(model: &'m Model, endpoint: &'m Endpoint) -> Vec<&'m Field> {
    let objects = objects_used(model, endpoint);
    endpoint
        .fields
        .iter()
        .chain(&endpoint.reply.fields)
        .chain(objects.into_iter().flat_map(|o| &o.fields))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Facts on a page, by text.

/// The table lines that describe the field `wire` (their first cell is the wire name).
fn rows_of<'p>(page: &'p str, wire: &str) -> Vec<&'p str> {
    let start = format!("| `{wire}` |");
    page.lines().filter(|l| l.starts_with(&start)).collect()
}

fn default_text(value: &Literal) -> String {
    match value {
        Literal::Enum { name, value, .. } => format!("`{name}` ({value})"),
        other => format!("`{}`", other.display()),
    }
}

/// What the page fails to say about the endpoint; empty when it says everything.
pub(crate) fn missing_facts(model: &Model, endpoint: &Endpoint, page: &str) -> Vec<String> {
    let mut missing = Vec::new();
    if !page.starts_with(&markdown_header(model)) {
        missing.push("the @generated header".to_owned());
    }
    for f in all_fields(model, endpoint) {
        let rows = rows_of(page, &f.wire);
        if rows.is_empty() {
            missing.push(format!("a row for `{}`", f.wire));
            continue;
        }
        let l = &f.limits;
        let numbers = [l.min_chars, l.max_chars, l.min_items, l.max_items]
            .into_iter()
            .flatten()
            .map(|n| n.to_string())
            .chain([l.min, l.max].into_iter().flatten().map(|n| n.to_string()));
        for n in numbers {
            if !rows.iter().any(|r| r.contains(&n)) {
                missing.push(format!("limit {n} of `{}`", f.wire));
            }
        }
        if let Some(p) = &l.pattern {
            if !rows
                .iter()
                .any(|r| r.contains(&docs::markdown::cell(&docs::markdown::code(p))))
            {
                missing.push(format!("pattern {p} of `{}`", f.wire));
            }
        }
        for a in &l.allowed {
            if !rows.iter().any(|r| r.contains(&a.display())) {
                missing.push(format!("allowed value {} of `{}`", a.display(), f.wire));
            }
        }
        if let Some(d) = &f.default {
            let text = default_text(d);
            if !rows
                .iter()
                .any(|r| r.contains(&text) && r.contains("default"))
            {
                missing.push(format!("default {text} of `{}`", f.wire));
            }
        }
    }
    for s in &endpoint.status_codes {
        if !page
            .lines()
            .any(|l| l.starts_with(&format!("| {} |", s.code)))
        {
            missing.push(format!("status code {}", s.code));
        }
    }
    match &endpoint.rate_limit {
        Some(rl) => {
            let rate = format!("At most {} calls per", rl.calls);
            if !page.contains(&rate) || !page.contains(&format!("answers code {}", rl.code)) {
                missing.push(format!("rate limit {} calls, code {}", rl.calls, rl.code));
            }
        }
        None => {
            if !page.contains("No source states a rate limit") {
                missing.push("the note that no source states a rate limit".into());
            }
        }
    }
    for r in &endpoint.rules {
        let severity = match r.severity {
            codegen::model::Severity::Error => "*refused*",
            codegen::model::Severity::Warning => "*warning*",
        };
        let sentence = docs::markdown::text(&docs::prose::rule(r));
        if !page.contains(&format!("- {severity}: {sentence}")) {
            missing.push(format!("rule `{sentence}` marked {severity}"));
        }
    }
    for d in &endpoint.disagreements {
        if !page.contains(&docs::markdown::text(&d.topic)) {
            missing.push(format!("disagreement `{}`", d.topic));
        }
    }
    missing
}

#[test]
fn committed_pages_state_every_wire_name_limit_default_and_status_code() {
    let model = model();
    for e in &model.endpoints {
        let missing = missing_facts(&model, e, &committed(e));
        assert!(missing.is_empty(), "{} lacks: {missing:#?}", page_path(e));
    }
}

#[test]
fn fresh_pages_state_every_wire_name_limit_default_and_status_code() {
    let model = model();
    for e in &model.endpoints {
        let missing = missing_facts(&model, e, &fresh(&model, e));
        assert!(missing.is_empty(), "fresh {} lacks: {missing:#?}", e.name);
    }
}

/// The first field (request, reply or object) of any endpoint that `has`, with its endpoint.
fn field_where(model: &Model, has: impl Fn(&Field) -> bool) -> Option<(&Endpoint, &Field)> {
    model.endpoints.iter().find_map(|e| {
        let f = all_fields(model, e).into_iter().find(|f| has(f))?;
        // A wire name shared by two tables of the page cannot be removed from one alone.
        (rows_of(&fresh(model, e), &f.wire).len() == 1).then_some((e, f))
    })
}

/// `page` without the table rows of `wire`.
fn without_rows(page: &str, wire: &str) -> String {
    let start = format!("| `{wire}` |");
    page.lines()
        .filter(|l| !l.starts_with(&start))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// `page` with `from` replaced by `to` in the table rows of `wire` only.
fn in_rows_of(page: &str, wire: &str, from: &str, to: &str) -> String {
    let start = format!("| `{wire}` |");
    page.lines()
        .map(|l| match l.starts_with(&start) {
            true => format!("{}\n", l.replace(from, to)),
            false => format!("{l}\n"),
        })
        .collect()
}

#[test]
fn the_fact_check_notices_a_missing_row_limit_default_and_code() {
    let model = model();
    let e = &model.endpoints[0];
    let wire = &e.fields[0].wire;
    let without_row = without_rows(&fresh(&model, e), wire);
    assert!(missing_facts(&model, e, &without_row).contains(&format!("a row for `{wire}`")));

    let numbered = |f: &Field| {
        let l = &f.limits;
        [l.min_chars, l.max_chars, l.min_items, l.max_items]
            .into_iter()
            .flatten()
            .map(|n| n.to_string())
            .chain([l.min, l.max].into_iter().flatten().map(|n| n.to_string()))
            .next()
    };
    let (e, f) = field_where(&model, |f| numbered(f).is_some()).expect("a field with a limit");
    let n = numbered(f).unwrap();
    let without_limit = in_rows_of(&fresh(&model, e), &f.wire, &n, "");
    let wanted = format!("limit {n} of `{}`", f.wire);
    assert!(missing_facts(&model, e, &without_limit).contains(&wanted));

    let (e, f) = field_where(&model, |f| f.default.is_some()).expect("a field with a default");
    let text = default_text(f.default.as_ref().unwrap());
    let without_default = in_rows_of(&fresh(&model, e), &f.wire, &text, "");
    let wanted = format!("default {text} of `{}`", f.wire);
    assert!(missing_facts(&model, e, &without_default).contains(&wanted));

    let e = model.endpoints.iter().find(|e| !e.status_codes.is_empty());
    let e = e.expect("an endpoint with status codes");
    let code = e.status_codes.last().unwrap().code;
    let without_code = fresh(&model, e).replace(&format!("| {code} |"), "| |");
    assert!(missing_facts(&model, e, &without_code).contains(&format!("status code {code}")));
}

#[test]
fn committed_docs_equal_fresh_output() {
    let model = model();
    for file in docs::emit(&model) {
        let on_disk = fs::read_to_string(root().join(&file.path)).unwrap_or_default();
        assert!(
            on_disk == file.contents,
            "{} is out of date; run `cargo xtask codegen`",
            file.path
        );
    }
}

mod tables;

pub(crate) use tables::table_problems;
use tables::{find, shown, tables};

#[test]
fn tables_hold_one_row_per_parameter_object_field_reply_field_and_enum_value() {
    let model = model();
    for e in &model.endpoints {
        for (which, page) in [("committed", committed(e)), ("fresh", fresh(&model, e))] {
            let problems = table_problems(&model, e, &page);
            assert!(problems.is_empty(), "{which} {}: {problems:#?}", e.name);
        }
    }
}

/// An endpoint with two request fields, a reply field and an object, and the first object's
/// name: what the table tests below need, found in the model.
fn tabled(model: &Model) -> (usize, String) {
    model
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| e.fields.len() >= 2 && !e.reply.fields.is_empty())
        .find_map(|(i, e)| Some((i, objects_used(model, e).first()?.name.clone())))
        .expect("an endpoint with two fields, a reply field and an object")
}

#[test]
fn spec_text_with_pipes_and_line_breaks_keeps_the_tables_whole() {
    let mut model = model();
    let tricky = "Either `0|1` or 2 | see below.\nSecond line with <list<string>> and [brackets].";
    let (index, object) = tabled(&model);
    let e = &mut model.endpoints[index];
    e.fields[0].description = tricky.into();
    e.fields[1].note = Some("a | b\r\nc".into());
    e.reply.fields[0].description = tricky.into();
    let def = model.objects.iter_mut().find(|o| o.name == object).unwrap();
    def.fields[0].description = tricky.into();
    let e = &model.endpoints[index];
    let page = fresh(&model, e);
    let problems = table_problems(&model, e, &page);
    assert!(problems.is_empty(), "{problems:#?}\n{page}");
    let tables = tables(&page);
    let params = find(&tables, "Parameter", None)[0];
    let shown_tricky =
        "Either 0|1 or 2 | see below.\nSecond line with <list<string>> and [brackets].";
    assert!(
        params.rows[0][8].starts_with(shown_tricky),
        "{:?}",
        params.rows[0][8]
    );
    let noted = format!("{}\nNote: a | b\nc", shown(&e.fields[1].description));
    assert!(
        params.rows[1][8].starts_with(&noted),
        "{:?}",
        params.rows[1][8]
    );
    assert!(params.rows.iter().all(|r| r.len() == 9));
    let required = if e.fields[0].required { "yes" } else { "no" };
    assert_eq!(params.rows[0][4], required);
}

#[test]
fn the_table_check_notices_an_unescaped_pipe_and_a_missing_row() {
    let model = model();
    let e = &model.endpoints[tabled(&model).0];
    let page = fresh(&model, e);
    // A description holding `|`, rendered as an emitter that forgot to escape it would.
    let mut piped = model.clone();
    piped
        .endpoints
        .iter_mut()
        .find(|x| x.name == e.name)
        .unwrap()
        .fields[0]
        .description = "Sender | accid".into();
    let piped_endpoint = piped.endpoints.iter().find(|x| x.name == e.name).unwrap();
    let escaped = fresh(&piped, piped_endpoint);
    assert!(table_problems(&piped, piped_endpoint, &escaped).is_empty());
    let unescaped = escaped.replace("Sender \\| accid", "Sender | accid");
    assert_ne!(unescaped, escaped);
    let problems = table_problems(&piped, piped_endpoint, &unescaped);
    let cell = format!("`{}` description cell", e.fields[0].wire);
    assert!(problems.iter().any(|p| p.contains(&cell)), "{problems:#?}");
    // A row of an object's table, whose wire name no other table of the page uses.
    let (object, wire) = objects_used(&model, e)
        .into_iter()
        .find_map(|o| {
            let f = o
                .fields
                .iter()
                .find(|f| rows_of(&page, &f.wire).len() == 1)?;
            Some((o, f.wire.clone()))
        })
        .expect("an object field with a row of its own");
    let dropped = without_rows(&page, &wire);
    let problems = table_problems(&model, e, &dropped);
    let n = object.fields.len();
    let wanted = format!("{}: {} rows for {n} fields", object.name, n - 1);
    assert!(problems.contains(&wanted), "{problems:#?}");
    // A line break inside the first parameter's row, before its last cell ends.
    let row = rows_of(&page, &e.fields[0].wire)[0];
    let end = row.rfind(" |").expect("a row ends with a pipe");
    let split = format!("{}\n| `x` |{}", &row[..end], &row[end..]);
    let broken_line = page.replacen(row, &split, 1);
    assert!(!table_problems(&model, e, &broken_line).is_empty());
}

// ---------------------------------------------------------------------------------------------
// The index and the example.

/// What is wrong with an endpoint's summary cell in the index: the summary, after the
/// deprecation notice (naming the replacement) when the endpoint is deprecated.
fn index_summary_problem(e: &Endpoint, cell: &str) -> Option<String> {
    let summary = e.summary.trim();
    let Some(notice) = cell.strip_suffix(summary) else {
        return Some(format!(
            "{}: {cell:?} does not end with the summary",
            e.name
        ));
    };
    match &e.deprecated {
        None if notice.is_empty() => None,
        None => Some(format!("{}: {notice:?} before the summary", e.name)),
        Some(_) if !notice.starts_with("Deprecated") => {
            Some(format!("{}: {cell:?} does not say deprecated", e.name))
        }
        Some(d) => d
            .replacement
            .as_ref()
            .filter(|r| !notice.contains(r.as_str()))
            .map(|r| format!("{}: {cell:?} does not name the replacement {r}", e.name)),
    }
}

#[test]
fn the_index_lists_every_endpoint_with_a_link() {
    check_index(&model(), true);
}

/// The index of `model` (fresh, and the committed one with `committed`) lists every endpoint.
pub(crate) fn check_index(model: &Model, committed: bool) {
    let model = model.clone();
    let path = root().join(docs::DOCS_DIR).join("README.md");
    let mut indexes = vec![docs::render_index(&model)];
    if committed {
        indexes.push(fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}")));
    }
    for index in indexes {
        assert!(index.starts_with(&markdown_header(&model)));
        let tables = tables(&index);
        // One table per domain that holds endpoints (in api.yaml order), then the endpoints
        // filed in none; without domains, one table.
        let endpoints = find(&tables, "Endpoint", None);
        let grouped = model.endpoints.iter().any(|e| e.domain.is_some());
        let mut expected: Vec<(Option<&str>, &codegen::model::Endpoint)> = Vec::new();
        for domain in &model.domains {
            let mine = model
                .endpoints
                .iter()
                .filter(|e| e.domain.as_deref() == Some(&domain.name));
            expected.extend(mine.map(|e| (Some(domain.name.as_str()), e)));
        }
        expected.extend(
            model
                .endpoints
                .iter()
                .filter(|e| e.domain.is_none())
                .map(|e| (None, e)),
        );
        let rows: Vec<(&str, &Vec<String>)> = endpoints
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| (t.heading.as_str(), r)))
            .collect();
        assert_eq!(rows.len(), model.endpoints.len(), "one row per endpoint");
        if !grouped {
            assert_eq!(endpoints.len(), 1);
        }
        for ((heading, row), (domain, e)) in rows.iter().zip(&expected) {
            match domain {
                Some(d) => assert!(
                    heading.ends_with(&format!("({d})")),
                    "{heading:?} for {}",
                    e.name
                ),
                None if grouped => assert_eq!(*heading, "Other endpoints"),
                None => {}
            }
            assert_eq!(row[0], e.name);
            assert_eq!(row[1], e.api.name());
            assert_eq!(row[2], format!("{} {}", e.method, e.path));
            let calls = e.rate_limit.as_ref().map(|r| r.calls.to_string());
            let calls = calls.unwrap_or_else(|| "not documented".to_owned());
            assert!(row[3].contains(&calls), "{row:?}");
            assert_eq!(row[4], e.sources.join(", "), "the sources of {}", e.name);
            assert_eq!(index_summary_problem(e, &row[5]), None);
            assert!(index.contains(&format!("[{0}]({0}.md)", e.name)));
        }
    }
}

#[test]
fn bodiless_endpoints_claim_no_body_encoding() {
    let model = model();
    for e in &model.endpoints {
        let page = fresh(&model, e);
        if e.has_body() {
            assert!(page.contains("- Body encoding: "), "{}", e.name);
        } else {
            assert!(!page.contains("Body encoding"), "{}", e.name);
            assert!(
                page.contains(&format!("- Body: none; a {} request sends", e.method)),
                "{}",
                e.name
            );
        }
    }
}

#[test]
fn pages_hold_the_usage_program_as_a_rust_doctest() {
    let model = model();
    for e in &model.endpoints {
        let page = committed(e);
        let program = snippet::usage_program(&model, e);
        assert!(
            page.contains(&format!("```rust,no_run\n{program}```\n")),
            "{}",
            e.name
        );
        let headings = Parser::new(&page)
            .filter_map(|ev| match ev {
                Event::Start(Tag::Heading { level, .. }) => Some(level),
                _ => None,
            })
            .collect::<Vec<_>>();
        assert_eq!(
            headings.iter().filter(|l| **l == HeadingLevel::H1).count(),
            1,
            "{}",
            e.name
        );
        assert!(
            headings.iter().all(|l| *l <= HeadingLevel::H4),
            "{}",
            e.name
        );
    }
}

/// The line on where parameters travel says "the others" only after it named path or query
/// parameters; a body-only endpoint's says all of them travel in the body.
#[test]
fn the_parameters_line_says_the_others_only_after_naming_some() {
    let model = model();
    for e in &model.endpoints {
        let page = committed(e);
        let line = page
            .lines()
            .find(|l| l.starts_with("- Parameters: "))
            .unwrap_or_else(|| panic!("{}: no parameters line", e.name));
        let located = e
            .fields
            .iter()
            .any(|f| f.location != codegen::model::Location::Body);
        if located {
            assert!(
                !line.starts_with("- Parameters: The others"),
                "{}: {line}",
                e.name
            );
        } else {
            assert!(
                line.starts_with("- Parameters: All parameters travel in the "),
                "{}: {line}",
                e.name
            );
        }
    }
}

/// A request type's doc says it serializes to "its JSON body" only when every parameter travels
/// in the body: path and query parameters are part of its serialized form too.
#[test]
fn a_request_with_path_or_query_parameters_is_not_called_its_json_body() {
    let model = model();
    let mut checked = 0;
    for e in &model.endpoints {
        let path = root().join(format!("generated-client/src/generated/{}.rs", e.name));
        let code = fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path:?}: {err}"));
        let located = e
            .fields
            .iter()
            .any(|f| f.location != codegen::model::Location::Body);
        if located {
            checked += 1;
            assert!(
                !code.contains("Serializes to the wire form (its JSON body"),
                "{}: the request's doc calls its serialized form the JSON body",
                e.name
            );
        }
    }
    assert!(checked > 0, "no endpoint has path or query parameters");
}
