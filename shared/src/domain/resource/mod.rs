//! The community's resources 社区资源 on its resource map: spaces 空间 (the party-and-people
//! service centre's activity room, an open ground floor, a roof garden), facilities 设施 (gym
//! equipment, chargers, parcel lockers, an AED) and residents with a skill to offer 社区达人.
//! One document per resource, in a grid, at a building of the site plan
//! ([`crate::domain::site_plan`]) or at a point, linked to the documents where it is used
//! (events, works, groups, trainings).
//!
//! Who writes: staff record spaces and facilities. A talent is a resident's own offer, only
//! with her consent: she records it herself (its `subject` is her, her name is the relay's
//! record of it), or staff record it from a consent on paper with its date. The person (or
//! staff, at her word) withdraws it; a withdrawal wins, offline too: it removes the
//! document's `audience` and nobody may put that back ([`rules`]).
//!
//! Who reads: spaces and facilities everyone (`audience` = `residents`); a talent everyone
//! while consented, then only staff and the person. A talent holds no flat and no phone (the
//! relay's personal-data guard covers its text), and no resource holds a contact: residents
//! reach a talent through the office.

pub mod map;
mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_strings};
use crate::domain::community::calendar::parse_date;
use crate::domain::errors::chars;
use crate::domain::scope::expect_kind;
use crate::domain::talks::RESIDENTS;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, Prior, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::{DAY, Millis};

pub const NAME_MAX: usize = 30;
pub const DESCRIPTION_MAX: usize = 500;
/// Opening hours (`每天 8:00-20:00`) or what a talent offers when (`周六上午`).
pub const HOURS_MAX: usize = 60;
/// Capacity as said (`30人`).
pub const CAPACITY_MAX: usize = 20;
/// Documents a resource links to.
pub const LINKS_MAX: usize = 12;
/// New resources one person records in a day.
pub const DAILY_MAX: u32 = 30;

/// What a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceType {
    /// 空间
    Space,
    /// 设施
    Facility,
    /// 社区达人
    Talent,
}

impl ResourceType {
    pub const ALL: [ResourceType; 3] = [
        ResourceType::Space,
        ResourceType::Facility,
        ResourceType::Talent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::Space => "space",
            ResourceType::Facility => "facility",
            ResourceType::Talent => "talent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in Chinese and in English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ResourceType::Space => ("空间", "space"),
            ResourceType::Facility => ("设施", "facility"),
            ResourceType::Talent => ("社区达人", "resident talent"),
        }
    }
}

/// How a talent's person consented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// She recorded it herself.
    #[serde(rename = "self")]
    Own,
    /// Staff recorded it from her consent on paper.
    Paper,
}

impl Consent {
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Own => "self",
            Consent::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Consent::Own, Consent::Paper]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A resource, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    #[serde(rename = "type")]
    pub rtype: ResourceType,
    pub name: String,
    pub description: String,
    /// A building of the site plan, or empty when it stands at `point`.
    pub building: String,
    pub point: Option<(i64, i64)>,
    pub grid: String,
    pub hours: String,
    pub capacity: String,
    /// Document ids of where it is used.
    pub links: Vec<String>,
    /// Everyone may read it (a talent: while consented).
    pub public: bool,
    /// For a talent: the person (`erased` once erased).
    pub subject: String,
    pub person_name: String,
    pub consent: Option<Consent>,
    /// A paper consent's date, `YYYY-MM-DD`.
    pub consent_date: String,
    pub withdrawn_at: Option<Millis>,
    pub withdrawn_by: String,
    pub by: String,
    pub by_name: String,
    pub created_at: Millis,
}

impl Resource {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Resource)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        Ok(Resource {
            rtype: f
                .str("type")
                .and_then(|t| ResourceType::parse(&t))
                .ok_or(ModelError::Malformed("type"))?,
            name: f.str("name").ok_or(ModelError::Malformed("name"))?,
            description: s("description"),
            building: s("building"),
            point: f.i64("x").zip(f.i64("y")),
            grid: s("grid"),
            hours: s("hours"),
            capacity: s("capacity"),
            links: get_strings(doc, &ROOT, "links"),
            public: f.str("audience").as_deref() == Some(RESIDENTS),
            subject: s("subject"),
            person_name: s("person_name"),
            consent: f.str("consent").and_then(|c| Consent::parse(&c)),
            consent_date: s("consent_date"),
            withdrawn_at: f.i64("withdrawn_at"),
            withdrawn_by: s("withdrawn_by"),
            by: s("by"),
            by_name: s("by_name"),
            created_at: f.i64("created_at").unwrap_or_default(),
        })
    }

    /// A talent still offered (not withdrawn, not erased); a space or facility always.
    pub fn offered(&self) -> bool {
        self.withdrawn_at.is_none() && self.subject != "erased"
    }

    /// The resource as its form shows it for an edit.
    pub fn draft(&self) -> ResourceDraft {
        ResourceDraft {
            rtype: Some(self.rtype),
            name: self.name.clone(),
            description: self.description.clone(),
            building: self.building.clone(),
            grid: self.grid.clone(),
            hours: self.hours.clone(),
            capacity: self.capacity.clone(),
            links: self.links.clone(),
            person: self.subject.clone(),
            person_name: self.person_name.clone(),
            consent_date: self.consent_date.clone(),
            consent: self.consent.is_some(),
        }
    }
}

/// Why a resource's form cannot be saved (beyond the shared [`InputError`]s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ResourceError {
    #[error("no type chosen")]
    TypeMissing,
    #[error("a talent is offered only with the person's consent")]
    NoConsent,
    #[error("a talent recorded for someone else needs the date of their consent on paper")]
    NoPaperDate,
    #[error("a talent recorded for someone else names the person")]
    NoPerson,
    #[error("at most {max} links")]
    TooManyLinks { max: usize },
}

/// A resource as its form fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResourceDraft {
    #[serde(default, rename = "type")]
    pub rtype: Option<ResourceType>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub grid: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub links: Vec<String>,
    /// For a talent: whose it is (the writer for her own offer).
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub person_name: String,
    /// For a talent staff record: the date on the paper consent.
    #[serde(default)]
    pub consent_date: String,
    /// For a talent: the consent box ticked (her own offer) or the paper seen (staff).
    #[serde(default)]
    pub consent: bool,
}

impl ResourceDraft {
    /// The form filled with what a recorded resource says (staff's edit page starts from it).
    pub fn of(r: &Resource) -> Self {
        ResourceDraft {
            rtype: Some(r.rtype),
            name: r.name.clone(),
            description: r.description.clone(),
            building: r.building.clone(),
            grid: r.grid.clone(),
            hours: r.hours.clone(),
            capacity: r.capacity.clone(),
            links: r.links.clone(),
            person: r.subject.clone(),
            person_name: r.person_name.clone(),
            consent_date: r.consent_date.clone(),
            consent: r.consent.is_some(),
        }
    }

    /// The links as stored: trimmed, empty ones and repeats left out.
    pub fn links(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in &self.links {
            let l = l.trim();
            if !l.is_empty() && !out.iter().any(|o| o == l) {
                out.push(l.to_string());
            }
        }
        out
    }

    /// What is wrong with it when `by` saves it at `now`, each problem once, in the order of
    /// the form.
    pub fn problems(&self, by: &str, now: Millis) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| chars(s.trim());
        let Some(rtype) = self.rtype else {
            out.push(InputError::Resource(ResourceError::TypeMissing));
            return out;
        };
        if self.name.trim().is_empty() {
            out.push(InputError::TitleEmpty);
        } else if len(&self.name) > NAME_MAX {
            out.push(InputError::TitleTooLong {
                len: len(&self.name),
                max: NAME_MAX,
            });
        }
        if len(&self.description) > DESCRIPTION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: len(&self.description),
                max: DESCRIPTION_MAX,
            });
        }
        for (text, max) in [(&self.hours, HOURS_MAX), (&self.capacity, CAPACITY_MAX)] {
            if len(text) > max {
                out.push(InputError::TextTooLong {
                    len: len(text),
                    max,
                });
                break;
            }
        }
        if self.grid.trim().is_empty() {
            out.push(InputError::GridMissing);
        }
        if self.links().len() > LINKS_MAX {
            out.push(InputError::Resource(ResourceError::TooManyLinks {
                max: LINKS_MAX,
            }));
        }
        for text in [&self.name, &self.description, &self.hours, &self.capacity] {
            if let Some(what) = crate::pii::find(text).first().map(|f| f.kind) {
                out.push(InputError::PersonalData { what });
                break;
            }
        }
        if rtype == ResourceType::Talent {
            let own = self.person.trim().is_empty() || self.person.trim() == by;
            if !self.consent {
                out.push(InputError::Resource(ResourceError::NoConsent));
            }
            if !own {
                if self.person_name.trim().is_empty() {
                    out.push(InputError::Resource(ResourceError::NoPerson));
                }
                if self.paper_date(now).is_none() {
                    out.push(InputError::Resource(ResourceError::NoPaperDate));
                }
            }
        }
        out
    }

    /// The paper consent's date when it is one and not later than today (nor more than the
    /// relay's backdating bound ago).
    pub fn paper_date(&self, now: Millis) -> Option<String> {
        paper_date_ok(&self.consent_date, now).then(|| self.consent_date.trim().to_string())
    }
}

/// A consent date is a day, not after today, within the relay's backdating bound.
fn paper_date_ok(date: &str, now: Millis) -> bool {
    let Some(day) = parse_date(date) else {
        return false;
    };
    let start = crate::time::shanghai_day_start(day);
    start <= now && start + DAY > now - crate::domain::limits::BACKDATE_MAX
}

/// What a person (or staff) does to a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ResourceCommand {
    /// Records a new resource into an empty document, by `by`. A talent whose `person` is
    /// empty or `by` is `by`'s own offer, named `by_name`.
    Create {
        draft: Box<ResourceDraft>,
        by: String,
        by_name: String,
    },
    /// Rewrites what it says (staff): never its type, its person or its consent.
    Edit {
        draft: Box<ResourceDraft>,
        by: String,
    },
    /// Withdraws a talent (its person, or staff at her word): nobody else reads it any more.
    Withdraw { by: String },
}

impl ResourceCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            ResourceCommand::Create { draft, by, by_name } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("resource"));
                }
                if let Some(p) = draft.problems(by, now).into_iter().next() {
                    return Err(p.into());
                }
                let rtype = draft.rtype.ok_or(ModelError::Malformed("type"))?;
                let person = draft.person.trim();
                let own = person.is_empty() || person == by;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "kind", DocKind::Resource.as_str())?;
                    tx.put(ROOT, "schema", SCHEMA)?;
                    tx.put(ROOT, "type", rtype.as_str())?;
                    tx.put(ROOT, "grid", draft.grid.trim())?;
                    tx.put(ROOT, "audience", RESIDENTS)?;
                    tx.put(ROOT, "by", by.as_str())?;
                    if !by_name.is_empty() {
                        tx.put(ROOT, "by_name", by_name.as_str())?;
                    }
                    tx.put(ROOT, "created_at", now)?;
                    if rtype == ResourceType::Talent {
                        if own {
                            tx.put(ROOT, "subject", by.as_str())?;
                            tx.put(ROOT, "person_name", by_name.as_str())?;
                            tx.put(ROOT, "consent", Consent::Own.as_str())?;
                        } else {
                            tx.put(ROOT, "subject", person)?;
                            tx.put(ROOT, "person_name", draft.person_name.trim())?;
                            tx.put(ROOT, "consent", Consent::Paper.as_str())?;
                            tx.put(ROOT, "consent_date", draft.consent_date.trim())?;
                        }
                    }
                    write_text(tx, draft, None)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            ResourceCommand::Edit { draft, by } => {
                let was = Resource::read(doc)?;
                let mut d = (**draft).clone();
                // The type, person and consent are the record's, not the form's.
                d.rtype = Some(was.rtype);
                d.person = was.subject.clone();
                d.person_name = was.person_name.clone();
                d.consent = true;
                d.consent_date = was.consent_date.clone();
                let problems: Vec<InputError> = d
                    .problems(&was.subject, now)
                    .into_iter()
                    .filter(|p| !matches!(p, InputError::Resource(ResourceError::NoPaperDate)))
                    .collect();
                if let Some(p) = problems.into_iter().next() {
                    return Err(p.into());
                }
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    if was.grid != d.grid.trim() {
                        tx.put(ROOT, "grid", d.grid.trim())?;
                    }
                    write_text(tx, &d, Some(&was))?;
                    let _ = by;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            ResourceCommand::Withdraw { by } => {
                let was = Resource::read(doc)?;
                if was.withdrawn_at.is_some() {
                    return Ok(());
                }
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "withdrawn_at", now)?;
                    tx.put(ROOT, "withdrawn_by", by.as_str())?;
                    if tx.get(ROOT, "audience")?.is_some() {
                        tx.delete(ROOT, "audience")?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
}

/// Writes the text fields and links that changed (all of them for a new record), so two
/// phones editing different fields offline both keep theirs.
fn write_text(
    tx: &mut automerge::transaction::Transaction<'_>,
    draft: &ResourceDraft,
    was: Option<&Resource>,
) -> Result<(), automerge::AutomergeError> {
    let strings = [
        ("name", draft.name.trim(), was.map(|w| w.name.as_str())),
        (
            "description",
            draft.description.trim(),
            was.map(|w| w.description.as_str()),
        ),
        (
            "building",
            draft.building.trim(),
            was.map(|w| w.building.as_str()),
        ),
        ("hours", draft.hours.trim(), was.map(|w| w.hours.as_str())),
        (
            "capacity",
            draft.capacity.trim(),
            was.map(|w| w.capacity.as_str()),
        ),
    ];
    for (key, value, before) in strings {
        match before {
            Some(b) if b == value => {}
            Some(_) if value.is_empty() && key != "name" => tx.delete(ROOT, key)?,
            _ if value.is_empty() && key != "name" => {}
            _ => tx.put(ROOT, key, value)?,
        }
    }
    let links = draft.links();
    if was.is_none_or(|w| w.links != links) {
        crate::docutil::put_strings(tx, &ROOT, "links", &links)?;
    }
    Ok(())
}

/// Every field a resource's root may hold.
const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "type",
    "grid",
    "audience",
    "subject",
    "person_name",
    "consent",
    "consent_date",
    "name",
    "description",
    "building",
    "x",
    "y",
    "hours",
    "capacity",
    "links",
    "withdrawn_at",
    "withdrawn_by",
    "by",
    "by_name",
    "created_at",
];

/// What the rules need of a resource as it was: its type and whether it was withdrawn.
#[derive(Debug, Clone)]
pub(crate) struct Before {
    pub rtype: Option<ResourceType>,
    pub withdrawn: bool,
}

/// The resource kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "resource";
    type Summary = Resource;
    type Command = ResourceCommand;

    fn apply(
        doc: &mut Automerge,
        command: &ResourceCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Resource> {
        Resource::read(doc).ok()
    }

    /// Staff and the talent's own person always; everyone else while it is public (a space
    /// or a facility, or a talent still consented).
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff()
            || scope.subject.as_deref() == Some(p.person.as_str())
            || scope.audience.as_deref() == Some(RESIDENTS)
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .grid
            .is_none()
            .then_some("a resource is in one of the community's grids")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w, ROOT_FIELDS)
    }

    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<Prior> {
        let f = Fields::of(doc, &ROOT);
        Some(Prior::new(Before {
            rtype: f.str("type").and_then(|t| ResourceType::parse(&t)),
            withdrawn: f.has("withdrawn_at"),
        }))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX as PERSON_NAME_MAX};
        Some(match (parent, field) {
            (Some("links"), "*") => ID_MAX,
            (_, "name") => NAME_MAX,
            (_, "description") => DESCRIPTION_MAX,
            (_, "building") => crate::domain::grid::BUILDING_MAX,
            (_, "hours") => HOURS_MAX,
            (_, "capacity") => CAPACITY_MAX,
            (_, "consent_date") => 10,
            (_, "person_name" | "by_name") => PERSON_NAME_MAX,
            (_, "type" | "consent" | "by" | "withdrawn_by" | "subject" | "audience") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "links").then_some(LINKS_MAX)
    }

    const DAILY_MAX: Option<u32> = Some(DAILY_MAX);
    const TIME_FIELDS: &'static [&'static str] = &["created_at", "withdrawn_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] =
        &["name", "description", "hours", "capacity", "building"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's talent entry goes: what it said, her name and her id leave it, and
    /// nobody but staff holds the empty record (kept only so devices drop it). A staff
    /// member who recorded a resource is unsigned from it; the resource stays.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let f = Fields::of(doc, &ROOT);
        let subject = f.str("subject").as_deref() == Some(person);
        let author = f.str("by").as_deref() == Some(person);
        let withdrawer = f.str("withdrawn_by").as_deref() == Some(person);
        if !subject && !author && !withdrawer {
            return None;
        }
        let created_at = f.i64("created_at").unwrap_or_default();
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                if subject {
                    for key in ["audience", "description", "hours", "capacity", "links"] {
                        if tx.get(ROOT, key)?.is_some() {
                            tx.delete(ROOT, key)?;
                        }
                    }
                    tx.put(ROOT, "subject", "erased")?;
                    tx.put(ROOT, "person_name", "")?;
                    tx.put(ROOT, "name", "已删除")?;
                    if tx.get(ROOT, "withdrawn_at")?.is_none() {
                        tx.put(ROOT, "withdrawn_at", created_at)?;
                        tx.put(ROOT, "withdrawn_by", "erased")?;
                    }
                }
                if author {
                    tx.put(ROOT, "by", "erased")?;
                    tx.put(ROOT, "by_name", "")?;
                }
                if withdrawer {
                    tx.put(ROOT, "withdrawn_by", "erased")?;
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

impl ResourceError {
    /// What the form says, in Chinese (`zh`) or English.
    pub fn text(&self, zh: bool) -> String {
        if !zh {
            return match self {
                ResourceError::NoConsent => {
                    "Tick the box to agree that neighbours may see your offer.".into()
                }
                other => format!("{}.", {
                    let s = other.to_string();
                    let mut c = s.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                }),
            };
        }
        match self {
            ResourceError::TypeMissing => "请选择类型".into(),
            ResourceError::NoConsent => "请勾选同意：邻居可以看到你的这项本领".into(),
            ResourceError::NoPaperDate => {
                "为他人登记达人，请填写书面同意书上的日期（不晚于今天）".into()
            }
            ResourceError::NoPerson => "为他人登记达人，请写明本人姓名".into(),
            ResourceError::TooManyLinks { max } => format!("最多关联 {max} 项"),
        }
    }
}
