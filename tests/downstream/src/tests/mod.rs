//! The crate's tests, as a downstream user would write them: serde round trips of everything
//! the client exposes, its own HTTP client against a loopback server, and the client's spans.

mod client;
mod errors;
mod round_trip;
mod spans;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub(crate) const APP_KEY: &str = "downstream-app";
pub(crate) const SECRET: &str = "downstream-secret-5f0c1e";

/// One request as the loopback server read it.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) method: String,
    pub(crate) path: String,
    /// Header names in lowercase.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether the request carries a valid signature of `secret`: `CheckSum` is the SHA-1 of
    /// `secret + Nonce + CurTime` in lowercase hex, computed here independently of the client.
    pub(crate) fn signed_with(&self, secret: &str) -> bool {
        match (
            self.header("Nonce"),
            self.header("CurTime"),
            self.header("CheckSum"),
        ) {
            (Some(nonce), Some(cur_time), Some(sum)) => {
                use sha1::{Digest, Sha1};
                let digest = Sha1::digest(format!("{secret}{nonce}{cur_time}").as_bytes());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                sum == hex
            }
            _ => false,
        }
    }
}

/// What the loopback server answers one request with.
pub(crate) struct Answer {
    pub(crate) status: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn json(body: &str) -> Self {
        Answer {
            status: "200 OK",
            headers: vec![("content-type", "application/json".into())],
            body: body.into(),
        }
    }
}

/// A server on 127.0.0.1 that answers every request with `answer(request)` and records it.
/// Each answer closes its connection; the accept loop ends when the server is dropped.
pub(crate) struct Loopback {
    pub(crate) base: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Loopback {
    pub(crate) async fn start(
        answer: impl Fn(&Received) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let answer = Arc::new(answer);
        let task = tokio::spawn(async move {
            // Bounded: no test makes more than a handful of requests.
            for _ in 0..32 {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let Some(request) = read_request(&mut stream).await else {
                    continue;
                };
                // Recorded before answering: when the client has its answer, the log is complete.
                log.lock().unwrap().push(request.clone());
                let a = answer(&request);
                let mut head = format!(
                    "HTTP/1.1 {}\r\ncontent-length: {}\r\nconnection: close\r\n",
                    a.status,
                    a.body.len()
                );
                for (name, value) in &a.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(a.body.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        Loopback {
            base,
            received,
            task,
        }
    }

    /// Every request so far, in arrival order.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let deadline = Duration::from_secs(10);
    loop {
        let n = tokio::time::timeout(deadline, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut start = lines.next()?.split(' ');
        let (method, path) = (start.next()?.to_owned(), start.next()?.to_owned());
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse::<usize>().unwrap_or(0));
        if data.len() >= end + 4 + length {
            return Some(Received {
                method,
                path,
                headers,
                body: data[end + 4..end + 4 + length].to_vec(),
            });
        }
    }
}

/// A `reqwest::ClientBuilder` as the application makes one. Under yunxin-im's rustls features
/// reqwest 0.13 has no crypto provider of its own (no aws-lc-rs) and panics building a client,
/// so the application brings one: ring with the webpki roots, passed explicitly rather than
/// installed process-wide. (With native-tls on, reqwest uses that and needs nothing.)
pub(crate) fn own_http_builder() -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder();
    #[cfg(all(feature = "rustls-tls", not(feature = "native-tls")))]
    let builder = {
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let roots =
            rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        builder.tls_backend_preconfigured(config)
    };
    builder
}

/// The raw `reqwest::Client` an application might already have: no redirects, short timeouts.
pub(crate) fn own_http_client() -> reqwest::Client {
    own_http_builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}
