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
