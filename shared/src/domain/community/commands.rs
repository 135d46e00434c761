//! What staff change in the community's settings, as data.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::{
    DayKind, DeadlineMode, add_calendar_date, add_category, add_template, remove_calendar_date,
    remove_template, set_deadline, set_deadline_mode, set_workdays,
};
use crate::domain::ModelError;
use crate::domain::requests::Colour;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CommunityCommand {
    /// The answer window of a colour, in hours (1 hour to 90 days).
    SetDeadline {
        colour: Colour,
        hours: i64,
    },
    AddCategory {
        id: String,
        zh: String,
        en: String,
    },
    AddTemplate {
        text: String,
    },
    /// Removes the answer template at `index`.
    RemoveTemplate {
        index: usize,
    },
    /// Counts answer windows in calendar hours or in working days.
    SetDeadlineMode {
        mode: DeadlineMode,
    },
    /// The answer window of a colour in working days (1 to 60).
    SetWorkdays {
        colour: Colour,
        days: i64,
    },
    /// Adds a date (`YYYY-MM-DD`) to the community's holiday table, as a holiday 放假 or a
    /// make-up working day 调休上班.
    AddCalendarDate {
        date: String,
        day: DayKind,
    },
    /// Removes a date staff added to the holiday table.
    RemoveCalendarDate {
        date: String,
    },
}

impl CommunityCommand {
    pub fn apply(&self, doc: &mut Automerge, _now: Millis) -> Result<(), ModelError> {
        match self {
            CommunityCommand::SetDeadline { colour, hours } => set_deadline(doc, *colour, *hours),
            CommunityCommand::AddCategory { id, zh, en } => add_category(doc, id, zh, en),
            CommunityCommand::AddTemplate { text } => add_template(doc, text),
            CommunityCommand::RemoveTemplate { index } => remove_template(doc, *index),
            CommunityCommand::SetDeadlineMode { mode } => set_deadline_mode(doc, *mode),
            CommunityCommand::SetWorkdays { colour, days } => set_workdays(doc, *colour, *days),
            CommunityCommand::AddCalendarDate { date, day } => add_calendar_date(doc, date, *day),
            CommunityCommand::RemoveCalendarDate { date } => remove_calendar_date(doc, date),
        }
    }
}
