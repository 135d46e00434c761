//! Garbage-sorting inspections 垃圾分类督导: a grid's log of bin-point inspections for one
//! month, and the reminders (`reminder`) a mixed-disposal finding sends to the household's
//! phones.
//!
//! An inspection is appended by the team member or grid worker who made it, in their own name,
//! offline at the bin point if need be: the building, the bin point, the result (sorted well or
//! mixed), for a mixed finding the flat it came from when known, a note and photos. A grid worker
//! (who holds the grid's records of people) sends the household a reminder in plain words and
//! can ask a volunteer to visit; a later inspection that follows the reminder up closes it.
//!
//! Like patrols, one document per grid and month keeps a year at a dozen documents a grid; two
//! phones that each open the month's log offline make two logs, and the app reads them
//! together.

mod reminder;
mod report;
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

pub use reminder::{
    NewReminder, REMINDER_TEXT_MAX, Reminder, ReminderCommand, ReminderKind, VISIT_NOTE_MAX,
};
pub use report::{RateRow, by_building, by_month};

/// A bin point (`7号楼东侧投放点`).
pub const POINT_MAX: usize = 40;
/// An inspection's note (read by the grid's team only).
pub const NOTE_MAX: usize = 300;
/// Inspections in one grid's log for a month (about three bin points a day, with room).
pub const INSPECTIONS_MAX: usize = 600;
pub const PHOTOS_MAX: usize = 3;

/// What an inspection found at the bin point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortResult {
    /// 分类正确
    Sorted,
    /// 混投: kitchen waste and other waste in the same bag or bin.
    Mixed,
}

impl SortResult {
    pub const ALL: [SortResult; 2] = [SortResult::Sorted, SortResult::Mixed];

    pub fn as_str(self) -> &'static str {
        match self {
            SortResult::Sorted => "sorted",
            SortResult::Mixed => "mixed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One inspection at a bin point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// The inspection's object id in its log (stable).
    pub id: String,
    pub by: String,
    pub by_name: String,
    pub at: Millis,
    pub building: String,
    pub point: String,
    pub result: SortResult,
    /// The flat a mixed bag came from, when the inspector could tell (`7-2-301`).
    pub flat: String,
    pub note: String,
    pub photos: Vec<String>,
    /// The reminder this finding sent (a document id), empty until one is sent.
    pub reminder: String,
    /// The reminder this inspection follows up (a document id), empty for a routine one.
    pub follows: String,
}

impl Inspection {
    /// A mixed finding with no reminder sent yet.
    pub fn awaits_reminder(&self) -> bool {
        self.result == SortResult::Mixed && self.reminder.is_empty() && self.follows.is_empty()
    }
}

/// A grid's inspections for a month, as a device keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortingLog {
    pub grid: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Oldest first.
    pub inspections: Vec<Inspection>,
}

impl SortingLog {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Sorting)?;
        let s = |k: &'static str| get_str(doc, &ROOT, k).ok_or(ModelError::Malformed(k));
        let mut inspections = Vec::new();
        if let Some(list) = get_obj(doc, &ROOT, "inspections", ObjType::List) {
            for i in list_maps(doc, &list) {
                if let Some(x) = read_inspection(doc, &i) {
                    inspections.push(x);
                }
            }
        }
        inspections.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        Ok(SortingLog {
            grid: s("grid")?,
            month: s("month")?,
            inspections,
        })
    }
}

fn read_inspection(doc: &Automerge, i: &automerge::ObjId) -> Option<Inspection> {
    let s = |k: &str| get_str(doc, i, k).unwrap_or_default();
    Some(Inspection {
        id: i.to_string(),
        by: get_str(doc, i, "by")?,
        by_name: s("by_name"),
        at: get_i64(doc, i, "at")?,
        building: s("building"),
        point: s("point"),
        result: SortResult::parse(&get_str(doc, i, "result")?)?,
        flat: s("flat"),
        note: s("note"),
        photos: get_strings(doc, i, "photos"),
        reminder: s("reminder"),
        follows: s("follows"),
    })
}

/// An inspection as the person fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InspectionDraft {
    pub building: String,
    pub point: String,
    pub result: Option<SortResult>,
    #[serde(default)]
    pub flat: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub photos: Vec<String>,
    /// The reminder sent with it (a document id), if one was.
    #[serde(default)]
    pub reminder: String,
    /// The reminder it follows up, if any.
    #[serde(default)]
    pub follows: String,
}

impl InspectionDraft {
    /// What is wrong with it, each problem once, in the order of the form.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        if self.building.trim().is_empty() {
            out.push(InputError::BuildingMissing);
        }
        if self.point.trim().is_empty() {
            out.push(InputError::PointMissing);
        } else if len(&self.point) > POINT_MAX {
            out.push(InputError::TextTooLong {
                len: len(&self.point),
                max: POINT_MAX,
            });
        }
        if self.result.is_none() {
            out.push(InputError::ResultMissing);
        }
        if len(&self.flat) > crate::domain::people::FLAT_MAX {
            out.push(InputError::TextTooLong {
                len: len(&self.flat),
                max: crate::domain::people::FLAT_MAX,
            });
        }
        if len(&self.note) > NOTE_MAX {
            out.push(InputError::TextTooLong {
                len: len(&self.note),
                max: NOTE_MAX,
            });
        }
        if self.photos.len() > PHOTOS_MAX {
            out.push(InputError::TooManyPhotos { max: PHOTOS_MAX });
        }
        out
    }
}

/// What a team member or grid worker does to a month's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum SortingCommand {
    /// Opens a grid's log for a month in an empty document.
    Open { grid: String, month: String },
    /// Appends an inspection made now, in `by`'s name.
    Inspect {
        by: String,
        by_name: String,
        draft: InspectionDraft,
    },
    /// Records the reminder a mixed finding sent (after the inspection was logged).
    LinkReminder {
        inspection: String,
        reminder: String,
    },
}

impl SortingCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            SortingCommand::Open { grid, month } => open_log(doc, grid, month),
            SortingCommand::Inspect { by, by_name, draft } => {
                inspect(doc, by, by_name, draft, now).map(|_| ())
            }
            SortingCommand::LinkReminder {
                inspection,
                reminder,
            } => link_reminder(doc, inspection, reminder),
        }
    }
}

/// Writes a new, empty log into an empty document.
pub fn open_log(doc: &mut Automerge, grid: &str, month: &str) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("sorting"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Sorting.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "grid", grid)?;
        tx.put(ROOT, "month", month)?;
        tx.put_object(ROOT, "inspections", ObjType::List)?;
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
    draft: &InspectionDraft,
    now: Millis,
) -> Result<String, ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    expect_kind(doc, DocKind::Sorting)?;
    let result = draft.result.ok_or(InputError::ResultMissing)?;
    let list = get_obj(doc, &ROOT, "inspections", ObjType::List)
        .ok_or(ModelError::Malformed("inspections"))?;
    let at = doc.length(&list);
    let id = doc
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let m = tx.insert_object(&list, at, ObjType::Map)?;
            tx.put(&m, "by", by)?;
            if !by_name.is_empty() {
                tx.put(&m, "by_name", by_name)?;
            }
            tx.put(&m, "at", now)?;
            tx.put(&m, "building", draft.building.trim())?;
            tx.put(&m, "point", draft.point.trim())?;
            tx.put(&m, "result", result.as_str())?;
            // Empty parts are left out: most inspections find the bins sorted.
            for (k, v) in [
                ("flat", &draft.flat),
                ("note", &draft.note),
                ("reminder", &draft.reminder),
                ("follows", &draft.follows),
            ] {
                if !v.trim().is_empty() {
                    tx.put(&m, k, v.trim())?;
                }
            }
            if !draft.photos.is_empty() {
                crate::docutil::put_strings(tx, &m, "photos", &draft.photos)?;
            }
            Ok(m)
        })
        .map_err(|f| f.error)?
        .result;
    Ok(id.to_string())
}

/// Records the reminder an inspection's finding sent.
pub fn link_reminder(
    doc: &mut Automerge,
    inspection: &str,
    reminder: &str,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Sorting)?;
    let list = get_obj(doc, &ROOT, "inspections", ObjType::List)
        .ok_or(ModelError::Malformed("inspections"))?;
    let i = list_maps(doc, &list)
        .into_iter()
        .find(|i| i.to_string() == inspection)
        .ok_or(ModelError::Malformed("inspection"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(&i, "reminder", reminder)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The sorting-inspection kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "sorting";
    type Summary = SortingLog;
    type Command = SortingCommand;

    fn apply(doc: &mut Automerge, command: &SortingCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<SortingLog> {
        SortingLog::read(doc).ok()
    }

    /// The grid's team, its grid workers, staff. (Findings name flats: not the residents'.)
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        let grid = scope.grid.as_deref();
        p.is_staff() || p.works_grid(grid) || p.on_team(grid)
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .grid
            .is_none()
            .then_some("a sorting log names its grid")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (_, "note") => NOTE_MAX,
            (_, "point") => POINT_MAX,
            (_, "building") => crate::domain::grid::BUILDING_MAX,
            (_, "flat") => crate::domain::people::FLAT_MAX,
            (Some("photos"), "*") => ID_MAX,
            (_, "by_name") => NAME_MAX,
            (_, "month") => 7,
            (_, "by" | "result" | "reminder" | "follows") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "inspections" => INSPECTIONS_MAX,
            "photos" => PHOTOS_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];

    fn photos(doc: &Automerge) -> Vec<String> {
        SortingLog::read(doc)
            .map(|l| l.inspections.into_iter().flat_map(|i| i.photos).collect())
            .unwrap_or_default()
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's inspections stay (the grid's record), unsigned.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign(doc, "inspections", person, false)
    }
}

#[cfg(test)]
mod tests;
