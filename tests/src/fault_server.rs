//! A fault-injecting sendBatchMsg server on 127.0.0.1 for fan-out tests: it checks the CheckSum,
//! enforces a sliding-window rate limit with a block, injects faults from a seeded generator
//! (416 bursts, 5xx before or after delivering, resets before or after delivering, late
//! replies), reports unregistered accids, offers a refusing port for failover, and logs every
//! request with what it delivered. The `fault-server` binary runs it as a child process.

pub mod config;
pub mod faults;
mod http;
pub mod log;
pub mod request;
mod serve;
#[cfg(test)]
mod tests;
pub mod window;

use std::io;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinHandle;

pub use config::Config;
pub use faults::Fault;
pub use log::{LogEntry, Refusal, Summary};

use serve::Shared;

/// The running server; stops when dropped.
pub struct FaultServer {
    port: u16,
    refused_port: u16,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
    // Bound but never listening: connecting is refused, and no one else can take the port.
    _refusing: TcpSocket,
}

impl FaultServer {
    /// Listens on 127.0.0.1 on a free port.
    pub async fn start(config: Config) -> io::Result<FaultServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let refusing = TcpSocket::new_v4()?;
        refusing.bind("127.0.0.1:0".parse().expect("an address"))?;
        let refused_port = refusing.local_addr()?.port();
        let shared = Arc::new(Shared::new(config));
        let task = tokio::spawn(serve::accept(listener, Arc::clone(&shared)));
        Ok(FaultServer {
            port,
            refused_port,
            shared,
            task,
            _refusing: refusing,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A port where connections are refused.
    pub fn refused_port(&self) -> u16 {
        self.refused_port
    }

    /// The line the binary prints: `{"port":P,"refused_port":Q}`.
    pub fn ports_json(&self) -> String {
        serde_json::json!({"port": self.port, "refused_port": self.refused_port}).to_string()
    }

    /// What happened so far.
    pub fn summary(&self) -> Summary {
        self.shared.summary()
    }

    /// Stops accepting connections (requests under way finish on their own tasks).
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Keeps the lock usable after a panicking connection task: the log is still worth reading.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
