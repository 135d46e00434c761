//! Events 睦邻活动: the monthly neighbourhood festival 睦邻文化节, the 百家宴 potluck, the balcony
//! garden contest 阳台花园竞赛, 粽香传情 (zongzi for elders living alone) and others. Staff create
//! an event (what, when, where, how many seats, the sign-up window, the volunteer roles it
//! needs, who checks people in); residents append their own sign-ups (a volunteer for an elder
//! who consented), cancel them (never delete), and organisers append attendance at the door.
//!
//! **Who gets a seat is decided by the relay's acceptance order, not by the phones' clocks.**
//! Every event projects into a derived document of kind `roster` ([`roster`]), written only by
//! the relay, that appends each sign-up's id the first time the relay accepts it, with the
//! relay's time. Seats go to the first `capacity` sign-ups in roster order that are not
//! cancelled; the rest wait in that order; a sign-up the roster does not list yet (made
//! offline) is pending ([`Standing`]). A volunteer role is a pool of its own, with its count
//! as its capacity. Since the roster only grows at its end, a cancellation only frees a seat
//! and nobody may lower a capacity below the seats it gives (`capacity_below_seats`), a person
//! shown a seat keeps it.

pub mod ics;
pub mod roster;
mod rules;
#[cfg(test)]
mod tests;

use automerge::transaction::Transactable;
use automerge::{Automerge, Change, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_i64, get_obj, get_str, get_strings, list_maps};
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, Prior, Projection, SCHEMA, Scope, Verdict, Write,
    doc_kind,
};
use crate::ids::DocumentId;
use crate::policy::Principal;
use crate::time::{LocalDateTime, Millis};

pub use roster::{Roster, RosterEntry};

pub const TITLE_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 1_000;
pub const PHOTOS_MAX: usize = 3;
pub const ROLE_MAX: usize = 30;
pub const ROLES_MAX: usize = 10;
/// The most volunteers one role may ask for.
pub const ROLE_COUNT_MAX: u32 = 50;
pub const CAPACITY_MAX: u32 = 2_000;
pub const ORGANISERS_MAX: usize = 20;
pub const SIGNUPS_MAX: usize = 5_000;
pub const ATTENDANCE_MAX: usize = 5_000;

/// What is wrong with an event as typed, or with a sign-up or a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum EventError {
    #[error("the event ends before it starts")]
    EndsBeforeStarts,
    #[error("sign-up closes before it opens")]
    ClosesBeforeOpens,
    #[error("capacity is 1 to {CAPACITY_MAX}")]
    BadCapacity,
    #[error("a volunteer role needs a name and 1 to {ROLE_COUNT_MAX} people")]
    BadRole,
    #[error("at most {ROLES_MAX} volunteer roles")]
    TooManyRoles,
    #[error("{seats} seats are given: capacity cannot be lower")]
    CapacityBelowSeats { seats: u32 },
    #[error("already signed up")]
    AlreadySignedUp,
    #[error("sign-up is not open")]
    NotOpen,
    #[error("no such sign-up")]
    NoSignUp,
    #[error("no sign-up has this check-in code")]
    UnknownCode,
    #[error("already checked in")]
    AlreadyIn,
    #[error("not checked in")]
    NotIn,
}

/// Which of the article's kinds of event (a template for the title and description).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// 睦邻文化节: the monthly neighbourhood festival.
    Festival,
    /// 百家宴: the potluck.
    Potluck,
    /// 阳台花园竞赛: the balcony garden contest.
    Garden,
    /// 粽香传情: young families make zongzi for elders living alone.
    Zongzi,
    Other,
}

impl Template {
    pub const ALL: [Template; 5] = [
        Template::Festival,
        Template::Potluck,
        Template::Garden,
        Template::Zongzi,
        Template::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Template::Festival => "festival",
            Template::Potluck => "potluck",
            Template::Garden => "garden",
            Template::Zongzi => "zongzi",
            Template::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Whether people or households sign up (a household takes one seat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    #[default]
    Person,
    Household,
}

impl Per {
    pub fn as_str(self) -> &'static str {
        match self {
            Per::Person => "person",
            Per::Household => "household",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Per::Person, Per::Household]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A volunteer role an event needs, and how many people for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerRole {
    pub role: String,
    pub count: u32,
}

/// One sign-up (its id is its object's id in the document, which the roster lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUp {
    pub id: String,
    pub person: String,
    pub household: String,
    /// The signed-up person's name (theirs on record, or the writer's).
    pub name: String,
    /// Who wrote it: the person, or a volunteer for a consenting elder.
    pub by: String,
    pub at: Millis,
    /// A volunteer role, or empty for a participant.
    pub role: String,
    pub cancelled_at: Option<Millis>,
}

/// One person checked in at the door (by an organiser), and out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: String,
    pub person: String,
    pub in_at: Millis,
    pub out_at: Option<Millis>,
    pub by: String,
}

/// An event, as every phone keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub title: String,
    pub template: Template,
    pub description: String,
    pub photos: Vec<String>,
    pub starts_at: Millis,
    pub ends_at: Millis,
    pub place: String,
    pub capacity: u32,
    pub opens_at: Millis,
    pub closes_at: Millis,
    pub per: Per,
    pub roles: Vec<VolunteerRole>,
    /// Persons who may check people in (besides staff).
    pub organisers: Vec<String>,
    /// The event this one repeats (a monthly festival's previous occurrence), if any.
    pub repeat_of: String,
    pub created_at: Millis,
    pub by: String,
    pub by_name: String,
    /// In the document's order (not the seat order: see [`Event::standing`]).
    pub signups: Vec<SignUp>,
    pub attendance: Vec<Attendance>,
}

/// Where a pool's sign-ups stand by the rule: seated, waiting (in order) and pending (not yet
/// accepted by the relay). Roster ids this phone has no sign-up for yet count as seated or
/// waiting where they stand, so a sign-up arriving late never pushes anyone shown a seat back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Standing {
    pub seated: Vec<String>,
    pub waitlist: Vec<String>,
    pub pending: Vec<String>,
}

/// One person's place at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// 已报名: the roster gives a seat.
    Seated,
    /// 候补: waiting, 1 = next in line.
    Waiting(usize),
    /// 待确认: made offline, confirmed when the relay accepts it.
    Pending,
}

impl Event {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Event)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        let t = |k: &str| f.i64(k).unwrap_or(0);
        let roles = get_obj(doc, &ROOT, "roles", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|r| {
                        Some(VolunteerRole {
                            role: get_str(doc, &r, "role")?,
                            count: u32::try_from(get_i64(doc, &r, "count")?).ok()?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let signups = get_obj(doc, &ROOT, "signups", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|e| {
                        Some(SignUp {
                            id: e.to_string(),
                            person: get_str(doc, &e, "person")?,
                            household: get_str(doc, &e, "household").unwrap_or_default(),
                            name: get_str(doc, &e, "name").unwrap_or_default(),
                            by: get_str(doc, &e, "by").unwrap_or_default(),
                            at: get_i64(doc, &e, "at").unwrap_or(0),
                            role: get_str(doc, &e, "role").unwrap_or_default(),
                            cancelled_at: get_i64(doc, &e, "cancelled_at"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let attendance = get_obj(doc, &ROOT, "attendance", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|e| {
                        Some(Attendance {
                            id: e.to_string(),
                            person: get_str(doc, &e, "person")?,
                            in_at: get_i64(doc, &e, "in_at")?,
                            out_at: get_i64(doc, &e, "out_at"),
                            by: get_str(doc, &e, "by").unwrap_or_default(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Event {
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            template: f
                .str("template")
                .and_then(|c| Template::parse(&c))
                .ok_or(ModelError::Malformed("template"))?,
            description: s("description"),
            photos: get_strings(doc, &ROOT, "photos"),
            starts_at: t("starts_at"),
            ends_at: t("ends_at"),
            place: s("place"),
            capacity: u32::try_from(t("capacity")).unwrap_or(0),
            opens_at: t("opens_at"),
            closes_at: t("closes_at"),
            per: f
                .str("per")
                .and_then(|p| Per::parse(&p))
                .unwrap_or_default(),
            roles,
            organisers: get_strings(doc, &ROOT, "organisers"),
            repeat_of: s("repeat_of"),
            created_at: t("created_at"),
            by: s("by"),
            by_name: s("by_name"),
            signups,
            attendance,
        })
    }

    /// How many seats a pool has: the capacity for participants (role ""), a role's count.
    pub fn limit(&self, role: &str) -> u32 {
        if role.is_empty() {
            self.capacity
        } else {
            self.roles
                .iter()
                .filter(|r| r.role == role)
                .map(|r| r.count)
                .sum()
        }
    }

    /// The pools: participants first, then each volunteer role.
    pub fn pools(&self) -> Vec<String> {
        std::iter::once(String::new())
            .chain(self.roles.iter().map(|r| r.role.clone()))
            .collect()
    }

    pub fn signup(&self, id: &str) -> Option<&SignUp> {
        self.signups.iter().find(|s| s.id == id)
    }

    /// Who a sign-up stands for when counting one live sign-up each: the household at an
    /// event households sign up for (a participant), else the person.
    fn who(&self, s: &SignUp) -> String {
        if self.per == Per::Household && s.role.is_empty() && !s.household.is_empty() {
            format!("h:{}", s.household)
        } else {
            format!("p:{}", s.person)
        }
    }

    /// The live (not cancelled) sign-up of `person` (or, at a household event, of their
    /// household), if any.
    pub fn live_signup(&self, person: &str, household: &str) -> Option<&SignUp> {
        self.signups.iter().find(|s| {
            s.cancelled_at.is_none()
                && (s.person == person
                    || (self.per == Per::Household
                        && s.role.is_empty()
                        && !household.is_empty()
                        && s.household == household))
        })
    }

    /// Whether any person or household has two live sign-ups (the relay refuses the second).
    pub fn has_double_signup(&self) -> bool {
        let mut seen = std::collections::HashSet::new();
        self.signups
            .iter()
            .filter(|s| s.cancelled_at.is_none() && s.person != crate::domain::requests::ERASED)
            .any(|s| !seen.insert(self.who(s)))
    }

    /// Where everyone stands in one pool by the rule (see the module's documentation).
    pub fn standing(&self, roster: Option<&Roster>, role: &str) -> Standing {
        let limit = self.limit(role) as usize;
        let mut out = Standing::default();
        let mut listed = std::collections::HashSet::new();
        for e in roster.map(|r| r.order.as_slice()).unwrap_or_default() {
            if !listed.insert(e.id.as_str()) {
                continue;
            }
            let live = match self.signup(&e.id) {
                Some(s) => s.role == role && s.cancelled_at.is_none(),
                // Not on this phone yet: it takes its place only in its own pool, which
                // the roster says.
                None => e.role == role,
            };
            if !live {
                continue;
            }
            if out.seated.len() < limit {
                out.seated.push(e.id.clone());
            } else {
                out.waitlist.push(e.id.clone());
            }
        }
        out.pending = self
            .signups
            .iter()
            .filter(|s| s.role == role && s.cancelled_at.is_none())
            .filter(|s| !listed.contains(s.id.as_str()))
            .map(|s| s.id.clone())
            .collect();
        out
    }

    /// Where a sign-up stands (`None` when cancelled or unknown).
    pub fn place(&self, roster: Option<&Roster>, signup: &str) -> Option<Place> {
        let s = self.signup(signup)?;
        if s.cancelled_at.is_some() {
            return None;
        }
        let st = self.standing(roster, &s.role);
        if st.seated.iter().any(|i| i == signup) {
            Some(Place::Seated)
        } else if let Some(i) = st.waitlist.iter().position(|i| i == signup) {
            Some(Place::Waiting(i + 1))
        } else {
            Some(Place::Pending)
        }
    }

    /// Seats left among participants by the rule.
    pub fn seats_left(&self, roster: Option<&Roster>) -> u32 {
        let seated = self.standing(roster, "").seated.len() as u32;
        self.capacity.saturating_sub(seated)
    }

    /// The fewest seats a pool may be given from now on: the seats it gives. (By the rule,
    /// every sign-up this document holds beyond the pending ones is in the roster, so the
    /// seats given are the live sign-ups up to the limit; with pending ones this is stricter.)
    pub fn seats_given(&self, role: &str) -> u32 {
        let live = self
            .signups
            .iter()
            .filter(|s| s.role == role && s.cancelled_at.is_none())
            .count() as u32;
        live.min(self.limit(role))
    }

    /// When `person` was checked in and out: the earliest check-in and the latest check-out
    /// of their entries (two organisers ticking the same person offline make two).
    pub fn presence(&self, person: &str) -> Option<(Millis, Option<Millis>)> {
        let mine: Vec<&Attendance> = self
            .attendance
            .iter()
            .filter(|a| a.person == person)
            .collect();
        let first = mine.iter().map(|a| a.in_at).min()?;
        let out = mine.iter().filter_map(|a| a.out_at).max();
        Some((first, out.filter(|o| *o >= first)))
    }

    /// Hours `person` was there (check-in to check-out, confirmed by an organiser): what the
    /// volunteer-hours page adds up. 0 without a check-out.
    pub fn hours(&self, person: &str) -> f64 {
        match self.presence(person) {
            Some((i, Some(o))) => (o - i) as f64 / crate::time::HOUR as f64,
            _ => 0.0,
        }
    }

    /// Seated sign-ups of people who never came, once the event has ended.
    pub fn no_shows(&self, roster: Option<&Roster>, now: Millis) -> Vec<&SignUp> {
        if now < self.ends_at {
            return Vec::new();
        }
        self.pools()
            .iter()
            .flat_map(|pool| self.standing(roster, pool).seated)
            .filter_map(|id| self.signup(&id))
            .filter(|s| self.presence(&s.person).is_none())
            .collect()
    }

    /// The sign-up whose check-in code is `code` (typed or scanned; case and spaces ignored).
    pub fn by_code(&self, event: &str, code: &str) -> Option<&SignUp> {
        let code: String = code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let code = code.strip_prefix("LINLI").unwrap_or(&code);
        self.signups
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .find(|s| checkin_code(event, &s.id) == code)
    }
}

/// A sign-up's short check-in code (shown as a QR code and as text, typed at the door): six
/// characters without look-alikes, derived from the event and the sign-up.
pub fn checkin_code(event: &str, signup: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let d = Sha256::new()
        .chain_update(b"linli-checkin:")
        .chain_update(event.as_bytes())
        .chain_update([0])
        .chain_update(signup.as_bytes())
        .finalize();
    d.iter()
        .take(6)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// A Shanghai wall-clock time as a form gives it (`2026-12-20T14:00` or `2026-12-20 14:00`).
pub fn parse_local(s: &str) -> Option<Millis> {
    let s = s.trim();
    let (date, clock) = s.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let (y, m, day) = (
        d.next()?.parse::<i32>().ok()?,
        d.next()?.parse::<u32>().ok()?,
        d.next()?.parse::<u32>().ok()?,
    );
    let (h, min) = clock.split_once(':')?;
    let (h, min) = (h.parse::<i64>().ok()?, min.get(..2)?.parse::<i64>().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || h < 0 {
        return None;
    }
    Some(
        crate::time::shanghai_midnight(y, m, day)
            + h * crate::time::HOUR
            + min * crate::time::MINUTE,
    )
}

/// The inverse of [`parse_local`]: what a `datetime-local` input shows.
pub fn local_input(at: Millis) -> String {
    let t = LocalDateTime::shanghai(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// The same wall-clock time a month later (the 31st becomes the month's last day).
pub fn next_month(at: Millis) -> Millis {
    let t = LocalDateTime::shanghai(at);
    let (y, m) = if t.month == 12 {
        (t.year + 1, 1)
    } else {
        (t.year, t.month + 1)
    };
    let last = (28..=31)
        .rev()
        .find(|d| crate::time::civil_from_days(crate::time::days_from_civil(y, m, *d)).1 == m)
        .unwrap_or(28);
    crate::time::shanghai_midnight(y, m, t.day.min(last))
        + i64::from(t.hour) * crate::time::HOUR
        + i64::from(t.minute) * crate::time::MINUTE
}

/// An event as staff type it: times as the form gives them, the capacity as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EventDraft {
    pub title: String,
    pub template: Option<Template>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub photos: Vec<String>,
    pub starts: String,
    pub ends: String,
    #[serde(default)]
    pub place: String,
    pub capacity: String,
    pub opens: String,
    pub closes: String,
    #[serde(default)]
    pub per: Per,
    #[serde(default)]
    pub roles: Vec<VolunteerRole>,
    #[serde(default)]
    pub organisers: Vec<String>,
    #[serde(default)]
    pub repeat_of: String,
}

impl EventDraft {
    /// The draft of an existing event (to edit it).
    pub fn of(e: &Event) -> Self {
        EventDraft {
            title: e.title.clone(),
            template: Some(e.template),
            description: e.description.clone(),
            photos: e.photos.clone(),
            starts: local_input(e.starts_at),
            ends: local_input(e.ends_at),
            place: e.place.clone(),
            capacity: e.capacity.to_string(),
            opens: local_input(e.opens_at),
            closes: local_input(e.closes_at),
            per: e.per,
            roles: e.roles.clone(),
            organisers: e.organisers.clone(),
            repeat_of: String::new(),
        }
    }

    /// The next occurrence of a monthly event (`id`): the same event a month later, its
    /// sign-up window moved with it.
    pub fn next_month(id: &DocumentId, e: &Event) -> Self {
        let mut d = EventDraft::of(e);
        d.starts = local_input(next_month(e.starts_at));
        d.ends = local_input(next_month(e.ends_at));
        d.opens = local_input(next_month(e.opens_at));
        d.closes = local_input(next_month(e.closes_at));
        d.repeat_of = id.to_string();
        d
    }

    /// The times and capacity, if what was typed is well formed.
    pub fn times(&self) -> Option<(Millis, Millis, Millis, Millis)> {
        Some((
            parse_local(&self.starts)?,
            parse_local(&self.ends)?,
            parse_local(&self.opens)?,
            parse_local(&self.closes)?,
        ))
    }

    pub fn capacity(&self) -> Option<u32> {
        self.capacity
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| (1..=CAPACITY_MAX).contains(c))
    }

    /// What is wrong with it, each problem once, in the order of the form. The title, the
    /// description and the place are read by the whole community: no personal numbers.
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
        if self.template.is_none() {
            out.push(InputError::CategoryMissing);
        }
        if len(&self.description) > DESCRIPTION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: len(&self.description),
                max: DESCRIPTION_MAX,
            });
        }
        if len(&self.place) > PLACE_MAX {
            out.push(InputError::TextTooLong {
                len: len(&self.place),
                max: PLACE_MAX,
            });
        }
        for text in [&self.title, &self.description, &self.place] {
            if let Some(found) = crate::pii::find(text).first() {
                let e = InputError::PersonalData { what: found.kind };
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        match self.times() {
            None => out.push(InputError::BadDate),
            Some((starts, ends, opens, closes)) => {
                if ends <= starts {
                    out.push(InputError::Event(EventError::EndsBeforeStarts));
                }
                if closes <= opens {
                    out.push(InputError::Event(EventError::ClosesBeforeOpens));
                }
            }
        }
        if self.capacity().is_none() {
            out.push(InputError::Event(EventError::BadCapacity));
        }
        if self.roles.len() > ROLES_MAX {
            out.push(InputError::Event(EventError::TooManyRoles));
        }
        if self.roles.iter().any(|r| {
            r.role.trim().is_empty()
                || len(&r.role) > ROLE_MAX
                || !(1..=ROLE_COUNT_MAX).contains(&r.count)
        }) {
            out.push(InputError::Event(EventError::BadRole));
        }
        if self.photos.len() > PHOTOS_MAX {
            out.push(InputError::TooManyPhotos { max: PHOTOS_MAX });
        }
        out
    }
}

/// What staff, residents and organisers do to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum EventCommand {
    /// Creates an event (into an empty document), in `by`'s name.
    Create {
        draft: Box<EventDraft>,
        by: String,
        by_name: String,
    },
    /// Staff revise it (never a capacity below the seats given).
    Revise { draft: Box<EventDraft> },
    /// Signs `person` (of `household`) up, written by `by` (themself, or a volunteer for a
    /// consenting elder); `role` empty for a participant.
    SignUp {
        person: String,
        household: String,
        name: String,
        by: String,
        role: String,
    },
    /// Cancels a sign-up (it stays, with the time it was cancelled).
    Cancel { signup: String },
    /// An organiser checks `person` in.
    CheckIn { person: String, by: String },
    /// An organiser checks `person` out.
    CheckOut { person: String },
}

impl EventCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            EventCommand::Create { draft, by, by_name } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("event"));
                }
                write(doc, draft, Some((by, by_name, now)))
            }
            EventCommand::Revise { draft } => {
                let e = Event::read(doc)?;
                let cap = draft
                    .capacity()
                    .ok_or(InputError::Event(EventError::BadCapacity))?;
                let seats = e.seats_given("");
                if cap < seats {
                    return Err(InputError::Event(EventError::CapacityBelowSeats { seats }).into());
                }
                write(doc, draft, None)
            }
            EventCommand::SignUp {
                person,
                household,
                name,
                by,
                role,
            } => {
                let e = Event::read(doc)?;
                if e.live_signup(person, if role.is_empty() { household } else { "" })
                    .is_some()
                {
                    return Err(InputError::Event(EventError::AlreadySignedUp).into());
                }
                if now > e.closes_at + crate::domain::limits::CLOCK_TOLERANCE
                    || now + crate::domain::limits::CLOCK_TOLERANCE < e.opens_at
                {
                    return Err(InputError::Event(EventError::NotOpen).into());
                }
                let list = list_or_new(doc, "signups")?;
                let at = doc.length(&list);
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    let s = tx.insert_object(&list, at, ObjType::Map)?;
                    tx.put(&s, "person", person.as_str())?;
                    tx.put(&s, "household", household.as_str())?;
                    tx.put(&s, "name", name.as_str())?;
                    tx.put(&s, "by", by.as_str())?;
                    tx.put(&s, "at", now)?;
                    if !role.is_empty() {
                        tx.put(&s, "role", role.as_str())?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            EventCommand::Cancel { signup } => {
                let e = Event::read(doc)?;
                let s = e
                    .signup(signup)
                    .filter(|s| s.cancelled_at.is_none())
                    .ok_or(InputError::Event(EventError::NoSignUp))?;
                let obj = doc
                    .import_obj(&s.id)
                    .map_err(|_| ModelError::Malformed("signups"))?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(&obj, "cancelled_at", now)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            EventCommand::CheckIn { person, by } => {
                let e = Event::read(doc)?;
                if e.presence(person).is_some_and(|(_, out)| out.is_none()) {
                    return Err(InputError::Event(EventError::AlreadyIn).into());
                }
                let list = list_or_new(doc, "attendance")?;
                let at = doc.length(&list);
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    let a = tx.insert_object(&list, at, ObjType::Map)?;
                    tx.put(&a, "person", person.as_str())?;
                    tx.put(&a, "in_at", now)?;
                    tx.put(&a, "by", by.as_str())?;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            EventCommand::CheckOut { person } => {
                let e = Event::read(doc)?;
                let entry = e
                    .attendance
                    .iter()
                    .filter(|a| a.person == *person && a.out_at.is_none())
                    .min_by_key(|a| a.in_at)
                    .ok_or(InputError::Event(EventError::NotIn))?;
                let obj = doc
                    .import_obj(&entry.id)
                    .map_err(|_| ModelError::Malformed("attendance"))?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(&obj, "out_at", now))
                    .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
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

/// Writes what an event is; `created` (by, name, time) when it is being created.
fn write(
    doc: &mut Automerge,
    draft: &EventDraft,
    created: Option<(&String, &String, Millis)>,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    let template = draft.template.ok_or(InputError::CategoryMissing)?;
    let (starts, ends, opens, closes) = draft.times().ok_or(InputError::BadDate)?;
    let capacity = draft
        .capacity()
        .ok_or(InputError::Event(EventError::BadCapacity))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if let Some((by, by_name, now)) = created {
            tx.put(ROOT, "kind", DocKind::Event.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "created_at", now)?;
            tx.put(ROOT, "by", by.as_str())?;
            tx.put(ROOT, "by_name", by_name.as_str())?;
            tx.put_object(ROOT, "signups", ObjType::List)?;
            tx.put_object(ROOT, "attendance", ObjType::List)?;
            if !draft.photos.is_empty() {
                crate::docutil::put_strings(tx, &ROOT, "photos", &draft.photos)?;
            }
            if !draft.repeat_of.is_empty() {
                tx.put(ROOT, "repeat_of", draft.repeat_of.as_str())?;
            }
        }
        tx.put(ROOT, "title", draft.title.trim())?;
        tx.put(ROOT, "template", template.as_str())?;
        tx.put(ROOT, "description", draft.description.trim())?;
        tx.put(ROOT, "place", draft.place.trim())?;
        tx.put(ROOT, "starts_at", starts)?;
        tx.put(ROOT, "ends_at", ends)?;
        tx.put(ROOT, "opens_at", opens)?;
        tx.put(ROOT, "closes_at", closes)?;
        tx.put(ROOT, "capacity", i64::from(capacity))?;
        tx.put(ROOT, "per", draft.per.as_str())?;
        let roles = tx.put_object(ROOT, "roles", ObjType::List)?;
        for (i, r) in draft.roles.iter().enumerate() {
            let m = tx.insert_object(&roles, i, ObjType::Map)?;
            tx.put(&m, "role", r.role.trim())?;
            tx.put(&m, "count", i64::from(r.count))?;
        }
        crate::docutil::put_strings(tx, &ROOT, "organisers", &draft.organisers)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "title",
    "template",
    "description",
    "photos",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "opens_at",
    "closes_at",
    "per",
    "roles",
    "organisers",
    "repeat_of",
    "created_at",
    "by",
    "by_name",
    "signups",
    "attendance",
];

/// The event kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "event";
    type Summary = Event;
    type Command = EventCommand;

    fn apply(doc: &mut Automerge, command: &EventCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Event> {
        Event::read(doc).ok()
    }

    /// Everyone in the community.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    /// The seats each pool gives and the sign-ups already cancelled, before the changes.
    fn prior(doc: &Automerge, _changes: &[Change]) -> Option<Prior> {
        Event::read(doc)
            .ok()
            .map(|e| Prior::new(rules::Before::of(&e)))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (_, "title") => TITLE_MAX,
            (_, "place") => PLACE_MAX,
            (_, "description") => DESCRIPTION_MAX,
            (_, "role") => ROLE_MAX,
            (_, "name" | "by_name") => NAME_MAX,
            (Some("photos" | "organisers"), "*") => ID_MAX,
            (_, "template" | "per" | "person" | "by" | "repeat_of") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "photos" => PHOTOS_MAX,
            "roles" => ROLES_MAX,
            "organisers" => ORGANISERS_MAX,
            "signups" => SIGNUPS_MAX,
            "attendance" => ATTENDANCE_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] =
        &["created_at", "at", "cancelled_at", "in_at", "out_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    /// Read by the whole community.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "description", "place"];

    fn photos(doc: &Automerge) -> Vec<String> {
        get_strings(doc, &ROOT, "photos")
    }

    /// Any change may add a sign-up: the relay reads the event and appends what is new.
    fn projects(_changes: &[Change]) -> bool {
        true
    }

    /// The event's roster: the relay appends each sign-up the first time it sees it.
    fn projection(id: &DocumentId, doc: &Automerge, now: Millis) -> Option<Projection> {
        let e = Event::read(doc).ok()?;
        let event = id.to_string();
        let group = event.clone();
        Some(Projection {
            kind: DocKind::Roster,
            group,
            create: Box::new(move |d| roster::create(d, &event)),
            update: Box::new(move |d| roster::append(d, &e, now)),
            forgets: false,
        })
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's sign-ups and attendance stay (the seats and counts hold) without
    /// their name or id.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let named: Vec<(automerge::ObjId, bool, bool)> = ["signups", "attendance"]
            .into_iter()
            .filter_map(|l| get_obj(doc, &ROOT, l, ObjType::List))
            .flat_map(|l| list_maps(doc, &l))
            .filter_map(|e| {
                let theirs = get_str(doc, &e, "person").as_deref() == Some(person);
                let wrote = get_str(doc, &e, "by").as_deref() == Some(person);
                (theirs || wrote).then_some((e, theirs, wrote))
            })
            .collect();
        let own_root = get_str(doc, &ROOT, "by").as_deref() == Some(person);
        if named.is_empty() && !own_root {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                if own_root {
                    tx.put(ROOT, "by", "erased")?;
                    tx.put(ROOT, "by_name", "")?;
                }
                for (e, theirs, wrote) in &named {
                    if *theirs {
                        tx.put(e, "person", crate::domain::requests::ERASED)?;
                        if tx.get(e, "name")?.is_some() {
                            tx.put(e, "name", "")?;
                            tx.put(e, "household", "")?;
                        }
                    }
                    if *wrote {
                        tx.put(e, "by", "erased")?;
                    }
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }
}
