//! The governance school 社区治理学院: one training session per document. The article's
//! example: 嘉兴市业委会专家 张亦鸣 teaches meeting rules 议事规则 and financial oversight 财务监管
//! by role play 情景模拟. Staff create and revise a session (title, topic, trainer and their
//! organisation, when and where, the method, how many seats); residents sign themselves up and
//! cancel (offline too: a sign-up is a line appended to the document, never deleted); after
//! the session staff mark who came, one tap per person, and write a short summary.
//!
//! **Who reads what.** The session, its counts and its sign-up lines are read by everyone,
//! but a line holds only the person's id, never a name or a household: a resident's phone holds
//! no directory of other people (a person's record is read by staff, its subject and the grid's
//! workers), so a resident sees the counts and their own line only. Staff see the names, read
//! from the people's records on their own phone (and in the participants' export).
//!
//! **Seats.** Seats go to the first `capacity` live sign-ups in the order of their time (the
//! relay bounds that time by its clock), then by id; later ones wait, and a cancellation moves
//! the first waiting person up. A capacity is never lowered below the seats it gives.
//!
//! **Erasure.** An erased person's line stays (the counts and attendance of the register hold)
//! with its id replaced by `erased`.

mod rules;
#[cfg(test)]
mod tests;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_bool, get_i64, get_obj, get_str, list_maps};
use crate::domain::event::{EventError, local_input, parse_local};
use crate::domain::requests::ERASED;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

pub const TITLE_MAX: usize = 60;
pub const TRAINER_MAX: usize = 40;
pub const ORG_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 1_000;
pub const SUMMARY_MAX: usize = 2_000;
/// The same bound as an event's seats (and the same message when it is not met).
pub const CAPACITY_MAX: u32 = crate::domain::event::CAPACITY_MAX;
pub const SIGNUPS_MAX: usize = 2_000;
/// Sessions one person may create in a day.
pub const DAILY_MAX: u32 = 10;

/// What a session teaches (the fixed list of the school).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// 议事规则: meeting rules.
    MeetingRules,
    /// 财务监管: financial oversight.
    Finance,
    /// 业委会履职: the owners' committee's duties.
    Committee,
    /// 矛盾调解: mediation.
    Mediation,
    /// 垃圾分类: garbage sorting.
    Sorting,
    /// 数字化工具: digital tools.
    Digital,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::MeetingRules,
        Topic::Finance,
        Topic::Committee,
        Topic::Mediation,
        Topic::Sorting,
        Topic::Digital,
        Topic::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::MeetingRules => "meeting_rules",
            Topic::Finance => "finance",
            Topic::Committee => "committee",
            Topic::Mediation => "mediation",
            Topic::Sorting => "sorting",
            Topic::Digital => "digital",
            Topic::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name shown (zh, en).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Topic::MeetingRules => ("议事规则", "Meeting rules"),
            Topic::Finance => ("财务监管", "Financial oversight"),
            Topic::Committee => ("业委会履职", "Owners' committee duties"),
            Topic::Mediation => ("矛盾调解", "Mediation"),
            Topic::Sorting => ("垃圾分类", "Garbage sorting"),
            Topic::Digital => ("数字化工具", "Digital tools"),
            Topic::Other => ("其他", "Other"),
        }
    }
}

/// How a session is taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 情景模拟: role play.
    RolePlay,
    /// 讲座: a lecture.
    #[default]
    Lecture,
    /// 工作坊: a workshop.
    Workshop,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::RolePlay, Method::Lecture, Method::Workshop];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::RolePlay => "role_play",
            Method::Lecture => "lecture",
            Method::Workshop => "workshop",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name shown (zh, en).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Method::RolePlay => ("情景模拟", "Role play"),
            Method::Lecture => ("讲座", "Lecture"),
            Method::Workshop => ("工作坊", "Workshop"),
        }
    }
}

/// One sign-up line (its id is its object's id in the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUp {
    pub id: String,
    /// The person's id only (see the module's documentation); `erased` after erasure.
    pub person: String,
    pub at: Millis,
    pub cancelled_at: Option<Millis>,
    /// Marked by staff after the session: `Some(true)` came, `Some(false)` did not.
    pub attended: Option<bool>,
}

/// Where a person's live sign-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// 已报名: one of the first `capacity`.
    Seated,
    /// 候补: waiting, 1 = next in line.
    Waiting(usize),
}

/// A session, as every phone keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub title: String,
    pub topic: Topic,
    pub method: Method,
    pub trainer: String,
    pub trainer_org: String,
    pub starts_at: Millis,
    pub ends_at: Millis,
    pub place: String,
    pub capacity: u32,
    pub description: String,
    /// Written by staff after the session: what was taught, the materials.
    pub summary: String,
    pub created_at: Millis,
    pub by: String,
    pub by_name: String,
    /// In the document's order.
    pub signups: Vec<SignUp>,
}

impl Training {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Training)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        let t = |k: &str| f.i64(k).unwrap_or(0);
        let signups = get_obj(doc, &ROOT, "signups", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|e| {
                        Some(SignUp {
                            id: e.to_string(),
                            person: get_str(doc, &e, "person")?,
                            at: get_i64(doc, &e, "at").unwrap_or(0),
                            cancelled_at: get_i64(doc, &e, "cancelled_at"),
                            attended: get_bool(doc, &e, "attended"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Training {
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            topic: f
                .str("topic")
                .and_then(|c| Topic::parse(&c))
                .ok_or(ModelError::Malformed("topic"))?,
            method: f
                .str("method")
                .and_then(|c| Method::parse(&c))
                .unwrap_or_default(),
            trainer: s("trainer"),
            trainer_org: s("trainer_org"),
            starts_at: t("starts_at"),
            ends_at: t("ends_at"),
            place: s("place"),
            capacity: u32::try_from(t("capacity")).unwrap_or(0),
            description: s("description"),
            summary: s("summary"),
            created_at: t("created_at"),
            by: s("by"),
            by_name: s("by_name"),
            signups,
        })
    }

    /// Live (not cancelled) sign-ups in seat order: by time, then id.
    pub fn live(&self) -> Vec<&SignUp> {
        let mut v: Vec<&SignUp> = self
            .signups
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .collect();
        v.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        v
    }

    /// The seated sign-ups, in seat order.
    pub fn seated(&self) -> Vec<&SignUp> {
        self.live()
            .into_iter()
            .take(self.capacity as usize)
            .collect()
    }

    /// The waiting sign-ups, next in line first.
    pub fn waitlist(&self) -> Vec<&SignUp> {
        self.live()
            .into_iter()
            .skip(self.capacity as usize)
            .collect()
    }

    /// The live sign-up of `person`, if any.
    pub fn live_signup(&self, person: &str) -> Option<&SignUp> {
        self.signups
            .iter()
            .find(|s| s.cancelled_at.is_none() && s.person == person)
    }

    /// Where `person` stands (`None` when not signed up).
    pub fn place(&self, person: &str) -> Option<Place> {
        let live = self.live();
        let i = live.iter().position(|s| s.person == person)?;
        Some(if i < self.capacity as usize {
            Place::Seated
        } else {
            Place::Waiting(i + 1 - self.capacity as usize)
        })
    }

    /// How many are signed up (seated) and how many wait.
    pub fn counts(&self) -> (usize, usize) {
        let live = self.live().len();
        let cap = self.capacity as usize;
        (live.min(cap), live.saturating_sub(cap))
    }

    /// How many staff marked as present.
    pub fn attended(&self) -> usize {
        self.signups
            .iter()
            .filter(|s| s.cancelled_at.is_none() && s.attended == Some(true))
            .count()
    }

    /// Whether attendance has been marked for anyone yet.
    pub fn marked(&self) -> bool {
        self.signups.iter().any(|s| s.attended.is_some())
    }

    /// Whether the session is over at `now`.
    pub fn is_past(&self, now: Millis) -> bool {
        self.ends_at <= now
    }

    /// Whether any person has two live sign-ups (refused for every writer).
    pub fn has_double_signup(&self) -> bool {
        let mut seen = std::collections::HashSet::new();
        self.signups
            .iter()
            .filter(|s| s.cancelled_at.is_none() && s.person != ERASED)
            .any(|s| !seen.insert(s.person.as_str()))
    }
}

/// A session as staff type it: times as the form gives them, the capacity as typed, so
/// nothing typed is lost while it is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TrainingDraft {
    pub title: String,
    pub topic: Option<Topic>,
    #[serde(default)]
    pub method: Method,
    #[serde(default)]
    pub trainer: String,
    #[serde(default)]
    pub trainer_org: String,
    pub starts: String,
    pub ends: String,
    #[serde(default)]
    pub place: String,
    pub capacity: String,
    #[serde(default)]
    pub description: String,
}

impl TrainingDraft {
    /// The draft of an existing session (to edit it).
    pub fn of(t: &Training) -> Self {
        TrainingDraft {
            title: t.title.clone(),
            topic: Some(t.topic),
            method: t.method,
            trainer: t.trainer.clone(),
            trainer_org: t.trainer_org.clone(),
            starts: local_input(t.starts_at),
            ends: local_input(t.ends_at),
            place: t.place.clone(),
            capacity: t.capacity.to_string(),
            description: t.description.clone(),
        }
    }

    pub fn times(&self) -> Option<(Millis, Millis)> {
        Some((parse_local(&self.starts)?, parse_local(&self.ends)?))
    }

    pub fn capacity(&self) -> Option<u32> {
        self.capacity
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| (1..=CAPACITY_MAX).contains(c))
    }

    /// What is wrong with it, each problem once, in the order of the form. Everything but
    /// the capacity is read by the whole community: no personal numbers.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        if self.title.trim().is_empty() {
            out.push(InputError::TitleEmpty);
        } else if len(&self.title) > TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: len(&self.title),
                max: TITLE_MAX,
            });
        }
        if self.topic.is_none() {
            out.push(InputError::CategoryMissing);
        }
        for (text, max) in [
            (&self.trainer, TRAINER_MAX),
            (&self.trainer_org, ORG_MAX),
            (&self.place, PLACE_MAX),
        ] {
            if len(text) > max {
                out.push(InputError::TextTooLong {
                    len: len(text),
                    max,
                });
            }
        }
        if len(&self.description) > DESCRIPTION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: len(&self.description),
                max: DESCRIPTION_MAX,
            });
        }
        for text in [
            &self.title,
            &self.trainer,
            &self.trainer_org,
            &self.place,
            &self.description,
        ] {
            if let Some(found) = crate::pii::find(text).first() {
                let e = InputError::PersonalData { what: found.kind };
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        match self.times() {
            None => out.push(InputError::BadDate),
            Some((starts, ends)) if ends <= starts => {
                out.push(InputError::Event(EventError::EndsBeforeStarts))
            }
            Some(_) => {}
        }
        if self.capacity().is_none() {
            out.push(InputError::Event(EventError::BadCapacity));
        }
        out
    }
}

/// What staff and residents do to a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum TrainingCommand {
    /// Creates a session (into an empty document), in `by`'s name.
    Create {
        draft: Box<TrainingDraft>,
        by: String,
        by_name: String,
    },
    /// Staff revise it (never a capacity below the seats given).
    Revise { draft: Box<TrainingDraft> },
    /// Signs `person` up (a resident themself).
    SignUp { person: String },
    /// Cancels `person`'s live sign-up (the line stays, with the time).
    Cancel { person: String },
    /// Staff mark whether `person` came.
    Mark { person: String, attended: bool },
    /// Staff write the summary after the session.
    Summarise { text: String },
}

impl TrainingCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            TrainingCommand::Create { draft, by, by_name } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("training"));
                }
                write(doc, draft, Some((by, by_name, now)))
            }
            TrainingCommand::Revise { draft } => {
                let t = Training::read(doc)?;
                let cap = draft
                    .capacity()
                    .ok_or(InputError::Event(EventError::BadCapacity))?;
                let seats = t.counts().0 as u32;
                if cap < seats {
                    return Err(InputError::Event(EventError::CapacityBelowSeats { seats }).into());
                }
                write(doc, draft, None)
            }
            TrainingCommand::SignUp { person } => {
                let t = Training::read(doc)?;
                if t.live_signup(person).is_some() {
                    return Err(InputError::Event(EventError::AlreadySignedUp).into());
                }
                if t.is_past(now) {
                    return Err(InputError::Event(EventError::NotOpen).into());
                }
                let list = list_or_new(doc, "signups")?;
                let at = doc.length(&list);
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    let s = tx.insert_object(&list, at, ObjType::Map)?;
                    tx.put(&s, "person", person.as_str())?;
                    tx.put(&s, "at", now)?;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            TrainingCommand::Cancel { person } => {
                let obj = line_of(doc, person)?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(&obj, "cancelled_at", now)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            TrainingCommand::Mark { person, attended } => {
                let obj = line_of(doc, person)?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(&obj, "attended", *attended)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            TrainingCommand::Summarise { text } => {
                Training::read(doc)?;
                let text = text.trim();
                if text.chars().count() > SUMMARY_MAX {
                    return Err(InputError::TextTooLong {
                        len: text.chars().count(),
                        max: SUMMARY_MAX,
                    }
                    .into());
                }
                if let Some(found) = crate::pii::find(text).first() {
                    return Err(InputError::PersonalData { what: found.kind }.into());
                }
                doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "summary", text))
                    .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
}

/// The object of `person`'s live sign-up line.
fn line_of(doc: &Automerge, person: &str) -> Result<automerge::ObjId, ModelError> {
    let t = Training::read(doc)?;
    let s = t
        .live_signup(person)
        .ok_or(InputError::Event(EventError::NoSignUp))?;
    doc.import_obj(&s.id)
        .map_err(|_| ModelError::Malformed("signups"))
}

/// The list at `key` of the root, created if the document has none yet.
fn list_or_new(doc: &mut Automerge, key: &str) -> Result<automerge::ObjId, ModelError> {
    if let Some(l) = get_obj(doc, &ROOT, key, ObjType::List) {
        return Ok(l);
    }
    let l = doc
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put_object(ROOT, key, ObjType::List))
        .map_err(|f| f.error)?
        .result;
    Ok(l)
}

/// Writes what a session is; `created` (by, name, time) when it is being created.
fn write(
    doc: &mut Automerge,
    draft: &TrainingDraft,
    created: Option<(&String, &String, Millis)>,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    let topic = draft.topic.ok_or(InputError::CategoryMissing)?;
    let (starts, ends) = draft.times().ok_or(InputError::BadDate)?;
    let capacity = draft
        .capacity()
        .ok_or(InputError::Event(EventError::BadCapacity))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if let Some((by, by_name, now)) = created {
            tx.put(ROOT, "kind", DocKind::Training.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "created_at", now)?;
            tx.put(ROOT, "by", by.as_str())?;
            tx.put(ROOT, "by_name", by_name.as_str())?;
            tx.put_object(ROOT, "signups", ObjType::List)?;
        }
        tx.put(ROOT, "title", draft.title.trim())?;
        tx.put(ROOT, "topic", topic.as_str())?;
        tx.put(ROOT, "method", draft.method.as_str())?;
        tx.put(ROOT, "trainer", draft.trainer.trim())?;
        tx.put(ROOT, "trainer_org", draft.trainer_org.trim())?;
        tx.put(ROOT, "starts_at", starts)?;
        tx.put(ROOT, "ends_at", ends)?;
        tx.put(ROOT, "place", draft.place.trim())?;
        tx.put(ROOT, "capacity", i64::from(capacity))?;
        tx.put(ROOT, "description", draft.description.trim())?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "title",
    "topic",
    "method",
    "trainer",
    "trainer_org",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "description",
    "summary",
    "created_at",
    "by",
    "by_name",
    "signups",
];

/// The fields of a sign-up line.
const SIGNUP_FIELDS: &[&str] = &["person", "at", "cancelled_at", "attended"];

/// The training kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "training";
    type Summary = Training;
    type Command = TrainingCommand;

    fn apply(
        doc: &mut Automerge,
        command: &TrainingCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Training> {
        Training::read(doc).ok()
    }

    /// Everyone in the community: the lines name no one (see the module's documentation).
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        let t = Training::read(doc).ok()?;
        Some(crate::domain::Prior::new(rules::Before::of(&t)))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (_, "title") => TITLE_MAX,
            (_, "trainer") => TRAINER_MAX,
            (_, "trainer_org") => ORG_MAX,
            (_, "place") => PLACE_MAX,
            (_, "description") => DESCRIPTION_MAX,
            (_, "summary") => SUMMARY_MAX,
            (_, "by_name") => NAME_MAX,
            (_, "topic" | "method" | "person" | "by") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "signups" => SIGNUPS_MAX,
            _ => return None,
        })
    }

    const DAILY_MAX: Option<u32> = Some(DAILY_MAX);
    const TIME_FIELDS: &'static [&'static str] = &["created_at", "at", "cancelled_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    /// Read by the whole community.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &[
        "title",
        "trainer",
        "trainer_org",
        "place",
        "description",
        "summary",
    ];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's lines stay (the counts and attendance hold) as `erased`; a session
    /// they created no longer says who did.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let lines: Vec<automerge::ObjId> = get_obj(doc, &ROOT, "signups", ObjType::List)
            .map(|l| list_maps(doc, &l))
            .unwrap_or_default()
            .into_iter()
            .filter(|e| get_str(doc, e, "person").as_deref() == Some(person))
            .collect();
        let own_root = get_str(doc, &ROOT, "by").as_deref() == Some(person);
        if lines.is_empty() && !own_root {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                if own_root {
                    tx.put(ROOT, "by", ERASED)?;
                    tx.put(ROOT, "by_name", "")?;
                }
                for e in &lines {
                    tx.put(e, "person", ERASED)?;
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }
}
