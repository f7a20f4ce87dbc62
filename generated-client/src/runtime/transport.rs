//! One HTTP attempt: URL, signed headers, and the raw reply body.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::client::{Inner, PreparedRequest};
use super::error::{excerpt_of_prefix, Error, MAX_ERROR_BODY_BYTES};
use super::transport_error::TransportError;

/// Checks a base URL and drops its trailing slashes, so that joining a path never yields `//`.
pub(crate) fn normalize_base_url(which: &str, url: &str) -> Result<String, Error> {
    let config = |why: String| Error::Config {
        reason: format!("the {which} base URL {url:?} {why}"),
    };
    let parsed = reqwest::Url::parse(url).map_err(|err| config(format!("is not a URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(config("must use http or https".into()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(config("must not have a query or fragment".into()));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// `base` (without trailing slash) followed by `path`, with exactly one slash between them.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    let path = path.trim_start_matches('/');
    format!("{base}/{path}")
}

/// The names the client sends, made without parsing or allocating per call (HTTP/1 names are
/// case-insensitive and hyper writes them in lowercase whatever their spelling).
fn header_name(name: &str) -> Result<HeaderName, Error> {
    use reqwest::header::{CONTENT_TYPE, USER_AGENT};
    Ok(match name {
        "AppKey" => HeaderName::from_static("appkey"),
        "Nonce" => HeaderName::from_static("nonce"),
        "CurTime" => HeaderName::from_static("curtime"),
        "CheckSum" => HeaderName::from_static("checksum"),
        "Content-Type" => CONTENT_TYPE,
        "User-Agent" => USER_AGENT,
        "X-custom-traceid" => HeaderName::from_static("x-custom-traceid"),
        other => HeaderName::from_bytes(other.as_bytes()).map_err(|_| Error::Config {
            reason: format!("{other:?} cannot travel as an HTTP header name"),
        })?,
    })
}

fn header(value: &str, what: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::Config {
        reason: format!("the {what} cannot travel as an HTTP header"),
    })
}

/// Sends one signed attempt; on HTTP 200 returns the raw body, whose envelope the caller reads.
pub(crate) async fn execute(inner: &Inner, call: PreparedRequest) -> Result<Vec<u8>, Error> {
    let endpoint = call.endpoint();
    let sent = call.headers();
    let mut headers = HeaderMap::with_capacity(sent.len());
    for (name, value) in sent {
        let value = header(value, name)?;
        headers.insert(header_name(name)?, value);
    }
    let method =
        reqwest::Method::from_bytes(endpoint.method.as_bytes()).map_err(|_| Error::Config {
            reason: format!(
                "endpoint {} has an invalid HTTP method {:?}",
                endpoint.name, endpoint.method
            ),
        })?;

    let url = reqwest::Url::parse(call.url()).map_err(|err| Error::Config {
        reason: format!("the URL {:?} is not valid: {err}", call.url()),
    })?;
    let (trace_id, body) = call.into_trace_id_and_body();
    let transport = |source: reqwest::Error| {
        Error::transport(
            endpoint.name,
            trace_id.clone(),
            TransportError::from_reqwest(source),
        )
    };
    // Only a client brought by the caller can follow a redirect; ours never does.
    let asked = inner.own_http_client.then(|| url.clone());
    let mut builder = inner
        .http
        .request(method, url)
        .headers(headers)
        .timeout(inner.timeout);
    if let Some(body) = body {
        builder = builder.body(body);
    }
    let response = builder.send().await.map_err(transport)?;
    if asked.as_ref().is_some_and(|asked| response.url() != asked) {
        // A client brought with `http_client` followed a redirect: the signed body may have gone
        // to another host, and a POST may have become a GET. Never treat that as an answer.
        return Err(Error::Redirected {
            endpoint: endpoint.name,
            to: response.url().to_string(),
            trace_id,
        });
    }
    let status = response.status().as_u16();
    if status != 200 {
        // The status already tells what went wrong: only the start of the body is read, for the
        // excerpt, and a body that fails to arrive adds nothing.
        let body_excerpt = read_excerpt(response).await;
        return Err(Error::HttpStatus {
            endpoint: endpoint.name,
            status,
            body_excerpt,
            trace_id,
        });
    }
    let limit = inner.max_reply_bytes;
    let body = match read_capped(response, limit).await {
        Ok(body) => body,
        Err(Capped::TooLarge { content_length }) => {
            // Nothing of an over-long body is decoded, not even its start.
            return Err(Error::ReplyTooLarge {
                endpoint: endpoint.name,
                limit,
                content_length,
                trace_id,
            });
        }
        Err(Capped::Failed(source)) => return Err(transport(source)),
    };
    Ok(body)
}

/// Why [`read_capped`] returned no body.
enum Capped {
    /// The body is longer than the cap: declared so up front (`Some`), or found so while reading.
    TooLarge { content_length: Option<u64> },
    /// Reading the body failed.
    Failed(reqwest::Error),
}

/// Reads a whole body of at most `limit` bytes, chunk by chunk; stops at the first byte past
/// `limit`, and reads nothing of a body whose `Content-Length` is over it. Dropping the response
/// unread closes the connection, so the server's remaining bytes are never received.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, Capped> {
    let declared = response.content_length();
    if let Some(length) = declared {
        if length > limit as u64 {
            return Err(Capped::TooLarge {
                content_length: Some(length),
            });
        }
    }
    // A declared length is at most `limit` here: one allocation, bounded by the cap.
    let capacity = declared.map_or(0, |length| length as usize);
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(Capped::Failed)? {
        if chunk.len() > limit - body.len() {
            return Err(Capped::TooLarge {
                content_length: None,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The excerpt of a non-200 body, from at most [`MAX_ERROR_BODY_BYTES`] bytes of it (plus what
/// one more chunk holds, to learn whether the body ends there).
async fn read_excerpt(mut response: reqwest::Response) -> String {
    let declared = response.content_length();
    let mut prefix = Vec::new();
    let complete = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_ERROR_BODY_BYTES - prefix.len();
                if chunk.len() > room {
                    prefix.extend_from_slice(&chunk[..room]);
                    break false;
                }
                prefix.extend_from_slice(&chunk);
            }
            Ok(None) => break true,
            // A body that fails to arrive in full: show what did.
            Err(_) => break !matches!(declared, Some(length) if length > prefix.len() as u64),
        }
    };
    excerpt_of_prefix(&prefix, complete, declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_never_doubles_slashes() {
        let base = normalize_base_url("v1", "http://127.0.0.1:8080/").unwrap();
        assert_eq!(base, "http://127.0.0.1:8080");
        assert_eq!(
            join_url(&base, "/nimserver/msg/sendBatchMsg.action"),
            "http://127.0.0.1:8080/nimserver/msg/sendBatchMsg.action"
        );
        let prefixed = normalize_base_url("v2", "https://proxy.example/yunxin//").unwrap();
        assert_eq!(
            join_url(&prefixed, "/im/v2/custom_notification/batch"),
            "https://proxy.example/yunxin/im/v2/custom_notification/batch"
        );
        assert_eq!(join_url("https://a.example/", "x"), "https://a.example/x");
        assert!(normalize_base_url("v1", "ftp://a.example").is_err());
        assert!(normalize_base_url("v1", "no scheme").is_err());
        assert!(normalize_base_url("v1", "https://a.example/?q=1").is_err());
    }
}
