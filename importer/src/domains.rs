//! Which spec domain an SDK service package belongs to: a fixed table, so every run files an
//! endpoint in the same folder. A package the table lacks is filed under its own name and
//! reported, so the table grows with the SDKs.

/// (SDK package, domain). Both SDKs name their packages alike; v1 and v2 packages share names.
pub const TABLE: &[(&str, &str)] = &[
    ("account", "account"),
    ("users", "account"),
    ("chatroom", "chatroom"),
    ("chatroom_member", "chatroom"),
    ("chatroom_message", "chatroom"),
    ("chatroom_queue", "chatroom"),
    ("team", "team"),
    ("team_member", "team"),
    ("super_team", "superteam"),
    ("message", "message"),
    ("conversation", "conversation"),
    ("conversation_group", "conversation"),
    ("conversation_unread", "conversation"),
    ("friend", "friend"),
    ("signal", "signal"),
    ("broadcast", "broadcast"),
    ("block", "relation"),
    ("mute", "relation"),
    ("special_relation", "relation"),
    ("event_subscribe", "subscription"),
    ("subscription", "subscription"),
    ("history", "history"),
    ("system_notification", "notification"),
    ("translations", "tool"),
    ("tool", "tool"),
    ("ai", "ai"),
    ("system_push", "push"),
];

/// The domain of a package, and whether the table knows it.
pub fn domain_of(package: &str) -> (String, bool) {
    match TABLE.iter().find(|(p, _)| *p == package) {
        Some((_, d)) => (d.to_string(), true),
        None => (package.to_string(), false),
    }
}

/// Every domain name the table can give.
pub fn all_domains() -> Vec<&'static str> {
    let mut out: Vec<&str> = TABLE.iter().map(|(_, d)| *d).collect();
    out.sort();
    out.dedup();
    out
}
