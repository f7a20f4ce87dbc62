//! Limits on spec input, so that every input, however hostile, ends in a located error or a
//! model in bounded time and memory. Each is far above what the real spec needs (figures in
//! brackets) and is checked before the work it protects. Documented in `spec/README.md`, "Limits".

/// Largest spec file read, in bytes [largest real file: 9 KB]. Checked on the file's metadata
/// before opening it, and again while reading, so `/dev/zero` or a growing file cannot fill memory.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Longest type expression, in bytes [longest real one: `list<map<string, ChatroomSentMessage>>`,
/// 38]. Checked before parsing, so neither the parser nor its messages handle more.
pub const MAX_TYPE_EXPR_BYTES: usize = 256;

/// Deepest nesting of `list<…>` and `map<string, …>` in one type expression [real spec: 2]. The
/// parser and everything downstream (resolution, naming, emitting) recurse once per level.
pub const MAX_TYPE_EXPR_DEPTH: usize = 16;
