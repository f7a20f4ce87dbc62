//! Tables of a docs page, parsed with pulldown-cmark, and what is wrong with them against the
//! model: one row per field in order, description cells whole, one table per object and enum.

use codegen::model::{Endpoint, Field, Model};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{enums_used, objects_used};

// ---------------------------------------------------------------------------------------------
// Tables, parsed with pulldown-cmark.

#[derive(Debug)]
pub(super) struct Table {
    /// The text of the last heading before the table.
    pub(super) heading: String,
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

/// Every GFM table of `page`; cell text joins text and code, with `<br>` read as a line break.
pub(super) fn tables(page: &str) -> Vec<Table> {
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut in_heading = false;
    let mut current: Option<Table> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(page, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Table(_)) => {
                current = Some(Table {
                    heading: heading.clone(),
                    header: vec![],
                    rows: vec![],
                })
            }
            Event::End(TagEnd::Table) => out.extend(current.take()),
            Event::Start(Tag::TableHead | Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = current.as_mut() {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = current.as_mut() {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                } else if in_heading {
                    heading.push_str(&t);
                }
            }
            Event::InlineHtml(h) if &*h == "<br>" => {
                if let Some(c) = cell.as_mut() {
                    c.push('\n');
                }
            }
            _ => {}
        }
    }
    out
}

pub(super) fn find<'t>(
    tables: &'t [Table],
    first_header: &str,
    heading: Option<&str>,
) -> Vec<&'t Table> {
    tables
        .iter()
        .filter(|t| t.header.first().map(String::as_str) == Some(first_header))
        .filter(|t| heading.is_none_or(|h| t.heading == h))
        .collect()
}

/// Spec text as a parsed cell shows it: code spans lose their backticks, line breaks are `\n`.
pub(super) fn shown(text: &str) -> String {
    text.trim()
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('`', "")
}

/// The text a description cell must hold: the description, then the note.
pub(super) fn description_cell(f: &Field) -> String {
    match &f.note {
        Some(note) => format!("{}\nNote: {}", shown(&f.description), shown(note)),
        None => shown(&f.description),
    }
}

/// Text with its whitespace collapsed and code spans' backticks gone, for notes the emitter may
/// flatten onto one line.
pub(super) fn flat(text: &str) -> String {
    shown(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What is wrong with a description cell: it must hold the description and note, then (with
/// `notices`) the notices the format documents for the field (its deprecation, truncation past a
/// limit) and nothing else.
pub(super) fn description_problem(f: &Field, cell: &str, notices: bool) -> Option<String> {
    let expected = description_cell(f);
    let Some(rest) = cell.strip_prefix(&expected) else {
        return Some(format!("{cell:?}, expected it to start with {expected:?}"));
    };
    let rest = flat(rest);
    if !notices {
        return (!rest.is_empty()).then(|| format!("{cell:?} adds {rest:?}"));
    }
    let truncated = f.over_limit == codegen::model::OverLimit::Truncated;
    match (&f.deprecated, rest.is_empty()) {
        (None, true) if !truncated => return None,
        (None, false) if !truncated => return Some(format!("{cell:?} adds {rest:?}")),
        (Some(d), _) if !rest.contains(&flat(&d.text())) => {
            return Some(format!("{cell:?} lacks the deprecation {:?}", d.text()))
        }
        _ => {}
    }
    (truncated && !rest.contains("truncates"))
        .then(|| format!("{cell:?} does not say the server truncates past the limit"))
}

/// Problems with a field table: row count, wire names in order, and the description cell intact.
pub(super) fn check_rows(what: &str, table: &Table, fields: &[Field], out: &mut Vec<String>) {
    if table.rows.len() != fields.len() {
        out.push(format!(
            "{what}: {} rows for {} fields",
            table.rows.len(),
            fields.len()
        ));
        return;
    }
    for (row, f) in table.rows.iter().zip(fields) {
        if row.len() != table.header.len() {
            out.push(format!(
                "{what}: row `{}` has {} cells, header {}",
                f.wire,
                row.len(),
                table.header.len()
            ));
        }
        if row.first() != Some(&f.wire) {
            out.push(format!(
                "{what}: row {:?} where `{}` belongs",
                row.first(),
                f.wire
            ));
        }
        // Request tables (they have a Required column) carry the field's notices.
        let notices = table.header.iter().any(|h| h == "Required");
        let problem = row
            .last()
            .and_then(|cell| description_problem(f, cell, notices));
        if let Some(problem) = problem {
            out.push(format!("{what}: `{}` description cell {problem}", f.wire));
        }
    }
}

/// Every table problem of an endpoint's page; empty when the tables match the model.
pub(crate) fn table_problems(model: &Model, endpoint: &Endpoint, page: &str) -> Vec<String> {
    let tables = tables(page);
    let mut out = Vec::new();
    let params = find(&tables, "Parameter", None);
    match params.as_slice() {
        [one] => check_rows("parameters", one, &endpoint.fields, &mut out),
        other => out.push(format!("{} parameter tables", other.len())),
    }
    let replies = find(&tables, "Reply field", None);
    match (replies.as_slice(), endpoint.reply.fields.is_empty()) {
        ([], true) => {}
        ([one], false) => check_rows("reply", one, &endpoint.reply.fields, &mut out),
        (other, _) => out.push(format!(
            "{} reply tables for {} reply fields",
            other.len(),
            endpoint.reply.fields.len()
        )),
    }
    let objects = objects_used(model, endpoint);
    if find(&tables, "Field", None).len() != objects.len() {
        out.push(format!(
            "{} object tables for {} objects",
            find(&tables, "Field", None).len(),
            objects.len()
        ));
    }
    for o in objects {
        match find(&tables, "Field", Some(&o.name)).as_slice() {
            [one] => check_rows(&o.name, one, &o.fields, &mut out),
            other => out.push(format!("{} tables for object {}", other.len(), o.name)),
        }
    }
    for en in enums_used(model, endpoint) {
        match find(&tables, "Value name", Some(&en.name)).as_slice() {
            [one] if one.rows.len() == en.values.len() => {}
            [one] => out.push(format!(
                "enum {}: {} rows for {} values",
                en.name,
                one.rows.len(),
                en.values.len()
            )),
            other => out.push(format!("{} tables for enum {}", other.len(), en.name)),
        }
    }
    match find(&tables, "Code", None).as_slice() {
        [one] => {
            let codes: Vec<String> = one.rows.iter().filter_map(|r| r.first().cloned()).collect();
            let expected: Vec<String> = endpoint
                .status_codes
                .iter()
                .map(|s| s.code.to_string())
                .collect();
            if codes != expected {
                out.push(format!("status codes {codes:?}, expected {expected:?}"));
            }
        }
        other => out.push(format!("{} status tables", other.len())),
    }
    out
}
