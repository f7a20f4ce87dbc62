//! `cargo xtask test`: installs the system packages the tests need when they are missing, then
//! runs `cargo test --workspace`.
//!
//! The tests start real components rather than mocks (the native-tls build links the system's
//! OpenSSL, found with pkg-config; the shared pacing store is tested against a real
//! `redis-server`), so a fresh machine needs them first. Each requirement is
//! probed; only missing ones are installed, with the system's package manager, as root or
//! through `sudo -n` (never a password prompt: CI has no terminal).

use std::io::Write;
use std::process::Command;

/// Something the tests need from the system.
pub struct Requirement {
    /// What it is, for messages.
    pub what: &'static str,
    /// Why the tests need it.
    pub why: &'static str,
    /// A command that succeeds when the requirement is met.
    pub probe: &'static [&'static str],
    /// The package that provides it, per package manager.
    pub packages: &'static [(Manager, &'static str)],
}

/// The package managers `cargo xtask test` knows how to drive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manager {
    Apt,
    Dnf,
    Yum,
    Apk,
    Pacman,
    Zypper,
    Brew,
}

impl Manager {
    const ALL: [Manager; 7] = [
        Manager::Apt,
        Manager::Dnf,
        Manager::Yum,
        Manager::Apk,
        Manager::Pacman,
        Manager::Zypper,
        Manager::Brew,
    ];

    /// The program whose presence on `PATH` marks this manager.
    fn program(self) -> &'static str {
        match self {
            Manager::Apt => "apt-get",
            Manager::Dnf => "dnf",
            Manager::Yum => "yum",
            Manager::Apk => "apk",
            Manager::Pacman => "pacman",
            Manager::Zypper => "zypper",
            Manager::Brew => "brew",
        }
    }

    /// The commands that install `packages` non-interactively (before any `sudo`).
    fn install(self, packages: &[&str]) -> Vec<Vec<String>> {
        let with = |head: &[&str]| {
            let mut command: Vec<String> = head.iter().map(|s| s.to_string()).collect();
            command.extend(packages.iter().map(|p| p.to_string()));
            command
        };
        match self {
            // The package lists of a fresh container are empty; install fails without them.
            Manager::Apt => vec![
                vec!["apt-get".into(), "update".into(), "-qq".into()],
                with(&[
                    "env",
                    "DEBIAN_FRONTEND=noninteractive",
                    "apt-get",
                    "install",
                    "-y",
                    "-qq",
                    "--no-install-recommends",
                ]),
            ],
            Manager::Dnf => vec![with(&["dnf", "install", "-y"])],
            Manager::Yum => vec![with(&["yum", "install", "-y"])],
            Manager::Apk => vec![with(&["apk", "add", "--no-cache"])],
            Manager::Pacman => vec![with(&["pacman", "-S", "--noconfirm", "--needed"])],
            Manager::Zypper => vec![with(&["zypper", "--non-interactive", "install"])],
            Manager::Brew => vec![with(&["brew", "install"])],
        }
    }

    /// Whether installing needs root (Homebrew refuses to run as root).
    fn needs_root(self) -> bool {
        self != Manager::Brew
    }
}

/// What the tests need from the system, beyond a Rust toolchain.
pub const REQUIREMENTS: &[Requirement] = &[
    Requirement {
        what: "pkg-config",
        why: "the native-tls build finds OpenSSL with it",
        probe: &["pkg-config", "--version"],
        packages: &[
            (Manager::Apt, "pkg-config"),
            (Manager::Dnf, "pkgconf-pkg-config"),
            (Manager::Yum, "pkgconfig"),
            (Manager::Apk, "pkgconf"),
            (Manager::Pacman, "pkgconf"),
            (Manager::Zypper, "pkg-config"),
            (Manager::Brew, "pkg-config"),
        ],
    },
    Requirement {
        what: "OpenSSL development files",
        why: "the native-tls feature links the system's OpenSSL",
        probe: &["pkg-config", "--exists", "openssl"],
        packages: &[
            (Manager::Apt, "libssl-dev"),
            (Manager::Dnf, "openssl-devel"),
            (Manager::Yum, "openssl-devel"),
            (Manager::Apk, "openssl-dev"),
            (Manager::Pacman, "openssl"),
            (Manager::Zypper, "libopenssl-devel"),
            (Manager::Brew, "openssl@3"),
        ],
    },
    Requirement {
        what: "redis-server",
        why: "the Redis pacing store is tested against a real server",
        probe: &["redis-server", "--version"],
        packages: &[
            (Manager::Apt, "redis-server"),
            (Manager::Dnf, "redis"),
            (Manager::Yum, "redis"),
            (Manager::Apk, "redis"),
            (Manager::Pacman, "redis"),
            (Manager::Zypper, "redis"),
            (Manager::Brew, "redis"),
        ],
    },
];

/// What the machine offers: the probes' outcomes, the package manager, and the privileges.
pub trait System {
    /// Runs `command`; whether it succeeded (a missing program is a failure).
    fn succeeds(&mut self, command: &[&str]) -> bool;
    /// Whether `program` is on `PATH`.
    fn has_program(&mut self, program: &str) -> bool;
    /// Whether this process runs as root.
    fn is_root(&mut self) -> bool;
    /// Runs `command` with its output shown; whether it succeeded.
    fn run(&mut self, command: &[String]) -> bool;
}

/// The real machine.
pub struct RealSystem;

impl System for RealSystem {
    fn succeeds(&mut self, command: &[&str]) -> bool {
        Command::new(command[0])
            .args(&command[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn has_program(&mut self, program: &str) -> bool {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
    }

    fn is_root(&mut self) -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    }

    fn run(&mut self, command: &[String]) -> bool {
        Command::new(&command[0])
            .args(&command[1..])
            .status()
            .is_ok_and(|s| s.success())
    }
}

/// Installs what `requirements` lists and the system lacks; `Err` says what to install by hand.
pub fn ensure(
    requirements: &[Requirement],
    system: &mut dyn System,
    out: &mut dyn Write,
) -> Result<(), String> {
    let missing: Vec<&Requirement> = requirements
        .iter()
        .filter(|r| !system.succeeds(r.probe))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = missing
        .iter()
        .map(|r| format!("{} ({})", r.what, r.why))
        .collect();
    let _ = writeln!(out, "xtask test: missing: {}", names.join("; "));
    let by_hand = |why: &str| {
        let listed: Vec<String> = missing
            .iter()
            .map(|r| {
                let packages: Vec<String> = r
                    .packages
                    .iter()
                    .map(|(m, p)| format!("{} {p}", m.program()))
                    .collect();
                format!("{}: {}", r.what, packages.join(", "))
            })
            .collect();
        format!(
            "{why}; install by hand, then run `cargo xtask test` again:\n  {}",
            listed.join("\n  ")
        )
    };
    let Some(manager) = Manager::ALL
        .into_iter()
        .find(|m| system.has_program(m.program()))
    else {
        return Err(by_hand("no known package manager on PATH"));
    };
    let packages: Vec<&str> = missing
        .iter()
        .filter_map(|r| {
            r.packages
                .iter()
                .find(|(m, _)| *m == manager)
                .map(|(_, p)| *p)
        })
        .fold(Vec::new(), |mut all, p| {
            if !all.contains(&p) {
                all.push(p);
            }
            all
        });
    let prefix: Vec<String> = if manager.needs_root() && !system.is_root() {
        if !system.has_program("sudo") || !system.succeeds(&["sudo", "-n", "true"]) {
            return Err(by_hand(&format!(
                "installing with {} needs root, and `sudo -n` is not available",
                manager.program()
            )));
        }
        vec!["sudo".into(), "-n".into()]
    } else {
        Vec::new()
    };
    for command in manager.install(&packages) {
        let command: Vec<String> = prefix.iter().cloned().chain(command).collect();
        let _ = writeln!(out, "xtask test: {}", command.join(" "));
        if !system.run(&command) {
            return Err(by_hand(&format!("`{}` failed", command.join(" "))));
        }
    }
    let still: Vec<&str> = missing
        .iter()
        .filter(|r| !system.succeeds(r.probe))
        .map(|r| r.what)
        .collect();
    if still.is_empty() {
        Ok(())
    } else {
        Err(by_hand(&format!(
            "still missing after installing: {}",
            still.join(", ")
        )))
    }
}

/// Test threads per core. Most of the `it` binary's time is waiting (rate windows, fan-outs
/// killed and restarted, servers that answer late), not computing: with libtest's default of one
/// thread per core, two waiting tests left both cores idle (a cold run on 2 cores spent 9 of its
/// 12.5 minutes in that binary at a load average near 1). Builds that tests start still queue on
/// cargo's lock of the target dir, so more threads do not pile up compilers.
const TEST_THREADS_PER_CORE: usize = 3;

/// The `RUST_TEST_THREADS` to set: none when the caller set one (theirs wins), else
/// `TEST_THREADS_PER_CORE` per core.
pub fn test_threads(set_by_caller: Option<&str>, cores: usize) -> Option<String> {
    match set_by_caller {
        Some(_) => None,
        None => Some((cores.max(1) * TEST_THREADS_PER_CORE).to_string()),
    }
}

/// `cargo xtask test [ARGS…]`: ensures the requirements, then `cargo test --workspace ARGS…`.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if let Err(message) = ensure(REQUIREMENTS, &mut RealSystem, out) {
        let _ = writeln!(err, "xtask test: {message}");
        return 1;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["test", "--workspace"]).args(args);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = test_threads(std::env::var("RUST_TEST_THREADS").ok().as_deref(), cores);
    if let Some(threads) = &threads {
        command.env("RUST_TEST_THREADS", threads);
    }
    let _ = writeln!(
        out,
        "xtask test: {}cargo test --workspace {}",
        threads
            .map(|t| format!("RUST_TEST_THREADS={t} "))
            .unwrap_or_default(),
        args.join(" ")
    );
    let _ = out.flush();
    match command.status() {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            let _ = writeln!(err, "xtask test: cannot run cargo: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_threads_are_three_per_core_unless_the_caller_set_them() {
        assert_eq!(test_threads(None, 2).as_deref(), Some("6"));
        assert_eq!(test_threads(None, 0).as_deref(), Some("3"));
        assert_eq!(test_threads(Some("1"), 2), None);
    }

    /// A machine described by what is installed; records the commands run.
    struct FakeSystem {
        installed: Vec<&'static str>,
        programs: Vec<&'static str>,
        root: bool,
        sudo_works: bool,
        install_works: bool,
        ran: Vec<String>,
    }

    impl FakeSystem {
        fn new(programs: &[&'static str]) -> FakeSystem {
            FakeSystem {
                installed: Vec::new(),
                programs: programs.to_vec(),
                root: true,
                sudo_works: false,
                install_works: true,
                ran: Vec::new(),
            }
        }
    }

    impl System for FakeSystem {
        fn succeeds(&mut self, command: &[&str]) -> bool {
            match command {
                ["sudo", "-n", "true"] => self.sudo_works,
                ["pkg-config", "--version"] => self.installed.contains(&"pkg-config"),
                ["pkg-config", "--exists", "openssl"] => {
                    self.installed.contains(&"pkg-config") && self.installed.contains(&"libssl-dev")
                }
                ["redis-server", "--version"] => {
                    self.installed.contains(&"redis-server") || self.installed.contains(&"redis")
                }
                _ => false,
            }
        }

        fn has_program(&mut self, program: &str) -> bool {
            self.programs.contains(&program)
        }

        fn is_root(&mut self) -> bool {
            self.root
        }

        fn run(&mut self, command: &[String]) -> bool {
            self.ran.push(command.join(" "));
            if self.install_works && command.iter().any(|c| c == "install") {
                for p in ["pkg-config", "libssl-dev", "redis-server", "redis"] {
                    if command.iter().any(|c| c == p) {
                        self.installed.push(p);
                    }
                }
            }
            self.install_works
        }
    }

    #[test]
    fn nothing_is_installed_when_everything_is_there() {
        let mut system = FakeSystem::new(&["apt-get"]);
        system.installed = vec!["pkg-config", "libssl-dev", "redis-server"];
        let mut out = Vec::new();
        assert_eq!(ensure(REQUIREMENTS, &mut system, &mut out), Ok(()));
        assert!(system.ran.is_empty(), "{:?}", system.ran);
        assert!(out.is_empty());
    }

    #[test]
    fn missing_packages_are_installed_with_apt_as_root() {
        let mut system = FakeSystem::new(&["apt-get"]);
        let mut out = Vec::new();
        assert_eq!(ensure(REQUIREMENTS, &mut system, &mut out), Ok(()));
        assert_eq!(
            system.ran,
            [
                "apt-get update -qq",
                "env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pkg-config libssl-dev redis-server",
            ]
        );
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("missing: pkg-config"), "{out}");
    }

    #[test]
    fn only_the_missing_package_is_installed_through_sudo_when_not_root() {
        let mut system = FakeSystem::new(&["apt-get", "sudo"]);
        system.installed = vec!["pkg-config", "redis-server"];
        system.root = false;
        system.sudo_works = true;
        assert_eq!(ensure(REQUIREMENTS, &mut system, &mut Vec::new()), Ok(()));
        assert_eq!(
            system.ran.last().unwrap(),
            "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libssl-dev"
        );
    }

    #[test]
    fn a_missing_redis_server_is_installed_under_each_managers_name() {
        for (manager, package) in [
            ("apt-get", "redis-server"),
            ("dnf", "redis"),
            ("brew", "redis"),
        ] {
            let mut system = FakeSystem::new(&[manager]);
            system.installed = vec!["pkg-config", "libssl-dev"];
            let mut out = Vec::new();
            assert_eq!(
                ensure(REQUIREMENTS, &mut system, &mut out),
                Ok(()),
                "{manager}"
            );
            let install = system.ran.last().unwrap();
            assert!(
                install.ends_with(&format!(" {package}")),
                "{manager}: {install}"
            );
            assert!(!install.contains("libssl"), "{manager}: {install}");
            let out = String::from_utf8(out).unwrap();
            assert!(out.contains("missing: redis-server"), "{out}");
        }
    }

    #[test]
    fn without_root_or_sudo_the_error_says_what_to_install() {
        let mut system = FakeSystem::new(&["dnf"]);
        system.root = false;
        let err = ensure(REQUIREMENTS, &mut system, &mut Vec::new()).unwrap_err();
        assert!(err.contains("needs root"), "{err}");
        assert!(err.contains("dnf openssl-devel"), "{err}");
        assert!(err.contains("apt-get libssl-dev"), "{err}");
        assert!(system.ran.is_empty());
    }

    #[test]
    fn without_a_package_manager_or_after_a_failed_install_it_fails() {
        let mut system = FakeSystem::new(&[]);
        let err = ensure(REQUIREMENTS, &mut system, &mut Vec::new()).unwrap_err();
        assert!(err.contains("no known package manager"), "{err}");

        let mut system = FakeSystem::new(&["apt-get"]);
        system.install_works = false;
        let err = ensure(REQUIREMENTS, &mut system, &mut Vec::new()).unwrap_err();
        assert!(err.contains("failed"), "{err}");
    }
}
