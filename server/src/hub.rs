//! The relay's runtime: one thread owns the sans-IO [`Relay`] and the store.
//!
//! Connections and HTTP handlers send it messages. It takes everything waiting (up to a batch),
//! handles it, commits the store once (fsync), and only then delivers the outputs and answers.
//! That is group commit: one fsync covers every change in the batch, and no reply ever
//! reflects a change that is not on disk.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use linli_shared::domain::Summary;
use linli_shared::ids::DocumentId;
use linli_shared::policy::Principal;
use linli_shared::relay::{ConnId, Input, Output, Relay};
use linli_shared::store::Store;
use linli_shared::time::Millis;
use tokio::sync::{mpsc, oneshot};

use crate::store::AnyStore;

/// What a connection task receives from the hub.
#[derive(Debug)]
pub enum Outgoing {
    Frame(Vec<u8>),
    Close(u16, String),
}

/// A connection's place under the relay-wide cap ([`Hub::try_reserve`]).
pub struct Reservation(Arc<AtomicUsize>);

impl Drop for Reservation {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How much waits in a connection's outgoing queue, against its bounds.
struct Gauge {
    bytes: AtomicUsize,
    frames: AtomicUsize,
    max_bytes: usize,
    max_frames: usize,
    overflowed: AtomicBool,
}

/// The hub's end of a connection's outgoing queue: bounded in bytes and frames. A frame that
/// would go beyond is not queued; the connection is told to close instead
/// ([`crate::ws::close::TOO_SLOW`]), and the rest of its frames are dropped.
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<Outgoing>,
    gauge: Arc<Gauge>,
}

/// The connection's end of its outgoing queue.
pub struct Inbox {
    rx: mpsc::UnboundedReceiver<Outgoing>,
    gauge: Arc<Gauge>,
}

/// A connection's outgoing queue, holding at most `max_bytes` in at most `max_frames` frames.
pub fn outbox(max_bytes: usize, max_frames: usize) -> (Outbox, Inbox) {
    let (tx, rx) = mpsc::unbounded_channel();
    let gauge = Arc::new(Gauge {
        bytes: AtomicUsize::new(0),
        frames: AtomicUsize::new(0),
        max_bytes,
        max_frames,
        overflowed: AtomicBool::new(false),
    });
    (
        Outbox {
            tx,
            gauge: gauge.clone(),
        },
        Inbox { rx, gauge },
    )
}

impl Outbox {
    /// Queues a frame; `false` if the queue is full (the connection is then closing).
    pub fn send_frame(&self, frame: Vec<u8>) -> bool {
        let g = &self.gauge;
        if g.overflowed.load(Ordering::Acquire) {
            return false;
        }
        let len = frame.len();
        let frames = g.frames.fetch_add(1, Ordering::AcqRel) + 1;
        let bytes = g.bytes.fetch_add(len, Ordering::AcqRel) + len;
        if frames > g.max_frames || bytes > g.max_bytes {
            g.frames.fetch_sub(1, Ordering::AcqRel);
            g.bytes.fetch_sub(len, Ordering::AcqRel);
            g.overflowed.store(true, Ordering::Release);
            let _ = self.tx.send(Outgoing::Close(
                crate::ws::close::TOO_SLOW,
                "too slow: the relay's queue for this connection is full".into(),
            ));
            return false;
        }
        let _ = self.tx.send(Outgoing::Frame(frame));
        true
    }

    pub fn close(&self, code: u16, reason: String) {
        let _ = self.tx.send(Outgoing::Close(code, reason));
    }

    /// Frames and bytes waiting.
    pub fn queued(&self) -> (usize, usize) {
        (
            self.gauge.frames.load(Ordering::Acquire),
            self.gauge.bytes.load(Ordering::Acquire),
        )
    }
}

impl Inbox {
    /// The next thing to send (`None` when the hub let go of the connection).
    pub async fn recv(&mut self) -> Option<Outgoing> {
        let out = self.rx.recv().await;
        if let Some(Outgoing::Frame(f)) = &out {
            self.gauge.frames.fetch_sub(1, Ordering::AcqRel);
            self.gauge.bytes.fetch_sub(f.len(), Ordering::AcqRel);
        }
        out
    }

    /// Whether the queue overflowed: the connection must close without sending the rest.
    pub fn overflowed(&self) -> bool {
        self.gauge.overflowed.load(Ordering::Acquire)
    }
}

type AfterCommit = Box<dyn FnOnce() + Send>;
type Call = Box<dyn FnOnce(&mut HubCtx<'_>) -> AfterCommit + Send>;

enum HubMsg {
    Open {
        conn: ConnId,
        device: String,
        principal: Box<Principal>,
        tx: Outbox,
    },
    Frame {
        conn: ConnId,
        bytes: Vec<u8>,
        /// The socket's budget this frame holds until it is handled and committed.
        held: Unhandled,
    },
    Closed {
        conn: ConnId,
    },
    Call(Call),
}

/// What a call running on the hub thread may touch.
pub struct HubCtx<'a> {
    pub relay: &'a mut Relay,
    pub store: &'a mut AnyStore,
    pub now: Millis,
    outs: &'a mut Vec<Output>,
    devices: &'a HashMap<ConnId, String>,
}

impl HubCtx<'_> {
    /// Queues outputs (e.g. from [`Relay::local_change`]) for delivery after the commit.
    pub fn emit(&mut self, outs: Vec<Output>) {
        self.outs.extend(outs);
    }

    /// Every document the relay holds, read into the summary a device keeps of it: the whole
    /// community as a staff phone holds it (for the benchmarks and the tests of the demo's
    /// indicators), read without entering the relay's cache of loaded documents.
    pub fn summaries(&self) -> Vec<(DocumentId, Summary)> {
        let ids: Vec<DocumentId> = self.relay.documents().map(|(id, _)| *id).collect();
        ids.into_iter()
            .filter_map(|id| {
                let doc = self.relay.read_document(self.store, &id).ok().flatten()?;
                Some((id, Summary::of(&doc)))
            })
            .collect()
    }

    /// Closes every open connection of a device, with a code and a reason it can show.
    pub fn close_device(&mut self, device: &str, code: u16, reason: &str) {
        for (conn, d) in self.devices {
            if d == device {
                self.outs.push(Output::Close {
                    conn: *conn,
                    code,
                    reason: reason.into(),
                });
            }
        }
    }

    /// Connections currently open for a device.
    pub fn connections_of_device(&self, device: &str) -> Vec<ConnId> {
        self.devices
            .iter()
            .filter(|(_, d)| d.as_str() == device)
            .map(|(c, _)| *c)
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the relay's hub has stopped")]
pub struct HubGone;

/// A handle to the hub thread; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    tx: mpsc::UnboundedSender<HubMsg>,
    connections: Arc<AtomicUsize>,
    /// Set by the store while it waits for PostgreSQL ([`AnyStore::away`]).
    store_away: Option<Arc<AtomicU64>>,
}

pub fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// Most inputs handled between two commits.
const MAX_BATCH: usize = 512;

impl Hub {
    /// Starts the hub thread over an opened relay and store.
    pub fn start(mut relay: Relay, mut store: AnyStore) -> Hub {
        let (tx, mut rx) = mpsc::unbounded_channel::<HubMsg>();
        let connections = Arc::new(AtomicUsize::new(0));
        let store_away = store.away();
        std::thread::Builder::new()
            .name("linli-hub".into())
            .spawn(move || {
                let mut senders: HashMap<ConnId, Outbox> = HashMap::new();
                let mut devices: HashMap<ConnId, String> = HashMap::new();
                while let Some(first) = rx.blocking_recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(m) => batch.push(m),
                            Err(_) => break,
                        }
                    }
                    let now = now_ms();
                    let mut outs: Vec<Output> = Vec::new();
                    let mut after: Vec<AfterCommit> = Vec::new();
                    // Given back to the sockets once the batch is committed and answered.
                    let mut handled: Vec<Unhandled> = Vec::new();
                    for msg in batch {
                        let input = match msg {
                            HubMsg::Open {
                                conn,
                                device,
                                principal,
                                tx,
                            } => {
                                senders.insert(conn, tx);
                                devices.insert(conn, device);
                                Input::Opened {
                                    conn,
                                    principal: *principal,
                                }
                            }
                            HubMsg::Frame { conn, bytes, held } => {
                                handled.push(held);
                                Input::Frame { conn, bytes }
                            }
                            HubMsg::Closed { conn } => {
                                senders.remove(&conn);
                                devices.remove(&conn);
                                Input::Closed { conn }
                            }
                            HubMsg::Call(call) => {
                                relay.set_now(now);
                                let mut ctx = HubCtx {
                                    relay: &mut relay,
                                    store: &mut store,
                                    now,
                                    outs: &mut outs,
                                    devices: &devices,
                                };
                                after.push(call(&mut ctx));
                                continue;
                            }
                        };
                        match relay.handle(&mut store, now, input) {
                            Ok(o) => outs.extend(o),
                            Err(e) => {
                                // A storage failure: acknowledge nothing, stop serving.
                                tracing::error!("relay failed: {e}; stopping");
                                std::process::exit(70);
                            }
                        }
                    }
                    if let Err(e) = store.commit() {
                        tracing::error!("commit failed: {e}; stopping");
                        std::process::exit(70);
                    }
                    for o in outs {
                        match o {
                            Output::Send { conn, frame } => {
                                if let Some(tx) = senders.get(&conn) {
                                    tx.send_frame(frame);
                                }
                            }
                            Output::Close { conn, code, reason } => {
                                if let Some(tx) = senders.get(&conn) {
                                    tx.close(code, reason);
                                }
                            }
                        }
                    }
                    for f in after {
                        f();
                    }
                    drop(handled);
                }
            })
            .expect("spawn the hub thread");
        Hub {
            tx,
            connections,
            store_away,
        }
    }

    /// Runs `f` on the hub thread; its result comes back after the batch is committed.
    pub async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut HubCtx<'_>) -> R + Send + 'static,
    ) -> Result<R, HubGone> {
        let (tx, rx) = oneshot::channel();
        let call: Call = Box::new(move |ctx| {
            let r = f(ctx);
            Box::new(move || {
                let _ = tx.send(r);
            })
        });
        self.tx.send(HubMsg::Call(call)).map_err(|_| HubGone)?;
        rx.await.map_err(|_| HubGone)
    }

    /// Counts a connection in if there is room under `max`; `None` means refuse it. The
    /// place is given back when the reservation is dropped, also when the upgrade never
    /// completes (the client went away after the 101).
    pub fn try_reserve(&self, max: usize) -> Option<Reservation> {
        self.connections
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Reservation(self.connections.clone()))
    }

    /// Registers a connection reserved with [`Hub::try_reserve`].
    pub fn open(&self, conn: ConnId, device: String, principal: Principal, tx: Outbox) {
        let _ = self.tx.send(HubMsg::Open {
            conn,
            device,
            principal: Box::new(principal),
            tx,
        });
    }

    /// Hands a frame to the hub, with the part of its socket's budget it holds
    /// ([`Budget::take`]) until the hub has handled it and committed.
    pub fn frame(&self, conn: ConnId, bytes: Vec<u8>, held: Unhandled) {
        let _ = self.tx.send(HubMsg::Frame { conn, bytes, held });
    }

    /// The connection ended: its place is given back and the relay forgets it.
    pub fn closed(&self, conn: ConnId, reservation: Reservation) {
        drop(reservation);
        let _ = self.tx.send(HubMsg::Closed { conn });
    }

    /// Since when the store has been unreachable (PostgreSQL away), if it is: the hub is
    /// then waiting for it and answers nothing.
    pub fn store_away_since(&self) -> Option<Millis> {
        let since = self.store_away.as_ref()?.load(Ordering::Acquire);
        (since != 0).then_some(since as Millis)
    }

    /// Open WebSocket connections right now.
    pub fn connection_count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// What one socket may have sent that the hub has not yet handled and committed, in bytes.
/// The socket layer takes a frame's share before handing it over, and waits (stops reading)
/// while the budget is spent: the hub's queue is otherwise unbounded, and while the store
/// waits for PostgreSQL it would hold everything every phone sends.
pub struct Budget {
    bytes: Arc<tokio::sync::Semaphore>,
    max: u32,
}

/// A frame's share of its socket's [`Budget`], given back when dropped.
pub struct Unhandled {
    _bytes: tokio::sync::OwnedSemaphorePermit,
}

impl Budget {
    pub fn new(max: usize) -> Budget {
        let max = u32::try_from(max.max(1)).unwrap_or(u32::MAX);
        Budget {
            bytes: Arc::new(tokio::sync::Semaphore::new(max as usize)),
            max,
        }
    }

    /// Waits until `len` bytes are free (a frame larger than the whole budget waits for all
    /// of it), and takes them.
    pub async fn take(&self, len: usize) -> Unhandled {
        let n = u32::try_from(len).unwrap_or(u32::MAX).clamp(1, self.max);
        let permit = self
            .bytes
            .clone()
            .acquire_many_owned(n)
            .await
            .expect("a budget's semaphore is never closed");
        Unhandled { _bytes: permit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_socket_waits_once_its_unhandled_bytes_reach_the_budget_and_goes_on_as_they_are_handled()
     {
        let budget = Budget::new(100);
        let a = budget.take(60).await;
        let _b = budget.take(40).await;
        let waits = tokio::time::timeout(std::time::Duration::from_millis(50), budget.take(1));
        assert!(waits.await.is_err(), "the budget is spent");
        drop(a);
        let _c = budget.take(60).await;
        // A frame larger than the budget waits for all of it, never for ever.
        let big = Budget::new(10);
        let _d = big.take(1 << 20).await;
    }

    #[tokio::test]
    async fn an_outbox_holds_no_more_than_its_bounds_and_then_asks_to_close() {
        let (out, mut inbox) = outbox(100, 3);
        assert!(out.send_frame(vec![0; 40]));
        assert!(out.send_frame(vec![0; 40]));
        assert!(!out.send_frame(vec![0; 40]), "141 bytes > 100");
        assert!(inbox.overflowed());
        assert!(!out.send_frame(vec![0; 1]), "nothing more once full");
        assert_eq!(out.queued(), (2, 80));
        assert!(matches!(inbox.recv().await, Some(Outgoing::Frame(_))));
        assert_eq!(out.queued(), (1, 40));
        assert!(matches!(inbox.recv().await, Some(Outgoing::Frame(_))));
        assert!(matches!(
            inbox.recv().await,
            Some(Outgoing::Close(crate::ws::close::TOO_SLOW, _))
        ));
        let (out, _inbox) = outbox(1 << 20, 2);
        assert!(out.send_frame(vec![1]) && out.send_frame(vec![2]));
        assert!(!out.send_frame(vec![3]), "three frames > 2");
    }
}
