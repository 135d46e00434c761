//! CSV exports of the community's registers, built on the phone from the summaries it holds
//! (pure: the app passes what it holds, who is exporting, the period and the scope).
//!
//! Every file is UTF-8 with a byte-order mark (so Excel in China reads the Chinese), one
//! header line, RFC 4180 quoting and CRLF line ends; a text field that starts with `=`, `+`,
//! `-` or `@` gets a leading `'` so a spreadsheet does not run it as a formula (a number such
//! as `-980.50` stays a number).
//!
//! **Personal data** (names, flats, phones, person ids) goes into a file only where the
//! exporter's role may see it. Each register says its rule in [`Register::personal`] and in
//! the doc comment of its function in [`registers`]; ARCHITECTURE.md has the table. In short:
//! staff see every register's personal columns; a grid worker (or a member of a grid's
//! team) sees them for the records of their own grids and blank cells elsewhere; a resident
//! or a volunteer never gets another household's personal data (their files have no name
//! columns, or only their own).

pub mod registers;
#[cfg(test)]
mod tests;

use crate::domain::charter::Charter;
use crate::domain::community::DeadlineConfig;
use crate::domain::event::{Event, Roster};
use crate::domain::field_note::FieldNote;
use crate::domain::fund::Ledger;
use crate::domain::merchant::Merchant;
use crate::domain::patrols::PatrolLog;
use crate::domain::people::Person;
use crate::domain::proposal::Proposal;
use crate::domain::requests::Request;
use crate::domain::sorting::SortingLog;
use crate::domain::talks::Talk;
use crate::domain::training::Training;
use crate::domain::volunteer::Volunteer;
use crate::domain::works::Work;
use crate::ids::DocumentId;
use crate::policy::Role;
use crate::time::Millis;

/// The byte-order mark every file starts with.
pub const BOM: char = '\u{feff}';

/// A CSV file being written: a header, then rows of as many fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csv {
    text: String,
    columns: usize,
    rows: usize,
}

impl Csv {
    /// A file with its byte-order mark and header line.
    pub fn new(header: &[&str]) -> Self {
        let mut csv = Csv {
            text: String::from(BOM),
            columns: header.len(),
            rows: 0,
        };
        csv.line(header.iter().map(|h| field(h)));
        csv
    }

    fn line(&mut self, fields: impl Iterator<Item = String>) {
        let fields: Vec<String> = fields.collect();
        self.text.push_str(&fields.join(","));
        self.text.push_str("\r\n");
    }

    /// Adds a row; a short row is padded with empty fields, a long one cut to the header.
    pub fn row<S: AsRef<str>>(&mut self, fields: &[S]) {
        let columns = self.columns;
        let cells = fields
            .iter()
            .map(|f| field(f.as_ref()))
            .chain(std::iter::repeat(String::new()))
            .take(columns);
        self.line(cells);
        self.rows += 1;
    }

    /// Rows written (the header not counted).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The header's column names.
    pub fn header(&self) -> Vec<String> {
        self.text
            .trim_start_matches(BOM)
            .split("\r\n")
            .next()
            .map(|h| h.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }
}

/// One CSV field: guarded against formulas, quoted when it must be (RFC 4180).
pub fn field(s: &str) -> String {
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@']) && !is_number(s) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A plain decimal number: an optional sign, digits, an optional fraction.
fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(body.contains('.') && frac.is_empty())
}

/// Who is exporting, as their phone knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exporter {
    pub person: String,
    pub role: Option<Role>,
    pub household: Option<String>,
    /// Grids a grid worker works.
    pub grids: Vec<String>,
    /// Grids whose team (铁三角) the person is on.
    pub team_grids: Vec<String>,
}

impl Exporter {
    pub fn new(person: &str, role: Role) -> Self {
        Exporter {
            person: person.to_string(),
            role: Some(role),
            ..Exporter::default()
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role == Some(Role::Staff)
    }

    /// A grid worker of this grid, or on its team.
    pub fn looks_after(&self, grid: &str) -> bool {
        (self.role == Some(Role::GridWorker) && self.grids.iter().any(|g| g == grid))
            || self.team_grids.iter().any(|g| g == grid)
    }

    /// Looks after some grid (a grid worker, or on a team).
    pub fn looks_after_any(&self) -> bool {
        (self.role == Some(Role::GridWorker) && !self.grids.is_empty())
            || !self.team_grids.is_empty()
    }

    /// May see the personal data of a record of this grid and household: staff; a grid
    /// worker or team member of the grid; the household itself.
    pub fn sees(&self, grid: &str, household: &str) -> bool {
        self.is_staff()
            || self.looks_after(grid)
            || (!household.is_empty() && self.household.as_deref() == Some(household))
    }
}

/// The period (`from` inclusive, `to` exclusive) and the scope (the community, or one grid;
/// it narrows the registers whose records have a grid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub from: Millis,
    pub to: Millis,
    pub grid: Option<String>,
}

impl Filter {
    /// The year before `now` (the page's default), community-wide.
    pub fn last_year(now: Millis) -> Self {
        Filter {
            from: now - 365 * crate::time::DAY,
            to: now + crate::time::DAY,
            grid: None,
        }
    }

    pub fn within(&self, at: Millis) -> bool {
        (self.from..self.to).contains(&at)
    }

    /// Whether a record of this grid is in the scope (a record of no grid, such as a
    /// community-wide work, only in the community's).
    pub fn in_scope(&self, grid: &str) -> bool {
        self.grid.as_deref().is_none_or(|g| g == grid)
    }
}

/// What the phone holds, as the registers need it.
#[derive(Debug, Clone, Copy)]
pub struct Held<'a> {
    pub requests: &'a [(DocumentId, Request)],
    pub people: &'a [Person],
    pub talks: &'a [Talk],
    pub ledger: Option<&'a Ledger>,
    pub proposals: &'a [(DocumentId, Proposal)],
    /// Each event with its roster (the relay's order of sign-ups), when held.
    pub events: &'a [(Event, Option<Roster>)],
    pub volunteers: &'a [Volunteer],
    pub patrols: &'a [PatrolLog],
    pub sorting: &'a [SortingLog],
    pub merchants: &'a [Merchant],
    pub works: &'a [Work],
    /// Field notes: only those the exporter may read reach the phone.
    pub notes: &'a [FieldNote],
    /// Governance-school sessions 社区治理学院 (everyone's phone holds them all).
    pub trainings: &'a [Training],
    /// Charter and rules documents 社区公约 (everyone's phone holds them all).
    pub charters: &'a [Charter],
    /// The community's resources 社区资源 (a phone holds the public ones, its person's own,
    /// and, for staff, every one).
    pub resources: &'a [crate::domain::resource::Resource],
    /// Children's drawings: the drawing documents held (staff: all; a family: theirs), and
    /// the community's gallery (the shown ones, without the guardian).
    pub drawings: &'a [(DocumentId, crate::domain::drawing::Drawing)],
    pub drawing_gallery: Option<&'a crate::domain::drawing::Gallery>,
    pub deadlines: &'a DeadlineConfig,
    pub now: Millis,
    /// The indicators of the export's scopes (the community or a grid; a grid worker's
    /// grids), when the indicators register is asked for.
    pub indicators: &'a [&'a crate::indicators::Index],
}

impl Held<'_> {
    /// The person record of `id`, if held.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// A person's name from their record, if held.
    pub fn name(&self, id: &str) -> Option<String> {
        self.person(id).map(|p| p.name.clone())
    }
}

/// The registers one can export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Register {
    Requests,
    Talks,
    Ledger,
    Projects,
    Events,
    VolunteerHours,
    Patrols,
    Sorting,
    Merchants,
    Works,
    /// Field notes 田野笔记: staff, grid workers, and volunteers (their own).
    Notes,
    /// The 30 indicators of the period and scope, with the previous period's values
    /// (`shared::indicators::rows`). Staff and grid workers.
    Indicators,
    /// Governance-school sessions 社区治理学院: everyone; participants' names for staff.
    Trainings,
    /// Charter and rules 社区公约, one row per adopted version: everyone; who recorded it for
    /// staff.
    Charters,
    /// The resources register 社区资源: everyone; the people behind talents, their consents
    /// and contacts for staff.
    Resources,
    /// Children's drawings 童眼看社区: everyone (what they can read); the guardian for staff.
    Drawings,
}

impl Register {
    /// The registers the exports page lists, in its order.
    pub const ALL: [Register; 16] = [
        Register::Requests,
        Register::Talks,
        Register::Ledger,
        Register::Projects,
        Register::Events,
        Register::VolunteerHours,
        Register::Patrols,
        Register::Sorting,
        Register::Merchants,
        Register::Works,
        Register::Notes,
        Register::Trainings,
        Register::Charters,
        Register::Resources,
        Register::Drawings,
        Register::Indicators,
    ];

    /// The file's name (without `.csv`).
    pub fn slug(self) -> &'static str {
        match self {
            Register::Requests => "requests",
            Register::Talks => "talks",
            Register::Ledger => "ledger",
            Register::Projects => "projects",
            Register::Events => "events",
            Register::VolunteerHours => "volunteer-hours",
            Register::Patrols => "patrols",
            Register::Sorting => "sorting",
            Register::Merchants => "merchant-credit",
            Register::Works => "works",
            Register::Notes => "field-notes",
            Register::Indicators => "indicators",
            Register::Trainings => "trainings",
            Register::Charters => "charters",
            Register::Resources => "resources",
            Register::Drawings => "childrens-drawings",
        }
    }

    /// Its name: (zh-CN, English).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Register::Requests => ("诉求登记表", "requests register"),
            Register::Talks => ("四方会谈与决议", "meetings and decisions"),
            Register::Ledger => ("基金流水", "fund ledger"),
            Register::Projects => ("微创投项目", "micro-grant projects"),
            Register::Events => ("活动与签到", "events and attendance"),
            Register::VolunteerHours => ("志愿服务时长", "volunteer hours"),
            Register::Patrols => ("网格巡查", "patrols"),
            Register::Sorting => ("垃圾分类督导", "garbage-sorting inspections"),
            Register::Merchants => ("商户信用积分", "merchant credit"),
            Register::Works => ("设施改造", "facility works"),
            Register::Notes => ("田野笔记", "field notes"),
            Register::Indicators => ("关键指标", "indicators per period"),
            Register::Trainings => ("治理学院培训", "governance-school sessions"),
            Register::Charters => ("社区公约", "charter and rules"),
            Register::Resources => ("社区资源", "community resources"),
            Register::Drawings => ("童眼看社区：孩子们的画", "children's drawings"),
        }
    }

    /// Whether this person may export it at all. Residents: the public registers (events,
    /// works, the fund's ledger and projects, the governance school's sessions, the charter
    /// and rules). Volunteers: those and their own hours. Grid
    /// workers and grid teams: those and their grids' requests (grid workers), patrols,
    /// inspections and shops' credit, and the published talks. Field notes: staff, grid
    /// workers and volunteers (whose phones hold only their own). Staff: everything.
    pub fn offered_to(self, who: &Exporter) -> bool {
        let public = matches!(
            self,
            Register::Events
                | Register::Works
                | Register::Ledger
                | Register::Projects
                | Register::Trainings
                | Register::Charters
                | Register::Resources
                | Register::Drawings
        );
        match (self, who.role) {
            (_, Some(Role::Staff)) => true,
            _ if public => true,
            (Register::VolunteerHours, Some(Role::Volunteer)) => true,
            (Register::Notes, Some(Role::GridWorker | Role::Volunteer)) => true,
            (
                Register::Requests | Register::Talks | Register::Indicators,
                Some(Role::GridWorker),
            ) => true,
            (Register::Patrols | Register::Sorting | Register::Merchants, _) => {
                who.looks_after_any()
            }
            _ => false,
        }
    }

    /// Whether its file has personal columns for this person (the cells may still be blank
    /// for records they may not see; see each register's function).
    pub fn personal(self, who: &Exporter) -> bool {
        match self {
            // Their own household's requests for residents and volunteers; their grids'
            // for grid workers; all for staff.
            Register::Requests => true,
            // The volunteer's own name (and hours); staff see everyone's.
            Register::VolunteerHours => true,
            // Who walked, who inspected: the grid's people and staff.
            Register::Patrols | Register::Sorting | Register::Merchants => {
                who.is_staff() || who.looks_after_any()
            }
            // Names in the public registers (who spent, who leads, who came, who
            // registered a work, who owns an action item): staff only.
            Register::Talks
            | Register::Ledger
            | Register::Projects
            | Register::Events
            | Register::Works
            | Register::Trainings
            | Register::Charters
            | Register::Resources
            | Register::Drawings => who.is_staff(),
            // Who wrote each note: staff and grid workers (who read every note); a
            // volunteer's file holds only her own notes and no author column.
            Register::Notes => matches!(who.role, Some(Role::Staff | Role::GridWorker)),
            Register::Indicators => false,
        }
    }

    /// The register's file for this person, period and scope.
    pub fn build(self, held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
        use registers as r;
        match self {
            Register::Requests => r::requests(held, who, filter),
            Register::Talks => r::talks(held, who, filter),
            Register::Ledger => r::ledger(held, who, filter),
            Register::Projects => r::projects(held, who),
            Register::Events => r::events(held, who, filter),
            Register::VolunteerHours => r::volunteer_hours(held, who, filter),
            Register::Patrols => r::patrols(held, who, filter),
            Register::Sorting => r::sorting(held, who, filter),
            Register::Merchants => r::merchants(held, who, filter),
            Register::Works => r::works(held, who, filter),
            Register::Notes => r::notes(held, who, filter),
            Register::Indicators => indicators(held, filter),
            Register::Trainings => r::trainings(held, who, filter),
            Register::Charters => r::charters(held, who, filter),
            Register::Resources => r::resources(held, who, filter),
            Register::Drawings => r::drawings(held, who, filter),
        }
    }
}

/// Every indicator of the filter's period, with the previous period's value
/// ([`crate::indicators::rows`]), for each of the export's scopes: figures only, no personal
/// data. Without an index (nothing computed yet) the file has only its header.
fn indicators(held: &Held<'_>, filter: &Filter) -> Csv {
    use crate::indicators::{Period, ROWS_HEADER, rows};
    let mut csv = Csv::new(&ROWS_HEADER);
    for index in held.indicators {
        for row in rows(index, Period::new(filter.from, filter.to)) {
            csv.row(&row);
        }
    }
    csv
}

/// `YYYY-MM-DD` in China time.
pub fn date(at: Millis) -> String {
    let t = crate::time::LocalDateTime::shanghai(at);
    format!("{:04}-{:02}-{:02}", t.year, t.month, t.day)
}

/// `YYYY-MM-DD HH:MM` in China time.
pub fn date_time(at: Millis) -> String {
    crate::time::LocalDateTime::shanghai(at).format()
}

/// The instant a `YYYY-MM-DD` day starts in China.
pub fn day_start(date: &str) -> Option<Millis> {
    let mut parts = date.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| crate::time::shanghai_midnight(y, m, d))
}
