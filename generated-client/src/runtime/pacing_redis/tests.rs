use super::url::shown;
use super::*;

#[test]
fn user_and_password_never_show() {
    for (url, expected) in [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        (
            "redis://:hunter2@cache:6380/1",
            "redis://:****@cache:6380/1",
        ),
        ("rediss://app:hunter2@cache", "rediss://****:****@cache"),
        ("redis://hunter2@cache", "redis://****@cache"),
        ("redis://:p@ss:w@rd@cache/2", "redis://:****@cache/2"),
        (
            "redis+unix:///run/redis.sock?pass=hunter2",
            "redis+unix:///run/redis.sock",
        ),
        ("redis://:hunter2@cache/0#hunter2", "redis://:****@cache/0"),
        ("hunter2", "<not a Redis URL>"),
        ("http://:hunter2@cache/", "<not a Redis URL>"),
        ("redis://:hunter2@", "redis://…"),
    ] {
        assert_eq!(shown(url), expected, "{url}");
    }
}

/// Every shown form of a store made from `url`: the builder's `Debug`, and the store's `Debug`
/// and URL or the build error's `Display` and `Debug`.
fn everything_shown(url: &str) -> String {
    let builder = RedisPaceStore::builder(url);
    let mut shown = format!("{builder:?}\n");
    match builder.build() {
        Ok(store) => shown.push_str(&format!("{store:?}\n{}\n", store.url())),
        Err(e) => shown.push_str(&format!("{e}\n{e:?}\n")),
    }
    shown
}

/// Secrets marked `Sx…Pw` (passwords) and `Ux…Uy` (users): no part of either marker may show.
const HOSTILE_SECRETS: [&str; 11] = [
    "Sx/Pw-77Kq",
    "Sx#Pw",
    "Sx?Pw",
    "Sx@Pw",
    "Sx%Pw",
    "Sx:Pw",
    "Sx%2FPw",
    "Sx%40Pw%23",
    "Sxü密码Pw",
    "Sx/12#Pw?@",
    "12/Sx@Pw",
];

#[test]
fn hostile_users_and_passwords_never_show_anywhere() {
    let markers = ["Sx", "Pw", "Ux", "Uy", "77Kq", "密码"];
    let users = ["", "Ux/Uy", "Ux#Uy", "Ux?Uy", "Ux@Uy", "Ux:Uy", "Uxü%Uy"];
    let mut urls = Vec::new();
    for secret in HOSTILE_SECRETS {
        for user in users {
            urls.push(format!("redis://{user}:{secret}@127.0.0.1:6390/0"));
            urls.push(format!("rediss://{user}:{secret}@cache.internal/3"));
            let encoded: String =
                percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            urls.push(format!("redis://{user}:{encoded}@127.0.0.1:6390/0"));
        }
        urls.push(format!("redis://{secret}@127.0.0.1/0"));
        urls.push(format!("redis+unix:///run/redis.sock?pass={secret}"));
        urls.push(secret.to_owned());
    }
    for user in users.iter().filter(|u| !u.is_empty()) {
        urls.push(format!("redis://{user}@127.0.0.1:6390/0"));
        urls.push(format!("redis://{user}:@127.0.0.1:6390/0"));
    }
    for url in &urls {
        let shown = everything_shown(url);
        for marker in markers {
            assert!(!shown.contains(marker), "{url} shows {marker:?}: {shown}");
        }
    }
}

#[test]
fn an_empty_password_and_an_encoded_one_are_masked_and_kept() {
    let store = RedisPaceStore::builder("redis://:@127.0.0.1:6390/0")
        .build()
        .unwrap();
    assert_eq!(store.url(), "redis://127.0.0.1:6390/0");
    let store = RedisPaceStore::builder("redis://:Sx%2FPw@127.0.0.1:6390/0")
        .build()
        .unwrap();
    assert_eq!(store.url(), "redis://:****@127.0.0.1:6390/0");
}

#[test]
fn a_refused_url_shows_its_scheme_at_most_and_why() {
    for (url, scheme) in [
        ("redis://:Sx/Pw@127.0.0.1:6390/0", "redis://…"),
        ("redis://u:12#Pw@127.0.0.1/0", "redis://…"),
        ("Sx:Pw", "<not a Redis URL>"),
    ] {
        let err = RedisPaceStore::builder(url).build().unwrap_err();
        assert_eq!(err.store, scheme, "{url}");
        assert!(err.reason.starts_with("not a Redis URL"), "{err}");
    }
    // A URL that parses but leaves an `@` after the host would connect to the password's start.
    let err = RedisPaceStore::builder("redis://u:12/Pw@127.0.0.1/0")
        .build()
        .unwrap_err();
    assert!(err.reason.contains("percent-encoded"), "{err}");
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
