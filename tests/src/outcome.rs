//! Comparing what `send_json` returned with a fixture's `expect`.

use yunxin_im::dynamic::{DynamicError, DynamicReply};
use yunxin_im::error::ApiError;
use yunxin_im::Error;

use crate::compare::{json_differences, quoted};
use crate::fixture::{ErrorKind, Expect, ExpectedError};

/// The snake_case name of an `ApiErrorKind`, as fixtures spell it: `ParameterError` becomes
/// `parameter_error`, `Other(999)` becomes `other`.
pub fn api_kind_name(kind: yunxin_im::status::ApiErrorKind) -> String {
    let debug = format!("{kind:?}");
    let stem = debug.split('(').next().unwrap_or_default();
    let mut name = String::new();
    for (i, c) in stem.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

/// The fixture kind of a client error; `None` for kinds fixtures cannot expect.
pub fn kind_of(error: &Error) -> Option<ErrorKind> {
    match error {
        Error::Validation(_) => Some(ErrorKind::Validation),
        Error::Api(_) => Some(ErrorKind::Api),
        Error::Transport { .. } => Some(ErrorKind::Transport),
        Error::HttpStatus { .. } => Some(ErrorKind::HttpStatus),
        Error::Decode { .. } => Some(ErrorKind::Decode),
        _ => None,
    }
}

/// Every way `got` differs from `expect`, one line each; empty when it matches.
pub fn outcome_differences(
    expect: &Expect,
    got: &Result<DynamicReply, DynamicError>,
) -> Vec<String> {
    let mut out = Vec::new();
    match (&expect.reply, &expect.error, got) {
        (Some(want), _, Ok(got)) => {
            json_differences("reply", want, &got.reply, &mut out);
            // A reply that lost values must say so in the fixture: nothing is dropped silently.
            let paths: Vec<&str> = got.unreadable.iter().map(|u| u.path.as_str()).collect();
            let wanted: Vec<&str> = expect.unreadable.iter().map(String::as_str).collect();
            if paths != wanted {
                out.push(format!(
                    "unreadable: expected {wanted:?}, got {:?}",
                    got.unreadable
                ));
            }
            let warned: Vec<&str> = got.warnings.iter().map(|w| w.path.as_str()).collect();
            let wanted: Vec<&str> = expect.warnings.iter().map(String::as_str).collect();
            if warned != wanted {
                out.push(format!(
                    "warnings: expected {wanted:?}, got {:?}",
                    got.warnings
                ));
            }
        }
        (Some(want), _, Err(err)) => out.push(format!(
            "outcome: expected the reply {}, got an error: {}",
            crate::compare::shown(want),
            describe(err)
        )),
        (None, Some(want), Ok(got)) => out.push(format!(
            "outcome: expected a `{}` error, got the reply {}",
            want.kind.name(),
            crate::compare::shown(&got.reply)
        )),
        (None, Some(want), Err(DynamicError::Client(err))) => {
            error_differences(want, err, &mut out)
        }
        (None, Some(want), Err(other)) => out.push(format!(
            "outcome: expected a `{}` error, got: {}",
            want.kind.name(),
            describe(other)
        )),
        (None, None, _) => out.push("outcome: the fixture expects nothing".to_owned()),
    }
    out
}

/// A one-line account of a client error: its kind and its message.
pub fn describe_error(err: &Error) -> String {
    let kind = kind_of(err).map_or("unexpected", ErrorKind::name);
    format!("`{kind}` error: {err}")
}

/// A one-line account of an error: its kind and its message.
pub fn describe(err: &DynamicError) -> String {
    match err {
        DynamicError::Client(client) => describe_error(client),
        DynamicError::BadCall(_) => {
            format!("the fixture's `call` is not valid in wire terms: {err}")
        }
        other => format!("{other}"),
    }
}

fn error_differences(want: &ExpectedError, err: &Error, out: &mut Vec<String>) {
    let got_kind = kind_of(err);
    if got_kind != Some(want.kind) {
        out.push(format!(
            "error kind: expected `{}`, got {}",
            want.kind.name(),
            describe_error(err)
        ));
        return;
    }
    let mut check = |what: &str, want: String, got: String| {
        if want != got {
            out.push(format!("error {what}: expected {want}, got {got}"));
        }
    };
    if let Some(w) = want.may_have_reached_server {
        check(
            "may_have_reached_server",
            w.to_string(),
            err.may_have_reached_server().to_string(),
        );
    }
    match err {
        Error::Validation(validation) => {
            if let Some(w) = &want.violations {
                let got: Vec<&str> = validation
                    .violations
                    .iter()
                    .map(|v| v.path.as_str())
                    .collect();
                check("violations", format!("{w:?}"), format!("{got:?}"));
            }
        }
        Error::Api(api) => api_differences(want, api, &mut check),
        Error::Transport {
            timed_out,
            trace_id,
            ..
        } => {
            if let Some(w) = want.timed_out {
                check("timed_out", w.to_string(), timed_out.to_string());
            }
            trace_difference(want, trace_id.as_deref(), &mut check);
        }
        Error::HttpStatus {
            status, trace_id, ..
        } => {
            if let Some(w) = want.status {
                check("status", w.to_string(), status.to_string());
            }
            trace_difference(want, trace_id.as_deref(), &mut check);
        }
        _ => {
            if want.trace_id.is_some() {
                check(
                    "trace_id",
                    "a trace id".to_owned(),
                    "an error that carries none".to_owned(),
                );
            }
        }
    }
}

fn api_differences(
    want: &ExpectedError,
    api: &ApiError,
    check: &mut impl FnMut(&str, String, String),
) {
    if let Some(w) = want.code {
        check("code", w.to_string(), api.code.to_string());
    }
    if let Some(w) = &want.api_kind {
        check("api_kind", w.clone(), api_kind_name(api.kind()));
    }
    if let Some(w) = &want.desc {
        check(
            "desc",
            quoted(w),
            api.desc.as_deref().map_or("none".to_owned(), quoted),
        );
    }
    if let Some(w) = want.rate_limited {
        check(
            "rate_limited",
            w.to_string(),
            api.rate_limit.is_some().to_string(),
        );
    }
    trace_difference(want, api.trace_id.as_deref(), check);
}

fn trace_difference(
    want: &ExpectedError,
    got: Option<&str>,
    check: &mut impl FnMut(&str, String, String),
) {
    if let Some(w) = &want.trace_id {
        check("trace_id", quoted(w), got.map_or("none".to_owned(), quoted));
    }
}
