// placeholder: overwritten by `cargo xtask codegen`
//! Default base URLs of the two API generations, from the spec.

/// Default base URL of the v1 (`/nimserver/...*.action`) API.
pub const V1_DEFAULT_BASE_URL: &str = "https://api.yunxinapi.com";

/// Default base URL of the v2 (`/im/v2/...`) API.
pub const V2_DEFAULT_BASE_URL: &str = "https://open.yunxinapi.com";
