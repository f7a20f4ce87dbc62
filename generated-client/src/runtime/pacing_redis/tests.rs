use super::url::redacted;
use super::*;

#[test]
fn the_password_never_shows() {
    for (url, shown) in [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        (
            "redis://:hunter2@cache:6380/1",
            "redis://:****@cache:6380/1",
        ),
        ("rediss://app:hunter2@cache", "rediss://app:****@cache"),
        ("redis://hunter2@cache", "redis://****@cache"),
        ("redis://:p@ss:w@rd@cache/2", "redis://:****@cache/2"),
        (
            "redis+unix:///run/redis.sock?pass=hunter2",
            "redis+unix:///run/redis.sock",
        ),
        ("hunter2", "<not a URL>"),
    ] {
        assert_eq!(redacted(url), shown, "{url}");
    }
}

#[test]
fn debug_and_build_errors_hide_the_password() {
    let store = RedisPaceStore::builder("redis://:hunter2@127.0.0.1:1/0")
        .build()
        .unwrap();
    let debug = format!("{store:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("redis://:****@127.0.0.1:1/0"), "{debug}");

    let err = RedisPaceStore::builder("http://:hunter2@127.0.0.1/")
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn keys_keep_an_app_in_one_cluster_slot_and_cannot_collide() {
    let keys = Keys::new("yunxin-im:pace", "app:{1}%", "send_batch_msg");
    assert_eq!(
        keys.slots,
        "yunxin-im:pace:{app%3A%7B1%7D%25}:send_batch_msg:slots"
    );
    assert_eq!(keys.app_block, "yunxin-im:pace:{app%3A%7B1%7D%25}:block");
    assert_eq!(
        keys.endpoint_block,
        "yunxin-im:pace:{app%3A%7B1%7D%25}:send_batch_msg:block"
    );
    assert_eq!(keys.slot_ids, "yunxin-im:pace:{app%3A%7B1%7D%25}:slot-ids");
}

#[test]
fn waiting_backs_off_up_to_a_cap() {
    let waits: Vec<u128> = (0..10).map(|n| backoff(n).as_millis()).collect();
    assert_eq!(waits[0], 25);
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
    assert_eq!(*waits.last().unwrap(), MAX_BACKOFF.as_millis());
}
