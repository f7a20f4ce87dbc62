//! `cargo xtask import` on the small SDK-shaped sources of `tests/importer-sdk/` (CI has no SDK
//! snapshot): the record it reads, drafts the checker accepts as written, `--check` clean on a
//! matching spec and naming what a spec lacks, and files it never overwrites.

use importer::record::{Endpoint, Placement, Record, Sdk};
use std::path::{Path, PathBuf};

fn sources(which: &str) -> PathBuf {
    xtask::workspace_root()
        .join("tests/importer-sdk")
        .join(which)
}

fn record() -> Record {
    importer::import(Some(&sources("go")), Some(&sources("java"))).expect("the test SDKs parse")
}

fn endpoint<'r>(record: &'r Record, key: &str) -> &'r Endpoint {
    record
        .endpoints
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("no endpoint {key} in {:#?}", keys(record)))
}

fn keys(record: &Record) -> Vec<&str> {
    record.endpoints.iter().map(|e| e.key.as_str()).collect()
}

fn field<'e>(endpoint: &'e Endpoint, wire: &str) -> &'e importer::record::Field {
    endpoint
        .fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("{}: no field {wire}", endpoint.key))
}

/// Runs `cargo xtask import` in-process on the test SDKs: (exit code, stdout).
fn import(spec: &Path, extra: &[&str]) -> (i32, String) {
    let mut args: Vec<String> = ["import", "--go"].iter().map(|s| s.to_string()).collect();
    args.push(sources("go").display().to_string());
    args.push("--java".into());
    args.push(sources("java").display().to_string());
    args.push("--spec".into());
    args.push(spec.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(&args, &mut out, &mut err);
    let text = String::from_utf8_lossy(&out).into_owned() + &String::from_utf8_lossy(&err);
    (code, text)
}

/// A copy of the test spec (one settled endpoint) in a temporary folder.
fn spec_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&sources("spec"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn record_reads_placements_types_and_replies_of_both_sdks() {
    let record = record();
    assert_eq!(record.endpoints.len(), 4, "{:#?}", keys(&record));
    // v1: a form under /nimserver, a list sent as a separate map entry, the reply under `info`.
    let send = endpoint(&record, "POST /nimserver/gadget/send.action");
    assert_eq!(
        (send.api.as_str(), send.sdks.as_slice()),
        ("v1", [Sdk::Go, Sdk::Java].as_slice())
    );
    assert_eq!(field(send, "to").ty, "list<string>");
    assert!(send
        .fields
        .iter()
        .all(|f| f.placements == [Placement::Body]));
    let info = send
        .reply
        .iter()
        .find(|f| f.wire == "info")
        .expect("the reply object under info");
    assert!(
        send.types[&info.ty]
            .iter()
            .any(|f| f.wire == "msgid" && f.ty == "long"),
        "{:#?}",
        send.types
    );
    // v2: path and query, from the map literals, `.replace` and `queryParams.put`.
    let get = endpoint(&record, "GET /im/v2/widgets/{}");
    assert_eq!(
        get.sdks,
        [Sdk::Go, Sdk::Java],
        "Java names the constant through the substituted path"
    );
    assert_eq!(field(get, "widget_id").placements, [Placement::Path]);
    assert!(
        field(get, "widget_id").required,
        "a path parameter is always required"
    );
    assert_eq!(
        (
            field(get, "verbose").placements.as_slice(),
            field(get, "verbose").ty.as_str()
        ),
        ([Placement::Query].as_slice(), "bool")
    );
    // Body, a nested object, a list, an emptiness check that makes a field required.
    let create = endpoint(&record, "POST /im/v2/widgets");
    assert!(field(create, "owner_id").required);
    assert!(!field(create, "tags").required);
    assert_eq!(field(create, "tags").ty, "list<string>");
    let spec_type = &field(create, "spec").ty;
    let nested: Vec<&str> = create.types[spec_type]
        .iter()
        .map(|f| f.wire.as_str())
        .collect();
    assert_eq!(nested, ["color", "weight"]);
    assert_eq!(
        create
            .reply
            .iter()
            .find(|f| f.wire == "specs")
            .map(|f| f.ty.clone()),
        Some(format!("list<{spec_type}>"))
    );
}

#[test]
fn the_merge_records_every_disagreement_between_the_sdks() {
    let record = record();
    let create = endpoint(&record, "POST /im/v2/widgets");
    // Java removes `kind` from the body and sends it in the query; Go leaves it in the body.
    let java = create
        .calls
        .iter()
        .find(|c| c.sdk == Sdk::Java)
        .expect("the Java call");
    assert_eq!(
        java.fields
            .iter()
            .find(|f| f.wire == "kind")
            .map(|f| f.placements.clone()),
        Some(vec![Placement::Query])
    );
    assert_eq!(
        field(create, "kind").all_placements,
        [Placement::Query, Placement::Body]
    );
    let topics: Vec<&str> = create
        .disagreements
        .iter()
        .map(|d| d.topic.as_str())
        .collect();
    let about = |wire: &str| {
        create
            .disagreements
            .iter()
            .any(|d| d.field.as_deref() == Some(wire))
    };
    assert!(
        about("kind") && about("size") && about("note"),
        "{topics:#?}"
    );
    assert_eq!(
        field(create, "size").ty,
        "long",
        "int against long settles on the wider"
    );
    assert_eq!(field(create, "note").sdks, [Sdk::Java]);
    assert!(
        !about("owner_id") && !about("tags"),
        "fields both SDKs agree on: {topics:#?}"
    );
    // One SDK deletes with DELETE, the other with POST: one endpoint, both methods recorded.
    let delete = endpoint(&record, "DELETE /im/v2/widgets/{}");
    assert_eq!(delete.methods, ["DELETE", "POST"]);
    assert!(delete
        .disagreements
        .iter()
        .any(|d| d.topic == "HTTP method"));
    let unused: Vec<&str> = record
        .unused_constants
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(unused, ["RetireWidget"]);
}

#[test]
fn one_sdk_alone_has_no_disagreements() {
    let go = importer::import(Some(&sources("go")), None).expect("parse");
    let create = endpoint(&go, "POST /im/v2/widgets");
    assert!(
        create.disagreements.is_empty(),
        "{:#?}",
        create.disagreements
    );
    assert!(
        create.fields.iter().all(|f| f.wire != "note"),
        "note is the Java SDK's only"
    );
    assert_eq!(field(create, "kind").all_placements, [Placement::Body]);
}

#[test]
fn drafts_load_through_the_checker_and_check_is_then_clean() {
    let spec = spec_copy();
    let settled =
        std::fs::read(spec.path().join("endpoints/widget/get_widget.yaml")).expect("read");
    let (code, out) = import(spec.path(), &["--write"]);
    assert_eq!(code, 0, "{out}");
    let model = codegen::load_model(spec.path(), "drafts")
        .unwrap_or_else(|d| panic!("the drafts do not load:\n{d}"));
    assert_eq!(
        model.endpoints.len(),
        record().endpoints.len(),
        "one spec endpoint per SDK endpoint"
    );
    assert_eq!(
        std::fs::read(spec.path().join("endpoints/widget/get_widget.yaml")).expect("read"),
        settled,
        "a settled file is never rewritten"
    );
    let create = model
        .endpoints
        .iter()
        .find(|e| e.path == "/im/v2/widgets")
        .expect("drafted");
    assert_eq!(create.sources, ["sdk_go", "sdk_java"]);
    assert!(
        create.description.contains("none stated by the SDKs"),
        "{}",
        create.description
    );
    let gadget = model
        .endpoints
        .iter()
        .find(|e| e.path.ends_with("send.action"))
        .expect("drafted");
    let to = gadget.fields.iter().find(|f| f.wire == "to").expect("to");
    assert_eq!(
        to.encoding,
        codegen::model::Encoding::JsonText,
        "a list in a v1 form travels as JSON text"
    );
    let kind = gadget
        .fields
        .iter()
        .find(|f| f.wire == "type")
        .expect("type");
    assert!(
        codegen::names::ident_problem(&kind.rust).is_none(),
        "`type` gets a Rust name: {}",
        kind.rust
    );
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn write_never_overwrites_a_file() {
    let spec = spec_copy();
    assert_eq!(import(spec.path(), &["--write"]).0, 0);
    let draft = spec.path().join("endpoints/widget/create_widget.yaml");
    let edited = std::fs::read_to_string(&draft).expect("drafted") + "# settled by a maintainer\n";
    std::fs::write(&draft, &edited).expect("write");
    std::fs::remove_file(spec.path().join("endpoints/gadget/send_gadget.yaml")).expect("rm");
    let (code, out) = import(spec.path(), &["--write"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read_to_string(&draft).expect("read"), edited);
    assert!(
        out.contains("wrote 1 draft(s)"),
        "only the removed one is drafted again: {out}"
    );
    assert!(spec
        .path()
        .join("endpoints/gadget/send_gadget.yaml")
        .exists());
}

#[test]
fn check_names_the_missing_field_and_endpoint_and_honours_settled_disagreements() {
    let spec = spec_copy();
    assert_eq!(import(spec.path(), &["--write"]).0, 0);
    let get = spec.path().join("endpoints/widget/get_widget.yaml");
    let original = std::fs::read_to_string(&get).expect("read");
    let without = original.replace(
        "  verbose: {type: bool, in: query, description: Whether every field comes back.}\n",
        "",
    );
    assert_ne!(without, original);
    std::fs::write(&get, &without).expect("write");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("get_widget: field `verbose`: missing in spec"),
        "{out}"
    );
    // The same difference, settled in the spec: excused.
    let settled = without.replace(
        "status_codes:",
        "disagreements:\n  - topic: Whether `verbose` exists\n    pages: {sdk_go: sends it.}\n    settled: Left out.\nstatus_codes:",
    );
    std::fs::write(&get, settled).expect("write");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("excused"), "{out}");
    // A field the spec has and the SDKs lack.
    std::fs::write(
        &get,
        original.replace(
            "  verbose:",
            "  colour: {type: string, in: query, description: x.}\n  verbose:",
        ),
    )
    .expect("write");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("get_widget: field `colour`: missing in SDKs"),
        "{out}"
    );
    std::fs::write(&get, &original).expect("write");
    // An endpoint the SDKs call and the spec lacks.
    std::fs::remove_file(spec.path().join("endpoints/gadget/send_gadget.yaml")).expect("rm");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("missing in spec: endpoint POST /nimserver/gadget/send.action"),
        "{out}"
    );
}

#[test]
fn record_file_is_the_merged_record_as_json() {
    let spec = spec_copy();
    let file = spec.path().join("record.json");
    let (code, out) = import(spec.path(), &["--record", file.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}");
    let written: Record =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("a record");
    assert_eq!(keys(&written), keys(&record()));
}

#[test]
fn check_compares_reply_fields_both_ways_and_honours_settled_disagreements() {
    let spec = spec_copy();
    assert_eq!(import(spec.path(), &["--write"]).0, 0);
    let get = spec.path().join("endpoints/widget/get_widget.yaml");
    let original = std::fs::read_to_string(&get).expect("read");
    // The matching spec first: its reply fields are the SDKs'.
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("reply field"), "{out}");
    // A reply field the SDKs read and the spec lacks.
    let without = original.replace("    color: {type: string, description: Its colour.}\n", "");
    assert_ne!(without, original);
    std::fs::write(&get, &without).expect("write");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("get_widget: reply field `color`: missing in spec"),
        "{out}"
    );
    // Settled in the spec: excused.
    let settled = without.replace(
        "status_codes:",
        "disagreements:\n  - topic: Reply field `color`\n    pages: {sdk_go: reads it.}\n    settled: Left out.\nstatus_codes:",
    );
    std::fs::write(&get, settled).expect("write");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("reply field `color`"), "{out}");
    // A reply field the spec has and the SDKs do not read.
    std::fs::write(
        &get,
        original.replace(
            "    color:",
            "    shade: {type: string, description: x.}\n    color:",
        ),
    )
    .expect("write");
    let (code, out) = import(spec.path(), &["--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("get_widget: reply field `shade`: missing in SDKs"),
        "{out}"
    );
}
