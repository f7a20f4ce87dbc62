//! The generated examples run: each reads its credentials and `YUNXIN_BASE_URL` from the
//! environment, sends the page's request, prints the decoded reply, and exits non-zero on error.
//! `cargo test --workspace` builds the examples before running tests.

use codegen::model::Location;
use std::process::{Command, Output};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn run(name: &str, base_url: Option<String>) -> Output {
    let binary = crate::example_binary(name);
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(binary);
        command
            .env("YUNXIN_APP_KEY", "example-key")
            .env("YUNXIN_APP_SECRET", "example-secret")
            .env_remove("YUNXIN_BASE_URL");
        if let Some(url) = base_url {
            command.env("YUNXIN_BASE_URL", url);
        }
        command.output().unwrap()
    })
    .await
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn each_example_sends_the_page_request_and_prints_the_reply() {
    let model = yunxin_tests::calls::model();
    let with_examples: Vec<_> = model
        .endpoints
        .iter()
        .filter(|e| e.example.is_some())
        .collect();
    assert!(!with_examples.is_empty(), "no endpoint has an example");
    for endpoint in with_examples {
        let server = MockServer::start().await;
        let reply = endpoint
            .reply
            .example
            .clone()
            .unwrap_or_else(|| r#"{"code":200}"#.into());
        Mock::given(method(endpoint.method.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_raw(reply, "application/json"))
            .expect(1)
            .mount(&server)
            .await;
        let out = run(&endpoint.name, Some(server.uri())).await;
        assert!(
            out.status.success(),
            "{}: exit {:?}\nstderr: {}",
            endpoint.name,
            out.status,
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains(&endpoint.reply_type()),
            "{} printed: {}",
            endpoint.name,
            text(&out.stdout)
        );
        let received = server.received_requests().await.unwrap();
        let body = text(&received[0].body);
        let query = received[0].url.query().unwrap_or_default().to_owned();
        let sent_path = received[0].url.path().to_owned();
        let fixed_prefix = endpoint.path.split('{').next().unwrap_or_default();
        assert!(
            sent_path.starts_with(fixed_prefix),
            "{}: sent to {sent_path}, the spec's path is {}",
            endpoint.name,
            endpoint.path
        );
        let example = endpoint.example.as_ref().unwrap().json.as_object().unwrap();
        for wire in example.keys() {
            let field = endpoint.fields.iter().find(|f| &f.wire == wire).unwrap();
            let (sent, place) = match field.location {
                Location::Body => (&body, "body"),
                Location::Query => (&query, "query"),
                // A path value is checked by the fixtures; its name is not on the wire.
                Location::Path => continue,
            };
            assert!(
                sent.contains(wire.as_str()),
                "{}: the page's `{wire}` was not in the {place}: {sent}",
                endpoint.name
            );
        }
    }
}

#[tokio::test]
async fn an_example_exits_non_zero_on_an_api_error_and_without_credentials() {
    // Any endpoint with an example program will do.
    let model = yunxin_tests::calls::model();
    let endpoint = model.endpoints.iter().find(|e| e.example.is_some());
    let endpoint = endpoint.expect("an endpoint with an example");
    let server = MockServer::start().await;
    Mock::given(method(endpoint.method.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"code":414,"desc":"too many members."}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let out = run(&endpoint.name, Some(server.uri())).await;
    assert!(!out.status.success(), "an API error must fail the example");
    assert!(
        text(&out.stderr).contains("414"),
        "stderr: {}",
        text(&out.stderr)
    );

    let binary = crate::example_binary(&endpoint.name);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env_remove("YUNXIN_APP_KEY")
            .env_remove("YUNXIN_APP_SECRET")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        !out.status.success(),
        "missing credentials must fail the example"
    );
}
