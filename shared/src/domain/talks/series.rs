//! The series of talks: when and where they meet (weekly; Wednesday by default). Every
//! enrolled device reads it; staff alone write it.

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use serde::{Deserialize, Serialize};

use super::commands::valid_clock;
use super::limits;
use crate::api::RefusalCode;
use crate::docutil::Fields;
use crate::domain::errors::check_text;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

/// The schedule of the talks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub title: String,
    /// ISO weekday, 1 = Monday … 7 = Sunday (3 = Wednesday, the default).
    pub weekday: u8,
    /// `HH:MM`.
    pub time: String,
    pub place: String,
}

impl Series {
    pub fn read(doc: &Automerge) -> Result<Series, ModelError> {
        expect_kind(doc, DocKind::TalkSeries)?;
        let f = Fields::of(doc, &ROOT);
        Ok(Series {
            title: f.str("title").unwrap_or_default(),
            weekday: f
                .i64("weekday")
                .and_then(|d| u8::try_from(d).ok())
                .filter(|d| (1..=7).contains(d))
                .unwrap_or(3),
            time: f.str("time").unwrap_or_default(),
            place: f.str("place").unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum SeriesCommand {
    /// Creates the series (an empty document) or changes its schedule.
    Set { series: Series },
}

impl SeriesCommand {
    pub fn apply(&self, doc: &mut Automerge, _now: Millis) -> Result<(), ModelError> {
        let SeriesCommand::Set { series } = self;
        if !(1..=7).contains(&series.weekday) {
            return Err(InputError::BadDate.into());
        }
        if !valid_clock(&series.time) {
            return Err(InputError::BadClock.into());
        }
        let title = check_text(&series.title, limits::TITLE_MAX)?;
        let place = check_text(&series.place, limits::PLACE_MAX)?;
        let new = doc_kind(doc).is_none();
        if !new {
            expect_kind(doc, DocKind::TalkSeries)?;
        }
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            if new {
                tx.put(ROOT, "kind", DocKind::TalkSeries.as_str())?;
                tx.put(ROOT, "schema", SCHEMA)?;
            }
            tx.put(ROOT, "title", title.as_str())?;
            tx.put(ROOT, "weekday", i64::from(series.weekday))?;
            tx.put(ROOT, "time", series.time.as_str())?;
            tx.put(ROOT, "place", place.as_str())?;
            Ok(())
        })
        .map_err(|f| f.error)?;
        Ok(())
    }
}

/// What a device keeps of the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesSummary {
    pub series: Series,
}

/// The talk series kind in the registry.
pub struct SeriesKind;

impl DocType for SeriesKind {
    const NAME: &'static str = "talk_series";
    type Summary = SeriesSummary;
    type Command = SeriesCommand;

    fn summarise(doc: &Automerge) -> Option<SeriesSummary> {
        Some(SeriesSummary {
            series: Series::read(doc).ok()?,
        })
    }

    fn apply(doc: &mut Automerge, command: &SeriesCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    /// Every enrolled device: when and where the talks meet is public.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    /// Staff alone.
    fn check(_w: &Write<'_>) -> Verdict {
        Err((
            RefusalCode::NotAllowed,
            "only staff set the talks' schedule".into(),
        ))
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        Some(match field {
            "title" => limits::TITLE_MAX,
            "place" => limits::PLACE_MAX,
            "time" => 5,
            _ => return None,
        })
    }
}
