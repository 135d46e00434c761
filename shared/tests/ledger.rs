//! The ledger rule under concurrency: phones write ledger entries offline (each affordable
//! against the ledger the phone holds), reconnect in random schedules, and the sans-IO relay
//! core orders them. No replica ever shows a committed negative balance (the relay's copy, and
//! on every phone what the relay has confirmed), and after sync every replica holds the same
//! entries and the balance equals the sum of the entries the relay accepted, as the writers
//! recorded them; every entry a phone wrote was either accepted or refused to that phone.
//!
//! `LINLI_PROPTEST_CASES` sets the number of schedules (default 64; the long mode runs more).

use std::collections::{BTreeSet, VecDeque};

use linli_shared::automerge::{ActorId, ChangeHash};
use linli_shared::client::{Client, Effect, Input as CInput};
use linli_shared::domain::fund::{self, EntryType, Fen, Ledger, NewEntry};
use linli_shared::ids::DocumentId;
use linli_shared::policy::{Principal, Role};
use linli_shared::relay::{ConnId, Input as RInput, Output, Relay, RelayConfig};
use linli_shared::store::{MemStore, Store};
use proptest::prelude::*;

const YUAN: Fen = 100;
const OPENING: Fen = 1_000 * YUAN;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Device {
    principal: Principal,
    core: Client,
    online: Option<ConnId>,
    up: VecDeque<Vec<u8>>,
    down: VecDeque<Vec<u8>>,
    /// Entries this phone wrote: the change's hash and its effect on the cash.
    written: Vec<(ChangeHash, Fen)>,
    refused: BTreeSet<ChangeHash>,
}

struct Sim {
    rng: Rng,
    now: i64,
    store: MemStore,
    relay: Relay,
    fund: DocumentId,
    devices: Vec<Device>,
    next_conn: ConnId,
}

/// Device 0 is staff; 1 and 2 are the two phones of project `a`'s leader; 3 leads project
/// `b`; the rest are residents who co-fund.
fn principal(i: usize) -> Principal {
    let (person, role) = match i {
        0 => ("p-staff".to_string(), Role::Staff),
        1 | 2 => ("p-lead".to_string(), Role::Resident),
        3 => ("p-lead-b".to_string(), Role::Resident),
        n => (format!("p-res{n}"), Role::Resident),
    };
    Principal {
        person,
        role,
        household: Some(format!("h{i}")),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: None,
        name: None,
        party: None,
        team_grids: Vec::new(),
        actor_prefix: vec![i as u8 + 1],
    }
}

fn allocation(project: &str, leader: &str, lines: &[(&str, Fen)]) -> NewEntry {
    let mut e = NewEntry::new(
        EntryType::Allocation,
        lines.iter().map(|(_, a)| a).sum(),
        "p-staff",
        "",
    );
    e.project = project.into();
    e.title = project.into();
    e.leader = leader.into();
    e.lines = lines.iter().map(|(l, a)| (l.to_string(), *a)).collect();
    e
}

impl Sim {
    fn new(seed: u64, devices: usize) -> Self {
        let mut store = MemStore::new();
        let mut relay = Relay::open(&mut store, RelayConfig::default(), [7; 16]).unwrap();
        let now = 1_700_000_000_000;
        let fund = DocumentId::from_bytes([1; 16]);
        relay
            .local_change(&mut store, fund, |d| {
                fund::create_fund(d, "fund", OPENING, "p-staff", "", now)?;
                fund::add_entry(
                    d,
                    &allocation("a", "p-lead", &[("x", 200 * YUAN), ("y", 100 * YUAN)]),
                    now,
                )?;
                fund::add_entry(d, &allocation("b", "p-lead-b", &[("z", 150 * YUAN)]), now)
            })
            .unwrap();
        store.commit().unwrap();
        let devices = (0..devices)
            .map(|i| Device {
                principal: principal(i),
                core: Client::new(
                    format!("d{i}"),
                    format!("dev{i}"),
                    ActorId::from(vec![i as u8 + 1, 0]),
                ),
                online: None,
                up: VecDeque::new(),
                down: VecDeque::new(),
                written: Vec::new(),
                refused: BTreeSet::new(),
            })
            .collect();
        Sim {
            rng: Rng(seed),
            now,
            store,
            relay,
            fund,
            devices,
            next_conn: 1,
        }
    }

    fn apply(&mut self, d: usize, fx: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = fx.into();
        while let Some(e) = queue.pop_front() {
            match e {
                Effect::Send(frame) if self.devices[d].online.is_some() => {
                    self.devices[d].up.push_back(frame)
                }
                // IndexedDB commits at once here: the schedules are about the network.
                Effect::Save { id, heads, .. } => {
                    let now = self.now;
                    queue.extend(
                        self.devices[d]
                            .core
                            .handle(now, CInput::Saved { id, heads }),
                    );
                }
                Effect::Rejected { dropped, code, .. } => {
                    assert_eq!(code, "overdrawn", "only overdrafts are refused here");
                    self.devices[d].refused.extend(dropped);
                }
                _ => {}
            }
        }
    }

    /// The phone writes one entry its role may write, if the ledger it holds affords it.
    fn write(&mut self, d: usize) {
        let p = self.devices[d].principal.clone();
        let amount = (1 + self.rng.below(120) as Fen) * YUAN;
        let project = if d == 3 { "b" } else { "a" };
        let mut e = match d {
            0 => match self.rng.below(3) {
                0 => NewEntry::new(EntryType::Income, amount, &p.person, ""),
                1 => allocation(
                    if self.rng.chance(50) { "a" } else { "b" },
                    if self.rng.chance(50) {
                        "p-lead"
                    } else {
                        "p-lead-b"
                    },
                    &[(if self.rng.chance(50) { "x" } else { "z" }, amount)],
                ),
                _ => {
                    let mut r = NewEntry::new(EntryType::Refund, amount / 4, &p.person, "");
                    r.project = project.into();
                    r
                }
            },
            1..=3 => {
                let mut s = NewEntry::new(EntryType::Spending, amount, &p.person, "");
                s.project = project.into();
                s.line = match (d, self.rng.chance(50)) {
                    (3, _) => "z".into(),
                    (_, true) => "x".into(),
                    _ => "y".into(),
                };
                s
            }
            _ => {
                let mut c = NewEntry::new(EntryType::Cofunding, amount / 10, &p.person, "");
                if self.rng.chance(50) {
                    c.project = "a".into();
                }
                c
            }
        };
        e.note = format!("n{}", self.rng.below(1000));
        let effect = e.kind.cash_sign() * e.amount;
        let now = self.now;
        let id = self.fund;
        if self.devices[d].core.doc(&id).is_none() {
            return;
        }
        let before = self.devices[d].core.heads(&id);
        // A phone refuses what would overdraw the ledger it holds: nothing is written then.
        let Ok(fx) = self.devices[d]
            .core
            .change(id, |doc| fund::add_entry(doc, &e, now))
        else {
            return;
        };
        let after = self.devices[d].core.heads(&id);
        if after != before {
            let doc = self.devices[d].core.doc(&id).unwrap();
            for c in doc.get_changes(&before) {
                self.devices[d].written.push((c.hash(), effect));
            }
        }
        self.apply(d, fx);
    }

    fn connect(&mut self, d: usize) {
        if self.devices[d].online.is_some() {
            return;
        }
        let conn = self.next_conn;
        self.next_conn += 1;
        self.devices[d].online = Some(conn);
        let now = self.now;
        let outs = self
            .relay
            .handle(
                &mut self.store,
                now,
                RInput::Opened {
                    conn,
                    principal: self.devices[d].principal.clone(),
                },
            )
            .unwrap();
        self.route(outs);
        let fx = self.devices[d].core.handle(now, CInput::Connected);
        self.apply(d, fx);
    }

    fn disconnect(&mut self, d: usize) {
        let Some(conn) = self.devices[d].online.take() else {
            return;
        };
        self.devices[d].up.clear();
        self.devices[d].down.clear();
        let now = self.now;
        let outs = self
            .relay
            .handle(&mut self.store, now, RInput::Closed { conn })
            .unwrap();
        self.route(outs);
        let fx = self.devices[d].core.handle(now, CInput::Disconnected);
        self.apply(d, fx);
    }

    fn route(&mut self, outs: Vec<Output>) {
        self.store.commit().unwrap();
        for o in outs {
            match o {
                Output::Send { conn, frame } => {
                    if let Some(d) = self.devices.iter().position(|d| d.online == Some(conn)) {
                        self.devices[d].down.push_back(frame);
                    }
                }
                Output::Close { conn, .. } => {
                    if let Some(d) = self.devices.iter().position(|d| d.online == Some(conn)) {
                        let pending: Vec<_> = self.devices[d].down.drain(..).collect();
                        for f in pending {
                            let now = self.now;
                            let fx = self.devices[d].core.handle(now, CInput::Frame(f));
                            self.apply(d, fx);
                        }
                        self.disconnect(d);
                    }
                }
            }
        }
    }

    fn deliver_up(&mut self, d: usize) {
        let (Some(conn), Some(bytes)) = (self.devices[d].online, self.devices[d].up.pop_front())
        else {
            return;
        };
        let now = self.now;
        let outs = self
            .relay
            .handle(&mut self.store, now, RInput::Frame { conn, bytes })
            .unwrap();
        self.route(outs);
    }

    fn deliver_down(&mut self, d: usize) {
        if let Some(f) = self.devices[d].down.pop_front() {
            let now = self.now;
            let fx = self.devices[d].core.handle(now, CInput::Frame(f));
            self.apply(d, fx);
        }
    }

    fn step(&mut self) {
        self.now += 1 + self.rng.below(3_000) as i64;
        let d = self.rng.below(self.devices.len() as u64) as usize;
        let burst = if self.rng.chance(50) { 1 } else { 32 };
        match self.rng.below(100) {
            0..=29 => self.write(d),
            30..=49 => (0..burst).for_each(|_| self.deliver_up(d)),
            50..=69 => (0..burst).for_each(|_| self.deliver_down(d)),
            70..=84 => self.disconnect(d),
            _ => self.connect(d),
        }
    }

    /// What everyone shows as committed: never a negative account.
    fn committed_never_negative(&mut self) -> Result<(), TestCaseError> {
        let relay = self
            .relay
            .document(&self.store, &self.fund)
            .unwrap()
            .unwrap()
            .clone();
        let l = Ledger::read(&relay).unwrap();
        prop_assert!(l.check().is_ok(), "the relay holds {:?}", l.check());
        for (i, dev) in self.devices.iter().enumerate() {
            let Some(confirmed) = dev.core.confirmed(&self.fund) else {
                continue;
            };
            if let Some(l) = Ledger::read(&confirmed) {
                prop_assert!(
                    l.check().is_ok(),
                    "phone {i} shows a committed {:?}",
                    l.check()
                );
                prop_assert!(l.available() >= 0 && l.cash() >= 0);
            }
        }
        Ok(())
    }

    fn settle(&mut self) {
        for _ in 0..200 {
            for d in 0..self.devices.len() {
                self.connect(d);
            }
            let quiet = self
                .devices
                .iter()
                .all(|d| d.up.is_empty() && d.down.is_empty());
            if quiet
                && (0..self.devices.len())
                    .all(|d| self.devices[d].core.unconfirmed(&self.fund) == 0)
            {
                return;
            }
            for d in 0..self.devices.len() {
                while !self.devices[d].up.is_empty() {
                    self.deliver_up(d);
                }
            }
            for d in 0..self.devices.len() {
                while !self.devices[d].down.is_empty() {
                    self.deliver_down(d);
                }
            }
        }
        panic!("did not settle");
    }

    fn check_after_sync(&mut self) -> Result<(), TestCaseError> {
        let relay = self
            .relay
            .document(&self.store, &self.fund)
            .unwrap()
            .unwrap()
            .clone();
        let held: BTreeSet<ChangeHash> = relay.get_changes(&[]).iter().map(|c| c.hash()).collect();
        let ledger = Ledger::read(&relay).unwrap();
        // The balance is the sum of what the writers wrote and the relay accepted.
        let mut expected = OPENING;
        for dev in &self.devices {
            for (hash, effect) in &dev.written {
                let accepted = held.contains(hash);
                // Nothing is lost silently: an entry the relay does not hold was reported to
                // its phone. (A refusal reports every change the phone did not yet know the
                // relay had, so an entry accepted just before may be reported too: the app
                // matches reported entries against the relay's version before showing them
                // as drafts to correct.)
                prop_assert!(
                    accepted || dev.refused.contains(hash),
                    "an entry neither accepted nor reported refused"
                );
                if accepted {
                    expected += effect;
                }
            }
        }
        prop_assert_eq!(ledger.cash(), expected);
        let projects: Fen = ledger.projects().iter().map(|p| p.remaining()).sum();
        prop_assert_eq!(ledger.cash(), ledger.available() + projects);
        let mut heads = relay.get_heads();
        heads.sort();
        for (i, dev) in self.devices.iter().enumerate() {
            let doc = dev
                .core
                .doc(&self.fund)
                .expect("every phone holds the fund");
            let mut h = doc.get_heads();
            h.sort();
            prop_assert_eq!(&h, &heads, "phone {} diverges", i);
            let l = Ledger::read(doc).unwrap();
            prop_assert_eq!(l.cash(), expected);
            let sum: Fen = l
                .entries
                .iter()
                .map(|e| e.kind.map_or(0, |k| k.cash_sign()) * e.amount)
                .sum();
            prop_assert_eq!(sum, l.cash());
        }
        Ok(())
    }
}

fn cases() -> u32 {
    std::env::var("LINLI_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .map(|n| (n / 10).max(1))
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn concurrent_offline_spending_never_shows_a_committed_overdraft_and_sums_agree(
        seed in any::<u64>(),
        devices in 3usize..6,
        steps in 20usize..200,
    ) {
        let mut sim = Sim::new(seed, devices);
        for d in 0..devices {
            sim.connect(d);
        }
        for _ in 0..steps {
            sim.step();
            sim.committed_never_negative()?;
        }
        sim.settle();
        sim.committed_never_negative()?;
        sim.check_after_sync()?;
    }
}

#[test]
fn two_leader_phones_offline_each_spending_what_is_affordable_alone_end_with_one_refused() {
    let mut sim = Sim::new(1, 3);
    for d in 0..3 {
        sim.connect(d);
    }
    sim.settle();
    sim.disconnect(1);
    sim.disconnect(2);
    // Line x holds 200 yuan: each phone spends 150 from it, affordable alone.
    for d in [1, 2] {
        let now = sim.now;
        let mut s = NewEntry::new(EntryType::Spending, 150 * YUAN, "p-lead", "");
        s.project = "a".into();
        s.line = "x".into();
        let fx = sim.devices[d]
            .core
            .change(sim.fund, |doc| fund::add_entry(doc, &s, now))
            .unwrap();
        let before = sim.relay.heads(&sim.fund).unwrap();
        let doc = sim.devices[d].core.doc(&sim.fund).unwrap();
        let hash = doc.get_changes(&before)[0].hash();
        sim.devices[d].written.push((hash, -150 * YUAN));
        sim.apply(d, fx);
    }
    sim.settle();
    let refused: usize = sim.devices.iter().map(|d| d.refused.len()).sum();
    assert_eq!(refused, 1, "exactly one of the two spends is refused");
    sim.check_after_sync().unwrap();
    let l = Ledger::read(&sim.relay.document(&sim.store, &sim.fund).unwrap().unwrap()).unwrap();
    assert_eq!(
        l.project("a").unwrap().line("x"),
        Some((200 * YUAN, 150 * YUAN))
    );
}
