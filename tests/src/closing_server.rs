//! A test server that reads each request in full, checks it against the fixture, then closes the
//! connection without sending a single byte of reply: the request reached the server, the reply
//! never came. wiremock always answers, so this is a bare tokio TCP listener on 127.0.0.1.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::compare::ReceivedRequest;
use crate::fixture::ExpectedRequest;
use crate::replay::Recorder;

/// How long the server waits for a request to arrive in full.
const READ_DEADLINE: Duration = Duration::from_secs(5);
/// The largest request the server reads.
const MAX_REQUEST_BYTES: usize = 1 << 20;

/// The running server; stops when dropped.
pub struct ClosingServer {
    uri: String,
    task: JoinHandle<()>,
}

impl ClosingServer {
    /// Listens on 127.0.0.1 on a free port.
    pub async fn start(
        expected: Option<ExpectedRequest>,
        json_text: BTreeSet<String>,
        recorder: Recorder,
    ) -> std::io::Result<ClosingServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let uri = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            // Every connection is served the same way, so a retry would be counted too.
            while let Ok((mut stream, _)) = listener.accept().await {
                let received = tokio::time::timeout(READ_DEADLINE, read_request(&mut stream)).await;
                match received {
                    Ok(Ok(request)) => {
                        recorder.check(expected.as_ref(), &json_text, &request);
                    }
                    Ok(Err(problem)) => {
                        let mut record = recorder.lock();
                        record.requests += 1;
                        record.differences.push(format!("request: {problem}"));
                    }
                    Err(_) => {
                        let mut record = recorder.lock();
                        record.differences.push(format!(
                            "request: did not arrive in full within {} s",
                            READ_DEADLINE.as_secs()
                        ));
                    }
                }
                // Closing without a reply is the point of this server.
                drop(stream);
            }
        });
        Ok(ClosingServer { uri, task })
    }

    /// The base URL.
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// Stops accepting connections.
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for ClosingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one HTTP/1.1 request with a `Content-Length` body.
pub(crate) async fn read_request(stream: &mut TcpStream) -> Result<ReceivedRequest, String> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = find(&data, b"\r\n\r\n") {
            break end;
        }
        let n = read_some(stream, &mut chunk).await?;
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("not an HTTP request line: {request_line:?}"));
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("transfer-encoding").is_some() {
        return Err("a chunked body cannot be read by the closing server".to_owned());
    }
    let length = match header("content-length") {
        None => 0,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| format!("Content-Length {text:?} is not a number"))?,
    };
    if length > MAX_REQUEST_BYTES {
        return Err(format!("the body of {length} bytes is too large"));
    }
    let body_start = head_end + 4;
    while data.len() < body_start + length {
        let n = read_some(stream, &mut chunk).await?;
        data.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    Ok(ReceivedRequest {
        method: method.to_owned(),
        path,
        query,
        headers,
        body: data[body_start..body_start + length].to_vec(),
    })
}

async fn read_some(stream: &mut TcpStream, chunk: &mut [u8]) -> Result<usize, String> {
    match stream.read(chunk).await {
        Ok(0) => Err("the client closed the connection mid-request".to_owned()),
        Ok(n) => Ok(n),
        Err(err) => Err(format!("reading the request failed: {err}")),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
