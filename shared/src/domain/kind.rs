//! What every kind of document tells the rest of the system: the [`DocType`] trait. A module
//! implements it once in its own folder and adds one line to the registry
//! ([`crate::domain`]); the relay core, the rules engine and the app's read model then handle
//! the new kind without naming it.

use std::any::Any;
use std::fmt::Debug;
use std::sync::Arc;

use automerge::{Automerge, Change};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::RefusalCode;
use crate::domain::errors::ModelError;
use crate::domain::scope::Scope;
use crate::ids::DocumentId;
use crate::policy::Principal;
use crate::rules::{Ctx, Touch};
use crate::time::Millis;

/// A refusal as a kind's rules give it: a stable code and a detail for the audit log.
pub type Verdict = Result<(), (RefusalCode, String)>;

/// One kind of document. Every function is pure: the relay and the app call them with the
/// document, the person and the time.
pub trait DocType {
    /// The `kind` written at the document's root.
    const NAME: &'static str;

    /// What a device shows of such a document without loading it (the app's read model),
    /// stored beside the document as JSON.
    type Summary: Serialize + DeserializeOwned + Clone + PartialEq + Debug;

    /// Reads the summary; `None` when the document is not (yet) a well-formed one.
    fn summarise(doc: &Automerge) -> Option<Self::Summary>;

    /// What a person does to such a document, as data: pages send commands, never closures
    /// over a document, so the documents can live apart from the pages. (Sent as JSON with
    /// a `doc` field beside its own: a command has no field of that name.)
    type Command: Serialize + DeserializeOwned + Clone + PartialEq + Debug;

    /// Applies a command to the document at time `now` (the device's corrected clock).
    fn apply(doc: &mut Automerge, command: &Self::Command, now: Millis) -> Result<(), ModelError>;

    /// May this person's devices hold a document of this kind with this scope? (Staff read
    /// everything but what a kind says otherwise.)
    fn may_read(p: &Principal, scope: &Scope) -> bool;

    /// Scope fields every document of this kind must carry: the refusal detail if one is
    /// missing.
    fn scope_missing(_scope: &Scope) -> Option<&'static str> {
        None
    }

    /// Which changes a person other than staff may make, operation by operation
    /// ([`Write::touches`]). Sizes and actors are already checked by the rules engine.
    fn check(w: &Write<'_>) -> Verdict;

    /// What holds for every writer, staff included (a consent names its volunteer as the
    /// relay's records do).
    fn check_everyone(_w: &Write<'_>) -> Verdict {
        Ok(())
    }

    /// What [`DocType::check`] needs of the document as it was before `changes` (read before
    /// they are applied in place): `None` when it needs nothing beyond the scope.
    fn prior(_doc: &Automerge, _changes: &[Change]) -> Option<Prior> {
        None
    }

    /// The most characters a string at `field` may hold (`parent` names the list for an
    /// element, `field` is then `"*"`), for fields of this kind; `None` falls back to the
    /// shared limits ([`crate::domain::limits`]).
    fn field_limit(_parent: Option<&str>, _field: &str) -> Option<usize> {
        None
    }

    /// The most elements the list named `field` may hold.
    fn list_limit(_field: &str) -> Option<usize> {
        None
    }

    /// New documents of this kind one person may create in a day (the relay counts them as
    /// they arrive, besides its quota of new documents of every kind): `None` for no
    /// quota of the kind's own.
    const DAILY_MAX: Option<u32> = None;

    /// Fields holding a time a writer sets (milliseconds since the epoch, wherever they are in
    /// the document): every writer's, staff's too, must lie near the relay's clock
    /// ([`crate::domain::limits::CLOCK_TOLERANCE`] ahead at most,
    /// [`crate::domain::limits::BACKDATE_MAX`] behind at most).
    const TIME_FIELDS: &'static [&'static str] = &[];

    /// Fields holding the writer's display name: empty, or the writer's name in the relay's
    /// records ([`crate::policy::Principal::name`]), so nobody signs as someone else.
    const NAME_FIELDS: &'static [&'static str] = &[];

    /// Text fields shown beyond the writer's household (on the grid's board, to the whole
    /// community): the relay refuses mobile, ID and bank card numbers and licence plates in
    /// them, from every writer ([`crate::pii`]), and the app warns as the person types.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &[];

    /// The photos (content hashes) this document shows: the relay serves a photo's bytes
    /// only through a document that names it and that the person may read.
    fn photos(_doc: &Automerge) -> Vec<String> {
        Vec::new()
    }

    /// For a document that shows photos uploaded for other documents (the drawings' gallery
    /// shows a drawing's picture): whether this one shows `hash` as uploaded for `source`, a
    /// document of kind `source_kind`. The relay serves the bytes through it only then.
    fn shows_photo_of(
        _doc: &Automerge,
        _hash: &str,
        _source: &crate::ids::DocumentId,
        _source_kind: super::DocKind,
    ) -> bool {
        false
    }

    // ---- Hooks for what the relay derives from documents (none by default).

    /// Documents of this kind are a person's record: the relay keeps its directory of
    /// persons and their households from their scopes (`subject`, `household`).
    const DIRECTORY: bool = false;

    /// For the kind that defines the community's grids: the grids this document lists. Every
    /// document's `grid` must be one of them (`unknown_grid` otherwise).
    fn grids(_doc: &Automerge) -> Option<Vec<String>> {
        None
    }

    /// Whether [`DocType::grids`] may answer for documents of this kind.
    const DEFINES_GRIDS: bool = false;

    /// For a directory kind: the name of the person the record is about, which the relay
    /// takes as that person's display name.
    fn display_name(_doc: &Automerge) -> Option<String> {
        None
    }

    /// For a directory kind: the party the person represents at the talks (written by
    /// staff), which the relay takes into [`Principal::party`].
    fn party(_doc: &Automerge) -> Option<crate::policy::Party> {
        None
    }

    /// The persons this document lets act for its subject (an elder's consents to
    /// volunteers); `None` for kinds that grant nothing. The relay keeps an index and
    /// recomputes connected devices' rights when it changes.
    fn delegates(_doc: &Automerge) -> Option<Vec<String>> {
        None
    }

    /// The persons this document makes the team of its grid (a grid's iron triangle): the
    /// relay keeps an index and gives them [`Principal::team_grids`]; `None` for kinds that
    /// make no team.
    fn team(_doc: &Automerge) -> Option<Vec<String>> {
        None
    }

    /// Whether `changes` can alter what this document contributes to a derived document
    /// (a request's entry on its grid's board): the relay skips reading the document when not.
    fn projects(_changes: &[Change]) -> bool {
        false
    }

    /// The derived document to update after this one changed.
    fn projection(_id: &DocumentId, _doc: &Automerge, _now: Millis) -> Option<Projection> {
        None
    }

    /// For a derived kind: which group a document of this kind serves (a board's grid), so
    /// the relay finds it again after a restart.
    fn projection_group(_scope: &Scope) -> Option<String> {
        None
    }

    /// Documents of this kind may name people who outlive their records (a request's filer
    /// and subject): erasure asks each one to [`DocType::anonymise`] itself.
    const OUTLIVES_PEOPLE: bool = false;

    /// Removes an erased person from this document if it names them: `Some` when it wrote,
    /// with the content hashes of the photos it no longer refers to (the relay deletes their
    /// bytes).
    fn anonymise(_doc: &mut Automerge, _person: &str) -> Option<Result<Vec<String>, ModelError>> {
        None
    }

    /// Removes an erased person's name where others typed it as text with no id beside it (the
    /// elder a patrol visited): `Some` when it wrote. Only the exact name is matched.
    fn unname(_doc: &mut Automerge, _name: &str) -> Option<Result<(), ModelError>> {
        None
    }
}

/// Everything a kind's write rules may look at.
pub struct Write<'a> {
    pub p: &'a Principal,
    pub ctx: &'a Ctx<'a>,
    /// The document is being created by these changes.
    pub creating: bool,
    /// The scope before and after the changes.
    pub old: &'a Scope,
    pub new: &'a Scope,
    /// What [`DocType::prior`] read before the changes.
    pub prior: Option<&'a Prior>,
    /// The document with the changes applied.
    pub after: &'a Automerge,
    /// Every operation of the changes, resolved to where it lands.
    pub touches: &'a [Touch],
}

/// What a kind read of a document before changes were applied (type-erased; the kind that
/// wrote it downcasts it with [`Prior::get`]).
#[derive(Clone)]
pub struct Prior(Arc<dyn Any + Send + Sync>);

impl Prior {
    pub fn new<T: Any + Send + Sync>(value: T) -> Self {
        Prior(Arc::new(value))
    }

    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }
}

impl Debug for Prior {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prior(..)")
    }
}

/// An edit the relay makes to a document on its own account.
pub type Edit = Box<dyn FnOnce(&mut Automerge) -> Result<(), ModelError>>;

/// A derived document kept current by the relay: which kind and group it is, how to create
/// it when the group has none yet, and the edit to make.
pub struct Projection {
    pub kind: crate::domain::DocKind,
    pub group: String,
    pub create: Edit,
    pub update: Edit,
    /// The update takes away what someone withdrew their consent to show (a guardian's
    /// withdrawn drawing): when it changes the derived document, the relay rewrites that
    /// document's history to its current state, so no phone keeps the old entry in it.
    pub forgets: bool,
}
