//! Four-party talks 四方会谈: the weekly meeting of the party branch, the residents' committee
//! (staff), the owners' committee and the property company (plus merchants and advisers).
//! One `talk` document per meeting (date, place, agenda items from requests or typed freely,
//! attendance per party, rounds of positions per item, decisions with action items and a
//! cost split that adds up, minutes as a text CRDT), and one `talk_series` document with the
//! schedule. ARCHITECTURE.md has who may write what.

mod commands;
mod minutes;
mod model;
mod rules;
mod series;
pub mod split;
#[cfg(test)]
mod tests;
pub mod vote;

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use crate::domain::{DocType, ModelError, Scope, Verdict, Write};
use crate::policy::{Party, Principal};
use crate::time::Millis;

pub use commands::{ActionDraft, TalkCommand, valid_clock, valid_date};
pub use minutes::{attendance_name, draft_minutes, payer_name, side_name, stance_name};
pub use model::{Action, Attendance, Decision, Item, Position, Source, Stance, Talk, create_talk};
pub use rules::minutes_personal_data;
pub use series::{Series, SeriesCommand, SeriesKind};
pub use split::{Payer, Share, SplitError, check_split};

/// Who a talk is published to (its `audience` scope field once staff publish the agenda).
pub const RESIDENTS: &str = "residents";

/// Limits on what is typed into a talk.
pub mod limits {
    pub const TITLE_MAX: usize = 100;
    pub const TEXT_MAX: usize = 1_000;
    pub const PLACE_MAX: usize = 60;
    pub const MINUTES_MAX: usize = 20_000;
    pub const POSITIONS_MAX: usize = 300;
    pub const ITEMS_MAX: usize = 30;
    pub const ACTIONS_MAX: usize = 20;
}

/// A side at the table: the residents' committee (staff) or one of the parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Side {
    ResidentsCommittee,
    Party(Party),
}

impl Side {
    pub const ALL: [Side; 6] = [
        Side::Party(Party::PartyBranch),
        Side::ResidentsCommittee,
        Side::Party(Party::OwnersCommittee),
        Side::Party(Party::PropertyCompany),
        Side::Party(Party::Merchant),
        Side::Party(Party::Adviser),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Side::ResidentsCommittee => "residents_committee",
            Side::Party(p) => p.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Side::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The side a person speaks for: staff for the residents' committee, a representative
    /// for their party.
    pub fn of(p: &Principal) -> Option<Side> {
        if p.is_staff() {
            Some(Side::ResidentsCommittee)
        } else {
            p.party.map(Side::Party)
        }
    }
}

impl From<Side> for String {
    fn from(s: Side) -> String {
        s.as_str().to_string()
    }
}

impl TryFrom<String> for Side {
    type Error = String;
    fn try_from(s: String) -> Result<Side, String> {
        Side::parse(&s).ok_or(s)
    }
}

/// What a device keeps of a talk (stored as `{"kind":"talk","talk":{…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkSummary {
    pub talk: Talk,
}

/// The talk kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "talk";
    type Summary = TalkSummary;
    type Command = TalkCommand;

    fn summarise(doc: &Automerge) -> Option<TalkSummary> {
        Some(TalkSummary {
            talk: Talk::read(doc).ok()?,
        })
    }

    fn apply(doc: &mut Automerge, command: &TalkCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    /// Staff and the parties' representatives from the start; everyone enrolled once staff
    /// publish the agenda (公示: the document's `audience` becomes `residents`).
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff() || p.party.is_some() || scope.audience.as_deref() == Some(RESIDENTS)
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    /// Agenda items, positions and decisions are published to the community.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "text"];

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::ID_MAX;
        Some(match (parent, field) {
            (Some("agreed"), "*") => ID_MAX,
            (_, "title") => limits::TITLE_MAX,
            (_, "text") => limits::TEXT_MAX,
            (_, "place") => limits::PLACE_MAX,
            (_, "minutes") => limits::MINUTES_MAX,
            (_, "date" | "due") => 10,
            (_, "time") => 5,
            (_, "owner_name") => crate::domain::limits::NAME_MAX,
            (
                _,
                "source" | "request" | "colour" | "party" | "payer" | "stance" | "owner"
                | "audience",
            ) => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "positions" => limits::POSITIONS_MAX,
            "agreed" => Side::ALL.len(),
            "split" => split::PAYERS_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &[
        "at",
        "created_at",
        "published_at",
        "minutes_published_at",
        "decided_at",
    ];

    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
}
