//! Fuzz-style: seeded mutations of every real spec file (line deletes and duplicates,
//! truncation, byte flips, deep nesting, huge numbers, alias bombs, deep type expressions) go
//! through the checker. None may crash; each ends in a model or in diagnostics that all name a
//! spec file and a line:column inside it; and a sample of the failures, run through `xtask
//! codegen`, exits 1 and leaves a generated tree exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Mutations in all, shared among the spec files (at least 25 each): the run time stays flat as
/// endpoints are added, about 30 s in a debug build.
const TOTAL: usize = 525;
const MIN_PER_FILE: usize = 25;
/// One failing mutation in this many also runs `xtask codegen` on a copy of the generated tree.
const WRITE_SAMPLE: usize = 8;

/// xorshift64: deterministic, so a failure names a mutation that can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const KINDS: [&str; 9] = [
    "delete line",
    "duplicate line",
    "truncate",
    "flip bytes",
    "nest deep",
    "nest deep at the end",
    "huge number",
    "alias bomb",
    "deep type",
];

/// Byte offsets where lines start, and the text's lines.
fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < text.len()),
    );
    starts
}

fn line_range(text: &[u8], starts: &[usize], i: usize) -> std::ops::Range<usize> {
    starts[i]..starts.get(i + 1).copied().unwrap_or(text.len())
}

/// A nested YAML value `depth` levels deep, of one of four shapes.
fn nested(rng: &mut Rng, depth: usize) -> String {
    match rng.below(4) {
        0 => format!("\n  {}x", "- ".repeat(depth)),
        1 => format!("{}x{}", "[".repeat(depth), "]".repeat(depth)),
        2 => format!("{}x{}", "{a: ".repeat(depth), "}".repeat(depth)),
        _ => (1..=depth.min(300))
            .map(|i| format!("\n{}a:", "  ".repeat(i)))
            .collect::<String>(),
    }
}

fn depth(rng: &mut Rng) -> usize {
    [1, 10, 63, 64, 65, 100, 1_000, 30_000][rng.below(8)]
}

fn mutate(rng: &mut Rng, kind: &str, text: &[u8]) -> Vec<u8> {
    let starts = line_starts(text);
    let line = rng.below(starts.len());
    let range = line_range(text, &starts, line);
    let mut out = text.to_vec();
    match kind {
        "delete line" => {
            out.drain(range);
        }
        "duplicate line" => {
            let copy = text[range.clone()].to_vec();
            out.splice(range.start..range.start, copy);
        }
        "truncate" => out.truncate(rng.below(text.len())),
        "flip bytes" => {
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
        }
        "nest deep" => {
            let levels = depth(rng);
            let value = nested(rng, levels);
            let insert = format!("k: {value}\n").into_bytes();
            out.splice(range.start..range.start, insert);
        }
        "nest deep at the end" => {
            let levels = depth(rng);
            let value = nested(rng, levels);
            out.extend(format!("zz_deep: {value}\n").into_bytes());
        }
        "huge number" => {
            let digits: Vec<usize> = (0..text.len())
                .filter(|&i| text[i].is_ascii_digit() && (i == 0 || !text[i - 1].is_ascii_digit()))
                .collect();
            let at = digits[rng.below(digits.len())];
            let end = (at..text.len())
                .find(|&i| !text[i].is_ascii_digit())
                .unwrap_or(text.len());
            let huge = [
                "99999999999999999999999999999".to_owned(),
                "-9223372036854775809".to_owned(),
                "18446744073709551616".to_owned(),
                "1e999".to_owned(),
                "0x7fffffffffffffffffff".to_owned(),
                format!("1{}", "0".repeat(5_000)),
            ][rng.below(6)]
            .clone();
            out.splice(at..end, huge.into_bytes());
        }
        "alias bomb" => {
            let levels = 1 + rng.below(12);
            let mut bomb = String::from("b0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..levels {
                let refs = vec![format!("*b{}", i - 1); 9].join(", ");
                bomb.push_str(&format!("b{i}: &b{i} [{refs}]\n"));
            }
            if rng.below(2) == 0 {
                out.extend(bomb.into_bytes());
            } else {
                out.splice(range.start..range.start, bomb.into_bytes());
            }
        }
        "deep type" => {
            let types: Vec<usize> = (0..text.len())
                .filter(|&i| text[i..].starts_with(b"type: "))
                .collect();
            let Some(&at) = types.get(rng.below(types.len())) else {
                return out;
            };
            let n = [2, 16, 17, 100, 5_000][rng.below(5)];
            let ty = if rng.below(2) == 0 {
                format!("{}string{}", "list<".repeat(n), ">".repeat(n))
            } else {
                "map<string, ".repeat(n)
            };
            out.splice(at + 6..at + 6, ty.into_bytes());
        }
        other => unreachable!("{other}"),
    }
    out
}

fn spec_files(spec: &Path) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("api.yaml"), PathBuf::from("types.yaml")];
    // The page-written endpoints: every construct, without mutating hundreds of SDK drafts.
    assert!(spec.join("api.yaml").is_file(), "{spec:?} is a spec folder");
    files.extend(
        yunxin_tests::spec_edit::real_page_endpoint_files()
            .iter()
            .cloned(),
    );
    files
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

/// A root holding a copy of the committed generated tree.
fn generated_root(root: &Path) {
    let real = xtask::workspace_root();
    let mut owned: Vec<&str> = xtask::codegen_cmd::OWNED_DIRS.to_vec();
    owned.push(xtask::codegen_cmd::MANIFEST);
    for relative in owned {
        let from = real.join(relative);
        if from.is_dir() {
            for (path, bytes) in snapshot(&from) {
                let to = root.join(relative).join(path);
                fs::create_dir_all(to.parent().unwrap()).unwrap();
                fs::write(to, bytes).unwrap();
            }
        } else {
            fs::create_dir_all(root.join(relative).parent().unwrap()).unwrap();
            fs::copy(from, root.join(relative)).unwrap();
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// What is wrong with the diagnostics of one mutation: each must name a spec file and a line and
/// column inside it (the line after the last counts: an error at the end of the text).
fn unlocated(diags: &codegen::diag::Diagnostics, copy: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    if diags.0.is_empty() {
        problems.push("failed without a diagnostic".to_owned());
    }
    for d in &diags.0 {
        let Some(relative) = d.file.strip_prefix("spec/") else {
            problems.push(format!("not a spec file: {d}"));
            continue;
        };
        let lines = fs::read(copy.join(relative)).map(|b| b.split(|c| *c == b'\n').count());
        match (d.location, lines) {
            (Some((line, col)), Ok(lines)) if line >= 1 && col >= 1 && line <= lines + 1 => {}
            _ => problems.push(format!("unlocated or outside its file: {d}")),
        }
    }
    problems
}

#[test]
fn mutated_specs_end_in_a_model_or_located_errors_and_write_nothing() {
    let started = Instant::now();
    let spec = xtask::workspace_root().join("spec");
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("spec");
    let files = spec_files(&spec);
    let per_file = (TOTAL / files.len()).max(MIN_PER_FILE);
    // An endpoint file is mutated beside api.yaml and types.yaml only (endpoints never refer to
    // each other), so a run costs one endpoint, however many the spec has; the shared files are
    // mutated beside every endpoint, since they affect them all.
    let place = |mutated: &Path| {
        let _ = fs::remove_dir_all(&copy);
        fs::create_dir_all(copy.join("endpoints")).unwrap();
        let alone = mutated.starts_with("endpoints");
        for f in &files {
            if !alone || !f.starts_with("endpoints") || f == mutated {
                fs::create_dir_all(copy.join(f).parent().unwrap()).unwrap();
                fs::copy(spec.join(f), copy.join(f)).unwrap();
            }
        }
    };
    let root = tmp.path().join("root");
    generated_root(&root);
    let tree = snapshot(&root);

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut runs, mut failed, mut codegen_runs, mut accepted) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    for f in &files {
        place(f);
        let original = fs::read(spec.join(f)).unwrap();
        for i in 0..per_file {
            let kind = KINDS[rng.below(KINDS.len())];
            let mutated = mutate(&mut rng, kind, &original);
            let what = format!("{} mutation {i} ({kind})", f.display());
            fs::write(copy.join(f), &mutated).unwrap();
            runs += 1;
            let outcome = catch_unwind(AssertUnwindSafe(|| codegen::load_model(&copy, "spec")));
            match outcome {
                Err(payload) => {
                    problems.push(format!("{what}: panicked: {}", panic_message(payload)))
                }
                // The checker accepted it: the emitters must render it without failing.
                Ok(Ok(model)) => {
                    accepted += 1;
                    let emitted = catch_unwind(AssertUnwindSafe(|| {
                        codegen::emit::generate_all(&model).len()
                    }));
                    if let Err(payload) = emitted {
                        problems.push(format!(
                            "{what}: an emitter panicked on a checked model: {}",
                            panic_message(payload)
                        ));
                    }
                }
                Ok(Err(diags)) => {
                    failed += 1;
                    problems.extend(
                        unlocated(&diags, &copy)
                            .into_iter()
                            .map(|p| format!("{what}: {p}")),
                    );
                    if failed % WRITE_SAMPLE == 0 {
                        codegen_runs += 1;
                        let args: Vec<String> = [
                            "codegen",
                            "--spec",
                            copy.to_str().unwrap(),
                            "--root",
                            root.to_str().unwrap(),
                        ]
                        .map(String::from)
                        .to_vec();
                        let (mut out, mut err) = (Vec::new(), Vec::new());
                        let code = catch_unwind(AssertUnwindSafe(|| {
                            xtask::run(&args, &mut out, &mut err)
                        }));
                        if code.as_ref().ok() != Some(&1) {
                            problems.push(format!(
                                "{what}: xtask codegen ended in {:?}, not exit 1",
                                code.map_err(panic_message)
                            ));
                        }
                        if snapshot(&root) != tree {
                            problems
                                .push(format!("{what}: xtask codegen changed the generated tree"));
                            generated_root(&root);
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "{runs} mutations, {failed} rejected, {accepted} accepted and emitted, {codegen_runs} also run through xtask codegen, in {:.1?}",
        started.elapsed()
    );
    assert!(runs >= 500, "only {runs} mutations ran");
    assert!(
        codegen_runs >= 40,
        "only {codegen_runs} failing mutations ran through xtask codegen"
    );
    assert!(
        problems.is_empty(),
        "{} problem(s) in {runs} mutations:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
