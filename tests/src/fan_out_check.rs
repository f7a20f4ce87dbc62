//! Checks a run of the `fan_out` example against the fault server's log: the example's JSON is
//! parsed ([`output`]), every recipient's outcome compared with what the server did
//! ([`consistency`]), and the pace measured against the limit's bound ([`throughput()`]); a run killed and resumed
//! is checked by [`resume`].

pub mod consistency;
pub mod output;
pub mod resume;
#[cfg(test)]
mod tests;
pub mod throughput;

pub use consistency::{check, BLOCK_SLACK_US};
pub use output::{parse, Counts, FanOutOutput};
pub use resume::{check_resumed, ResumeFigures};
pub use throughput::{throughput, Throughput};
