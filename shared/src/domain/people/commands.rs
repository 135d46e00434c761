//! What a person (or staff) does to a person's record, as data.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::{ConsentMethod, grant_consent_named, withdraw_consent};
use crate::domain::ModelError;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PersonCommand {
    /// The person consents to `volunteer` acting for them; `by` records who wrote it down.
    GrantConsent {
        volunteer: String,
        /// The volunteer's name, for the elder's phone to show.
        #[serde(default)]
        volunteer_name: String,
        by: String,
        method: ConsentMethod,
    },
    WithdrawConsent {
        volunteer: String,
        by: String,
    },
    /// Staff give the person a seat at the four-party talks, or take it away.
    SetSeat {
        seat: Option<super::Seat>,
    },
    /// Staff record the exclusive floor area of the person's flat (hundredths of m²).
    SetArea {
        area: Option<i64>,
    },
}

impl PersonCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            PersonCommand::GrantConsent {
                volunteer,
                volunteer_name,
                by,
                method,
            } => grant_consent_named(doc, volunteer, volunteer_name, by, *method, now),
            PersonCommand::WithdrawConsent { volunteer, by } => {
                withdraw_consent(doc, volunteer, by, now)
            }
            PersonCommand::SetSeat { seat } => super::set_seat(doc, seat.as_ref()),
            PersonCommand::SetArea { area } => super::set_area(doc, *area),
        }
    }
}
