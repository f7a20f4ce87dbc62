// A transport failure carries the client's own error type, not the HTTP library's, so a
// reqwest upgrade cannot break a caller's match. (Under reqwest 0.12 in the API, the forbidden
// part compiled.) The library's error stays reachable as a `dyn Error` source.
use yunxin_im::error::{Error, TransportError};

fn main() {
    fn inspect(error: Error) {
        if let Error::Transport { source, .. } = error {
            case! {
                forbidden: {
                    let failure: reqwest::Error = source;
                }
                allowed: {
                    let failure: TransportError = source;
                }
            }
            let _ = std::error::Error::source(&failure);
        }
    }
    let _ = inspect;
}
