//! How close a run came to the fastest pace the rate limit allows.

use crate::fault_server::Summary;

/// The pace of one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    /// Requests whose body the server received.
    pub calls: u64,
    pub bound_ms: f64,
    /// Between the first and the last body received.
    pub elapsed_ms: f64,
    /// `bound_ms / elapsed_ms`: 1 is the limit's pace, above 1 is impossible without a 416.
    pub ratio: f64,
}

/// The bound: with at most N calls in any window of W ms, calls i and i+N are at least W
/// apart, so C calls (numbered 0..C-1) cannot be received in less than
/// `floor((C-1)/N)·W = (ceil(C/N)-1)·W` ms from the first to the last. The ratio compares that
/// with the measured time between the first and last receive (microsecond times of the log
/// when it is there, else the summary's milliseconds).
pub fn throughput(summary: &Summary) -> Throughput {
    let (calls, elapsed_ms) = match &summary.log {
        Some(log) => {
            let times: Vec<u64> = log.iter().filter_map(|e| e.receive_us).collect();
            let first = times.iter().min().copied().unwrap_or(0);
            let last = times.iter().max().copied().unwrap_or(0);
            (times.len() as u64, (last - first) as f64 / 1000.0)
        }
        None => (
            summary.requests,
            (summary.last_receive_ms - summary.first_receive_ms) as f64,
        ),
    };
    let n = u64::from(summary.calls.max(1));
    let bound_ms = (calls.div_ceil(n).saturating_sub(1) * summary.window_ms) as f64;
    let ratio = if elapsed_ms > 0.0 {
        bound_ms / elapsed_ms
    } else if bound_ms == 0.0 {
        1.0
    } else {
        f64::INFINITY
    };
    Throughput {
        calls,
        bound_ms,
        elapsed_ms,
        ratio,
    }
}
