//! Replicas on a simulated network converge to the relay, and nothing acknowledged is lost.
//!
//! N devices (the sans-IO [`Client`]) and one relay (the sans-IO [`Relay`] over a
//! [`MemStore`]) run under a random schedule: edits, saves that land late, frames delivered in
//! random interleavings, connections dropped with frames in flight, duplicated and reordered
//! delivery across reconnects, relay crashes that lose uncommitted writes, and device crashes
//! that lose unsaved edits. Then the network heals and everything must agree.
//!
//! `LINLI_PROPTEST_CASES` sets the number of schedules (default 500; the long mode runs 20,000).

use std::collections::{BTreeSet, HashMap, VecDeque};

use linli_shared::automerge::{ActorId, Automerge, ChangeHash};
use linli_shared::client::{Client, Effect, Input as CInput};
use linli_shared::domain::requests::{Colour, EventKind, Filing, RequestDraft, Status};
use linli_shared::ids::DocumentId;
use linli_shared::policy::{Principal, Role};
use linli_shared::relay::{ConnId, Input as RInput, Output, Relay, RelayConfig};
use linli_shared::store::{MemStore, Store};
use proptest::prelude::*;

/// SplitMix64: a tiny deterministic generator so a failing seed replays exactly.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn bytes16(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        b
    }
}

type Stored = HashMap<DocumentId, (Vec<u8>, Option<(String, Vec<u8>)>)>;

struct Device {
    name: String,
    principal: Principal,
    storage_id: String,
    core: Client,
    /// What IndexedDB holds (durable).
    storage: Stored,
    /// Saves issued but not yet committed.
    pending_saves: VecDeque<Effect>,
    conn: Option<ConnId>,
    up: VecDeque<Vec<u8>>,
    down: VecDeque<Vec<u8>>,
    /// Every change this device saw durably saved: it must survive, unless refused.
    saved_changes: BTreeSet<ChangeHash>,
    /// Changes the relay refused (the device dropped them, telling the person).
    refused: BTreeSet<ChangeHash>,
    session: u64,
}

struct Sim {
    rng: Rng,
    now: i64,
    store: MemStore,
    relay: Relay,
    inbox: VecDeque<RInput>,
    devices: Vec<Device>,
    next_conn: ConnId,
    /// Changes the relay has committed (acknowledged): all must survive.
    committed_changes: BTreeSet<ChangeHash>,
    dup_and_reorder: bool,
}

fn principal(i: usize) -> Principal {
    // Device 0 is staff, 1 a grid worker of g1, the rest residents of two households.
    let (role, household, grids) = match i {
        0 => (Role::Staff, None, vec![]),
        1 => (Role::GridWorker, None, vec!["g1".to_string()]),
        n => (Role::Resident, Some(format!("h{}", n % 2)), vec![]),
    };
    Principal {
        person: format!("p{i}"),
        role,
        household,
        grids,
        consents: vec![],
        home_grid: None,
        name: None,
        team_grids: Vec::new(),
        party: None,
        actor_prefix: vec![i as u8 + 1],
    }
}

impl Sim {
    fn new(seed: u64, devices: usize, dup_and_reorder: bool) -> Self {
        let mut rng = Rng(seed);
        let mut store = MemStore::new();
        let relay = Relay::open(
            &mut store,
            RelayConfig {
                compact_after_chunks: 4,
                // Offers go out two at a time (256 by default), so that schedules cover a
                // join's offers waiting for answers.
                offer_window: 2,
                ..RelayConfig::default()
            },
            rng.bytes16(),
        )
        .unwrap();
        let devices = (0..devices)
            .map(|i| {
                let storage_id = format!("dev{i}");
                Device {
                    name: format!("d{i}"),
                    principal: principal(i),
                    core: Client::new(
                        format!("d{i}-s0"),
                        storage_id.clone(),
                        ActorId::from(vec![i as u8 + 1, 0]),
                    ),
                    storage_id,
                    storage: HashMap::new(),
                    pending_saves: VecDeque::new(),
                    conn: None,
                    up: VecDeque::new(),
                    down: VecDeque::new(),
                    saved_changes: BTreeSet::new(),
                    refused: BTreeSet::new(),
                    session: 0,
                }
            })
            .collect();
        Sim {
            rng,
            now: 1_700_000_000_000,
            store,
            relay,
            inbox: VecDeque::new(),
            devices,
            next_conn: 1,
            committed_changes: BTreeSet::new(),
            dup_and_reorder,
        }
    }

    fn apply_effects(&mut self, d: usize, fx: Vec<Effect>) {
        for e in fx {
            match e {
                Effect::Send(frame) if self.devices[d].conn.is_some() => {
                    self.devices[d].up.push_back(frame);
                }
                // IndexedDB runs a device's transactions in the order they were made.
                Effect::Save { .. } | Effect::Delete { .. } => {
                    self.devices[d].pending_saves.push_back(e)
                }
                Effect::Rejected { dropped, .. } => {
                    self.devices[d].refused.extend(dropped);
                }
                _ => {}
            }
        }
    }

    fn edit(&mut self, d: usize) {
        let dev = &self.devices[d];
        let ids: Vec<DocumentId> = dev.core.doc_ids().copied().collect();
        let p = dev.principal.clone();
        let now = self.now;
        let fx = if ids.is_empty() || self.rng.chance(30) {
            let id = DocumentId::from_bytes(self.rng.bytes16());
            let household = p.household.clone().unwrap_or_else(|| "h0".into());
            let draft = RequestDraft {
                title: format!("req {}", self.rng.below(1000)),
                description: "d".into(),
                category: "other".into(),
                colour: Some(Colour::Yellow),
                grid: if self.rng.chance(50) {
                    "g1".into()
                } else {
                    "g2".into()
                },
                photos: Vec::new(),
            };
            // Residents file in their grid; the grid worker files in g1 for h0.
            let draft = if p.role == Role::GridWorker {
                RequestDraft {
                    grid: "g1".into(),
                    ..draft
                }
            } else {
                draft
            };
            let filing = Filing {
                filed_by: p.person.clone(),
                subject: p.person.clone(),
                household,
            };
            self.devices[d].core.change(id, |doc| {
                linli_shared::domain::requests::file_request(doc, &draft, &filing, now)
            })
        } else {
            let id = ids[self.rng.below(ids.len())];
            // Mostly what each role may do; now and then (15%) something it may not, which
            // the relay refuses and the device must recover from.
            let allowed = !self.rng.chance(15);
            let works = matches!(p.role, Role::Staff | Role::GridWorker);
            let kind = if works == allowed {
                EventKind::Status {
                    to: Status::InProgress,
                }
            } else {
                EventKind::Detail {
                    text: format!("detail {}", self.rng.below(100)),
                }
            };
            self.devices[d].core.change(id, |doc| {
                linli_shared::domain::requests::append_event(doc, &p.person, now, kind)
            })
        };
        if let Ok(fx) = fx {
            self.apply_effects(d, fx);
        }
    }

    fn complete_save(&mut self, d: usize) {
        let Some(Effect::Save {
            id,
            doc,
            relay,
            heads,
        }) = self.devices[d].pending_saves.pop_front()
        else {
            return;
        };
        let dev = &mut self.devices[d];
        if let Some(bytes) = doc {
            let loaded = Automerge::load(&bytes).unwrap();
            for c in loaded.get_changes(&[]) {
                dev.saved_changes.insert(c.hash());
            }
            let prev = dev.storage.get(&id).and_then(|(_, r)| r.clone());
            dev.storage.insert(id, (bytes, relay.or(prev)));
        } else if let Some(entry) = dev.storage.get_mut(&id) {
            entry.1 = relay;
        }
        let now = self.now;
        let fx = self.devices[d]
            .core
            .handle(now, CInput::Saved { id, heads });
        self.apply_effects(d, fx);
    }

    fn connect(&mut self, d: usize) {
        if self.devices[d].conn.is_some() {
            return;
        }
        let conn = self.next_conn;
        self.next_conn += 1;
        self.devices[d].conn = Some(conn);
        self.inbox.push_back(RInput::Opened {
            conn,
            principal: self.devices[d].principal.clone(),
        });
        let now = self.now;
        let fx = self.devices[d].core.handle(now, CInput::Connected);
        self.apply_effects(d, fx);
    }

    fn disconnect(&mut self, d: usize) {
        let Some(conn) = self.devices[d].conn.take() else {
            return;
        };
        let dev = &mut self.devices[d];
        // Frames still on the wire: in the reorder mode, some reach the relay late (they
        // were sent on the old connection); the rest are lost.
        let late: Vec<Vec<u8>> = dev.up.drain(..).collect();
        dev.down.clear();
        for f in late {
            if self.dup_and_reorder && self.rng.chance(30) {
                self.inbox.push_back(RInput::Frame { conn, bytes: f });
            }
        }
        self.inbox.push_back(RInput::Closed { conn });
        let now = self.now;
        let fx = self.devices[d].core.handle(now, CInput::Disconnected);
        self.apply_effects(d, fx);
    }

    fn deliver_up(&mut self, d: usize) {
        let Some(conn) = self.devices[d].conn else {
            return;
        };
        if let Some(f) = self.devices[d].up.pop_front() {
            if self.dup_and_reorder && self.rng.chance(5) {
                // A duplicated frame (a proxy retrying): the protocol must shrug it off.
                self.inbox.push_back(RInput::Frame {
                    conn,
                    bytes: f.clone(),
                });
            }
            self.inbox.push_back(RInput::Frame { conn, bytes: f });
        }
    }

    fn deliver_down(&mut self, d: usize) {
        if let Some(f) = self.devices[d].down.pop_front() {
            let now = self.now;
            let fx = self.devices[d].core.handle(now, CInput::Frame(f));
            self.apply_effects(d, fx);
        }
    }

    /// The relay runtime's loop body: handle a batch, commit, then deliver.
    fn relay_batch(&mut self, max: usize) {
        let mut outs = Vec::new();
        for _ in 0..max {
            let Some(input) = self.inbox.pop_front() else {
                break;
            };
            outs.extend(self.relay.handle(&mut self.store, self.now, input).unwrap());
        }
        self.store.commit().unwrap();
        self.record_committed();
        for o in outs {
            match o {
                Output::Send { conn, frame } => {
                    if let Some(d) = self.devices.iter().position(|d| d.conn == Some(conn)) {
                        self.devices[d].down.push_back(frame);
                    }
                }
                Output::Close { conn, .. } => {
                    if let Some(d) = self.devices.iter().position(|d| d.conn == Some(conn)) {
                        // Frames queued before the close still arrive.
                        let pending: Vec<_> = self.devices[d].down.drain(..).collect();
                        for f in pending {
                            let now = self.now;
                            let fx = self.devices[d].core.handle(now, CInput::Frame(f));
                            self.apply_effects(d, fx);
                        }
                        self.disconnect(d);
                    }
                }
            }
        }
    }

    fn record_committed(&mut self) {
        let ids: Vec<DocumentId> = self.relay.documents().map(|(id, _)| *id).collect();
        for id in ids {
            if let Some(doc) = self.relay.document(&self.store, &id).unwrap() {
                for c in doc.get_changes(&[]) {
                    self.committed_changes.insert(c.hash());
                }
            }
        }
    }

    fn crash_relay(&mut self) {
        self.store.crash();
        self.inbox.clear();
        for d in 0..self.devices.len() {
            if let Some(_conn) = self.devices[d].conn.take() {
                self.devices[d].up.clear();
                self.devices[d].down.clear();
                let now = self.now;
                let fx = self.devices[d].core.handle(now, CInput::Disconnected);
                self.apply_effects(d, fx);
            }
        }
        let seed = self.rng.bytes16();
        self.relay = Relay::open(
            &mut self.store,
            RelayConfig {
                compact_after_chunks: 4,
                // Offers go out two at a time (256 by default), so that schedules cover a
                // join's offers waiting for answers.
                offer_window: 2,
                ..RelayConfig::default()
            },
            seed,
        )
        .unwrap();
        // Durability: every change the relay ever committed is in what it reloaded.
        let mut held = BTreeSet::new();
        let ids: Vec<DocumentId> = self.relay.documents().map(|(id, _)| *id).collect();
        for id in ids {
            if let Some(doc) = self.relay.document(&self.store, &id).unwrap() {
                held.extend(doc.get_changes(&[]).iter().map(|c| c.hash()));
            }
        }
        let lost: Vec<_> = self.committed_changes.difference(&held).collect();
        assert!(
            lost.is_empty(),
            "relay lost committed changes across a crash: {lost:?}"
        );
    }

    fn crash_device(&mut self, d: usize) {
        if self.devices[d].conn.is_some() {
            self.disconnect(d);
        }
        let dev = &mut self.devices[d];
        dev.pending_saves.clear();
        dev.session += 1;
        dev.core = Client::new(
            format!("{}-s{}", dev.name, dev.session),
            dev.storage_id.clone(),
            ActorId::from(vec![d as u8 + 1, dev.session as u8]),
        );
        let docs: Vec<_> = dev.storage.iter().map(|(k, v)| (*k, v.clone())).collect();
        for (id, (bytes, relay)) in docs {
            let _ = self.devices[d]
                .core
                .handle(0, CInput::Loaded { id, bytes, relay });
        }
    }

    fn step(&mut self) {
        self.now += 1 + self.rng.below(5_000) as i64;
        let n = self.devices.len();
        let d = self.rng.below(n);
        // Half the time a step moves one item, half the time it flushes a queue, so that
        // schedules both interleave finely and get far enough to matter.
        let burst = if self.rng.chance(50) { 1 } else { 64 };
        match self.rng.below(100) {
            0..=13 => self.edit(d),
            14..=27 => (0..burst).for_each(|_| self.complete_save(d)),
            28..=43 => (0..burst).for_each(|_| self.deliver_up(d)),
            44..=61 => {
                let k = 1 + self.rng.below(8);
                self.relay_batch(k)
            }
            62..=81 => (0..burst).for_each(|_| self.deliver_down(d)),
            82..=85 => self.disconnect(d),
            86..=97 => self.connect(d),
            98 => self.crash_relay(),
            _ => self.crash_device(d),
        }
        // The client keeps its sync status as documents change; in a debug build `status`
        // checks it against one counted over every document, after every step.
        let _ = self.devices[d].core.status();
        // Devices reconnect by themselves (with backoff): an offline one comes back soon.
        let e = self.rng.below(n);
        if self.devices[e].conn.is_none() && self.rng.chance(25) {
            self.connect(e);
        }
    }

    fn quiet(&self) -> bool {
        self.inbox.is_empty()
            && self
                .devices
                .iter()
                .all(|d| d.up.is_empty() && d.down.is_empty() && d.pending_saves.is_empty())
    }

    /// Heals the network and runs until nothing moves.
    fn settle(&mut self) {
        assert!(self.settle_within(10_000), "the simulation did not settle");
    }

    fn settle_within(&mut self, rounds: usize) -> bool {
        for d in 0..self.devices.len() {
            self.connect(d);
        }
        for _ in 0..rounds {
            if self.quiet() {
                return true;
            }
            for d in 0..self.devices.len() {
                while !self.devices[d].pending_saves.is_empty() {
                    self.complete_save(d);
                }
                while !self.devices[d].up.is_empty() {
                    self.deliver_up(d);
                }
            }
            self.relay_batch(usize::MAX);
            for d in 0..self.devices.len() {
                while !self.devices[d].down.is_empty() {
                    self.deliver_down(d);
                }
                // A device the relay closed (e.g. after a refusal) reconnects.
                self.connect(d);
            }
        }
        false
    }

    fn check(&mut self) -> Result<(), TestCaseError> {
        let relay_docs: Vec<DocumentId> = self.relay.documents().map(|(id, _)| *id).collect();
        let mut relay_changes = BTreeSet::new();
        for id in &relay_docs {
            let doc = self.relay.document(&self.store, id).unwrap().unwrap();
            for c in doc.get_changes(&[]) {
                relay_changes.insert(c.hash());
            }
            let scope = self.relay.meta(id).unwrap().scope.clone();
            for dev in &self.devices {
                let may = dev.principal.may_read(&scope);
                match (may, dev.core.doc(id)) {
                    (true, Some(local)) => prop_assert_eq!(
                        sorted(local.get_heads()),
                        sorted(doc.get_heads()),
                        "{} diverges on {}",
                        dev.name,
                        id
                    ),
                    (true, None) => prop_assert!(false, "{} lacks {}", dev.name, id),
                    (false, Some(_)) => prop_assert!(false, "{} holds {} unentitled", dev.name, id),
                    (false, None) => {}
                }
            }
        }
        for h in &self.committed_changes {
            prop_assert!(relay_changes.contains(h), "committed change {h} lost");
        }
        for dev in &self.devices {
            for h in dev.saved_changes.difference(&dev.refused) {
                prop_assert!(
                    relay_changes.contains(h),
                    "{}'s saved change {h} lost",
                    dev.name
                );
            }
            prop_assert_eq!(
                dev.core.status().unconfirmed,
                0,
                "{} has unconfirmed changes",
                dev.name
            );
            // Device storage matches its memory.
            for id in dev.core.doc_ids() {
                let (bytes, _) = dev.storage.get(id).expect("held docs are stored");
                let stored = Automerge::load(bytes).unwrap();
                prop_assert_eq!(
                    sorted(stored.get_heads()),
                    sorted(dev.core.doc(id).unwrap().get_heads())
                );
            }
        }
        Ok(())
    }
}

/// The requests the relay holds (boards are derived and come along).
fn requests_at_relay(sim: &Sim) -> usize {
    sim.relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(linli_shared::domain::DocKind::Request))
        .count()
}

/// The first request a device holds.
fn first_request(dev: &Device) -> DocumentId {
    *dev.core
        .doc_ids()
        .find(|id| linli_shared::domain::requests::Request::read(dev.core.doc(id).unwrap()).is_ok())
        .expect("a request")
}

fn sorted(mut v: Vec<ChangeHash>) -> Vec<ChangeHash> {
    v.sort();
    v
}

fn cases() -> u32 {
    std::env::var("LINLI_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_to_the_relay_and_lose_nothing_acknowledged(
        seed in any::<u64>(),
        devices in 2usize..5,
        steps in 10usize..250,
        dup_and_reorder in any::<bool>(),
    ) {
        let mut sim = Sim::new(seed, devices, dup_and_reorder);
        for d in 0..devices {
            sim.connect(d);
        }
        for _ in 0..steps {
            sim.step();
        }
        sim.settle();
        sim.check()?;
    }
}

#[test]
fn an_offline_edit_reaches_another_device_after_reconnect() {
    let mut sim = Sim::new(7, 3, false);
    sim.connect(0);
    sim.connect(2);
    sim.settle();
    // Device 2 (a resident of h0) files while offline.
    sim.disconnect(2);
    sim.edit(2);
    while !sim.devices[2].pending_saves.is_empty() {
        sim.complete_save(2);
    }
    assert_eq!(sim.devices[2].core.status().unconfirmed, 1);
    assert!(!sim.devices[2].core.status().online);
    sim.settle();
    let id = first_request(&sim.devices[2]);
    assert!(
        sim.devices[0].core.doc(&id).is_some(),
        "staff device received it"
    );
    assert_eq!(sim.devices[2].core.status().unconfirmed, 0);
    let title = |d: &Device| {
        linli_shared::domain::requests::Request::read(d.core.doc(&id).unwrap())
            .unwrap()
            .title
    };
    assert_eq!(title(&sim.devices[0]), title(&sim.devices[2]));
}

#[test]
fn a_refused_change_is_dropped_reported_and_the_device_returns_to_the_relays_version() {
    let mut sim = Sim::new(21, 3, false);
    sim.settle();
    sim.edit(2); // a resident files a request (allowed)
    sim.settle();
    let id = first_request(&sim.devices[2]);
    let before = sim.relay.heads(&id).unwrap();
    let old_actor = sim.devices[2].core.actor().clone();
    // The resident tries to close the request herself: only grid workers and staff may.
    let now = sim.now;
    let fx = sim.devices[2]
        .core
        .change(id, |doc| {
            linli_shared::domain::requests::append_event(
                doc,
                "p2",
                now,
                EventKind::Status {
                    to: Status::Resolved,
                },
            )
        })
        .unwrap();
    sim.apply_effects(2, fx);
    sim.settle();
    assert_eq!(
        sim.relay.heads(&id).unwrap(),
        before,
        "the relay stored nothing"
    );
    assert_eq!(
        sim.devices[2].refused.len(),
        1,
        "the device reported the dropped change"
    );
    assert_ne!(
        sim.devices[2].core.actor(),
        &old_actor,
        "and writes under a new actor now"
    );
    let status =
        linli_shared::domain::requests::Request::read(sim.devices[2].core.doc(&id).unwrap())
            .unwrap()
            .status();
    assert_eq!(status, Status::Filed, "back to the relay's version");
    // The device keeps working normally under its new actor.
    let fx = sim.devices[2]
        .core
        .change(id, |doc| {
            linli_shared::domain::requests::append_event(
                doc,
                "p2",
                now + 1,
                EventKind::Detail {
                    text: "补充".into(),
                },
            )
        })
        .unwrap();
    sim.apply_effects(2, fx);
    sim.settle();
    assert_ne!(sim.relay.heads(&id).unwrap(), before);
    sim.check().unwrap();
}

#[test]
fn a_relay_crash_before_commit_loses_only_what_was_never_acknowledged() {
    let mut sim = Sim::new(11, 2, false);
    sim.settle();
    sim.edit(0);
    sim.complete_save(0);
    // The sync reaches the relay, which handles it but crashes before committing.
    for _ in 0..3 {
        sim.deliver_up(0);
    }
    while let Some(input) = sim.inbox.pop_front() {
        let _ = sim.relay.handle(&mut sim.store, sim.now, input).unwrap();
    }
    sim.crash_relay();
    assert_eq!(requests_at_relay(&sim), 0, "uncommitted document is gone");
    assert_eq!(
        sim.devices[0].core.status().unconfirmed,
        1,
        "device still knows it is unconfirmed"
    );
    sim.settle();
    assert_eq!(
        requests_at_relay(&sim),
        1,
        "device resent it after the relay came back"
    );
    sim.check().unwrap();
}

#[test]
fn a_committed_change_survives_a_relay_crash_without_any_device_resending_it() {
    let mut sim = Sim::new(5, 2, false);
    sim.settle();
    sim.edit(0);
    sim.settle();
    assert_eq!(requests_at_relay(&sim), 1);
    let before = sim.committed_changes.len();
    assert!(before > 0);
    sim.crash_relay();
    // No device has reconnected: what the relay holds now came from its store alone.
    let ids: Vec<DocumentId> = sim.relay.documents().map(|(id, _)| *id).collect();
    let held: usize = ids
        .iter()
        .map(|id| {
            sim.relay
                .document(&sim.store, id)
                .unwrap()
                .unwrap()
                .get_changes(&[])
                .len()
        })
        .sum();
    assert_eq!(held, before, "the request and its board entry, all there");
}

#[test]
fn a_change_received_but_not_yet_saved_is_not_acknowledged_so_a_crash_cannot_lose_it() {
    let mut sim = Sim::new(3, 3, false);
    sim.settle();
    // Device 2 (a resident) files; the staff device 0 will receive it.
    sim.edit(2);
    while sim.devices[2].pending_saves.len() + sim.devices[2].up.len() > 0 {
        sim.complete_save(2);
        sim.deliver_up(2);
        sim.relay_batch(usize::MAX);
        while !sim.devices[2].down.is_empty() {
            sim.deliver_down(2);
        }
    }
    let id = first_request(&sim.devices[2]);
    // Device 0 syncs the new request, but its save has not landed yet.
    for _ in 0..10 {
        if sim.devices[0].core.doc(&id).is_some() {
            break;
        }
        while !sim.devices[0].up.is_empty() {
            sim.deliver_up(0);
        }
        sim.relay_batch(usize::MAX);
        while !sim.devices[0].down.is_empty() {
            sim.deliver_down(0);
        }
    }
    assert!(sim.devices[0].core.doc(&id).is_some());
    assert!(!sim.devices[0].pending_saves.is_empty());
    for f in &sim.devices[0].up {
        let m = linli_shared::wire::Message::decode(f).unwrap();
        assert_ne!(m.document_id(), Some(id), "acknowledged before saving");
    }
    // The tab dies before the save lands.
    sim.crash_device(0);
    assert!(sim.devices[0].core.doc(&id).is_none());
    sim.settle();
    assert!(
        sim.devices[0].core.doc(&id).is_some(),
        "the relay offered it again"
    );
    sim.check().unwrap();
}
