//! The engine's pure parts: how a failure is classified, how a reply's report maps to outcomes,
//! and the backoff. Runs against a server are in `tests/it/fan_out.rs`.

use std::time::Duration;

use crate::runtime::fan_out::MAX_ATTEMPTS;

use super::*;
use crate::runtime::error::ApiError;

fn api(code: i64, rate_limited: bool) -> Error {
    Error::Api(ApiError {
        endpoint: "e",
        code,
        status: None,
        desc: None,
        rate_limit: rate_limited.then(|| {
            crate::runtime::endpoint::RateLimit::new(
                120,
                60,
                Some(60),
                416,
                crate::runtime::endpoint::Blocks::App,
            )
        }),
        trace_id: None,
    })
}

fn http(status: u16) -> Error {
    Error::HttpStatus {
        endpoint: "e",
        status,
        body_excerpt: String::new(),
        trace_id: None,
    }
}

#[test]
fn fan_out_classifies_failures() {
    assert!(matches!(classify(&api(416, true)), Class::Again));
    assert!(matches!(classify(&api(414, false)), Class::Fatal));
    assert!(matches!(classify(&api(403, false)), Class::Fatal));
    assert!(matches!(classify(&api(422, false)), Class::Refused));
    assert!(matches!(classify(&api(500, false)), Class::Unknown));
    assert!(matches!(classify(&http(502)), Class::Unknown));
    assert!(matches!(classify(&http(404)), Class::Fatal));
    let decode = Error::Decode {
        endpoint: "e",
        reason: "x".into(),
        body_excerpt: String::new(),
        trace_id: None,
    };
    assert!(matches!(classify(&decode), Class::Unknown));
    let config = Error::Config { reason: "x".into() };
    assert!(matches!(classify(&config), Class::NotSent));
}

#[test]
fn fan_out_report_maps_each_recipient_once() {
    let rs: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let report = ChunkReport {
        unregistered: vec!["b".into()],
        failed: vec![("c".into(), "blocked".into())],
        succeeded: Some(vec!["a".into()]),
        failed_items: vec![],
    };
    let got: BTreeMap<_, _> = outcomes(&rs, report).into_iter().collect();
    assert_eq!(got["a"], Outcome::Sent);
    assert_eq!(got["b"], Outcome::Unregistered);
    assert_eq!(
        got["c"],
        Outcome::Failed {
            reason: "blocked".into()
        }
    );
    // Named in no list while the reply lists successes: not known to be reached.
    assert!(matches!(got["d"], Outcome::Unknown { .. }));
    // Without a success list, a code-200 reply reaches everyone it does not name.
    let got = outcomes(&rs, ChunkReport::new());
    assert!(got.iter().all(|(_, o)| *o == Outcome::Sent));
}

#[test]
fn fan_out_failed_items_fail_the_whole_chunk() {
    let rs: Vec<String> = vec!["a".into(), "b".into()];
    let report = ChunkReport {
        failed_items: vec![("m1".into(), "bad".into())],
        ..ChunkReport::new()
    };
    let got = outcomes(&rs, report);
    assert!(got
        .iter()
        .all(|(_, o)| matches!(o, Outcome::Failed { reason } if reason.contains("m1: bad"))));
}

#[test]
fn fan_out_backoff_grows_is_capped_and_jittered() {
    let p =
        RetryPolicy::attempts(5).backoff(Duration::from_millis(100), Duration::from_millis(400));
    for _ in 0..50 {
        let d1 = p.delay(1);
        assert!(
            d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100),
            "{d1:?}"
        );
        let d5 = p.delay(5);
        assert!(
            d5 >= Duration::from_millis(200) && d5 <= Duration::from_millis(400),
            "{d5:?}"
        );
    }
    let spread: HashSet<Duration> = (0..20).map(|_| p.delay(3)).collect();
    assert!(spread.len() > 1, "the backoff is not jittered");
    assert_eq!(RetryPolicy::attempts(1000).attempts, MAX_ATTEMPTS);
    assert_eq!(RetryPolicy::attempts(0).attempts, 1);
}
