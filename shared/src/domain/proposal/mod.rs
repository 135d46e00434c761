//! A micro-grant proposal 微创投提案, and once funded its project: what, why, where, budget
//! lines, the households taking part, photos; residents' support (+1); then progress updates
//! with photos and the households taking part over time, milestones and a closing report.
//! The review and the decision live in the call's document, the money in the fund's ledger.

mod commands;
mod rules;
#[cfg(test)]
mod tests;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_obj, get_strings, list_maps, map_keys};
use crate::domain::errors::chars;
use crate::domain::fund::Fen;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

pub use commands::ProposalCommand;

pub const TITLE_MAX: usize = 60;
pub const TEXT_MAX: usize = 1_000;
pub const PLACE_MAX: usize = 100;
pub const LINE_MAX: usize = 40;
pub const LINES_MAX: usize = 20;
pub const PHOTOS_MAX: usize = 3;
/// The most households a project may count.
pub const HOUSEHOLDS_MAX: i64 = 100_000;

/// What a person types to propose a project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDraft {
    pub title: String,
    pub what: String,
    pub why: String,
    pub place: String,
    /// Budget lines: (what for, fen).
    pub lines: Vec<(String, Fen)>,
    /// Households taking part at the start.
    pub households: i64,
    #[serde(default)]
    pub photos: Vec<String>,
}

impl ProposalDraft {
    /// Every problem with the draft at once, so the form marks each field.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            out.push(InputError::TitleEmpty);
        } else if chars(title) > TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: chars(title),
                max: TITLE_MAX,
            });
        }
        for t in [&self.what, &self.why] {
            if t.trim().is_empty() {
                out.push(InputError::TextEmpty);
            } else if chars(t) > TEXT_MAX {
                out.push(InputError::TextTooLong {
                    len: chars(t),
                    max: TEXT_MAX,
                });
            }
        }
        if chars(&self.place) > PLACE_MAX {
            out.push(InputError::TextTooLong {
                len: chars(&self.place),
                max: PLACE_MAX,
            });
        }
        if self.photos.len() > PHOTOS_MAX {
            out.push(InputError::TooManyPhotos { max: PHOTOS_MAX });
        }
        out
    }

    /// The budget's total.
    pub fn total(&self) -> Fen {
        self.lines.iter().map(|(_, a)| a).sum()
    }
}

/// A progress update: text, photos, and (optionally) the households taking part by then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub id: String,
    pub at: Millis,
    pub by: String,
    pub by_name: String,
    pub text: String,
    pub households: Option<i64>,
    pub photos: Vec<String>,
    /// A milestone reached (its title), when the update marks one.
    pub milestone: String,
}

/// The closing report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub at: Millis,
    pub by: String,
    pub by_name: String,
    pub text: String,
}

/// A proposal (and its project) as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// The call's document id.
    pub call: String,
    /// Whose project it is (the proposer; its leader once funded).
    pub proposer: String,
    pub proposer_name: String,
    /// Who pressed "send" (a volunteer for an elder).
    pub filed_by: String,
    pub filed_by_name: String,
    pub at: Millis,
    pub draft: ProposalDraft,
    /// Person ids who support it (+1), with when.
    pub supports: Vec<(String, Millis)>,
    pub updates: Vec<Update>,
    pub closing: Option<Closing>,
}

impl Proposal {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Proposal)?;
        let root = Fields::of(doc, &ROOT);
        let strings = |obj: &automerge::ObjId, key: &str| get_strings(doc, obj, key);
        let lines = root
            .obj("lines", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .iter()
                    .map(|m| {
                        let f = Fields::of(doc, m);
                        (
                            f.str("line").unwrap_or_default(),
                            f.i64("amount").unwrap_or(0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let supports = root
            .obj("supports", ObjType::Map)
            .map(|m| {
                map_keys(doc, &m)
                    .into_iter()
                    .map(|p| {
                        let at = crate::docutil::get_i64(doc, &m, &p).unwrap_or(0);
                        (p, at)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut updates: Vec<Update> = root
            .obj("updates", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .iter()
                    .map(|u| {
                        let f = Fields::of(doc, u);
                        Update {
                            id: u.to_string(),
                            at: f.i64("at").unwrap_or(0),
                            by: f.str("by").unwrap_or_default(),
                            by_name: f.str("by_name").unwrap_or_default(),
                            text: f.str("text").unwrap_or_default(),
                            households: f.i64("households"),
                            photos: strings(u, "photos"),
                            milestone: f.str("milestone").unwrap_or_default(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        updates.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        let closing = root.obj("closing", ObjType::Map).map(|c| {
            let f = Fields::of(doc, &c);
            Closing {
                at: f.i64("at").unwrap_or(0),
                by: f.str("by").unwrap_or_default(),
                by_name: f.str("by_name").unwrap_or_default(),
                text: f.str("text").unwrap_or_default(),
            }
        });
        Ok(Proposal {
            call: root.str("call").unwrap_or_default(),
            proposer: root.str("subject").unwrap_or_default(),
            proposer_name: root.str("proposer_name").unwrap_or_default(),
            filed_by: root.str("filed_by").unwrap_or_default(),
            filed_by_name: root.str("filed_by_name").unwrap_or_default(),
            at: root.i64("at").unwrap_or(0),
            draft: ProposalDraft {
                title: root.str("title").unwrap_or_default(),
                what: root.str("what").unwrap_or_default(),
                why: root.str("why").unwrap_or_default(),
                place: root.str("place").unwrap_or_default(),
                lines,
                households: root.i64("households").unwrap_or(0),
                photos: strings(&ROOT, "photos"),
            },
            supports,
            updates,
            closing,
        })
    }

    /// Households taking part over time: the start, then each update that counts them.
    pub fn households(&self) -> Vec<(Millis, i64)> {
        std::iter::once((self.at, self.draft.households))
            .chain(
                self.updates
                    .iter()
                    .filter_map(|u| Some((u.at, u.households?))),
            )
            .collect()
    }

    /// Whether this person leads it (proposed it, or filed it for the proposer).
    pub fn leads(&self, person: &str) -> bool {
        self.proposer == person || self.filed_by == person
    }
}

/// What a device keeps of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub proposal: Proposal,
}

/// The proposal kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "proposal";
    type Summary = ProposalSummary;
    type Command = ProposalCommand;

    fn apply(
        doc: &mut Automerge,
        command: &ProposalCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<ProposalSummary> {
        Some(ProposalSummary {
            proposal: Proposal::read(doc).ok()?,
        })
    }

    /// Every enrolled person: proposals are the community's, and so is what became of them.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .subject
            .is_none()
            .then_some("a proposal names its proposer (`subject`)")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    /// Whether the closing report was already written (it is written once).
    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        Some(crate::domain::Prior::new(
            get_obj(doc, &ROOT, "closing", ObjType::Map).is_some(),
        ))
    }

    /// A proposal is published to the whole community.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "what", "why", "place"];

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (Some("photos"), "*") => ID_MAX,
            (_, "title" | "milestone") => TITLE_MAX,
            (_, "what" | "why" | "text") => TEXT_MAX,
            (_, "place") => PLACE_MAX,
            (_, "line") => LINE_MAX,
            (_, "call" | "filed_by") => ID_MAX,
            (_, "proposer_name" | "filed_by_name") => NAME_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        match field {
            "photos" => Some(PHOTOS_MAX),
            "lines" => Some(LINES_MAX),
            _ => None,
        }
    }

    const TIME_FIELDS: &'static [&'static str] = &["at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name", "filed_by_name"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's support goes, and their name from what they proposed, filed and
    /// wrote; a project they led keeps its content (the community's record) without them.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let p = Proposal::read(doc).ok()?;
        let named = p.proposer == person
            || p.filed_by == person
            || p.supports.iter().any(|(s, _)| s == person)
            || p.updates.iter().any(|u| u.by == person)
            || p.closing.as_ref().is_some_and(|c| c.by == person);
        if !named {
            return None;
        }
        let erased = crate::domain::requests::ERASED;
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                if p.proposer == person {
                    tx.put(ROOT, "subject", erased)?;
                    tx.delete(ROOT, "proposer_name")?;
                }
                if p.filed_by == person {
                    tx.put(ROOT, "filed_by", erased)?;
                    tx.delete(ROOT, "filed_by_name")?;
                }
                if let Some(s) = get_obj(tx, &ROOT, "supports", ObjType::Map) {
                    tx.delete(&s, person)?;
                }
                let mut signed: Vec<automerge::ObjId> =
                    get_obj(tx, &ROOT, "updates", ObjType::List)
                        .map(|l| list_maps(tx, &l))
                        .unwrap_or_default();
                signed.extend(get_obj(tx, &ROOT, "closing", ObjType::Map));
                for e in signed {
                    if crate::docutil::get_str(tx, &e, "by").as_deref() == Some(person) {
                        tx.put(&e, "by", erased)?;
                        tx.delete(&e, "by_name")?;
                    }
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }

    fn photos(doc: &Automerge) -> Vec<String> {
        Proposal::read(doc)
            .map(|p| {
                p.draft
                    .photos
                    .into_iter()
                    .chain(p.updates.into_iter().flat_map(|u| u.photos))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Who proposes, for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposer {
    /// The proposer (the project's leader).
    pub person: String,
    pub name: String,
    /// Who pressed "send" (the proposer, or a volunteer for an elder) and their name.
    pub filed_by: String,
    pub filed_by_name: String,
}

/// Writes a new proposal into an empty document.
pub fn propose(
    doc: &mut Automerge,
    call: &str,
    draft: &ProposalDraft,
    who: &Proposer,
    now: Millis,
) -> Result<(), ModelError> {
    if let Some(e) = draft.problems().into_iter().next() {
        return Err(e.into());
    }
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("proposal"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Proposal.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "subject", who.person.as_str())?;
        tx.put(ROOT, "proposer_name", who.name.as_str())?;
        tx.put(ROOT, "filed_by", who.filed_by.as_str())?;
        if !who.filed_by_name.is_empty() {
            tx.put(ROOT, "filed_by_name", who.filed_by_name.as_str())?;
        }
        tx.put(ROOT, "call", call)?;
        tx.put(ROOT, "at", now)?;
        tx.put(ROOT, "title", draft.title.trim())?;
        tx.put(ROOT, "what", draft.what.trim())?;
        tx.put(ROOT, "why", draft.why.trim())?;
        tx.put(ROOT, "place", draft.place.trim())?;
        tx.put(
            ROOT,
            "households",
            draft.households.clamp(0, HOUSEHOLDS_MAX),
        )?;
        let lines = tx.put_object(ROOT, "lines", ObjType::List)?;
        for (i, (line, amount)) in draft.lines.iter().enumerate() {
            let m = tx.insert_object(&lines, i, ObjType::Map)?;
            tx.put(&m, "line", line.as_str())?;
            tx.put(&m, "amount", *amount)?;
        }
        let photos = tx.put_object(ROOT, "photos", ObjType::List)?;
        for (i, h) in draft.photos.iter().enumerate() {
            tx.insert(&photos, i, h.as_str())?;
        }
        // Created up front: two phones creating them concurrently would lose one's entries.
        tx.put_object(ROOT, "supports", ObjType::Map)?;
        tx.put_object(ROOT, "updates", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Supports (+1) a proposal as `person`, or withdraws the support.
pub fn support(doc: &mut Automerge, person: &str, on: bool, now: Millis) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Proposal)?;
    let m =
        get_obj(doc, &ROOT, "supports", ObjType::Map).ok_or(ModelError::Malformed("supports"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if on {
            tx.put(&m, person, now)
        } else {
            tx.delete(&m, person)
        }
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// A progress update as a person writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUpdate {
    pub text: String,
    pub households: Option<i64>,
    #[serde(default)]
    pub photos: Vec<String>,
    #[serde(default)]
    pub milestone: String,
}

/// Appends a progress update in `by`'s name.
pub fn add_update(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    u: &NewUpdate,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Proposal)?;
    let text = crate::domain::errors::check_text(&u.text, TEXT_MAX)?;
    if u.photos.len() > PHOTOS_MAX {
        return Err(InputError::TooManyPhotos { max: PHOTOS_MAX }.into());
    }
    let list =
        get_obj(doc, &ROOT, "updates", ObjType::List).ok_or(ModelError::Malformed("updates"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let n = tx.length(&list);
        let e = tx.insert_object(&list, n, ObjType::Map)?;
        tx.put(&e, "at", now)?;
        tx.put(&e, "by", by)?;
        if !by_name.is_empty() {
            tx.put(&e, "by_name", by_name)?;
        }
        tx.put(&e, "text", text.as_str())?;
        if let Some(h) = u.households {
            tx.put(&e, "households", h.clamp(0, HOUSEHOLDS_MAX))?;
        }
        if !u.milestone.trim().is_empty() {
            tx.put(&e, "milestone", u.milestone.trim())?;
        }
        if !u.photos.is_empty() {
            let l = tx.put_object(&e, "photos", ObjType::List)?;
            for (i, h) in u.photos.iter().enumerate() {
                tx.insert(&l, i, h.as_str())?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Writes the closing report (once).
pub fn close_project(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    text: &str,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Proposal)?;
    let text = crate::domain::errors::check_text(text, TEXT_MAX)?;
    if get_obj(doc, &ROOT, "closing", ObjType::Map).is_some() {
        return Err(ModelError::NotEmpty("closing"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let c = tx.put_object(ROOT, "closing", ObjType::Map)?;
        tx.put(&c, "at", now)?;
        tx.put(&c, "by", by)?;
        if !by_name.is_empty() {
            tx.put(&c, "by_name", by_name)?;
        }
        tx.put(&c, "text", text.as_str())?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}
