//! The device's sans-IO sync core: the documents this phone holds and its link to the relay.
//!
//! The app's runtime feeds [`Input`]s (documents loaded from IndexedDB, frames from the
//! WebSocket, "saved" confirmations) and performs the returned [`Effect`]s in order.
//!
//! Durability rules:
//! - A local edit is saved (IndexedDB committed) before it is sent, and the UI calls it
//!   "saved on this phone" only after [`Input::Saved`].
//! - Changes received from the relay are saved before this device acknowledges them, so the
//!   relay never records that this device holds something it could still lose.

use std::collections::HashMap;

use automerge::sync::{self, SyncDoc};
use automerge::{ActorId, Automerge, ChangeHash};

use crate::domain::ModelError;
use crate::ids::{DocumentId, PeerId, StorageId};
use crate::relay::LINLI_VERSION;
use crate::time::Millis;
use crate::wire::{LinliMeta, Message, PROTOCOL_V1, PeerMetadata};

/// What the runtime tells the core.
#[derive(Debug)]
pub enum Input {
    /// A document read from local storage at start-up.
    Loaded {
        id: DocumentId,
        bytes: Vec<u8>,
        /// The sync state with a relay, keyed by that relay's storage id.
        relay: Option<(StorageId, Vec<u8>)>,
    },
    /// The socket to the relay is open; the core sends `join`.
    Connected,
    /// One frame from the relay.
    Frame(Vec<u8>),
    /// The socket closed.
    Disconnected,
    /// Local storage committed a [`Effect::Save`] for this document at these heads.
    Saved {
        id: DocumentId,
        heads: Vec<ChangeHash>,
    },
    /// Local storage failed a [`Effect::Save`] (full, or broken): the document stays unsaved
    /// (the next edit or [`Client::retry_unsaved`] saves it again) and is not sent meanwhile.
    SaveFailed { id: DocumentId },
}

/// What the runtime must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a frame to the relay.
    Send(Vec<u8>),
    /// Write to local storage: the document's bytes (when it changed; a snapshot followed by
    /// the changes since, replacing what was stored) and/or the sync state with the relay.
    /// Report back with [`Input::Saved`].
    Save {
        id: DocumentId,
        doc: Option<Vec<u8>>,
        relay: Option<(StorageId, Vec<u8>)>,
        heads: Vec<ChangeHash>,
    },
    /// Delete the document from local storage (erased, or no longer available to this device).
    Delete { id: DocumentId, reason: String },
    /// The document's content changed: refresh what shows it.
    Changed { id: DocumentId },
    /// The relay refused this device's changes to a document. The device has dropped its
    /// copy (a `Delete` precedes this) and will receive the relay's; `dropped` are this
    /// device's changes that were lost with it, for the person to see what was not accepted.
    Rejected {
        id: DocumentId,
        code: String,
        reason: String,
        dropped: Vec<ChangeHash>,
        /// What the dropped changes said, in the request's own words where it is a request.
        summary: Vec<String>,
    },
    /// The device writes under a new actor id from now on (persist it).
    ActorChanged { actor: ActorId },
    /// The relay answered the handshake.
    Joined {
        relay_storage: Option<StorageId>,
        relay_now: Option<Millis>,
    },
    /// The relay sent an error; the socket will close.
    RelayError(String),
}

struct Doc {
    doc: Automerge,
    /// Sync state with the relay this device last synced with: (relay storage id, state as
    /// persisted, i.e. only the shared heads).
    relay: Option<(StorageId, sync::State)>,
    /// Live sync state for the current connection.
    live: Option<sync::State>,
    /// Heads last committed to local storage.
    saved: Vec<ChangeHash>,
    /// Saves in flight; the document is not acknowledged to the relay until all have landed.
    saving: u32,
    /// The document changed while a save was in flight: save again when it lands.
    resave: bool,
    /// What storage holds: a snapshot followed by the change chunks saved since (automerge
    /// loads the concatenation). A save appends the new changes instead of re-encoding the
    /// whole document, which grew costly with long histories.
    stored: Vec<u8>,
    /// The heads `stored` covers, and how many chunks follow its snapshot.
    stored_heads: Vec<ChangeHash>,
    appended: u32,
}

/// The sync state to resume with a relay we synced with before: we take it to still have what
/// it had then (the shared heads), so the first message already carries what was added here
/// since, instead of a round of bloom filters first. If the relay has lost some of it, it
/// cannot apply the changes, asks for what it lacks, and the ordinary protocol takes over.
fn resume(persisted: &sync::State) -> sync::State {
    let mut st = persisted.clone();
    if !st.shared_heads.is_empty() {
        st.their_heads = Some(st.shared_heads.clone());
        st.their_have = Some(vec![sync::Have {
            last_sync: st.shared_heads.clone(),
            bloom: sync::BloomFilter::default(),
        }]);
        st.their_need = Some(Vec::new());
    }
    st
}

/// Change chunks appended to a stored snapshot before the next save writes a fresh snapshot.
const APPEND_BEFORE_SNAPSHOT: u32 = 32;

impl Doc {
    fn new(doc: Automerge) -> Doc {
        Doc {
            doc,
            relay: None,
            live: None,
            saved: Vec::new(),
            saving: 0,
            resave: false,
            stored: Vec::new(),
            stored_heads: Vec::new(),
            appended: 0,
        }
    }

    /// The bytes to store now: the last stored bytes with the new changes appended, or a
    /// fresh snapshot every so often.
    fn bytes_to_store(&mut self) -> Vec<u8> {
        let heads = self.doc.get_heads();
        if heads != self.stored_heads {
            let extends = self
                .stored_heads
                .iter()
                .all(|h| self.doc.get_change_meta_by_hash(h).is_some());
            if self.stored.is_empty() || self.appended >= APPEND_BEFORE_SNAPSHOT || !extends {
                self.stored = self.doc.save();
                self.appended = 0;
            } else {
                self.stored.extend(self.doc.save_after(&self.stored_heads));
                self.appended += 1;
            }
            self.stored_heads = heads;
        }
        self.stored.clone()
    }
}

struct Link {
    relay_peer: Option<PeerId>,
    relay_storage: Option<StorageId>,
}

pub struct Client {
    /// Join as a plain automerge-repo peer (no Linli extensions: nothing is pushed unasked).
    standard: bool,
    peer_id: PeerId,
    storage_id: StorageId,
    actor: ActorId,
    docs: HashMap<DocumentId, Doc>,
    link: Option<Link>,
    last_sync: Option<Millis>,
    /// What [`Client::status`] reports, kept as documents change: computed over every
    /// document after each frame, it made a staff phone's first sync of 77,000 documents
    /// quadratic.
    tally: Tally,
}

/// Per document, its unconfirmed changes and whether a save is in flight; and their totals.
#[derive(Default)]
struct Tally {
    of: HashMap<DocumentId, (usize, bool)>,
    unconfirmed: usize,
    saving: usize,
    /// Documents whose counts may have changed since the last [`Client::retally`].
    touched: Vec<DocumentId>,
    /// Everything may have changed (the link, or this device's actor).
    all: bool,
}

/// A summary for the sync indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncStatus {
    pub online: bool,
    /// Local changes the relay has not confirmed yet.
    pub unconfirmed: usize,
    /// Documents with a save to local storage still in flight.
    pub saving: usize,
    pub last_sync: Option<Millis>,
}

/// The next actor id of a device: the same device prefix, the generation (last 4 bytes) + 1.
pub fn next_actor(actor: &ActorId) -> ActorId {
    let mut bytes = actor.to_bytes().to_vec();
    let n = bytes.len();
    if n >= 4 {
        let g = u32::from_be_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
        bytes[n - 4..].copy_from_slice(&g.wrapping_add(1).to_be_bytes());
    } else {
        bytes.push(1);
    }
    ActorId::from(bytes)
}

/// What a request's unconfirmed history entries say (for "not accepted: …" notices).
fn describe_changes(doc: &Automerge, since: &[ChangeHash]) -> Vec<String> {
    let Ok(before) = doc.fork_at(since) else {
        return Vec::new();
    };
    let (Ok(old), Ok(new)) = (
        crate::domain::requests::Request::read(&before),
        crate::domain::requests::Request::read(doc),
    ) else {
        return match crate::domain::requests::Request::read(doc) {
            // A whole request that was refused.
            Ok(r)
                if since.is_empty() || crate::domain::requests::Request::read(&before).is_err() =>
            {
                vec![r.title]
            }
            _ => Vec::new(),
        };
    };
    new.events
        .iter()
        .filter(|e| !old.events.iter().any(|o| o.id == e.id))
        .map(|e| match &e.kind {
            crate::domain::requests::EventKind::Status { to } => {
                format!("status → {}", to.as_str())
            }
            crate::domain::requests::EventKind::Answer { text, .. }
            | crate::domain::requests::EventKind::Detail { text } => text.clone(),
            crate::domain::requests::EventKind::Recolour { to, reason } => {
                format!("colour → {}: {reason}", to.as_str())
            }
            crate::domain::requests::EventKind::Reopen { reason } => format!("reopen: {reason}"),
            crate::domain::requests::EventKind::Rate { stars, comment } => {
                format!("{stars}★ {comment}")
            }
        })
        .collect()
}

impl Client {
    /// `peer_id` should be fresh per session; `storage_id` and `actor` are this device's and
    /// persist across sessions.
    pub fn new(peer_id: PeerId, storage_id: StorageId, actor: ActorId) -> Self {
        Self {
            standard: false,
            peer_id,
            storage_id,
            actor,
            docs: HashMap::new(),
            link: None,
            last_sync: None,
            tally: Tally::default(),
        }
    }

    /// Brings the tally up to date with the documents touched since the last call (those named
    /// by `fx`, and those marked while handling), or with every document after a change that
    /// concerns them all.
    fn retally(&mut self, fx: &[Effect]) {
        let mut touched = std::mem::take(&mut self.tally.touched);
        if std::mem::take(&mut self.tally.all) {
            let counts: HashMap<DocumentId, (usize, bool)> = self
                .docs
                .iter()
                .map(|(id, d)| (*id, (self.unconfirmed_in(d), d.saving > 0)))
                .collect();
            self.tally.unconfirmed = counts.values().map(|c| c.0).sum();
            self.tally.saving = counts.values().filter(|c| c.1).count();
            self.tally.of = counts;
            return;
        }
        touched.extend(fx.iter().filter_map(|e| match e {
            Effect::Save { id, .. }
            | Effect::Delete { id, .. }
            | Effect::Changed { id }
            | Effect::Rejected { id, .. } => Some(*id),
            _ => None,
        }));
        if fx.iter().any(|e| matches!(e, Effect::ActorChanged { .. })) {
            self.tally.all = true;
            return self.retally(&[]);
        }
        touched.sort_unstable();
        touched.dedup();
        for id in touched {
            let now = self
                .docs
                .get(&id)
                .map(|d| (self.unconfirmed_in(d), d.saving > 0));
            let t = &mut self.tally;
            if let Some((u, saving)) = t.of.remove(&id) {
                t.unconfirmed -= u;
                t.saving -= usize::from(saving);
            }
            if let Some((u, saving)) = now {
                t.unconfirmed += u;
                t.saving += usize::from(saving);
                t.of.insert(id, (u, saving));
            }
        }
    }

    /// Speaks plain automerge-repo (for load generators and interoperability tests): the relay
    /// then sends only what this peer asks for.
    pub fn set_standard(&mut self, standard: bool) {
        self.standard = standard;
    }

    /// Asks the relay for a document this device does not hold (automerge-repo's `request`).
    pub fn request(&mut self, id: DocumentId) -> Vec<Effect> {
        let mut fx = Vec::new();
        let Some(target) = self.relay_target() else {
            return fx;
        };
        self.tally.touched.push(id);
        let actor = self.actor.clone();
        let d = self
            .docs
            .entry(id)
            .or_insert_with(|| Doc::new(Automerge::new().with_actor(actor)));
        let live = d.live.get_or_insert_with(sync::State::new);
        if let Some(m) = d.doc.generate_sync_message(live) {
            fx.push(Effect::Send(
                Message::Request {
                    sender_id: self.peer_id.clone(),
                    target_id: target,
                    document_id: id,
                    data: m.encode(),
                }
                .encode(),
            ));
        }
        self.retally(&fx);
        fx
    }

    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// Takes a new actor id (after the relay refused changes under the old one).
    pub fn set_actor(&mut self, actor: ActorId) {
        self.actor = actor;
        self.tally.all = true;
        self.retally(&[]);
    }

    /// A document this device holds. A document the relay has only announced (no changes
    /// received yet) is not held.
    pub fn doc(&self, id: &DocumentId) -> Option<&Automerge> {
        self.docs
            .get(id)
            .map(|d| &d.doc)
            .filter(|d| !d.get_heads().is_empty())
    }

    /// Ids of the documents this device holds (see [`Client::doc`]).
    pub fn doc_ids(&self) -> impl Iterator<Item = &DocumentId> {
        self.docs
            .iter()
            .filter(|(_, d)| !d.doc.get_heads().is_empty())
            .map(|(id, _)| id)
    }

    pub fn is_online(&self) -> bool {
        self.link.as_ref().is_some_and(|l| l.relay_peer.is_some())
    }

    pub fn status(&self) -> SyncStatus {
        debug_assert_eq!(
            (self.tally.unconfirmed, self.tally.saving),
            (
                self.docs.values().map(|d| self.unconfirmed_in(d)).sum(),
                self.docs.values().filter(|d| d.saving > 0).count()
            ),
            "the kept tally matches the documents"
        );
        SyncStatus {
            online: self.is_online(),
            unconfirmed: self.tally.unconfirmed,
            saving: self.tally.saving,
            last_sync: self.last_sync,
        }
    }

    /// This device's changes to one document that the relay has not confirmed.
    pub fn unconfirmed(&self, id: &DocumentId) -> usize {
        self.docs.get(id).map_or(0, |d| self.unconfirmed_in(d))
    }

    /// Counts only changes already committed to local storage: one still being saved is not
    /// "waiting to upload" yet, it is "saving" (see [`Client::unsaved`]).
    fn unconfirmed_in(&self, d: &Doc) -> usize {
        let shared = self.relay_shared(d);
        if shared.as_deref() == Some(d.saved.as_slice()) || d.saved.is_empty() {
            return 0;
        }
        let unsaved: std::collections::HashSet<ChangeHash> = if d.saved == d.doc.get_heads() {
            Default::default()
        } else {
            d.doc
                .get_changes(&d.saved)
                .iter()
                .map(|c| c.hash())
                .collect()
        };
        d.doc
            .get_changes(shared.as_deref().unwrap_or(&[]))
            .iter()
            .filter(|c| c.actor_id() == &self.actor && !unsaved.contains(&c.hash()))
            .count()
    }

    /// Whether this document has changes that local storage has not committed yet.
    pub fn unsaved(&self, id: &DocumentId) -> bool {
        self.docs
            .get(id)
            .is_some_and(|d| d.saving > 0 || d.saved != d.doc.get_heads())
    }

    /// Whether local storage has committed the document at least up to `heads` (the heads
    /// an edit returned): `None` when the device no longer holds the document (it was
    /// refused or removed before the save landed).
    pub fn is_saved(&self, id: &DocumentId, heads: &[ChangeHash]) -> Option<bool> {
        let d = self.docs.get(id)?;
        if heads.is_empty() || d.saved.as_slice() == heads {
            return Some(true);
        }
        if d.saved.is_empty() {
            return Some(false);
        }
        let after_saved = d.doc.get_changes(&d.saved);
        Some(
            heads
                .iter()
                .all(|h| d.doc.get_change_meta_by_hash(h).is_some())
                && !after_saved.iter().any(|c| heads.contains(&c.hash())),
        )
    }

    /// The document's current heads (what an edit just made), empty if it is not held.
    pub fn heads(&self, id: &DocumentId) -> Vec<ChangeHash> {
        self.docs
            .get(id)
            .map(|d| d.doc.get_heads())
            .unwrap_or_default()
    }

    /// The document as the relay is known to hold it (what it has confirmed), without this
    /// device's changes still waiting: "confirmed by the relay" as against "pending on this
    /// phone". `None` when the device does not hold the document; an empty document when the
    /// relay has confirmed nothing of it yet.
    pub fn confirmed(&self, id: &DocumentId) -> Option<Automerge> {
        let d = self.docs.get(id)?;
        let shared = self.relay_shared(d).unwrap_or_default();
        if shared.is_empty() {
            return Some(Automerge::new());
        }
        if shared == d.doc.get_heads() {
            return Some(d.doc.clone());
        }
        d.doc.fork_at(&shared).ok()
    }

    /// The heads this device knows the relay has.
    fn relay_shared(&self, d: &Doc) -> Option<Vec<ChangeHash>> {
        if let Some(live) = &d.live {
            return Some(live.shared_heads.clone());
        }
        let relay = self.link.as_ref().and_then(|l| l.relay_storage.as_ref());
        match (&d.relay, relay) {
            (Some((sid, st)), Some(r)) if sid == r => Some(st.shared_heads.clone()),
            (Some((_, st)), None) => Some(st.shared_heads.clone()),
            _ => None,
        }
    }

    pub fn handle(&mut self, now: Millis, input: Input) -> Vec<Effect> {
        match &input {
            Input::Loaded { id, .. } | Input::Saved { id, .. } | Input::SaveFailed { id } => {
                self.tally.touched.push(*id);
            }
            Input::Connected | Input::Disconnected => self.tally.all = true,
            Input::Frame(_) => {}
        }
        let fx = self.handle_input(now, input);
        self.retally(&fx);
        fx
    }

    fn handle_input(&mut self, now: Millis, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        match input {
            Input::Loaded { id, bytes, relay } => {
                // Already here (opened ahead of the rest, perhaps edited since): keep it,
                // taking in anything the stored copy has that it lacks.
                if let Some(d) = self.docs.get_mut(&id) {
                    let before = d.doc.get_heads();
                    let _ = d.doc.load_incremental(&bytes);
                    if d.doc.get_heads() != before {
                        self.sync_doc(id, &mut fx);
                    }
                    return fx;
                }
                // A stored document that fails to load is skipped, not fatal: the relay
                // will offer it again.
                if let Ok(mut doc) = Automerge::load(&bytes) {
                    doc.set_actor(self.actor.clone());
                    let heads = doc.get_heads();
                    let relay = relay
                        .and_then(|(sid, st)| sync::State::decode(&st).ok().map(|st| (sid, st)));
                    let mut d = Doc::new(doc);
                    d.relay = relay;
                    d.saved = heads.clone();
                    d.stored = bytes;
                    d.stored_heads = heads;
                    // Read after the relay answered the join (the app reads its stored
                    // documents in the background, and may connect meanwhile): offered now,
                    // as the join's answer offered the ones read before it, or a document
                    // made offline that the relay does not know would wait for the next
                    // connection.
                    let offer = self.link.as_ref().is_some_and(|l| {
                        l.relay_peer.is_some() && Self::needs_offer_to(&d, l.relay_storage.as_ref())
                    });
                    self.docs.insert(id, d);
                    if offer {
                        self.sync_doc(id, &mut fx);
                    }
                }
            }
            Input::Connected => {
                self.link = Some(Link {
                    relay_peer: None,
                    relay_storage: None,
                });
                fx.push(Effect::Send(
                    Message::Join {
                        sender_id: self.peer_id.clone(),
                        supported_protocol_versions: vec![PROTOCOL_V1.into()],
                        metadata: PeerMetadata {
                            storage_id: (!self.standard).then(|| self.storage_id.clone()),
                            is_ephemeral: self.standard,
                            linli: (!self.standard).then_some(LinliMeta {
                                version: LINLI_VERSION,
                                now: None,
                            }),
                        },
                    }
                    .encode(),
                ));
            }
            Input::Disconnected => {
                self.link = None;
                for d in self.docs.values_mut() {
                    d.live = None;
                }
            }
            Input::Frame(bytes) => self.on_frame(now, &bytes, &mut fx),
            Input::Saved { id, heads } => {
                if let Some(d) = self.docs.get_mut(&id) {
                    d.saving = d.saving.saturating_sub(1);
                    if !heads.is_empty() {
                        d.saved = heads;
                    }
                    if d.saving == 0 && std::mem::take(&mut d.resave) {
                        // Changed again while saving: save the newer state first.
                        self.save(id, true, &mut fx);
                        return fx;
                    }
                }
                self.sync_doc(id, &mut fx);
            }
            Input::SaveFailed { id } => {
                if let Some(d) = self.docs.get_mut(&id) {
                    d.saving = d.saving.saturating_sub(1);
                    if d.saving == 0 && std::mem::take(&mut d.resave) {
                        self.save(id, true, &mut fx);
                    }
                }
            }
        }
        fx
    }

    /// Saves again every document whose last save failed (call now and then).
    pub fn retry_unsaved(&mut self) -> Vec<Effect> {
        let ids: Vec<DocumentId> = self
            .docs
            .iter()
            .filter(|(_, d)| d.saving == 0 && d.saved != d.doc.get_heads())
            .map(|(id, _)| *id)
            .collect();
        let mut fx = Vec::new();
        for id in ids {
            self.save(id, true, &mut fx);
        }
        self.retally(&fx);
        fx
    }

    /// Applies a local edit. Creates the document if `id` is new. Returns the effects (a
    /// save, then a send once saved).
    pub fn change(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
    ) -> Result<Vec<Effect>, ModelError> {
        let actor = self.actor.clone();
        let fresh = !self.docs.contains_key(&id);
        let d = self
            .docs
            .entry(id)
            .or_insert_with(|| Doc::new(Automerge::new().with_actor(actor.clone())));
        d.doc.set_actor(actor);
        let before = d.doc.get_heads();
        if let Err(e) = edit(&mut d.doc) {
            // A refused edit leaves no empty document behind.
            if fresh {
                self.docs.remove(&id);
            }
            return Err(e);
        }
        let Some(d) = self.docs.get_mut(&id) else {
            return Ok(Vec::new());
        };
        let mut fx = Vec::new();
        if d.doc.get_heads() != before {
            // Personal data in text others will see: the relay would refuse it (and the device
            // would lose its other unsent edits with it), so it is never kept.
            let changes = d.doc.get_changes(&before);
            if let Some(what) = crate::rules::personal_data_in(&d.doc, &changes) {
                let actor = d.doc.get_actor().clone();
                d.doc = d.doc.fork_at(&before)?.with_actor(actor);
                return Err(crate::domain::InputError::PersonalData { what }.into());
            }
            fx.push(Effect::Changed { id });
            self.save(id, true, &mut fx);
        }
        self.retally(&fx);
        Ok(fx)
    }

    /// Drops a document from this device (the runtime deletes it from storage).
    pub fn remove(&mut self, id: &DocumentId) -> Vec<Effect> {
        self.docs.remove(id);
        let fx = vec![Effect::Delete {
            id: *id,
            reason: "removed".into(),
        }];
        self.retally(&fx);
        fx
    }

    fn save(&mut self, id: DocumentId, with_doc: bool, fx: &mut Vec<Effect>) {
        let relay_sid = self.link.as_ref().and_then(|l| l.relay_storage.clone());
        let Some(d) = self.docs.get_mut(&id) else {
            return;
        };
        if d.saving > 0 && with_doc {
            // The save in flight will be followed by another when it lands (see `Saved`).
            d.resave = true;
            return;
        }
        let relay = match (&d.live, relay_sid) {
            (Some(live), Some(sid)) => {
                // Only what outlives a connection (the shared heads): a clone of the live state
                // would carry this session's sent-hashes into the next and stall it.
                let bytes = live.encode();
                d.relay = sync::State::decode(&bytes).ok().map(|st| (sid.clone(), st));
                Some((sid, bytes))
            }
            _ => d.relay.as_ref().map(|(sid, st)| (sid.clone(), st.encode())),
        };
        d.saving += 1;
        fx.push(Effect::Save {
            id,
            doc: with_doc.then(|| d.bytes_to_store()),
            relay,
            // Empty for a save of the sync state alone: it does not change what is stored.
            heads: if with_doc {
                d.doc.get_heads()
            } else {
                Vec::new()
            },
        });
    }

    /// Whether the relay of storage `relay` may lack some of `d`: it has changes that relay
    /// has not confirmed, or it was never synced with that relay.
    fn needs_offer_to(d: &Doc, relay: Option<&StorageId>) -> bool {
        match (&d.relay, relay) {
            (Some((s, st)), Some(r)) if s == r => st.shared_heads != d.doc.get_heads(),
            _ => true,
        }
    }

    fn relay_target(&self) -> Option<PeerId> {
        self.link.as_ref().and_then(|l| l.relay_peer.clone())
    }

    /// Sends whatever the relay needs to hear about `id`, if connected and not mid-save.
    fn sync_doc(&mut self, id: DocumentId, fx: &mut Vec<Effect>) {
        let Some(target) = self.relay_target() else {
            return;
        };
        let relay_sid = self.link.as_ref().and_then(|l| l.relay_storage.clone());
        let Some(d) = self.docs.get_mut(&id) else {
            return;
        };
        if d.saving > 0 {
            return;
        }
        let live = d.live.get_or_insert_with(|| match (&d.relay, &relay_sid) {
            (Some((sid, st)), Some(r)) if sid == r => resume(st),
            _ => sync::State::new(),
        });
        if let Some(m) = d.doc.generate_sync_message(live) {
            fx.push(Effect::Send(
                Message::Sync {
                    sender_id: self.peer_id.clone(),
                    target_id: target,
                    document_id: id,
                    data: m.encode(),
                }
                .encode(),
            ));
        }
    }

    fn on_frame(&mut self, now: Millis, bytes: &[u8], fx: &mut Vec<Effect>) {
        let msg = match Message::decode(bytes) {
            Ok(m) => m,
            Err(e) => {
                fx.push(Effect::RelayError(format!("bad frame from relay: {e}")));
                return;
            }
        };
        match &msg {
            Message::Peer { .. } => self.tally.all = true,
            Message::Sync { document_id, .. }
            | Message::Request { document_id, .. }
            | Message::DocUnavailable { document_id, .. }
            | Message::Forget { document_id, .. }
            | Message::Rejected { document_id, .. } => self.tally.touched.push(*document_id),
            _ => {}
        }
        match msg {
            Message::Peer {
                sender_id,
                metadata,
                ..
            } => {
                let Some(link) = self.link.as_mut() else {
                    return;
                };
                link.relay_peer = Some(sender_id);
                link.relay_storage = metadata.storage_id.clone();
                self.last_sync = Some(now);
                fx.push(Effect::Joined {
                    relay_storage: metadata.storage_id.clone(),
                    relay_now: metadata.linli.and_then(|l| l.now),
                });
                // Offer what the relay may not have: documents with unconfirmed changes, and
                // documents never synced with this relay.
                let sid = metadata.storage_id;
                let mut ids: Vec<DocumentId> = self
                    .docs
                    .iter()
                    .filter(|(_, d)| Self::needs_offer_to(d, sid.as_ref()))
                    .map(|(id, _)| *id)
                    .collect();
                ids.sort();
                for id in ids {
                    self.sync_doc(id, fx);
                }
            }
            Message::Sync {
                document_id, data, ..
            }
            | Message::Request {
                document_id, data, ..
            } => self.on_sync(now, document_id, &data, fx),
            Message::DocUnavailable { document_id, .. } => {
                if let Some(d) = self.docs.get_mut(&document_id) {
                    d.live = None;
                }
            }
            Message::Forget {
                document_id,
                reason,
                ..
            } if self.docs.contains_key(&document_id) => {
                // Edits made here that the relay never got go with the document: say so.
                let lost = self.docs.get(&document_id).map(|d| {
                    let shared = self.relay_shared(d).unwrap_or_default();
                    (
                        d.doc
                            .get_changes(&shared)
                            .iter()
                            .map(|c| c.hash())
                            .collect::<Vec<_>>(),
                        describe_changes(&d.doc, &shared),
                    )
                });
                self.docs.remove(&document_id);
                fx.push(Effect::Delete {
                    id: document_id,
                    reason: reason.clone(),
                });
                fx.push(Effect::Changed { id: document_id });
                if let Some((dropped, summary)) = lost.filter(|(d, _)| !d.is_empty()) {
                    let code = if reason == crate::wire::FORGET_REWRITTEN {
                        "rewritten"
                    } else {
                        "no_longer_available"
                    };
                    fx.push(Effect::Rejected {
                        id: document_id,
                        code: code.into(),
                        reason,
                        dropped,
                        summary,
                    });
                }
            }
            Message::Rejected {
                document_id,
                reason,
                code,
                ..
            } => self.on_rejected(document_id, code, reason, fx),
            Message::Error { message, .. } => fx.push(Effect::RelayError(message)),
            _ => {}
        }
    }

    /// Recovers from a refusal: drops this device's copy of the document (the relay sends its
    /// own again), reports what was lost, and moves to a new actor id, because the refused
    /// changes used up sequence numbers of the old one.
    fn on_rejected(&mut self, id: DocumentId, code: String, reason: String, fx: &mut Vec<Effect>) {
        let (dropped, summary) = match self.docs.get(&id) {
            Some(d) => {
                let shared = self.relay_shared(d).unwrap_or_default();
                // Everything the relay does not have is this device's (under any of its actors).
                let mine = d.doc.get_changes(&shared);
                let summary = describe_changes(&d.doc, &shared);
                (mine.iter().map(|c| c.hash()).collect(), summary)
            }
            None => (Vec::new(), Vec::new()),
        };
        if self.docs.remove(&id).is_some() {
            fx.push(Effect::Delete {
                id,
                reason: "refused".into(),
            });
            fx.push(Effect::Changed { id });
        }
        fx.push(Effect::Rejected {
            id,
            code,
            reason,
            dropped,
            summary,
        });
        self.actor = next_actor(&self.actor);
        fx.push(Effect::ActorChanged {
            actor: self.actor.clone(),
        });
    }

    fn on_sync(&mut self, now: Millis, id: DocumentId, data: &[u8], fx: &mut Vec<Effect>) {
        let Some(message) = sync::Message::decode(data)
            .ok()
            .filter(crate::wire::sync_message_is_sane)
        else {
            fx.push(Effect::RelayError("bad sync message from relay".into()));
            return;
        };
        let relay_sid = self.link.as_ref().and_then(|l| l.relay_storage.clone());
        let actor = self.actor.clone();
        let d = self
            .docs
            .entry(id)
            .or_insert_with(|| Doc::new(Automerge::new().with_actor(actor)));
        let live = d.live.get_or_insert_with(|| match (&d.relay, &relay_sid) {
            (Some((sid, st)), Some(r)) if sid == r => resume(st),
            _ => sync::State::new(),
        });
        let before = d.doc.get_heads();
        let shared_before = live.shared_heads.clone();
        if d.doc.receive_sync_message(live, message).is_err() {
            fx.push(Effect::RelayError(
                "relay sent changes that do not apply".into(),
            ));
            return;
        }
        self.last_sync = Some(now);
        let changed = d.doc.get_heads() != before;
        let shared_changed = live.shared_heads != shared_before;
        if changed {
            fx.push(Effect::Changed { id });
            // Acknowledge only after the save lands (`Saved` calls `sync_doc`).
            self.save(id, true, fx);
        } else {
            if shared_changed {
                // The relay confirmed our changes: remember it, so a restart does not resend.
                self.save(id, false, fx);
                fx.push(Effect::Changed { id });
            }
            self.sync_doc(id, fx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;

    fn stored_after(fx: &[Effect]) -> Option<Vec<u8>> {
        fx.iter().find_map(|e| match e {
            Effect::Save { doc, .. } => doc.clone(),
            _ => None,
        })
    }

    /// The relay's answer to a join, as the client reads it.
    fn joined(c: &mut Client) {
        let _ = c.handle(0, Input::Connected);
        let peer = Message::Peer {
            sender_id: "relay".into(),
            target_id: "p".into(),
            selected_protocol_version: PROTOCOL_V1.into(),
            metadata: PeerMetadata {
                storage_id: Some("relay-storage".into()),
                is_ephemeral: false,
                linli: None,
            },
        };
        let _ = c.handle(0, Input::Frame(peer.encode()));
    }

    #[test]
    fn a_refused_edit_of_a_record_not_held_leaves_no_document_behind() {
        use crate::domain::Command;
        use crate::domain::people::{ConsentMethod, PersonCommand};
        let mut c = Client::new("p".into(), "s".into(), ActorId::from(vec![9u8; 16]));
        let id = DocumentId::from_bytes([7; 16]);
        let grant: Command = PersonCommand::GrantConsent {
            volunteer: "p-chen".into(),
            volunteer_name: String::new(),
            by: "p".into(),
            method: ConsentMethod::Paper,
        }
        .into();
        assert!(c.change(id, |doc| grant.apply(doc, 1_000)).is_err());
        assert!(c.doc(&id).is_none(), "nothing to save, send or show");
        assert_eq!(c.status().unconfirmed, 0);
    }

    fn offers(fx: &[Effect], id: &DocumentId) -> bool {
        fx.iter().any(|e| match e {
            Effect::Send(bytes) => matches!(
                Message::decode(bytes),
                Ok(Message::Sync { document_id, .. }) if document_id == *id
            ),
            _ => false,
        })
    }

    #[test]
    fn a_document_read_from_storage_after_the_join_is_offered_to_the_relay() {
        // Made offline on another run of the app and stored, never synced.
        let mut maker = Client::new("p".into(), "s".into(), ActorId::from(vec![1u8; 16]));
        let id = DocumentId::from_bytes([5; 16]);
        maker
            .change(id, |d| {
                let mut tx = d.transaction();
                tx.put(automerge::ROOT, "title", "离线建的")?;
                tx.commit();
                Ok(())
            })
            .unwrap();
        let bytes = maker.doc(&id).unwrap().save();
        // This start of the app connects while it still reads its stored documents.
        let mut c = Client::new("p".into(), "s".into(), ActorId::from(vec![2u8; 16]));
        joined(&mut c);
        let fx = c.handle(
            0,
            Input::Loaded {
                id,
                bytes: bytes.clone(),
                relay: None,
            },
        );
        assert!(
            offers(&fx, &id),
            "offered at once, not at the next connection"
        );
        // One the relay already has whole (its stored sync state says so) is not offered:
        // a staff phone reads thousands of them after a join.
        let mut synced = sync::State::new();
        synced.shared_heads = Automerge::load(&bytes).unwrap().get_heads();
        let other = DocumentId::from_bytes([6; 16]);
        let fx = c.handle(
            0,
            Input::Loaded {
                id: other,
                bytes,
                relay: Some(("relay-storage".into(), synced.encode())),
            },
        );
        assert!(!offers(&fx, &other));
        // Before any join nothing is sent: the join's answer offers what was read.
        let mut before = Client::new("p".into(), "s".into(), ActorId::from(vec![3u8; 16]));
        let fx = before.handle(
            0,
            Input::Loaded {
                id,
                bytes: maker.doc(&id).unwrap().save(),
                relay: None,
            },
        );
        assert!(fx.is_empty());
    }

    #[test]
    fn personal_data_in_public_text_is_never_kept_and_the_next_edit_still_is() {
        use crate::domain::requests::{Filing, RequestDraft, file_request};
        let mut c = Client::new("p".into(), "s".into(), ActorId::from(vec![1u8; 16]));
        let id = DocumentId::from_bytes([4; 16]);
        let draft = RequestDraft {
            title: "楼道灯不亮".into(),
            category: "facilities".into(),
            grid: "g07".into(),
            ..RequestDraft::default()
        };
        let filing = Filing {
            filed_by: "p".into(),
            subject: "p".into(),
            household: "h".into(),
        };
        c.change(id, |d| file_request(d, &draft, &filing, 0))
            .unwrap();
        let heads = c.doc(&id).unwrap().get_heads();
        let retitle = |title: &'static str| {
            move |d: &mut Automerge| {
                let mut tx = d.transaction();
                tx.put(automerge::ROOT, "title", title)?;
                tx.commit();
                Ok(())
            }
        };
        let refused = c.change(id, retitle("楼道灯不亮 电话13812345678"));
        assert!(matches!(
            refused,
            Err(ModelError::Input(
                crate::domain::InputError::PersonalData { .. }
            ))
        ));
        assert_eq!(c.doc(&id).unwrap().get_heads(), heads, "nothing of it kept");
        let fx = c.change(id, retitle("3号楼楼道灯不亮")).unwrap();
        assert!(fx.iter().any(|e| matches!(e, Effect::Changed { .. })));
        let title = crate::docutil::get_str(c.doc(&id).unwrap(), &automerge::ROOT, "title");
        assert_eq!(title.as_deref(), Some("3号楼楼道灯不亮"));
    }

    #[test]
    fn stored_bytes_append_changes_and_reload_to_the_same_document_through_snapshots() {
        let mut c = Client::new("p".into(), "s".into(), ActorId::from(vec![1u8; 16]));
        let id = DocumentId::from_bytes([3; 16]);
        let mut sizes = Vec::new();
        for n in 0..(2 * APPEND_BEFORE_SNAPSHOT + 5) {
            let fx = c
                .change(id, |d| {
                    let mut tx = d.transaction();
                    tx.put(automerge::ROOT, format!("k{n}"), i64::from(n))?;
                    tx.commit();
                    Ok(())
                })
                .unwrap();
            let bytes = stored_after(&fx).expect("a change is saved");
            let heads = c.doc(&id).unwrap().get_heads();
            let back = Automerge::load(&bytes).unwrap();
            assert_eq!(back.get_heads(), heads, "after change {n}");
            assert_eq!(back.length(automerge::ROOT), n as usize + 1);
            sizes.push(bytes.len());
            let _ = c.handle(0, Input::Saved { id, heads });
        }
        // A fresh snapshot replaces the appended chunks now and then: smaller than just before.
        let k = APPEND_BEFORE_SNAPSHOT as usize + 1;
        assert!(sizes[k] < sizes[k - 1], "{sizes:?}");
    }

    fn put(c: &mut Client, id: DocumentId, key: &str) -> Vec<Effect> {
        c.change(id, |d| {
            let mut tx = d.transaction();
            tx.put(automerge::ROOT, key, 1)?;
            tx.commit();
            Ok(())
        })
        .unwrap()
    }

    fn save_heads(fx: &[Effect]) -> Option<Vec<ChangeHash>> {
        fx.iter().find_map(|e| match e {
            Effect::Save {
                heads,
                doc: Some(_),
                ..
            } => Some(heads.clone()),
            _ => None,
        })
    }

    #[test]
    fn an_edit_counts_as_saved_and_waiting_to_upload_only_once_storage_committed_it() {
        let mut c = Client::new("p".into(), "s".into(), ActorId::from(vec![1u8; 16]));
        let id = DocumentId::from_bytes([4; 16]);
        let fx = put(&mut c, id, "a");
        let first = c.heads(&id);
        assert!(c.unsaved(&id));
        assert_eq!(c.is_saved(&id, &first), Some(false));
        assert_eq!(
            c.unconfirmed(&id),
            0,
            "not saved yet: saving, not waiting to upload"
        );
        assert_eq!(c.status().saving, 1);

        // A second edit while the first save is in flight is saved after it lands.
        assert!(save_heads(&put(&mut c, id, "b")).is_none());
        let second = c.heads(&id);
        let fx = c.handle(
            0,
            Input::Saved {
                id,
                heads: save_heads(&fx).unwrap(),
            },
        );
        assert_eq!(c.is_saved(&id, &first), Some(true));
        assert_eq!(c.is_saved(&id, &second), Some(false));
        assert_eq!(
            c.unconfirmed(&id),
            1,
            "the first edit is on the phone, waiting"
        );
        assert!(c.unsaved(&id));

        let _ = c.handle(
            0,
            Input::Saved {
                id,
                heads: save_heads(&fx).unwrap(),
            },
        );
        assert_eq!(c.is_saved(&id, &second), Some(true));
        assert!(!c.unsaved(&id));
        assert_eq!(c.unconfirmed(&id), 2);
        assert_eq!(c.status().saving, 0);

        // A failed save leaves the edit unsaved, and a retry saves it.
        let fx = put(&mut c, id, "c");
        let third = c.heads(&id);
        assert!(save_heads(&fx).is_some());
        let _ = c.handle(0, Input::SaveFailed { id });
        assert_eq!(c.is_saved(&id, &third), Some(false));
        assert_eq!(c.status().saving, 0);
        let fx = c.retry_unsaved();
        let _ = c.handle(
            0,
            Input::Saved {
                id,
                heads: save_heads(&fx).unwrap(),
            },
        );
        assert_eq!(c.is_saved(&id, &third), Some(true));
        assert!(c.retry_unsaved().is_empty());

        // A document the device no longer holds is not "saved".
        let _ = c.remove(&id);
        assert_eq!(c.is_saved(&id, &second), None);
    }
}
