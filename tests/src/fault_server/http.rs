//! Minimal HTTP/1.1 over one connection: requests with a `Content-Length` body, kept alive,
//! so the server decides exactly when a connection is read, answered or reset.

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest head or body read: 1 MiB, far above the form of a full sendBatchMsg batch.
const MAX_BYTES: usize = 1 << 20;

/// A request line and headers.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub content_length: usize,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One connection, with what was read past the last request kept for the next one.
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl Connection {
    pub fn new(stream: TcpStream) -> Connection {
        Connection {
            stream,
            buffer: Vec::new(),
        }
    }

    /// The next request's head; `None` when the client closed between requests.
    pub async fn read_head(&mut self) -> io::Result<Option<Head>> {
        let end = loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                break end;
            }
            if self.buffer.len() > MAX_BYTES {
                return Err(invalid("request head too large".into()));
            }
            if self.fill().await? == 0 {
                return if self.buffer.is_empty() {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
        };
        let text = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        self.buffer.drain(..end + 4);
        let mut lines = text.split("\r\n");
        let line = lines.next().unwrap_or_default();
        let mut parts = line.split(' ');
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return Err(invalid(format!("not a request line: {line:?}")));
        };
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let mut head = Head {
            method: method.to_owned(),
            path: target.split('?').next().unwrap_or_default().to_owned(),
            headers,
            content_length: 0,
        };
        if head.header("transfer-encoding").is_some() {
            return Err(invalid("chunked bodies are not supported".into()));
        }
        if let Some(text) = head.header("content-length") {
            head.content_length = text
                .parse()
                .ok()
                .filter(|&n| n <= MAX_BYTES)
                .ok_or_else(|| invalid(format!("bad Content-Length {text:?}")))?;
        }
        Ok(Some(head))
    }

    /// The body announced by `head`.
    pub async fn read_body(&mut self, head: &Head) -> io::Result<Vec<u8>> {
        while self.buffer.len() < head.content_length {
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buffer.drain(..head.content_length).collect())
    }

    /// Writes a complete response; the connection stays open.
    pub async fn respond(
        &mut self,
        status: u16,
        content_type: &str,
        body: &[u8],
    ) -> io::Result<()> {
        let head = format!(
            "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
            reason(status),
            body.len()
        );
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        self.stream.write_all(&bytes).await?;
        self.stream.flush().await
    }

    /// Closes with a TCP reset (SO_LINGER 0): the client gets no answer, not even a clean close.
    pub fn reset(self) {
        let _ = self.stream.set_zero_linger();
        drop(self.stream);
    }

    async fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(n)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
