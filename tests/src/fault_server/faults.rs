//! Which fault a request gets: drawn from a seeded generator keyed by the request's number, so a
//! seed gives the same fault sequence on every run whatever the timing.

use serde::{Deserialize, Serialize};

/// A fault injected into one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    None,
    /// 416 although under the limit, to this request and the next ones of the burst.
    Burst416,
    /// Delivered, then HTTP 500.
    Status500,
    /// Delivered, then HTTP 502 with a gateway's HTML page.
    Status502,
    /// HTTP 503 before processing: not delivered.
    Status503,
    /// The connection is reset without processing: not delivered, no answer.
    ResetBeforeBody,
    /// Delivered, then the connection is reset: no answer.
    ResetAfterProcess,
    /// Delivered, answered only after `Config::slow`.
    SlowReply,
}

/// Every fault but `None`, with its probability per request under `--faults all`.
pub const RATES: &[(Fault, f64)] = &[
    (Fault::Burst416, 0.015),
    (Fault::Status500, 0.02),
    (Fault::Status502, 0.02),
    (Fault::Status503, 0.02),
    (Fault::ResetBeforeBody, 0.02),
    (Fault::ResetAfterProcess, 0.02),
    (Fault::SlowReply, 0.02),
];

/// The longest 416 burst (bursts are 1 to this many calls).
pub const MAX_BURST: u64 = 2;

/// Where faults come from.
#[derive(Debug, Clone)]
pub enum FaultPlan {
    None,
    /// Each fault at its rate in [`RATES`].
    Random {
        seed: u64,
    },
    /// This fault for request number i, none past the end (self-tests).
    Script(Vec<Fault>),
}

impl FaultPlan {
    /// The fault drawn for request `seq`, and the length of the burst if it starts one.
    pub fn draw(&self, seq: u64) -> (Fault, u64) {
        match self {
            FaultPlan::None => (Fault::None, 0),
            FaultPlan::Script(faults) => {
                let fault = faults.get(seq as usize).copied().unwrap_or(Fault::None);
                (fault, 1)
            }
            FaultPlan::Random { seed } => {
                let roll = mix(seed ^ seq.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let mut point = (roll >> 11) as f64 / (1u64 << 53) as f64;
                for &(fault, rate) in RATES {
                    if point < rate {
                        return (fault, 1 + mix(roll) % MAX_BURST);
                    }
                    point -= rate;
                }
                (Fault::None, 0)
            }
        }
    }
}

/// splitmix64's finaliser: a well-spread 64-bit hash, enough for reproducible test faults.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
