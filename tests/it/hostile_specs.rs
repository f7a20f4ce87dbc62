//! Hostile specs end in a located error, fast, without writing anything. Each runs the real
//! xtask binary in a child process: a stack overflow or an abort cannot be caught in-process, and
//! exit status, wall time and memory are part of the contract.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use yunxin_tests::xtask_bin::xtask_bin;

/// A hostile input must be refused within this, on a debug build sharing two cores.
const FAST: Duration = Duration::from_secs(5);
/// A child still running after this is killed, so a hang fails the test instead of stalling it.
const HANG: Duration = Duration::from_secs(30);
/// Address space allowed to the child (KiB), so a runaway allocation fails the test, not the machine.
const MEMORY_KIB: u64 = 1 << 20;

struct Run {
    /// Exit code; `None` when killed by a signal or for hanging.
    code: Option<i32>,
    took: Duration,
    stderr: String,
    hung: bool,
    /// Whether the output root is still empty.
    wrote_nothing: bool,
}

/// Copies the real spec, lets `hostile` change it, and runs `xtask codegen` on it in a child.
fn run_hostile(hostile: impl FnOnce(&Path)) -> Run {
    let tmp = tempfile::tempdir().expect("temp dir");
    let spec = tmp.path().join("spec");
    let root = tmp.path().join("root");
    fs::create_dir_all(spec.join("endpoints")).expect("spec folder");
    fs::create_dir(&root).expect("root folder");
    let real = xtask::workspace_root().join("spec");
    for relative in spec_files(&real) {
        fs::create_dir_all(spec.join(&relative).parent().expect("a folder")).expect("spec folder");
        fs::copy(real.join(&relative), spec.join(&relative)).expect("copy spec file");
    }
    hostile(&spec);
    let stderr_path = tmp.path().join("stderr.txt");
    let args = [
        "codegen".as_ref(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--root".as_ref(),
        root.as_os_str(),
    ];
    let mut command = capped(&xtask_bin());
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr_path).expect("stderr file"));
    let start = Instant::now();
    let mut child = command.spawn().expect("xtask starts");
    let (status, hung) = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break (Some(status), false);
        }
        if start.elapsed() > HANG {
            child.kill().ok();
            child.wait().ok();
            break (None, true);
        }
        sleep(Duration::from_millis(10));
    };
    let took = start.elapsed();
    let wrote_nothing = fs::read_dir(&root).is_ok_and(|mut d| d.next().is_none());
    Run {
        code: status.and_then(|s| s.code()),
        took,
        stderr: fs::read_to_string(&stderr_path).unwrap_or_default(),
        hung,
        wrote_nothing,
    }
}

/// The command, under a memory cap where the shell can set one.
fn capped(bin: &Path) -> Command {
    if cfg!(target_os = "linux") {
        let mut command = Command::new("sh");
        command.args([
            "-c".as_ref(),
            format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\"").as_ref(),
            bin.as_os_str(),
        ]);
        command
    } else {
        Command::new(bin)
    }
}

/// The real spec's shared files and its page-written endpoints: every construct, without the
/// cost of loading hundreds of SDK-drafted endpoints in each of the many runs.
fn spec_files(real: &Path) -> Vec<PathBuf> {
    assert!(real.join("api.yaml").is_file(), "{real:?} is a spec folder");
    let mut files = vec![PathBuf::from("api.yaml"), PathBuf::from("types.yaml")];
    files.extend(
        yunxin_tests::spec_edit::real_page_endpoint_files()
            .iter()
            .cloned(),
    );
    files
}

/// Whether some line of `stderr` is `<file>:<line>:<col>: …` and contains `words`.
fn located(stderr: &str, file: &str, words: &str) -> bool {
    stderr.lines().any(|line| {
        let Some(rest) = line.strip_prefix(file).and_then(|r| r.strip_prefix(':')) else {
            return false;
        };
        let mut parts = rest.splitn(3, ':');
        let number = |p: Option<&str>| p.is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n > 0));
        number(parts.next()) && number(parts.next()) && line.contains(words)
    })
}

/// Checks one hostile case; returns what went wrong, if anything.
fn check(name: &str, file: &str, words: &str, hostile: impl FnOnce(&Path)) -> Vec<String> {
    let run = run_hostile(hostile);
    let mut problems = Vec::new();
    if run.hung {
        problems.push(format!("{name}: still running after {HANG:?}; killed"));
    } else if run.code != Some(1) {
        problems.push(format!(
            "{name}: exit code {:?}, not 1 (None: killed by a signal)",
            run.code
        ));
    }
    if run.took > FAST {
        problems.push(format!("{name}: took {:?}, more than {FAST:?}", run.took));
    }
    if !located(&run.stderr, file, words) {
        problems.push(format!("{name}: no `{file}:line:col: …{words}…` in stderr"));
    }
    if !run.wrote_nothing {
        problems.push(format!("{name}: wrote into the output root"));
    }
    if !problems.is_empty() {
        let tail: String = run.stderr.chars().take(2_000).collect();
        problems.push(format!("{name}: stderr was:\n{tail}"));
    }
    problems
}

fn write(spec: &Path, relative: &str, text: impl AsRef<[u8]>) {
    fs::write(spec.join(relative), text).expect("write hostile file");
}

fn assert_all(problems: Vec<String>) {
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const HOSTILE: &str = "spec/endpoints/hostile.yaml";

#[test]
fn deep_nesting_of_every_kind_is_refused_fast_and_located() {
    // The harness must also see success, or a harness that always failed would pass.
    let control = run_hostile(|_| {});
    assert_eq!(control.code, Some(0), "the real spec: {}", control.stderr);
    assert!(!control.wrote_nothing, "the real spec generated nothing");
    let too_deep = "deeper than 64 levels";
    let mut problems = Vec::new();
    // 40 000 levels on one 80 KB line: a recursive walk overflows; a path per level is O(depth²).
    problems.extend(check("block sequences", HOSTILE, too_deep, |spec| {
        write(
            spec,
            "endpoints/hostile.yaml",
            format!("{}x\n", "- ".repeat(40_000)),
        )
    }));
    problems.extend(check("flow sequences", HOSTILE, too_deep, |spec| {
        let (open, close) = ("[".repeat(30_000), "]".repeat(30_000));
        write(
            spec,
            "endpoints/hostile.yaml",
            format!("a: {open}{close}\n"),
        )
    }));
    problems.extend(check("flow mappings", HOSTILE, too_deep, |spec| {
        let (open, close) = ("{a: ".repeat(30_000), "}".repeat(30_000));
        write(
            spec,
            "endpoints/hostile.yaml",
            format!("a: {open}x{close}\n"),
        )
    }));
    problems.extend(check("block mappings", HOSTILE, too_deep, |spec| {
        let text: String = (0..700).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        write(spec, "endpoints/hostile.yaml", text)
    }));
    assert_all(problems);
}

#[test]
fn alias_bombs_and_chains_are_refused_fast_and_located() {
    let mut problems = Vec::new();
    problems.extend(check(
        "billion laughs",
        HOSTILE,
        "more than 1000 nodes",
        |spec| {
            let mut text =
                String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..12 {
                let refs = vec![format!("*a{}", i - 1); 10].join(", ");
                text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
            }
            write(spec, "endpoints/hostile.yaml", text)
        },
    ));
    problems.extend(check(
        "alias chain",
        HOSTILE,
        "more than 1000 nodes",
        |spec| {
            let mut text = String::from("a0: &a0 x\n");
            for i in 1..20_000 {
                text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
            }
            write(spec, "endpoints/hostile.yaml", text)
        },
    ));
    assert_all(problems);
}

#[test]
fn deep_type_expressions_are_refused_fast_and_located() {
    let real = xtask::workspace_root().join("spec");
    let endpoint = &yunxin_tests::spec_edit::endpoint_relative(&real, "send_batch_msg");
    let file = &format!("spec/{endpoint}");
    let with_type = |spec: &Path, ty: &str| {
        let text = fs::read_to_string(spec.join(endpoint)).expect("real endpoint");
        assert!(text.contains("type: list<string>"));
        write(
            spec,
            endpoint,
            text.replacen("type: list<string>", &format!("type: {ty}"), 1),
        );
    };
    let mut problems = Vec::new();
    problems.extend(check("nested lists", file, "bytes long", |spec| {
        with_type(
            spec,
            &format!("{}string{}", "list<".repeat(5_000), ">".repeat(5_000)),
        )
    }));
    problems.extend(check("unclosed lists", file, "bytes long", |spec| {
        with_type(spec, &"list<".repeat(5_000))
    }));
    problems.extend(check("17 levels", file, "more than 16 deep", |spec| {
        with_type(
            spec,
            &format!("{}string{}", "list<".repeat(17), ">".repeat(17)),
        )
    }));
    assert_all(problems);
}

#[test]
fn undecodable_oversized_and_multi_document_files_are_located() {
    let mut problems = Vec::new();
    problems.extend(check(
        "byte-order mark",
        HOSTILE,
        "byte-order mark",
        |spec| {
            let text = fs::read(yunxin_tests::spec_edit::endpoint_file(
                spec,
                "send_batch_msg",
            ))
            .expect("real endpoint");
            write(
                spec,
                "endpoints/hostile.yaml",
                [&b"\xEF\xBB\xBF"[..], &text].concat(),
            )
        },
    ));
    problems.extend(check("invalid UTF-8", HOSTILE, "invalid UTF-8", |spec| {
        write(spec, "endpoints/hostile.yaml", b"summary: caf\xC3\n")
    }));
    problems.extend(check(
        "two documents",
        HOSTILE,
        "second YAML document",
        |spec| {
            let text = fs::read_to_string(yunxin_tests::spec_edit::endpoint_file(
                spec,
                "send_batch_msg",
            ))
            .expect("real");
            write(spec, "endpoints/hostile.yaml", format!("{text}---\n{text}"))
        },
    ));
    problems.extend(check(
        "2 MB file",
        HOSTILE,
        "at most 1048576 bytes",
        |spec| {
            // Valid YAML and a valid endpoint, but far larger than any spec file needs to be.
            let text = fs::read_to_string(yunxin_tests::spec_edit::endpoint_file(
                spec,
                "send_batch_msg",
            ))
            .expect("real");
            write(
                spec,
                "endpoints/hostile.yaml",
                format!("{text}# {}\n", "x".repeat(2 << 20)),
            )
        },
    ));
    assert_all(problems);
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_without_reading_them() {
    let mut problems = Vec::new();
    problems.extend(check("FIFO", HOSTILE, "not a regular file", |spec| {
        let status = Command::new("mkfifo")
            .arg(spec.join("endpoints/hostile.yaml"))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    }));
    problems.extend(check(
        "symlink to /dev/zero",
        HOSTILE,
        "not a regular file",
        |spec| {
            std::os::unix::fs::symlink("/dev/zero", spec.join("endpoints/hostile.yaml"))
                .expect("symlink");
        },
    ));
    assert_all(problems);
}

/// A long chain of objects, each holding the next (and the last the first), is reported as
/// recursive quickly: the cycle check is one linear walk, not a search per object (which took
/// 46 s for 2,000 objects).
#[test]
fn a_long_cycle_of_objects_is_refused_fast_and_located() {
    let file = "spec/types.yaml";
    let problems = check(
        "2,000 objects in a cycle",
        file,
        "contains itself",
        |spec| {
            let n = 2_000;
            let mut text = String::from("types:\n");
            for i in 0..n {
                let next = (i + 1) % n;
                text.push_str(&format!(
                "  T{i}:\n    kind: object\n    description: x\n    fields:\n      next:\n        type: T{next}\n        description: y\n"
            ));
            }
            write(spec, "types.yaml", text);
        },
    );
    assert_all(problems);
}

/// Every name the spec gives generated code (endpoint files, types, enum values, status kinds)
/// that would not compile is refused, located, instead of panicking or writing a client that
/// does not build: keywords (`self` and `Self` cannot even be raw identifiers), the client's
/// own modules and methods, names every generated module imports, and generated names that two
/// parts of the spec would both produce.
#[test]
fn names_that_cannot_be_generated_are_refused_fast_and_located() {
    let real = xtask::workspace_root().join("spec");
    // The endpoints the hostile copies hold (see `spec_files`).
    let subset = tempfile::tempdir().expect("temp dir");
    yunxin_tests::spec_edit::copy_page_endpoints(&real, subset.path());
    let model = codegen::load_model(subset.path(), "spec").expect("the page-written subset loads");
    // Any endpoint file the hostile copies hold will do as the body of a hostilely named one.
    let donor = yunxin_tests::spec_edit::real_page_endpoint_files()[0].clone();
    let mut problems = Vec::new();
    let mut endpoint_named = |name: &str, words: &str| {
        let file = format!("spec/endpoints/{name}.yaml");
        let case = format!("endpoint `{name}`");
        problems.extend(check(&case, &file, words, |spec| {
            fs::copy(
                spec.join(&donor),
                spec.join(format!("endpoints/{name}.yaml")),
            )
            .unwrap();
        }));
    };
    for keyword in [
        "type", "self", "super", "crate", "fn", "async", "try", "gen",
    ] {
        endpoint_named(keyword, "Rust keyword");
    }
    endpoint_named("_", "endpoint name");
    for module in codegen::names::SHARED_MODULES
        .iter()
        .chain(codegen::names::CRATE_ROOT_MODULES)
    {
        // `fan_out` is also a hand-written example's name, which is reported first.
        let why = if codegen::names::HAND_EXAMPLES.contains(module) {
            "hand-written example"
        } else {
            "module the client always has"
        };
        endpoint_named(module, why);
    }
    for method in ["send", "builder", "validate", "pages"] {
        endpoint_named(method, "method of the client itself");
    }
    let with = |pick: fn(&codegen::model::Endpoint) -> bool| {
        model
            .endpoints
            .iter()
            .find(|e| pick(e))
            .map(|e| e.client_methods())
    };
    let fan_out = with(|e| e.fan_out.is_some()).expect("the spec has a fan-out endpoint");
    let paging = with(|e| e.paging.is_some()).expect("the spec has a paged endpoint");
    for generated in fan_out.iter().chain(&paging).skip(1) {
        if !model.endpoints.iter().any(|e| &e.name == generated) {
            endpoint_named(generated, "would also be generated for endpoint");
        }
    }

    let types = "spec/types.yaml";
    let type_named = |name: &str| {
        format!("\n  {name}:\n    kind: enum\n    description: A hostile name.\n    values:\n      one:\n        value: 1\n        description: One.\n")
    };
    let stem_of = |e: &codegen::model::Endpoint| e.request_type();
    for name in [
        "Self",
        "Result",
        "Option",
        "String",
        "Vec",
        "Box",
        "Validator",
        "Serialize",
    ]
    .map(str::to_owned)
    .into_iter()
    .chain([
        stem_of(&model.endpoints[0]),
        model.endpoints[0].reply_type(),
    ]) {
        problems.extend(check(
            &format!("type `{name}`"),
            types,
            "type name",
            |spec| {
                let mut text = fs::read_to_string(spec.join("types.yaml")).unwrap();
                text.push_str(&type_named(&name));
                write(spec, "types.yaml", text);
            },
        ));
    }
    // A field named like another's getter, in any real endpoint: its setter would be that getter.
    let (endpoint, field) = model
        .endpoints
        .iter()
        .find_map(|e| e.fields.first().map(|f| (e, f)))
        .expect("an endpoint with fields");
    let relative = yunxin_tests::spec_edit::endpoint_relative(&real, &endpoint.name);
    let file = format!("spec/{relative}");
    problems.extend(check(
        "a field named like a getter",
        &file,
        "also the getter of",
        |spec| {
            let text = fs::read_to_string(spec.join(&relative)).unwrap();
            let getter = codegen::names::getter(&field.rust);
            let hostile =
                format!("\nfields:\n  {getter}:\n    type: string\n    description: Hostile.\n");
            assert!(text.contains("\nfields:\n"));
            write(spec, &relative, text.replacen("\nfields:\n", &hostile, 1));
        },
    ));
    for (case, values) in [
        ("a value named `self`", "      self:\n        value: 1\n        description: It.\n"),
        ("a value named `_1`", "      _1:\n        value: 1\n        description: It.\n"),
        (
            "two values with one variant",
            "      a_b:\n        value: 1\n        description: It.\n      a__b:\n        value: 2\n        description: It.\n",
        ),
    ] {
        problems.extend(check(case, types, "the variant", |spec| {
            let mut text = fs::read_to_string(spec.join("types.yaml")).unwrap();
            text.push_str(&format!("\n  HostileValues:\n    kind: enum\n    description: Hostile values.\n    values:\n{values}"));
            write(spec, "types.yaml", text);
        }));
    }
    assert_all(problems);
}
