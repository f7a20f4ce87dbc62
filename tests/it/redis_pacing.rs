//! The Redis pacing store against a real `redis-server`: several clients, each with its own
//! store and connection (as separate processes would have), share one budget; a rate-limit
//! answer to one blocks the others; Redis down fails or waits as chosen; Redis killed and
//! restarted mid-run does not stop the calls.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use yunxin_im::pacing::Pace;
use yunxin_im::pacing::{RedisPaceStore, Unavailable};
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};
use yunxin_tests::redis_server::{self, RedisServer};

const ENDPOINT: &str = "send_batch_msg";

/// Records when each request arrived; answers the first with the rate-limit code if asked.
#[derive(Clone, Default)]
struct Arrivals {
    times: Arc<Mutex<Vec<Instant>>>,
    rate_limit_first: bool,
}

impl Respond for Arrivals {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut times = self.times.lock().unwrap();
        times.push(Instant::now());
        let body = if self.rate_limit_first && times.len() == 1 {
            r#"{"code":416,"desc":"api freq control"}"#
        } else {
            r#"{"code":200}"#
        };
        ResponseTemplate::new(200).set_body_raw(body, "application/json")
    }
}

impl Arrivals {
    fn times(&self) -> Vec<Instant> {
        let mut times = self.times.lock().unwrap().clone();
        times.sort();
        times
    }
}

async fn server(arrivals: &Arrivals) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(arrivals.clone())
        .mount(&server)
        .await;
    server
}

fn store(url: &str, when: Unavailable) -> RedisPaceStore {
    RedisPaceStore::builder(url)
        .key_prefix("it:pace")
        .when_unavailable(when)
        .command_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

/// A client of the one app, with its own store (its own Redis connection), like a process.
fn client(server: &MockServer, store: RedisPaceStore, pace: Pace) -> Client {
    Client::builder("shared-app", "app-secret")
        .base_url(server.uri())
        .rate_limit(ENDPOINT, pace)
        .pace_store(Arc::new(store))
        .build()
        .unwrap()
}

fn request() -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", vec!["a".into()], MsgType::Text, r#"{"msg":"hi"}"#)
}

/// The most arrivals in any window of `window` (starting at an arrival) among `times` (sorted).
fn most_in_a_window(times: &[Instant], window: Duration) -> usize {
    (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t - times[i] < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Share of the bound reached: the time `calls` need at `pace` ((calls / N - 1) windows after
/// the first) over the time they took, first arrival to last.
fn share_of_bound(times: &[Instant], pace: Pace) -> f64 {
    let ideal = (times.len() as f64 / f64::from(pace.calls) - 1.0) * pace.window.as_secs_f64();
    ideal / (times[times.len() - 1] - times[0]).as_secs_f64()
}

/// `per_client` calls from each client, `concurrency` at a time per client.
async fn send_all(clients: &[Client], per_client: usize, concurrency: usize) -> Vec<Error> {
    let runs = clients.iter().map(|client| async move {
        let request = request();
        let mut errors = Vec::new();
        let mut left = per_client;
        while left > 0 {
            let wave = left.min(concurrency);
            left -= wave;
            let calls = (0..wave).map(|_| client.send_batch_msg(&request));
            for result in futures_util::future::join_all(calls).await {
                if let Err(e) = result {
                    errors.push(e);
                }
            }
        }
        errors
    });
    futures_util::future::join_all(runs)
        .await
        .into_iter()
        .flatten()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_with_their_own_stores_share_one_budget() {
    let redis = redis_server::start_with_password("pacing-test-pw");
    let monitor = redis.monitor();
    let arrivals = Arrivals::default();
    let server = server(&arrivals).await;
    let pace = Pace::new(4, Duration::from_millis(300));
    let clients: Vec<Client> = (0..3)
        .map(|_| client(&server, store(&redis.url(), Unavailable::Fail), pace))
        .collect();
    let errors = send_all(&clients, 12, 4).await;
    assert!(errors.is_empty(), "{errors:?}");
    let times = arrivals.times();
    assert_eq!(times.len(), 36);
    let most = most_in_a_window(&times, pace.window);
    let share = share_of_bound(&times, pace);
    eprintln!(
        "3 clients, 36 calls at 4 per 300 ms: at most {most} in a window, {share:.3} of the bound"
    );
    assert!(most <= 4, "{most} calls arrived within one window");
    assert!(share >= 0.9, "only {share:.3} of the bound");
    // Redis hears the AppKey, never the AppSecret.
    let heard = monitor.text();
    assert!(heard.contains("{shared-app}"), "{heard}");
    assert!(!heard.contains("app-secret"), "the secret reached Redis");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_answer_to_one_client_makes_the_others_wait_out_the_block() {
    let redis = redis_server::start();
    let arrivals = Arrivals {
        rate_limit_first: true,
        ..Arrivals::default()
    };
    let server = server(&arrivals).await;
    let block = Duration::from_millis(700);
    let pace = Pace::new(10, Duration::from_secs(1)).block(block);
    let clients: Vec<Client> = (0..3)
        .map(|_| client(&server, store(&redis.url(), Unavailable::Fail), pace))
        .collect();
    let first = clients[0].send_batch_msg(&request()).await;
    assert!(
        matches!(first, Err(Error::Api(ref e)) if e.is_rate_limited()),
        "{first:?}"
    );
    let errors = send_all(&clients[1..], 1, 1).await;
    assert!(errors.is_empty(), "{errors:?}");
    let times = arrivals.times();
    assert_eq!(times.len(), 3);
    for later in &times[1..] {
        let after = *later - times[0];
        assert!(
            after >= block && after < block + Duration::from_millis(500),
            "a call arrived {after:?} after the rate-limit answer (block {block:?})"
        );
    }
}

/// A killed Redis whose URL carries a password.
fn dead_redis() -> (RedisServer, String) {
    let mut redis = redis_server::start_with_password("hunter2-secret");
    let url = redis.url();
    redis.kill();
    (redis, url)
}

#[tokio::test]
async fn redis_down_with_fail_refuses_the_call_at_once_naming_the_url_without_password() {
    let (redis, url) = dead_redis();
    let arrivals = Arrivals::default();
    let server = server(&arrivals).await;
    let client = client(
        &server,
        store(&url, Unavailable::Fail),
        Pace::new(5, Duration::from_secs(1)),
    );
    let started = Instant::now();
    let result = client.send_batch_msg(&request()).await;
    let Err(Error::Pacing { endpoint, error }) = &result else {
        panic!("expected a pacing error: {result:?}");
    };
    assert_eq!(*endpoint, ENDPOINT);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let message = result.as_ref().unwrap_err().to_string();
    let shown = format!("redis://:****@127.0.0.1:{}/0", redis.port());
    assert_eq!(error.store, shown);
    assert!(message.contains(&shown), "{message}");
    assert!(!message.contains("hunter2") && !format!("{result:?}").contains("hunter2"));
    assert!(arrivals.times().is_empty(), "a call went out unpaced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_with_wait_holds_the_call_until_redis_is_back() {
    let (mut redis, url) = dead_redis();
    let arrivals = Arrivals::default();
    let server = server(&arrivals).await;
    let client = client(
        &server,
        store(&url, Unavailable::Wait),
        Pace::new(5, Duration::from_secs(1)),
    );
    let call = tokio::spawn(async move { client.send_batch_msg(&request()).await });
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!call.is_finished(), "the call did not wait for Redis");
    assert!(arrivals.times().is_empty(), "a call went out unpaced");
    let restarted = Instant::now();
    redis.restart();
    let result = tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .expect("the call went through once Redis was back")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    eprintln!(
        "the waiting call went out {:?} after Redis was back",
        restarted.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_mid_run_the_calls_go_on_paced() {
    let redis = Arc::new(Mutex::new(redis_server::start()));
    let url = redis.lock().unwrap().url();
    let arrivals = Arrivals::default();
    let server = server(&arrivals).await;
    let pace = Pace::new(4, Duration::from_millis(300));
    let clients: Vec<Client> = (0..3)
        .map(|_| client(&server, store(&url, Unavailable::Wait), pace))
        .collect();
    let started = Instant::now();
    let outage = {
        let redis = Arc::clone(&redis);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            redis.lock().unwrap().kill();
            let killed = Instant::now();
            std::thread::sleep(Duration::from_millis(600));
            // Redis may serve before `restart` sees it answer: the outage ends when it starts.
            let restarting = Instant::now();
            redis.lock().unwrap().restart();
            (killed, restarting)
        })
    };
    let errors = send_all(&clients, 12, 4).await;
    let (killed, restarted) = outage.join().unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let times = arrivals.times();
    assert_eq!(times.len(), 36);
    assert!(
        times.iter().any(|t| *t > restarted),
        "the run ended before the restart; nothing was tested"
    );
    // Calls admitted before the kill may still arrive just after it; none is admitted during it.
    let during = times
        .iter()
        .filter(|t| **t > killed + Duration::from_millis(100) && **t < restarted)
        .count();
    assert_eq!(during, 0, "calls went out while Redis was down");
    // The restart forgot the slots: the window around it may hold one extra window's worth,
    // and every window from a window after it holds no more than the limit.
    let after: Vec<Instant> = times
        .iter()
        .copied()
        .filter(|t| *t >= restarted + pace.window)
        .collect();
    let most_after = most_in_a_window(&after, pace.window);
    let most = most_in_a_window(&times, pace.window);
    eprintln!(
        "kill at {:?}, restart at {:?}: at most {most} in a window overall, {most_after} from a window after the restart",
        killed - started,
        restarted - started
    );
    assert!(
        most_after <= 4,
        "{most_after} in a window after the restart"
    );
    assert!(most <= 8, "{most} in a window around the restart");
}
