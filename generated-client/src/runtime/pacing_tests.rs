use super::*;
use crate::runtime::endpoint::ApiGeneration;

const fn endpoint(name: &'static str, rate_limit: Option<RateLimit>) -> Endpoint {
    Endpoint::new(name, ApiGeneration::V1, "POST", "/x", &[], rate_limit, &[])
}

const BATCH_LIMIT: RateLimit = RateLimit::new(120, 60, Some(60), 416, Blocks::App);
static BATCH: Endpoint = endpoint("send_batch_msg", Some(BATCH_LIMIT));
static OTHER_BATCH: Endpoint = endpoint("send_batch_attach_msg", Some(BATCH_LIMIT));
static ONE_PER_10S: Endpoint = endpoint(
    "one",
    Some(RateLimit::new(1, 10, Some(10), 416, Blocks::Endpoint)),
);
static UNSTATED: Endpoint = endpoint(
    "unstated",
    Some(RateLimit::new(10, 1, None, 416, Blocks::App)),
);
static UNLIMITED: Endpoint = endpoint("unlimited", None);

const LEASE: Duration = Duration::from_secs(600);

fn pacer(settings: PacerSettings) -> Arc<Pacer> {
    Arc::new(Pacer::new("app", settings))
}

async fn take(pacer: &Arc<Pacer>, endpoint: &'static Endpoint) -> Permit {
    let pace = pacer.pace_for(endpoint).expect("paced");
    pacer.acquire(endpoint, pace, LEASE).await.unwrap()
}

#[tokio::test(start_paused = true)]
async fn the_limit_passes_at_once_then_a_slot_frees_a_window_after_its_call_ended() {
    let pacer = pacer(PacerSettings::default());
    let start = Instant::now();
    let mut permits = Vec::new();
    for _ in 0..120 {
        permits.push(take(&pacer, &BATCH).await);
    }
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the first 120 calls do not wait"
    );
    // The first call's answer arrives after 5 s; the others are still in flight.
    tokio::time::sleep(Duration::from_secs(5)).await;
    permits.remove(0).finish().await;
    take(&pacer, &BATCH).await.finish().await;
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(65),
        "the 121st waits a full window after the first call's answer, not after its admission"
    );
}

#[tokio::test(start_paused = true)]
async fn calls_in_flight_hold_their_slots_however_long_they_take() {
    let pacer = pacer(PacerSettings::default());
    let first = take(&pacer, &ONE_PER_10S).await;
    let waiter = tokio::spawn({
        let pacer = Arc::clone(&pacer);
        async move {
            let start = Instant::now();
            take(&pacer, &ONE_PER_10S).await.finish().await;
            start.elapsed()
        }
    });
    // Longer than a window: a slot stamped at admission would have freed at 10 s.
    tokio::time::sleep(Duration::from_secs(25)).await;
    first.finish().await;
    assert_eq!(waiter.await.unwrap(), Duration::from_secs(35));
}

/// Calls whose server-side arrival falls anywhere between admission and answer: whatever the
/// latencies, no window of the server's clock holds more than the limit.
#[tokio::test(start_paused = true)]
async fn no_server_window_ever_holds_more_than_the_limit() {
    let pacer = pacer(PacerSettings::default());
    static FIVE_PER_10S: Endpoint = endpoint(
        "five",
        Some(RateLimit::new(5, 10, Some(10), 416, Blocks::App)),
    );
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for call in 0..40u64 {
        let (pacer, arrivals) = (Arc::clone(&pacer), Arc::clone(&arrivals));
        tasks.push(tokio::spawn(async move {
            let permit = take(&pacer, &FIVE_PER_10S).await;
            // Uneven travel times: a slow connection first, then quick pooled ones.
            let to_server = Duration::from_millis((call * 7919) % 3000);
            let back = Duration::from_millis((call * 104_729) % 2000);
            tokio::time::sleep(to_server).await;
            arrivals.lock().unwrap().push(Instant::now());
            tokio::time::sleep(back).await;
            permit.finish().await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let mut times = arrivals.lock().unwrap().clone();
    times.sort();
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .filter(|u| u.duration_since(*t) < Duration::from_secs(10))
            .count();
        assert!(
            in_window <= 5,
            "{in_window} arrivals within 10 s of arrival {i}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_block_of_the_app_holds_every_endpoint_and_a_block_of_an_endpoint_only_it() {
    let pacer = pacer(PacerSettings::default());
    let start = Instant::now();
    pacer.blocked(&BATCH, pacer.pace_for(&BATCH).unwrap()).await;
    take(&pacer, &OTHER_BATCH).await.finish().await;
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(60),
        "the app is blocked"
    );

    let pacer = self::pacer(PacerSettings::default());
    let start = Instant::now();
    pacer
        .blocked(&ONE_PER_10S, pacer.pace_for(&ONE_PER_10S).unwrap())
        .await;
    take(&pacer, &BATCH).await.finish().await;
    assert_eq!(start.elapsed(), Duration::ZERO, "another endpoint is not");
    take(&pacer, &ONE_PER_10S).await.finish().await;
    assert_eq!(start.elapsed(), Duration::from_secs(10), "the endpoint is");
}

#[tokio::test(start_paused = true)]
async fn an_unstated_block_lasts_the_configured_default_and_a_stated_one_wins() {
    for (unstated, expected) in [(None, u64::from(DEFAULT_BLOCK_SECONDS)), (Some(7), 7)] {
        let mut settings = PacerSettings::default();
        if let Some(seconds) = unstated {
            settings.unstated_block = Duration::from_secs(seconds);
        }
        let pacer = pacer(settings);
        let start = Instant::now();
        pacer
            .blocked(&UNSTATED, pacer.pace_for(&UNSTATED).unwrap())
            .await;
        take(&pacer, &UNSTATED).await.finish().await;
        assert_eq!(start.elapsed(), Duration::from_secs(expected));
    }
    let pacer = pacer(PacerSettings {
        unstated_block: Duration::from_secs(7),
        ..PacerSettings::default()
    });
    assert_eq!(
        pacer.pace_for(&BATCH).unwrap().block,
        Some(Duration::from_secs(60))
    );
}

#[test]
fn the_builder_pace_wins_over_every_endpoint_and_the_spec_and_keeps_the_spec_block() {
    let mine = Pace::new(3, Duration::from_millis(500));
    let every = Pace::new(9, Duration::from_secs(2)).block(Duration::from_secs(4));
    let pacer = pacer(PacerSettings {
        overrides: [("send_batch_msg".to_owned(), mine)].into(),
        every: Some(every),
        ..PacerSettings::default()
    });
    assert_eq!(
        pacer.pace_for(&BATCH),
        Some(mine.block(Duration::from_secs(60)))
    );
    assert_eq!(pacer.pace_for(&OTHER_BATCH), Some(every));
    assert_eq!(pacer.pace_for(&UNLIMITED), Some(every));

    let spec_only = self::pacer(PacerSettings::default());
    assert_eq!(spec_only.pace_for(&UNLIMITED), None, "no limit, no pacing");
    assert_eq!(spec_only.pace_for(&BATCH), Some(Pace::from(BATCH_LIMIT)));
}

#[tokio::test(start_paused = true)]
async fn a_permit_dropped_mid_call_still_counts_for_a_window() {
    let pacer = pacer(PacerSettings::default());
    let start = Instant::now();
    drop(take(&pacer, &ONE_PER_10S).await);
    take(&pacer, &ONE_PER_10S).await.finish().await;
    assert_eq!(start.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn two_pacers_on_one_store_share_the_budget_and_other_apps_do_not() {
    let store: Arc<dyn PaceStore> = Arc::new(LocalPaceStore::new());
    let with_store = |app: &str| {
        Arc::new(Pacer::new(
            app,
            PacerSettings {
                store: Some(Arc::clone(&store)),
                ..PacerSettings::default()
            },
        ))
    };
    let (a, b, other_app) = (with_store("app"), with_store("app"), with_store("app2"));
    let start = Instant::now();
    take(&a, &ONE_PER_10S).await.finish().await;
    take(&other_app, &ONE_PER_10S).await.finish().await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    take(&b, &ONE_PER_10S).await.finish().await;
    assert_eq!(start.elapsed(), Duration::from_secs(10));
}
