// placeholder: overwritten by `cargo xtask codegen`
/// Default v1 base URL.
pub const V1_DEFAULT_BASE_URL: &str = "https://api.yunxinapi.com";
/// Default v2 base URL.
pub const V2_DEFAULT_BASE_URL: &str = "https://open.yunxinapi.com";
