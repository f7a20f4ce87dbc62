//! The one JSON object the `fan_out` example prints on stdout.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The outcomes a recipient can end with.
pub const OUTCOMES: [&str; 5] = ["sent", "unregistered", "failed", "unknown", "not_attempted"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Counts {
    pub sent: u64,
    pub unregistered: u64,
    pub failed: u64,
    pub unknown: u64,
    pub not_attempted: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.sent + self.unregistered + self.failed + self.unknown + self.not_attempted
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FanOutOutput {
    pub calls: u64,
    pub retries: u64,
    /// Recipients whose outcome a resumed run took from its journal (0 without one).
    #[serde(default)]
    pub resumed: u64,
    /// Chunks of an earlier run a resumed run sent again.
    #[serde(default)]
    pub resent_chunks: u64,
    pub counts: Counts,
    /// Accid → one of [`OUTCOMES`].
    pub recipients: BTreeMap<String, String>,
}

/// Reads the example's stdout: exactly one JSON object (surrounding whitespace allowed).
pub fn parse(stdout: &str) -> Result<FanOutOutput, String> {
    serde_json::from_str(stdout.trim())
        .map_err(|e| format!("stdout is not the one JSON object of the contract: {e}"))
}
