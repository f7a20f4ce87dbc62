//! Edits of a copy of the live spec that spec-diff must report; what they edit is read from the
//! live model (a limited list, a shared object's limited text), never today's numbers or names.

use codegen::model::{Model, Ty};
use std::fs;
use std::path::Path;

use super::{copy_spec, root, spec_diff, spec_dir};

/// The live spec's model.
fn live_model() -> Model {
    codegen::load_model(&root().join("spec"), "spec").expect("the live spec loads")
}

/// Replaces the first `from` that follows each of `anchors` in turn, so an edit can aim at one
/// key of one field without knowing the lines around it.
pub(super) fn edit_after(file: &Path, anchors: &[&str], from: &str, to: &str) {
    let text = fs::read_to_string(file).expect("readable spec file");
    let mut at = 0;
    for anchor in anchors {
        let found = text[at..]
            .find(anchor)
            .unwrap_or_else(|| panic!("no `{anchor}` in {} after byte {at}", file.display()));
        // The next anchor may start with the newline this one ends with.
        at += found + anchor.trim_end_matches('\n').len();
    }
    let found = at + text[at..].find(from).expect("the text to replace");
    let edited = format!("{}{to}{}", &text[..found], &text[found + from.len()..]);
    fs::write(file, edited).expect("write spec file");
}

/// The first top-level request field of the live spec with a `max_items` above 1: (endpoint,
/// wire name, limit).
pub(super) fn a_limited_list() -> (String, String, u64) {
    live_model()
        .endpoints
        .iter()
        .find_map(|e| {
            e.fields.iter().find_map(|f| {
                let max = f.limits.max_items.filter(|m| *m > 1)?;
                Some((e.name.clone(), f.wire.clone(), max))
            })
        })
        .expect("a request list with max_items in the spec")
}

#[test]
fn a_lowered_limit_is_breaking() {
    let (endpoint, wire, max) = a_limited_list();
    let (_temp, new) = copy_spec();
    let file = yunxin_tests::spec_edit::endpoint_file(&new, &endpoint);
    let lower = max - 1;
    edit_after(
        &file,
        &["\nfields:\n", &format!("\n  {wire}:\n")],
        &format!("max_items: {max}\n"),
        &format!("max_items: {lower}\n"),
    );
    let new = new.display().to_string();
    let run = spec_diff(&[&spec_dir(), &new]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    let line = format!("  breaking    `{wire}`: max_items lowered {max} → {lower}  [endpoints.{endpoint}.fields.{wire}.max_items]");
    assert!(run.out.contains(&line), "missing `{line}` in:\n{}", run.out);
    assert!(
        run.out
            .trim_end()
            .ends_with("1 breaking, 0 compatible, 0 docs-only"),
        "{}",
        run.out
    );
    let md = spec_diff(&[&spec_dir(), &new, "--format", "markdown"]);
    assert_eq!(md.code, 1);
    let section = format!(
        "\n### {endpoint}\n\n- **breaking** — `{wire}`: max_items lowered {max} → {lower}\n"
    );
    assert!(
        md.out.contains(&section),
        "missing `{section}` in:\n{}",
        md.out
    );
    assert!(
        md.out
            .contains("Summary: 1 breaking, 0 compatible, 0 docs-only."),
        "{}",
        md.out
    );
}

/// Whether `ty` is, holds or reaches the object `name`.
fn reaches(model: &Model, ty: &Ty, name: &str, seen: &mut Vec<String>) -> bool {
    match ty {
        Ty::List(inner) | Ty::Map(inner) => reaches(model, inner, name, seen),
        Ty::Object(o) if o == name => true,
        Ty::Object(o) if !seen.contains(o) => {
            seen.push(o.clone());
            model
                .object(o)
                .is_some_and(|def| def.fields.iter().any(|f| reaches(model, &f.ty, name, seen)))
        }
        _ => false,
    }
}

#[test]
fn a_shared_type_change_is_reported_under_each_endpoint_that_uses_it() {
    let model = live_model();
    // A field with max_chars of a shared object that some endpoint uses.
    let users = |object: &str| -> Vec<String> {
        model
            .endpoints
            .iter()
            .filter(|e| {
                e.fields
                    .iter()
                    .chain(&e.reply.fields)
                    .any(|f| reaches(&model, &f.ty, object, &mut Vec::new()))
            })
            .map(|e| e.name.clone())
            .collect()
    };
    let (object, wire, max, users) = model
        .objects
        .iter()
        .filter(|o| o.scope.is_none())
        .find_map(|o| {
            let (wire, max) = o.fields.iter().find_map(|f| {
                let max = f.limits.max_chars.filter(|m| *m > 1)?;
                Some((f.wire.clone(), max))
            })?;
            let users = users(&o.name);
            (!users.is_empty()).then(|| (o.name.clone(), wire, max, users))
        })
        .expect("a shared object with a max_chars field that an endpoint uses");
    let (_temp, new) = copy_spec();
    let lower = max - 1;
    edit_after(
        &new.join("types.yaml"),
        &[&format!("\n  {object}:\n"), &format!("\n      {wire}:\n")],
        &format!("max_chars: {max}\n"),
        &format!("max_chars: {lower}\n"),
    );
    let run = spec_diff(&[&spec_dir(), &new.display().to_string()]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    let tail =
        format!(": max_chars lowered {max} → {lower}  [types.{object}.fields.{wire}.max_chars]");
    for endpoint in &users {
        let group = run
            .out
            .split(&format!("\n{endpoint}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no {endpoint} group in:\n{}", run.out));
        let group = group.split("\n\n").next().unwrap_or_default();
        assert!(
            group
                .lines()
                .any(|l| l.starts_with("  breaking    `") && l.ends_with(&tail)),
            "{endpoint} lacks `…{tail}` in:\n{}",
            run.out
        );
    }
}
