//! A test relay on a free loopback port with a fresh data directory and the demo community,
//! and test devices that enrol with real keys and sync through the real socket using the same
//! sans-IO client core as the app.
#![allow(dead_code, unreachable_pub, async_fn_in_trait)]

pub mod pg;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use futures_util::{SinkExt, StreamExt};
use linli_server::config::Config;
/// The relay's clock, for times written in tests (the relay bounds them by it).
#[allow(unused_imports)] // not every test file writes times
pub use linli_server::hub::now_ms;
use linli_server::{AppState, Started};
use linli_shared::automerge::{ActorId, Automerge};
use linli_shared::client::{Client, Effect, Input};
use linli_shared::domain::ModelError;
use linli_shared::ids::{DocumentId, unhex};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tower::ServiceExt;

pub const WANG: &str = "WANGXY72";
pub const ZHAO: &str = "ZHAXS3R5";
pub const CHEN: &str = "CHENXY25";
pub const LI: &str = "GRDWRK78";
pub const ZHANG: &str = "STAFFZH2";

pub struct TestRelay {
    pub addr: SocketAddr,
    pub state: AppState,
    pub bootstrap: Option<String>,
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// What a test device needs of a relay: its HTTP API and its sync URL.
pub trait Api {
    async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value);
    fn ws_url(&self, token: &str) -> String;
}

impl Api for TestRelay {
    async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        TestRelay::api(self, method, path, body, token).await
    }
    fn ws_url(&self, token: &str) -> String {
        TestRelay::ws_url(self, token)
    }
}

/// The relay as a separate process (the built binary), for crash tests.
pub struct ProcessRelay {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl ProcessRelay {
    /// Starts `linli-server` on a free port (or `port`) over `data`; waits for its address.
    pub fn start(data: &std::path::Path, port: u16) -> ProcessRelay {
        Self::start_with_args(data, port, &[])
    }

    /// Like [`ProcessRelay::start`], with more flags.
    pub fn start_with_args(data: &std::path::Path, port: u16, extra: &[&str]) -> ProcessRelay {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_linli-server"))
            .args([
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--dist",
                "",
                "--demo",
                "--data",
            ])
            .arg(data)
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let mut lines = BufReader::new(out).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("the relay printed its address")
                .unwrap();
            if let Some(rest) = line.split("open http://").nth(1) {
                break rest.trim_end_matches('/').parse().unwrap();
            }
        };
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        ProcessRelay { child, addr }
    }

    /// `kill -9`.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ProcessRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Api for ProcessRelay {
    async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let auth = token
            .map(|t| format!("authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let mut s = TcpStream::connect(self.addr).await.unwrap();
        s.write_all(req.as_bytes()).await.unwrap();
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).await.unwrap();
        let text = String::from_utf8_lossy(&resp);
        let status: u16 = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
        (
            StatusCode::from_u16(status).unwrap(),
            serde_json::from_str(body).unwrap_or(Value::Null),
        )
    }
    fn ws_url(&self, token: &str) -> String {
        format!("ws://{}/sync?token={token}", self.addr)
    }
}

/// The demo community seeded once per test binary: a data directory a relay seeded and then
/// closed (the store is flushed and unlocked), with the bootstrap invite it printed.
struct DemoTemplate {
    dir: std::path::PathBuf,
    bootstrap: Option<String>,
    _keep: tempfile::TempDir,
}

fn demo_template() -> &'static DemoTemplate {
    static TEMPLATE: std::sync::OnceLock<DemoTemplate> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        // Seeded on a thread with its own runtime: tests run on many runtimes, and the first
        // to ask waits here while the others wait on the lock.
        std::thread::spawn(|| {
            let keep = tempfile::tempdir().unwrap();
            let dir = keep.path().to_path_buf();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let bootstrap = rt.block_on(async {
                let started = linli_server::start(Config {
                    data: dir.clone(),
                    dist: None,
                    demo: true,
                    ..Config::default()
                })
                .await
                .unwrap();
                started.bootstrap_code
                // `started` (the only handle to the hub) drops here: the hub thread ends
                // and closes the store.
            });
            drop(rt);
            // The store is closed once it can be opened again (redb locks an open file).
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            loop {
                match linli_server::store::RedbStore::open(&dir) {
                    Ok(store) => {
                        drop(store);
                        break;
                    }
                    Err(e) if std::time::Instant::now() > deadline => {
                        panic!("the demo template's store stayed open: {e}")
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            DemoTemplate {
                dir,
                bootstrap,
                _keep: keep,
            }
        })
        .join()
        .expect("seeding the demo template")
    })
}

/// Copies the template's store into a test's data directory (not its token key: each relay
/// makes its own, as before).
fn copy_store(from: &std::path::Path, to: &std::path::Path) {
    std::fs::copy(from.join("linli.redb"), to.join("linli.redb")).unwrap();
}

impl TestRelay {
    pub async fn start() -> TestRelay {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tune: impl FnOnce(&mut Config)) -> TestRelay {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            data: dir.path().to_path_buf(),
            dist: None,
            demo: true,
            ..Config::default()
        };
        tune(&mut config);
        // The demo as every test starts from: copied from this binary's one seeded store,
        // unless the test changed what seeding reads (then it seeds its own).
        let template = (config.demo && config.demo_scale.is_none() && config.data == dir.path())
            .then(|| {
                let t = demo_template();
                copy_store(&t.dir, dir.path());
                t.bootstrap.clone()
            });
        let Started {
            state,
            bootstrap_code,
            ..
        } = linli_server::start(config).await.unwrap();
        let bootstrap_code = template.unwrap_or(bootstrap_code);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        tokio::spawn(async move {
            let _ = linli_server::serve(listener, st, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestRelay {
            addr,
            state,
            bootstrap: bootstrap_code,
            dir,
            stop: Some(stop),
        }
    }

    /// An API call through the router (same hub and store as the socket).
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = req
            .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
            .unwrap();
        let resp = linli_server::router(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// A call with raw bytes (a photo), returning the status and the bytes answered.
    #[allow(dead_code)] // not every test file sends photos
    pub async fn bytes(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        token: &str,
    ) -> (StatusCode, Vec<u8>) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))))
            .body(Body::from(body))
            .unwrap();
        let resp = linli_server::router(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, bytes.to_vec())
    }

    pub fn ws_url(&self, token: &str) -> String {
        format!("ws://{}/sync?token={token}", self.addr)
    }

    /// An API call through the router as if from `from`, with extra headers.
    pub async fn api_from(
        &self,
        from: SocketAddr,
        method: &str,
        path: &str,
        body: Value,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .extension(ConnectInfo(from));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = linli_server::router(self.state.clone())
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Runs `f` on the hub thread (e.g. to look at the relay's copy of a document).
    pub async fn on_hub<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut linli_server::hub::HubCtx<'_>) -> R + Send + 'static,
    ) -> R {
        self.state.hub.call(f).await.unwrap()
    }

    pub async fn relay_doc(&self, id: DocumentId) -> Option<Automerge> {
        self.on_hub(move |ctx| ctx.relay.document(ctx.store, &id).unwrap())
            .await
    }

    pub async fn audit(&self) -> Vec<linli_shared::relay::AuditEntry> {
        self.on_hub(|ctx| linli_shared::relay::Relay::audit_log(ctx.store).unwrap())
            .await
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub struct TestDevice {
    pub key: SigningKey,
    pub session: Value,
}

impl TestDevice {
    pub fn device(&self) -> String {
        self.session["device"].as_str().unwrap().to_string()
    }

    pub fn person(&self) -> String {
        self.session["person"].as_str().unwrap().to_string()
    }

    pub fn person_doc(&self) -> Option<DocumentId> {
        self.session["person_doc"]
            .as_str()
            .and_then(|d| DocumentId::parse(d).ok())
    }

    /// The actor id the app would use: the device's 12-byte id and a generation.
    pub fn actor(&self, generation: u32) -> ActorId {
        let mut b = unhex(&self.device()).unwrap();
        b.extend_from_slice(&generation.to_be_bytes());
        ActorId::from(b)
    }

    pub async fn token(&self, relay: &impl Api) -> Result<String, (StatusCode, Value)> {
        let (s, c) = relay
            .api(
                "POST",
                "/api/auth/challenge",
                Some(json!({ "device": self.device() })),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        let challenge = c["challenge"].as_str().unwrap().to_string();
        let mut msg = b"linli-auth-v1:".to_vec();
        msg.extend(B64.decode(&challenge).unwrap());
        let sig: Signature = self.key.sign(&msg);
        let (s, t) = relay
            .api(
                "POST",
                "/api/auth/token",
                Some(json!({ "device": self.device(), "challenge": challenge, "signature": B64.encode(sig.to_bytes()) })),
                None,
            )
            .await;
        if s == StatusCode::OK {
            Ok(t["token"].as_str().unwrap().to_string())
        } else {
            Err((s, t))
        }
    }

    /// Connects with the device's own actor id.
    pub async fn connect(&self, relay: &impl Api) -> Conn {
        self.connect_as(relay, self.actor(0)).await
    }

    /// Connects writing under any actor id (to forge one).
    pub async fn connect_as(&self, relay: &impl Api, actor: ActorId) -> Conn {
        let storage = format!("store-{}", self.device());
        self.connect_with(relay, actor, &storage).await
    }

    /// Connects naming any storage id in its join (another device's, say).
    #[allow(dead_code)] // not every test file names storage ids
    pub async fn connect_naming_storage(&self, relay: &impl Api, storage: &str) -> Conn {
        self.connect_with(relay, self.actor(0), storage).await
    }

    async fn connect_with(&self, relay: &impl Api, actor: ActorId, storage: &str) -> Conn {
        let token = self.token(relay).await.unwrap();
        let (ws, _) = tokio_tungstenite::connect_async(relay.ws_url(&token))
            .await
            .unwrap();
        let mut conn = Conn::joined_as(ws, self, actor, storage).await;
        conn.pump_until(|c| c.core.is_online() || c.closed.is_some(), 10)
            .await;
        conn
    }
}

fn random_key() -> SigningKey {
    loop {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).unwrap();
        if let Ok(k) = SigningKey::from_slice(&b) {
            return k;
        }
    }
}

/// Enrols a new device with an invite code.
pub async fn try_enrol(relay: &impl Api, code: &str) -> Result<TestDevice, (StatusCode, Value)> {
    let key = random_key();
    let public = key.verifying_key().to_encoded_point(false);
    let (s, session) = relay
        .api(
            "POST",
            "/api/enrol",
            Some(json!({ "code": code, "public_key": B64.encode(public.as_bytes()), "label": "test" })),
            None,
        )
        .await;
    if s == StatusCode::OK {
        Ok(TestDevice { key, session })
    } else {
        Err((s, session))
    }
}

pub async fn enrol(relay: &impl Api, code: &str) -> TestDevice {
    try_enrol(relay, code).await.unwrap()
}

pub struct Conn {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub core: Client,
    pub closed: Option<(u16, String)>,
    pub rejected: Vec<(DocumentId, String)>,
    pub forgotten: Vec<DocumentId>,
    pub unavailable: Vec<DocumentId>,
}

impl Conn {
    /// Wraps an open socket in a client core and sends `join` (without waiting for `peer`).
    pub async fn joined(ws: WebSocketStream<MaybeTlsStream<TcpStream>>, dev: &TestDevice) -> Conn {
        let storage = format!("store-{}", dev.device());
        Conn::joined_as(ws, dev, dev.actor(0), &storage).await
    }

    async fn joined_as(
        ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
        dev: &TestDevice,
        actor: ActorId,
        storage: &str,
    ) -> Conn {
        let mut conn = Conn {
            ws,
            core: Client::new(
                format!("test-{}", &dev.device()[..6]),
                storage.to_string(),
                actor,
            ),
            closed: None,
            rejected: Vec::new(),
            forgotten: Vec::new(),
            unavailable: Vec::new(),
        };
        let fx = conn.core.handle(0, Input::Connected);
        conn.perform(fx).await;
        conn
    }

    pub async fn perform(&mut self, fx: Vec<Effect>) {
        let mut queue = fx;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for e in queue {
                match e {
                    Effect::Send(bytes) => {
                        let _ = self.ws.send(WsMessage::Binary(bytes.into())).await;
                    }
                    // No disk: a save lands at once.
                    Effect::Save { id, heads, .. } => {
                        next.extend(self.core.handle(0, Input::Saved { id, heads }));
                    }
                    Effect::Rejected { id, code, .. } => self.rejected.push((id, code)),
                    Effect::Delete { id, reason } if reason != "refused" => self.forgotten.push(id),
                    _ => {}
                }
            }
            queue = next;
        }
    }

    /// Applies an edit and sends it.
    pub async fn change(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
    ) {
        let fx = self.core.change(id, edit).unwrap();
        self.perform(fx).await;
    }

    /// Applies an edit, sends it and waits until the relay has confirmed it.
    #[allow(dead_code)] // used by the module files of the protocol tests
    pub async fn change_confirmed(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
    ) {
        self.change(id, edit).await;
        assert!(
            self.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await,
            "relay confirmed; rejected {:?}",
            self.rejected
        );
    }

    /// Applies an edit, sends it and returns the code of the relay's first refusal.
    #[allow(dead_code)] // used by the module files of the protocol tests
    pub async fn change_refused(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
    ) -> String {
        self.change(id, edit).await;
        assert!(
            self.pump_until(|c| !c.rejected.is_empty(), 10).await,
            "refused"
        );
        self.rejected[0].1.clone()
    }

    /// Sends raw bytes as one binary frame.
    pub async fn send_raw(&mut self, bytes: Vec<u8>) {
        let _ = self.ws.send(WsMessage::Binary(bytes.into())).await;
    }

    /// Feeds frames to the core until `done` holds, the socket closes, or `secs` pass.
    pub async fn pump_until(&mut self, mut done: impl FnMut(&Conn) -> bool, secs: u64) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if done(self) {
                return true;
            }
            if self.closed.is_some() {
                return done(self);
            }
            let msg = match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return done(self),
                Ok(None) | Ok(Some(Err(_))) => {
                    self.closed.get_or_insert((1006, "gone".into()));
                    continue;
                }
                Ok(Some(Ok(m))) => m,
            };
            match msg {
                WsMessage::Binary(b) => {
                    if let Ok(linli_shared::wire::Message::DocUnavailable { document_id, .. }) =
                        linli_shared::wire::Message::decode(&b)
                    {
                        self.unavailable.push(document_id);
                    }
                    let fx = self.core.handle(0, Input::Frame(b.to_vec()));
                    self.perform(fx).await;
                }
                WsMessage::Close(frame) => {
                    self.closed = Some(
                        frame
                            .map(|f| (u16::from(f.code), f.reason.to_string()))
                            .unwrap_or((1005, String::new())),
                    );
                }
                _ => {}
            }
        }
    }

    /// Pumps until nothing arrives for a moment (the exchange has settled).
    pub async fn settle(&mut self) {
        loop {
            match tokio::time::timeout(Duration::from_millis(300), self.ws.next()).await {
                Err(_) => return,
                Ok(None) | Ok(Some(Err(_))) => {
                    self.closed.get_or_insert((1006, "gone".into()));
                    return;
                }
                Ok(Some(Ok(WsMessage::Binary(b)))) => {
                    if let Ok(linli_shared::wire::Message::DocUnavailable { document_id, .. }) =
                        linli_shared::wire::Message::decode(&b)
                    {
                        self.unavailable.push(document_id);
                    }
                    let fx = self.core.handle(0, Input::Frame(b.to_vec()));
                    self.perform(fx).await;
                }
                Ok(Some(Ok(WsMessage::Close(frame)))) => {
                    self.closed = Some(
                        frame
                            .map(|f| (u16::from(f.code), f.reason.to_string()))
                            .unwrap_or((1005, String::new())),
                    );
                    return;
                }
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// Waits for the relay to close the socket; returns the close code and reason.
    pub async fn closed_with(&mut self, secs: u64) -> (u16, String) {
        self.pump_until(|c| c.closed.is_some(), secs).await;
        self.closed.clone().unwrap_or((0, "still open".into()))
    }

    pub fn holds(&self, id: &DocumentId) -> bool {
        self.core.doc(id).is_some()
    }
}

/// Opens a raw WebSocket (no protocol), optionally with an Origin header.
pub async fn raw_socket(
    relay: &TestRelay,
    token: &str,
    origin: Option<&str>,
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, tokio_tungstenite::tungstenite::Error> {
    let mut req = relay.ws_url(token).into_client_request().unwrap();
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req)
        .await
        .map(|(ws, _)| ws)
}

/// The first request document in the relay whose title, household or grid matches.
pub async fn find_request(
    relay: &TestRelay,
    pred: impl Fn(&linli_shared::domain::requests::Request) -> bool + Send + 'static,
) -> Option<DocumentId> {
    relay
        .on_hub(move |ctx| {
            let ids: Vec<DocumentId> = ctx.relay.documents().map(|(id, _)| *id).collect();
            ids.into_iter().find(|id| {
                ctx.relay
                    .document(ctx.store, id)
                    .ok()
                    .flatten()
                    .and_then(|d| linli_shared::domain::requests::Request::read(&d).ok())
                    .is_some_and(|r| pred(&r))
            })
        })
        .await
}
