//! A misconfigured Redis fails the call at once, in every mode: a refused password, a missing
//! password, a database that does not exist, a server without script support, a server at the
//! address that does not speak Redis. Waiting cannot fix any of them, so even the default
//! `Unavailable::Wait` ends the call with `Error::Pacing` naming the cause and the masked URL;
//! an unreachable Redis is still waited for (tests/it/redis_pacing.rs), visibly (tracing events
//! when the waiting starts and ends, with the cause).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use yunxin_im::pacing::{Pace, RedisPaceStore, Unavailable};
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};
use yunxin_tests::redis_server;

const PASSWORD: &str = "Right/Pw#1";
const WRONG: &str = "Wrong-Sx-Pw";

fn encoded(password: &str) -> String {
    password.replace('/', "%2F").replace('#', "%23")
}

/// A client whose base URL nothing listens on: a call that got past pacing fails in transport.
fn client(url: &str, when: Unavailable) -> Client {
    let store = RedisPaceStore::builder(url)
        .when_unavailable(when)
        .command_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    Client::builder("app", "app-secret")
        .base_url("http://127.0.0.1:9")
        .rate_limit("send_batch_msg", Pace::new(5, Duration::from_secs(1)))
        .pace_store(Arc::new(store))
        .build()
        .unwrap()
}

fn request() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", vec!["a".into()], MsgType::Text, r#"{"msg":"hi"}"#)
}

/// The call's pacing error under `when`, within a second, or a panic saying what happened.
async fn pacing_error(url: &str, when: Unavailable) -> (String, String) {
    let client = client(url, when);
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(5), client.send_batch_msg(&request()))
        .await
        .unwrap_or_else(|_| panic!("{url} under {when:?}: still waiting after 5 s"));
    let elapsed = started.elapsed();
    let Err(Error::Pacing { error, .. }) = &result else {
        panic!("{url} under {when:?}: expected a pacing error: {result:?}");
    };
    assert!(elapsed < Duration::from_secs(1), "{url}: took {elapsed:?}");
    let message = result.as_ref().unwrap_err().to_string();
    let debug = format!("{result:?}");
    for secret in [PASSWORD, WRONG, &encoded(PASSWORD), &encoded(WRONG)] {
        assert!(
            !message.contains(secret) && !debug.contains(secret),
            "{message}"
        );
    }
    (error.store.clone(), error.reason.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_password_a_missing_one_or_a_missing_database_fail_at_once_in_every_mode() {
    let redis = redis_server::start_with_password(PASSWORD);
    let port = redis.port();
    let right = format!("redis://:{}@127.0.0.1:{port}/0", encoded(PASSWORD));
    // The negative twin: the right password and database pass, so the call reaches transport.
    let result = client(&right, Unavailable::Wait)
        .send_batch_msg(&request())
        .await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");

    let shown = format!("redis://:****@127.0.0.1:{port}");
    for (url, store, cause) in [
        (
            format!("redis://:{WRONG}@127.0.0.1:{port}/0"),
            format!("{shown}/0"),
            "authentication refused",
        ),
        (
            format!("redis://127.0.0.1:{port}/0"),
            format!("redis://127.0.0.1:{port}/0"),
            "authentication refused",
        ),
        (
            format!("redis://:{}@127.0.0.1:{port}/99", encoded(PASSWORD)),
            format!("{shown}/99"),
            "DB index is out of range",
        ),
    ] {
        for when in [Unavailable::Wait, Unavailable::Fail] {
            let (shown_store, reason) = pacing_error(&url, when).await;
            assert_eq!(shown_store, store);
            assert!(reason.contains(cause), "{url}: {reason}");
            assert!(reason.contains("configuration error"), "{url}: {reason}");
        }
    }
}

/// A loopback server answering each connection with `answer(commands so far)`.
fn fake_server(answer: fn(&mut TcpStream)) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(&mut stream));
        }
    });
    port
}

/// Reads RESP commands (arrays of bulk strings) and answers each with `reply`.
fn answer_each_command(stream: &mut TcpStream, reply: &[u8]) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let Some(count) = line
            .trim()
            .strip_prefix('*')
            .and_then(|n| n.parse::<usize>().ok())
        else {
            return;
        };
        for _ in 0..count {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let length: usize = line.trim().trim_start_matches('$').parse().unwrap();
            let mut argument = vec![0; length + 2];
            reader.read_exact(&mut argument).unwrap();
        }
        if stream.write_all(reply).is_err() {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_not_redis_or_has_no_scripts_fails_at_once_in_every_mode() {
    let http = fake_server(|stream| {
        let mut buf = [0; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
    });
    let garbage = fake_server(|stream| {
        let mut buf = [0; 1024];
        while let Ok(1..) = stream.read(&mut buf) {
            if stream.write_all(b"\x00\xffgarbage\r\n").is_err() {
                return;
            }
        }
    });
    let no_eval = fake_server(|s| answer_each_command(s, b"-ERR unknown command\r\n"));
    let no_script = fake_server(|s| answer_each_command(s, b"-NOSCRIPT No matching script\r\n"));
    for (port, cause) in [
        (http, "does not speak Redis"),
        (garbage, "does not speak Redis"),
        (no_eval, "unknown command"),
        (no_script, "no script support"),
    ] {
        let url = format!("redis://127.0.0.1:{port}/0");
        for when in [Unavailable::Wait, Unavailable::Fail] {
            let (store, reason) = pacing_error(&url, when).await;
            assert_eq!(store, url);
            assert!(reason.contains(cause), "{url}: {reason}");
        }
    }
}

/// Every event's message and fields, as text.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Events {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = format!("{} ", event.metadata().level());
        event.record(&mut Fields(&mut text));
        self.0.lock().unwrap().push(text);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn waiting_for_an_unreachable_redis_is_visible_when_it_starts_and_ends() {
    let mut redis = redis_server::start_with_password(PASSWORD);
    let url = format!(
        "redis://:{}@127.0.0.1:{}/0",
        encoded(PASSWORD),
        redis.port()
    );
    redis.kill();
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let restarter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(800));
        redis.restart();
        redis
    });
    let result = runtime.block_on(client(&url, Unavailable::Wait).send_batch_msg(&request()));
    let _redis = restarter.join().unwrap();
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    let events = events.0.lock().unwrap().clone();
    let about_store: Vec<&String> = events.iter().filter(|e| e.contains("store=")).collect();
    let [started, ended] = about_store.as_slice() else {
        panic!("expected one event when waiting starts and one when it ends: {events:#?}");
    };
    for event in [started, ended] {
        assert!(event.contains("cannot connect"), "{event}");
        assert!(event.contains(":****@127.0.0.1"), "{event}");
        assert!(!event.contains("Right"), "{event}");
    }
    assert!(
        started.starts_with("WARN") && started.contains("wait"),
        "{started}"
    );
    assert!(ended.contains("available again"), "{ended}");
}
