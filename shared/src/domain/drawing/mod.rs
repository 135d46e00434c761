//! Children's drawings 童眼看社区: with the local schools the community collected 126 drawings
//! by children of what they would change, and 8 were taken into the micro-renewal plan (微更新).
//! One document per drawing: its photo, the child's nickname and age, what it proposes, the
//! guardian and their consent, and staff's review (collected, reviewing, adopted, not adopted;
//! the works document it led to; a note).
//!
//! Minors' data follow PIPL. The drawing document is read by staff and the guardian's household
//! only: it names the guardian. What residents see of a drawing is its entry in the community's
//! gallery ([`gallery`]), a document the relay keeps from the drawings (nickname, age, what it
//! proposes, the photo, the status; never the guardian): a drawing has an entry only while the
//! guardian's consent to show it stands (`publish`), staff have reviewed it and chosen to show
//! it (`shown`), and the guardian has not withdrawn it (`withdrawn_at`). A withdrawal is a field
//! of its own that nobody may remove, so it wins over any concurrent review.
//!
//! Who creates one: a guardian for their own child (guardian = the writer, in their household;
//! consent given in the act), or staff for a drawing collected at a school event (guardian = a
//! person on record; the paper consent's date). Volunteers and grid workers who help at the
//! event hand the paper forms to staff: they neither create nor read drawings.

pub mod gallery;
mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_strings};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write};
use crate::policy::Principal;
use crate::time::Millis;

pub use gallery::{Gallery, GalleryEntry, GalleryKind, gallery_key};

/// A child's nickname: a first name or a nickname, never a full name.
pub const NICKNAME_MAX: usize = 6;
pub const AGE_MIN: i64 = 3;
pub const AGE_MAX: i64 = 17;
pub const SCHOOL_MAX: usize = 30;
pub const TITLE_MAX: usize = 30;
pub const PROPOSES_MAX: usize = 200;
pub const PLACE_MAX: usize = 40;
pub const NOTE_MAX: usize = 300;
/// One photo: the drawing.
pub const PHOTOS_MAX: usize = 1;
/// New drawings one person may file in a day (a parent files one or two; staff typing a
/// school's paper forms file more).
pub const DAILY_MAX: u32 = 40;

/// Where a drawing stands in staff's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已收集
    Collected,
    /// 评审中
    Reviewing,
    /// 已采纳: taken into the micro-renewal plan.
    Adopted,
    /// 未采纳
    NotAdopted,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Collected,
        Status::Reviewing,
        Status::Adopted,
        Status::NotAdopted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Collected => "collected",
            Status::Reviewing => "reviewing",
            Status::Adopted => "adopted",
            Status::NotAdopted => "not_adopted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// In plain words, zh-CN or English.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Status::Collected, true) => "已收集",
            (Status::Collected, false) => "Collected",
            (Status::Reviewing, true) => "评审中",
            (Status::Reviewing, false) => "Under review",
            (Status::Adopted, true) => "已采纳",
            (Status::Adopted, false) => "Adopted",
            (Status::NotAdopted, true) => "未采纳",
            (Status::NotAdopted, false) => "Not adopted",
        }
    }
}

/// What is wrong with a drawing's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DrawingError {
    #[error("no nickname")]
    NicknameEmpty,
    #[error("a nickname is at most {max} characters")]
    NicknameTooLong { max: usize },
    #[error("a nickname has no digits")]
    NicknameDigits,
    #[error("an age is {AGE_MIN} to {AGE_MAX}")]
    BadAge,
    #[error("what the drawing proposes is empty")]
    ProposesEmpty,
    #[error("{len} characters; at most {max}")]
    TooLong { len: usize, max: usize },
    #[error("at most one photo")]
    TooManyPhotos,
    #[error("the guardian's consent is missing")]
    ConsentMissing,
    #[error("no guardian chosen")]
    GuardianMissing,
    #[error("public text holds a {}", what.as_str())]
    PersonalData { what: crate::pii::PiiKind },
}

impl DrawingError {
    /// In plain words, zh-CN or English.
    pub fn text(self, zh: bool) -> String {
        match (self, zh) {
            (DrawingError::NicknameEmpty, true) => "请填写孩子的小名或名字".into(),
            (DrawingError::NicknameEmpty, false) => {
                "Please give the child's first name or nickname".into()
            }
            (DrawingError::NicknameTooLong { max }, true) => {
                format!("小名最多 {max} 个字（只写名字或小名，不写姓名全称）")
            }
            (DrawingError::NicknameTooLong { max }, false) => {
                format!("At most {max} characters: a first name or nickname, not the full name")
            }
            (DrawingError::NicknameDigits, true) => "小名里不能有数字".into(),
            (DrawingError::NicknameDigits, false) => "No digits in a nickname".into(),
            (DrawingError::BadAge, true) => format!("年龄请填 {AGE_MIN} 到 {AGE_MAX} 之间的整数"),
            (DrawingError::BadAge, false) => {
                format!("The age is a whole number from {AGE_MIN} to {AGE_MAX}")
            }
            (DrawingError::ProposesEmpty, true) => "请写一句这幅画想改变什么".into(),
            (DrawingError::ProposesEmpty, false) => {
                "Please say in a line what the drawing would change".into()
            }
            (DrawingError::TooLong { len, max }, true) => format!("太长：{len} 字，最多 {max} 字"),
            (DrawingError::TooLong { len, max }, false) => {
                format!("Too long: {len} characters, at most {max}")
            }
            (DrawingError::TooManyPhotos, true) => "只能放一张照片".into(),
            (DrawingError::TooManyPhotos, false) => "One photo only".into(),
            (DrawingError::ConsentMissing, true) => "需要监护人同意社区保存这幅画".into(),
            (DrawingError::ConsentMissing, false) => {
                "The guardian's consent to keep the drawing is needed".into()
            }
            (DrawingError::GuardianMissing, true) => {
                "请选择孩子的监护人并填写纸质同意书的日期".into()
            }
            (DrawingError::GuardianMissing, false) => {
                "Please choose the child's guardian and the paper consent's date".into()
            }
            (DrawingError::PersonalData { .. }, true) => {
                "这里会公开展示，不能包含手机号、身份证号、银行卡号或车牌".into()
            }
            (DrawingError::PersonalData { .. }, false) => {
                "This is shown publicly: no phone, ID or bank card number or plate".into()
            }
        }
    }
}

impl From<DrawingError> for ModelError {
    fn from(e: DrawingError) -> Self {
        ModelError::Input(InputError::Drawing(e))
    }
}

/// A drawing as staff and the guardian's household hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawing {
    pub nickname: String,
    pub age: i64,
    pub school: String,
    pub title: String,
    pub proposes: String,
    pub place: String,
    pub photo: Option<String>,
    /// The guardian (person id) and their name in the relay's records.
    pub guardian: String,
    pub guardian_name: String,
    pub household: String,
    /// When the guardian consented to the community keeping it.
    pub consent_at: Millis,
    /// The guardian agrees it may be shown to residents.
    pub publish: bool,
    pub collected_by: String,
    pub collected_by_name: String,
    pub created_at: Millis,
    pub status: Status,
    /// The works document (id) it led to, if any.
    pub works: String,
    pub review_note: String,
    /// Staff chose to show it to residents (only with `publish`).
    pub shown: bool,
    /// When the guardian withdrew it from display (final).
    pub withdrawn_at: Option<Millis>,
}

impl Drawing {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Drawing)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        Ok(Drawing {
            nickname: f.str("nickname").ok_or(ModelError::Malformed("nickname"))?,
            age: f.i64("age").ok_or(ModelError::Malformed("age"))?,
            school: s("school"),
            title: s("title"),
            proposes: s("proposes"),
            place: s("place"),
            photo: get_strings(doc, &ROOT, "photos").into_iter().next(),
            guardian: s("subject"),
            guardian_name: s("guardian_name"),
            household: s("household"),
            consent_at: f.i64("consent_at").unwrap_or(0),
            publish: f.bool("publish").unwrap_or(false),
            collected_by: s("collected_by"),
            collected_by_name: s("collected_by_name"),
            created_at: f.i64("created_at").unwrap_or(0),
            status: f
                .str("status")
                .and_then(|c| Status::parse(&c))
                .unwrap_or(Status::Collected),
            works: s("works"),
            review_note: s("review_note"),
            shown: f.bool("shown").unwrap_or(false),
            withdrawn_at: f.i64("withdrawn_at"),
        })
    }

    /// Whether residents see it (its entry in the gallery): the guardian consents and has not
    /// withdrawn, and staff chose to show it.
    pub fn public(&self) -> bool {
        self.publish && self.shown && self.withdrawn_at.is_none()
    }
}

/// What a guardian (or staff, from a paper form) types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DrawingDraft {
    pub nickname: String,
    /// As typed.
    pub age: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub title: String,
    pub proposes: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub photos: Vec<String>,
    /// "我是孩子的监护人，同意社区保存这幅画" (required).
    #[serde(default)]
    pub consent_keep: bool,
    /// "同意在社区内公开展示" (optional).
    #[serde(default)]
    pub consent_publish: bool,
}

/// Whether a nickname is one: 1 to 6 characters, no digit of any script.
pub fn nickname_problem(nickname: &str) -> Option<DrawingError> {
    let n = nickname.trim();
    if n.is_empty() {
        Some(DrawingError::NicknameEmpty)
    } else if n.chars().count() > NICKNAME_MAX {
        Some(DrawingError::NicknameTooLong { max: NICKNAME_MAX })
    } else if n.chars().any(|c| c.is_numeric()) {
        Some(DrawingError::NicknameDigits)
    } else {
        None
    }
}

impl DrawingDraft {
    /// The age, if what was typed is one.
    pub fn age(&self) -> Option<i64> {
        self.age
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|a| (AGE_MIN..=AGE_MAX).contains(a))
    }

    /// What is wrong with it, each problem once, in the order of the form.
    pub fn problems(&self) -> Vec<DrawingError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        // The photo is the drawing's, but a paper form typed in without it is still one.
        if self.photos.len() > PHOTOS_MAX {
            out.push(DrawingError::TooManyPhotos);
        }
        out.extend(nickname_problem(&self.nickname));
        if self.age().is_none() {
            out.push(DrawingError::BadAge);
        }
        if self.proposes.trim().is_empty() {
            out.push(DrawingError::ProposesEmpty);
        }
        for (text, max) in [
            (&self.proposes, PROPOSES_MAX),
            (&self.title, TITLE_MAX),
            (&self.school, SCHOOL_MAX),
            (&self.place, PLACE_MAX),
        ] {
            if len(text) > max {
                out.push(DrawingError::TooLong {
                    len: len(text),
                    max,
                });
            }
        }
        for text in [
            &self.nickname,
            &self.proposes,
            &self.title,
            &self.school,
            &self.place,
        ] {
            if let Some(found) = crate::pii::find(text).first() {
                let e = DrawingError::PersonalData { what: found.kind };
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        if !self.consent_keep {
            out.push(DrawingError::ConsentMissing);
        }
        out
    }
}

/// The guardian a drawing is filed for, as the relay's records have them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub person: String,
    pub name: String,
    pub household: String,
}

/// What guardians and staff do to a drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DrawingCommand {
    /// Files a drawing (into an empty document), collected by `by`. `consent_at` is when the
    /// guardian consented: now when the guardian files it, the paper form's date for staff.
    Create {
        draft: Box<DrawingDraft>,
        guardian: Guardian,
        consent_at: Option<Millis>,
        by: String,
        by_name: String,
    },
    /// Staff's review: the status, the works document it led to, a note, and whether it is
    /// shown to residents (only when the guardian consented to that and has not withdrawn).
    Review {
        status: Status,
        works: String,
        note: String,
        shown: bool,
    },
    /// The guardian withdraws it from display, for good (works offline; wins over a review).
    Withdraw,
}

impl DrawingCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            DrawingCommand::Create {
                draft,
                guardian,
                consent_at,
                by,
                by_name,
            } => {
                if crate::domain::doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("drawing"));
                }
                if let Some(problem) = draft.problems().into_iter().next() {
                    return Err(problem.into());
                }
                if guardian.person.is_empty() || guardian.household.is_empty() {
                    return Err(DrawingError::GuardianMissing.into());
                }
                let age = draft.age().ok_or(DrawingError::BadAge)?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "kind", DocKind::Drawing.as_str())?;
                    tx.put(ROOT, "schema", SCHEMA)?;
                    tx.put(ROOT, "household", guardian.household.as_str())?;
                    tx.put(ROOT, "subject", guardian.person.as_str())?;
                    tx.put(ROOT, "guardian_name", guardian.name.as_str())?;
                    tx.put(ROOT, "nickname", draft.nickname.trim())?;
                    tx.put(ROOT, "age", age)?;
                    for (k, v) in [
                        ("school", &draft.school),
                        ("title", &draft.title),
                        ("proposes", &draft.proposes),
                        ("place", &draft.place),
                    ] {
                        if !v.trim().is_empty() {
                            tx.put(ROOT, k, v.trim())?;
                        }
                    }
                    crate::docutil::put_strings(tx, &ROOT, "photos", &draft.photos)?;
                    tx.put(ROOT, "consent_at", consent_at.unwrap_or(now))?;
                    tx.put(ROOT, "publish", draft.consent_publish)?;
                    tx.put(ROOT, "collected_by", by.as_str())?;
                    tx.put(ROOT, "collected_by_name", by_name.as_str())?;
                    tx.put(ROOT, "created_at", now)?;
                    tx.put(ROOT, "status", Status::Collected.as_str())?;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            DrawingCommand::Review {
                status,
                works,
                note,
                shown,
            } => {
                let d = Drawing::read(doc)?;
                let n = note.trim().chars().count();
                if n > NOTE_MAX {
                    return Err(DrawingError::TooLong {
                        len: n,
                        max: NOTE_MAX,
                    }
                    .into());
                }
                let shown = *shown && d.publish && d.withdrawn_at.is_none();
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "status", status.as_str())?;
                    if works.trim() != d.works {
                        tx.put(ROOT, "works", works.trim())?;
                    }
                    if note.trim() != d.review_note {
                        tx.put(ROOT, "review_note", note.trim())?;
                    }
                    if shown != d.shown {
                        tx.put(ROOT, "shown", shown)?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            DrawingCommand::Withdraw => {
                let d = Drawing::read(doc)?;
                if d.withdrawn_at.is_some() {
                    return Ok(());
                }
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "publish", false)?;
                    tx.put(ROOT, "withdrawn_at", now)?;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
}

/// Every field a drawing may have at its root.
pub(crate) const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "household",
    "subject",
    "guardian_name",
    "nickname",
    "age",
    "school",
    "title",
    "proposes",
    "place",
    "photos",
    "consent_at",
    "publish",
    "collected_by",
    "collected_by_name",
    "created_at",
    "status",
    "works",
    "review_note",
    "shown",
    "withdrawn_at",
];

/// The children's-drawing kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "drawing";
    type Summary = Drawing;
    type Command = DrawingCommand;

    fn apply(doc: &mut Automerge, command: &DrawingCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Drawing> {
        Drawing::read(doc).ok()
    }

    /// Staff, and the guardian's household (the guardian is in it). Residents see a drawing
    /// only through the gallery, without the guardian.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff()
            || p.in_household(scope.household.as_deref())
            || (scope.subject.is_some() && scope.subject.as_deref() == Some(p.person.as_str()))
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        if scope.household.is_none() {
            Some("a drawing belongs to its guardian's household")
        } else if scope.subject.is_none() {
            Some("a drawing names its guardian")
        } else {
            None
        }
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        Some(crate::domain::Prior::new(rules::Before::of(doc)))
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match field {
            "nickname" => NICKNAME_MAX,
            "school" => SCHOOL_MAX,
            "title" => TITLE_MAX,
            "proposes" => PROPOSES_MAX,
            "place" => PLACE_MAX,
            "review_note" => NOTE_MAX,
            "guardian_name" | "collected_by_name" => NAME_MAX,
            "status" | "works" | "collected_by" | "*" => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "photos").then_some(PHOTOS_MAX)
    }

    const DAILY_MAX: Option<u32> = Some(DAILY_MAX);
    const TIME_FIELDS: &'static [&'static str] = &["created_at", "consent_at", "withdrawn_at"];
    const NAME_FIELDS: &'static [&'static str] = &["collected_by_name"];
    /// Shown to residents in the gallery (and the nickname must hold no number either).
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] =
        &["nickname", "school", "title", "proposes", "place"];

    fn photos(doc: &Automerge) -> Vec<String> {
        get_strings(doc, &ROOT, "photos")
    }

    fn projects(_changes: &[automerge::Change]) -> bool {
        true
    }

    /// The drawing's entry in the community's gallery (or its removal).
    fn projection(
        id: &crate::ids::DocumentId,
        doc: &Automerge,
        now: Millis,
    ) -> Option<crate::domain::Projection> {
        let key = gallery_key(id);
        let drawing = Drawing::read(doc).ok();
        // The guardian withdrew it: the gallery's history lets go of it too.
        let forgets = drawing.as_ref().is_some_and(|d| d.withdrawn_at.is_some());
        Some(crate::domain::Projection {
            kind: DocKind::DrawingGallery,
            group: gallery::GROUP.into(),
            create: Box::new(gallery::create),
            update: Box::new(move |d| gallery::update(d, &key, drawing.as_ref(), now)),
            forgets,
        })
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// A child's drawing does not outlive the guardian's consent: when the guardian is
    /// erased, everything in it goes (the photo's bytes too), leaving a husk only staff hold,
    /// and its gallery entry is removed.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let d = Drawing::read(doc).ok()?;
        if d.guardian != person && d.collected_by != person {
            return None;
        }
        if d.guardian != person {
            // Staff who collected it: their name leaves it, the drawing stays.
            return Some(
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "collected_by", "")?;
                    tx.put(ROOT, "collected_by_name", "")?;
                    Ok(())
                })
                .map(|_| Vec::new())
                .map_err(|f| f.error.into()),
            );
        }
        let photos = get_strings(doc, &ROOT, "photos");
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                for k in ROOT_FIELDS {
                    if !matches!(*k, "kind" | "schema") && tx.get(ROOT, *k)?.is_some() {
                        tx.delete(ROOT, *k)?;
                    }
                }
                Ok(())
            })
            .map(|_| photos)
            .map_err(|f| f.error.into()),
        )
    }
}

#[cfg(test)]
mod tests;
