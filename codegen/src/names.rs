//! The names generated code and the hand-written runtime define, in one place: the emitters name
//! their items from here and the checker refuses spec names that would collide with them, so a
//! name the checker accepts always compiles. Tests compare each list with the source it mirrors.

/// Rust keywords, strict and reserved (all editions), which no spec name may become. `self`,
/// `Self`, `super` and `crate` cannot even be raw identifiers, so none is emitted as `r#...`.
pub const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// The modules `generated/mod.rs` declares beside one module per endpoint.
pub const SHARED_MODULES: &[&str] = &["dynamic", "hosts", "status", "types"];

/// The client's hand-written examples (`[[example]]` in `generated-client/Cargo.toml`): cargo
/// takes the declared target over `examples/<name>.rs`, so an endpoint of the same name would
/// have its generated example silently never built.
pub const HAND_EXAMPLES: &[&str] = &["fan_out"];

/// The modules of the hand-written crate root (`generated-client/src/lib.rs`), which re-exports
/// every generated module: an endpoint module of the same name would be shadowed by them. The
/// curated public modules (`error`, `client`, ...) are here as well as the private `runtime`.
pub const CRATE_ROOT_MODULES: &[&str] = &[
    "__support",
    "auth",
    "client",
    "endpoint",
    "error",
    "fan_out",
    "generated",
    "pacing",
    "runtime",
];

/// The client's own cargo features (`[features]` of `generated-client/Cargo.toml`), and `full`,
/// kept for the feature that enables every domain: a domain's feature may take none of them.
pub const CLIENT_FEATURES: &[&str] = &[
    "default",
    "full",
    "native-tls",
    "redis",
    "rustls-tls",
    "rustls-tls-native-roots",
    "test-util",
    "tracing",
];

/// The methods, private ones included, of the hand-written `impl Client` blocks of the runtime;
/// an endpoint's generated method of the same name would be a duplicate definition.
pub const CLIENT_METHODS: &[&str] = &[
    "app_key",
    "base_for",
    "base_url",
    "base_urls",
    "builder",
    "encode_checked",
    "endpoint_url",
    "exchange",
    "execute_with_failover",
    "host",
    "host_count",
    "items",
    "lease",
    "limit_policy",
    "new",
    "pages",
    "preferred_host",
    "prepare",
    "send",
    "send_after",
    "sign",
    "validate",
];

/// What every generated module imports with `use crate::runtime::support::*`
/// (`runtime/support.rs`): a spec type of the same name would shadow it in the module that
/// declares the type, and the generated code there would refer to the wrong item.
pub const SUPPORT_NAMES: &[&str] = &[
    "ApiGeneration",
    "ApiReply",
    "ApiRequest",
    "BTreeMap",
    "Blocks",
    "ChunkReport",
    "CommaJoined",
    "Compare",
    "Deserialize",
    "DisplayFromStr",
    "EmptyAsNone",
    "Endpoint",
    "FanOut",
    "FanOutRequest",
    "FileContent",
    "JsonText",
    "LengthUnit",
    "LimitPolicy",
    "Location",
    "ObjectOrScalar",
    "Paged",
    "Pattern",
    "PickFirst",
    "RateLimit",
    "Serialize",
    "Severity",
    "StatusInfo",
    "Step",
    "Stream",
    "Unlisted",
    "UnlistedValue",
    "Unreadable",
    "Utf16",
    "Validate",
    "ValidationError",
    "Validator",
    "ValueOrJsonText",
    "Violation",
    "ZeroOne",
];

/// The standard prelude's types and traits (and the variants it brings in) that generated code
/// names unqualified: a spec type of the same name would shadow them.
pub const PRELUDE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The inherent methods every request and request object has beside its fields' accessors.
pub const STRUCT_METHODS: &[&str] = &["new"];

/// The inherent methods every endpoint's request has beside those of `STRUCT_METHODS`.
pub const REQUEST_METHODS: &[&str] = &["validate"];

/// The inherent methods a v2 request has for its `X-custom-traceid` header, beside the others.
pub const V2_REQUEST_METHODS: &[&str] = &["trace_id", "with_trace_id"];

/// The private member a v2 request holds its trace id in, beside one member per field.
pub const V2_REQUEST_MEMBER: &str = "trace_id";

/// The getter of a request or request-object field, from the field's Rust name.
pub fn getter(field: &str) -> String {
    format!("get_{field}")
}

/// The builder-style setter of an optional request or request-object field: the field's own
/// Rust name (a required field is set by `new` and has none).
pub fn setter(field: &str) -> String {
    field.to_owned()
}

/// The second setter of a `json` field (required or not): it takes any `Serialize` value and
/// stores its JSON text, beside the text setter (a `String` is `Serialize` too, so one setter
/// taking both would send text as a quoted JSON string).
pub fn json_setter(field: &str) -> String {
    format!("{field}_json")
}

/// The private member a struct with `json` fields records the values its `json_setter`s could
/// not encode in, for `validate()` to refuse: a setter cannot fail, and the failure must not be lost.
pub const UNENCODABLE_MEMBER: &str = "unencodable_json";

/// The accessors one field of a request or request object generates; `json`: the field's type
/// is `json`.
pub fn accessors(field: &str, required: bool, json: bool) -> Vec<String> {
    let mut out = vec![getter(field)];
    if !required {
        out.push(setter(field));
    }
    if json {
        out.push(json_setter(field));
    }
    out
}

/// The member every generated reply has for values it could not read.
pub const REPLY_UNREADABLE: &str = "unreadable";

/// The type name of an endpoint's request, from its type stem.
pub fn request_type(stem: &str) -> String {
    format!("{stem}Request")
}

/// The type name of an endpoint's reply, from its type stem.
pub fn reply_type(stem: &str) -> String {
    format!("{stem}Reply")
}

/// The `Client` method walking an endpoint's pages.
pub fn pages_method(endpoint: &str) -> String {
    format!("{endpoint}_pages")
}

/// The `Client` method walking an endpoint's items, page after page.
pub fn items_method(endpoint: &str) -> String {
    format!("{endpoint}_items")
}

/// The `Client` method fanning an endpoint out over a list of recipients.
pub fn fan_out_method(endpoint: &str) -> String {
    format!("{endpoint}_fan_out")
}

/// The `Client` method fanning an endpoint out over a stream of recipients.
pub fn fan_out_stream_method(endpoint: &str) -> String {
    format!("{endpoint}_fan_out_stream")
}

/// Why `name` cannot be a Rust identifier as generated, or `None` when it can.
pub fn ident_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let valid = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        Some("is empty".to_owned())
    } else if !valid {
        Some(format!("`{name}` is not a Rust identifier"))
    } else if name == "_" {
        Some("`_` is not a name in Rust".to_owned())
    } else if RUST_KEYWORDS.contains(&name) {
        Some(format!("`{name}` is a Rust keyword"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
