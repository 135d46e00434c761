//! The app's runtime: the sans-IO sync core (`linli_shared::client`) wired to IndexedDB, the
//! WebSocket and the clock, plus the signals the views read. Components call the commands
//! here (`change`, `enrol`, `leave`); they never touch storage or the socket themselves.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use futures_channel::oneshot;
use indexed_db_futures::database::Database;
use leptos::prelude::*;
pub use linli_shared::api::Session;
use linli_shared::api::{
    ChallengeBody, ChallengeReply, EnrolBody, TokenBody, TokenReply, close, paths,
};
use linli_shared::automerge::{ActorId, Automerge, ChangeHash};
use linli_shared::client::{Client, Effect, Input};
use linli_shared::domain::people::PersonSummary;
use linli_shared::domain::requests::RequestSummary;
use linli_shared::domain::requests::deadline::ClockSkew;
use linli_shared::domain::{Command, ModelError, Summary};
use linli_shared::ids::{DocumentId, hex, unhex};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use crate::i18n::Lang;
use crate::platform::{self, crypto, http, idb, ws::Ws};

/// The sync indicator's facts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SyncView {
    pub online: bool,
    pub connecting: bool,
    pub unconfirmed: usize,
    pub saving: usize,
    pub last_sync: Option<i64>,
}

/// A message for the person, shown in a toast or banner.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// An edit is being written to the phone's storage (not yet "saved").
    Saving,
    /// The phone's storage committed an edit (shown only after IndexedDB's `complete`).
    Saved,
    /// Followed (+1) a request another household filed.
    Followed,
    Error(String),
    /// An edit could not be written to the phone's storage (what was typed is kept).
    NotSaved(String),
    /// The relay did not accept a change; `lost` says what was dropped.
    Refused {
        code: String,
        reason: String,
        lost: Vec<String>,
    },
    Revoked,
    StorageFull,
    Removed,
}

/// Where the app is: `#/`, `#/file`, `#/r/<id>`, `#/settings`, `#/people`, `#/p/<person>`,
/// `#/elders`, `#/join/<code>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Home,
    File,
    Request(DocumentId),
    Settings,
    /// Staff: everyone enrolled, and inviting new people.
    People,
    /// Staff: one person (devices, consents, erasure).
    Person(String),
    /// Volunteers: the elders who consent to their help.
    Elders,
    /// An invite link (from a QR code): the code to join with.
    Join(String),
    /// What is new.
    Notes,
    /// The community's modules (the 社区 tab).
    Hub,
    /// The grids this person looks after (staff, grid workers, grid teams).
    Grids,
    /// One grid: its team, plan, planned versus done, recent rounds.
    Grid(String),
    /// Logging a round in a grid.
    GridLog(String),
    /// A grid's garbage-sorting inspections and reminders.
    Sorting(String),
    /// Facility works 设施改造 (everyone).
    Works,
    /// One facility work.
    Work(DocumentId),
    /// Registering a work (from a request, if given).
    NewWork(Option<DocumentId>),
    /// Staff revising a work.
    EditWork(DocumentId),
    /// Merchant credit: the shops' ranking (staff all, a grid's team and workers theirs).
    Merchants,
    /// One shop's record: score, history, inspecting, the merchant's answers.
    Merchant(DocumentId),
    /// The four-party talks: the series.
    Talks,
    /// One talk.
    Talk(DocumentId),
    /// The community fund: balance, projects and every ledger entry (everyone).
    Fund,
    /// Micro-grants: calls, proposals, proposing.
    Grants,
    /// One proposal and, once funded, its project.
    Proposal(DocumentId),
    /// Every owners' vote 业主表决.
    Votes,
    /// One owners' vote.
    Vote(DocumentId),
    /// Staff start an owners' vote, from a talk's decision (talk, item) or not.
    NewVote(Option<(DocumentId, String)>),
    /// Events 睦邻活动: upcoming and past (everyone).
    Events,
    /// One event: details, seats, one's sign-up.
    Event(DocumentId),
    /// Staff: a new event (the next month's of the one given).
    NewEvent(Option<DocumentId>),
    /// Staff edit an event.
    EditEvent(DocumentId),
    /// The organiser's check-in at the door.
    EventDoor(DocumentId),
    /// Volunteers: staff's list, or a volunteer's own page.
    Volunteers,
    /// One volunteer's record: hours, activities, logging help.
    Volunteer(DocumentId),
    /// A volunteer's certificate of hours (printable).
    Certificate(DocumentId),
    /// Self-governing groups 自治组织 (everyone).
    Groups,
    /// One group: its members, joining, its activities.
    Group(DocumentId),
    /// The indicators dashboard 指标 (what one sees follows one's role).
    Indicators,
    /// One indicator's records (1–30): what it counted, and out of what.
    Indicator(u8),
    /// Exports 导出: the registers this phone holds for the person's role, as CSV.
    Exports,
    /// The case library 案例库: matched cases first (staff, grid workers), then every case.
    Cases,
    /// One case of the library, by its id (`c09`), or one of the community's own (a
    /// document id).
    Case(String),
    /// Staff write one of the community's own cases (or import one shared as a file).
    NewCase,
    /// Staff edit one of the community's own cases.
    EditCase(DocumentId),
    /// Field notes 田野笔记: the register (staff, grid workers, volunteers).
    FieldNotes,
    /// One field note.
    Note(DocumentId),
    /// Writing a field note, linked to a talk or a request when given.
    NewNote(Option<(linli_shared::domain::field_note::LinkKind, DocumentId)>),
    /// Editing a field note (its author, or staff).
    EditNote(DocumentId),
    /// Charter and rules 社区公约 (everyone).
    Charters,
    /// One rules document with its versions.
    Charter(DocumentId),
    /// The practice report 实践报告 (staff): drafted from the data, edited, printed, exported.
    Report,
    /// The governance school 社区治理学院: the register of training sessions (everyone).
    School,
    /// One training session.
    Training(DocumentId),
    /// Staff create a session.
    NewTraining,
    /// Staff edit a session.
    EditTraining(DocumentId),
    /// The practice roadmap 实践路径图谱: the diagnosis and the phased plan.
    Roadmap,
    /// Staff edit the diagnosis and the plan.
    RoadmapEdit,
    /// The community resource map 社区资源地图 (everyone).
    ResourceMap,
    /// One resource with where it is used.
    Resource(DocumentId),
    /// Record a resource (staff), or offer one's own talent (a resident).
    NewResource,
    /// Staff rewrite what a resource says.
    EditResource(DocumentId),
    /// Staff import or adjust the site plan.
    SitePlan,
    /// Children's drawings 童眼看社区: the register (everyone).
    Drawings,
    /// One drawing this phone holds (its family, staff).
    Drawing(DocumentId),
    /// One drawing as the gallery shows it, by its gallery key.
    ShownDrawing(String),
    /// Filing a drawing (a guardian; staff from a paper form).
    NewDrawing,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        match h.split_once('/') {
            Some(("r", id)) => DocumentId::parse(id).map_or(Route::Home, Route::Request),
            Some(("p", id)) if !id.is_empty() => Route::Person(id.to_string()),
            Some(("join", code)) => Route::Join(code.to_string()),
            Some(("g", rest)) if !rest.is_empty() => match rest.split_once('/') {
                Some((grid, "log")) => Route::GridLog(grid.to_string()),
                Some((grid, "sorting")) => Route::Sorting(grid.to_string()),
                _ => Route::Grid(rest.to_string()),
            },
            Some(("t", id)) => DocumentId::parse(id).map_or(Route::Talks, Route::Talk),
            Some(("m", id)) => DocumentId::parse(id).map_or(Route::Merchants, Route::Merchant),
            Some(("proposal", id)) => DocumentId::parse(id).map_or(Route::Grants, Route::Proposal),
            Some(("work", id)) => DocumentId::parse(id).map_or(Route::Works, Route::Work),
            Some(("work-new", id)) => Route::NewWork(DocumentId::parse(id).ok()),
            Some(("work-edit", id)) => DocumentId::parse(id).map_or(Route::Works, Route::EditWork),
            Some(("ev", id)) => DocumentId::parse(id).map_or(Route::Events, Route::Event),
            Some(("ev-new", id)) => Route::NewEvent(DocumentId::parse(id).ok()),
            Some(("ev-edit", id)) => DocumentId::parse(id).map_or(Route::Events, Route::EditEvent),
            Some(("ev-door", id)) => DocumentId::parse(id).map_or(Route::Events, Route::EventDoor),
            Some(("vol", id)) => DocumentId::parse(id).map_or(Route::Volunteers, Route::Volunteer),
            Some(("cert", id)) => {
                DocumentId::parse(id).map_or(Route::Volunteers, Route::Certificate)
            }
            Some(("grp", id)) => DocumentId::parse(id).map_or(Route::Groups, Route::Group),
            Some(("ind", n)) => n
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=30).contains(n))
                .map_or(Route::Indicators, Route::Indicator),
            Some(("case", id)) if !id.is_empty() => Route::Case(id.to_string()),
            Some(("case-edit", id)) => DocumentId::parse(id).map_or(Route::Cases, Route::EditCase),
            Some(("vote", id)) => DocumentId::parse(id).map_or(Route::Talks, Route::Vote),
            Some(("note", id)) => DocumentId::parse(id).map_or(Route::FieldNotes, Route::Note),
            Some(("charter", id)) => DocumentId::parse(id).map_or(Route::Charters, Route::Charter),
            Some(("training", id)) => DocumentId::parse(id).map_or(Route::School, Route::Training),
            Some(("resource", id)) => {
                DocumentId::parse(id).map_or(Route::ResourceMap, Route::Resource)
            }
            Some(("resource-edit", id)) => {
                DocumentId::parse(id).map_or(Route::ResourceMap, Route::EditResource)
            }
            Some(("drawing", id)) => DocumentId::parse(id).map_or(Route::Drawings, Route::Drawing),
            Some(("drawing-shown", key)) if !key.is_empty() => Route::ShownDrawing(key.to_string()),
            Some(("training-edit", id)) => {
                DocumentId::parse(id).map_or(Route::School, Route::EditTraining)
            }
            Some(("note-edit", id)) => {
                DocumentId::parse(id).map_or(Route::FieldNotes, Route::EditNote)
            }
            Some(("note-new", rest)) => Route::NewNote(rest.split_once('/').and_then(|(k, id)| {
                Some((
                    linli_shared::domain::field_note::LinkKind::parse(k)?,
                    DocumentId::parse(id).ok()?,
                ))
            })),
            Some(("vote-new", rest)) => Route::NewVote(rest.split_once('/').and_then(|(t, i)| {
                Some((DocumentId::parse(t).ok()?, i.to_string())).filter(|(_, i)| !i.is_empty())
            })),
            _ => match h {
                "file" => Route::File,
                "settings" => Route::Settings,
                "people" => Route::People,
                "elders" => Route::Elders,
                "notes" => Route::Notes,
                "grids" => Route::Grids,
                "merchants" => Route::Merchants,
                "more" => Route::Hub,
                "talks" => Route::Talks,
                "fund" => Route::Fund,
                "grants" => Route::Grants,
                "vote-new" => Route::NewVote(None),
                "votes" => Route::Votes,
                "works" => Route::Works,
                "work-new" => Route::NewWork(None),
                "events" => Route::Events,
                "groups" => Route::Groups,
                "ev-new" => Route::NewEvent(None),
                "volunteers" => Route::Volunteers,
                "indicators" => Route::Indicators,
                "exports" => Route::Exports,
                "cases" => Route::Cases,
                "case-new" => Route::NewCase,
                "field-notes" => Route::FieldNotes,
                "charters" => Route::Charters,
                "note-new" => Route::NewNote(None),
                "report" => Route::Report,
                "school" => Route::School,
                "training-new" => Route::NewTraining,
                "roadmap" => Route::Roadmap,
                "roadmap-edit" => Route::RoadmapEdit,
                "resmap" => Route::ResourceMap,
                "resource-new" => Route::NewResource,
                "siteplan" => Route::SitePlan,
                "drawings" => Route::Drawings,
                "drawing-new" => Route::NewDrawing,
                _ => Route::Home,
            },
        }
    }

    pub fn hash(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::File => "#/file".into(),
            Route::Request(id) => format!("#/r/{id}"),
            Route::Settings => "#/settings".into(),
            Route::People => "#/people".into(),
            Route::Person(p) => format!("#/p/{p}"),
            Route::Elders => "#/elders".into(),
            Route::Join(code) => format!("#/join/{code}"),
            Route::Notes => "#/notes".into(),
            Route::Hub => "#/more".into(),
            Route::Grids => "#/grids".into(),
            Route::Grid(g) => format!("#/g/{g}"),
            Route::GridLog(g) => format!("#/g/{g}/log"),
            Route::Sorting(g) => format!("#/g/{g}/sorting"),
            Route::Works => "#/works".into(),
            Route::Work(id) => format!("#/work/{id}"),
            Route::NewWork(None) => "#/work-new".into(),
            Route::NewWork(Some(r)) => format!("#/work-new/{r}"),
            Route::EditWork(id) => format!("#/work-edit/{id}"),
            Route::Merchants => "#/merchants".into(),
            Route::Merchant(id) => format!("#/m/{id}"),
            Route::Talks => "#/talks".into(),
            Route::Talk(id) => format!("#/t/{id}"),
            Route::Fund => "#/fund".into(),
            Route::Grants => "#/grants".into(),
            Route::Proposal(id) => format!("#/proposal/{id}"),
            Route::Votes => "#/votes".into(),
            Route::Vote(id) => format!("#/vote/{id}"),
            Route::NewVote(None) => "#/vote-new".into(),
            Route::NewVote(Some((t, i))) => format!("#/vote-new/{t}/{i}"),
            Route::Events => "#/events".into(),
            Route::Event(id) => format!("#/ev/{id}"),
            Route::NewEvent(None) => "#/ev-new".into(),
            Route::NewEvent(Some(id)) => format!("#/ev-new/{id}"),
            Route::EditEvent(id) => format!("#/ev-edit/{id}"),
            Route::EventDoor(id) => format!("#/ev-door/{id}"),
            Route::Volunteers => "#/volunteers".into(),
            Route::Volunteer(id) => format!("#/vol/{id}"),
            Route::Certificate(id) => format!("#/cert/{id}"),
            Route::Groups => "#/groups".into(),
            Route::Group(id) => format!("#/grp/{id}"),
            Route::Indicators => "#/indicators".into(),
            Route::Indicator(n) => format!("#/ind/{n}"),
            Route::Exports => "#/exports".into(),
            Route::Cases => "#/cases".into(),
            Route::Case(id) => format!("#/case/{id}"),
            Route::NewCase => "#/case-new".into(),
            Route::EditCase(id) => format!("#/case-edit/{id}"),
            Route::FieldNotes => "#/field-notes".into(),
            Route::Note(id) => format!("#/note/{id}"),
            Route::NewNote(None) => "#/note-new".into(),
            Route::NewNote(Some((k, id))) => format!("#/note-new/{}/{id}", k.as_str()),
            Route::EditNote(id) => format!("#/note-edit/{id}"),
            Route::Charters => "#/charters".into(),
            Route::Charter(id) => format!("#/charter/{id}"),
            Route::Report => "#/report".into(),
            Route::School => "#/school".into(),
            Route::Training(id) => format!("#/training/{id}"),
            Route::NewTraining => "#/training-new".into(),
            Route::EditTraining(id) => format!("#/training-edit/{id}"),
            Route::Roadmap => "#/roadmap".into(),
            Route::RoadmapEdit => "#/roadmap-edit".into(),
            Route::ResourceMap => "#/resmap".into(),
            Route::Resource(id) => format!("#/resource/{id}"),
            Route::NewResource => "#/resource-new".into(),
            Route::EditResource(id) => format!("#/resource-edit/{id}"),
            Route::SitePlan => "#/siteplan".into(),
            Route::Drawings => "#/drawings".into(),
            Route::Drawing(id) => format!("#/drawing/{id}"),
            Route::ShownDrawing(key) => format!("#/drawing-shown/{key}"),
            Route::NewDrawing => "#/drawing-new".into(),
        }
    }
}

/// Handles to everything the views read; `Copy`, so it goes into context and closures.
#[derive(Clone, Copy)]
pub struct App {
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<Option<Session>>,
    /// Bumped whenever a document changes: views that read documents track it.
    pub version: RwSignal<u64>,
    pub sync: RwSignal<SyncView>,
    pub notice: RwSignal<Option<Notice>>,
    pub route: RwSignal<Route>,
    /// The app finished reading this device's storage.
    pub ready: RwSignal<bool>,
    /// A ticking clock (every 30 s) for countdowns.
    pub clock: RwSignal<i64>,
    pub update_ready: RwSignal<bool>,
    /// Elder mode 长辈模式: large text, high contrast, three-step filing (remembered).
    pub elder: RwSignal<bool>,
    /// When this person last looked at their notifications.
    pub seen_at: RwSignal<i64>,
    pub waiting_sw: StoredValue<Option<web_sys::ServiceWorker>, LocalStorage>,
    rt: StoredValue<Rc<Runtime>, LocalStorage>,
}

struct Runtime {
    db: RefCell<Option<Database>>,
    core: RefCell<Option<Client>>,
    /// The read model: what the views show of each document, kept beside it in storage.
    index: RefCell<HashMap<DocumentId, Summary>>,
    /// Stored documents are still being read into the sync core (after the first screen).
    loading: Cell<bool>,
    /// The whole stored read model is in `index` (the archive shelf too, read just after the
    /// first screen): what figures over every record wait for.
    archived: Cell<bool>,
    ws: RefCell<Option<Ws>>,
    keys: RefCell<Option<JsValue>>,
    token: RefCell<Option<(String, i64)>>,
    skew: Cell<ClockSkew>,
    backoff_ms: Cell<u32>,
    connecting: Cell<bool>,
    stopped: Cell<bool>,
    retry_timer: Cell<Option<i32>>,
    uploading: Cell<bool>,
    /// Asked to upload while an upload was running: run once more when it ends (the
    /// document naming a photo may have reached the relay meanwhile).
    upload_again: Cell<bool>,
    /// Photos wait for their request to reach the relay before they can be uploaded.
    uploads_pending: Cell<bool>,
    join_sent_at: Cell<i64>,
    /// Edits waiting for their save to commit: (document, heads after the edit, who waits).
    waiters: RefCell<Vec<Waiter>>,
    /// Drafts of every form (key → text), read from IndexedDB at start; see `set_draft`.
    drafts: RefCell<HashMap<String, String>>,
    /// Draft keys changed since the last write (`None` value: deleted).
    drafts_dirty: RefCell<HashMap<String, Option<String>>>,
    drafts_timer: Cell<bool>,
    /// Saves waiting for the transaction in flight: written together in the next one.
    save_queue: RefCell<Vec<PendingSave>>,
    /// A save transaction is in flight.
    saving: Cell<bool>,
    /// A redraw for documents that changed is due at the next frame ([`App::changed_docs`]).
    redraw_due: Cell<bool>,
}

/// A document (and/or its sync state) to write, and the heads it was saved at.
enum PendingSave {
    Save {
        id: DocumentId,
        heads: Vec<ChangeHash>,
        save: idb::Save,
    },
    /// A document the core forgot: deleted in queue order with the saves, so a copy received
    /// again after it (a rewritten history) is not deleted by a delete that ran late.
    Delete(String),
}

/// The most saves one transaction holds: a first sync's thousands of documents go in a few
/// dozen transactions, while one edit still gets its own at once.
const SAVE_BATCH_MAX: usize = 200;

type Waiter = (
    DocumentId,
    Vec<ChangeHash>,
    oneshot::Sender<Result<(), SaveError>>,
);

/// Why an edit could not be saved on the phone.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SaveError {
    #[error("storage is full on this phone")]
    StorageFull,
    #[error("the record is no longer on this phone")]
    Removed,
    #[error("storage: {0}")]
    Storage(String),
}

/// An edit on its way to the phone's storage: resolves once the IndexedDB transaction that
/// holds it has completed (durability `strict`), and only then may the app say "saved".
#[must_use = "await it before telling the person the edit is saved"]
pub struct Saving(oneshot::Receiver<Result<(), SaveError>>);

impl Saving {
    pub async fn done(self) -> Result<(), SaveError> {
        self.0
            .await
            .unwrap_or(Err(SaveError::Storage("the app stopped".into())))
    }
}

/// How long a typed draft may wait before it is written (IndexedDB, not `localStorage`,
/// which Chromium writes to disk lazily): a keystroke is on disk within about this bound.
const DRAFT_FLUSH_MS: i32 = 150;
/// The `localStorage` prefix of drafts kept at `pagehide` for the next start.
const PENDING_DRAFT: &str = "linli.draft-pending.";

const META_SESSION: &str = "session";
const META_KEYS: &str = "keys";
const META_STORAGE: &str = "storage_id";
const META_ACTOR_GEN: &str = "actor_gen";
const META_SKEW: &str = "skew";

impl App {
    /// Builds the handles, reading the remembered language and the route from the browser.
    pub fn from_browser() -> App {
        let lang = platform::ls_get("linli.lang").map_or(Lang::Zh, |l| Lang::from_code(&l));
        App {
            lang: RwSignal::new(lang),
            session: RwSignal::new(None),
            version: RwSignal::new(0),
            sync: RwSignal::new(SyncView::default()),
            notice: RwSignal::new(None),
            route: RwSignal::new(Route::parse(
                &platform::window().location().hash().unwrap_or_default(),
            )),
            ready: RwSignal::new(false),
            clock: RwSignal::new(platform::device_now()),
            update_ready: RwSignal::new(false),
            elder: RwSignal::new(platform::ls_get("linli.elder").as_deref() == Some("1")),
            seen_at: RwSignal::new(
                platform::ls_get("linli.seen")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
            ),
            waiting_sw: StoredValue::new_local(None),
            rt: StoredValue::new_local(Rc::new(Runtime {
                db: RefCell::new(None),
                core: RefCell::new(None),
                index: RefCell::new(HashMap::new()),
                loading: Cell::new(false),
                archived: Cell::new(false),
                ws: RefCell::new(None),
                keys: RefCell::new(None),
                token: RefCell::new(None),
                skew: Cell::new(ClockSkew::default()),
                backoff_ms: Cell::new(1_000),
                connecting: Cell::new(false),
                stopped: Cell::new(false),
                retry_timer: Cell::new(None),
                uploading: Cell::new(false),
                upload_again: Cell::new(false),
                uploads_pending: Cell::new(true),
                join_sent_at: Cell::new(0),
                waiters: RefCell::new(Vec::new()),
                drafts: RefCell::new(HashMap::new()),
                drafts_dirty: RefCell::new(HashMap::new()),
                drafts_timer: Cell::new(false),
                save_queue: RefCell::new(Vec::new()),
                saving: Cell::new(false),
                redraw_due: Cell::new(false),
            })),
        }
    }

    fn rt(&self) -> Rc<Runtime> {
        self.rt.get_value()
    }

    /// The relay's time as best this device knows it (device clock corrected for its skew).
    pub fn now(&self) -> i64 {
        self.rt().skew.get().now(platform::device_now())
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        platform::ls_set("linli.lang", lang.code());
        let _ = platform::window()
            .document()
            .and_then(|d| d.document_element())
            .map(|e| e.set_attribute("lang", lang.code()));
    }

    /// The open IndexedDB database, if any.
    pub fn db(&self) -> Option<Database> {
        self.rt().db.borrow().clone()
    }

    /// Switches elder mode on or off (remembered on this phone).
    pub fn set_elder(&self, on: bool) {
        self.elder.set(on);
        platform::ls_set("linli.elder", if on { "1" } else { "0" });
        if let Some(body) = platform::window().document().and_then(|d| d.body()) {
            let _ = body.class_list().toggle_with_force("elder", on);
        }
    }

    /// Marks every notification seen.
    pub fn mark_seen(&self) {
        let now = self.now();
        self.seen_at.set(now);
        platform::ls_set("linli.seen", &now.to_string());
    }

    /// Keeps a photo on the phone (to attach to a request or an answer).
    pub async fn keep_photo(&self, photo: &platform::image::Photo) -> Result<(), idb::IdbError> {
        let Some(db) = self.rt().db.borrow().clone() else {
            return Err(idb::IdbError::Other("storage is not open".into()));
        };
        let meta = idb::BlobMeta {
            doc: None,
            uploaded: false,
        };
        idb::put_blob(&db, &photo.hash, &photo.bytes, &meta).await
    }

    /// Records which request shows these photos, then uploads them when possible.
    pub fn attach_photos(&self, doc: DocumentId, hashes: Vec<String>) {
        let Some(db) = self.rt().db.borrow().clone() else {
            return;
        };
        let app = *self;
        self.rt().uploads_pending.set(true);
        leptos::task::spawn_local(async move {
            for h in hashes {
                let meta = idb::BlobMeta {
                    doc: Some(doc.to_string()),
                    uploaded: false,
                };
                let _ = idb::set_blob_meta(&db, &h, &meta).await;
            }
            app.upload_photos().await;
        });
    }

    /// Uploads photos the relay does not have yet (each after its request has synced);
    /// what fails is retried at the next connection or the next minute.
    pub async fn upload_photos(&self) {
        let rt = self.rt();
        if !self.sync.get_untracked().online {
            return;
        }
        if rt.uploading.replace(true) {
            rt.upload_again.set(true);
            return;
        }
        loop {
            rt.upload_again.set(false);
            let db = rt.db.borrow().clone();
            let mut left = false;
            if let Some(db) = db
                && let Ok(metas) = idb::blob_metas(&db).await
            {
                for (hash, meta) in metas {
                    let Some(doc) = meta.doc.clone().filter(|_| !meta.uploaded) else {
                        continue;
                    };
                    let (Ok(Some(bytes)), Ok(token)) =
                        (idb::get_blob(&db, &hash).await, self.token().await)
                    else {
                        continue;
                    };
                    let path = paths::blob(&hash, &doc.to_string());
                    if let Ok(204 | 200) = http::put_bytes(&path, &bytes, &token).await {
                        let done = idb::BlobMeta {
                            doc: Some(doc),
                            uploaded: true,
                        };
                        let _ = idb::set_blob_meta(&db, &hash, &done).await;
                    } else {
                        left = true;
                    }
                }
            }
            rt.uploads_pending.set(left);
            if !(left && rt.upload_again.get()) {
                break;
            }
        }
        rt.uploading.set(false);
    }

    /// A photo's bytes: from the phone, or (online) from the relay, kept for offline.
    pub async fn photo(&self, hash: &str, doc: DocumentId) -> Option<Vec<u8>> {
        let db = self.rt().db.borrow().clone()?;
        if let Ok(Some(b)) = idb::get_blob(&db, hash).await {
            return Some(b);
        }
        let token = self.token().await.ok()?;
        let bytes = http::get_bytes(&paths::blob(hash, &doc.to_string()), &token)
            .await
            .ok()??;
        let meta = idb::BlobMeta {
            doc: Some(doc.to_string()),
            uploaded: true,
        };
        let _ = idb::put_blob(&db, hash, &bytes, &meta).await;
        Some(bytes)
    }

    pub fn go(&self, route: Route) {
        let _ = platform::window().location().set_hash(&route.hash());
        self.route.set(route);
    }

    /// Reads what the views show of a document (tracked: re-runs when any document changes).
    /// Whether every stored summary has been read (the archive shelf too): figures counted
    /// over every record (the report) wait for it rather than show the first screen's share.
    pub fn read_model_complete(&self) -> bool {
        self.rt().archived.get()
    }

    /// Whether the stored documents have all been read into the sync core (untracked; the
    /// version changes when they have).
    pub fn loaded(&self) -> bool {
        !self.rt().loading.get()
    }

    pub fn summary<R>(&self, id: &DocumentId, f: impl FnOnce(&Summary) -> R) -> Option<R> {
        self.version.track();
        self.rt().index.borrow().get(id).map(f)
    }

    /// Reads what the views show of every document this device holds (tracked).
    pub fn each_summary<R>(&self, mut f: impl FnMut(&DocumentId, &Summary) -> Option<R>) -> Vec<R> {
        self.version.track();
        let rt = self.rt();
        let index = rt.index.borrow();
        index.iter().filter_map(|(id, s)| f(id, s)).collect()
    }

    /// Whether a document can be edited now: it is in the sync core (stored documents are read
    /// into it just after the first screen shows; see `ensure_loaded`).
    pub fn editable(&self, id: &DocumentId) -> bool {
        self.version.track();
        let rt = self.rt();
        let core = rt.core.borrow();
        core.as_ref().is_some_and(|c| c.doc(id).is_some())
    }

    /// Reads one stored document into the sync core ahead of the rest (someone opened it).
    pub fn ensure_loaded(&self, id: DocumentId) {
        if !self.rt().loading.get() || self.editable(&id) {
            return;
        }
        let Some(db) = self.rt().db.borrow().clone() else {
            return;
        };
        let app = *self;
        leptos::task::spawn_local(async move {
            if let Ok(Some((bytes, relay))) = idb::load_one(&db, &id.to_string()).await {
                app.feed(Input::Loaded { id, bytes, relay });
                app.version.update(|v| *v += 1);
            }
        });
    }

    /// The document as the relay has confirmed it, without this phone's changes still waiting
    /// (tracked): "confirmed by the relay" as against "pending on this phone".
    pub fn confirmed<R>(&self, id: &DocumentId, f: impl FnOnce(&Automerge) -> R) -> Option<R> {
        self.sync.track();
        self.version.track();
        let rt = self.rt();
        let core = rt.core.borrow();
        let doc = core.as_ref()?.confirmed(id)?;
        Some(f(&doc))
    }

    /// This device's changes to a document that the relay has not confirmed (tracked).
    pub fn unconfirmed(&self, id: &DocumentId) -> usize {
        self.sync.track();
        self.version.track();
        self.rt()
            .core
            .borrow()
            .as_ref()
            .map_or(0, |c| c.unconfirmed(id))
    }

    /// Starts the app: opens storage, restores the session and the documents, connects.
    pub fn start(self) {
        self.tick_clock();
        self.listen_for_network();
        leptos::task::spawn_local(async move {
            let db = match idb::open().await {
                Ok(db) => db,
                Err(e) => {
                    self.notice.set(Some(Notice::Error(e.to_string())));
                    self.ready.set(true);
                    return;
                }
            };
            let rt = self.rt();
            *rt.db.borrow_mut() = Some(db.clone());
            self.load_drafts(&db).await;
            let session = idb::meta_get(&db, META_SESSION)
                .await
                .ok()
                .flatten()
                .and_then(|v| v.as_string())
                .and_then(|s| serde_json::from_str::<Session>(&s).ok());
            if let Ok(Some(skew)) = idb::meta_get(&db, META_SKEW).await {
                rt.skew.set(ClockSkew {
                    offset: skew.as_f64().unwrap_or(0.0) as i64,
                });
            }
            if let Some(session) = session {
                *rt.keys.borrow_mut() = idb::meta_get(&db, META_KEYS).await.ok().flatten();
                if let Err(e) = self.boot(&db, &session).await {
                    self.notice.set(Some(Notice::Error(e)));
                }
                self.session.set(Some(session));
                self.ready.set(true);
                // The first screen shows from the read model; the documents follow, then sync.
                platform::after_paint().await;
                self.load_documents(&db).await;
                self.connect();
            } else {
                self.ready.set(true);
            }
        });
    }

    /// Builds the sync core for a session and reads the stored read model (what the first
    /// screen needs); the documents themselves are read by `load_documents` afterwards.
    async fn boot(&self, db: &Database, session: &Session) -> Result<(), String> {
        let storage_id = match idb::meta_get(db, META_STORAGE)
            .await
            .ok()
            .flatten()
            .and_then(|v| v.as_string())
        {
            Some(s) => s,
            None => {
                let s = hex(&platform::random_bytes::<16>());
                idb::meta_put(db, META_STORAGE, &JsValue::from_str(&s))
                    .await
                    .map_err(|e| e.to_string())?;
                s
            }
        };
        let generation = idb::meta_get(db, META_ACTOR_GEN)
            .await
            .ok()
            .flatten()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32;
        let actor = actor_id(&session.device, generation);
        let peer = format!("linli-{}", hex(&platform::random_bytes::<6>()));
        let rt = self.rt();
        *rt.core.borrow_mut() = Some(Client::new(peer, storage_id, actor));
        let mut index = HashMap::new();
        read_shelf(db, idb::Shelf::Index, &mut index).await?;
        *rt.index.borrow_mut() = index;
        rt.loading.set(true);
        rt.archived.set(false);
        self.version.update(|v| *v += 1);
        Ok(())
    }

    /// Reads every stored document into the sync core, a slice at a time so the screen stays
    /// responsive; documents stored without a summary (by an older version) get one.
    async fn load_documents(&self, db: &Database) {
        const SLICE: usize = 200;
        // The rest of the read model first (closed requests, people): small records.
        let mut archive = HashMap::new();
        if let Err(e) = read_shelf(db, idb::Shelf::Archive, &mut archive).await {
            self.notice.set(Some(Notice::Error(e)));
        }
        {
            let rt = self.rt();
            let mut index = rt.index.borrow_mut();
            for (id, s) in archive {
                index.entry(id).or_insert(s);
            }
            rt.archived.set(true);
        }
        self.version.update(|v| *v += 1);
        platform::yield_now().await;
        let stored = match idb::load_all(db).await {
            Ok(s) => s,
            Err(e) => {
                self.notice.set(Some(Notice::Error(e.to_string())));
                Vec::new()
            }
        };
        let rt = self.rt();
        let mut missing = Vec::new();
        for slice in stored.chunks(SLICE) {
            // What the core says to do: connected meanwhile (back online during a long read),
            // it offers the relay each document it reads that the relay may lack.
            let mut fx = Vec::new();
            {
                let mut core = rt.core.borrow_mut();
                let Some(core) = core.as_mut() else { return };
                let mut index = rt.index.borrow_mut();
                let now = self.now();
                for (id, bytes, relay) in slice {
                    let Ok(id) = DocumentId::parse(id) else {
                        continue;
                    };
                    fx.extend(core.handle(
                        now,
                        Input::Loaded {
                            id,
                            bytes: bytes.clone(),
                            relay: relay.clone(),
                        },
                    ));
                    if !index.contains_key(&id)
                        && let Some(doc) = core.doc(&id)
                    {
                        let summary = Summary::of(doc);
                        if let Ok(json) = serde_json::to_string(&summary) {
                            missing.push((id.to_string(), json, shelf_of(&summary)));
                        }
                        index.insert(id, summary);
                    }
                }
            }
            if !fx.is_empty() {
                self.perform(fx);
            }
            platform::yield_now().await;
        }
        if !missing.is_empty() {
            let _ = idb::put_index(db, missing).await;
        }
        rt.loading.set(false);
        self.version.update(|v| *v += 1);
        self.refresh_sync();
    }

    /// Enrols this device with an invite code: makes its key, registers it, starts syncing.
    pub async fn enrol(&self, code: &str) -> Result<(), http::HttpError> {
        let rt = self.rt();
        let Some(db) = rt.db.borrow().clone() else {
            return Err(http::HttpError::Network("storage is not open".into()));
        };
        let (pair, public) = crypto::generate()
            .await
            .map_err(|e| http::HttpError::Network(format!("{e:?}")))?;
        let label = platform::window()
            .navigator()
            .user_agent()
            .unwrap_or_default();
        let session: Session = http::post(
            paths::ENROL,
            &EnrolBody {
                code: code.to_string(),
                public_key: B64.encode(&public),
                label: platform::device_label(&label),
            },
        )
        .await?;
        let store =
            |r: Result<(), idb::IdbError>| r.map_err(|e| http::HttpError::Network(e.to_string()));
        store(idb::meta_put(&db, META_KEYS, &pair).await)?;
        store(
            idb::meta_put(
                &db,
                META_SESSION,
                &JsValue::from_str(&serde_json::to_string(&session).unwrap_or_default()),
            )
            .await,
        )?;
        *rt.keys.borrow_mut() = Some(pair);
        self.learn_skew(
            platform::device_now(),
            platform::device_now(),
            session.relay_now,
        );
        self.boot(&db, &session)
            .await
            .map_err(http::HttpError::Network)?;
        self.load_documents(&db).await;
        self.session.set(Some(session));
        rt.stopped.set(false);
        self.connect();
        Ok(())
    }

    /// Forgets everything on this device (documents, key, session).
    pub async fn leave(&self) {
        let rt = self.rt();
        rt.stopped.set(true);
        rt.ws.borrow_mut().take();
        *rt.core.borrow_mut() = None;
        rt.index.borrow_mut().clear();
        rt.drafts.borrow_mut().clear();
        rt.drafts_dirty.borrow_mut().clear();
        self.settle_waiters();
        *rt.token.borrow_mut() = None;
        let db = rt.db.borrow().clone();
        if let Some(db) = db {
            let _ = idb::wipe(&db).await;
        }
        self.session.set(None);
        self.version.update(|v| *v += 1);
        self.refresh_sync();
        self.go(Route::Home);
    }

    /// Does what a person did to a document (creating it if new), at the device's corrected
    /// clock: saved on the phone, then sent. The returned [`Saving`] resolves once the phone's
    /// storage has committed the edit; nothing may call it saved before that.
    pub fn send(&self, id: DocumentId, command: impl Into<Command>) -> Result<Saving, ModelError> {
        let command = command.into();
        let now = self.now();
        self.change(id, |doc| command.apply(doc, now))
    }

    fn change(
        &self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
    ) -> Result<Saving, ModelError> {
        let (tx, rx) = oneshot::channel();
        let fx = {
            let rt = self.rt();
            let mut core = rt.core.borrow_mut();
            let Some(core) = core.as_mut() else {
                return Err(ModelError::Malformed("no session"));
            };
            // A stored document not read yet would be edited as if new: wait for it.
            if core.doc(&id).is_none() && rt.index.borrow().contains_key(&id) {
                return Err(ModelError::Malformed("still opening"));
            }
            let fx = core.change(id, edit)?;
            rt.waiters.borrow_mut().push((id, core.heads(&id), tx));
            fx
        };
        self.perform(fx);
        Ok(Saving(rx))
    }

    /// Drops a document this device created but could not save (a request whose filing
    /// failed: its form keeps everything, and sending again files it afresh).
    pub fn discard(&self, id: DocumentId) {
        let fx = {
            let rt = self.rt();
            let mut core = rt.core.borrow_mut();
            match core.as_mut() {
                Some(c) => c.remove(&id),
                None => return,
            }
        };
        self.perform(fx);
    }

    /// Saves again what a failed save left unsaved (storage may have room again).
    fn retry_saves(&self) {
        let fx = {
            let rt = self.rt();
            let mut core = rt.core.borrow_mut();
            match core.as_mut() {
                Some(c) => c.retry_unsaved(),
                None => return,
            }
        };
        if !fx.is_empty() {
            self.perform(fx);
        }
    }

    /// Tells whoever waits for a save that it has landed (or that it never will).
    fn settle_waiters(&self) {
        let rt = self.rt();
        let core = rt.core.borrow();
        let mut waiters = rt.waiters.borrow_mut();
        let mut still = Vec::with_capacity(waiters.len());
        for (id, heads, tx) in waiters.drain(..) {
            let state = core.as_ref().and_then(|c| c.is_saved(&id, &heads));
            match state {
                Some(true) => {
                    let _ = tx.send(Ok(()));
                }
                None => {
                    let _ = tx.send(Err(SaveError::Removed));
                }
                Some(false) => still.push((id, heads, tx)),
            }
        }
        *waiters = still;
    }

    /// A save failed: whoever waits for an edit of that document is told.
    fn fail_waiters(&self, id: DocumentId, error: &SaveError) {
        let rt = self.rt();
        let mut waiters = rt.waiters.borrow_mut();
        let mut still = Vec::with_capacity(waiters.len());
        for (w, heads, tx) in waiters.drain(..) {
            if w == id {
                let _ = tx.send(Err(error.clone()));
            } else {
                still.push((w, heads, tx));
            }
        }
        *waiters = still;
    }

    /// Whether a document has edits the phone's storage has not committed yet (tracked).
    pub fn unsaved(&self, id: &DocumentId) -> bool {
        self.sync.track();
        self.version.track();
        self.rt()
            .core
            .borrow()
            .as_ref()
            .is_some_and(|c| c.unsaved(id))
    }

    /// Marks every entry a page keeps as pending for this document (a JSON list under the
    /// draft key `pending.<id>`) as refused with the relay's code and reason, and writes it
    /// at once: the person corrects it from there instead of typing it again.
    fn mark_pending_refused(&self, id: DocumentId, code: &str, reason: &str) {
        let key = format!("pending.{id}");
        let Some(mut list) = self
            .draft(&key)
            .and_then(|s| serde_json::from_str::<Vec<serde_json::Value>>(&s).ok())
        else {
            return;
        };
        for item in &mut list {
            if let Some(map) = item.as_object_mut()
                && map.get("refused").is_none_or(serde_json::Value::is_null)
            {
                map.insert(
                    "refused".into(),
                    serde_json::json!({ "code": code, "reason": reason }),
                );
            }
        }
        if let Ok(json) = serde_json::to_string(&list) {
            self.set_draft(&key, &json);
            self.flush_drafts();
        }
    }

    /// A form's draft (read from IndexedDB when the app started).
    pub fn draft(&self, key: &str) -> Option<String> {
        self.rt().drafts.borrow().get(key).cloned()
    }

    /// Keeps a form's draft: written to IndexedDB within `DRAFT_FLUSH_MS` of the keystroke
    /// (and at once when the page is hidden), so a crash loses at most that much typing.
    pub fn set_draft(&self, key: &str, value: &str) {
        let rt = self.rt();
        let value = (!value.is_empty()).then(|| value.to_string());
        {
            let mut drafts = rt.drafts.borrow_mut();
            if drafts.get(key) == value.as_ref() {
                return;
            }
            match &value {
                Some(v) => drafts.insert(key.to_string(), v.clone()),
                None => drafts.remove(key),
            };
        }
        rt.drafts_dirty.borrow_mut().insert(key.to_string(), value);
        self.schedule_drafts(DRAFT_FLUSH_MS);
    }

    /// Writes the changed drafts in `ms`, unless a write is already scheduled.
    fn schedule_drafts(&self, ms: i32) {
        if !self.rt().drafts_timer.replace(true) {
            let app = *self;
            let cb = Closure::once_into_js(move || app.flush_drafts());
            let _ = platform::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
        }
    }

    pub fn clear_draft(&self, key: &str) {
        self.set_draft(key, "");
    }

    /// Writes the changed drafts soon (from the timer, or when the page is hidden).
    pub fn flush_drafts(&self) {
        let app = *self;
        leptos::task::spawn_local(async move {
            let _ = app.write_drafts().await;
        });
    }

    /// Writes the changed drafts now, in one transaction; returns once it has completed.
    pub async fn write_drafts(&self) -> Result<(), idb::IdbError> {
        let rt = self.rt();
        rt.drafts_timer.set(false);
        let Some(db) = rt.db.borrow().clone() else {
            return Err(idb::IdbError::Other("storage is not open".into()));
        };
        let dirty: Vec<(String, Option<String>)> = rt.drafts_dirty.borrow_mut().drain().collect();
        if dirty.is_empty() {
            return Ok(());
        }
        let result = idb::write_drafts(&db, &dirty).await;
        if let Err(e) = &result {
            // Keep them dirty (unless typed over since) and try again in a second.
            {
                let mut pending = rt.drafts_dirty.borrow_mut();
                for (k, v) in dirty {
                    pending.entry(k).or_insert(v);
                }
            }
            self.schedule_drafts(1_000);
            if matches!(e, idb::IdbError::Quota) {
                self.notice.set(Some(Notice::StorageFull));
            }
        }
        result
    }

    /// Reads every draft into memory (once, before the first screen); drafts kept in
    /// `localStorage` by older versions move into IndexedDB.
    async fn load_drafts(&self, db: &Database) {
        let mut drafts: HashMap<String, String> = match idb::read_drafts(db).await {
            Ok(d) => d.into_iter().collect(),
            Err(e) => {
                self.notice.set(Some(Notice::Error(e.to_string())));
                HashMap::new()
            }
        };
        let mut moved = Vec::new();
        if let Some(ls) = platform::local_storage() {
            let n = ls.length().unwrap_or(0);
            let keys: Vec<String> = (0..n).filter_map(|i| ls.key(i).ok().flatten()).collect();
            let old: Vec<String> = keys
                .into_iter()
                .filter(|k| k.starts_with("linli.draft."))
                .collect();
            for k in &old {
                if let (Some(key), Some(v)) = (k.strip_prefix("linli.draft."), platform::ls_get(k))
                    && !drafts.contains_key(key)
                {
                    drafts.insert(key.to_string(), v.clone());
                    moved.push((key.to_string(), Some(v)));
                }
            }
            if moved.is_empty() || idb::write_drafts(db, &moved).await.is_ok() {
                for k in &old {
                    platform::ls_remove(k);
                }
            }
            // What was typed just before the page went away (kept at `pagehide`, see
            // `keep_drafts_for_next_start`): newer than IndexedDB's copy, so it wins.
            let n = ls.length().unwrap_or(0);
            let keys: Vec<String> = (0..n)
                .filter_map(|i| ls.key(i).ok().flatten())
                .filter(|k| k.starts_with(PENDING_DRAFT))
                .collect();
            let mut pending = Vec::new();
            for k in &keys {
                let (Some(key), Some(v)) = (k.strip_prefix(PENDING_DRAFT), platform::ls_get(k))
                else {
                    continue;
                };
                if v.is_empty() {
                    drafts.remove(key);
                    pending.push((key.to_string(), None));
                } else {
                    drafts.insert(key.to_string(), v.clone());
                    pending.push((key.to_string(), Some(v)));
                }
            }
            if pending.is_empty() || idb::write_drafts(db, &pending).await.is_ok() {
                for k in &keys {
                    platform::ls_remove(k);
                }
            }
        }
        *self.rt().drafts.borrow_mut() = drafts;
        // A phone may kill a hidden page without warning: write what is typed when hidden.
        let app = *self;
        let h = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if platform::window()
                .document()
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
            {
                app.flush_drafts();
            }
        });
        std::mem::forget(h);
        let h = window_event_listener(leptos::ev::pagehide, move |_| {
            app.keep_drafts_for_next_start();
            app.flush_drafts();
        });
        std::mem::forget(h);
    }

    /// Keeps the drafts not yet written to IndexedDB in `localStorage`, synchronously: a
    /// reload or a closing tab does not wait for an IndexedDB write to finish, and the last
    /// keystrokes (within `DRAFT_FLUSH_MS`) would be lost. The next start takes them
    /// (`load_drafts`); an empty value is a draft cleared.
    fn keep_drafts_for_next_start(&self) {
        for (k, v) in self.rt().drafts_dirty.borrow().iter() {
            platform::ls_set(&format!("{PENDING_DRAFT}{k}"), v.as_deref().unwrap_or(""));
        }
    }

    fn feed(&self, input: Input) {
        let now = self.now();
        let fx = {
            let rt = self.rt();
            let mut core = rt.core.borrow_mut();
            match core.as_mut() {
                Some(c) => c.handle(now, input),
                None => return,
            }
        };
        self.perform(fx);
    }

    /// The device's group commit: one transaction at a time, holding every save that queued
    /// while the previous one was in flight (at most [`SAVE_BATCH_MAX`]). Each document is
    /// reported saved only once its transaction has completed (durability `strict`), as
    /// before; a first sync no longer pays one transaction per received document.
    async fn write_saves(self, db: Database) {
        loop {
            let batch: Vec<PendingSave> = {
                let rt = self.rt();
                let mut queue = rt.save_queue.borrow_mut();
                let n = queue.len().min(SAVE_BATCH_MAX);
                queue.drain(..n).collect()
            };
            if batch.is_empty() {
                self.rt().saving.set(false);
                return;
            }
            let writes: Vec<idb::Write<'_>> = batch
                .iter()
                .map(|p| match p {
                    PendingSave::Save { save, .. } => idb::Write::Save(save),
                    PendingSave::Delete(id) => idb::Write::Delete(id),
                })
                .collect();
            // Returns once the transaction's `complete` event has fired.
            let result = idb::write_all(&db, &writes).await;
            drop(writes);
            for pending in batch {
                let PendingSave::Save { id, heads, .. } = pending else {
                    continue;
                };
                match &result {
                    Ok(()) => self.feed(Input::Saved { id, heads }),
                    Err(idb::IdbError::Quota) => {
                        self.fail_waiters(id, &SaveError::StorageFull);
                        self.feed(Input::SaveFailed { id });
                        self.notice.set(Some(Notice::StorageFull));
                    }
                    Err(e) => {
                        self.fail_waiters(id, &SaveError::Storage(e.to_string()));
                        self.feed(Input::SaveFailed { id });
                        self.notice.set(Some(Notice::Error(e.to_string())));
                    }
                }
            }
            self.refresh_sync();
        }
    }

    fn perform(&self, fx: Vec<Effect>) {
        let mut changed = false;
        for e in fx {
            match e {
                Effect::Send(bytes) => {
                    if let Some(ws) = self.rt().ws.borrow().as_ref() {
                        ws.send(&bytes);
                    }
                }
                Effect::Save {
                    id,
                    doc,
                    relay,
                    heads,
                } => {
                    let app = *self;
                    let Some(db) = self.rt().db.borrow().clone() else {
                        continue;
                    };
                    // The summary goes with the document, in the same transaction.
                    let doc = doc.map(|bytes| {
                        let summary = self.refresh_summary(id);
                        let shelf = shelf_of(&summary);
                        (
                            bytes,
                            serde_json::to_string(&summary).unwrap_or_default(),
                            shelf,
                        )
                    });
                    let rt = self.rt();
                    rt.save_queue.borrow_mut().push(PendingSave::Save {
                        id,
                        heads,
                        save: idb::Save {
                            id: id.to_string(),
                            doc,
                            relay,
                        },
                    });
                    if !rt.saving.replace(true) {
                        leptos::task::spawn_local(async move { app.write_saves(db).await });
                    }
                }
                Effect::Delete { id, reason } => {
                    self.rt().index.borrow_mut().remove(&id);
                    if let Some(db) = self.rt().db.borrow().clone() {
                        let rt = self.rt();
                        rt.save_queue
                            .borrow_mut()
                            .push(PendingSave::Delete(id.to_string()));
                        if !rt.saving.replace(true) {
                            let app = *self;
                            leptos::task::spawn_local(async move { app.write_saves(db).await });
                        }
                    }
                    // Only if the person is still looking at it: the address may already say
                    // they went elsewhere (the route signal follows it a moment later). A
                    // document whose history was rewritten comes back at once: stay.
                    let here = platform::window().location().hash().unwrap_or_default();
                    if reason != linli_shared::wire::FORGET_REWRITTEN
                        && Route::parse(&here) == Route::Request(id)
                    {
                        self.notice.set(Some(Notice::Removed));
                        self.go(Route::Home);
                    }
                    changed = true;
                }
                Effect::Changed { id } => {
                    self.refresh_summary(id);
                    changed = true;
                }
                Effect::Rejected {
                    id,
                    code,
                    reason,
                    summary,
                    ..
                } => {
                    // Entries a page keeps while they wait for the relay (the fund's ledger
                    // entries, under `pending.<document>`) become drafts to correct.
                    self.mark_pending_refused(id, &code, &reason);
                    self.notice.set(Some(Notice::Refused {
                        code,
                        reason,
                        lost: summary,
                    }));
                }
                Effect::ActorChanged { actor } => {
                    let bytes = actor.to_bytes().to_vec();
                    let generation = bytes
                        .get(12..16)
                        .map_or(0, |g| u32::from_be_bytes([g[0], g[1], g[2], g[3]]));
                    if let Some(db) = self.rt().db.borrow().clone() {
                        leptos::task::spawn_local(async move {
                            let _ = idb::meta_put(
                                &db,
                                META_ACTOR_GEN,
                                &JsValue::from_f64(f64::from(generation)),
                            )
                            .await;
                        });
                    }
                }
                Effect::Joined { relay_now, .. } => {
                    let rt = self.rt();
                    rt.backoff_ms.set(1_000);
                    let app = *self;
                    leptos::task::spawn_local(async move { app.upload_photos().await });
                    if let Some(relay_now) = relay_now {
                        self.learn_skew(rt.join_sent_at.get(), platform::device_now(), relay_now);
                    }
                }
                Effect::RelayError(msg) => {
                    web_sys::console::warn_1(&JsValue::from_str(&format!("relay: {msg}")));
                }
            }
        }
        if changed {
            self.changed_docs();
        }
        self.settle_waiters();
        self.refresh_sync();
    }

    /// Documents changed: what shows them is drawn again at the next frame, once for every
    /// frame from the relay until then (a first sync brings thousands a second, and pages that
    /// read every summary went over all of them after each one).
    fn changed_docs(&self) {
        if self.rt().redraw_due.replace(true) {
            return;
        }
        let app = *self;
        platform::next_frame(move || {
            app.rt().redraw_due.set(false);
            app.version.update(|v| *v += 1);
        });
    }

    /// Reads a document's summary afresh from the sync core into the read model.
    fn refresh_summary(&self, id: DocumentId) -> Summary {
        let rt = self.rt();
        let summary = rt
            .core
            .borrow()
            .as_ref()
            .and_then(|c| c.doc(&id).map(Summary::of));
        let mut index = rt.index.borrow_mut();
        match summary {
            Some(s) => {
                index.insert(id, s.clone());
                s
            }
            None => {
                index.remove(&id);
                Summary::Other
            }
        }
    }

    fn learn_skew(&self, sent: i64, received: i64, relay_now: i64) {
        let skew = ClockSkew::learn(sent, received, relay_now);
        self.rt().skew.set(skew);
        if let Some(db) = self.rt().db.borrow().clone() {
            leptos::task::spawn_local(async move {
                let _ = idb::meta_put(&db, META_SKEW, &JsValue::from_f64(skew.offset as f64)).await;
            });
        }
    }

    fn refresh_sync(&self) {
        let rt = self.rt();
        let status = rt
            .core
            .borrow()
            .as_ref()
            .map(|c| c.status())
            .unwrap_or_default();
        let view = SyncView {
            online: status.online,
            connecting: rt.connecting.get() || (rt.ws.borrow().is_some() && !status.online),
            unconfirmed: status.unconfirmed,
            saving: status.saving,
            last_sync: status.last_sync,
        };
        if self.sync.get_untracked() != view {
            self.sync.set(view);
            // Photos go up once the requests naming them are on the relay.
            if view.online && view.unconfirmed == 0 && view.saving == 0 && rt.uploads_pending.get()
            {
                let app = *self;
                leptos::task::spawn_local(async move { app.upload_photos().await });
            }
        }
    }

    /// Connects to the relay if not connected: token first (signed challenge), then socket.
    pub fn connect(&self) {
        let rt = self.rt();
        if rt.stopped.get() || rt.connecting.get() || rt.ws.borrow().is_some() {
            return;
        }
        if self.session.get_untracked().is_none() && rt.core.borrow().is_none() {
            return;
        }
        if !platform::window().navigator().on_line() {
            // Wait for the `online` event (and retry now and then in case it never comes).
            self.retry_later();
            return;
        }
        rt.connecting.set(true);
        self.refresh_sync();
        let app = *self;
        leptos::task::spawn_local(async move {
            let result = app.open_socket().await;
            let rt = app.rt();
            rt.connecting.set(false);
            if let Err(e) = result {
                if let http::HttpError::Status {
                    status: 401,
                    message,
                    ..
                } = &e
                    && message.starts_with("revoked")
                {
                    app.revoked();
                } else {
                    if matches!(e, http::HttpError::Status { status: 401, .. }) {
                        *rt.token.borrow_mut() = None;
                    }
                    app.retry_later();
                }
            }
            app.refresh_sync();
        });
    }

    /// Calls the relay's API as this device (a fresh token is fetched when needed).
    pub async fn api<R: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<R, http::HttpError> {
        let token = self.token().await?;
        http::request(method, path, body.as_ref(), Some(&token)).await
    }

    async fn token(&self) -> Result<String, http::HttpError> {
        let rt = self.rt();
        let now = platform::device_now();
        if let Some((t, exp)) = rt.token.borrow().clone()
            && exp - rt.skew.get().offset > now + 60_000
        {
            return Ok(t);
        }
        let Some(session) = self.session.get_untracked() else {
            return Err(http::HttpError::Network("no session".into()));
        };
        let Some(keys) = rt.keys.borrow().clone() else {
            return Err(http::HttpError::Network("no device key".into()));
        };
        let c: ChallengeReply = http::post(
            paths::CHALLENGE,
            &ChallengeBody {
                device: session.device.clone(),
            },
        )
        .await?;
        let bytes = B64
            .decode(&c.challenge)
            .map_err(|e| http::HttpError::Network(e.to_string()))?;
        let mut message = b"linli-auth-v1:".to_vec();
        message.extend_from_slice(&bytes);
        let sig = crypto::sign(&keys, &message)
            .await
            .map_err(|e| http::HttpError::Network(format!("{e:?}")))?;
        let reply: TokenReply = http::post(
            paths::TOKEN,
            &TokenBody {
                device: session.device.clone(),
                challenge: c.challenge,
                signature: B64.encode(sig),
            },
        )
        .await?;
        *rt.token.borrow_mut() = Some((reply.token.clone(), reply.expires_at));
        // The relay may have changed this person's role or grids: keep the session current.
        let mut fresh = reply.session;
        fresh.relay_now = 0;
        let stale = self.session.with_untracked(|s| {
            s.as_ref().map(|s| Session {
                relay_now: 0,
                ..s.clone()
            })
        }) != Some(fresh.clone());
        if stale {
            let db = rt.db.borrow().clone();
            if let Some(db) = db {
                let json = serde_json::to_string(&fresh).unwrap_or_default();
                let _ = idb::meta_put(&db, META_SESSION, &JsValue::from_str(&json)).await;
            }
            self.session.set(Some(fresh));
        }
        Ok(reply.token)
    }

    async fn open_socket(&self) -> Result<(), http::HttpError> {
        let token = self.token().await?;
        let url = format!("{}/sync?token={}", platform::ws_origin(), token);
        let app = *self;
        let ws = Ws::connect(
            &url,
            move || {
                app.rt().join_sent_at.set(platform::device_now());
                app.feed(Input::Connected);
            },
            move |bytes| app.feed(Input::Frame(bytes)),
            move |code, reason| app.closed(code, &reason),
        )
        .map_err(http::HttpError::Network)?;
        *self.rt().ws.borrow_mut() = Some(ws);
        Ok(())
    }

    fn closed(&self, code: u16, reason: &str) {
        let rt = self.rt();
        // Drop the socket outside this callback's own stack frame.
        let old = rt.ws.borrow_mut().take();
        leptos::task::spawn_local(async move { drop(old) });
        self.feed(Input::Disconnected);
        match code {
            close::REVOKED => self.revoked(),
            close::REFUSED => {
                // A refused change: the notice was shown from the `linli-rejected` message.
                if self.notice.get_untracked().is_none() {
                    self.notice.set(Some(Notice::Refused {
                        code: "refused".into(),
                        reason: reason.into(),
                        lost: Vec::new(),
                    }));
                }
                self.retry_later();
            }
            _ => self.retry_later(),
        }
        self.refresh_sync();
    }

    fn revoked(&self) {
        let rt = self.rt();
        rt.stopped.set(true);
        self.notice.set(Some(Notice::Revoked));
    }

    /// Schedules a reconnection with exponential backoff and jitter (1 s … 30 s).
    fn retry_later(&self) {
        let rt = self.rt();
        if rt.stopped.get() || rt.retry_timer.get().is_some() {
            return;
        }
        let base = rt.backoff_ms.get();
        rt.backoff_ms.set((base * 2).min(30_000));
        let jitter = u32::from(platform::random_bytes::<1>()[0]) * base / 512;
        let app = *self;
        let cb = Closure::once_into_js(move || {
            app.rt().retry_timer.set(None);
            app.connect();
        });
        let id = platform::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.unchecked_ref(),
                (base + jitter) as i32,
            )
            .ok();
        rt.retry_timer.set(id);
    }

    /// Reconnects at once when the browser says the network is back.
    fn listen_for_network(&self) {
        let app = *self;
        let h = window_event_listener(leptos::ev::online, move |_| {
            let rt = app.rt();
            if let Some(t) = rt.retry_timer.take() {
                platform::window().clear_timeout_with_handle(t);
            }
            rt.backoff_ms.set(1_000);
            app.connect();
        });
        std::mem::forget(h);
        // The network is gone: drop the socket now rather than wait for it to time out.
        let h = window_event_listener(leptos::ev::offline, move |_| {
            let old = app.rt().ws.borrow_mut().take();
            if old.is_some() {
                drop(old);
                app.feed(Input::Disconnected);
                app.retry_later();
            }
        });
        std::mem::forget(h);
        let h = window_event_listener(leptos::ev::hashchange, move |_| {
            app.route.set(Route::parse(
                &platform::window().location().hash().unwrap_or_default(),
            ));
        });
        std::mem::forget(h);
    }

    fn tick_clock(&self) {
        let app = *self;
        let cb = Closure::<dyn FnMut()>::new(move || {
            app.clock.set(platform::device_now());
            app.retry_saves();
            leptos::task::spawn_local(async move { app.upload_photos().await });
        });
        let _ = platform::window().set_interval_with_callback_and_timeout_and_arguments_0(
            cb.as_ref().unchecked_ref(),
            30_000,
        );
        cb.forget();
    }
}

/// A device's actor id: its 12-byte id and a 4-byte generation (a new one after a refusal).
/// Where a summary is kept: what a first screen may show (an open request, the community,
/// boards, a record with consents) is read before it; the rest just after.
fn shelf_of(summary: &Summary) -> idb::Shelf {
    let first_screen = match summary {
        Summary::Request(RequestSummary { request }) => request.status().is_open(),
        Summary::Person(PersonSummary { consents, .. }) => !consents.is_empty(),
        Summary::Community(_) | Summary::Board(_) | Summary::Grid(_) | Summary::Other => true,
        // A grid's patrol logs are read just after the first screen.
        Summary::Patrols(_) => false,
        // Garbage sorting: the logs after the first screen; a reminder still open shows on the
        // household's and the volunteer's home screen.
        Summary::Sorting(_) => false,
        Summary::Reminder(r) => r.is_open(),
        // Facility works are read just after the first screen.
        Summary::Works(_) => false,
        // A merchant's home screen shows their shop's score.
        Summary::Merchant(_) => true,
        // Self-governing groups are read just after the first screen.
        Summary::Group(_) => false,
        // Field notes are read just after the first screen.
        Summary::FieldNote(_) => false,
        // The rules documents are read just after the first screen.
        Summary::Charter(_) => false,
        // Training sessions are read just after the first screen.
        Summary::Training(_) => false,
        // The roadmap is read just after the first screen.
        Summary::Roadmap(_) => false,
        // The community's own cases are read just after the first screen.
        Summary::LocalCase(_) => false,
        // The site plan and the resource map are read just after the first screen.
        Summary::SitePlan(_) | Summary::Resource(_) => false,
        // Children's drawings and their gallery are read just after the first screen.
        Summary::Drawing(_) | Summary::DrawingGallery(_) => false,
        Summary::TalkSeries(_) => true,
        // A talk still being held or written up, or with action items not yet done (they show
        // on their owners' home screens).
        Summary::Talk(t) => {
            t.talk.minutes_published_at.is_none()
                || t.talk
                    .items
                    .iter()
                    .filter_map(|i| i.decision.as_ref())
                    .any(|d| d.actions.iter().any(|a| !a.done))
        }
        // Micro-grants are read just after the first screen.
        Summary::Fund(_) | Summary::Proposal(_) | Summary::GrantCall(_) => false,
        // An open owners' vote and its sheets show on a resident's home screen.
        Summary::OwnersVote(v) => v.vote.closed_at.is_none(),
        Summary::VoteSheet(s) => s.sheet.closed_at.is_none(),
        // Events show on a resident's home screen (the coming ones); their rosters come just
        // after the first screen.
        Summary::Event(_) => true,
        Summary::Roster(_) => false,
        // A volunteer's own record: their page reads it just after the first screen.
        Summary::Volunteer(_) => false,
    };
    if first_screen {
        idb::Shelf::Index
    } else {
        idb::Shelf::Archive
    }
}

/// Reads one shelf of the stored read model into `index`.
async fn read_shelf(
    db: &Database,
    shelf: idb::Shelf,
    index: &mut HashMap<DocumentId, Summary>,
) -> Result<(), String> {
    for (id, json) in idb::load_index(db, shelf)
        .await
        .map_err(|e| e.to_string())?
    {
        if let (Ok(id), Ok(summary)) = (
            DocumentId::parse(&id),
            serde_json::from_str::<Summary>(&json),
        ) {
            index.insert(id, summary);
        }
    }
    Ok(())
}

pub fn actor_id(device: &str, generation: u32) -> ActorId {
    let mut bytes = unhex(device).unwrap_or_default();
    bytes.truncate(12);
    bytes.extend_from_slice(&generation.to_be_bytes());
    ActorId::from(bytes)
}
