// The hand-written runtime is private: callers reach its public items through the curated
// modules (`error`, `client`, `fan_out`, `pacing`, `auth`, `endpoint`), never by `runtime`.
fn main() {
    case! {
        forbidden: {
            let policy = yunxin_im::runtime::fan_out::RetryPolicy::default();
        }
        allowed: {
            let policy = yunxin_im::fan_out::RetryPolicy::default();
        }
    }
    let _ = policy;
}
