//! Serving: one task per connection, each request judged, faulted, delivered and logged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::TcpListener;

use super::config::Config;
use super::faults::Fault;
use super::http::{Connection, Head};
use super::lock;
use super::log::{LogEntry, Refusal, Summary};
use super::request::{self, SEND_BATCH_MSG};
use super::window::{Verdict, Window};

/// State shared by the connection tasks.
pub struct Shared {
    config: Config,
    started: Instant,
    next_conn: AtomicU64,
    state: Mutex<State>,
}

struct State {
    next_seq: u64,
    window: Window,
    burst_left: u64,
    /// Whether any body arrived yet: `first_receive_ms` 0 is also a real time.
    received_any: bool,
    summary: Summary,
    log: Vec<LogEntry>,
}

/// What to do after judging a request.
enum Reply {
    Json {
        status: u16,
        code: u16,
        body: String,
    },
    Html {
        status: u16,
    },
    Reset,
    Late {
        body: String,
    },
}

impl Shared {
    pub fn new(config: Config) -> Shared {
        let window = Window::new(
            config.calls,
            config.window.as_micros() as u64,
            config.block.as_micros() as u64,
        );
        let summary = Summary {
            calls: config.calls,
            window_ms: config.window.as_millis() as u64,
            block_ms: config.block.as_millis() as u64,
            ..Summary::default()
        };
        Shared {
            config,
            started: Instant::now(),
            next_conn: AtomicU64::new(0),
            state: Mutex::new(State {
                next_seq: 0,
                window,
                burst_left: 0,
                received_any: false,
                summary,
                log: Vec::new(),
            }),
        }
    }

    fn now_us(&self) -> u64 {
        self.started.elapsed().as_micros() as u64
    }

    pub fn summary(&self) -> Summary {
        let state = lock(&self.state);
        let mut summary = state.summary.clone();
        if self.config.log {
            // Entries are recorded when answered; late answers would come out of order.
            let mut log = state.log.clone();
            log.sort_by_key(|e| e.seq);
            summary.log = Some(log);
        }
        summary
    }

    /// Numbers the request and draws its fault, continuing a 416 burst first.
    fn begin(&self) -> (u64, Fault) {
        let mut state = lock(&self.state);
        let seq = state.next_seq;
        state.next_seq += 1;
        state.summary.requests += 1;
        if state.burst_left > 0 {
            state.burst_left -= 1;
            return (seq, Fault::Burst416);
        }
        let (fault, burst) = self.config.faults.draw(seq);
        if fault == Fault::Burst416 {
            state.burst_left = burst.saturating_sub(1);
        }
        (seq, fault)
    }

    /// Judges a request whose body arrived at `now`, delivers it if it goes through, and
    /// fills the entry; returns the reply to give.
    fn process(&self, head: &Head, body: &[u8], now: u64, entry: &mut LogEntry) -> Reply {
        let refuse = |entry: &mut LogEntry, why, status, code: u16, desc: &str| {
            entry.refused = Some(why);
            entry.fault = Fault::None;
            Reply::Json {
                status,
                code,
                body: serde_json::json!({"code": code, "desc": desc}).to_string(),
            }
        };
        entry.recipients = request::recipients(body).unwrap_or_default();
        if head.method != "POST" || head.path != SEND_BATCH_MSG {
            return refuse(entry, Refusal::NotFound, 404, 404, "not found");
        }
        if !request::signed(head, &self.config.app_secret) {
            return refuse(entry, Refusal::Checksum, 200, 414, "checksum");
        }
        let mut state = lock(&self.state);
        match state.window.judge(now) {
            Verdict::Admitted => {}
            Verdict::OverLimit => {
                return refuse(entry, Refusal::OverLimit, 200, 416, "api freq control")
            }
            Verdict::Blocked => {
                return refuse(entry, Refusal::Blocked, 200, 416, "api freq control")
            }
        }
        match entry.fault {
            Fault::Burst416 => {
                return Reply::Json {
                    status: 200,
                    code: 416,
                    body: r#"{"code":416,"desc":"api freq control"}"#.into(),
                }
            }
            Fault::Status503 => return Reply::Html { status: 503 },
            _ => {}
        }
        if let Err(problem) = request::recipients(body) {
            return refuse(entry, Refusal::BadRequest, 200, 414, &problem);
        }
        let every = self.config.unregistered_every;
        for accid in &entry.recipients {
            if request::unregistered(accid, every) {
                entry.unregistered.push(accid.clone());
            } else {
                *state.summary.delivered.entry(accid.clone()).or_insert(0) += 1;
            }
        }
        entry.delivered = true;
        let ok = serde_json::json!({
            "code": 200,
            "unregister": entry.unregistered,
            "timetag": now / 1000,
        })
        .to_string();
        match entry.fault {
            Fault::Status500 => Reply::Json {
                status: 500,
                code: 500,
                body: r#"{"code":500,"desc":"server error"}"#.into(),
            },
            Fault::Status502 => Reply::Html { status: 502 },
            Fault::ResetAfterProcess => Reply::Reset,
            Fault::SlowReply => Reply::Late { body: ok },
            _ => Reply::Json {
                status: 200,
                code: 200,
                body: ok,
            },
        }
    }

    fn record(&self, entry: LogEntry) {
        let mut state = lock(&self.state);
        let first = !state.received_any && entry.receive_us.is_some();
        state.received_any |= first;
        let summary = &mut state.summary;
        if let Some(us) = entry.receive_us {
            let ms = us / 1000;
            if first {
                summary.first_receive_ms = ms;
            }
            summary.first_receive_ms = summary.first_receive_ms.min(ms);
            summary.last_receive_ms = summary.last_receive_ms.max(ms);
        }
        if entry.code == Some(416) {
            summary.answered_416 += 1;
            if entry.refused.is_some() {
                summary.self_416 += 1;
            } else {
                summary.injected_416 += 1;
            }
        }
        if self.config.log {
            state.log.push(entry);
        }
    }
}

/// Accepts connections until the task is aborted.
pub async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let conn = shared.next_conn.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(connection(
            Connection::new(stream),
            conn,
            Arc::clone(&shared),
        ));
    }
}

async fn connection(mut connection: Connection, conn: u64, shared: Arc<Shared>) {
    while let Ok(Some(head)) = connection.read_head().await {
        let start_us = shared.now_us();
        let (seq, fault) = shared.begin();
        let mut entry = LogEntry {
            seq,
            conn,
            start_us,
            receive_us: None,
            answer_us: None,
            recipients: Vec::new(),
            fault,
            refused: None,
            delivered: false,
            status: None,
            code: None,
            unregistered: Vec::new(),
        };
        // The body is read even for a reset before processing, for the log: on loopback a
        // batch's few kilobytes are in the socket before the server could react anyway.
        let Ok(body) = connection.read_body(&head).await else {
            shared.record(entry);
            return;
        };
        let now = shared.now_us();
        entry.receive_us = Some(now);
        if fault == Fault::ResetBeforeBody {
            entry.recipients = request::recipients(&body).unwrap_or_default();
            shared.record(entry);
            connection.reset();
            return;
        }
        let reply = shared.process(&head, &body, now, &mut entry);
        // Recorded before the answer is written: a client that has read its answer and closed
        // the server's stdin must find the request in the summary.
        let (status, content_type, body): (u16, &str, Vec<u8>) = match reply {
            Reply::Reset => {
                shared.record(entry);
                connection.reset();
                return;
            }
            Reply::Json { status, code, body } => {
                entry.status = Some(status);
                entry.code = Some(code);
                (status, "application/json;charset=utf-8", body.into_bytes())
            }
            Reply::Html { status } => {
                entry.status = Some(status);
                let page = format!("<html><body><h1>{status}</h1>gateway</body></html>");
                (status, "text/html", page.into_bytes())
            }
            Reply::Late { body } => {
                tokio::time::sleep(shared.config.slow).await;
                entry.status = Some(200);
                entry.code = Some(200);
                (200, "application/json;charset=utf-8", body.into_bytes())
            }
        };
        entry.answer_us = Some(shared.now_us());
        shared.record(entry);
        let written = connection.respond(status, content_type, &body).await;
        if written.is_err() {
            return;
        }
    }
}
