//! The relay load generator: drives Linli's relay and the JS reference relay
//! (@automerge/automerge-repo 2.5.6 + websocket + nodefs), one after the other, with the same
//! scenarios, over loopback, bounded in count and time:
//!
//! - burst: N clients each push bursts of small changes to their own document, waiting for
//!   the relay's acknowledgement (its heads include the change) before the next burst;
//! - fanout: one document, K subscribers; a writer changes it at a fixed rate and every
//!   subscriber's delivery latency is measured;
//! - idle: 1,000 and 5,000 connections that join and stay quiet; memory per connection.
//!
//! ```text
//! cargo run --release -p linli-bench --bin loadgen -- [--tiny] [--out FILE]
//!     [--server PATH] [--only linli|js]
//! ```
//!
//! The generator runs on one thread (one core) so the relay under test has the other; each
//! scenario reports the generator's own CPU share, which stays well under one core when the
//! relay, not the generator, sets the pace.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use linli_bench::*;
use serde_json::{Value, json};

struct Size {
    burst_clients: u32,
    burst: u32,
    burst_secs: u64,
    fan_subscribers: u32,
    fan_rate: u32,
    fan_secs: u64,
    idle: Vec<u32>,
}

fn size(tiny: bool) -> Size {
    if tiny {
        Size {
            burst_clients: 4,
            burst: 5,
            burst_secs: 2,
            fan_subscribers: 5,
            fan_rate: 20,
            fan_secs: 2,
            idle: vec![50],
        }
    } else {
        Size {
            burst_clients: 64,
            burst: 5,
            burst_secs: 15,
            // 2,000 deliveries a second: the one-thread generator must stay well below a core
            // (each delivery is a full automerge receive and reply on the subscriber's side).
            fan_subscribers: 50,
            fan_rate: 40,
            fan_secs: 10,
            idle: vec![1_000, 5_000],
        }
    }
}

async fn burst(relay: &Relay, s: &Size) -> Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(s.burst_secs);
    let (cpu0, gen0) = (proc_stat(relay.pid()).cpu_s, self_cpu());
    let start = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..s.burst_clients {
        let url = relay.url.clone();
        let actor = relay.actor(n + 1);
        let b = s.burst;
        tasks.push(tokio::spawn(async move {
            let mut p = Peer::connect(&url, actor, n).await?;
            let id = new_doc_id();
            p.change(id, |d| new_request(d, n)).await?;
            let mut seq = 0u64;
            let mut acked = 0u64;
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                for _ in 0..b {
                    seq += 1;
                    p.change(id, |d| small_change(d, seq)).await?;
                }
                while p.core.unconfirmed(&id) > 0 {
                    if !p.recv_one().await? {
                        anyhow::bail!("relay closed the connection");
                    }
                }
                acked += u64::from(b);
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>((acked, lat, p.bytes_out, p.bytes_in))
        }));
    }
    let (mut acked, mut lat, mut out_b, mut in_b) = (0u64, Vec::new(), 0u64, 0u64);
    for t in tasks {
        let (a, l, o, i) = t.await??;
        acked += a;
        lat.extend(l);
        out_b += o;
        in_b += i;
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let relay_cpu = proc_stat(relay.pid()).cpu_s - cpu0;
    let gen_cpu = self_cpu() - gen0;
    Ok(json!({
        "clients": s.burst_clients,
        "burst": s.burst,
        "changes_per_s": acked as f64 / secs,
        "ack_p50_ms": percentile(&lat, 0.5),
        "ack_p99_ms": percentile(&lat, 0.99),
        "relay_cpu_s": relay_cpu,
        "relay_cpu_share": relay_cpu / secs,
        "generator_cpu_s": gen_cpu,
        "generator_cpu_share": gen_cpu / secs,
        "bytes_sent": out_b,
        "bytes_received": in_b,
        "relay_peak_rss_kb": proc_stat(relay.pid()).peak_rss_kb,
    }))
}

async fn fanout(relay: &Relay, s: &Size) -> Result<Value> {
    let id = new_doc_id();
    let mut writer = Peer::connect(&relay.url, relay.actor(100_000), 100_000).await?;
    writer.change(id, |d| new_request(d, 0)).await?;
    while writer.core.unconfirmed(&id) > 0 {
        writer.recv_one().await?;
    }
    let sent: Arc<Mutex<Seqs>> = Arc::new(Mutex::new(Seqs::new()));
    let stop = Instant::now() + Duration::from_secs(s.fan_secs + 60);
    let mut subs = Vec::new();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(s.fan_subscribers as usize);
    for n in 0..s.fan_subscribers {
        let url = relay.url.clone();
        let sent = sent.clone();
        let ready = ready_tx.clone();
        let total = s.fan_rate as usize * s.fan_secs as usize;
        subs.push(tokio::spawn(async move {
            let mut p = Follower::connect(&url, 200_000 + n).await?;
            p.request(id).await?;
            while p.doc.get_heads().is_empty() {
                if !p.recv_one().await? {
                    anyhow::bail!("relay closed the connection");
                }
            }
            let _ = ready.send(()).await;
            let mut heads = p.doc.get_heads();
            let mut lat = Vec::new();
            while lat.len() < total && Instant::now() < stop {
                let got = tokio::time::timeout(Duration::from_secs(5), p.recv_one()).await;
                if !matches!(got, Ok(Ok(true))) {
                    break;
                }
                let now = Instant::now();
                let doc = &p.doc;
                let seqs = received_seqs(doc, &heads);
                heads = doc.get_heads();
                let map = sent.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
                for q in seqs {
                    if let Some(t) = map.get(&q) {
                        lat.push(now.duration_since(*t).as_secs_f64() * 1000.0);
                    }
                }
            }
            Ok::<_, anyhow::Error>((lat, p.frames_in, p.bytes_in))
        }));
    }
    drop(ready_tx);
    for _ in 0..s.fan_subscribers {
        ready_rx.recv().await;
    }
    let (cpu0, gen0) = (proc_stat(relay.pid()).cpu_s, self_cpu());
    let start = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(s.fan_rate)));
    let mut seq = 0u64;
    while seq < u64::from(s.fan_rate) * s.fan_secs {
        tokio::select! {
            _ = tick.tick() => {
                seq += 1;
                sent.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.insert(seq, Instant::now());
                writer.change(id, |d| small_change(d, seq)).await?;
            }
            r = writer.recv_one() => { r?; }
        }
    }
    let (mut lat, mut frames, mut bytes) = (Vec::new(), 0u64, 0u64);
    for t in subs {
        let (l, f, b) = t.await??;
        lat.extend(l);
        frames += f;
        bytes += b;
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let expected = seq as f64 * f64::from(s.fan_subscribers);
    Ok(json!({
        "subscribers": s.fan_subscribers,
        "rate_per_s": s.fan_rate,
        "delivered": lat.len(),
        "delivered_share": lat.len() as f64 / expected,
        "deliveries_per_s": lat.len() as f64 / secs,
        "p50_ms": percentile(&lat, 0.5),
        "p99_ms": percentile(&lat, 0.99),
        "frames_per_delivery": frames as f64 / lat.len().max(1) as f64,
        "bytes_per_delivery": bytes as f64 / lat.len().max(1) as f64,
        "relay_cpu_s": proc_stat(relay.pid()).cpu_s - cpu0,
        "generator_cpu_s": self_cpu() - gen0,
        "generator_cpu_share": (self_cpu() - gen0) / secs,
    }))
}

async fn idle(relay: &Relay, count: u32) -> Result<Value> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = proc_stat(relay.pid());
    let mut peers = Vec::with_capacity(count as usize);
    let started = Instant::now();
    let mut n = 0;
    while n < count {
        let batch: Vec<_> = (n..(n + 100).min(count))
            .map(|i| {
                let url = relay.url.clone();
                tokio::spawn(async move { Follower::connect(&url, 300_000 + i).await })
            })
            .collect();
        for b in batch {
            peers.push(b.await??);
        }
        n = peers.len() as u32;
    }
    let connect_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = proc_stat(relay.pid());
    drop(peers);
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(json!({
        "connections": count,
        "connect_s": connect_secs,
        "rss_before_kb": before.rss_kb,
        "rss_after_kb": after.rss_kb,
        "kb_per_connection": (after.rss_kb as f64 - before.rss_kb as f64) / f64::from(count),
    }))
}

async fn run(relay: &Relay, s: &Size) -> Result<Value> {
    eprintln!("[{}] burst…", relay.name);
    let b = burst(relay, s).await?;
    eprintln!("[{}] fan-out…", relay.name);
    let f = fanout(relay, s).await?;
    let mut idles = Vec::new();
    for c in &s.idle {
        eprintln!("[{}] {c} idle connections…", relay.name);
        idles.push(idle(relay, *c).await?);
    }
    Ok(json!({ "burst": b, "fanout": f, "idle": idles, "final": proc_stat(relay.pid()) }))
}

fn ratio(a: &Value, b: &Value) -> Value {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if y != 0.0 => json!(x / y),
        _ => Value::Null,
    }
}

// One worker thread: the generator keeps to one core so the relay under test has the other.
#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tiny = args.iter().any(|a| a == "--tiny");
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1).cloned());
    let s = size(tiny);
    let base = std::env::temp_dir().join(format!("linli-loadgen-{}", std::process::id()));
    std::fs::create_dir_all(&base)?;

    // The relay binary under test (the test suite passes its debug build for the tiny run).
    let server = args
        .iter()
        .position(|a| a == "--server")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || root().join("target/release/linli-server"),
            std::path::PathBuf::from,
        );
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    let l = if only.as_deref() != Some("js") {
        let linli = Relay::linli(&base.join("linli"), &server).await?;
        let l = run(&linli, &s).await?;
        linli.stop().await;
        l
    } else {
        Value::Null
    };
    let j = if only.as_deref() != Some("linli") {
        let js = Relay::js(&base.join("js")).await?;
        let j = run(&js, &s).await?;
        js.stop().await;
        j
    } else {
        Value::Null
    };
    let _ = std::fs::remove_dir_all(&base);

    let idle_ratio: Vec<Value> = (0..s.idle.len())
        .map(|i| {
            ratio(
                &l["idle"][i]["kb_per_connection"],
                &j["idle"][i]["kb_per_connection"],
            )
        })
        .collect();
    let report = json!({
        "size": if tiny { "tiny" } else { "full" },
        "linli": l,
        "js": j,
        "ratio_linli_over_js": {
            "burst_changes_per_s": ratio(&l["burst"]["changes_per_s"], &j["burst"]["changes_per_s"]),
            "burst_ack_p99": ratio(&l["burst"]["ack_p99_ms"], &j["burst"]["ack_p99_ms"]),
            "fanout_p50": ratio(&l["fanout"]["p50_ms"], &j["fanout"]["p50_ms"]),
            "fanout_p99": ratio(&l["fanout"]["p99_ms"], &j["fanout"]["p99_ms"]),
            "idle_kb_per_connection": idle_ratio,
        },
    });
    let text = serde_json::to_string_pretty(&report)?;
    println!("{text}");
    if let Some(path) = out {
        std::fs::write(path, text)?;
    }
    // Sanity: the tiny run is in the test suite, so it must have measured something real.
    for (name, r) in [("Linli's relay", &l), ("the JS relay", &j)] {
        if r.is_null() {
            continue;
        }
        anyhow::ensure!(
            r["burst"]["changes_per_s"].as_f64().unwrap_or(0.0) > 0.0,
            "{name} acknowledged no changes"
        );
        anyhow::ensure!(
            r["fanout"]["delivered_share"].as_f64().unwrap_or(0.0) > 0.99,
            "{name} did not deliver every change to every subscriber"
        );
    }
    Ok(())
}
