//! `fault-server`: the fault-injecting sendBatchMsg server as a child process.
//!
//! `fault-server --calls N --window-ms W --block-ms B [--seed S] [--faults none|all]
//! [--unregistered-every K] [--app-secret SECRET] [--slow-ms MS] [--no-log] --summary PATH`
//!
//! Prints `{"port":P,"refused_port":Q}` on one line, serves until its stdin reaches EOF (the
//! parent closes it, or dies: no signal handling needed and no orphan left serving), then writes
//! the summary JSON to PATH and exits 0. Exit 2 on a bad command line.

use std::io::{Read, Write};

use yunxin_tests::fault_server::{Config, FaultServer};

#[tokio::main]
async fn main() {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("fault-server: {problem}");
            std::process::exit(2);
        }
    };
    let path = config
        .summary
        .clone()
        .expect("from_args requires --summary");
    let server = FaultServer::start(config).await.expect("binds 127.0.0.1");
    println!("{}", server.ports_json());
    std::io::stdout().flush().expect("stdout is writable");

    let (closed, stdin_closed) = tokio::sync::oneshot::channel();
    // A plain thread: tokio's stdin needs a feature this crate does not otherwise use.
    std::thread::spawn(move || {
        let mut sink = [0u8; 1024];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        let _ = closed.send(());
    });
    let _ = stdin_closed.await;
    server.stop();
    let summary = serde_json::to_vec(&server.summary()).expect("the summary serializes");
    std::fs::write(&path, summary).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
