// placeholder: overwritten by `cargo xtask codegen`
/// Typed meaning of a reply's body `code`, from the spec's status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    ParameterError,
    RateLimited,
    Forbidden,
    SenderDisabled,
    SenderMuted,
    ChatroomLimit,
    ServerError,
    Other(i64),
}
impl ApiErrorKind {
    pub fn from_code(code: i64) -> Self {
        match code {
            414 => Self::ParameterError,
            416 => Self::RateLimited,
            403 => Self::Forbidden,
            422 => Self::SenderDisabled,
            423 => Self::SenderMuted,
            419 => Self::ChatroomLimit,
            500 => Self::ServerError,
            other => Self::Other(other),
        }
    }
    pub fn code(self) -> Option<i64> { None }
    pub fn meaning(self) -> &'static str { "" }
    pub fn advice(self) -> &'static str { "" }
}
