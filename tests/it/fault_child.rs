//! The `fault-server` binary run as a child of a test: its ports, and its summary once its
//! stdin closes.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde::de::DeserializeOwned;

pub struct FaultChild {
    child: Child,
    pub port: u16,
    /// A port where connecting is refused, to list first for failover.
    pub refused_port: u16,
    summary: PathBuf,
    _dir: tempfile::TempDir,
}

impl FaultChild {
    /// Starts `fault-server` with `args` (the limit, faults, …); the summary path is added here.
    pub fn start(args: &[String]) -> FaultChild {
        let dir = tempfile::tempdir().unwrap();
        let summary = dir.path().join("summary.json");
        let mut child = Command::new(env!("CARGO_BIN_EXE_fault-server"))
            .args(args)
            .arg("--summary")
            .arg(&summary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("fault-server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ports: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("fault-server printed {line:?}: {e}"));
        let port = |key: &str| ports[key].as_u64().expect("a port") as u16;
        FaultChild {
            port: port("port"),
            refused_port: port("refused_port"),
            child,
            summary,
            _dir: dir,
        }
    }

    /// Closes its stdin, which makes it write the summary and exit, and reads the summary.
    pub fn finish<T: DeserializeOwned>(mut self) -> T {
        drop(self.child.stdin.take());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "fault-server exited with {status}");
        let text = std::fs::read_to_string(&self.summary).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for FaultChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
