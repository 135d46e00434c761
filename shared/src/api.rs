//! The relay's HTTP API and its socket's close codes, typed once for both sides: the relay
//! (`server/`) answers with these types and the app (`app/`) reads them, so a renamed field
//! or a new code cannot drift between the two. Routes are in `server/src/lib.rs`; ARCHITECTURE.md
//! lists who may call which.

use serde::{Deserialize, Serialize};

use crate::policy::Role;
use crate::time::Millis;

/// The API's paths.
pub mod paths {
    pub const HEALTH: &str = "/api/health";
    pub const DEMO: &str = "/api/demo";
    pub const ENROL: &str = "/api/enrol";
    pub const CHALLENGE: &str = "/api/auth/challenge";
    pub const TOKEN: &str = "/api/auth/token";
    pub const INVITES: &str = "/api/invites";
    pub const PEOPLE: &str = "/api/people";
    /// The community's volunteers (staff and grid workers ask one to visit a household).
    pub const VOLUNTEERS: &str = "/api/volunteers";
    pub const AUDIT: &str = "/api/audit";

    /// A new invite (a new phone) for someone already known.
    pub fn person_invites(person: &str) -> String {
        format!("/api/people/{person}/invites")
    }

    pub fn person_devices(person: &str) -> String {
        format!("/api/people/{person}/devices")
    }

    pub fn person_erase(person: &str) -> String {
        format!("/api/people/{person}/erase")
    }

    pub fn device_revoke(device: &str) -> String {
        format!("/api/devices/{device}/revoke")
    }

    pub fn device_label(device: &str) -> String {
        format!("/api/devices/{device}/label")
    }

    /// A photo's bytes, with the permissions of the document that names it.
    pub fn blob(hash: &str, doc: &str) -> String {
        format!("/api/blobs/{hash}?doc={doc}")
    }
}

/// What a device needs to know about itself and the community after enrolling or signing in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub device: String,
    pub person: String,
    pub role: Role,
    pub household: Option<String>,
    pub grids: Vec<String>,
    pub person_doc: Option<String>,
    pub community_doc: Option<String>,
    /// The relay's clock, for the device to learn its skew.
    pub relay_now: Millis,
}

/// `POST /api/enrol`: redeem an invite with this phone's public key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolBody {
    pub code: String,
    /// SEC1 uncompressed P-256 public key, base64url.
    pub public_key: String,
    /// A name for the phone people recognise (may be empty: the relay names it).
    #[serde(default)]
    pub label: String,
}

/// `POST /api/auth/challenge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengeBody {
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengeReply {
    /// Random bytes and their expiry, base64url, to be signed.
    pub challenge: String,
}

/// `POST /api/auth/token`: the signed challenge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenBody {
    pub device: String,
    pub challenge: String,
    /// IEEE P1363 ECDSA signature (r ‖ s), base64url, over `linli-auth-v1:` + challenge bytes.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenReply {
    pub token: String,
    pub expires_at: Millis,
    pub session: Session,
}

/// One of the demo community's ready-made people, with a reusable invite code
/// (`GET /api/demo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    pub code: String,
    pub person: String,
    pub role: Role,
    pub name: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Demo {
    pub people: Vec<Persona>,
}

/// `POST /api/invites` (staff): someone new, and an invite for their first phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewInvite {
    pub role: Role,
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub flat: String,
    #[serde(default)]
    pub birth_year: Option<i64>,
    #[serde(default)]
    pub lives_alone: bool,
    /// The grid the person lives in (residents, volunteers).
    #[serde(default)]
    pub grid: String,
    /// Join an existing household (a family member); otherwise a new one is made.
    #[serde(default)]
    pub household: Option<String>,
    /// Grids a grid worker works.
    #[serde(default)]
    pub grids: Vec<String>,
    #[serde(default)]
    pub expires_in_days: Option<i64>,
    /// A seat at the four-party talks (a party representative), if any.
    #[serde(default)]
    pub seat: Option<crate::domain::people::Seat>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteReply {
    pub code: String,
    pub person: String,
    pub household: Option<String>,
    pub expires_at: Millis,
}

/// A row of `GET /api/people` (staff): the relay's record of a person and how many phones
/// they use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub role: Role,
    pub household: Option<String>,
    pub grids: Vec<String>,
    /// The person document (personal data), if any.
    pub person_doc: Option<String>,
    #[serde(default)]
    pub erased: bool,
    /// Devices not revoked.
    pub devices: usize,
}

/// A row of `GET /api/volunteers`: a volunteer and their name as the relay has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerRow {
    pub id: String,
    pub name: String,
}

/// A row of `GET /api/people/{id}/devices`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: String,
    pub label: String,
    pub created_at: Millis,
    pub revoked_at: Option<Millis>,
    /// Connected to the relay now.
    pub online: bool,
}

/// `POST /api/devices/{id}/label`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelBody {
    pub label: String,
}

/// WebSocket close codes (4000–4999 are for applications). The app decides from the code
/// whether to reconnect, sign in again or stop.
pub mod close {
    /// The relay failed internally (storage); the client should retry later.
    pub const INTERNAL: u16 = 1011;
    /// A text frame: the protocol is binary CBOR.
    pub const NOT_BINARY: u16 = 1003;
    /// A frame over the size limit.
    pub const TOO_BIG: u16 = 1009;
    /// The peer spoke before joining, or joined twice, or asked for an unknown version.
    pub const PROTOCOL: u16 = 4002;
    /// No `join` in time.
    pub const HANDSHAKE_TIMEOUT: u16 = 4008;
    /// Silence (no frame, no pong) for too long.
    pub const IDLE_TIMEOUT: u16 = 4009;
    /// The connection did not read what the relay sent: its queue overflowed, or one frame
    /// could not be written within the drain timeout.
    pub const TOO_SLOW: u16 = 4010;
    /// A frame that is not a valid message.
    pub const BAD_MESSAGE: u16 = 4400;
    /// The device was revoked: sign-in is over for this phone.
    pub const REVOKED: u16 = 4401;
    /// A refused change: the reason (`linli-rejected`) says which rule.
    pub const REFUSED: u16 = 4403;
    /// Too many messages too fast.
    pub const RATE: u16 = 4429;
}

/// Why the relay refused a change: sent in `linli-rejected`, written to the audit log, and
/// mapped by the app to a message in both languages. Codes are stable strings on the wire; a
/// code this version does not know parses as `None` (and gets a general message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// The writer may not write this document at all.
    NotAllowed,
    /// The writer may write the document, but not this field.
    FieldNotAllowed,
    /// A history entry not in the writer's name, of a kind their role may not add, or
    /// malformed.
    BadEvent,
    /// A request filed in someone else's name or for someone the filer may not file for.
    BadFiling,
    /// A field, key, list, change or message over its limit.
    TooLarge,
    TooManyPhotos,
    /// A change by an actor that is not the sending device's.
    ForgedActor,
    /// A document that does not say what kind it is.
    NoKind,
    KindChanged,
    /// A document without the scope fields its kind needs.
    ScopeMissing,
    /// A document moved to another grid, household or person (staff only).
    ScopeChange,
    /// Changes that cannot be read.
    Malformed,
    /// A time far from the relay's clock (or an entry dated before what it answers).
    BadTime,
    /// A display name that is not the writer's name in the relay's records.
    BadName,
    /// A document in a grid the community does not have.
    UnknownGrid,
    /// More new documents in a day than one person may create.
    Quota,
    /// A phone, ID card or bank card number or a licence plate in text others will see.
    PersonalData,
    /// A decision's cost split that does not add up to 100% and to its total.
    BadSplit,
    /// A ledger entry that would make the fund's available balance, a project's remaining
    /// budget or a budget line negative (the ledger rule).
    Overdrawn,
    /// An owners' vote ballot for a flat that is not the writer's to vote or collect, not
    /// under the writer's own key, malformed, or a published result that does not add up.
    BadBallot,
    /// A ballot written, or a vote changed, after the vote closed (by the relay's clock).
    VoteClosed,
    /// A change that starts a document's history over beside the one the relay holds (no
    /// dependencies, on a document that exists): written on a phone that did not hold the
    /// document yet. Accepted, it would lose to the real history's fields and vanish unseen.
    SecondHistory,
}

impl RefusalCode {
    pub const ALL: [RefusalCode; 22] = [
        RefusalCode::NotAllowed,
        RefusalCode::FieldNotAllowed,
        RefusalCode::BadEvent,
        RefusalCode::BadFiling,
        RefusalCode::TooLarge,
        RefusalCode::TooManyPhotos,
        RefusalCode::ForgedActor,
        RefusalCode::NoKind,
        RefusalCode::KindChanged,
        RefusalCode::ScopeMissing,
        RefusalCode::ScopeChange,
        RefusalCode::Malformed,
        RefusalCode::BadTime,
        RefusalCode::BadName,
        RefusalCode::UnknownGrid,
        RefusalCode::Quota,
        RefusalCode::PersonalData,
        RefusalCode::BadSplit,
        RefusalCode::Overdrawn,
        RefusalCode::BadBallot,
        RefusalCode::VoteClosed,
        RefusalCode::SecondHistory,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::NotAllowed => "not_allowed",
            RefusalCode::FieldNotAllowed => "field_not_allowed",
            RefusalCode::BadEvent => "bad_event",
            RefusalCode::BadFiling => "bad_filing",
            RefusalCode::TooLarge => "too_large",
            RefusalCode::TooManyPhotos => "too_many_photos",
            RefusalCode::ForgedActor => "forged_actor",
            RefusalCode::NoKind => "no_kind",
            RefusalCode::KindChanged => "kind_changed",
            RefusalCode::ScopeMissing => "scope_missing",
            RefusalCode::ScopeChange => "scope_change",
            RefusalCode::Malformed => "malformed",
            RefusalCode::BadTime => "bad_time",
            RefusalCode::BadName => "bad_name",
            RefusalCode::UnknownGrid => "unknown_grid",
            RefusalCode::Quota => "quota",
            RefusalCode::PersonalData => "personal_data",
            RefusalCode::BadSplit => "bad_split",
            RefusalCode::Overdrawn => "overdrawn",
            RefusalCode::BadBallot => "bad_ballot",
            RefusalCode::VoteClosed => "vote_closed",
            RefusalCode::SecondHistory => "second_history",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_are_their_serde_names_and_parse_back() {
        for c in RefusalCode::ALL {
            assert_eq!(RefusalCode::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
        assert_eq!(RefusalCode::parse("a_future_code"), None);
    }
}
