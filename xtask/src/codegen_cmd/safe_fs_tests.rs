//! The order of a durable write, recorded by a [`Durability`] that also really syncs: what the
//! target held at each sync shows whether it came before or after the rename. A power cut
//! itself is out of reach of a test; the order is what makes the write survive one.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

#[derive(Debug, PartialEq)]
enum Step {
    /// A file synced, and what the target held at that moment.
    File { path: PathBuf, target_then: String },
    /// A folder synced, and what the target held at that moment.
    Folder { path: PathBuf, target_then: String },
}

struct Recorder {
    target: PathBuf,
    steps: Vec<Step>,
}

impl Recorder {
    fn target_now(&self) -> String {
        fs::read_to_string(&self.target).unwrap_or_default()
    }
}

impl Durability for Recorder {
    fn sync_file(&mut self, file: &fs::File, path: &Path) -> std::io::Result<()> {
        let target_then = self.target_now();
        self.steps.push(Step::File {
            path: path.to_path_buf(),
            target_then,
        });
        Fsync.sync_file(file, path)
    }

    fn sync_folder(&mut self, folder: &Path) -> std::io::Result<()> {
        let target_then = self.target_now();
        self.steps.push(Step::Folder {
            path: folder.to_path_buf(),
            target_then,
        });
        Fsync.sync_folder(folder)
    }
}

#[test]
fn the_file_is_synced_before_the_rename_and_its_folder_after() {
    let root = tempfile::tempdir().unwrap();
    let rel = "generated/nested/file.rs";
    let target = root.path().join(rel);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(&target, "old").unwrap();
    let mut recorder = Recorder {
        target: target.clone(),
        steps: Vec::new(),
    };
    write_atomic_with(root.path(), rel, "new", &mut recorder).unwrap();

    assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    let [Step::File {
        path: synced_file,
        target_then: before,
    }, Step::Folder {
        path: synced_folder,
        target_then: after,
    }] = recorder.steps.as_slice()
    else {
        panic!(
            "expected a file sync then a folder sync: {:?}",
            recorder.steps
        );
    };
    // The synced file is the temporary one beside the target, synced before the rename.
    assert_eq!(synced_file.parent(), target.parent());
    assert!(synced_file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with(TEMP_PREFIX));
    assert_eq!(before, "old", "the file was synced after the rename");
    // The folder holding the target, synced after the rename.
    assert_eq!(synced_folder.as_path(), target.parent().unwrap());
    assert_eq!(after, "new", "the folder was synced before the rename");
}

#[test]
fn a_failed_sync_stops_the_write_and_leaves_the_old_file() {
    struct Failing;
    impl Durability for Failing {
        fn sync_file(&mut self, _: &fs::File, _: &Path) -> std::io::Result<()> {
            Err(std::io::Error::other("disk gone"))
        }
        fn sync_folder(&mut self, _: &Path) -> std::io::Result<()> {
            Ok(())
        }
    }
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("file.rs"), "old").unwrap();
    let err = write_atomic_with(root.path(), "file.rs", "new", &mut Failing).unwrap_err();
    assert!(
        err.contains("cannot sync file.rs") && err.contains("disk gone"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(root.path().join("file.rs")).unwrap(),
        "old"
    );
}

/// Records every sync, and what each target held at that moment.
struct ManyRecorder {
    targets: Vec<PathBuf>,
    steps: Vec<(String, Vec<String>)>,
}

impl ManyRecorder {
    fn record(&mut self, what: String) {
        let now = self
            .targets
            .iter()
            .map(|t| fs::read_to_string(t).unwrap_or_default())
            .collect();
        self.steps.push((what, now));
    }
}

impl Durability for ManyRecorder {
    fn sync_file(&mut self, file: &fs::File, path: &Path) -> std::io::Result<()> {
        self.record(format!("file in {}", path.parent().unwrap().display()));
        Fsync.sync_file(file, path)
    }

    fn sync_folder(&mut self, folder: &Path) -> std::io::Result<()> {
        self.record(format!("folder {}", folder.display()));
        Fsync.sync_folder(folder)
    }
}

#[test]
fn many_files_sync_each_before_its_rename_and_each_folder_once_after_its_renames() {
    let root = tempfile::tempdir().unwrap();
    let rels = ["a/one.rs", "a/two.rs", "b/three.md"];
    for rel in rels {
        let target = root.path().join(rel);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, "old").unwrap();
    }
    let mut recorder = ManyRecorder {
        targets: rels.iter().map(|r| root.path().join(r)).collect(),
        steps: Vec::new(),
    };
    let files: Vec<(&str, &str)> = rels.iter().map(|r| (*r, "new")).collect();
    write_all_atomic(root.path(), &files, &mut recorder).unwrap();

    let (a, b) = (root.path().join("a"), root.path().join("b"));
    let old_new = |n: usize| -> Vec<String> {
        (0..3)
            .map(|i| if i < n { "new" } else { "old" }.to_owned())
            .collect()
    };
    let expected = vec![
        // Each file synced while its target still held the old contents: before its rename.
        (format!("file in {}", a.display()), old_new(0)),
        (format!("file in {}", a.display()), old_new(1)),
        (format!("file in {}", b.display()), old_new(2)),
        // Each folder once, after every rename into it.
        (format!("folder {}", a.display()), old_new(3)),
        (format!("folder {}", b.display()), old_new(3)),
    ];
    assert_eq!(recorder.steps, expected);
}

#[test]
fn a_failed_folder_sync_counts_every_file_as_replaced() {
    struct FailingFolder;
    impl Durability for FailingFolder {
        fn sync_file(&mut self, _: &fs::File, _: &Path) -> std::io::Result<()> {
            Ok(())
        }
        fn sync_folder(&mut self, _: &Path) -> std::io::Result<()> {
            Err(std::io::Error::other("disk gone"))
        }
    }
    let root = tempfile::tempdir().unwrap();
    let files = [("x/one.rs", "1"), ("x/two.rs", "2")];
    let (replaced, err) = write_all_atomic(root.path(), &files, &mut FailingFolder).unwrap_err();
    assert_eq!(replaced, 2);
    assert!(
        err.contains("cannot sync the folder of") && err.contains("disk gone"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(root.path().join("x/two.rs")).unwrap(),
        "2"
    );
}
