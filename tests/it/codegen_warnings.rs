//! `cargo xtask codegen` names what a maintainer still has to add beside the spec (fixtures, the
//! page example's fixture, the wire-names list) and what an endpoint that is gone left behind, as
//! warnings after a successful run: the exit code stays 0 and nothing is written for them. Runs
//! the real binary on a copy of the spec, its fixtures and wire names, edited the way a
//! maintainer would.

use std::fs;
use std::path::Path;
use std::process::Command;

use yunxin_tests::xtask_bin::xtask_bin;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

struct Copy {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
}

/// A root holding copies of the spec, fixtures and wire names.
fn copy() -> Copy {
    let tmp = yunxin_tests::temp_root::scratch_dir();
    let root = tmp.path().to_path_buf();
    let real = xtask::workspace_root();
    for dir in ["spec", "tests/fixtures", "tests/wire-names"] {
        copy_dir(&real.join(dir), &root.join(dir));
    }
    Copy { _tmp: tmp, root }
}

/// Exit code and the `warning:` lines of `xtask codegen [--check]` on `root`.
fn codegen(root: &Path, check: bool) -> (Option<i32>, Vec<String>) {
    let mut command = Command::new(xtask_bin());
    command.args(["codegen", "--root"]).arg(root);
    if check {
        command.arg("--check");
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_owned)
        .collect();
    (output.status.code(), warnings)
}

/// Every file under `dir`, for proving the warnings wrote nothing.
fn listing(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(listing(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn mentions(warnings: &[String], words: &[&str]) -> bool {
    warnings.iter().any(|w| words.iter().all(|x| w.contains(x)))
}

#[test]
fn the_real_project_has_nothing_missing() {
    let copy = copy();
    let (code, warnings) = codegen(&copy.root, false);
    assert_eq!(code, Some(0));
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn a_new_endpoint_without_fixtures_or_wire_names_is_named_after_generation() {
    let copy = copy();
    let model = codegen::load_model(&copy.root.join("spec"), "spec").unwrap();
    // An endpoint declaring no types of its own, so its copy declares none twice.
    let own_types = |name: &str| {
        let scoped = |scope: &Option<String>| scope.as_deref() == Some(name);
        model.enums.iter().any(|t| scoped(&t.scope))
            || model.objects.iter().any(|t| scoped(&t.scope))
    };
    // Written from a page: only such endpoints need fixtures and a wire-names list.
    let donor = &model
        .endpoints
        .iter()
        .find(|e| !own_types(&e.name) && model.has_page(e))
        .expect("an endpoint from a page without types of its own")
        .name;
    let spec = copy.root.join("spec");
    fs::copy(
        yunxin_tests::spec_edit::endpoint_file(&spec, donor),
        spec.join("endpoints/brand_new.yaml"),
    )
    .unwrap();
    let tests_before = listing(&copy.root.join("tests"));
    for check in [false, true] {
        let (code, warnings) = codegen(&copy.root, check);
        // The first run generates; `--check` then finds it current and warns all the same.
        assert_eq!(code, Some(0), "{warnings:#?}");
        assert!(
            mentions(&warnings, &["brand_new", "tests/fixtures/brand_new/"]),
            "{warnings:#?}"
        );
        assert!(
            mentions(&warnings, &["brand_new", "tests/wire-names/brand_new.yaml"]),
            "{warnings:#?}"
        );
        assert_eq!(
            warnings.len(),
            2,
            "only the new endpoint lacks anything: {warnings:#?}"
        );
    }
    assert_eq!(
        listing(&copy.root.join("tests")),
        tests_before,
        "warnings wrote files"
    );

    // With its fixtures folder but without the page example's recording, that is named instead.
    fs::create_dir(copy.root.join("tests/fixtures/brand_new")).unwrap();
    let (code, warnings) = codegen(&copy.root, false);
    assert_eq!(code, Some(0));
    assert!(
        mentions(&warnings, &["brand_new", "page_example.yaml"]),
        "{warnings:#?}"
    );
}

#[test]
fn files_of_a_removed_endpoint_are_named_stale() {
    let copy = copy();
    let model = codegen::load_model(&copy.root.join("spec"), "spec").unwrap();
    // One with fixtures and a wire-names list: an endpoint written from a page.
    let gone = &model
        .endpoints
        .iter()
        .rfind(|e| model.has_page(e))
        .expect("an endpoint written from a page")
        .name;
    fs::remove_file(yunxin_tests::spec_edit::endpoint_file(
        &copy.root.join("spec"),
        gone,
    ))
    .unwrap();
    let (code, warnings) = codegen(&copy.root, false);
    assert_eq!(code, Some(0), "{warnings:#?}");
    assert!(
        mentions(
            &warnings,
            &[&format!("tests/fixtures/{gone}/"), "no endpoint"]
        ),
        "{warnings:#?}"
    );
    assert!(
        mentions(
            &warnings,
            &[&format!("tests/wire-names/{gone}.yaml"), "no endpoint"]
        ),
        "{warnings:#?}"
    );
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

#[test]
fn a_new_endpoint_written_from_the_sdks_alone_needs_no_fixtures_or_wire_names() {
    let copy = copy();
    let model = codegen::load_model(&copy.root.join("spec"), "spec").unwrap();
    // No page to read names or examples off: the SDK record holds it instead.
    let own_types = |name: &str| {
        let scoped = |scope: &Option<String>| scope.as_deref() == Some(name);
        model.enums.iter().any(|t| scoped(&t.scope))
            || model.objects.iter().any(|t| scoped(&t.scope))
    };
    let Some(donor) = model
        .endpoints
        .iter()
        .find(|e| !own_types(&e.name) && !model.has_page(e))
    else {
        return; // every endpoint of this spec was written from a page
    };
    let spec = copy.root.join("spec");
    fs::copy(
        yunxin_tests::spec_edit::endpoint_file(&spec, &donor.name),
        spec.join("endpoints/brand_new_from_sdks.yaml"),
    )
    .unwrap();
    let text = fs::read_to_string(spec.join("endpoints/brand_new_from_sdks.yaml")).unwrap();
    // Its own path, so the two routes do not collide.
    let path_line = text
        .lines()
        .find(|l| l.starts_with("path: "))
        .unwrap()
        .to_owned();
    let text = text.replacen(&path_line, &format!("{path_line}/brand_new"), 1);
    fs::write(spec.join("endpoints/brand_new_from_sdks.yaml"), text).unwrap();
    let (code, warnings) = codegen(&copy.root, false);
    assert_eq!(code, Some(0), "{warnings:#?}");
    assert!(
        !mentions(&warnings, &["brand_new_from_sdks"]),
        "{warnings:#?}"
    );
}
