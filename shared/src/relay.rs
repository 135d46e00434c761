//! The relay's sans-IO core: documents, connections and the automerge-repo protocol.
//!
//! The runtime (server/) owns sockets, the clock and the disk. It feeds [`Input`]s to
//! [`Relay::handle`] together with `now` and the [`Store`]; the core stages writes in the store
//! and returns [`Output`]s. The runtime commits the store (fsync) **before** it delivers any
//! output of that batch, so a sync reply never acknowledges a change that is not durable.
//!
//! Every incoming change is checked before it is stored or forwarded. The usual message (whole
//! changes whose dependencies the relay has) is applied in place, its new changes are read back
//! and checked against the sender's rights ([`crate::rules`]); a refusal rebuilds the document
//! as it was (`fork_at`) and closes the connection. Anything else (a compressed document,
//! missing dependencies) is applied to a clone first, checked, and only then swapped in (see
//! `Relay::receive`).

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::sync::{self, SyncDoc};
use automerge::{ActorId, Automerge, Change, ChangeHash, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::domain::{DocKind, Scope};
use crate::ids::{DocumentId, PeerId, StorageId, hex, unhex};
use crate::policy::Principal;
use crate::rules::{self, Refusal};
use crate::store::{Store, StoreError, key};
use crate::time::Millis;
use crate::wire::{LinliMeta, Message, PROTOCOL_V1, PeerMetadata};

/// Version of Linli's protocol extensions (the `linli-*` messages).
pub const LINLI_VERSION: u64 = 1;

/// A connection's handle, chosen by the runtime.
pub type ConnId = u64;

/// WebSocket close codes (defined once, for the relay and the app).
pub use crate::api::close;

#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// Documents kept loaded in memory; the least recently used beyond this are dropped.
    pub max_loaded_docs: usize,
    /// Incremental chunks per document before they are compacted into one snapshot.
    pub compact_after_chunks: u32,
    /// Messages a connection may send per second, sustained (a burst of 4× is allowed).
    pub max_messages_per_second: u32,
    /// Documents one connection may have in play at once.
    pub max_docs_per_conn: usize,
    /// Unasked offers (a join's, or rights that changed) a connection may have unanswered at
    /// once; the rest wait and go out as answers come. A staff phone's first sync at five
    /// years is some 77,000 offers: sent at once, they and the changes that follow filled the
    /// socket faster than a busy phone read it, and the relay closed it as too slow, again on
    /// every reconnection.
    pub offer_window: usize,
    /// New documents one person may create in a day (the relay's own and staff's API writes
    /// aside).
    pub max_new_docs_per_person_per_day: u32,
    /// New documents one device may create in a day: one stolen or broken phone cannot use up
    /// its owner's whole quota.
    pub max_new_docs_per_device_per_day: u32,
    /// Bytes of changes one person may send in a day, over all their devices and documents.
    pub max_change_bytes_per_person_per_day: u64,
    /// Bytes of changes one device may send in a day.
    pub max_change_bytes_per_device_per_day: u64,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            max_loaded_docs: 4_096,
            compact_after_chunks: 32,
            max_messages_per_second: 200,
            max_docs_per_conn: 200_000,
            offer_window: 1_024,
            max_new_docs_per_person_per_day: 500,
            max_new_docs_per_device_per_day: 300,
            max_change_bytes_per_person_per_day: 64 * 1024 * 1024,
            max_change_bytes_per_device_per_day: 32 * 1024 * 1024,
        }
    }
}

/// What one person or one device sent on one of the relay's days.
#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    day: i64,
    docs: u32,
    bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored metadata for {0} is corrupt: {1}")]
    CorruptMeta(String, String),
}

pub enum Input {
    /// A connection was accepted and authenticated as `principal`.
    Opened { conn: ConnId, principal: Principal },
    /// One binary frame from the connection.
    Frame { conn: ConnId, bytes: Vec<u8> },
    /// The connection is gone.
    Closed { conn: ConnId },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Send {
        conn: ConnId,
        frame: Vec<u8>,
    },
    Close {
        conn: ConnId,
        code: u16,
        reason: String,
    },
}

/// Where a person lives, from their record, and what they are called.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Residence {
    household: String,
    grid: Option<String>,
    /// The record's document.
    doc: DocumentId,
    /// Their display name: `None` until the record has been read since the relay started.
    name: Option<Option<String>>,
    /// The party they represent at the talks, from their record.
    party: Option<crate::policy::Party>,
}

/// What the relay keeps about every document, loaded or not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocMeta {
    pub scope: Scope,
    /// Current heads, hex: lets the relay skip unchanged documents without loading them.
    pub heads: Vec<String>,
    /// Number of incremental chunks since the last snapshot.
    pub chunks: u32,
    /// Sequence number of the next chunk.
    pub next_chunk: u64,
    /// A document whose processing panicked: kept, not served, until staff look at it.
    #[serde(default)]
    pub quarantined: bool,
    /// The persons this document lets act for its subject ([`DocType::delegates`]: for a
    /// person's record, the volunteers they currently consent to).
    ///
    /// [`DocType::delegates`]: crate::domain::DocType::delegates
    #[serde(default, alias = "consents")]
    pub delegates: Vec<String>,
    /// For a directory kind's document: the display name of the person it is about
    /// ([`DocType::display_name`](crate::domain::DocType::display_name)), so the relay knows
    /// everyone's name without reading their records.
    #[serde(default)]
    pub name: Option<String>,
    /// The persons this document makes the team of its grid ([`DocType::team`]: a grid's
    /// iron triangle), so the relay knows every team without reading the documents.
    ///
    /// [`DocType::team`]: crate::domain::DocType::team
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team: Vec<String>,
    /// For a directory kind's document: the party its person represents at the talks
    /// ([`DocType::party`](crate::domain::DocType::party)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<crate::policy::Party>,
}

impl DocMeta {
    fn empty() -> Self {
        DocMeta {
            scope: Scope::default(),
            heads: Vec::new(),
            chunks: 0,
            next_chunk: 0,
            quarantined: false,
            delegates: Vec::new(),
            team: Vec::new(),
            name: None,
            party: None,
        }
    }
}

/// A refused or failed write, as recorded in the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditEntry {
    pub at: Millis,
    pub person: String,
    pub document: String,
    pub code: String,
    pub detail: String,
}

/// Messages about one document a peer may send free of its rate in answer to one unasked offer.
const OFFER_ANSWERS: u8 = 3;

struct Conn {
    principal: Principal,
    peer: Option<Joined>,
    /// Sync state per document this connection has in play.
    docs: HashMap<DocumentId, sync::State>,
    /// Token bucket for the message rate, in thousandths of a message.
    bucket: i64,
    bucket_at: Millis,
    /// Answers this peer owes, per document: granted only when the relay offers a document
    /// unasked ([`Relay::announce`]: a join, or rights that changed), consumed by messages about
    /// that document and never refilled by anything else. Answering is not flooding, so these
    /// do not draw on the bucket (a new phone's first sync answers thousands of offers in a
    /// few seconds). What others' changes push to a connection earns nothing: otherwise two
    /// writers on a shared document would pay for each other's floods.
    owed: HashMap<DocumentId, u8>,
    /// Offers not made yet (with the sync state to start from), in order: made as the peer
    /// answers those in flight ([`RelayConfig::offer_window`]).
    backlog: VecDeque<(DocumentId, sync::State)>,
    /// Offers made whose first answer has not come yet.
    awaiting: HashSet<DocumentId>,
    closing: bool,
}

struct Joined {
    peer_id: PeerId,
    /// Set when the peer persists its documents: then we persist our sync state with it.
    storage_id: Option<StorageId>,
    linli: bool,
}

pub struct Relay {
    peer_id: PeerId,
    storage_id: StorageId,
    config: RelayConfig,
    index: HashMap<DocumentId, DocMeta>,
    loaded: HashMap<DocumentId, (Automerge, u64)>,
    touch: u64,
    conns: HashMap<ConnId, Conn>,
    actor: ActorId,
    audit_seq: u64,
    /// Person id → where they live (household, grid), from the documents of directory kinds
    /// (person records): for checking filings for others, and for what a person's grid gives
    /// them to read.
    people: HashMap<String, Residence>,
    /// Delegate (a volunteer) → the persons who let them act on their behalf.
    consents: HashMap<String, BTreeSet<String>>,
    /// Consents changed in this input: volunteers' connections need their rights refreshed.
    consents_changed: bool,
    /// Team member → the grids whose team they are on (from [`DocMeta::team`]).
    teams: HashMap<String, BTreeSet<String>>,
    /// People whose record (grid, household, name) changed in this input: their connections
    /// need their rights refreshed.
    moved: BTreeSet<String>,
    /// Erased documents: never accepted again.
    tombstones: HashSet<DocumentId>,
    /// Documents whose history was rewritten (erasure): the hashes of their old changes. A
    /// device that still holds the old history is told to drop it and sent the new one; its
    /// old changes are never taken back (kept in the store under `rewritten/<doc>`).
    rewritten: HashMap<DocumentId, HashSet<ChangeHash>>,
    /// Documents found unloadable, to record as quarantined (meta and audit log).
    to_quarantine: Vec<(DocumentId, String)>,
    /// Derived documents by kind and group (each grid's public board), kept current from the
    /// documents that project onto them.
    projections: HashMap<(DocKind, String), DocumentId>,
    /// The relay's secret for the ids of derived documents (kept in the store).
    derive_secret: Vec<u8>,
    /// The community's grids, from the documents that define them.
    grids: BTreeSet<String>,
    /// What each person (`p:<person>`) and each device (`d:<device>`) sent on the relay's
    /// current day: new documents and bytes of changes (in memory: a restart forgives a day).
    usage: HashMap<String, Usage>,
    /// New documents per person and kind on the relay's current day, for kinds with a quota
    /// of their own ([`crate::domain::DocType::DAILY_MAX`]).
    created_of_kind: HashMap<(String, DocKind), (i64, u32)>,
    /// The time of the input being handled (for the relay's own edits).
    now: Millis,
}

fn doc_key(id: &DocumentId, part: &str) -> Vec<u8> {
    key(&["doc", &id.to_string(), part])
}

fn chunk_key(id: &DocumentId, n: u64) -> Vec<u8> {
    key(&["doc", &id.to_string(), "c", &format!("{n:012}")])
}

/// Reads a document from its snapshot and chunks; `Err(reason)` if automerge refuses the
/// bytes or panics on them.
fn read_stored(
    store: &impl Store,
    id: &DocumentId,
) -> Result<std::thread::Result<Result<Automerge, String>>, RelayError> {
    let snap = store.get(&doc_key(id, "snap"))?;
    let chunks = store.scan_prefix(&key(&["doc", &id.to_string(), "c", ""]))?;
    Ok(catch_unwind(AssertUnwindSafe(
        || -> Result<Automerge, String> {
            let mut doc = match &snap {
                Some(b) => Automerge::load(b).map_err(|e| e.to_string())?,
                None => Automerge::new(),
            };
            for (_, c) in &chunks {
                doc.load_incremental(c).map_err(|e| e.to_string())?;
            }
            Ok(doc)
        },
    )))
}

fn meta_key(id: &DocumentId) -> Vec<u8> {
    key(&["meta", &id.to_string()])
}

/// A storage id a peer names in its join: automerge-repo's are UUIDs; at most 64 characters of
/// letters, digits, `-` and `_`.
fn storage_id_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn peer_key(storage: &str, id: &DocumentId) -> Vec<u8> {
    key(&["peer", storage, &id.to_string()])
}

fn heads_hex(heads: &[ChangeHash]) -> Vec<String> {
    let mut v: Vec<String> = heads.iter().map(|h| hex(&h.0)).collect();
    v.sort();
    v
}

impl Relay {
    /// Opens the relay over a store, creating its storage id on first start from `seed`.
    pub fn open(
        store: &mut impl Store,
        config: RelayConfig,
        seed: [u8; 16],
    ) -> Result<Self, RelayError> {
        let sid_key = key(&["relay", "storage-id"]);
        let storage_id = match store.get(&sid_key)? {
            Some(v) => String::from_utf8_lossy(&v).into_owned(),
            None => {
                let sid = hex(&seed);
                store.put(&sid_key, sid.as_bytes())?;
                store.commit()?;
                sid
            }
        };
        // A secret the ids of derived documents come from: nobody can tell from a board's id
        // which request made the relay create it.
        let derive_key = key(&["relay", "derive-key"]);
        let derive_secret = match store.get(&derive_key)? {
            Some(v) => v,
            None => {
                use sha2::{Digest, Sha256};
                let secret = Sha256::new()
                    .chain_update(b"linli-derive:")
                    .chain_update(seed)
                    .finalize()
                    .to_vec();
                store.put(&derive_key, &secret)?;
                store.commit()?;
                secret
            }
        };
        let mut index = HashMap::new();
        for (k, v) in store.scan_prefix(b"meta/")? {
            let ks = String::from_utf8_lossy(&k).into_owned();
            let id_str = ks.trim_start_matches("meta/");
            let id = DocumentId::parse(id_str)
                .map_err(|e| RelayError::CorruptMeta(ks.clone(), e.to_string()))?;
            let meta: DocMeta = serde_json::from_slice(&v)
                .map_err(|e| RelayError::CorruptMeta(ks.clone(), e.to_string()))?;
            index.insert(id, meta);
        }
        let audit_seq = store
            .scan_prefix(b"audit/")?
            .last()
            .and_then(|(k, _)| String::from_utf8_lossy(k).rsplit('/').next()?.parse().ok())
            .map_or(0, |n: u64| n + 1);
        let tombstones = store
            .scan_prefix(b"tomb/")?
            .into_iter()
            .filter_map(|(k, _)| DocumentId::parse(String::from_utf8_lossy(&k[5..]).as_ref()).ok())
            .collect();
        let rewritten = store
            .scan_prefix(b"rewritten/")?
            .into_iter()
            .filter_map(|(k, v)| {
                let id = DocumentId::parse(String::from_utf8_lossy(&k[10..]).as_ref()).ok()?;
                let hashes = v
                    .chunks_exact(32)
                    .filter_map(|h| ChangeHash::try_from(h).ok())
                    .collect();
                Some((id, hashes))
            })
            .collect();
        let projections = index
            .iter()
            .filter_map(|(id, m)| {
                let kind = m.scope.kind?;
                Some(((kind, kind.projection_group(&m.scope)?), *id))
            })
            .collect();
        let mut people = HashMap::new();
        let mut consents: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut teams: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (id, meta) in &index {
            if let Some(grid) = &meta.scope.grid {
                for member in &meta.team {
                    teams
                        .entry(member.clone())
                        .or_default()
                        .insert(grid.clone());
                }
            }
            if meta.scope.kind.is_some_and(DocKind::is_directory)
                && let (Some(subject), Some(household)) =
                    (&meta.scope.subject, &meta.scope.household)
            {
                people.insert(
                    subject.clone(),
                    Residence {
                        household: household.clone(),
                        grid: meta.scope.grid.clone(),
                        doc: *id,
                        // Stores written before names were kept read the record on first use.
                        name: meta.name.clone().map(Some),
                        party: meta.party,
                    },
                );
            }
            if let Some(subject) = &meta.scope.subject {
                for v in &meta.delegates {
                    consents
                        .entry(v.clone())
                        .or_default()
                        .insert(subject.clone());
                }
            }
        }
        let mut actor_bytes = b"relay-".to_vec();
        actor_bytes.extend_from_slice(&seed[..10]);
        let mut relay = Self {
            peer_id: format!("linli-relay-{}", &storage_id[..8.min(storage_id.len())]),
            storage_id,
            config,
            index,
            loaded: HashMap::new(),
            touch: 0,
            conns: HashMap::new(),
            actor: ActorId::from(actor_bytes),
            audit_seq,
            people,
            consents,
            consents_changed: false,
            teams,
            moved: BTreeSet::new(),
            tombstones,
            rewritten,
            to_quarantine: Vec::new(),
            projections,
            derive_secret,
            grids: BTreeSet::new(),
            usage: HashMap::new(),
            created_of_kind: HashMap::new(),
            now: 0,
        };
        relay.load_grids(store)?;
        relay.load_names(store)?;
        Ok(relay)
    }

    pub fn storage_id(&self) -> &str {
        &self.storage_id
    }

    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    pub fn doc_count(&self) -> usize {
        self.index.len()
    }

    pub fn connection_count(&self) -> usize {
        self.conns.len()
    }

    pub fn meta(&self, id: &DocumentId) -> Option<&DocMeta> {
        self.index.get(id)
    }

    /// Ids of every document with its scope (for the relay's own admin views).
    pub fn documents(&self) -> impl Iterator<Item = (&DocumentId, &DocMeta)> {
        self.index.iter()
    }

    /// A copy of a document as the relay holds it.
    pub fn document(
        &mut self,
        store: &impl Store,
        id: &DocumentId,
    ) -> Result<Option<Automerge>, RelayError> {
        if !self.index.contains_key(id) {
            return Ok(None);
        }
        Ok(self.load(store, id)?.cloned())
    }

    /// Handles one input; writes are staged in `store`, to be committed before the outputs
    /// are delivered.
    pub fn handle(
        &mut self,
        store: &mut impl Store,
        now: Millis,
        input: Input,
    ) -> Result<Vec<Output>, RelayError> {
        let mut out = Vec::new();
        self.now = now;
        let input_person = match &input {
            Input::Frame { conn, .. } => self.conns.get(conn).map(|c| c.principal.person.clone()),
            _ => None,
        };
        match input {
            Input::Opened {
                conn,
                mut principal,
            } => {
                principal.consents = self.consents_of(&principal.person);
                principal.home_grid = self.home_grid_of(&principal.person);
                principal.team_grids = self.team_grids_of(&principal.person);
                principal.party = self.party_of(&principal.person);
                principal.name = self.name_of(store, &principal.person)?;
                let burst = i64::from(self.config.max_messages_per_second) * 4 * 1000;
                self.conns.insert(
                    conn,
                    Conn {
                        principal,
                        peer: None,
                        docs: HashMap::new(),
                        bucket: burst,
                        bucket_at: now,
                        owed: HashMap::new(),
                        backlog: VecDeque::new(),
                        awaiting: HashSet::new(),
                        closing: false,
                    },
                );
            }
            Input::Closed { conn } => {
                self.conns.remove(&conn);
            }
            Input::Frame { conn, bytes } => self.on_frame(store, now, conn, &bytes, &mut out)?,
        }
        self.apply_consent_changes(store, &mut out)?;
        for (id, detail) in std::mem::take(&mut self.to_quarantine) {
            let person = match &input_person {
                Some(p) => p.clone(),
                None => "relay".into(),
            };
            self.quarantine(store, now, id, &person, &detail)?;
        }
        Ok(out)
    }

    /// Sets the clock for the relay's own edits made outside [`Relay::handle`].
    pub fn set_now(&mut self, now: Millis) {
        self.now = now;
    }

    /// The persons who currently consent to `volunteer` acting for them.
    pub fn consents_of(&self, volunteer: &str) -> Vec<String> {
        self.consents
            .get(volunteer)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// A person's display name, from their record (`None`: no record, or not read yet).
    pub fn name_on_record(&self, person: &str) -> Option<String> {
        self.people
            .get(person)
            .and_then(|r| r.name.clone().flatten())
    }

    /// The household of a person, from their record.
    pub fn household_of(&self, person: &str) -> Option<String> {
        self.people.get(person).map(|r| r.household.clone())
    }

    /// Today's usage of the person and of the device behind `principal` (reset when the
    /// relay's day changes).
    fn usage_of(&mut self, principal: &Principal, now: Millis) -> [&mut Usage; 2] {
        let day = now.div_euclid(crate::time::DAY);
        let person = format!("p:{}", principal.person);
        let device = format!("d:{}", hex(&principal.actor_prefix));
        for k in [&person, &device] {
            let u = self.usage.entry(k.clone()).or_default();
            if u.day != day {
                *u = Usage {
                    day,
                    ..Usage::default()
                };
            }
        }
        let [Some(p), Some(d)] = self.usage.get_disjoint_mut([&person, &device]) else {
            unreachable!("both entries were just inserted")
        };
        [p, d]
    }

    /// Counts a new document against its creator's and their device's daily quotas: the
    /// refusal's detail when either is used up.
    fn may_create(&mut self, principal: &Principal, now: Millis) -> Result<(), String> {
        let (per_person, per_device) = (
            self.config.max_new_docs_per_person_per_day,
            self.config.max_new_docs_per_device_per_day,
        );
        let [p, d] = self.usage_of(principal, now);
        if p.docs >= per_person {
            return Err(format!("more than {per_person} new documents today"));
        }
        if d.docs >= per_device {
            return Err(format!(
                "more than {per_device} new documents today from one device"
            ));
        }
        p.docs += 1;
        d.docs += 1;
        Ok(())
    }

    /// Whether the person and the device behind `principal` may still send changes today:
    /// the refusal's detail when either has sent its day's bytes. The message that crosses
    /// the line is still taken (it is at most one frame, `--max-message-bytes`).
    fn may_send(&mut self, principal: &Principal, now: Millis) -> Result<(), String> {
        let (per_person, per_device) = (
            self.config.max_change_bytes_per_person_per_day,
            self.config.max_change_bytes_per_device_per_day,
        );
        let [p, d] = self.usage_of(principal, now);
        if p.bytes >= per_person {
            return Err(format!("more than {per_person} bytes of changes today"));
        }
        if d.bytes >= per_device {
            return Err(format!(
                "more than {per_device} bytes of changes today from one device"
            ));
        }
        Ok(())
    }

    /// Counts accepted changes against the day's bytes of their person and device.
    fn count_sent(&mut self, principal: &Principal, now: Millis, changes: &[Change]) {
        let n: u64 = changes.iter().map(|c| c.raw_bytes().len() as u64).sum();
        for u in self.usage_of(principal, now) {
            u.bytes = u.bytes.saturating_add(n);
        }
    }

    /// Counts a new document against its creator's daily quota for its kind, when the kind
    /// has one: the quota when it is used up.
    fn kind_quota_used(&mut self, person: &str, kind: Option<DocKind>, now: Millis) -> Option<u32> {
        let kind = kind?;
        let max = kind.daily_max()?;
        let day = now.div_euclid(crate::time::DAY);
        let (d, n) = self
            .created_of_kind
            .entry((person.to_string(), kind))
            .or_insert((day, 0));
        if *d != day {
            (*d, *n) = (day, 0);
        }
        if *n >= max {
            return Some(max);
        }
        *n += 1;
        None
    }

    /// Stores written before the relay kept people's names beside their records: read each
    /// record once and keep its name (a one-time cost at the first start of a new version).
    fn load_names(&mut self, store: &mut impl Store) -> Result<(), RelayError> {
        let missing: Vec<(String, DocumentId)> = self
            .people
            .iter()
            .filter(|(_, r)| r.name.is_none())
            .map(|(p, r)| (p.clone(), r.doc))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        for (person, doc) in missing {
            let name = self.name_of(store, &person)?;
            if let Some(meta) = self.index.get_mut(&doc) {
                meta.name = name;
                let bytes = serde_json::to_vec(meta).unwrap_or_default();
                store.put(&meta_key(&doc), &bytes)?;
            }
            // Not kept loaded: a large community would fill the cache with records.
            self.loaded.remove(&doc);
        }
        store.commit()?;
        Ok(())
    }

    /// Reads the community's grids from the documents that define them.
    fn load_grids(&mut self, store: &impl Store) -> Result<(), RelayError> {
        let ids: Vec<(DocumentId, DocKind)> = self
            .index
            .iter()
            .filter_map(|(id, m)| Some((*id, m.scope.kind?)))
            .filter(|(_, k)| k.defines_grids())
            .collect();
        for (id, kind) in ids {
            if let Some(grids) = self.load(store, &id)?.and_then(|d| kind.grids(d)) {
                self.grids.extend(grids);
            }
        }
        Ok(())
    }

    /// The grids whose team this person is on.
    pub fn team_grids_of(&self, person: &str) -> Vec<String> {
        self.teams
            .get(person)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The grid a person lives in, from their record.
    pub fn home_grid_of(&self, person: &str) -> Option<String> {
        self.people.get(person).and_then(|r| r.grid.clone())
    }

    /// The party a person represents at the talks, from their record.
    pub fn party_of(&self, person: &str) -> Option<crate::policy::Party> {
        self.people.get(person).and_then(|r| r.party)
    }

    /// A person's display name, from their record (read once, then kept current).
    fn name_of(&mut self, store: &impl Store, person: &str) -> Result<Option<String>, RelayError> {
        let Some(r) = self.people.get(person) else {
            return Ok(None);
        };
        if let Some(name) = &r.name {
            return Ok(name.clone());
        }
        let doc = r.doc;
        let name = match self.load(store, &doc)? {
            Some(d) => Scope::read(d).kind.and_then(|k| k.display_name(d)),
            None => None,
        };
        if let Some(r) = self.people.get_mut(person) {
            r.name = Some(name.clone());
        }
        Ok(name)
    }

    /// After a consent was granted or withdrawn, or a person moved: every connection's
    /// rights are recomputed; documents they may no longer hold are forgotten, new ones
    /// offered.
    fn apply_consent_changes(
        &mut self,
        store: &mut impl Store,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let consents_changed = std::mem::take(&mut self.consents_changed);
        let moved = std::mem::take(&mut self.moved);
        if !consents_changed && moved.is_empty() {
            return Ok(());
        }
        // Volunteers when a consent changed; the people whose record changed.
        let conns: Vec<(ConnId, Principal)> = self
            .conns
            .iter()
            .filter(|(_, c)| {
                (consents_changed && c.principal.role == crate::policy::Role::Volunteer)
                    || moved.contains(&c.principal.person)
            })
            .map(|(id, c)| (*id, c.principal.clone()))
            .collect();
        for (conn, mut p) in conns {
            let consents = if p.role == crate::policy::Role::Volunteer {
                self.consents_of(&p.person)
            } else {
                p.consents.clone()
            };
            let home_grid = self.home_grid_of(&p.person);
            let team_grids = self.team_grids_of(&p.person);
            let name = self.name_of(store, &p.person)?;
            let party = self.party_of(&p.person);
            if consents != p.consents
                || home_grid != p.home_grid
                || name != p.name
                || team_grids != p.team_grids
                || party != p.party
            {
                p.consents = consents;
                p.home_grid = home_grid;
                p.team_grids = team_grids;
                p.name = name;
                p.party = party;
                out.extend(self.refresh_principal(store, conn, p)?);
            }
        }
        Ok(())
    }

    fn on_frame(
        &mut self,
        store: &mut impl Store,
        now: Millis,
        conn: ConnId,
        bytes: &[u8],
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let rate = i64::from(self.config.max_messages_per_second);
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(());
        };
        if c.closing {
            return Ok(());
        }
        let decoded = Message::decode(bytes);
        let about = match &decoded {
            Ok(Message::Request { document_id, .. } | Message::Sync { document_id, .. }) => {
                Some(*document_id)
            }
            _ => None,
        };
        // Token bucket: refills at `rate` messages per second, holds a burst of 4 seconds' worth;
        // an answer to an offer the relay made unasked is free (see `Conn::owed`).
        let elapsed = (now - c.bucket_at).clamp(0, 60_000);
        c.bucket = (c.bucket + elapsed * rate).min(rate * 4 * 1000);
        c.bucket_at = now;
        // The first answer to an offer in flight makes room for the next one (below).
        let answered = about.is_some_and(|id| c.awaiting.remove(&id))
            || matches!(&decoded, Ok(Message::DocUnavailable { document_id, .. }) if c.awaiting.remove(document_id));
        let owed = about.and_then(|id| c.owed.get_mut(&id).map(|n| (id, n)));
        match owed {
            Some((id, n)) => {
                *n -= 1;
                if *n == 0 {
                    c.owed.remove(&id);
                }
            }
            None => c.bucket -= 1000,
        }
        if c.bucket < 0 {
            c.closing = true;
            out.push(Output::Close {
                conn,
                code: close::RATE,
                reason: "too many messages".into(),
            });
            return Ok(());
        }
        let msg = match decoded {
            Ok(m) => m,
            Err(e) => {
                self.fail(conn, close::BAD_MESSAGE, &format!("bad message: {e}"), out);
                return Ok(());
            }
        };
        let joined = c.peer.is_some();
        match msg {
            Message::Join {
                sender_id,
                supported_protocol_versions,
                metadata,
            } => {
                if joined {
                    self.fail(conn, close::PROTOCOL, "joined twice", out);
                } else if !supported_protocol_versions.iter().any(|v| v == PROTOCOL_V1) {
                    self.fail(conn, close::PROTOCOL, "unsupported protocol version", out);
                } else {
                    self.on_join(store, now, conn, sender_id, metadata, out)?;
                }
            }
            _ if !joined => self.fail(conn, close::PROTOCOL, "join first", out),
            Message::Request {
                document_id, data, ..
            } => self.on_sync(store, now, conn, document_id, &data, true, out)?,
            Message::Sync {
                document_id, data, ..
            } => self.on_sync(store, now, conn, document_id, &data, false, out)?,
            Message::DocUnavailable { document_id, .. } => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.docs.remove(&document_id);
                }
            }
            // Ephemeral messages, remote-heads gossip and future types: not relayed.
            _ => {}
        }
        if answered {
            self.make_offers(store, conn, out)?;
        }
        Ok(())
    }

    fn fail(&mut self, conn: ConnId, code: u16, reason: &str, out: &mut Vec<Output>) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        c.closing = true;
        out.push(Output::Send {
            conn,
            frame: Message::Error {
                sender_id: Some(self.peer_id.clone()),
                target_id: c.peer.as_ref().map(|p| p.peer_id.clone()),
                message: reason.to_string(),
            }
            .encode(),
        });
        out.push(Output::Close {
            conn,
            code,
            reason: reason.to_string(),
        });
    }

    fn on_join(
        &mut self,
        store: &mut impl Store,
        now: Millis,
        conn: ConnId,
        sender_id: PeerId,
        metadata: PeerMetadata,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let linli = metadata.linli.is_some();
        let storage_id = metadata.storage_id.filter(|_| !metadata.is_ephemeral);
        if storage_id.as_deref().is_some_and(|s| !storage_id_ok(s)) {
            self.fail(conn, close::BAD_MESSAGE, "bad storage id", out);
            return Ok(());
        }
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(());
        };
        // What this device last confirmed is kept under its own id as well as the storage id
        // it names, so no device can read or reset another's records by naming its storage.
        let storage_id = storage_id.map(|s| format!("{}.{s}", hex(&c.principal.actor_prefix)));
        c.peer = Some(Joined {
            peer_id: sender_id.clone(),
            storage_id: storage_id.clone(),
            linli,
        });
        out.push(Output::Send {
            conn,
            frame: Message::Peer {
                sender_id: self.peer_id.clone(),
                target_id: sender_id,
                selected_protocol_version: PROTOCOL_V1.into(),
                metadata: PeerMetadata {
                    storage_id: Some(self.storage_id.clone()),
                    is_ephemeral: false,
                    linli: Some(LinliMeta {
                        version: LINLI_VERSION,
                        now: Some(now),
                    }),
                },
            }
            .encode(),
        });
        if linli {
            self.announce(store, conn, storage_id.as_deref(), out)?;
        }
        Ok(())
    }

    /// Offers a Linli peer every document it may hold whose heads differ from what the peer
    /// last confirmed; documents it is no longer entitled to are forgotten.
    fn announce(
        &mut self,
        store: &mut impl Store,
        conn: ConnId,
        storage_id: Option<&str>,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let mut known: HashMap<DocumentId, sync::State> = HashMap::new();
        if let Some(sid) = storage_id {
            let prefix = key(&["peer", sid, ""]);
            for (k, v) in store.scan_prefix(&prefix)? {
                let ks = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
                if let (Ok(id), Ok(st)) = (DocumentId::parse(&ks), sync::State::decode(&v)) {
                    known.insert(id, st);
                }
            }
        }
        let Some(c) = self.conns.get(&conn) else {
            return Ok(());
        };
        let principal = c.principal.clone();
        let mut offer: Vec<DocumentId> = Vec::new();
        for (id, meta) in &self.index {
            if meta.quarantined || !principal.may_read(&meta.scope) {
                continue;
            }
            let up_to_date = known
                .get(id)
                .is_some_and(|st| heads_hex(&st.shared_heads) == meta.heads);
            if !up_to_date {
                offer.push(*id);
            }
        }
        // Documents the device holds but may no longer see (erased, consent withdrawn, moved).
        let forget: Vec<DocumentId> = known
            .keys()
            .filter(|id| {
                self.index
                    .get(id)
                    .is_none_or(|m| !principal.may_read(&m.scope))
            })
            .copied()
            .collect();
        offer.sort();
        if let Some(c) = self.conns.get_mut(&conn) {
            // Offers already in flight go on; the others wait their turn (a new announcement
            // replaces the backlog of the last).
            let backlog = offer
                .into_iter()
                .filter(|id| !c.awaiting.contains(id))
                .map(|id| {
                    let state = known.remove(&id).unwrap_or_default();
                    (id, state)
                })
                .collect();
            c.backlog = backlog;
        }
        self.make_offers(store, conn, out)?;
        for id in forget {
            self.forget(store, conn, id, "no longer available to this device", out)?;
        }
        Ok(())
    }

    /// Makes the offers waiting in a connection's backlog while fewer than
    /// [`RelayConfig::offer_window`] are unanswered. The peer answers each offer, in up to three
    /// messages about that document (its heads, its changes, a last acknowledgement); see
    /// `Conn::owed`. Offering again resets the allowance, it does not add to it.
    fn make_offers(
        &mut self,
        store: &mut impl Store,
        conn: ConnId,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let window = self.config.offer_window.max(1);
        loop {
            let Some(c) = self.conns.get_mut(&conn) else {
                return Ok(());
            };
            if c.closing || c.awaiting.len() >= window {
                return Ok(());
            }
            let Some((id, state)) = c.backlog.pop_front() else {
                return Ok(());
            };
            let principal = &c.principal;
            // Rights may have changed since the offer was queued.
            if self
                .index
                .get(&id)
                .is_none_or(|m| m.quarantined || !principal.may_read(&m.scope))
            {
                continue;
            }
            c.owed.insert(id, OFFER_ANSWERS);
            let before = out.len();
            let old = self.rewritten.get(&id);
            if old.is_some_and(|old| state.shared_heads.iter().any(|h| old.contains(h))) {
                // It holds the history that was rewritten: the new one replaces it.
                self.replace_on(store, conn, id, out)?;
            } else {
                self.sync_out(store, conn, id, Some(state), out)?;
            }
            let sent = out[before..]
                .iter()
                .any(|o| matches!(o, Output::Send { conn: to, .. } if *to == conn));
            if sent && let Some(c) = self.conns.get_mut(&conn) {
                c.awaiting.insert(id);
            }
        }
    }

    /// Tells a Linli peer to drop a document, and forgets our sync state with it.
    fn forget(
        &mut self,
        store: &mut impl Store,
        conn: ConnId,
        id: DocumentId,
        reason: &str,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(());
        };
        c.docs.remove(&id);
        c.owed.remove(&id);
        // An offer still in the backlog stays: rights are checked again when it is made.
        let was_awaited = c.awaiting.remove(&id);
        let Some(peer) = &c.peer else {
            return Ok(());
        };
        if let Some(sid) = &peer.storage_id {
            store.delete(&peer_key(sid, &id))?;
        }
        let frame = if peer.linli {
            Message::Forget {
                sender_id: self.peer_id.clone(),
                target_id: peer.peer_id.clone(),
                document_id: id,
                reason: reason.into(),
            }
        } else {
            Message::DocUnavailable {
                sender_id: self.peer_id.clone(),
                target_id: peer.peer_id.clone(),
                document_id: id,
            }
        };
        out.push(Output::Send {
            conn,
            frame: frame.encode(),
        });
        if was_awaited {
            // An offer in flight withdrawn: room for the next.
            self.make_offers(store, conn, out)?;
        }
        Ok(())
    }

    /// Generates and queues a sync message for `conn` about `id`, if there is anything to say.
    fn sync_out(
        &mut self,
        store: &mut impl Store,
        conn: ConnId,
        id: DocumentId,
        initial: Option<sync::State>,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let max_docs = self.config.max_docs_per_conn;
        if self.load(store, &id)?.is_none() {
            return Ok(());
        }
        let peer_id = self.peer_id.clone();
        let (Some((doc, _)), Some(c)) = (self.loaded.get(&id), self.conns.get_mut(&conn)) else {
            return Ok(());
        };
        let Some(peer) = &c.peer else {
            return Ok(());
        };
        if !c.docs.contains_key(&id) && c.docs.len() >= max_docs {
            return Ok(());
        }
        let target = peer.peer_id.clone();
        let state = c
            .docs
            .entry(id)
            .or_insert_with(|| initial.unwrap_or_default());
        if let Some(m) = generate(doc, state) {
            out.push(Output::Send {
                conn,
                frame: Message::Sync {
                    sender_id: peer_id,
                    target_id: target,
                    document_id: id,
                    data: m.encode(),
                }
                .encode(),
            });
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn on_sync(
        &mut self,
        store: &mut impl Store,
        now: Millis,
        conn: ConnId,
        id: DocumentId,
        data: &[u8],
        is_request: bool,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let message = match sync::Message::decode(data) {
            Ok(m) if crate::wire::sync_message_is_sane(&m) => m,
            Ok(_) => {
                self.fail(
                    conn,
                    close::BAD_MESSAGE,
                    "bad sync message: bloom filter",
                    out,
                );
                return Ok(());
            }
            Err(e) => {
                self.fail(
                    conn,
                    close::BAD_MESSAGE,
                    &format!("bad sync message: {e}"),
                    out,
                );
                return Ok(());
            }
        };
        let Some(c) = self.conns.get(&conn) else {
            return Ok(());
        };
        let principal = c.principal.clone();
        let Some(peer) = c.peer.as_ref() else {
            return Ok(());
        };
        let peer_id = peer.peer_id.clone();
        let storage_id = peer.storage_id.clone();
        let in_play = c.docs.contains_key(&id);
        let too_many = !in_play && c.docs.len() >= self.config.max_docs_per_conn;

        let exists = self
            .index
            .get(&id)
            .map(|m| (m.quarantined, principal.may_read(&m.scope), m.scope.clone()));
        // Not revealing whether a document exists: a `request` for one this person may not
        // read is answered as for a missing one (unavailable), and a `sync` about one as for a
        // new one (from an empty document, never stored; changes to it are refused).
        let phantom = !is_request && matches!(&exists, Some((false, false, _)));
        let unavailable = match &exists {
            Some((quarantined, may_read, _)) => (*quarantined || !may_read) && !phantom,
            None => is_request || self.tombstones.contains(&id),
        };
        if self.tombstones.contains(&id) {
            return self.forget(store, conn, id, "erased", out);
        }
        if self.rewritten.contains_key(&id)
            && matches!(&exists, Some((false, true, _)))
            && self.load(store, &id)?.is_some()
            && self.holds_old_history(&id, &message)
        {
            return self.replace_on(store, conn, id, out);
        }
        if unavailable || too_many {
            if let Some(c) = self.conns.get_mut(&conn) {
                c.docs.remove(&id);
            }
            out.push(Output::Send {
                conn,
                frame: Message::DocUnavailable {
                    sender_id: self.peer_id.clone(),
                    target_id: peer_id,
                    document_id: id,
                }
                .encode(),
            });
            return Ok(());
        }

        // A day's bytes of changes per person and per device (the relay's own edits aside).
        if !message.changes.is_empty()
            && let Err(detail) = self.may_send(&principal, now)
        {
            let refusal = rules::Refusal::new(crate::api::RefusalCode::Quota, detail, &[]);
            self.refuse(store, now, conn, id, &principal, refusal, out)?;
            return Ok(());
        }

        // The sync state for this document on this connection.
        let mut state = match self.conns.get_mut(&conn).and_then(|c| c.docs.remove(&id)) {
            Some(s) => s,
            None => match &storage_id {
                Some(sid) => store
                    .get(&peer_key(sid, &id))?
                    .and_then(|b| sync::State::decode(&b).ok())
                    .unwrap_or_default(),
                None => sync::State::new(),
            },
        };
        let shared_before = state.shared_heads.clone();

        let new_doc = exists.is_none() || phantom;
        let result = if new_doc {
            // Someone is creating a document: sync against an empty one, register it when
            // changes arrive and pass the rules.
            let mut fresh = Automerge::new();
            let people = &self.people;
            let ctx = rules::Ctx {
                household_of: &|p| people.get(p).map(|r| r.household.clone()),
                now: Some(now),
                grids: Some(&self.grids),
                name_of: &|p| people.get(p).and_then(|r| r.name.clone().flatten()),
                household_grid: &|h| {
                    people
                        .values()
                        .find(|r| r.household == h && r.grid.is_some())
                        .and_then(|r| r.grid.clone())
                },
            };
            Self::receive(&principal, &ctx, &mut fresh, &mut state, message)
                .map(|r| (Some(fresh), r))
        } else {
            if self.load(store, &id)?.is_none() {
                // Quarantined just now: answer as for any unavailable document.
                out.push(Output::Send {
                    conn,
                    frame: Message::DocUnavailable {
                        sender_id: self.peer_id.clone(),
                        target_id: peer_id,
                        document_id: id,
                    }
                    .encode(),
                });
                return Ok(());
            }
            let people = &self.people;
            let ctx = rules::Ctx {
                household_of: &|p| people.get(p).map(|r| r.household.clone()),
                now: Some(now),
                grids: Some(&self.grids),
                name_of: &|p| people.get(p).and_then(|r| r.name.clone().flatten()),
                household_grid: &|h| {
                    people
                        .values()
                        .find(|r| r.household == h && r.grid.is_some())
                        .and_then(|r| r.grid.clone())
                },
            };
            let Some((doc, _)) = self.loaded.get_mut(&id) else {
                return Ok(());
            };
            Self::receive(&principal, &ctx, doc, &mut state, message).map(|r| (None, r))
        };

        // A new document counts against its kind's, its creator's and their device's day.
        let quota = match &result {
            Ok((Some(fresh), r)) if !phantom && !r.changes.is_empty() => {
                let kind = crate::domain::doc_kind(fresh);
                match self.kind_quota_used(&principal.person, kind, now) {
                    Some(max) => Some(format!(
                        "more than {max} new {} documents today",
                        kind.map_or("", DocKind::as_str)
                    )),
                    None => self.may_create(&principal, now).err(),
                }
            }
            _ => None,
        };
        let (changes, missing) = match result {
            Ok((_, Received { changes, .. })) if phantom && !changes.is_empty() => {
                let refusal = rules::Refusal::new(
                    crate::api::RefusalCode::NotAllowed,
                    format!("a {} may not write this document", principal.role.as_str()),
                    &changes,
                );
                self.refuse(store, now, conn, id, &principal, refusal, out)?;
                return Ok(());
            }
            Ok((Some(_), Received { changes, .. })) if quota.is_some() => {
                let detail = quota.unwrap_or_default();
                let refusal = rules::Refusal::new(crate::api::RefusalCode::Quota, detail, &changes);
                self.refuse(store, now, conn, id, &principal, refusal, out)?;
                return Ok(());
            }
            Ok((fresh, Received { changes, missing })) => {
                if let Some(fresh) = fresh
                    && !changes.is_empty()
                {
                    self.keep_loaded(id, fresh);
                    self.index.insert(id, DocMeta::empty());
                }
                (changes, missing)
            }
            Err(Rejection::Refused(refusal)) => {
                self.refuse(store, now, conn, id, &principal, refusal, out)?;
                return Ok(());
            }
            Err(Rejection::Panicked(detail)) => {
                self.quarantine(store, now, id, &principal.person, &detail)?;
                out.push(Output::Send {
                    conn,
                    frame: Message::DocUnavailable {
                        sender_id: self.peer_id.clone(),
                        target_id: peer_id,
                        document_id: id,
                    }
                    .encode(),
                });
                return Ok(());
            }
        };

        if !changes.is_empty() {
            self.count_sent(&principal, now, &changes);
            self.persist(store, &id, &changes)?;
        }
        if let Some(sid) = &storage_id
            && state.shared_heads != shared_before
        {
            store.put(&peer_key(sid, &id), &state.encode())?;
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            c.docs.insert(id, state);
        }
        // Only reply about documents that exist (an empty probe of an unknown id stays silent
        // apart from the reply that lets the sender push its changes).
        self.reply(conn, id, new_doc && changes.is_empty(), missing, out);
        if !changes.is_empty() {
            self.fan_out(store, conn, id, out)?;
            self.after_change(store, id, &changes, out)?;
        }
        Ok(())
    }

    /// Keeps derived documents current after a document changed (a request's entry on its
    /// grid's public board): the document's kind says whether the changes matter and what
    /// to write ([`crate::domain::DocType::projection`]).
    fn after_change(
        &mut self,
        store: &mut impl Store,
        id: DocumentId,
        changes: &[Change],
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let Some(kind) = self.index.get(&id).and_then(|m| m.scope.kind) else {
            return Ok(());
        };
        if !kind.projects(changes) {
            return Ok(());
        }
        let now = self.now;
        let Some(projection) = self
            .loaded
            .get(&id)
            .and_then(|(d, _)| kind.projection(&id, d, now))
        else {
            return Ok(());
        };
        let group = (projection.kind, projection.group);
        let target = match self.projections.get(&group) {
            Some(t) => *t,
            None => {
                // A new derived document: its id comes from the relay's secret, its kind and
                // its group, never from the document that caused it.
                let target = self.derived_id(group.0, &group.1);
                match self.local_change(store, target, projection.create) {
                    Ok(o) => out.extend(o),
                    Err(LocalChangeError::Relay(e)) => return Err(e),
                    Err(_) => return Ok(()),
                }
                self.projections.insert(group, target);
                target
            }
        };
        // Heads noted only for a projection that forgets: this runs after every request's change.
        let before = projection
            .forgets
            .then(|| self.index.get(&target).map(|m| m.heads.clone()));
        match self.local_change(store, target, projection.update) {
            Ok(o) => out.extend(o),
            Err(LocalChangeError::Relay(e)) => return Err(e),
            Err(_) => {}
        }
        if let Some(before) = before
            && self.index.get(&target).map(|m| &m.heads) != before.as_ref()
        {
            match self.rewrite(store, target) {
                Ok(o) => out.extend(o),
                Err(LocalChangeError::Relay(e)) => return Err(e),
                Err(_) => {}
            }
        }
        Ok(())
    }

    /// The id of the derived document of `kind` for `group` (a grid's board).
    fn derived_id(&self, kind: DocKind, group: &str) -> DocumentId {
        use sha2::{Digest, Sha256};
        let d = Sha256::new()
            .chain_update(b"linli-derived:")
            .chain_update(&self.derive_secret)
            .chain_update(kind.as_str().as_bytes())
            .chain_update([0])
            .chain_update(group.as_bytes())
            .finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&d[..16]);
        DocumentId::from_bytes(b)
    }

    /// Answers `conn` about `id` (using an empty document if `id` is not registered yet).
    fn reply(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        empty: bool,
        need: Vec<ChangeHash>,
        out: &mut Vec<Output>,
    ) {
        let empty_doc = Automerge::new();
        let doc = if empty {
            &empty_doc
        } else {
            match self.loaded.get(&id) {
                Some((d, _)) => d,
                None => return,
            }
        };
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let Some(peer) = &c.peer else { return };
        let target = peer.peer_id.clone();
        let Some(state) = c.docs.get_mut(&id) else {
            return;
        };
        // The peer already has our current heads from our last message (a change fanned out
        // while it was acknowledging the one before): a reply with no changes and no needs
        // would tell it nothing. Skipping it halves the frames of a busy document.
        let told = need.is_empty()
            && !state.needs_reset
            && state.have_responded
            && state.last_sent_heads == doc.get_heads();
        // Nor can it carry changes when the peer asks for none and has not lost its data:
        // everything up to our heads went out already. Skip even generating it.
        if told
            && state.their_heads.as_ref().is_some_and(|h| {
                !h.is_empty() && h.iter().all(|c| doc.get_change_meta_by_hash(c).is_some())
            })
            && state.their_need.as_ref().is_none_or(|n| n.is_empty())
        {
            return;
        }
        if !need.is_empty() {
            // Make sure a message goes out even if the heads did not move.
            state.last_sent_heads.clear();
            state.in_flight = false;
        }
        if let Some(mut m) = generate(doc, state) {
            if told && m.changes.is_empty() && m.need.is_empty() {
                return;
            }
            for h in need {
                if !m.need.contains(&h) {
                    m.need.push(h);
                }
            }
            // The encoding requires sorted hash lists.
            m.need.sort();
            out.push(Output::Send {
                conn,
                frame: Message::Sync {
                    sender_id: self.peer_id.clone(),
                    target_id: target,
                    document_id: id,
                    data: m.encode(),
                }
                .encode(),
            });
        }
    }

    /// Sends the document's news to every other connection that holds it or may hold it.
    fn fan_out(
        &mut self,
        store: &mut impl Store,
        from: ConnId,
        id: DocumentId,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        let Some(scope) = self.index.get(&id).map(|m| m.scope.clone()) else {
            return Ok(());
        };
        let mut targets: Vec<(ConnId, bool)> = Vec::new();
        for (cid, c) in &self.conns {
            if *cid == from || c.closing {
                continue;
            }
            let Some(peer) = &c.peer else { continue };
            let holds = c.docs.contains_key(&id);
            let may = c.principal.may_read(&scope);
            if may && (holds || peer.linli) {
                targets.push((*cid, holds));
            } else if holds && !may {
                targets.push((*cid, false));
            }
        }
        targets.sort();
        for (cid, _) in targets {
            let may = self
                .conns
                .get(&cid)
                .is_some_and(|c| c.principal.may_read(&scope));
            if may {
                let initial = self.persisted_state(store, cid, &id)?;
                self.sync_out(store, cid, id, initial, out)?;
            } else {
                self.forget(store, cid, id, "no longer available to this device", out)?;
            }
        }
        Ok(())
    }

    fn persisted_state(
        &self,
        store: &impl Store,
        conn: ConnId,
        id: &DocumentId,
    ) -> Result<Option<sync::State>, RelayError> {
        let Some(c) = self.conns.get(&conn) else {
            return Ok(None);
        };
        if c.docs.contains_key(id) {
            return Ok(None);
        }
        let Some(sid) = c.peer.as_ref().and_then(|p| p.storage_id.as_ref()) else {
            return Ok(None);
        };
        Ok(store
            .get(&peer_key(sid, id))?
            .and_then(|b| sync::State::decode(&b).ok()))
    }

    /// Applies a sync message, checking its new changes against the sender's rights; only
    /// changes that pass stay in the document.
    ///
    /// The usual message carries whole changes whose dependencies the relay has: they are
    /// applied in place and checked; a refusal (rare: it closes the connection) rebuilds the
    /// document as it was. Anything else (a compressed document, missing dependencies) goes
    /// through a clone first. If some changes cannot be applied yet (their dependencies are
    /// missing, e.g. after a bloom-filter false positive on the sender's side), nothing is
    /// applied: the message's heads and needs are taken in, and the reply asks for the missing
    /// changes with a sync-reset so the sender sends everything again. Queued changes never
    /// sit in the shared document, where another connection's message could later complete
    /// them unchecked.
    fn receive(
        principal: &Principal,
        ctx: &rules::Ctx<'_>,
        doc: &mut Automerge,
        state: &mut sync::State,
        message: sync::Message,
    ) -> Result<Received, Rejection> {
        catch_unwind(AssertUnwindSafe(|| -> Result<Received, Refusal> {
            if message.changes.is_empty() {
                // Heads and bloom filters only: nothing to check.
                doc.receive_sync_message(state, message)
                    .map_err(|e| Refusal::malformed(e.to_string()))?;
                return Ok(Received::default());
            }
            if let Some(incoming) = applicable_in_place(doc, &message) {
                // Before applying anything: a huge splice would hold the hub for seconds.
                rules::check_ops(&incoming)?;
                let before = rules::Before::for_changes(doc, &incoming);
                let heads_before = doc.get_heads();
                let mut trial = state.clone();
                doc.receive_sync_message(&mut trial, message)
                    .map_err(|e| Refusal::malformed(e.to_string()))?;
                let changes = doc.get_changes(&heads_before);
                let checked = second_history(&heads_before, &changes)
                    .and_then(|()| rules::check_changes(principal, ctx, &before, doc, &changes));
                if let Err(refusal) = checked {
                    *doc = doc
                        .fork_at(&heads_before)
                        .map_err(|e| Refusal::malformed(e.to_string()))?;
                    return Err(refusal);
                }
                *state = trial;
                return Ok(Received {
                    changes,
                    missing: Vec::new(),
                });
            }
            let heads_before = doc.get_heads();
            let stripped = sync::Message {
                changes: sync::ChunkList::empty(),
                ..message.clone()
            };
            let mut clone = doc.clone();
            let mut trial = state.clone();
            clone
                .receive_sync_message(&mut trial, message)
                .map_err(|e| Refusal::malformed(e.to_string()))?;
            let missing = clone.get_missing_deps(&[]);
            if !missing.is_empty() {
                doc.receive_sync_message(state, stripped)
                    .map_err(|e| Refusal::malformed(e.to_string()))?;
                state.needs_reset = true;
                return Ok(Received {
                    changes: Vec::new(),
                    missing,
                });
            }
            let changes = clone.get_changes(&heads_before);
            second_history(&heads_before, &changes)?;
            rules::check_changes(
                principal,
                ctx,
                &rules::Before::for_changes(doc, &changes),
                &clone,
                &changes,
            )?;
            *doc = clone;
            *state = trial;
            Ok(Received {
                changes,
                missing: Vec::new(),
            })
        }))
        .map_err(panic_detail)?
        .map_err(Rejection::Refused)
    }

    /// Records a refused change and tells the sender.
    #[allow(clippy::too_many_arguments)]
    fn refuse(
        &mut self,
        store: &mut impl Store,
        now: Millis,
        conn: ConnId,
        id: DocumentId,
        principal: &Principal,
        refusal: Refusal,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        self.audit(
            store,
            AuditEntry {
                at: now,
                person: principal.person.clone(),
                document: id.to_string(),
                code: refusal.code.to_string(),
                detail: refusal.detail.clone(),
            },
        )?;
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(());
        };
        c.closing = true;
        c.docs.remove(&id);
        let Some(peer) = &c.peer else {
            return Ok(());
        };
        // The device drops its copy; at its next connection it is offered ours afresh.
        if let Some(sid) = &peer.storage_id {
            store.delete(&peer_key(sid, &id))?;
        }
        let reason = format!("{}: {}", refusal.code, refusal.detail);
        if peer.linli {
            out.push(Output::Send {
                conn,
                frame: Message::Rejected {
                    sender_id: self.peer_id.clone(),
                    target_id: peer.peer_id.clone(),
                    document_id: id,
                    changes: refusal.changes.iter().map(|h| hex(&h.0)).collect(),
                    reason: refusal.detail.clone(),
                    code: refusal.code.to_string(),
                }
                .encode(),
            });
        }
        out.push(Output::Send {
            conn,
            frame: Message::Error {
                sender_id: Some(self.peer_id.clone()),
                target_id: Some(peer.peer_id.clone()),
                message: reason.clone(),
            }
            .encode(),
        });
        out.push(Output::Close {
            conn,
            code: close::REFUSED,
            // Close reasons are limited to 123 bytes.
            reason: truncate_utf8(&reason, 120),
        });
        Ok(())
    }

    fn quarantine(
        &mut self,
        store: &mut impl Store,
        now: Millis,
        id: DocumentId,
        person: &str,
        detail: &str,
    ) -> Result<(), RelayError> {
        self.loaded.remove(&id);
        if let Some(meta) = self.index.get_mut(&id) {
            meta.quarantined = true;
            let bytes = serde_json::to_vec(meta).unwrap_or_default();
            store.put(&meta_key(&id), &bytes)?;
        }
        self.audit(
            store,
            AuditEntry {
                at: now,
                person: person.to_string(),
                document: id.to_string(),
                code: "quarantined".into(),
                detail: detail.into(),
            },
        )
    }

    pub fn audit(&mut self, store: &mut impl Store, entry: AuditEntry) -> Result<(), RelayError> {
        let k = key(&["audit", &format!("{:016}", self.audit_seq)]);
        self.audit_seq += 1;
        store.put(&k, &serde_json::to_vec(&entry).unwrap_or_default())?;
        Ok(())
    }

    /// The audit log, oldest first.
    pub fn audit_log(store: &impl Store) -> Result<Vec<AuditEntry>, RelayError> {
        Ok(store
            .scan_prefix(b"audit/")?
            .into_iter()
            .filter_map(|(_, v)| serde_json::from_slice(&v).ok())
            .collect())
    }

    /// Stages accepted changes: one incremental chunk, compacting into a snapshot when the
    /// chunks pile up, and the document's metadata.
    fn persist(
        &mut self,
        store: &mut impl Store,
        id: &DocumentId,
        changes: &[Change],
    ) -> Result<(), RelayError> {
        let Some((doc, _)) = self.loaded.get(id) else {
            return Ok(());
        };
        let scope = Scope::read(doc);
        let heads = heads_hex(&doc.get_heads());
        if let Some(grids) = scope
            .kind
            .filter(|k| k.defines_grids())
            .and_then(|k| k.grids(doc))
        {
            self.grids = grids.into_iter().collect();
        }
        let active: Vec<String> = scope
            .kind
            .and_then(|k| k.delegates(doc))
            .unwrap_or_default();
        let team: Vec<String> = scope.kind.and_then(|k| k.team(doc)).unwrap_or_default();
        let Some(meta) = self.index.get_mut(id) else {
            return Ok(());
        };
        if let (Some(subject), Some(household)) = (&scope.subject, &scope.household)
            && scope.kind.is_some_and(DocKind::is_directory)
        {
            let residence = Residence {
                household: household.clone(),
                grid: scope.grid.clone(),
                doc: *id,
                name: Some(scope.kind.and_then(|k| k.display_name(doc))),
                party: scope.kind.and_then(|k| k.party(doc)),
            };
            let before = self.people.insert(subject.clone(), residence.clone());
            // Moved, renamed (or new): what their grid gives them, and their signature, differ.
            let changed = before.is_none_or(|b| {
                b.household != residence.household
                    || b.grid != residence.grid
                    || b.name.is_some_and(|n| Some(n) != residence.name)
                    || b.party != residence.party
            });
            if changed {
                self.moved.insert(subject.clone());
            }
        }
        if let Some(subject) = &scope.subject
            && meta.delegates != active
        {
            for v in &meta.delegates {
                if let Some(set) = self.consents.get_mut(v) {
                    set.remove(subject);
                }
            }
            for v in &active {
                self.consents
                    .entry(v.clone())
                    .or_default()
                    .insert(subject.clone());
            }
            self.consents_changed = true;
        }
        meta.delegates = active;
        if meta.team != team {
            // Those who joined or left a team: what their new grid gives them changes.
            if let Some(grid) = &scope.grid {
                for m in &meta.team {
                    if let Some(set) = self.teams.get_mut(m) {
                        set.remove(grid);
                    }
                }
                for m in &team {
                    self.teams
                        .entry(m.clone())
                        .or_default()
                        .insert(grid.clone());
                }
            }
            self.moved.extend(meta.team.iter().chain(&team).cloned());
            meta.team = team;
        }
        meta.name = scope
            .kind
            .filter(|k| k.is_directory())
            .and_then(|k| k.display_name(doc));
        meta.party = scope
            .kind
            .filter(|k| k.is_directory())
            .and_then(|k| k.party(doc));
        if meta.chunks + 1 >= self.config.compact_after_chunks {
            store.put(&doc_key(id, "snap"), &doc.save())?;
            store.delete_prefix(&key(&["doc", &id.to_string(), "c", ""]))?;
            meta.chunks = 0;
        } else {
            let mut chunk = Vec::new();
            for c in changes {
                chunk.extend_from_slice(c.raw_bytes());
            }
            store.put(&chunk_key(id, meta.next_chunk), &chunk)?;
            meta.next_chunk += 1;
            meta.chunks += 1;
        }
        meta.scope = scope;
        meta.heads = heads;
        let bytes = serde_json::to_vec(meta).unwrap_or_default();
        store.put(&meta_key(id), &bytes)?;
        Ok(())
    }

    /// A registered document as stored, without keeping it in memory or counting it as used
    /// (for reading many documents once, such as the open API's index, without evicting the
    /// ones connections work on). `None` if unknown or if it cannot be loaded (the relay
    /// quarantines it when it next loads it itself).
    pub fn read_document(
        &self,
        store: &impl Store,
        id: &DocumentId,
    ) -> Result<Option<Automerge>, RelayError> {
        if let Some((d, _)) = self.loaded.get(id) {
            return Ok(Some(d.clone()));
        }
        if !self.index.contains_key(id) {
            return Ok(None);
        }
        Ok(read_stored(store, id)?.ok().and_then(Result::ok))
    }

    /// Loads a registered document into memory (if it is not already) and returns it.
    fn load(
        &mut self,
        store: &impl Store,
        id: &DocumentId,
    ) -> Result<Option<&Automerge>, RelayError> {
        self.touch += 1;
        let touch = self.touch;
        if let Some(entry) = self.loaded.get_mut(id) {
            entry.1 = touch;
            return Ok(self.loaded.get(id).map(|(d, _)| d));
        }
        if !self.index.contains_key(id) {
            return Ok(None);
        }
        let doc = match read_stored(store, id)? {
            Ok(Ok(d)) => d,
            // A document that cannot be loaded (corrupt bytes, or automerge panicked) is
            // quarantined alone; the relay keeps serving every other document.
            failed => {
                let detail = match failed {
                    Ok(Err(e)) => format!("cannot load: {e}"),
                    _ => "loading panicked".to_string(),
                };
                if let Some(m) = self.index.get_mut(id) {
                    m.quarantined = true;
                }
                self.to_quarantine.push((*id, detail));
                return Ok(None);
            }
        };
        self.keep_loaded(*id, doc);
        Ok(self.loaded.get(id).map(|(d, _)| d))
    }

    /// Keeps a document in memory, evicting the least recently used one beyond the limit.
    fn keep_loaded(&mut self, id: DocumentId, doc: Automerge) {
        if !self.loaded.contains_key(&id)
            && self.loaded.len() >= self.config.max_loaded_docs
            && let Some(victim) = self
                .loaded
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| *k)
        {
            self.loaded.remove(&victim);
        }
        self.touch += 1;
        self.loaded.insert(id, (doc, self.touch));
    }

    /// Creates or edits a document as the relay itself (seeding, admin actions), persists the
    /// change and offers it to every connection entitled to it.
    pub fn local_change(
        &mut self,
        store: &mut impl Store,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), crate::domain::ModelError>,
    ) -> Result<Vec<Output>, LocalChangeError> {
        let existed = self.index.contains_key(&id);
        let mut doc = if existed {
            self.load(store, &id)?
                .cloned()
                .ok_or(LocalChangeError::Unavailable)?
        } else {
            Automerge::new()
        };
        doc.set_actor(self.actor.clone());
        let before = doc.get_heads();
        edit(&mut doc)?;
        let changes = doc.get_changes(&before);
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        if !existed {
            self.index.insert(id, DocMeta::empty());
        }
        self.keep_loaded(id, doc);
        self.persist(store, &id, &changes)?;
        let mut out = Vec::new();
        self.fan_out(store, ConnId::MAX, id, &mut out)?;
        self.after_change(store, id, &changes, &mut out)?;
        self.apply_consent_changes(store, &mut out)?;
        Ok(out)
    }

    /// Replaces a document's history with its current state (erasure: what was overwritten,
    /// such as an erased person's name, must be in no state the relay keeps or serves). The
    /// new document is one change by the relay; the old one's chunks are deleted from the
    /// store. Every connected device that holds it is told to drop it and is sent the new one;
    /// a device that is offline is told when it next speaks of it, and its old changes are
    /// never taken back (edits it made offline to the old one are reported to it as lost).
    pub fn rewrite(
        &mut self,
        store: &mut impl Store,
        id: DocumentId,
    ) -> Result<Vec<Output>, LocalChangeError> {
        let old = self
            .load(store, &id)?
            .cloned()
            .ok_or(LocalChangeError::Unavailable)?;
        let fresh = crate::docutil::copy_without_history(&old, self.actor.clone())
            .map_err(|e| LocalChangeError::Model(crate::domain::ModelError::from(e)))?;
        let old_hashes: HashSet<ChangeHash> = self
            .rewritten
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .chain(old.get_changes(&[]).iter().map(|c| c.hash()))
            .collect();
        let mut bytes = Vec::with_capacity(old_hashes.len() * 32);
        for h in &old_hashes {
            bytes.extend_from_slice(&h.0);
        }
        store.put(&key(&["rewritten", &id.to_string()]), &bytes)?;
        self.rewritten.insert(id, old_hashes);
        store.delete_prefix(&key(&["doc", &id.to_string(), ""]))?;
        store.put(&doc_key(&id, "snap"), &fresh.save())?;
        if let Some(meta) = self.index.get_mut(&id) {
            meta.chunks = 0;
            meta.heads = heads_hex(&fresh.get_heads());
            let bytes = serde_json::to_vec(meta).unwrap_or_default();
            store.put(&meta_key(&id), &bytes)?;
        }
        self.keep_loaded(id, fresh);
        let holders: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| c.docs.contains_key(&id))
            .map(|(k, _)| *k)
            .collect();
        let mut out = Vec::new();
        for conn in holders {
            self.replace_on(store, conn, id, &mut out)?;
        }
        Ok(out)
    }

    /// Whether a device's sync message about `id` speaks of history the relay rewrote: its
    /// heads, what it has or needs, or its changes (tried on a copy of the document: a change
    /// of the old history or one that depends on it) are of the old one.
    fn holds_old_history(&self, id: &DocumentId, message: &sync::Message) -> bool {
        let Some(old) = self.rewritten.get(id) else {
            return false;
        };
        let old_hash = |h: &ChangeHash| old.contains(h);
        if message.heads.iter().any(old_hash)
            || message.need.iter().any(old_hash)
            || message
                .have
                .iter()
                .any(|h| h.last_sync.iter().any(old_hash))
        {
            return true;
        }
        if message.changes.is_empty() {
            return false;
        }
        let Some((doc, _)) = self.loaded.get(id) else {
            return false;
        };
        let mut trial = doc.clone();
        let heads = trial.get_heads();
        let applied = catch_unwind(AssertUnwindSafe(|| {
            trial.receive_sync_message(&mut sync::State::new(), message.clone())
        }));
        if !matches!(applied, Ok(Ok(()))) {
            return false;
        }
        trial.get_missing_deps(&[]).iter().any(old_hash)
            || trial
                .get_changes(&heads)
                .iter()
                .any(|c| old_hash(&c.hash()) || c.deps().iter().any(old_hash))
    }

    /// Tells a device to drop its copy of a rewritten document and sends it the new one.
    fn replace_on(
        &mut self,
        store: &mut impl Store,
        conn: ConnId,
        id: DocumentId,
        out: &mut Vec<Output>,
    ) -> Result<(), RelayError> {
        self.forget(store, conn, id, crate::wire::FORGET_REWRITTEN, out)?;
        if let Some(c) = self.conns.get_mut(&conn) {
            c.owed.insert(id, OFFER_ANSWERS);
        }
        self.sync_out(store, conn, id, None, out)
    }

    /// Deletes a document from the store for good (erasure) and tells every connected device
    /// that holds it or could hold it to drop it; devices that are offline are told at their
    /// next connection (`announce`). The id stays on a tombstone list, so a device that still
    /// holds a copy can never upload it again.
    pub fn erase(
        &mut self,
        store: &mut impl Store,
        id: DocumentId,
    ) -> Result<Vec<Output>, RelayError> {
        let scope = self.index.remove(&id).map(|m| m.scope);
        self.loaded.remove(&id);
        store.delete(&meta_key(&id))?;
        store.delete_prefix(&key(&["doc", &id.to_string(), ""]))?;
        store.put(&key(&["tomb", &id.to_string()]), b"")?;
        self.tombstones.insert(id);
        if let Some(Scope {
            kind: Some(kind),
            subject: Some(subject),
            ..
        }) = &scope
            && kind.is_directory()
        {
            self.people.remove(subject);
            for set in self.consents.values_mut() {
                if set.remove(subject) {
                    self.consents_changed = true;
                }
            }
        }
        let mut out = Vec::new();
        let holders: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| {
                c.docs.contains_key(&id) || scope.as_ref().is_some_and(|s| c.principal.may_read(s))
            })
            .map(|(k, _)| *k)
            .collect();
        for conn in holders {
            self.forget(store, conn, id, "erased", &mut out)?;
        }
        self.apply_consent_changes(store, &mut out)?;
        Ok(out)
    }

    /// Re-checks every connection's rights, e.g. after a consent was withdrawn or a role
    /// changed: documents a connection may no longer see are forgotten, new ones offered.
    pub fn refresh_principal(
        &mut self,
        store: &mut impl Store,
        conn: ConnId,
        principal: Principal,
    ) -> Result<Vec<Output>, RelayError> {
        let mut out = Vec::new();
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(out);
        };
        c.principal = principal.clone();
        let held: Vec<DocumentId> = c.docs.keys().copied().collect();
        let linli = c.peer.as_ref().is_some_and(|p| p.linli);
        let storage = c.peer.as_ref().and_then(|p| p.storage_id.clone());
        for id in held {
            let may = self
                .index
                .get(&id)
                .is_some_and(|m| principal.may_read(&m.scope));
            if !may {
                self.forget(
                    store,
                    conn,
                    id,
                    "no longer available to this device",
                    &mut out,
                )?;
            }
        }
        if linli {
            self.announce(store, conn, storage.as_deref(), &mut out)?;
        }
        Ok(out)
    }

    /// Connections whose person is `person` (to refresh or close them).
    pub fn connections_of(&self, person: &str) -> Vec<ConnId> {
        self.conns
            .iter()
            .filter(|(_, c)| c.principal.person == person)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The ids of documents in play on a connection (tests and diagnostics).
    pub fn docs_of(&self, conn: ConnId) -> HashSet<DocumentId> {
        self.conns
            .get(&conn)
            .map(|c| c.docs.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Drops a document from memory (it is reloaded from the store when next needed).
    pub fn unload(&mut self, id: &DocumentId) {
        self.loaded.remove(id);
    }

    /// Heads of a document as the relay holds it.
    pub fn heads(&self, id: &DocumentId) -> Option<Vec<ChangeHash>> {
        self.index.get(id).map(|m| {
            m.heads
                .iter()
                .filter_map(|h| unhex(h))
                .filter_map(|b| ChangeHash::try_from(b.as_slice()).ok())
                .collect()
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LocalChangeError {
    #[error(transparent)]
    Relay(#[from] RelayError),
    #[error(transparent)]
    Model(#[from] crate::domain::ModelError),
    #[error("document unavailable")]
    Unavailable,
}

impl From<StoreError> for LocalChangeError {
    fn from(e: StoreError) -> Self {
        LocalChangeError::Relay(e.into())
    }
}

enum Rejection {
    Refused(Refusal),
    Panicked(String),
}

/// What a received sync message did: changes applied, or changes still needed first.
#[derive(Default)]
struct Received {
    changes: Vec<Change>,
    missing: Vec<ChangeHash>,
}

fn panic_detail(p: Box<dyn std::any::Any + Send>) -> Rejection {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into());
    Rejection::Panicked(msg)
}

/// `generate_sync_message`, guarded: a panic inside automerge (on state that a peer's message
/// left behind) costs that peer its sync state for the document, not the relay.
fn generate(doc: &Automerge, state: &mut sync::State) -> Option<sync::Message> {
    match catch_unwind(AssertUnwindSafe(|| doc.generate_sync_message(state))) {
        Ok(m) => m,
        Err(_) => {
            *state = sync::State::new();
            None
        }
    }
}

/// A change without dependencies on a document that already has a history starts a second
/// one beside it: a phone that did not hold the document yet wrote to an empty copy of it. Its
/// fields would conflict with the real ones and lose (automerge keeps the op with the higher
/// counter), so the change would be "confirmed" yet never seen. Refused instead, so the phone
/// hears of it.
fn second_history(heads_before: &[ChangeHash], changes: &[Change]) -> Result<(), Refusal> {
    if heads_before.is_empty() {
        return Ok(());
    }
    match changes.iter().find(|c| c.deps().is_empty()) {
        None => Ok(()),
        Some(c) => Err(Refusal::new(
            crate::api::RefusalCode::SecondHistory,
            "a second history of a document that exists (no dependencies)".to_string(),
            std::slice::from_ref(c),
        )),
    }
}

/// The message's changes, if each chunk is one whole change and every dependency is in the
/// document or in the message: then applying them cannot leave anything queued.
fn applicable_in_place(doc: &Automerge, message: &sync::Message) -> Option<Vec<Change>> {
    let mut changes = Vec::with_capacity(message.changes.len());
    for chunk in message.changes.iter() {
        let change = Change::from_bytes(chunk.to_vec()).ok()?;
        if change.raw_bytes().len() != chunk.len() {
            return None;
        }
        changes.push(change);
    }
    let hashes: HashSet<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
    let complete = changes.iter().all(|c| {
        c.deps()
            .iter()
            .all(|d| hashes.contains(d) || doc.get_change_meta_by_hash(d).is_some())
    });
    complete.then_some(changes)
}

fn truncate_utf8(s: &str, max: usize) -> String {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}
