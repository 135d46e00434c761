//! A volunteer's hours 志愿服务时长 for a period: the events they were checked in and out of
//! by the organiser (who confirms them by doing so), and the entries of their service log
//! that staff confirmed. An unconfirmed entry is listed as 待确认 and counts for nothing.
//! Pure: the pages and the certificate call it with what the phone holds.

use serde::{Deserialize, Serialize};

use super::{EntryKind, Volunteer};
use crate::domain::event::Event;
use crate::time::{MINUTE, Millis};

/// Where an activity comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// An event (its title), check-in to check-out.
    Event { title: String },
    /// An entry of the service log (its id and kind).
    Service { entry: String, kind: EntryKind },
}

/// One activity of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub at: Millis,
    pub source: Source,
    pub minutes: i64,
    /// Counted: an event with a check-out, or an entry staff confirmed.
    pub confirmed: bool,
    /// Who confirmed it (the organiser's or staff's name; empty while 待确认).
    pub confirmed_by: String,
    /// The elder helped, if any.
    pub elder: Option<String>,
    pub note: String,
}

/// The activities of a period (oldest first) and what they add up to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Hours {
    pub activities: Vec<Activity>,
    /// Confirmed minutes: what the certificate states.
    pub minutes: i64,
    /// Minutes waiting for staff (not counted).
    pub pending: i64,
}

impl Hours {
    /// Confirmed hours, to one decimal as a certificate writes them.
    pub fn hours(&self) -> f64 {
        minutes_to_hours(self.minutes)
    }

    pub fn confirmed(&self) -> impl Iterator<Item = &Activity> {
        self.activities.iter().filter(|a| a.confirmed)
    }
}

/// Minutes as hours, rounded to one decimal.
pub fn minutes_to_hours(minutes: i64) -> f64 {
    (minutes as f64 / 6.0).round() / 10.0
}

/// `person`'s hours from `from` (inclusive) to `to` (exclusive): events they were checked in
/// and out of (`name_of` gives the organiser's name; the event's author's name otherwise) and
/// the entries of their record `volunteer`.
pub fn hours<'a>(
    person: &str,
    volunteer: Option<&Volunteer>,
    events: impl IntoIterator<Item = &'a Event>,
    from: Millis,
    to: Millis,
    name_of: &dyn Fn(&str) -> Option<String>,
) -> Hours {
    let mut activities = Vec::new();
    for e in events {
        let Some((i, Some(o))) = e.presence(person) else {
            continue;
        };
        if !(from..to).contains(&i) || o <= i {
            continue;
        }
        let by = e
            .attendance
            .iter()
            .filter(|a| a.person == person && a.out_at.is_some())
            .max_by_key(|a| a.out_at)
            .map(|a| a.by.clone())
            .unwrap_or_default();
        let confirmed_by = name_of(&by)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| e.by_name.clone());
        activities.push(Activity {
            at: i,
            source: Source::Event {
                title: e.title.clone(),
            },
            minutes: (o - i) / MINUTE,
            confirmed: true,
            confirmed_by,
            elder: None,
            note: String::new(),
        });
    }
    for entry in volunteer.map(|v| v.entries.as_slice()).unwrap_or_default() {
        if !(from..to).contains(&entry.at) {
            continue;
        }
        activities.push(Activity {
            at: entry.at,
            source: Source::Service {
                entry: entry.id.clone(),
                kind: entry.kind,
            },
            minutes: entry.minutes,
            confirmed: entry.confirmed(),
            confirmed_by: entry.confirmed_by_name.clone(),
            elder: entry.elder.clone(),
            note: entry.note.clone(),
        });
    }
    activities.sort_by_key(|a| a.at);
    let minutes = activities
        .iter()
        .filter(|a| a.confirmed)
        .map(|a| a.minutes)
        .sum();
    let pending = activities
        .iter()
        .filter(|a| !a.confirmed)
        .map(|a| a.minutes)
        .sum();
    Hours {
        activities,
        minutes,
        pending,
    }
}
