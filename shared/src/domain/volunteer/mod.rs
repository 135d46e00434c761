//! Volunteers 志愿者: one document per volunteer (scope `subject` = the volunteer's person id)
//! holding their profile (skills, availability, age group, the school or organisation their
//! certificate is for) and their service log: proxy filings for elders 代办, home visits 上门
//! and other help, each entry written by the volunteer and confirmed by staff. A confirmed
//! entry is never changed by the volunteer; an unconfirmed one shows as 待确认 and counts for
//! nothing ([`hours`]). Read by the volunteer and staff only: grid workers neither read nor
//! confirm it (a volunteer's record is not tied to one grid), and elders see their volunteer's
//! name through the consent in their own record.

pub mod hours;
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

pub use hours::{Activity, Hours, Source, hours};

/// One skill (`手机操作`).
pub const SKILL_MAX: usize = 20;
pub const SKILLS_MAX: usize = 10;
/// When they can help (`周六上午、周三晚上`).
pub const AVAILABILITY_MAX: usize = 100;
/// The school or organisation the certificate is for.
pub const ORGANISATION_MAX: usize = 60;
/// An entry's note.
pub const NOTE_MAX: usize = 200;
/// The longest one entry may be: a long afternoon.
pub const MINUTES_MAX: i64 = 600;
/// What a proxy filing counts for unless the volunteer says otherwise.
pub const PROXY_MINUTES: i64 = 30;
/// Five years at about three entries a week, with room.
pub const ENTRIES_MAX: usize = 1_000;

/// The age groups a volunteer registry counts (youth volunteers matter to schools).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    /// 青少年: under 35.
    Youth,
    /// 成年.
    Adult,
    /// 长者.
    Senior,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 3] = [AgeGroup::Youth, AgeGroup::Adult, AgeGroup::Senior];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Youth => "youth",
            AgeGroup::Adult => "adult",
            AgeGroup::Senior => "senior",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What an entry of the service log was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 代办: filed a request for an elder.
    Proxy,
    /// 上门探访: a home visit.
    Visit,
    /// 其他.
    Other,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Proxy, EntryKind::Visit, EntryKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Proxy => "proxy",
            EntryKind::Visit => "visit",
            EntryKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One entry of the service log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's object id in the document (stable).
    pub id: String,
    pub kind: EntryKind,
    pub at: Millis,
    pub minutes: i64,
    /// The elder helped, if any (a person id).
    pub elder: Option<String>,
    /// The request filed for them, if any (a document id).
    pub request: Option<String>,
    pub note: String,
    pub by: String,
    pub confirmed_by: Option<String>,
    pub confirmed_by_name: String,
    pub confirmed_at: Option<Millis>,
}

impl Entry {
    pub fn confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

/// A volunteer's record, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub subject: String,
    pub name: String,
    pub age_group: AgeGroup,
    pub organisation: String,
    pub skills: Vec<String>,
    pub availability: String,
    pub created_at: Millis,
    pub created_by: String,
    /// Oldest first.
    pub entries: Vec<Entry>,
}

impl Volunteer {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Volunteer)?;
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
        Ok(Volunteer {
            subject: s("subject")?,
            name: get_str(doc, &ROOT, "name").unwrap_or_default(),
            age_group: get_str(doc, &ROOT, "age_group")
                .and_then(|a| AgeGroup::parse(&a))
                .unwrap_or(AgeGroup::Adult),
            organisation: get_str(doc, &ROOT, "organisation").unwrap_or_default(),
            skills: get_strings(doc, &ROOT, "skills"),
            availability: get_str(doc, &ROOT, "availability").unwrap_or_default(),
            created_at: get_i64(doc, &ROOT, "created_at").unwrap_or_default(),
            created_by: get_str(doc, &ROOT, "created_by").unwrap_or_default(),
            entries,
        })
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Entries waiting for staff (待确认).
    pub fn to_confirm(&self) -> usize {
        self.entries.iter().filter(|e| !e.confirmed()).count()
    }

    /// Whether a request (document id) is already in the log.
    pub fn logged_request(&self, request: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.request.as_deref() == Some(request))
    }
}

fn read_entry(doc: &Automerge, e: &automerge::ObjId) -> Option<Entry> {
    let opt = |k: &str| get_str(doc, e, k).filter(|s| !s.is_empty());
    Some(Entry {
        id: e.to_string(),
        kind: EntryKind::parse(&get_str(doc, e, "kind")?)?,
        at: get_i64(doc, e, "at")?,
        minutes: get_i64(doc, e, "minutes")?,
        elder: opt("elder"),
        request: opt("request"),
        note: get_str(doc, e, "note").unwrap_or_default(),
        by: get_str(doc, e, "by")?,
        confirmed_by: opt("confirmed_by"),
        confirmed_by_name: get_str(doc, e, "confirmed_by_name").unwrap_or_default(),
        confirmed_at: get_i64(doc, e, "confirmed_at"),
    })
}

/// A profile as the volunteer (or staff) fill it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDraft {
    pub name: String,
    pub age_group: AgeGroup,
    pub organisation: String,
    /// Comma- or space-separated as typed; see [`ProfileDraft::skills`].
    pub skills: String,
    pub availability: String,
}

impl ProfileDraft {
    pub fn of(v: &Volunteer) -> Self {
        ProfileDraft {
            name: v.name.clone(),
            age_group: v.age_group,
            organisation: v.organisation.clone(),
            skills: v.skills.join("、"),
            availability: v.availability.clone(),
        }
    }

    /// The skills as written: split at commas, 、 and spaces, trimmed, at most [`SKILLS_MAX`].
    pub fn skills(&self) -> Vec<String> {
        self.skills
            .split([',', '，', '、', ';', '；', ' ', '\n'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .take(SKILLS_MAX)
            .collect()
    }

    /// What is wrong with it, in the order of the form.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        let name_max = crate::domain::limits::NAME_MAX;
        if self.name.trim().is_empty() {
            out.push(InputError::TitleEmpty);
        } else if len(&self.name) > name_max {
            out.push(InputError::TitleTooLong {
                len: len(&self.name),
                max: name_max,
            });
        }
        for (text, max) in [
            (self.organisation.as_str(), ORGANISATION_MAX),
            (self.availability.as_str(), AVAILABILITY_MAX),
        ] {
            if len(text) > max {
                out.push(InputError::TextTooLong {
                    len: len(text),
                    max,
                });
            }
        }
        if let Some(s) = self.skills().iter().find(|s| len(s) > SKILL_MAX) {
            out.push(InputError::TextTooLong {
                len: len(s),
                max: SKILL_MAX,
            });
        }
        out
    }
}

/// A service entry as the volunteer fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDraft {
    pub kind: EntryKind,
    /// When it happened (at most [`crate::domain::limits::BACKDATE_MAX`] ago).
    pub at: Millis,
    pub minutes: i64,
    #[serde(default)]
    pub elder: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub note: String,
}

impl EntryDraft {
    /// What is wrong with it, in the order of the form.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        if !minutes_ok(self.minutes) {
            out.push(InputError::MinutesOutOfRange { max: MINUTES_MAX });
        }
        let len = self.note.trim().chars().count();
        if len > NOTE_MAX {
            out.push(InputError::TextTooLong { len, max: NOTE_MAX });
        }
        if self.kind == EntryKind::Other && len == 0 {
            out.push(InputError::TextEmpty);
        }
        if let Some(found) = crate::pii::find(&self.note).first() {
            out.push(InputError::PersonalData { what: found.kind });
        }
        out
    }
}

/// An entry's minutes: 1 to [`MINUTES_MAX`].
pub fn minutes_ok(minutes: i64) -> bool {
    (1..=MINUTES_MAX).contains(&minutes)
}

/// What the volunteer and staff do to a volunteer's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum VolunteerCommand {
    /// The volunteer (or staff for them): a new record in an empty document.
    Create {
        subject: String,
        by: String,
        draft: ProfileDraft,
    },
    /// The profile's fields.
    Edit { draft: ProfileDraft },
    /// A service entry, in `by`'s name (the volunteer).
    Log { by: String, draft: EntryDraft },
    /// An unconfirmed entry rewritten.
    EditEntry { entry: String, draft: EntryDraft },
    /// Staff confirm an entry (once).
    Confirm {
        entry: String,
        by: String,
        by_name: String,
    },
}

impl VolunteerCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            VolunteerCommand::Create { subject, by, draft } => create(doc, subject, by, draft, now),
            VolunteerCommand::Edit { draft } => edit(doc, draft),
            VolunteerCommand::Log { by, draft } => log(doc, by, draft).map(|_| ()),
            VolunteerCommand::EditEntry { entry, draft } => edit_entry(doc, entry, draft),
            VolunteerCommand::Confirm { entry, by, by_name } => {
                confirm(doc, entry, by, by_name, now)
            }
        }
    }
}

fn first_problem(problems: Vec<InputError>) -> Result<(), ModelError> {
    match problems.into_iter().next() {
        Some(p) => Err(p.into()),
        None => Ok(()),
    }
}

/// Writes a new volunteer's record into an empty document.
pub fn create(
    doc: &mut Automerge,
    subject: &str,
    by: &str,
    draft: &ProfileDraft,
    now: Millis,
) -> Result<(), ModelError> {
    first_problem(draft.problems())?;
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("volunteer"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Volunteer.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "subject", subject)?;
        tx.put(ROOT, "created_by", by)?;
        tx.put(ROOT, "created_at", now)?;
        put_profile(tx, draft)?;
        tx.put_object(ROOT, "entries", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

fn put_profile(
    tx: &mut impl Transactable,
    draft: &ProfileDraft,
) -> Result<(), automerge::AutomergeError> {
    tx.put(ROOT, "name", draft.name.trim())?;
    tx.put(ROOT, "age_group", draft.age_group.as_str())?;
    tx.put(ROOT, "organisation", draft.organisation.trim())?;
    tx.put(ROOT, "availability", draft.availability.trim())?;
    crate::docutil::put_strings(tx, &ROOT, "skills", &draft.skills())?;
    Ok(())
}

/// Rewrites the profile (only the fields that changed).
pub fn edit(doc: &mut Automerge, draft: &ProfileDraft) -> Result<(), ModelError> {
    first_problem(draft.problems())?;
    let was = Volunteer::read(doc)?;
    let skills = draft.skills();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if was.name != draft.name.trim() {
            tx.put(ROOT, "name", draft.name.trim())?;
        }
        if was.age_group != draft.age_group {
            tx.put(ROOT, "age_group", draft.age_group.as_str())?;
        }
        if was.organisation != draft.organisation.trim() {
            tx.put(ROOT, "organisation", draft.organisation.trim())?;
        }
        if was.availability != draft.availability.trim() {
            tx.put(ROOT, "availability", draft.availability.trim())?;
        }
        if was.skills != skills {
            crate::docutil::put_strings(tx, &ROOT, "skills", &skills)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

fn put_entry(
    tx: &mut impl Transactable,
    e: &automerge::ObjId,
    draft: &EntryDraft,
) -> Result<(), automerge::AutomergeError> {
    tx.put(e, "kind", draft.kind.as_str())?;
    tx.put(e, "at", draft.at)?;
    tx.put(e, "minutes", draft.minutes)?;
    tx.put(e, "elder", draft.elder.trim())?;
    tx.put(e, "request", draft.request.trim())?;
    tx.put(e, "note", draft.note.trim())?;
    Ok(())
}

/// Appends a service entry in `by`'s name; returns its id.
pub fn log(doc: &mut Automerge, by: &str, draft: &EntryDraft) -> Result<String, ModelError> {
    first_problem(draft.problems())?;
    expect_kind(doc, DocKind::Volunteer)?;
    let list =
        get_obj(doc, &ROOT, "entries", ObjType::List).ok_or(ModelError::Malformed("entries"))?;
    let at = doc.length(&list);
    let id = doc
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let e = tx.insert_object(&list, at, ObjType::Map)?;
            put_entry(tx, &e, draft)?;
            tx.put(&e, "by", by)?;
            Ok(e)
        })
        .map_err(|f| f.error)?
        .result;
    Ok(id.to_string())
}

fn find_entry(doc: &Automerge, entry: &str) -> Result<automerge::ObjId, ModelError> {
    expect_kind(doc, DocKind::Volunteer)?;
    let list =
        get_obj(doc, &ROOT, "entries", ObjType::List).ok_or(ModelError::Malformed("entries"))?;
    list_maps(doc, &list)
        .into_iter()
        .find(|e| e.to_string() == entry)
        .ok_or(ModelError::Malformed("entry"))
}

/// Rewrites an entry not yet confirmed (a confirmed one is refused: staff's word stands).
pub fn edit_entry(doc: &mut Automerge, entry: &str, draft: &EntryDraft) -> Result<(), ModelError> {
    first_problem(draft.problems())?;
    let e = find_entry(doc, entry)?;
    if doc.get(&e, "confirmed_at").ok().flatten().is_some() {
        return Err(ModelError::NotEmpty("confirmed_at"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| put_entry(tx, &e, draft))
        .map_err(|f| f.error)?;
    Ok(())
}

/// Confirms an entry in `by`'s name, once.
pub fn confirm(
    doc: &mut Automerge,
    entry: &str,
    by: &str,
    by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    let e = find_entry(doc, entry)?;
    if doc.get(&e, "confirmed_at").ok().flatten().is_some() {
        return Err(ModelError::NotEmpty("confirmed_at"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(&e, "confirmed_by", by)?;
        tx.put(&e, "confirmed_by_name", by_name)?;
        tx.put(&e, "confirmed_at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The volunteer kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "volunteer";
    type Summary = Volunteer;
    type Command = VolunteerCommand;

    fn apply(
        doc: &mut Automerge,
        command: &VolunteerCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Volunteer> {
        Volunteer::read(doc).ok()
    }

    /// The volunteer and staff. Nobody else: which elders they help, and when, is theirs.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff() || scope.subject.as_deref() == Some(p.person.as_str())
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .subject
            .is_none()
            .then_some("a volunteer's record names its volunteer")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    /// The entries already confirmed (never changed by the volunteer).
    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        Some(crate::domain::Prior::new(rules::confirmed(doc)))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (Some("skills"), "*") => SKILL_MAX,
            (_, "organisation") => ORGANISATION_MAX,
            (_, "availability") => AVAILABILITY_MAX,
            (_, "note") => NOTE_MAX,
            (_, "name" | "confirmed_by_name") => NAME_MAX,
            (_, "kind" | "age_group" | "by" | "created_by" | "confirmed_by" | "elder") => ID_MAX,
            (_, "request" | "subject") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "entries" => ENTRIES_MAX,
            "skills" => SKILLS_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["at", "created_at", "confirmed_at"];
    const NAME_FIELDS: &'static [&'static str] = &["confirmed_by_name"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased confirmer's entries stay (the volunteer's hours), unsigned.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let v = Volunteer::read(doc).ok()?;
        let mut edits = Vec::new();
        for e in &v.entries {
            let Ok(obj) = doc.import_obj(&e.id) else {
                continue;
            };
            let confirmer = e.confirmed_by.as_deref() == Some(person);
            let elder = e.elder.as_deref() == Some(person);
            if confirmer || elder {
                edits.push((obj, confirmer, elder));
            }
        }
        if edits.is_empty() {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                for (e, confirmer, elder) in &edits {
                    if *confirmer {
                        tx.put(e, "confirmed_by", "erased")?;
                        tx.put(e, "confirmed_by_name", "")?;
                    }
                    if *elder {
                        tx.put(e, "elder", "")?;
                    }
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }
}

#[cfg(test)]
mod tests;
