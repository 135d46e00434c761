//! A real PostgreSQL for the tests: a temporary cluster the test starts itself (`initdb` in a
//! temporary directory, `postgres` on a free port on 127.0.0.1 with its socket in that
//! directory), stopped and deleted when the [`Cluster`] is dropped, also when the test panics.
//!
//! The binaries are looked up in Debian's `/usr/lib/postgresql/<version>/bin` (the newest),
//! then on `PATH`. `scripts/setup --only postgres` installs them. When they are absent, the
//! tests that need them fail if `CI=true` (CI must never skip them silently), and print
//! "skipped: no PostgreSQL" otherwise.
//!
//! PostgreSQL refuses to run as root; as root (CI), the cluster runs as the `postgres` user
//! that Debian's package creates (`setpriv`, which then executes the server itself, so the
//! process this helper stops is the postmaster).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a cluster may take to start or stop before the test fails.
const DEADLINE: Duration = Duration::from_secs(60);

pub struct Cluster {
    pub port: u16,
    postmaster: Option<Child>,
    dir: tempfile::TempDir,
    bin: PathBuf,
    user: Option<(String, u32, u32)>,
    /// Databases made so far (each test gets its own).
    made: std::sync::atomic::AtomicU32,
}

/// The directory holding `initdb` and `postgres`, if PostgreSQL is installed.
fn bin_dir() -> Option<PathBuf> {
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .collect();
    debian.sort();
    let path = std::env::var_os("PATH").unwrap_or_default();
    debian
        .into_iter()
        .rev()
        .map(|(_, dir)| dir)
        .chain(std::env::split_paths(&path))
        .find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
}

/// The user the cluster runs as when the tests run as root: `(name, uid, gid)`.
fn unprivileged_user() -> Option<(String, u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    if std::fs::metadata("/proc/self").ok()?.uid() != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("read /etc/passwd");
    let line = passwd.lines().find(|l| l.starts_with("postgres:")).expect(
        "running as root, PostgreSQL needs its `postgres` user (Debian's package makes it)",
    );
    let fields: Vec<&str> = line.split(':').collect();
    Some((
        "postgres".into(),
        fields[2].parse().unwrap(),
        fields[3].parse().unwrap(),
    ))
}

/// A command that runs as the cluster's user (from `/`, which that user can read).
fn as_cluster_user(program: &Path, user: &Option<(String, u32, u32)>) -> Command {
    let mut command = match user {
        None => Command::new(program),
        Some((_, uid, gid)) => {
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .arg("--clear-groups")
                .arg("--")
                .arg(program);
            c
        }
    };
    command.current_dir("/");
    command
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// Starts a cluster, or `None` ("skipped: no PostgreSQL") when PostgreSQL is not
    /// installed and this is not CI. Blocking: call it outside async code, or through
    /// [`Cluster::start_blocking`].
    pub fn start() -> Option<Cluster> {
        let Some(bin) = bin_dir() else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "PostgreSQL is not installed (no initdb and postgres in /usr/lib/postgresql/*/bin \
                     or on PATH), and CI must run the tests that need it: \
                     run `scripts/setup --only postgres` first"
                );
            }
            eprintln!("skipped: no PostgreSQL (scripts/setup --only postgres installs it)");
            return None;
        };
        let user = unprivileged_user();
        let dir = tempfile::tempdir().unwrap();
        if let Some((_, uid, gid)) = &user {
            std::os::unix::fs::chown(dir.path(), Some(*uid), Some(*gid)).unwrap();
        }
        let data = dir.path().join("data");
        let init = as_cluster_user(&bin.join("initdb"), &user)
            .arg("-D")
            .arg(&data)
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .stdout(Stdio::null())
            .output()
            .expect("run initdb");
        assert!(
            init.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let mut cluster = Cluster {
            port: 0,
            postmaster: None,
            dir,
            bin,
            user,
            made: Default::default(),
        };
        // A port that was free a moment ago: if another process takes it first, the server
        // exits and the next try takes another one.
        for _ in 0..5 {
            let port = free_port();
            cluster.port = port;
            cluster.spawn_postmaster();
            match cluster.wait_ready() {
                Ok(()) => return Some(cluster),
                Err(true) => cluster.postmaster = None,
                Err(false) => panic!(
                    "PostgreSQL did not accept connections within {DEADLINE:?}:\n{}",
                    cluster.log()
                ),
            }
        }
        panic!(
            "PostgreSQL could not start (five tries):\n{}",
            cluster.log()
        );
    }

    /// Starts the server over the data directory on [`Cluster::port`].
    fn spawn_postmaster(&mut self) {
        let port = self.port;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join(format!("postgres-{port}.log")))
            .unwrap();
        self.postmaster = Some(
            as_cluster_user(&self.bin.join("postgres"), &self.user)
                .arg("-D")
                .arg(self.data_dir())
                .args(["-p", &port.to_string(), "-k"])
                .arg(self.dir.path())
                .args([
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "max_connections=50",
                    "-c",
                    "shared_buffers=16MB",
                ])
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("start postgres"),
        );
    }

    /// Stops the server (a fast shutdown: its sessions are ended) and waits until it has
    /// exited; the data directory stays. Blocking.
    pub fn stop(&mut self) {
        let Some(mut child) = self.postmaster.take() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Starts the server again after [`Cluster::stop`], on the same port and data directory,
    /// and waits until it answers. Blocking.
    pub fn restart(&mut self) {
        self.spawn_postmaster();
        if let Err(exited) = self.wait_ready() {
            panic!(
                "PostgreSQL did not come back on port {} ({}):\n{}",
                self.port,
                if exited { "it exited" } else { "no answer" },
                self.log()
            );
        }
    }

    /// [`Cluster::start`] from async code: on a thread of its own.
    pub fn start_blocking() -> Option<Cluster> {
        std::thread::spawn(Cluster::start).join().unwrap()
    }

    fn log(&self) -> String {
        let mut all = String::new();
        for e in std::fs::read_dir(self.dir.path()).unwrap().flatten() {
            if e.file_name().to_string_lossy().ends_with(".log") {
                all.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
        all
    }

    /// Waits until the server answers a query; `Err(true)` if it exited first.
    fn wait_ready(&mut self) -> Result<(), bool> {
        let deadline = Instant::now() + DEADLINE;
        let url = self.url("postgres");
        while Instant::now() < deadline {
            if let Some(child) = &mut self.postmaster
                && child.try_wait().unwrap().is_some()
            {
                return Err(true);
            }
            if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls)
                && c.simple_query("SELECT 1").is_ok()
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(false)
    }

    /// The cluster's data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The URL of a database on this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a fresh database (`name` and a number) and returns its URL. Blocking.
    pub fn database(&self, name: &str) -> String {
        let n = self.made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let db = format!("{name}_{n}");
        let admin = self.url("postgres");
        let create = format!("CREATE DATABASE {db}");
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
            c.batch_execute(&create).unwrap();
        })
        .join()
        .unwrap();
        self.url(&db)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}
