//! Benchmark support: starting the relays under test on loopback, measuring a process (CPU
//! seconds, RSS), enrolling a device, and a protocol client driven by Linli's own sans-IO
//! client core (speaking plain automerge-repo, so the same client drives both relays).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use automerge::{ActorId, Automerge};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use futures_util::{SinkExt, StreamExt};
use linli_shared::client::{Client as Core, Effect, Input};
use linli_shared::ids::{DocumentId, hex, unhex};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A relay process under test, on a free loopback port.
pub struct Relay {
    pub name: &'static str,
    pub child: Child,
    pub addr: SocketAddr,
    /// The sync URL (with a token for Linli).
    pub url: String,
    /// For Linli: the staff device that connections speak for (its 12-byte id prefixes actors).
    pub device: Option<String>,
    _dir: PathBuf,
}

async fn wait_for_line(child: &mut Child, pat: &str) -> Result<String> {
    let out = child.stdout.take().context("stdout")?;
    let mut lines = BufReader::new(out).lines();
    let found = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if line.contains(pat) {
                return Ok::<_, anyhow::Error>(line);
            }
        }
        bail!("relay ended before printing {pat:?}")
    })
    .await
    .context("relay start timed out")??;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(found)
}

impl Relay {
    /// Starts Linli's relay (release build) on a fresh data directory and enrols one staff
    /// device with the first-start invite.
    pub async fn linli(dir: &Path, bin: &Path) -> Result<Relay> {
        let mut child = Command::new(bin)
            .args([
                "--addr",
                "127.0.0.1:0",
                "--dist",
                "",
                "--max-connections",
                "20000",
                "--rate",
                "100000",
                // The load generator is one device of one person on one address opening
                // thousands of sockets: the per-device, per-person and per-address limits
                // (which stop exactly that in production) are lifted for it.
                "--max-connections-per-device",
                "20000",
                "--max-connections-per-person",
                "20000",
                "--max-connections-per-address",
                "20000",
                "--data",
            ])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let out = child.stdout.take().context("stdout")?;
        let mut lines = BufReader::new(out).lines();
        let (mut code, mut addr) = (None, None);
        while let Some(line) =
            tokio::time::timeout(Duration::from_secs(60), lines.next_line()).await??
        {
            if let Some(c) = line.split("invite code ").nth(1) {
                code = Some(c[..8].to_string());
            }
            if let Some(a) = line.split("open http://").nth(1) {
                addr = Some(a.trim_end_matches('/').parse::<SocketAddr>()?);
                break;
            }
        }
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let addr = addr.context("no address")?;
        let code = code.context("no first-staff invite (data directory not fresh?)")?;
        let dev = enrol(addr, &code).await?;
        let token = dev.token(addr).await?;
        Ok(Relay {
            name: "linli",
            url: format!("ws://{addr}/sync?token={token}"),
            device: Some(dev.device.clone()),
            child,
            addr,
            _dir: dir.to_path_buf(),
        })
    }

    /// Starts Linli's relay on an existing data directory (e.g. the five-year community) and
    /// enrols a device with a reusable invite code.
    pub async fn linli_on(dir: &Path, bin: &Path, code: &str) -> Result<(Relay, Device)> {
        let mut child = Command::new(bin)
            .args(["--addr", "127.0.0.1:0", "--dist", "", "--data"])
            .arg(dir)
            .stdout(Stdio::piped())
            // LINLI_BENCH_RELAY_LOG=1 shows the relay's log (RUST_LOG sets its level).
            .stderr(if std::env::var_os("LINLI_BENCH_RELAY_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let line = wait_for_line(&mut child, "open http://").await?;
        let addr: SocketAddr = line
            .split("open http://")
            .nth(1)
            .context("address")?
            .trim_end_matches('/')
            .parse()?;
        let dev = enrol(addr, code).await?;
        let token = dev.token(addr).await?;
        Ok((
            Relay {
                name: "linli",
                url: format!("ws://{addr}/sync?token={token}"),
                device: Some(dev.device.clone()),
                child,
                addr,
                _dir: dir.to_path_buf(),
            },
            dev,
        ))
    }

    /// Starts the JS reference relay (automerge-repo 2.5.6, nodefs storage).
    pub async fn js(dir: &Path) -> Result<Relay> {
        let mut child = Command::new("node")
            .arg(root().join("bench/js-relay.mjs"))
            .arg("0")
            .arg(dir)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("start node bench/js-relay.mjs")?;
        let line = wait_for_line(&mut child, "listening").await?;
        let port: u16 = line.trim().rsplit(' ').next().context("port")?.parse()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        Ok(Relay {
            name: "js",
            url: format!("ws://{addr}/"),
            device: None,
            child,
            addr,
            _dir: dir.to_path_buf(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// An actor id this relay accepts from the `n`th simulated client.
    pub fn actor(&self, n: u32) -> ActorId {
        let mut b = match &self.device {
            Some(d) => unhex(d).unwrap_or_default(),
            None => vec![0xbe; 12],
        };
        b.extend_from_slice(&n.to_be_bytes());
        ActorId::from(b)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// CPU seconds (user + system) and resident memory of a process, from /proc.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct ProcStat {
    pub cpu_s: f64,
    pub rss_kb: u64,
    pub peak_rss_kb: u64,
}

pub fn proc_stat(pid: u32) -> ProcStat {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may contain spaces) start after ") ".
    let rest = stat.rsplit(") ").next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after the name.
    let cpu_s = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    ProcStat {
        cpu_s,
        rss_kb: kb("VmRSS:"),
        peak_rss_kb: kb("VmHWM:"),
    }
}

/// This process's own CPU seconds (to show the load generator is not the bottleneck).
pub fn self_cpu() -> f64 {
    proc_stat(std::process::id()).cpu_s
}

async fn http(addr: SocketAddr, path: &str, body: &Value) -> Result<Value> {
    let body = body.to_string();
    let req = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(req.as_bytes()).await?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).await?;
    let text = String::from_utf8_lossy(&resp);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    if !text.starts_with("HTTP/1.1 200") {
        bail!("{path}: {}", text.lines().next().unwrap_or(""));
    }
    Ok(serde_json::from_str(body)?)
}

pub struct Device {
    key: SigningKey,
    pub device: String,
}

pub async fn enrol(addr: SocketAddr, code: &str) -> Result<Device> {
    let key = loop {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| anyhow!("{e}"))?;
        if let Ok(k) = SigningKey::from_slice(&b) {
            break k;
        }
    };
    let public = key.verifying_key().to_encoded_point(false);
    let session = http(
        addr,
        "/api/enrol",
        &json!({ "code": code, "public_key": B64.encode(public.as_bytes()), "label": "loadgen" }),
    )
    .await?;
    Ok(Device {
        key,
        device: session["device"].as_str().context("device")?.to_string(),
    })
}

impl Device {
    pub async fn token(&self, addr: SocketAddr) -> Result<String> {
        let c = http(
            addr,
            "/api/auth/challenge",
            &json!({ "device": self.device }),
        )
        .await?;
        let challenge = c["challenge"].as_str().context("challenge")?.to_string();
        let mut msg = b"linli-auth-v1:".to_vec();
        msg.extend(B64.decode(&challenge)?);
        let sig: Signature = self.key.sign(&msg);
        let t = http(
            addr,
            "/api/auth/token",
            &json!({ "device": self.device, "challenge": challenge, "signature": B64.encode(sig.to_bytes()) }),
        )
        .await?;
        Ok(t["token"].as_str().context("token")?.to_string())
    }
}

/// One simulated peer: a WebSocket and Linli's client core in plain automerge-repo mode.
pub struct Peer {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub core: Core,
    pub bytes_out: u64,
    pub bytes_in: u64,
}

impl Peer {
    pub async fn connect(url: &str, actor: ActorId, n: u32) -> Result<Peer> {
        let mut core = Core::new(format!("gen-{n}"), format!("gen-store-{n}"), actor);
        core.set_standard(true);
        Peer::connect_core(url, core).await
    }

    /// Connects with a given client core (Linli's own mode: the relay pushes what the person
    /// may see, as to the app).
    pub async fn connect_core(url: &str, core: Core) -> Result<Peer> {
        let (ws, _) = tokio_tungstenite::connect_async(url).await?;
        let mut p = Peer {
            ws,
            core,
            bytes_out: 0,
            bytes_in: 0,
        };
        let fx = p.core.handle(0, Input::Connected);
        p.perform(fx).await?;
        while !p.core.is_online() {
            p.recv_one().await?;
        }
        Ok(p)
    }

    /// Closes the socket and hands back the core (as a phone going offline).
    pub async fn disconnect(mut self) -> Core {
        let _ = self.ws.close(None).await;
        let _ = self.core.handle(0, Input::Disconnected);
        self.core
    }

    pub async fn perform(&mut self, fx: Vec<Effect>) -> Result<()> {
        let mut queue = fx;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for e in queue {
                match e {
                    Effect::Send(b) => {
                        self.bytes_out += b.len() as u64;
                        self.ws.send(WsMessage::Binary(b.into())).await?;
                    }
                    // Nothing to persist: a save lands at once.
                    Effect::Save { id, heads, .. } => {
                        next.extend(self.core.handle(0, Input::Saved { id, heads }))
                    }
                    Effect::RelayError(e) => eprintln!("relay: {e}"),
                    Effect::Rejected { code, reason, .. } => eprintln!("refused: {code} {reason}"),
                    _ => {}
                }
            }
            queue = next;
        }
        Ok(())
    }

    /// Reads and handles one frame; `false` when the socket is gone.
    pub async fn recv_one(&mut self) -> Result<bool> {
        match self.ws.next().await {
            Some(Ok(WsMessage::Binary(b))) => {
                self.bytes_in += b.len() as u64;
                let fx = self.core.handle(0, Input::Frame(b.to_vec()));
                self.perform(fx).await?;
                Ok(true)
            }
            Some(Ok(WsMessage::Close(_))) | None => Ok(false),
            Some(Ok(_)) => Ok(true),
            Some(Err(e)) => Err(e.into()),
        }
    }

    /// Applies an edit and sends it.
    pub async fn change(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), linli_shared::domain::ModelError>,
    ) -> Result<()> {
        let fx = self.core.change(id, edit)?;
        self.perform(fx).await
    }

    pub async fn request(&mut self, id: DocumentId) -> Result<()> {
        let fx = self.core.request(id);
        self.perform(fx).await
    }
}

/// A fresh random document id.
pub fn new_doc_id() -> DocumentId {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("randomness");
    DocumentId::from_bytes(b)
}

/// A new request document, as the load generator's clients write them.
pub fn new_request(doc: &mut Automerge, n: u32) -> Result<(), linli_shared::domain::ModelError> {
    use linli_shared::domain::requests::{Colour, Filing, RequestDraft};
    linli_shared::domain::requests::file_request(
        doc,
        &RequestDraft {
            title: format!("负载测试 {n}"),
            description: String::new(),
            category: "other".into(),
            colour: Some(Colour::Blue),
            grid: "g01".into(),
            photos: Vec::new(),
        },
        &Filing {
            filed_by: "p-first-staff".into(),
            subject: "p-first-staff".into(),
            household: "h-bench".into(),
        },
        // The relay bounds times by its clock.
        linli_server::hub::now_ms(),
    )
}

/// One small change: a history entry whose commit message carries a sequence number, so a
/// receiver can tell which change arrived.
pub fn small_change(doc: &mut Automerge, seq: u64) -> Result<(), linli_shared::domain::ModelError> {
    use automerge::transaction::{CommitOptions, Transactable};
    use automerge::{ObjType, ROOT, ReadDoc};
    let events = match doc.get(ROOT, "events")? {
        Some((_, id)) => id,
        None => return Err(linli_shared::domain::ModelError::Malformed("events")),
    };
    doc.transact_with::<_, _, automerge::AutomergeError, _>(
        |_| CommitOptions::default().with_message(seq.to_string()),
        |tx| {
            let n = tx.length(&events);
            let ev = tx.insert_object(&events, n, ObjType::Map)?;
            tx.put(&ev, "type", "detail")?;
            // The relay bounds times by its clock (the sequence number is in the message).
            tx.put(&ev, "at", linli_server::hub::now_ms())?;
            tx.put(&ev, "by", "p-first-staff")?;
            tx.put(&ev, "text", "x")?;
            Ok(())
        },
    )
    .map_err(|f| f.error)?;
    Ok(())
}

/// Percentile of sorted samples.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Sequence numbers carried by the changes a peer received since `heads`.
pub fn received_seqs(doc: &Automerge, since: &[automerge::ChangeHash]) -> Vec<u64> {
    doc.get_changes(since)
        .iter()
        .filter_map(|c| c.message().and_then(|m| m.parse().ok()))
        .collect()
}

pub type Seqs = HashMap<u64, std::time::Instant>;

pub fn hex_id(id: &DocumentId) -> String {
    hex(id.as_bytes())
}

/// A plain automerge-repo peer following one document: an automerge document, its sync state
/// and nothing stored (an ephemeral peer). The fan-out subscribers and the idle connections
/// use it, so that the generator spends as little as a peer can per delivery and the relay
/// under test, not the generator, sets the pace.
pub struct Follower {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    peer_id: String,
    relay: String,
    pub doc: Automerge,
    state: automerge::sync::State,
    pub frames_in: u64,
    pub bytes_in: u64,
}

impl Follower {
    /// Connects and joins (as an ephemeral peer); returns once the relay has answered.
    pub async fn connect(url: &str, n: u32) -> Result<Follower> {
        use linli_shared::wire::{Message, PeerMetadata};
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
        let peer_id = format!("follower-{n}");
        let join = Message::Join {
            sender_id: peer_id.clone(),
            supported_protocol_versions: vec!["1".into()],
            metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
                linli: None,
            },
        };
        ws.send(WsMessage::Binary(join.encode().into())).await?;
        loop {
            match ws.next().await {
                Some(Ok(WsMessage::Binary(b))) => {
                    if let Ok(Message::Peer { sender_id, .. }) = Message::decode(&b) {
                        return Ok(Follower {
                            ws,
                            peer_id,
                            relay: sender_id,
                            doc: Automerge::new(),
                            state: automerge::sync::State::new(),
                            frames_in: 0,
                            bytes_in: 0,
                        });
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("closed before the handshake"),
            }
        }
    }

    /// Asks for a document (automerge-repo's `request`).
    pub async fn request(&mut self, id: DocumentId) -> Result<()> {
        use automerge::sync::SyncDoc;
        let m = self
            .doc
            .generate_sync_message(&mut self.state)
            .context("nothing to ask")?;
        let frame = linli_shared::wire::Message::Request {
            sender_id: self.peer_id.clone(),
            target_id: self.relay.clone(),
            document_id: id,
            data: m.encode(),
        };
        self.ws
            .send(WsMessage::Binary(frame.encode().into()))
            .await?;
        Ok(())
    }

    /// Reads one frame; applies a sync message and answers it. `false` when the socket is gone.
    pub async fn recv_one(&mut self) -> Result<bool> {
        use automerge::sync::SyncDoc;
        use linli_shared::wire::Message;
        let b = match self.ws.next().await {
            Some(Ok(WsMessage::Binary(b))) => b,
            Some(Ok(WsMessage::Close(_))) | None => return Ok(false),
            Some(Ok(_)) => return Ok(true),
            Some(Err(e)) => return Err(e.into()),
        };
        self.frames_in += 1;
        self.bytes_in += b.len() as u64;
        match Message::decode(&b) {
            Ok(Message::Sync {
                document_id, data, ..
            }) => {
                let m = automerge::sync::Message::decode(&data)?;
                self.doc.receive_sync_message(&mut self.state, m)?;
                if let Some(reply) = self.doc.generate_sync_message(&mut self.state) {
                    let frame = Message::Sync {
                        sender_id: self.peer_id.clone(),
                        target_id: self.relay.clone(),
                        document_id,
                        data: reply.encode(),
                    };
                    self.ws
                        .send(WsMessage::Binary(frame.encode().into()))
                        .await?;
                }
            }
            Ok(Message::DocUnavailable { .. }) => bail!("document unavailable"),
            _ => {}
        }
        Ok(true)
    }
}
