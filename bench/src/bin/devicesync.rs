//! A device's sync at five years' scale, through the same client core the app runs (its
//! IndexedDB writes aside): a new grid worker's phone syncs everything its person may see,
//! goes offline, makes K changes, and reconnects. Prints the bytes on the wire against the
//! size of the changes themselves.
//!
//! ```text
//! cargo run --release -p linli-bench --bin devicesync -- --data DIR [--code GRDWRK57]
//!     [--edits 500] [--per-doc 1] [--server PATH] [--out FILE]
//! ```
//!
//! DIR is a data directory seeded with `linli-server --demo-scale N` (bench/scale.mjs keeps
//! one in bench/out/scale-N/); it is copied, not changed. `--tiny` seeds 300 residents itself.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use linli_bench::*;
use linli_shared::client::Client;
use linli_shared::domain::requests::EventKind;
use serde_json::json;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Reads frames until the core has nothing unconfirmed and the relay has been quiet for
/// `quiet`; returns when the last frame arrived.
async fn settle(p: &mut Peer, quiet: Duration, limit: Duration) -> Result<Instant> {
    let start = Instant::now();
    let mut last = Instant::now();
    loop {
        match tokio::time::timeout(quiet, p.recv_one()).await {
            Ok(r) => {
                anyhow::ensure!(r?, "the relay closed the connection");
                last = Instant::now();
            }
            // Quiet: over if nothing of ours waits for the relay.
            Err(_) if p.core.status().unconfirmed == 0 => return Ok(last),
            Err(_) => {}
        }
        anyhow::ensure!(start.elapsed() < limit, "no settling within {limit:?}");
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tiny = args.iter().any(|a| a == "--tiny");
    let server = arg(&args, "--server")
        .map_or_else(|| root().join("target/release/linli-server"), PathBuf::from);
    let code = arg(&args, "--code").unwrap_or_else(|| "GRDWRK57".into());
    // How many of the offline changes land on each request (1: each on a different one).
    let per_doc: usize = arg(&args, "--per-doc")
        .map(|e| e.parse())
        .transpose()?
        .unwrap_or(1)
        .max(1);
    let edits: usize = arg(&args, "--edits")
        .map(|e| e.parse())
        .transpose()?
        .unwrap_or(if tiny { 20 } else { 500 });
    let scratch = std::env::temp_dir().join(format!("linli-devicesync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let data = scratch.join("data");
    if tiny {
        // Seed 300 residents: start and stop the relay once.
        let mut child = std::process::Command::new(&server)
            .args([
                "--addr",
                "127.0.0.1:0",
                "--dist",
                "",
                "--demo-scale",
                "300",
                "--data",
            ])
            .arg(&data)
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let mut out = std::io::BufReader::new(child.stdout.take().context("stdout")?);
        let mut line = String::new();
        while std::io::BufRead::read_line(&mut out, &mut line)? > 0 && !line.contains("open http") {
            line.clear();
        }
        child.kill()?;
        child.wait()?;
    } else {
        let from = PathBuf::from(
            arg(&args, "--data").context("--data DIR (a --demo-scale data directory)")?,
        );
        std::fs::create_dir_all(&data)?;
        for e in std::fs::read_dir(&from)? {
            let e = e?;
            if e.path().is_file() {
                std::fs::copy(e.path(), data.join(e.file_name()))?;
            }
        }
    }

    let (relay, device) = Relay::linli_on(&data, &server, &code).await?;
    let actor = relay.actor(0);
    let core = Client::new("devicesync".into(), "devicesync-store".into(), actor);

    // 1. A new phone's first full sync.
    let t0 = Instant::now();
    let mut p = Peer::connect_core(&relay.url, core).await?;
    let last = settle(&mut p, Duration::from_secs(2), Duration::from_secs(1200)).await?;
    let first_ms = last.duration_since(t0).as_secs_f64() * 1000.0;
    let docs = p.core.doc_ids().count();
    let (first_in, first_out) = (p.bytes_in, p.bytes_out);
    eprintln!(
        "first sync: {docs} documents, {first_in} bytes in, {first_out} out, {first_ms:.0} ms"
    );

    // 2. Offline: K answers, `per_doc` to a request (1 is the worst case for the overhead each
    //    document's sync message adds).
    let mut core = p.disconnect().await;
    let mut requests: Vec<_> = core
        .doc_ids()
        .copied()
        .filter(|id| {
            core.doc(id).is_some_and(|d| {
                linli_shared::domain::doc_kind(d) == Some(linli_shared::domain::DocKind::Request)
            })
        })
        .collect();
    requests.sort();
    anyhow::ensure!(!requests.is_empty(), "the grid worker holds no requests");
    let person = "p-gw07";
    // Signed with the worker's name on record, at the relay's time (the relay bounds both).
    let name = core
        .doc_ids()
        .filter_map(|id| core.doc(id))
        .filter_map(|d| linli_shared::domain::people::Person::read(d).ok())
        .find(|p| p.id == person)
        .map(|p| p.name)
        .unwrap_or_default();
    let now = linli_server::hub::now_ms();
    let mut change_bytes = 0usize;
    for i in 0..edits {
        let id = requests[(i / per_doc) % requests.len()];
        let before = core.doc(&id).map(|d| d.get_heads()).unwrap_or_default();
        let fx = core.change(id, |d| {
            linli_shared::domain::requests::append_event_named(
                d,
                person,
                &name,
                now + i as i64,
                EventKind::Answer {
                    text: "已上门查看，正在协调物业处理。".into(),
                    substantive: true,
                },
            )
        })?;
        // As the app would: the save lands, then nothing can be sent (offline).
        for e in fx {
            if let linli_shared::client::Effect::Save { id, heads, .. } = e {
                let _ = core.handle(0, linli_shared::client::Input::Saved { id, heads });
            }
        }
        change_bytes += core
            .doc(&id)
            .map(|d| {
                d.get_changes(&before)
                    .iter()
                    .map(|c| c.raw_bytes().len())
                    .sum::<usize>()
            })
            .unwrap_or(0);
    }

    // 3. Back online: everything waiting goes up.
    let token = device.token(relay.addr).await?;
    let url = format!("ws://{}/sync?token={token}", relay.addr);
    let t1 = Instant::now();
    let mut p = Peer::connect_core(&url, core).await?;
    let last = settle(&mut p, Duration::from_secs(1), Duration::from_secs(600)).await?;
    let reconnect_ms = last.duration_since(t1).as_secs_f64() * 1000.0;
    let report = json!({
        "tiny": tiny,
        "code": code,
        "first_sync": {
            "documents": docs,
            "ms": first_ms,
            "bytes_received": first_in,
            "bytes_sent": first_out,
        },
        "reconnect": {
            "offline_changes": edits,
            "documents_changed": edits.div_ceil(per_doc).min(requests.len()),
            "changes_per_document": per_doc,
            "changes_bytes": change_bytes,
            "bytes_sent": p.bytes_out,
            "bytes_received": p.bytes_in,
            "sent_over_changes": p.bytes_out as f64 / change_bytes.max(1) as f64,
            "ms": reconnect_ms,
        },
    });
    relay.stop().await;
    let _ = std::fs::remove_dir_all(&scratch);
    let text = serde_json::to_string_pretty(&report)?;
    println!("{text}");
    if let Some(path) = arg(&args, "--out") {
        std::fs::write(path, text)?;
    }
    Ok(())
}
