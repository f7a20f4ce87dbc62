//! Markdown docs: an index and one page per endpoint, rendered with minijinja from the templates in
//! `codegen/templates/` (compiled in, so the generator never reads the working directory).
//!
//! Settings: undefined values are errors, nothing is auto-escaped (markdown is not HTML); spec text
//! goes through the `cell`, `text` and `code` filters instead. Output depends on the model only.

pub mod markdown;
pub mod prose;
pub mod view;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::GeneratedFile;
use crate::model::{Endpoint, Model};

/// The folder the docs are written to, relative to the workspace root.
pub const DOCS_DIR: &str = "generated-client/docs";

const TEMPLATES: &[(&str, &str)] = &[
    ("macros.md.j2", include_str!("../../templates/macros.md.j2")),
    ("index.md.j2", include_str!("../../templates/index.md.j2")),
    (
        "endpoint.md.j2",
        include_str!("../../templates/endpoint.md.j2"),
    ),
];

/// The index and every endpoint's page.
pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    let env = environment();
    let mut files = vec![GeneratedFile {
        path: format!("{DOCS_DIR}/README.md"),
        contents: index_with(&env, model),
    }];
    for endpoint in &model.endpoints {
        files.push(GeneratedFile {
            path: page_path(endpoint),
            contents: endpoint_with(&env, model, endpoint),
        });
    }
    files
}

/// Where an endpoint's page goes, relative to the workspace root.
pub fn page_path(endpoint: &Endpoint) -> String {
    format!("{DOCS_DIR}/{}.md", endpoint.name)
}

/// The index page: every endpoint with its generation, method, path, rate limit and summary.
pub fn render_index(model: &Model) -> String {
    index_with(&environment(), model)
}

/// One endpoint's page.
pub fn render_endpoint(model: &Model, endpoint: &Endpoint) -> String {
    endpoint_with(&environment(), model, endpoint)
}

fn index_with(env: &Environment<'_>, model: &Model) -> String {
    render(env, "index.md.j2", &view::index(model))
}

fn endpoint_with(env: &Environment<'_>, model: &Model, endpoint: &Endpoint) -> String {
    render(env, "endpoint.md.j2", &view::page(model, endpoint))
}

/// Renders a built-in template. The views are typed Rust structs whose shape does not depend on
/// the spec, and spec text only ever reaches a template as a string value, so a render error is
/// a bug of the generator itself (the tests render every page of the real and kitchen-sink specs).
fn render(env: &Environment<'_>, name: &str, context: &impl serde::Serialize) -> String {
    env.get_template(name)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| panic!("template {name} failed to render: {}", describe(&e)))
}

/// A minijinja error with its template, line and cause chain.
fn describe(err: &minijinja::Error) -> String {
    let mut text = format!("{err:#}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\ncaused by: {cause}"));
        source = cause.source();
    }
    text
}

/// The template environment: strict, no auto-escaping, with the markdown filters.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("cell", |s: String| markdown::cell(&s));
    env.add_filter("text", |s: String| markdown::text(&s));
    env.add_filter("code", |s: String| markdown::code(&s));
    for (name, source) in TEMPLATES {
        // Built in at compile time; a unit test compiles them all.
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name} does not compile: {}", describe(&e)));
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile_and_undefined_values_are_errors() {
        let mut env = environment();
        env.add_template("probe", "{{ missing.field }}").unwrap();
        let err = env
            .get_template("probe")
            .unwrap()
            .render(minijinja::context! {})
            .unwrap_err();
        assert_eq!(err.kind(), minijinja::ErrorKind::UndefinedError);
    }

    #[test]
    fn filters_escape_and_nothing_is_auto_escaped() {
        let mut env = environment();
        env.add_template("probe.html", "{{ x }}|{{ x | cell }}|{{ x | code }}")
            .unwrap();
        let out = env
            .get_template("probe.html")
            .unwrap()
            .render(minijinja::context! { x => "a<b>|c" })
            .unwrap();
        assert_eq!(out, "a<b>|c|a&lt;b&gt;\\|c|`a<b>|c`");
    }
}
