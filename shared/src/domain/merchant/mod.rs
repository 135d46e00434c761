//! Merchant credit 商户信用积分: one document per shop along the community's streets and its
//! frontage duties 门前三包 (a clean, orderly, green frontage). The grid's team and grid
//! workers inspect it; each inspection is an entry that adds or removes points with a reason
//! and an optional photo, appended in the inspector's own name and never rewritten (staff
//! excepted). The merchant, once invited as a person (`subject`), reads their own record and
//! may answer each entry once. The score is [`BASE_SCORE`] plus the sum of the points.

mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{get_i64, get_obj, get_str, get_strings, list_maps};
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

/// Every shop starts from this score; each inspection's points add to it. 100 reads as a
/// clean record on the paper forms the article's community used.
pub const BASE_SCORE: i64 = 100;
/// The most points one inspection adds or removes.
pub const POINTS_MAX: i64 = 20;
/// An inspection's reason.
pub const REASON_MAX: usize = 200;
/// A merchant's response to an entry.
pub const RESPONSE_MAX: usize = 500;
/// The frontage address (`嘉禾路88号`).
pub const PLACE_MAX: usize = 60;
/// One duty (`门前无乱堆乱放`).
pub const DUTY_MAX: usize = 40;
pub const DUTIES_MAX: usize = 10;
/// Five years of inspections at about two a month, with room.
pub const ENTRIES_MAX: usize = 1_000;
pub const PHOTOS_MAX: usize = 3;

/// The three frontage duties 门前三包 a shop takes on unless staff write others.
pub const DEFAULT_DUTIES: [&str; 3] = [
    "门前卫生整洁，无垃圾杂物",
    "门前秩序良好，不占道经营",
    "门前绿化美化，设施完好",
];

/// A merchant's answer to an entry (written once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub text: String,
    pub at: Millis,
}

/// One inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's object id in the document (stable).
    pub id: String,
    pub at: Millis,
    pub by: String,
    pub by_name: String,
    /// Nonzero, within ±[`POINTS_MAX`].
    pub points: i64,
    pub reason: String,
    pub photos: Vec<String>,
    pub response: Option<Response>,
}

/// A shop's record, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merchant {
    pub grid: String,
    /// The merchant's person id, once someone is invited for the shop.
    pub subject: Option<String>,
    pub name: String,
    pub place: String,
    pub duties: Vec<String>,
    pub created_at: Millis,
    /// Oldest first.
    pub entries: Vec<Entry>,
}

impl Merchant {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Merchant)?;
        let s = |k: &'static str| get_str(doc, &ROOT, k).ok_or(ModelError::Malformed(k));
        let mut entries: Vec<Entry> = get_obj(doc, &ROOT, "entries", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|e| read_entry(doc, &e))
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        Ok(Merchant {
            grid: s("grid")?,
            subject: get_str(doc, &ROOT, "subject").filter(|s| !s.is_empty()),
            name: s("name")?,
            place: get_str(doc, &ROOT, "place").unwrap_or_default(),
            duties: get_strings(doc, &ROOT, "duties"),
            created_at: get_i64(doc, &ROOT, "created_at").unwrap_or_default(),
            entries,
        })
    }

    /// [`BASE_SCORE`] plus every entry's points.
    pub fn score(&self) -> i64 {
        BASE_SCORE + self.entries.iter().map(|e| e.points).sum::<i64>()
    }

    /// The points of the entries since `since`: the score's trend.
    pub fn trend(&self, since: Millis) -> i64 {
        self.entries
            .iter()
            .filter(|e| e.at >= since)
            .map(|e| e.points)
            .sum()
    }

    /// The latest inspection.
    pub fn last(&self) -> Option<&Entry> {
        self.entries.last()
    }

    /// Deductions the merchant has not answered yet.
    pub fn open_responses(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.points < 0 && e.response.is_none())
            .count()
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

fn read_entry(doc: &Automerge, e: &automerge::ObjId) -> Option<Entry> {
    let response = get_obj(doc, e, "response", ObjType::Map).and_then(|r| {
        Some(Response {
            text: get_str(doc, &r, "text")?,
            at: get_i64(doc, &r, "at").unwrap_or_default(),
        })
    });
    Some(Entry {
        id: e.to_string(),
        at: get_i64(doc, e, "at")?,
        by: get_str(doc, e, "by")?,
        by_name: get_str(doc, e, "by_name").unwrap_or_default(),
        points: get_i64(doc, e, "points")?,
        reason: get_str(doc, e, "reason").unwrap_or_default(),
        photos: get_strings(doc, e, "photos"),
        response,
    })
}

/// What a summary says of a shop: its record with the figures the lists show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantSummary {
    pub merchant: Merchant,
    pub score: i64,
    pub count: usize,
    /// When it was last inspected.
    pub last_at: Option<Millis>,
    pub open_responses: usize,
}

impl MerchantSummary {
    pub fn of(merchant: Merchant) -> Self {
        MerchantSummary {
            score: merchant.score(),
            count: merchant.entries.len(),
            last_at: merchant.last().map(|e| e.at),
            open_responses: merchant.open_responses(),
            merchant,
        }
    }
}

/// A shop as staff fill it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ShopDraft {
    pub grid: String,
    /// The merchant's person id, empty until someone is invited for the shop.
    #[serde(default)]
    pub subject: String,
    pub name: String,
    pub place: String,
    pub duties: Vec<String>,
}

impl ShopDraft {
    /// What is wrong with it, in the order of the form.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        if self.name.trim().is_empty() {
            out.push(InputError::TitleEmpty);
        } else if len(&self.name) > crate::domain::limits::NAME_MAX {
            out.push(InputError::TitleTooLong {
                len: len(&self.name),
                max: crate::domain::limits::NAME_MAX,
            });
        }
        if self.grid.trim().is_empty() {
            out.push(InputError::GridMissing);
        }
        if len(&self.place) > PLACE_MAX {
            out.push(InputError::TextTooLong {
                len: len(&self.place),
                max: PLACE_MAX,
            });
        }
        if let Some(d) = self.duties().iter().find(|d| len(d) > DUTY_MAX) {
            out.push(InputError::TextTooLong {
                len: len(d),
                max: DUTY_MAX,
            });
        }
        out
    }

    /// The duties as written: trimmed, empty ones left out, at most [`DUTIES_MAX`].
    pub fn duties(&self) -> Vec<String> {
        self.duties
            .iter()
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .take(DUTIES_MAX)
            .collect()
    }
}

/// An inspection as the inspector fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EntryDraft {
    pub points: i64,
    pub reason: String,
    #[serde(default)]
    pub photos: Vec<String>,
}

impl EntryDraft {
    /// What is wrong with it, each problem once, in the order of the form. The merchant and the
    /// grid's team read the reason: no phone, ID or bank card numbers or plates in it.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        if !points_ok(self.points) {
            out.push(InputError::PointsOutOfRange { max: POINTS_MAX });
        }
        let len = self.reason.trim().chars().count();
        if len == 0 {
            out.push(InputError::TextEmpty);
        } else if len > REASON_MAX {
            out.push(InputError::TextTooLong {
                len,
                max: REASON_MAX,
            });
        }
        if let Some(found) = crate::pii::find(&self.reason).first() {
            out.push(InputError::PersonalData { what: found.kind });
        }
        if self.photos.len() > PHOTOS_MAX {
            out.push(InputError::TooManyPhotos { max: PHOTOS_MAX });
        }
        out
    }
}

/// An inspection's points: nonzero, at most ±[`POINTS_MAX`].
pub fn points_ok(points: i64) -> bool {
    points != 0 && (-POINTS_MAX..=POINTS_MAX).contains(&points)
}

/// What staff, inspectors and the merchant do to a shop's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MerchantCommand {
    /// Staff: a new shop in an empty document.
    Create { draft: ShopDraft },
    /// Staff: the shop's name, place, duties and merchant.
    Edit { draft: ShopDraft },
    /// An inspection now, in `by`'s name.
    Inspect {
        by: String,
        by_name: String,
        draft: EntryDraft,
    },
    /// The merchant answers an entry (once).
    Respond { entry: String, text: String },
}

impl MerchantCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            MerchantCommand::Create { draft } => create(doc, draft, now),
            MerchantCommand::Edit { draft } => edit(doc, draft),
            MerchantCommand::Inspect { by, by_name, draft } => {
                inspect(doc, by, by_name, draft, now).map(|_| ())
            }
            MerchantCommand::Respond { entry, text } => respond(doc, entry, text, now),
        }
    }
}

fn first_problem(problems: Vec<InputError>) -> Result<(), ModelError> {
    match problems.into_iter().next() {
        Some(p) => Err(p.into()),
        None => Ok(()),
    }
}

/// Writes a new shop into an empty document.
pub fn create(doc: &mut Automerge, draft: &ShopDraft, now: Millis) -> Result<(), ModelError> {
    first_problem(draft.problems())?;
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("merchant"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Merchant.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "grid", draft.grid.trim())?;
        if !draft.subject.trim().is_empty() {
            tx.put(ROOT, "subject", draft.subject.trim())?;
        }
        tx.put(ROOT, "name", draft.name.trim())?;
        tx.put(ROOT, "place", draft.place.trim())?;
        let d = tx.put_object(ROOT, "duties", ObjType::List)?;
        for (i, duty) in draft.duties().iter().enumerate() {
            tx.insert(&d, i, duty.as_str())?;
        }
        tx.put(ROOT, "created_at", now)?;
        tx.put_object(ROOT, "entries", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Rewrites the shop's name, place, duties and merchant (the grid stays).
pub fn edit(doc: &mut Automerge, draft: &ShopDraft) -> Result<(), ModelError> {
    let was = Merchant::read(doc)?;
    let draft = ShopDraft {
        grid: was.grid.clone(),
        ..draft.clone()
    };
    first_problem(draft.problems())?;
    let duties = draft.duties();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if was.name != draft.name.trim() {
            tx.put(ROOT, "name", draft.name.trim())?;
        }
        if was.place != draft.place.trim() {
            tx.put(ROOT, "place", draft.place.trim())?;
        }
        let subject = draft.subject.trim();
        if was.subject.as_deref().unwrap_or("") != subject {
            if subject.is_empty() {
                tx.delete(ROOT, "subject")?;
            } else {
                tx.put(ROOT, "subject", subject)?;
            }
        }
        if was.duties != duties {
            crate::docutil::put_strings(tx, &ROOT, "duties", &duties)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Appends an inspection; returns its id.
pub fn inspect(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    draft: &EntryDraft,
    now: Millis,
) -> Result<String, ModelError> {
    first_problem(draft.problems())?;
    expect_kind(doc, DocKind::Merchant)?;
    let list =
        get_obj(doc, &ROOT, "entries", ObjType::List).ok_or(ModelError::Malformed("entries"))?;
    let at = doc.length(&list);
    let id = doc
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let e = tx.insert_object(&list, at, ObjType::Map)?;
            tx.put(&e, "at", now)?;
            tx.put(&e, "by", by)?;
            if !by_name.is_empty() {
                tx.put(&e, "by_name", by_name)?;
            }
            tx.put(&e, "points", draft.points)?;
            tx.put(&e, "reason", draft.reason.trim())?;
            if !draft.photos.is_empty() {
                crate::docutil::put_strings(tx, &e, "photos", &draft.photos)?;
            }
            Ok(e)
        })
        .map_err(|f| f.error)?
        .result;
    Ok(id.to_string())
}

/// The merchant's answer to entry `entry`, written once.
pub fn respond(
    doc: &mut Automerge,
    entry: &str,
    text: &str,
    now: Millis,
) -> Result<(), ModelError> {
    let text = crate::domain::errors::check_text(text, RESPONSE_MAX)?;
    expect_kind(doc, DocKind::Merchant)?;
    let list =
        get_obj(doc, &ROOT, "entries", ObjType::List).ok_or(ModelError::Malformed("entries"))?;
    let e = list_maps(doc, &list)
        .into_iter()
        .find(|e| e.to_string() == entry)
        .ok_or(ModelError::Malformed("entry"))?;
    if get_obj(doc, &e, "response", ObjType::Map).is_some() {
        return Err(ModelError::NotEmpty("response"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let r = tx.put_object(&e, "response", ObjType::Map)?;
        tx.put(&r, "text", text.as_str())?;
        tx.put(&r, "at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The merchant kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "merchant";
    type Summary = MerchantSummary;
    type Command = MerchantCommand;

    fn apply(
        doc: &mut Automerge,
        command: &MerchantCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<MerchantSummary> {
        Merchant::read(doc).ok().map(MerchantSummary::of)
    }

    /// The merchant, the grid's team, its grid workers, staff. Nobody else: a shop's record
    /// is between the shop and those who inspect it.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        let grid = scope.grid.as_deref();
        p.is_staff()
            || p.works_grid(grid)
            || p.on_team(grid)
            || scope.subject.as_deref() == Some(p.person.as_str())
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .grid
            .is_none()
            .then_some("a merchant's record names its grid")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    /// The entries already answered (each is answered once).
    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        Some(crate::domain::Prior::new(rules::answered(doc)))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (Some("duties"), "*") => DUTY_MAX,
            (Some("photos"), "*") => ID_MAX,
            (_, "reason") => REASON_MAX,
            (_, "text") => RESPONSE_MAX,
            (_, "place") => PLACE_MAX,
            (_, "name" | "by_name") => NAME_MAX,
            (_, "by") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "entries" => ENTRIES_MAX,
            "duties" => DUTIES_MAX,
            "photos" => PHOTOS_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["at", "created_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];

    fn photos(doc: &Automerge) -> Vec<String> {
        Merchant::read(doc)
            .map(|m| m.entries.into_iter().flat_map(|e| e.photos).collect())
            .unwrap_or_default()
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased inspector's entries stay (the shop's record), unsigned.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign(doc, "entries", person, false)
    }
}

#[cfg(test)]
mod tests;
