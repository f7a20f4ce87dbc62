//! The spec fuzzer's harness: for one seed, generate a valid spec ([`crate::spec_gen`]), run
//! codegen on it into a temporary crate ([`crate::temp_crate`]), hold the generated code to the
//! project's gate (clippy and rustdoc with `-D warnings`, a build), then send every endpoint's
//! request through `dynamic::send_json` to a server on 127.0.0.1 and compare what arrives with
//! the [oracle], and what the client made of each reply with the
//! generator's expectation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use sha1::{Digest, Sha1};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::child_cargo::{cargo_in, run};
use crate::spec_gen::oracle::{self, Body, Expected, Text};
use crate::spec_gen::{generate, with_refused_names, GeneratedSpec};
use crate::temp_crate;

const APP_KEY: &str = "fuzz-key";
const APP_SECRET: &str = "fuzz-secret";

/// The one-line command that reruns `seed` alone.
pub fn reproduce(seed: u64) -> String {
    format!("cargo xtask fuzz-spec --seeds 1 --start {seed}")
}

/// Runs one seed end to end in `<target_dir>/spec-fuzz`; `Err` says which stage failed and how.
pub async fn run_seed(seed: u64, target_dir: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let root = target_dir.join("spec-fuzz");
    let spec = {
        let root = root.clone();
        tokio::task::spawn_blocking(move || prepare(seed, &root))
            .await
            .map_err(|e| format!("generation or codegen panicked: {e}"))??
    };
    {
        let spec = GeneratedSpec {
            seed,
            files: spec.files.clone(),
            calls: Vec::new(),
        };
        let root = root.clone();
        tokio::task::spawn_blocking(move || refusals(&spec, &root))
            .await
            .map_err(|e| format!("codegen panicked on a spec with refused names: {e}"))??;
    }
    if std::env::var_os("SPEC_FUZZ_CHECK_ONLY").is_some() {
        return Ok(started.elapsed());
    }
    let dir = root.clone();
    let target = target_dir.to_path_buf();
    let driver = tokio::task::spawn_blocking(move || gate(&dir, &target))
        .await
        .map_err(|e| format!("the gate panicked: {e}"))??;
    exchange(&spec, &root, &driver).await?;
    Ok(started.elapsed())
}

/// Generates the spec into `<root>/spec`, lays out the crate and runs codegen.
fn prepare(seed: u64, root: &Path) -> Result<GeneratedSpec, String> {
    let spec = generate(seed);
    let spec_dir = root.join("spec");
    spec.write(&spec_dir);
    let driver = std::fs::read(xtask::workspace_root().join("tests/spec-fuzz/driver.rs"))
        .expect("the driver source");
    temp_crate::layout(root, "spec-fuzz", &driver);
    temp_crate::codegen(&spec_dir, root).map_err(|report| {
        format!(
            "codegen refused a generated spec (spec in {}):\n{report}",
            spec_dir.display()
        )
    })?;
    Ok(spec)
}

/// The seed's spec with a refused endpoint name and a refused type name: codegen must refuse
/// it (not panic, not write), with a `file:line:col` report at each.
fn refusals(spec: &GeneratedSpec, root: &Path) -> Result<(), String> {
    let (files, endpoint, type_name) = with_refused_names(spec);
    let dir = root.join("refused");
    let spec_dir = dir.join("spec");
    let refused = GeneratedSpec {
        seed: spec.seed,
        files,
        calls: Vec::new(),
    };
    refused.write(&spec_dir);
    let report = match temp_crate::codegen(&spec_dir, &dir) {
        Ok(()) => {
            return Err(format!(
                "codegen accepted the endpoint name `{endpoint}` or the type name {type_name:?} \
                 (spec in {})",
                spec_dir.display()
            ))
        }
        Err(report) => report,
    };
    let located = |file: &str, name: &str| {
        report.lines().any(|l| {
            l.split_once(&format!("{file}:")).is_some_and(|(_, rest)| {
                let mut parts = rest.splitn(3, ':');
                let number = |p: Option<&str>| p.is_some_and(|p| p.parse::<u32>().is_ok());
                number(parts.next()) && number(parts.next()) && rest.contains(name)
            })
        })
    };
    let mut missing = Vec::new();
    if !located(refused.endpoint_path(&endpoint), &endpoint) {
        missing.push(format!("the endpoint name `{endpoint}`"));
    }
    if let Some(t) = &type_name {
        if !located("types.yaml", t) {
            missing.push(format!("the type name `{t}`"));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "codegen did not refuse {} with a located message (spec in {}):\n{report}",
            missing.join(" and "),
            spec_dir.display()
        ))
    }
}

/// clippy and rustdoc with `-D warnings` on everything generated, then a build of the driver.
fn gate(root: &Path, target_dir: &Path) -> Result<PathBuf, String> {
    /// A cargo command on the generated crate, with an extra environment variable.
    type Step<'a> = (&'a str, &'a [&'a str], Option<(&'a str, &'a str)>);
    let clippy: Step = (
        "clippy",
        &[
            "clippy",
            "--offline",
            "--workspace",
            "--all-targets",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ],
        None,
    );
    let rustdoc: Step = (
        "rustdoc",
        &[
            "doc",
            "--offline",
            "--no-deps",
            "-p",
            "yunxin-im",
            "--message-format=short",
        ],
        Some(("RUSTDOCFLAGS", "-D warnings")),
    );
    let build: Step = (
        "build",
        &[
            "build",
            "--offline",
            "--workspace",
            "--bins",
            "--message-format=short",
        ],
        None,
    );
    for (stage, args, env) in [clippy, rustdoc, build] {
        let mut command = cargo_in(root, target_dir);
        command.args(args);
        if let Some((k, v)) = env {
            command.env(k, v);
        }
        let (ok, output) = run(&mut command);
        if !ok {
            let errors: Vec<&str> = output
                .lines()
                .filter(|l| l.contains("error") || l.contains("warning"))
                .take(40)
                .collect();
            return Err(format!(
                "{stage} failed on the generated crate in {}:\n{}",
                root.display(),
                errors.join("\n")
            ));
        }
    }
    Ok(target_dir.join("debug/driver"))
}

/// Serves each endpoint's reply example on 127.0.0.1, runs the driver, and compares.
async fn exchange(spec: &GeneratedSpec, root: &Path, driver: &Path) -> Result<(), String> {
    let mut expected: Vec<Expected> = Vec::new();
    let mut replies: HashMap<(String, String), String> = HashMap::new();
    for call in &spec.calls {
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(spec.endpoint_file(&call.endpoint)).unwrap();
        let want = oracle::expect(&yaml, &call.request);
        replies.insert(
            (want.method.clone(), want.path.clone()),
            call.reply_body.clone(),
        );
        expected.push(want);
    }
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| {
            let key = (request.method.to_string(), request.url.path().to_owned());
            match replies.get(&key) {
                Some(body) => {
                    ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")
                }
                None => ResponseTemplate::new(599),
            }
        })
        .mount(&server)
        .await;
    let calls: Vec<Value> = spec
        .calls
        .iter()
        .map(|c| serde_json::json!({"endpoint": c.endpoint, "request": c.request, "trace_id": c.trace_id}))
        .collect();
    let calls_file = root.join("calls.json");
    std::fs::write(&calls_file, serde_json::to_vec_pretty(&calls).unwrap()).unwrap();
    let output = std::process::Command::new(driver)
        .env("SPEC_FUZZ_BASE_URL", server.uri())
        .env("SPEC_FUZZ_CALLS", &calls_file)
        .output()
        .map_err(|e| format!("the driver does not start: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "the driver failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let received = server.received_requests().await.unwrap_or_default();
    let mut problems = Vec::new();
    let lines: Vec<&str> = stdout.lines().collect();
    let mut arrived = received.iter();
    for (i, call) in spec.calls.iter().enumerate() {
        let name = &call.endpoint;
        let outcome: Value = lines
            .get(i)
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or(Value::Null);
        if let Some(p) = reply_problem(&outcome, &call.reply) {
            problems.push(format!("{name}: {p}"));
        }
        // A call refused before sending has no request to compare.
        if outcome["sent"] == Value::Bool(false) {
            continue;
        }
        match arrived.next() {
            Some(request) => {
                for p in compare(&expected[i], call.trace_id.as_deref(), request) {
                    problems.push(format!("{name}: {p}"));
                }
            }
            None => problems.push(format!("{name}: no request arrived")),
        }
    }
    if arrived.next().is_some() {
        problems.push(format!(
            "more requests arrived ({}) than calls were sent",
            received.len()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the wire differs from the oracle:\n{}",
            problems.join("\n")
        ))
    }
}

/// The call ended Ok, with nothing unreadable, and the reply the generator expects.
fn reply_problem(outcome: &Value, want: &serde_json::Map<String, Value>) -> Option<String> {
    if let Some(err) = outcome.get("error") {
        return Some(format!("the call failed: {err}"));
    }
    let Some(reply) = outcome.get("reply") else {
        return Some(format!("no outcome printed: {outcome}"));
    };
    if outcome["unreadable"]
        .as_array()
        .is_some_and(|u| !u.is_empty())
    {
        return Some(format!(
            "reply values unreadable: {}",
            outcome["unreadable"]
        ));
    }
    (reply != &Value::Object(want.clone())).then(|| {
        format!(
            "reply read as {reply}, expected {}",
            Value::Object(want.clone())
        )
    })
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Every difference between a request and the oracle's expectation.
pub fn compare(want: &Expected, trace_id: Option<&str>, request: &Request) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    check(
        request.method.as_str() == want.method,
        format!("method {} (expected {})", request.method, want.method),
    );
    check(
        request.url.path() == want.path,
        format!("path {} (expected {})", request.url.path(), want.path),
    );

    let raw_query = request.url.query().unwrap_or("");
    let unescaped = raw_query
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~%+*=&".contains(*c)));
    check(
        unescaped.is_none(),
        format!("query {raw_query:?} holds {unescaped:?} unescaped"),
    );
    let mut query: Vec<(String, String)> = form_urlencoded::parse(raw_query.as_bytes())
        .into_owned()
        .collect();
    query.sort();
    check(
        same_pairs(&query, &want.query),
        format!("query {query:?} (expected {:?})", want.query),
    );

    let content_type = header(request, "content-type");
    match &want.body {
        Body::None => {
            check(
                content_type.is_none() && request.body.is_empty(),
                format!("a body on a {} ({content_type:?})", want.method),
            );
        }
        Body::Form(pairs) => {
            check(
                content_type.is_some_and(|t| t.starts_with("application/x-www-form-urlencoded")),
                format!("content type {content_type:?} for a v1 form"),
            );
            let mut form: Vec<(String, String)> =
                form_urlencoded::parse(&request.body).into_owned().collect();
            form.sort();
            check(
                same_pairs(&form, pairs),
                format!("form {form:?} (expected {pairs:?})"),
            );
        }
        Body::Multipart { parts, files } => {
            let boundary = content_type.and_then(crate::multipart::boundary);
            check(
                boundary.is_some(),
                format!("content type {content_type:?} for a multipart body"),
            );
            match boundary.map(|b| crate::multipart::parse(&request.body, b)) {
                Some(Ok(got)) => {
                    let named_files: Vec<&str> = got
                        .iter()
                        .filter(|p| p.file_name.is_some())
                        .map(|p| p.name.as_str())
                        .collect();
                    check(
                        named_files == files.iter().map(String::as_str).collect::<Vec<_>>(),
                        format!("file parts {named_files:?} (expected {files:?})"),
                    );
                    let mut pairs: Vec<(String, String)> =
                        got.iter().map(|p| (p.name.clone(), p.as_text())).collect();
                    pairs.sort();
                    check(
                        same_pairs(&pairs, parts),
                        format!("multipart parts {pairs:?} (expected {parts:?})"),
                    );
                }
                Some(Err(why)) => check(false, format!("a broken multipart body: {why}")),
                None => {}
            }
        }
        Body::Json(json) => {
            check(
                content_type.is_some_and(|t| t.starts_with("application/json")),
                format!("content type {content_type:?} for a v2 JSON body"),
            );
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            check(&body == json, format!("JSON body {body} (expected {json})"));
        }
    }

    // The signature, computed here from the headers the request carries.
    let nonce = header(request, "Nonce").unwrap_or("");
    let time = header(request, "CurTime").unwrap_or("");
    let mut sha = Sha1::new();
    sha.update(format!("{APP_SECRET}{nonce}{time}").as_bytes());
    let sum = format!("{:x}", sha.finalize());
    check(
        header(request, "AppKey") == Some(APP_KEY),
        format!("AppKey {:?}", header(request, "AppKey")),
    );
    check(
        !nonce.is_empty() && nonce.len() <= 128,
        format!("Nonce {nonce:?}"),
    );
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    check(
        time.parse::<u64>().is_ok_and(|t| t.abs_diff(now) < 600),
        format!("CurTime {time:?} is not now ({now})"),
    );
    check(
        header(request, "CheckSum") == Some(sum.as_str()),
        format!(
            "CheckSum {:?} (expected {sum})",
            header(request, "CheckSum")
        ),
    );
    let trace = header(request, "X-custom-traceid");
    let want_trace = if want.v2 { trace_id } else { None };
    check(
        trace == want_trace,
        format!("X-custom-traceid {trace:?} (expected {want_trace:?})"),
    );
    problems
}

fn same_pairs(got: &[(String, String)], want: &[(String, Text)]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|((gk, gv), (wk, wv))| {
            gk == wk
                && match wv {
                    Text::Exact(s) => gv == s,
                    Text::Json(v) => serde_json::from_str::<Value>(gv).ok().as_ref() == Some(v),
                }
        })
}
