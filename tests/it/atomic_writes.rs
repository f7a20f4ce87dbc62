//! `cargo xtask codegen` replaces each file whole (a temporary file renamed over it): a run
//! stopped by an I/O error or killed at any moment leaves every generated file either wholly
//! old or wholly new, never truncated, and the next run removes what the stopped one left.
//! These tests run the real binary in a child process: a kill and a file-size limit cannot be
//! applied in-process.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use codegen::emit::GeneratedFile;
use yunxin_tests::temp_root::{generate_into, run_xtask};
use yunxin_tests::xtask_bin::xtask_bin;

const MANIFEST: &str = "generated-client/codegen-manifest.txt";

/// A generated workspace in which every generated file differs from what the spec produces.
struct Scene {
    tmp: tempfile::TempDir,
    new: Vec<GeneratedFile>,
}

impl Scene {
    fn new() -> Scene {
        // On disk, not in `scratch_dir`'s memory: the fsyncs there make the writes last long
        // enough for the kills below to land between them; in memory the writes took a few
        // milliseconds and, on a loaded machine, no kill landed mid-write.
        let tmp = tempfile::tempdir().unwrap();
        generate_into(tmp.path());
        let new = xtask::codegen_cmd::generate(&tmp.path().join("spec")).unwrap();
        let scene = Scene { tmp, new };
        scene.make_old();
        scene
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// Old contents: the new ones plus a comment (`#` in the manifest, where a line names a file).
    fn old(f: &GeneratedFile) -> String {
        let comment = if f.path == MANIFEST { "#" } else { "//" };
        format!("{}{comment} old contents\n", f.contents)
    }

    fn make_old(&self) {
        for f in &self.new {
            fs::write(self.root().join(&f.path), Self::old(f)).unwrap();
        }
    }

    /// How many files hold their new and their old contents; panics on any other contents.
    fn count_new_and_old(&self, when: &str) -> (usize, usize) {
        let (mut new, mut old) = (0, 0);
        for f in &self.new {
            let now = fs::read_to_string(self.root().join(&f.path)).unwrap_or_default();
            if now == f.contents {
                new += 1;
            } else if now == Self::old(f) {
                old += 1;
            } else {
                panic!(
                    "{when}: {} is neither old nor new ({} bytes; new has {}, old {})",
                    f.path,
                    now.len(),
                    f.contents.len(),
                    Self::old(f).len()
                );
            }
        }
        (new, old)
    }

    fn xtask(&self) -> Command {
        let mut command = Command::new(xtask_bin());
        command.args(["codegen", "--root", self.root().to_str().unwrap()]);
        command
    }

    /// Runs codegen to the end, then asserts the tree holds exactly the generated files (no
    /// temporary file left by an earlier run), each with the mode `fs::write` would give it.
    fn assert_repaired(&self) {
        let (code, out, err) = run_xtask(&["codegen", "--root", self.root().to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        let produced: BTreeSet<String> = self.new.iter().map(|f| f.path.clone()).collect();
        let mut on_disk = BTreeSet::new();
        files_under(self.root(), "generated-client", &mut on_disk);
        assert_eq!(on_disk, produced, "only the generated files are left");
        let probe = self.root().join("probe");
        fs::write(&probe, "").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        for f in &self.new {
            let path = self.root().join(&f.path);
            assert_eq!(mode(&path), mode(&probe), "mode of {}", f.path);
        }
        let check = run_xtask(&[
            "codegen",
            "--check",
            "--root",
            self.root().to_str().unwrap(),
        ]);
        assert_eq!(check.0, 0, "{}", check.2);
    }
}

fn files_under(root: &Path, rel: &str, out: &mut BTreeSet<String>) {
    for entry in fs::read_dir(root.join(rel)).unwrap().flatten() {
        let rel = format!("{rel}/{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            files_under(root, &rel, out);
        } else {
            out.insert(rel);
        }
    }
}

/// A file-size limit, in 512-byte blocks, that the first files in write order (path order)
/// fit under and a later one exceeds, whether `ulimit -f` counts 512- or 1024-byte blocks;
/// the one that splits the files most evenly. Returns the limit and the first file over it.
fn size_limit(files: &[GeneratedFile]) -> (usize, usize) {
    (1..=256)
        .filter_map(|blocks| {
            let first_too_big = files.iter().position(|f| f.contents.len() > blocks * 512)?;
            let too_big_either_way = files[first_too_big].contents.len() > blocks * 1024;
            (first_too_big > 0 && too_big_either_way).then_some((blocks, first_too_big))
        })
        .max_by_key(|&(_, index)| index.min(files.len() - index))
        .expect("some file-size limit lets the first generated files through and stops a later one")
}

#[test]
fn an_io_error_part_way_names_the_replaced_files_and_leaves_every_file_whole() {
    let scene = Scene::new();
    let (blocks, failing) = size_limit(&scene.new);
    // With SIGXFSZ ignored, a write past the limit fails with EFBIG: a real I/O error, part-way
    // through the run, that no check before the writes can foresee.
    let output = Command::new("sh")
        .args([
            "-c",
            r#"trap '' XFSZ; ulimit -f "$1"; shift; exec "$@""#,
            "sh",
        ])
        .arg(blocks.to_string())
        .arg(xtask_bin())
        .args(["codegen", "--root", scene.root().to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "the run must fail: {err}");

    let (new, old) = scene.count_new_and_old("after the I/O error");
    assert_eq!(
        (new, old),
        (failing, scene.new.len() - failing),
        "the files before the failing one are replaced, the rest are not: {err}"
    );
    let (replaced, rest) = err
        .split_once("not replaced")
        .unwrap_or_else(|| panic!("the message must list the files not replaced: {err}"));
    let listed = |text: &str, path: &str| text.lines().any(|l| l.trim() == path);
    for (i, f) in scene.new.iter().enumerate() {
        if i < failing {
            assert!(
                listed(replaced, &f.path),
                "{} listed as replaced: {err}",
                f.path
            );
            assert!(!listed(rest, &f.path), "{} listed once: {err}", f.path);
        } else {
            assert!(
                listed(rest, &f.path),
                "{} listed as not replaced: {err}",
                f.path
            );
        }
    }
    scene.assert_repaired();
}

/// The manifest's inode, size and mtime: any write to it changes one of them.
fn stamp(path: &Path) -> Option<(u64, u64, SystemTime)> {
    let meta = fs::symlink_metadata(path).ok()?;
    Some((meta.ino(), meta.len(), meta.modified().ok()?))
}

/// Starts the binary, waits until it changes the manifest (the first file it writes: the
/// manifest's path sorts first), then kills it `kill_after` later, or lets it finish. Returns
/// the time from that first change to the kill or the exit.
fn run_until_writing(scene: &Scene, kill_after: Option<Duration>) -> Duration {
    let manifest = scene.root().join(MANIFEST);
    let before = stamp(&manifest);
    let mut child = scene
        .xtask()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Polled without sleeping: the writes take about a millisecond.
    while stamp(&manifest) == before {
        if let Some(status) = child.try_wait().unwrap() {
            // The exit may have come between the write and this poll.
            if stamp(&manifest) != before {
                break;
            }
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).ok();
            panic!("the run ended ({status}) without writing the manifest: {err}");
        }
    }
    let started = Instant::now();
    match kill_after {
        Some(delay) => {
            while started.elapsed() < delay {
                std::hint::spin_loop();
            }
            child.kill().unwrap();
            child.wait().unwrap();
        }
        None => assert!(child.wait().unwrap().success()),
    }
    started.elapsed()
}

#[test]
fn a_run_killed_at_any_moment_leaves_every_file_old_or_new_and_the_next_run_cleans_up() {
    let scene = Scene::new();
    // The kills are spread over the time the writes take, measured on one full run.
    let writing = run_until_writing(&scene, None).max(Duration::from_micros(500));
    const KILLS: u32 = 12;
    let mut mid_write = 0;
    for k in 0..KILLS {
        scene.make_old();
        let delay = writing * k / KILLS;
        run_until_writing(&scene, Some(delay));
        let (new, old) = scene.count_new_and_old(&format!("killed {delay:?} into the writes"));
        if new > 0 && old > 0 {
            mid_write += 1;
        }
    }
    assert!(
        mid_write > 0,
        "no kill landed between the first and the last write (writes took {writing:?})"
    );
    scene.assert_repaired();
}

#[test]
fn a_temporary_file_left_beside_the_manifest_is_reported_and_deleted_by_the_next_run() {
    let scene = Scene::new();
    let (code, out, err) = run_xtask(&["codegen", "--root", scene.root().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    // What a run killed between creating and renaming the manifest's temporary file leaves.
    let left = PathBuf::from("generated-client/.codegen-tmp-Ab12Cd");
    fs::write(
        scene.root().join(&left),
        "# @generated by `cargo xtask codegen` fr",
    )
    .unwrap();
    let (code, _, err) = run_xtask(&[
        "codegen",
        "--check",
        "--root",
        scene.root().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "--check reports the leftover: {err}");
    assert!(err.contains(&format!("stale: {}", left.display())), "{err}");
    scene.assert_repaired();
}
