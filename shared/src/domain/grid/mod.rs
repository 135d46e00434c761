//! A grid 网格 of the community: its iron triangle 铁三角 (a party member, a building leader
//! and a property steward, people staff assign), its buildings and its patrol plan (which
//! rounds on which weekdays). One document per grid, scoped to it.
//!
//! The team is a right the relay checks: [`DocType::team`] gives the relay the members, who
//! then read and write their grid's patrols ([`crate::domain::patrols`]) and nothing of any
//! other grid.

mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{get_obj, get_str, list_strings};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

/// Most buildings a grid lists.
pub const BUILDINGS_MAX: usize = 40;
/// A building's name (`13号楼`).
pub const BUILDING_MAX: usize = 30;

/// A seat of the iron triangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// 党员
    PartyMember,
    /// 楼组长
    BuildingLeader,
    /// 物业管家
    Steward,
}

impl Position {
    pub const ALL: [Position; 3] = [
        Position::PartyMember,
        Position::BuildingLeader,
        Position::Steward,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Position::PartyMember => "party_member",
            Position::BuildingLeader => "building_leader",
            Position::Steward => "steward",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The three rounds of the day: 早巡, 午访, 夜谈.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    /// 早巡: a morning walk of the grid.
    Morning,
    /// 午访: midday visits to elders living alone.
    Midday,
    /// 夜谈: an evening talk with residents.
    Evening,
}

impl Round {
    pub const ALL: [Round; 3] = [Round::Morning, Round::Midday, Round::Evening];

    pub fn as_str(self) -> &'static str {
        match self {
            Round::Morning => "morning",
            Round::Midday => "midday",
            Round::Evening => "evening",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One seat of the team, filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub position: Position,
    pub person: String,
    /// Their name as the relay's records have it.
    pub name: String,
}

/// What a device keeps of a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridInfo {
    pub grid: String,
    pub team: Vec<Member>,
    pub buildings: Vec<String>,
    /// Per round, the ISO weekdays (1 = Monday … 7 = Sunday) it is planned on.
    pub plan: Vec<(Round, Vec<u8>)>,
}

impl GridInfo {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Grid)?;
        let grid = get_str(doc, &ROOT, "grid").ok_or(ModelError::Malformed("grid"))?;
        let mut team = Vec::new();
        if let Some(t) = get_obj(doc, &ROOT, "team", ObjType::Map) {
            for position in Position::ALL {
                if let Some(m) = get_obj(doc, &t, position.as_str(), ObjType::Map) {
                    let person = get_str(doc, &m, "person").unwrap_or_default();
                    if !person.is_empty() {
                        team.push(Member {
                            position,
                            person,
                            name: get_str(doc, &m, "name").unwrap_or_default(),
                        });
                    }
                }
            }
        }
        let buildings = get_obj(doc, &ROOT, "buildings", ObjType::List)
            .map(|l| list_strings(doc, &l))
            .unwrap_or_default();
        let mut plan = Vec::new();
        if let Some(p) = get_obj(doc, &ROOT, "plan", ObjType::Map) {
            for round in Round::ALL {
                if let Some(days) = get_obj(doc, &p, round.as_str(), ObjType::List) {
                    let mut d: Vec<u8> = doc
                        .list_range(&days, ..)
                        .filter_map(|i| match i.value {
                            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => {
                                u8::try_from(n).ok().filter(|n| (1..=7).contains(n))
                            }
                            _ => None,
                        })
                        .collect();
                    d.sort_unstable();
                    d.dedup();
                    plan.push((round, d));
                }
            }
        }
        Ok(GridInfo {
            grid,
            team,
            buildings,
            plan,
        })
    }

    /// The weekdays a round is planned on.
    pub fn planned(&self, round: Round) -> &[u8] {
        self.plan
            .iter()
            .find(|(r, _)| *r == round)
            .map_or(&[], |(_, d)| d.as_slice())
    }

    pub fn member(&self, position: Position) -> Option<&Member> {
        self.team.iter().find(|m| m.position == position)
    }

    /// Whether this person is on the team.
    pub fn has_member(&self, person: &str) -> bool {
        self.team.iter().any(|m| m.person == person)
    }
}

/// The plan a new grid starts with: a morning round every day, midday visits on weekdays, an
/// evening talk twice a week.
pub fn default_plan() -> Vec<(Round, Vec<u8>)> {
    vec![
        (Round::Morning, vec![1, 2, 3, 4, 5, 6, 7]),
        (Round::Midday, vec![1, 2, 3, 4, 5]),
        (Round::Evening, vec![2, 4]),
    ]
}

/// What staff and grid workers do to a grid's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GridCommand {
    /// Writes a new grid into an empty document (staff).
    Create {
        grid: String,
        buildings: Vec<String>,
    },
    /// Fills a seat of the team (staff); `name` is the person's name on record.
    SetMember {
        position: Position,
        person: String,
        name: String,
    },
    /// Empties a seat (staff).
    ClearMember { position: Position },
    /// The grid's buildings (staff, the grid's workers).
    SetBuildings { buildings: Vec<String> },
    /// The weekdays a round is planned on (staff, the grid's workers).
    SetPlan { round: Round, days: Vec<u8> },
}

impl GridCommand {
    pub fn apply(&self, doc: &mut Automerge) -> Result<(), ModelError> {
        if let GridCommand::Create { grid, buildings } = self {
            return create_grid(doc, grid, buildings);
        }
        expect_kind(doc, DocKind::Grid)?;
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            match self {
                GridCommand::Create { .. } => {}
                GridCommand::SetMember {
                    position,
                    person,
                    name,
                } => {
                    let team = match tx.get(ROOT, "team")? {
                        Some((automerge::Value::Object(ObjType::Map), id)) => id,
                        _ => tx.put_object(ROOT, "team", ObjType::Map)?,
                    };
                    let m = tx.put_object(&team, position.as_str(), ObjType::Map)?;
                    tx.put(&m, "person", person.as_str())?;
                    tx.put(&m, "name", name.as_str())?;
                }
                GridCommand::ClearMember { position } => {
                    if let Some((_, team)) = tx.get(ROOT, "team")? {
                        tx.delete(&team, position.as_str())?;
                    }
                }
                GridCommand::SetBuildings { buildings } => {
                    let list = tx.put_object(ROOT, "buildings", ObjType::List)?;
                    for (i, b) in buildings.iter().enumerate() {
                        tx.insert(&list, i, b.trim())?;
                    }
                }
                GridCommand::SetPlan { round, days } => {
                    let plan = match tx.get(ROOT, "plan")? {
                        Some((automerge::Value::Object(ObjType::Map), id)) => id,
                        _ => tx.put_object(ROOT, "plan", ObjType::Map)?,
                    };
                    let mut d: Vec<u8> = days
                        .iter()
                        .copied()
                        .filter(|d| (1..=7).contains(d))
                        .collect();
                    d.sort_unstable();
                    d.dedup();
                    let list = tx.put_object(&plan, round.as_str(), ObjType::List)?;
                    for (i, day) in d.iter().enumerate() {
                        tx.insert(&list, i, i64::from(*day))?;
                    }
                }
            }
            Ok(())
        })
        .map_err(|f| f.error)?;
        Ok(())
    }
}

/// Writes a new grid (with the default plan) into an empty document.
pub fn create_grid(
    doc: &mut Automerge,
    grid: &str,
    buildings: &[String],
) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("grid"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Grid.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "grid", grid)?;
        tx.put_object(ROOT, "team", ObjType::Map)?;
        let list = tx.put_object(ROOT, "buildings", ObjType::List)?;
        for (i, b) in buildings.iter().enumerate() {
            tx.insert(&list, i, b.as_str())?;
        }
        let plan = tx.put_object(ROOT, "plan", ObjType::Map)?;
        for (round, days) in default_plan() {
            let l = tx.put_object(&plan, round.as_str(), ObjType::List)?;
            for (i, d) in days.iter().enumerate() {
                tx.insert(&l, i, i64::from(*d))?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The grid kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "grid";
    type Summary = GridInfo;
    type Command = GridCommand;

    fn apply(doc: &mut Automerge, command: &GridCommand, _now: Millis) -> Result<(), ModelError> {
        command.apply(doc)
    }

    fn summarise(doc: &Automerge) -> Option<GridInfo> {
        GridInfo::read(doc).ok()
    }

    /// Its residents (to know their team), its team, its grid workers, staff.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        let grid = scope.grid.as_deref();
        p.is_staff() || p.works_grid(grid) || p.lives_in(grid) || p.on_team(grid)
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .grid
            .is_none()
            .then_some("a grid document names its grid")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (Some("buildings"), "*") => BUILDING_MAX,
            (_, "name") => NAME_MAX,
            (_, "person") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        match field {
            "buildings" => Some(BUILDINGS_MAX),
            "morning" | "midday" | "evening" => Some(7),
            _ => None,
        }
    }

    fn team(doc: &Automerge) -> Option<Vec<String>> {
        let mut v: Vec<String> = GridInfo::read(doc)
            .ok()?
            .team
            .into_iter()
            .map(|m| m.person)
            .collect();
        v.sort();
        v.dedup();
        Some(v)
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person leaves their seat empty.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let info = GridInfo::read(doc).ok()?;
        let seats: Vec<Position> = info
            .team
            .iter()
            .filter(|m| m.person == person)
            .map(|m| m.position)
            .collect();
        (!seats.is_empty()).then(|| {
            for position in seats {
                GridCommand::ClearMember { position }.apply(doc)?;
            }
            Ok(Vec::new())
        })
    }
}

#[cfg(test)]
pub(crate) mod tests;
