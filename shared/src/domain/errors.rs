//! Errors of the model layer: what is wrong with what a person typed, and documents that are
//! not what they should be.

use serde::{Deserialize, Serialize};

/// What is wrong with what a person typed. The UI maps each to a message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum InputError {
    #[error("the title is empty")]
    TitleEmpty,
    #[error("the title is {len} characters; at most {max}")]
    TitleTooLong { len: usize, max: usize },
    #[error("the description is {len} characters; at most {max}")]
    DescriptionTooLong { len: usize, max: usize },
    #[error("the text is empty")]
    TextEmpty,
    #[error("the text is {len} characters; at most {max}")]
    TextTooLong { len: usize, max: usize },
    #[error("no category chosen")]
    CategoryMissing,
    #[error("no grid chosen")]
    GridMissing,
    #[error("no building chosen")]
    BuildingMissing,
    #[error("no bin point given")]
    PointMissing,
    #[error("no result chosen")]
    ResultMissing,
    #[error("an amount is yuan with at most two decimals, within bounds")]
    BadAmount,
    #[error("a rating is 1 to 5 stars, not {stars}")]
    RatingOutOfRange { stars: u8 },
    #[error("at most {max} photos")]
    TooManyPhotos { max: usize },
    #[error("at most {max} tags")]
    TooManyTags { max: usize },
    /// A merchant inspection's points: nonzero, at most ±`max`.
    #[error("points are nonzero, at most ±{max}")]
    PointsOutOfRange { max: i64 },
    /// Text others will see holds a phone, ID or bank card number or a plate ([`crate::pii`]).
    #[error("public text holds a {}", what.as_str())]
    PersonalData { what: crate::pii::PiiKind },
    /// A volunteer's service entry: 1 to `max` minutes.
    #[error("minutes are 1 to {max}")]
    MinutesOutOfRange { max: i64 },
    #[error("a date is YYYY-MM-DD")]
    BadDate,
    #[error("a time is HH:MM")]
    BadClock,
    #[error("the cost split does not add up: {0}")]
    Split(crate::domain::talks::SplitError),
    #[error("owners' vote: {0}")]
    Vote(crate::domain::owners_vote::VoteError),
    #[error("event: {0}")]
    Event(crate::domain::event::EventError),
    #[error("roadmap: {0}")]
    Roadmap(crate::domain::roadmap::PlanError),
    #[error("case: {0}")]
    Case(crate::domain::local_case::CaseError),
    #[error("site plan: {0}")]
    SitePlan(crate::domain::site_plan::PlanError),
    #[error("resource: {0}")]
    Resource(crate::domain::resource::ResourceError),
    #[error("drawing: {0}")]
    Drawing(crate::domain::drawing::DrawingError),
    /// An edit of a record this device does not hold yet (a first sync still under way):
    /// made on an empty copy, it would start a second history of the record beside the real
    /// one, whose fields would then hide each other when they merge.
    #[error("this record has not reached this device yet")]
    NotHeldYet,
}

/// Errors of the model layer: bad input, or a document that is not what it should be.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("document is not a {expected} (kind {found:?})")]
    WrongKind {
        expected: &'static str,
        found: Option<String>,
    },
    #[error("document already holds a {0}")]
    NotEmpty(&'static str),
    #[error("document field {0} is missing or malformed")]
    Malformed(&'static str),
    /// A ledger entry that is malformed or would overdraw the fund.
    #[error(transparent)]
    Ledger(#[from] crate::domain::fund::Overdraft),
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
}

pub(crate) fn chars(s: &str) -> usize {
    s.chars().count()
}

pub(crate) fn check_text(text: &str, max: usize) -> Result<String, InputError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(InputError::TextEmpty);
    }
    if chars(t) > max {
        return Err(InputError::TextTooLong { len: chars(t), max });
    }
    Ok(t.to_string())
}
