//! A Redis URL as it may be shown: in errors, `Debug` output and logs.

/// `url` without its password: `redis://:secret@host:6379/0` becomes
/// `redis://:****@host:6379/0`, a user name is kept (`redis://user:****@host`), and a query
/// (where `redis+unix` URLs carry `pass=`) is dropped.
pub(crate) fn redacted(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let Some((scheme, rest)) = url.split_once("://") else {
        // Not a URL at all: it may be a bare secret, so show nothing of it.
        return "<not a URL>".to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let shown = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:****@{host}"),
            // `redis://secret@host`: some clients read a lone userinfo as the password.
            None => format!("****@{host}"),
        },
        None => authority.to_owned(),
    };
    format!("{scheme}://{shown}{path}")
}
