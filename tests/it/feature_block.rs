//! `cargo xtask codegen` owns only the domain-feature block of the client's `Cargo.toml`: it
//! writes the spec's domains there, `--check` reports drift in it, the rest of the file is never
//! touched, and a missing, doubled or misplaced marker is an error that writes nothing.

use std::fs;
use std::path::Path;

use codegen::emit::features::{begin_marker, end_marker, CLIENT_MANIFEST, FULL};
use xtask::codegen_cmd::client_features::splice;
use yunxin_tests::temp_root::{copy_dir, run_xtask};

/// A root with the real spec and the real client manifest, generated once.
fn root() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let ws = xtask::workspace_root();
    copy_dir(&ws.join("spec"), &tmp.path().join("spec"));
    fs::create_dir_all(tmp.path().join("generated-client")).unwrap();
    fs::copy(ws.join(CLIENT_MANIFEST), tmp.path().join(CLIENT_MANIFEST)).unwrap();
    let (code, _, err) = run_xtask(&["codegen", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    tmp
}

fn codegen(root: &Path, check: bool) -> (i32, String) {
    let mut args = vec!["codegen"];
    if check {
        args.push("--check");
    }
    args.extend(["--root", root.to_str().unwrap()]);
    let (code, out, err) = run_xtask(&args);
    (code, format!("{out}{err}"))
}

/// The lines between the markers.
fn block(manifest: &str) -> Vec<&str> {
    let (begin, end) = (begin_marker(), end_marker());
    manifest
        .lines()
        .skip_while(|l| *l != begin)
        .skip(1)
        .take_while(|l| *l != end)
        .collect()
}

#[test]
fn the_block_holds_full_and_one_feature_per_domain_of_the_spec() {
    let tmp = root();
    let manifest = fs::read_to_string(tmp.path().join(CLIENT_MANIFEST)).unwrap();
    let model = codegen::load_model(&tmp.path().join("spec"), "spec").unwrap();
    let features: Vec<&str> = block(&manifest)
        .into_iter()
        .filter(|l| !l.starts_with('#'))
        .collect();
    let names: Vec<String> = model
        .domains
        .iter()
        .map(|d| format!("{:?}", d.name))
        .collect();
    let mut expected = vec![format!("{FULL} = [{}]", names.join(", "))];
    expected.extend(model.domains.iter().map(|d| format!("{} = []", d.name)));
    assert_eq!(features, expected);
    // The committed manifest is what the spec generates (also `cargo xtask codegen --check`).
    let committed = fs::read_to_string(xtask::workspace_root().join(CLIENT_MANIFEST)).unwrap();
    assert_eq!(committed.replace("\r\n", "\n"), manifest);
}

#[test]
fn check_reports_an_edited_block_and_codegen_restores_it_keeping_hand_edits() {
    let tmp = root();
    let path = tmp.path().join(CLIENT_MANIFEST);
    let generated = fs::read_to_string(&path).unwrap();
    let first_domain = block(&generated)[2].to_owned();
    let edited = generated.replacen(&first_domain, "", 1).replacen(
        "[features]\n",
        "[features]\n# a hand-written note\n",
        1,
    );
    fs::write(&path, &edited).unwrap();
    let (code, out) = codegen(tmp.path(), true);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("differs: {CLIENT_MANIFEST}")),
        "{out}"
    );
    let (code, out) = codegen(tmp.path(), false);
    assert_eq!(code, 0, "{out}");
    let restored = fs::read_to_string(&path).unwrap();
    assert!(restored.contains(&first_domain), "{restored}");
    assert!(restored.contains("# a hand-written note\n"), "{restored}");
    assert_eq!(codegen(tmp.path(), true).0, 0);
}

#[test]
fn a_missing_doubled_or_misplaced_marker_is_an_error_that_writes_nothing() {
    let tmp = root();
    let path = tmp.path().join(CLIENT_MANIFEST);
    let generated = fs::read_to_string(&path).unwrap();
    let (begin, end) = (begin_marker(), end_marker());
    let whole = format!("{begin}\n{}\n{end}\n", block(&generated).join("\n"));
    assert!(generated.contains(&whole));
    let broken = [
        ("no begin", generated.replacen(&format!("{begin}\n"), "", 1)),
        ("no end", generated.replacen(&format!("{end}\n"), "", 1)),
        (
            "two begins",
            generated.replacen(&format!("{end}\n"), &format!("{end}\n{begin}\n"), 1),
        ),
        (
            "a table inside",
            generated.replacen(&format!("{begin}\n"), &format!("{begin}\n[other]\n"), 1),
        ),
        (
            "in [dependencies]",
            generated.replacen(&whole, "", 1).replacen(
                "[dependencies]\n",
                &format!("[dependencies]\n{whole}"),
                1,
            ),
        ),
    ];
    // A generated file to be written back, if anything were written.
    let page = tmp.path().join("generated-client/docs/README.md");
    for (case, manifest) in broken {
        fs::write(&path, &manifest).unwrap();
        fs::remove_file(&page).unwrap();
        for check in [false, true] {
            let (code, out) = codegen(tmp.path(), check);
            assert_ne!(code, 0, "{case}, check {check}: {out}");
            assert!(
                out.contains(CLIENT_MANIFEST) && out.contains("marker"),
                "{case}: {out}"
            );
            assert!(!page.exists(), "{case}: a file was written");
            assert_eq!(fs::read_to_string(&path).unwrap(), manifest, "{case}");
        }
        fs::write(&path, &generated).unwrap();
        assert_eq!(codegen(tmp.path(), false).0, 0, "{case}: the repaired file");
    }
}

#[test]
fn a_line_of_the_generated_files_list_naming_the_client_manifest_is_refused() {
    // The manifest is written, never owned: a list that names it must not make it stale.
    let tmp = root();
    let list = tmp.path().join("generated-client/codegen-manifest.txt");
    let mut text = fs::read_to_string(&list).unwrap();
    text.push_str(&format!("{CLIENT_MANIFEST}\n"));
    fs::write(&list, &text).unwrap();
    let before = fs::read_to_string(tmp.path().join(CLIENT_MANIFEST)).unwrap();
    let (code, out) = codegen(tmp.path(), false);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("`{CLIENT_MANIFEST}`"))
            && out.contains("outside the generated folders"),
        "{out}"
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join(CLIENT_MANIFEST)).unwrap(),
        before
    );
}

#[test]
fn a_root_without_the_client_manifest_gets_none() {
    // Codegen never creates the hand-written manifest: a folder only generated into stays so.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &xtask::workspace_root().join("spec"),
        &tmp.path().join("spec"),
    );
    let (code, out) = codegen(tmp.path(), false);
    assert_eq!(code, 0, "{out}");
    assert!(!tmp.path().join(CLIENT_MANIFEST).exists());
}

#[test]
fn splice_replaces_only_the_lines_between_the_markers() {
    let (begin, end) = (begin_marker(), end_marker());
    let manifest = format!("[package]\nname = \"x\"\n\n[features]\na = []\n{begin}\nold = []\n{end}\nb = []\n\n[dependencies]\n");
    let spliced = splice(&manifest, "new = []\n").unwrap();
    assert_eq!(
        spliced,
        format!("[package]\nname = \"x\"\n\n[features]\na = []\n{begin}\nnew = []\n{end}\nb = []\n\n[dependencies]\n")
    );
    let reversed = manifest
        .replace(&begin, "BEGIN")
        .replace(&end, &begin)
        .replace("BEGIN", &end);
    assert!(splice(&reversed, "new = []\n")
        .unwrap_err()
        .contains("before"));
}
