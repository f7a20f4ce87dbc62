//! What the server records: one entry per request and the summary it writes when it stops.
//! Deserialize too, so the fan-out test reads the summary the binary wrote.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::faults::Fault;

/// Why the server refused a request by itself (no fault injected).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// 414: the CheckSum does not match.
    Checksum,
    /// 416: this call went over the limit and drew the block.
    OverLimit,
    /// 416: the app was blocked.
    Blocked,
    /// 414: the body is not a sendBatchMsg form.
    BadRequest,
    /// 404: another path.
    NotFound,
}

/// One request. Times are microseconds since the server started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// The order in which heads arrived, from 0.
    pub seq: u64,
    /// The connection, numbered in order of accepting it.
    pub conn: u64,
    /// When the head was complete: the client had started sending.
    pub start_us: u64,
    /// When the body was complete; none if it never was.
    pub receive_us: Option<u64>,
    /// When the answer was written; none if there was none.
    pub answer_us: Option<u64>,
    /// The accids of `toAccids`, empty if the body could not be read.
    pub recipients: Vec<String>,
    pub fault: Fault,
    pub refused: Option<Refusal>,
    /// Whether the registered recipients were delivered to.
    pub delivered: bool,
    /// The HTTP status written; none when the connection was reset.
    pub status: Option<u16>,
    /// The `code` of the JSON body, when there was one.
    pub code: Option<u16>,
    /// Recipients answered as unregistered (or that would have been, had the answer been seen).
    pub unregistered: Vec<String>,
}

/// Written to `--summary` when the server stops.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub requests: u64,
    pub answered_416: u64,
    pub injected_416: u64,
    /// 416s the client caused: over the limit or while blocked.
    pub self_416: u64,
    /// Milliseconds since start of the first and last complete request body (0 without any).
    pub first_receive_ms: u64,
    pub last_receive_ms: u64,
    pub calls: u32,
    pub window_ms: u64,
    pub block_ms: u64,
    /// Deliveries per recipient (unregistered ones are never delivered).
    pub delivered: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<Vec<LogEntry>>,
}
