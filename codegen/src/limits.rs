//! Limits on spec input, so that every input, however hostile, ends in a located error or a
//! model in bounded time and memory. Each is far above what the real spec needs (figures in
//! parentheses) and is checked before the work it protects. Documented in `spec/README.md`, "Limits".

/// Largest spec file read, in bytes (largest real file: 9 KB). Checked on the file's metadata
/// before opening it, and again while reading, so `/dev/zero` or a growing file cannot fill memory.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Deepest YAML nesting of mappings and sequences, aliases expanded (real spec: 6). Checked in the
/// event walk, which stops at the first node past it; serde_yaml (recursion limit 128, and
/// quadratic in flow nesting) and libyaml never see a file that breaks it.
pub const MAX_YAML_DEPTH: usize = 64;

/// Most nodes that aliases may add to one file when expanded (real spec: no anchors at all).
/// Stops alias bombs ("billion laughs") before serde_yaml expands them, and keeps serde_yaml's own
/// repetition limit, which it reports without a position, from being the one that trips.
pub const MAX_ALIAS_NODES: u64 = 1_000;

/// Duplicate keys reported per file; one more line counts the rest. Each report carries the key's
/// full spec path, so without a cap a long key path repeated under many duplicates would make the
/// report quadratic in the file size.
pub const MAX_DUPLICATE_KEYS_REPORTED: usize = 100;

/// Longest type expression, in bytes (longest real one: `list<map<string, ChatroomSentMessage>>`,
/// 38). Checked before parsing, so neither the parser nor its messages handle more.
pub const MAX_TYPE_EXPR_BYTES: usize = 256;

/// Deepest nesting of `list<…>` and `map<string, …>` in one type expression (real spec: 2). The
/// parser and everything downstream (resolution, naming, emitting) recurse once per level.
pub const MAX_TYPE_EXPR_DEPTH: usize = 16;
