//! Every native benchmark at its tiny size, so that its code cannot rot: each binary must run
//! to the end against the debug relay and write what it measured. Figures are printed by the
//! binaries, never asserted here (time on a shared 2-core machine is noise; BENCHMARKS.md's
//! figures come from `scripts/bench`).
//!
//! The relay is the `linli-server` binary `cargo test --workspace` builds beside these (for the
//! relay's own integration tests), so the test suite compiles it once, in one feature set.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory cargo put this package's binaries in (and, in a workspace test run, the
/// relay's).
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_loadgen"))
        .parent()
        .expect("a binary lives in a directory")
        .to_path_buf()
}

fn relay() -> PathBuf {
    let server = bin_dir().join("linli-server");
    assert!(
        server.exists(),
        "{} is missing: run the whole workspace's tests (`cargo test --workspace`), or build the \
         relay first (`cargo build -p linli-server`)",
        server.display()
    );
    server
}

/// Runs a benchmark binary with `args`; panics with its output when it fails.
fn run(bin: &str, args: &[&str]) -> String {
    let out = Command::new(bin_dir().join(bin))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("start {bin}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{bin} {args:?} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A JSON report the binary wrote, read back: it must hold every key in `keys`.
fn report(path: &Path, keys: &[&str]) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("the report is JSON");
    for k in keys {
        assert!(v.get(k).is_some(), "{} lacks {k}: {v}", path.display());
    }
    v
}

fn out_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

#[test]
fn the_relay_load_benchmark_measures_linli_and_the_js_relay_at_a_tiny_size() {
    let out = out_file("loadgen-tiny.json");
    let server = relay();
    run(
        "loadgen",
        &[
            "--tiny",
            "--server",
            server.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let v = report(&out, &["size"]);
    assert_eq!(v["size"], "tiny");
}

#[test]
fn the_document_reading_benchmark_runs_at_a_tiny_size() {
    let printed = run("docread", &["--tiny"]);
    assert!(!printed.trim().is_empty(), "docread printed nothing");
    println!("{printed}");
}

#[test]
fn the_indicators_benchmark_computes_the_thirty_over_the_demo_at_a_tiny_size() {
    let printed = run("indicators", &["--tiny"]);
    assert!(!printed.trim().is_empty(), "indicators printed nothing");
    println!("{printed}");
}

#[test]
fn the_device_sync_benchmark_syncs_a_phone_through_the_client_core_at_a_tiny_size() {
    let out = out_file("devicesync-tiny.json");
    let server = relay();
    run(
        "devicesync",
        &[
            "--tiny",
            "--server",
            server.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let v = report(&out, &["tiny"]);
    assert_eq!(v["tiny"], true);
}
