//! A Redis URL, parsed once with a URL parser: what the store connects to, and the only form in
//! which it is ever shown (errors, `Debug`, logs), with user and password masked.

use url::Url;

/// The schemes the redis crate connects with.
const SCHEMES: [&str; 7] = [
    "redis",
    "rediss",
    "valkey",
    "valkeys",
    "unix",
    "redis+unix",
    "valkey+unix",
];

/// Shown for a user or a password, whatever it holds.
const MASK: &str = "****";

/// A parsed Redis URL and its shown form.
pub(crate) struct RedisUrl {
    pub(crate) url: Url,
    pub(crate) shown: String,
}

/// A URL that cannot be used: its shown form (at most its scheme) and why.
pub(crate) struct Refused {
    pub(crate) shown: String,
    pub(crate) reason: String,
}

/// Parses `raw`. A user or password holding an unencoded `/`, `?`, `#` or `@` makes the parser
/// read part of it as host, port, path, query or fragment: such a URL either fails to parse or
/// leaves an `@` after the host, and is refused here, showing nothing but its scheme.
pub(crate) fn parse(raw: &str) -> Result<RedisUrl, Refused> {
    let refused = |reason: String| Refused {
        shown: scheme_only(raw),
        reason,
    };
    let url = Url::parse(raw).map_err(|e| refused(format!("not a URL ({e})")))?;
    if !SCHEMES.contains(&url.scheme()) {
        return Err(refused(format!(
            "the scheme is none of {}",
            SCHEMES.join(", ")
        )));
    }
    if is_unix(&url) {
        // The socket's path; the query (where `pass=` goes) and fragment are never shown.
        let shown = format!("{}://{}", url.scheme(), url.path());
        return Ok(RedisUrl { url, shown });
    }
    let after_host = [
        url.path(),
        url.query().unwrap_or(""),
        url.fragment().unwrap_or(""),
    ];
    if after_host.iter().any(|part| part.contains('@')) {
        return Err(refused(
            "a `@` after the host: a user or password holding `/`, `?`, `#` or `@` must be \
             percent-encoded"
                .to_owned(),
        ));
    }
    let user = match (url.username().is_empty(), url.password().is_some()) {
        (false, true) => format!("{MASK}:{MASK}@"),
        (false, false) => format!("{MASK}@"),
        (true, true) => format!(":{MASK}@"),
        (true, false) => String::new(),
    };
    let host = url.host_str().unwrap_or_default();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    // A database number is all a Redis URL's path holds; anything else is not shown.
    let path = match url.path().trim_start_matches('/') {
        db if db.bytes().all(|b| b.is_ascii_digit()) => url.path().to_owned(),
        _ => "/…".to_owned(),
    };
    let shown = format!("{}://{user}{host}{port}{path}", url.scheme());
    Ok(RedisUrl { url, shown })
}

/// `raw` as it may be shown, parsed or not.
pub(crate) fn shown(raw: &str) -> String {
    match parse(raw) {
        Ok(parsed) => parsed.shown,
        Err(refused) => refused.shown,
    }
}

fn is_unix(url: &Url) -> bool {
    url.scheme().ends_with("unix")
}

/// `scheme://…` when `raw` starts with a Redis scheme, else a placeholder: the rest may hold a
/// secret in any place (even what looks like a scheme may be a user name), since it could not
/// be used.
fn scheme_only(raw: &str) -> String {
    match raw.split_once("://") {
        Some((scheme, _)) if SCHEMES.contains(&scheme) => format!("{scheme}://…"),
        _ => "<not a Redis URL>".to_owned(),
    }
}
