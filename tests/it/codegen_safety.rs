//! `cargo xtask codegen` writes and deletes only regular files inside the generated folders
//! (and the manifest), reached without following a link. Anything else named by the manifest
//! or found in those folders stops the run before it touches anything, and is listed with what
//! to do; `--check` lists it too.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use yunxin_tests::temp_root::{generate_into, run_xtask};

const MANIFEST: &str = "generated-client/codegen-manifest.txt";
const EDITED: &str = "generated-client/docs/README.md";
const STALE: &str = "generated-client/examples/removed_endpoint.rs";

/// A generated workspace at `<tmp>/ws`, with room outside it at `<tmp>/outside`. One generated
/// file is edited and one stale file added, so a refused run can be seen to write and delete
/// nothing.
struct Scene {
    tmp: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let tmp = yunxin_tests::temp_root::scratch_dir();
        generate_into(&tmp.path().join("ws"));
        fs::create_dir(tmp.path().join("outside")).unwrap();
        let scene = Scene { tmp };
        fs::write(scene.root().join(EDITED), "edited by hand\n").unwrap();
        fs::write(scene.root().join(STALE), "// from a removed endpoint\n").unwrap();
        scene
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("ws")
    }

    /// A file outside the workspace, holding `text`.
    fn outside_file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.tmp.path().join("outside").join(name);
        fs::write(&path, text).unwrap();
        path
    }

    fn add_manifest_line(&self, line: &str) {
        let path = self.root().join(MANIFEST);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}{line}\n")).unwrap();
    }

    fn codegen(&self, check: bool) -> (i32, String) {
        let root = self.root();
        let mut args = vec!["codegen", "--root", root.to_str().unwrap()];
        if check {
            args.push("--check");
        }
        let (code, out, err) = run_xtask(&args);
        (code, format!("{out}{err}"))
    }

    /// Runs codegen, then `unharmed` (which asserts that what the entry leads to is intact),
    /// then checks that the run failed naming `entry` and saying to remove it by hand, that it
    /// wrote and deleted nothing, and that `--check` reports the entry too.
    fn assert_refused(&self, entry: &str, unharmed: impl Fn()) -> String {
        let (code, out) = self.codegen(false);
        unharmed();
        let edited = fs::read_to_string(self.root().join(EDITED)).unwrap();
        assert_eq!(
            edited, "edited by hand\n",
            "a refused run writes nothing: {out}"
        );
        assert!(
            self.root().join(STALE).is_file(),
            "a refused run deletes nothing: {out}"
        );
        assert_ne!(code, 0, "the run must fail: {out}");
        let line = out
            .lines()
            .find(|l| l.contains(entry))
            .unwrap_or_else(|| panic!("the refusal must name {entry}: {out}"));
        assert!(line.contains("by hand"), "and say what to do: {line}");
        let (code, report) = self.codegen(true);
        assert_eq!(code, 1, "{report}");
        assert!(
            report
                .lines()
                .any(|l| l.contains(entry) && l.contains("by hand")),
            "--check reports {entry} too: {report}"
        );
        out
    }
}

/// Asserts that `path` still holds `text`.
fn intact(path: &Path, text: &str) {
    let now = fs::read_to_string(path);
    assert_eq!(
        now.as_deref().ok(),
        Some(text),
        "{} must be left alone",
        path.display()
    );
}

#[test]
fn a_manifest_line_climbing_out_with_dotdot_is_refused_and_its_file_survives() {
    let scene = Scene::new();
    let victim = scene.outside_file("x", "not codegen's\n");
    scene.add_manifest_line("../outside/x");
    scene.assert_refused("`../outside/x`", || intact(&victim, "not codegen's\n"));
}

#[test]
fn an_absolute_path_in_the_manifest_is_refused_and_its_file_survives() {
    let scene = Scene::new();
    let victim = scene.outside_file("abs", "not codegen's\n");
    scene.add_manifest_line(victim.to_str().unwrap());
    scene.assert_refused(victim.to_str().unwrap(), || {
        intact(&victim, "not codegen's\n")
    });
}

#[test]
fn a_manifest_line_outside_the_owned_folders_is_refused_and_its_file_survives() {
    let scene = Scene::new();
    // A hand-written source of the client (its Cargo.toml has a generated block, which
    // feature_block.rs covers, the manifest line included).
    let victim = scene.root().join("generated-client/src/lib.rs");
    fs::create_dir_all(victim.parent().unwrap()).unwrap();
    fs::write(&victim, "pub mod runtime;\n").unwrap();
    scene.add_manifest_line("generated-client/src/lib.rs");
    scene.assert_refused("`generated-client/src/lib.rs`", || {
        intact(&victim, "pub mod runtime;\n")
    });
}

#[cfg(unix)]
#[test]
fn a_linked_folder_inside_an_owned_folder_is_refused_and_its_target_files_survive() {
    let scene = Scene::new();
    let a = scene.outside_file("a.md", "outside a\n");
    let b = scene.outside_file("b.png", "outside b\n");
    let link = scene.root().join("generated-client/docs/assets");
    std::os::unix::fs::symlink(a.parent().unwrap(), &link).unwrap();
    // The old manifest may name a file through the link as well.
    scene.add_manifest_line("generated-client/docs/assets/a.md");
    let out = scene.assert_refused("generated-client/docs/assets", || {
        intact(&a, "outside a\n");
        intact(&b, "outside b\n");
    });
    assert!(out.contains("link"), "{out}");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn a_link_loop_in_the_docs_is_refused_and_the_docs_survive() {
    let scene = Scene::new();
    let docs = scene.root().join("generated-client/docs");
    let before = files_in(&docs);
    assert!(before.len() >= 5, "the docs were generated: {before:?}");
    std::os::unix::fs::symlink(".", docs.join("loop")).unwrap();
    scene.assert_refused("generated-client/docs/loop", || {
        let now = files_in(&docs);
        let names = |files: &BTreeMap<String, String>| files.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&now), names(&before), "every doc must still be there");
        assert!(now == before, "every doc must be unchanged");
    });
}

#[cfg(unix)]
#[test]
fn a_linked_generated_file_is_refused_and_its_target_is_not_written() {
    let scene = Scene::new();
    let target = scene.outside_file("target.rs", "not codegen's\n");
    let generated = scene
        .root()
        .join("generated-client/src/generated/send_batch_msg.rs");
    fs::remove_file(&generated).unwrap();
    std::os::unix::fs::symlink(&target, &generated).unwrap();
    scene.assert_refused("generated-client/src/generated/send_batch_msg.rs", || {
        intact(&target, "not codegen's\n")
    });
}

#[cfg(unix)]
#[test]
fn a_socket_in_an_owned_folder_is_refused_and_survives() {
    let scene = Scene::new();
    let socket = scene.root().join("generated-client/examples/agent.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let out = scene.assert_refused("generated-client/examples/agent.sock", || {
        assert!(socket.symlink_metadata().is_ok(), "the socket was deleted")
    });
    assert!(out.contains("socket"), "{out}");
}

#[test]
fn a_folder_where_a_generated_file_goes_is_refused_before_anything_is_written() {
    let scene = Scene::new();
    let types = scene.root().join("generated-client/src/generated/types.rs");
    fs::remove_file(&types).unwrap();
    fs::create_dir(&types).unwrap();
    scene.assert_refused("generated-client/src/generated/types.rs", || {
        assert!(types.is_dir())
    });
}

#[cfg(unix)]
#[test]
fn a_normal_stale_file_is_deleted_once_the_refused_entry_is_removed_by_hand() {
    let scene = Scene::new();
    let link = scene.root().join("generated-client/docs/assets");
    std::os::unix::fs::symlink(scene.tmp.path().join("outside"), &link).unwrap();
    scene.assert_refused("generated-client/docs/assets", || {});
    fs::remove_file(&link).unwrap();
    let (code, out) = scene.codegen(false);
    assert_eq!(code, 0, "{out}");
    assert!(
        !scene.root().join(STALE).exists(),
        "the stale file is deleted"
    );
    assert_ne!(
        fs::read_to_string(scene.root().join(EDITED)).unwrap(),
        "edited by hand\n",
        "the edited file is regenerated"
    );
    let (code, out) = scene.codegen(true);
    assert_eq!(code, 0, "{out}");
}

/// Every regular file directly in `dir`, by name, with its contents.
fn files_in(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            let text = fs::read_to_string(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect()
}
