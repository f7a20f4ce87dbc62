//! One HTTP attempt: URL, body encoding, signed headers, and reading the reply envelope.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use serde_json::{Map, Value};

use super::auth::{is_usable_nonce, sign};
use super::client::{Inner, TRACE_ID_HEADER};
use super::endpoint::{ApiGeneration, Endpoint, WireBody};
use super::error::{
    excerpt, excerpt_of_prefix, transport_flags, ApiError, Error, MAX_ERROR_BODY_BYTES,
};
use crate::generated::status::ApiErrorKind;

/// The body `code` of success, in both generations.
const SUCCESS: i64 = 200;

/// An encoded request body with its content type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Body {
    pub(crate) content_type: &'static str,
    pub(crate) bytes: Vec<u8>,
}

/// Everything one attempt needs besides the client.
pub(crate) struct Call {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) url: String,
    pub(crate) body: Body,
    pub(crate) trace_id: Option<String>,
}

/// Encodes a request body: form pairs percent-encoded as browsers do, or JSON text.
pub(crate) fn encode_body(wire: &WireBody) -> Body {
    match wire {
        WireBody::Form(pairs) => Body {
            content_type: "application/x-www-form-urlencoded;charset=utf-8",
            bytes: form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
                .finish()
                .into_bytes(),
        },
        WireBody::Json(value) => Body {
            content_type: "application/json;charset=utf-8",
            // Serializing a `Value` cannot fail: its map keys are always strings.
            bytes: serde_json::to_vec(value).unwrap_or_default(),
        },
    }
}

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

fn header(value: &str, what: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::Config {
        reason: format!("the {what} cannot travel as an HTTP header"),
    })
}

/// Sends one signed attempt and returns the success payload with the raw body.
pub(crate) async fn execute(inner: &Inner, call: Call) -> Result<(Value, Vec<u8>), Error> {
    let endpoint = call.endpoint;
    let signed = sign(
        &inner.credentials,
        inner.clock.as_ref(),
        inner.nonces.as_ref(),
    );
    if !is_usable_nonce(&signed.nonce) {
        return Err(Error::Config {
            reason: "the nonce source returned a nonce that is empty, longer than 128 characters, \
                     or not visible ASCII"
                .into(),
        });
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_static("appkey"),
        header(&signed.app_key, "app key")?,
    );
    headers.insert(
        HeaderName::from_static("nonce"),
        header(&signed.nonce, "nonce")?,
    );
    headers.insert(
        HeaderName::from_static("curtime"),
        header(&signed.cur_time, "CurTime")?,
    );
    headers.insert(
        HeaderName::from_static("checksum"),
        header(&signed.checksum, "CheckSum")?,
    );
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(call.body.content_type),
    );
    if let Some(id) = &call.trace_id {
        headers.insert(
            HeaderName::from_static("x-custom-traceid"),
            header(id, TRACE_ID_HEADER)?,
        );
    }
    let method =
        reqwest::Method::from_bytes(endpoint.method.as_bytes()).map_err(|_| Error::Config {
            reason: format!(
                "endpoint {} has an invalid HTTP method {:?}",
                endpoint.name, endpoint.method
            ),
        })?;

    let transport = |source: reqwest::Error| {
        let (may_have_reached_server, timed_out) = transport_flags(&source);
        Error::Transport {
            endpoint: endpoint.name,
            may_have_reached_server,
            timed_out,
            trace_id: call.trace_id.clone(),
            source,
        }
    };
    let response = inner
        .http
        .request(method, call.url.as_str())
        .headers(headers)
        .body(call.body.bytes)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status().as_u16();
    if status != 200 {
        // The status already tells what went wrong: only the start of the body is read, for the
        // excerpt, and a body that fails to arrive adds nothing.
        let body_excerpt = read_excerpt(response).await;
        return Err(Error::HttpStatus {
            endpoint: endpoint.name,
            status,
            body_excerpt,
            trace_id: call.trace_id,
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
                trace_id: call.trace_id,
            });
        }
        Err(Capped::Failed(source)) => return Err(transport(source)),
    };
    let payload = payload_of(endpoint, call.trace_id.as_deref(), &body)?;
    Ok((payload, body))
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

/// Reads a reply envelope: the success payload, or the server's refusal as [`Error::Api`].
///
/// v1: an object with an integer `code` (a numeric string is accepted); on success the whole
/// object is the payload. v2: `{code, msg, data}`; on success `data` is the payload, and an
/// absent or `null` `data` reads as `{}`.
pub(crate) fn payload_of(
    endpoint: &Endpoint,
    trace_id: Option<&str>,
    body: &[u8],
) -> Result<Value, Error> {
    let decode = |reason: String| Error::Decode {
        endpoint: endpoint.name,
        reason,
        body_excerpt: excerpt(body),
        trace_id: trace_id.map(str::to_owned),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode("the reply body is empty".into()));
    }
    let reply: Value = serde_json::from_slice(body)
        .map_err(|err| decode(format!("the reply is not JSON: {err}")))?;
    let Value::Object(mut map) = reply else {
        return Err(decode("the reply is not a JSON object".into()));
    };
    let code = map
        .get("code")
        .and_then(integer_code)
        .ok_or_else(|| decode("the reply has no integer `code`".into()))?;
    if code != SUCCESS {
        let (first, second) = match endpoint.api {
            ApiGeneration::V1 => ("desc", "msg"),
            ApiGeneration::V2 => ("msg", "desc"),
        };
        let kind = ApiErrorKind::from_code(code);
        let rate_limited =
            matches!(kind, ApiErrorKind::RateLimited) || code == endpoint.rate_limit.code;
        return Err(Error::Api(ApiError {
            endpoint: endpoint.name,
            code,
            kind,
            desc: text(&map, first).or_else(|| text(&map, second)),
            rate_limit: rate_limited.then_some(endpoint.rate_limit),
            trace_id: trace_id.map(str::to_owned),
        }));
    }
    Ok(match endpoint.api {
        ApiGeneration::V1 => Value::Object(map),
        ApiGeneration::V2 => match map.remove("data") {
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(data) => data,
        },
    })
}

fn integer_code(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::endpoint::RateLimit;
    use serde_json::json;

    const LIMIT: RateLimit = RateLimit {
        calls: 120,
        window_seconds: 60,
        block_seconds: 60,
        code: 416,
    };
    static V1: Endpoint = Endpoint {
        name: "send_batch_msg",
        api: ApiGeneration::V1,
        method: "POST",
        path: "/nimserver/msg/sendBatchMsg.action",
        rate_limit: LIMIT,
    };
    static V2: Endpoint = Endpoint {
        name: "custom_notification_batch",
        api: ApiGeneration::V2,
        method: "POST",
        path: "/im/v2/custom_notification/batch",
        rate_limit: LIMIT,
    };

    #[test]
    fn url_join_never_doubles_slashes() {
        let base = normalize_base_url("v1", "http://127.0.0.1:8080/").unwrap();
        assert_eq!(base, "http://127.0.0.1:8080");
        assert_eq!(
            join_url(&base, V1.path),
            "http://127.0.0.1:8080/nimserver/msg/sendBatchMsg.action"
        );
        let prefixed = normalize_base_url("v2", "https://proxy.example/yunxin//").unwrap();
        assert_eq!(
            join_url(&prefixed, V2.path),
            "https://proxy.example/yunxin/im/v2/custom_notification/batch"
        );
        assert_eq!(join_url("https://a.example/", "x"), "https://a.example/x");
        assert!(normalize_base_url("v1", "ftp://a.example").is_err());
        assert!(normalize_base_url("v1", "no scheme").is_err());
        assert!(normalize_base_url("v1", "https://a.example/?q=1").is_err());
    }

    #[test]
    fn form_and_json_bodies() {
        let form = encode_body(&WireBody::Form(vec![
            ("fromAccid", "a b&c".into()),
            ("toAccids", r#"["x","é"]"#.into()),
        ]));
        assert_eq!(
            form.content_type,
            "application/x-www-form-urlencoded;charset=utf-8"
        );
        assert_eq!(
            String::from_utf8(form.bytes).unwrap(),
            "fromAccid=a+b%26c&toAccids=%5B%22x%22%2C%22%C3%A9%22%5D"
        );
        let body = encode_body(&WireBody::Json(json!({"b": [1], "a": "é"})));
        assert_eq!(body.content_type, "application/json;charset=utf-8");
        assert_eq!(
            String::from_utf8(body.bytes).unwrap(),
            r#"{"b":[1],"a":"é"}"#
        );
    }

    fn api_error(result: Result<Value, Error>) -> ApiError {
        match result {
            Err(Error::Api(api)) => api,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    fn decode_reason(result: Result<Value, Error>) -> String {
        match result {
            Err(Error::Decode { reason, .. }) => reason,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn v1_envelope() {
        let ok = payload_of(&V1, None, br#"{"code":200,"data":{"n":1}}"#).unwrap();
        assert_eq!(ok, json!({"code":200,"data":{"n":1}}));
        assert!(payload_of(&V1, None, br#"{"code":"200"}"#).is_ok());

        let refused = api_error(payload_of(
            &V1,
            None,
            br#"{"code":414,"desc":"checksum error"}"#,
        ));
        assert_eq!(
            (refused.code, refused.desc.as_deref()),
            (414, Some("checksum error"))
        );
        assert!(refused.rate_limit.is_none());
        let msg_only = api_error(payload_of(&V1, None, br#"{"code":500,"msg":"oops"}"#));
        assert_eq!(msg_only.desc.as_deref(), Some("oops"));
        let limited = api_error(payload_of(&V1, None, br#"{"code":416}"#));
        assert_eq!((limited.rate_limit, limited.desc), (Some(LIMIT), None));
    }

    #[test]
    fn v2_envelope() {
        let ok = payload_of(&V2, Some("t"), br#"{"code":200,"msg":"ok","data":{"n":1}}"#).unwrap();
        assert_eq!(ok, json!({"n":1}));
        assert_eq!(
            payload_of(&V2, None, br#"{"code":200,"data":null}"#).unwrap(),
            json!({})
        );
        assert_eq!(
            payload_of(&V2, None, br#"{"code":200}"#).unwrap(),
            json!({})
        );
        let refused = api_error(payload_of(
            &V2,
            Some("t-1"),
            br#"{"code":414,"msg":"bad param"}"#,
        ));
        assert_eq!(refused.desc.as_deref(), Some("bad param"));
        assert_eq!(refused.trace_id.as_deref(), Some("t-1"));
    }

    #[test]
    fn malformed_replies_are_decode_errors() {
        assert!(decode_reason(payload_of(&V1, None, b"")).contains("empty"));
        assert!(
            decode_reason(payload_of(&V1, None, b"<html>bad gateway</html>")).contains("not JSON")
        );
        assert!(decode_reason(payload_of(&V2, None, b"[1,2]")).contains("not a JSON object"));
        assert!(decode_reason(payload_of(&V1, None, br#"{"desc":"x"}"#)).contains("`code`"));
        assert!(decode_reason(payload_of(&V1, None, br#"{"code":"abc"}"#)).contains("`code`"));
        let long = format!("{{\"code\": {}", "1".repeat(1000));
        match payload_of(&V1, None, long.as_bytes()) {
            Err(Error::Decode { body_excerpt, .. }) => assert!(body_excerpt.chars().count() < 240),
            other => panic!("{other:?}"),
        }
    }
}
