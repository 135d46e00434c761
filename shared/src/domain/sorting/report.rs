//! The rate of mixed disposal 混投率: of the routine inspections (a follow-up of a reminder
//! looks at one household on purpose, so it is left out), how many found the bins mixed, per
//! building and per month.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Inspection, SortResult};
use crate::domain::patrols::month_of;

/// One building's or one month's inspections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    /// The building, or the month (`YYYY-MM`).
    pub key: String,
    pub inspected: u32,
    pub mixed: u32,
}

impl RateRow {
    /// The share found mixed, in whole per cent; `None` when nothing was inspected (no data,
    /// never 0%).
    pub fn percent(&self) -> Option<u32> {
        (self.inspected > 0).then(|| (self.mixed * 100 + self.inspected / 2) / self.inspected)
    }
}

fn rows<'a>(
    inspections: impl IntoIterator<Item = &'a Inspection>,
    key: impl Fn(&Inspection) -> String,
) -> Vec<RateRow> {
    let mut by: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for i in inspections.into_iter().filter(|i| i.follows.is_empty()) {
        let e = by.entry(key(i)).or_default();
        e.0 += 1;
        if i.result == SortResult::Mixed {
            e.1 += 1;
        }
    }
    by.into_iter()
        .map(|(key, (inspected, mixed))| RateRow {
            key,
            inspected,
            mixed,
        })
        .collect()
}

/// Per building, in the order of their names.
pub fn by_building<'a>(inspections: impl IntoIterator<Item = &'a Inspection>) -> Vec<RateRow> {
    rows(inspections, |i| i.building.clone())
}

/// Per month (Shanghai time), oldest first.
pub fn by_month<'a>(inspections: impl IntoIterator<Item = &'a Inspection>) -> Vec<RateRow> {
    rows(inspections, |i| month_of(i.at))
}
