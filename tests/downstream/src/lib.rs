//! What a downstream user of `yunxin-im` writes: a client on the application's own
//! `reqwest::Client`, and an outbox that stores requests as JSON lines and sends them later,
//! perhaps from another process.
//!
//! Built with `--no-default-features --features native-tls` or with `--features tracing`, it
//! checks that the client's features forward and compile; its unit tests round-trip every
//! request, reply and shared object of the client through `serde_json`.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yunxin_im::chatroom_batch_send_msg_to_someone::ChatroomBatchSendMsgToSomeoneRequest;
use yunxin_im::custom_notification_batch::CustomNotificationBatchRequest;
use yunxin_im::endpoint::ApiRequest;
use yunxin_im::send_attach_msg::SendAttachMsgRequest;
use yunxin_im::send_batch_attach_msg::SendBatchAttachMsgRequest;
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::{Client, Error};

pub mod errors;
pub mod first_use;
pub mod streams;
#[cfg(test)]
mod tests;
pub mod typed_fields;

/// A client of the application `app_key` on `http`, the HTTP client the application already
/// has (its proxy, CA and pool settings). `base_url`: a proxy or test server; `None` sends to
/// the vendor's hosts.
///
/// `http` must not follow redirects (build it with `.redirect(reqwest::redirect::Policy::none())`):
/// the client refuses any reply that came through a redirect as [`Error::Redirected`].
pub fn client_on(
    http: reqwest::Client,
    app_key: &str,
    app_secret: &str,
    base_url: Option<&str>,
) -> Result<Client, Error> {
    let builder = Client::builder(app_key, app_secret).http_client(http);
    match base_url {
        Some(url) => builder.base_url(url),
        None => builder,
    }
    .build()
}

/// One queued send: the endpoint and its request in wire form, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "endpoint", content = "request", rename_all = "snake_case")]
pub enum Queued {
    /// `send_batch_msg`.
    SendBatchMsg(SendBatchMsgRequest),
    /// `send_batch_attach_msg`.
    SendBatchAttachMsg(SendBatchAttachMsgRequest),
    /// `send_attach_msg`.
    SendAttachMsg(SendAttachMsgRequest),
    /// `chatroom_batch_send_msg_to_someone`.
    ChatroomBatchSendMsgToSomeone(ChatroomBatchSendMsgToSomeoneRequest),
    /// `custom_notification_batch` (v2: its `X-custom-traceid` is stored with it, so a resend
    /// from another process carries the same id and the server de-duplicates it).
    CustomNotificationBatch(CustomNotificationBatchRequest),
}

macro_rules! queued_from {
    ($($variant:ident($request:ty)),* $(,)?) => {
        $(impl From<$request> for Queued {
            fn from(request: $request) -> Self {
                Queued::$variant(request)
            }
        })*

        impl Queued {
            /// The endpoint's name, e.g. `send_batch_msg`.
            pub fn endpoint(&self) -> &'static str {
                match self {
                    $(Queued::$variant(_) => <$request as ApiRequest>::ENDPOINT.name,)*
                }
            }

            /// Sends it; the reply as JSON in wire names, for the application's log.
            pub async fn send(&self, client: &Client) -> Result<Value, Error> {
                match self {
                    $(Queued::$variant(request) => reply_json(client.send(request).await?),)*
                }
            }
        }
    };
}

queued_from!(
    SendBatchMsg(SendBatchMsgRequest),
    SendBatchAttachMsg(SendBatchAttachMsgRequest),
    SendAttachMsg(SendAttachMsgRequest),
    ChatroomBatchSendMsgToSomeone(ChatroomBatchSendMsgToSomeoneRequest),
    CustomNotificationBatch(CustomNotificationBatchRequest),
);

fn reply_json<T: Serialize>(reply: T) -> Result<Value, Error> {
    // A derived reply always serializes; `Null` would only hide a bug in the reply type.
    Ok(serde_json::to_value(reply).unwrap_or(Value::Null))
}

/// Requests waiting to be sent, stored as JSON lines (a file, a queue, a database column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outbox {
    lines: VecDeque<String>,
}

/// What [`Outbox::send_next`] did with the oldest request.
#[derive(Debug)]
pub enum Outcome {
    /// Sent and answered: removed from the outbox. The reply, as JSON.
    Sent(Value),
    /// Not delivered, safe to retry: kept at the head of the outbox.
    Kept(Error),
    /// Failed in a way that may have reached the server, or can never succeed: removed; the
    /// request (as stored) is handed back for the application to inspect.
    Dropped(Error, String),
    /// The stored line is not a request this version reads: removed and handed back.
    Unreadable(serde_json::Error, String),
}

impl Outbox {
    /// An empty outbox.
    pub fn new() -> Self {
        Outbox::default()
    }

    /// Reads an outbox from JSON lines; every line must hold a [`Queued`] request.
    pub fn from_json_lines(text: &str) -> Result<Self, serde_json::Error> {
        let mut lines = VecDeque::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            serde_json::from_str::<Queued>(line)?;
            lines.push_back(line.to_owned());
        }
        Ok(Outbox { lines })
    }

    /// The outbox as JSON lines, oldest first.
    pub fn to_json_lines(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Queues `request` at the tail.
    pub fn push(&mut self, request: impl Into<Queued>) -> Result<(), serde_json::Error> {
        self.lines
            .push_back(serde_json::to_string(&request.into())?);
        Ok(())
    }

    /// How many requests wait.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The oldest request, read back from its stored JSON.
    pub fn peek(&self) -> Option<Result<Queued, serde_json::Error>> {
        self.lines.front().map(|line| serde_json::from_str(line))
    }

    /// Sends the oldest request; `None` when the outbox is empty.
    pub async fn send_next(&mut self, client: &Client) -> Option<Outcome> {
        let line = self.lines.pop_front()?;
        let queued: Queued = match serde_json::from_str(&line) {
            Ok(queued) => queued,
            Err(err) => return Some(Outcome::Unreadable(err, line)),
        };
        Some(match queued.send(client).await {
            Ok(reply) => Outcome::Sent(reply),
            Err(err) if err.is_retry_safe() => {
                self.lines.push_front(line);
                Outcome::Kept(err)
            }
            Err(err) => Outcome::Dropped(err, line),
        })
    }
}
