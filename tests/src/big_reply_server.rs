//! A test server that answers one request with a large (or endless) reply and counts the body
//! bytes it managed to write before the client hung up. A client that stops reading and closes
//! the connection caps that count at what it read plus what the sockets buffer; a client that
//! reads everything lets the server write it all. A bare tokio TCP listener on 127.0.0.1.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::closing_server::read_request;

/// How much body the server writes at a time.
const PIECE: usize = 64 * 1024;
/// An endless body stops growing here, but never ends: the connection stays open, so a client
/// without a cap waits for the rest until its timeout, holding this much. Far above any cap the
/// tests use plus the sockets' buffers, low enough not to exhaust a shared machine's memory.
pub const ENDLESS_CEILING: u64 = 256 * 1024 * 1024;
/// How long the server holds a connection open after an endless body reached the ceiling.
const HOLD: Duration = Duration::from_secs(30);

/// How the reply body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length` of the given size.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`, ending after the given size, or never (`None`).
    Chunked(Option<u64>),
}

/// The running server; stops when dropped.
pub struct BigReplyServer {
    uri: String,
    task: JoinHandle<u64>,
}

impl BigReplyServer {
    /// Listens on 127.0.0.1 on a free port and answers the first request with `status` (such as
    /// `"200 OK"`) and a body of `start` followed by spaces, framed as `framing` says.
    pub async fn start(
        status: &'static str,
        start: &[u8],
        framing: Framing,
    ) -> std::io::Result<BigReplyServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let uri = format!("http://{}", listener.local_addr()?);
        let start = start.to_vec();
        let task = tokio::spawn(async move {
            let Ok((mut stream, _)) = listener.accept().await else {
                return 0;
            };
            if read_request(&mut stream).await.is_err() {
                return 0;
            }
            serve(&mut stream, status, &start, framing).await
        });
        Ok(BigReplyServer { uri, task })
    }

    /// The base URL.
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// The body bytes the server wrote, once it stopped writing (the body ended or the client
    /// hung up); `None` if it is still writing after `within`.
    pub async fn body_bytes_written(mut self, within: Duration) -> Option<u64> {
        match tokio::time::timeout(within, &mut self.task).await {
            Ok(Ok(written)) => Some(written),
            Ok(Err(join)) => panic!("the server task failed: {join}"),
            Err(_) => None,
        }
    }
}

impl Drop for BigReplyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Writes the reply; returns the body bytes written.
async fn serve(stream: &mut TcpStream, status: &str, start: &[u8], framing: Framing) -> u64 {
    let (length_header, total) = match framing {
        Framing::ContentLength(n) => (format!("content-length: {n}"), Some(n)),
        Framing::Chunked(n) => ("transfer-encoding: chunked".to_owned(), n),
    };
    let head =
        format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{length_header}\r\n\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return 0;
    }
    let chunked = matches!(framing, Framing::Chunked(_));
    let filler = vec![b' '; PIECE];
    let mut written: u64 = 0;
    loop {
        let left = total.unwrap_or(u64::MAX) - written;
        if left == 0 || (total.is_none() && written >= ENDLESS_CEILING) {
            break;
        }
        let mut piece = Vec::with_capacity(PIECE + 16);
        let from_start = start.len().saturating_sub(written as usize);
        let size = (PIECE as u64).min(left) as usize;
        if from_start > 0 {
            let offset = written as usize;
            piece.extend_from_slice(&start[offset..offset + from_start.min(size)]);
        }
        piece.extend_from_slice(&filler[..size - piece.len()]);
        let framed = if chunked {
            let mut framed = format!("{size:x}\r\n").into_bytes();
            framed.extend_from_slice(&piece);
            framed.extend_from_slice(b"\r\n");
            framed
        } else {
            piece
        };
        if stream.write_all(&framed).await.is_err() {
            return written;
        }
        written += size as u64;
    }
    match total {
        Some(_) => {
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
            let _ = stream.flush().await;
        }
        // The ceiling: keep the body open until the client gives up.
        None => {
            let mut sink = [0u8; 1024];
            let _ = tokio::time::timeout(HOLD, async {
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
            })
            .await;
        }
    }
    written
}
