//! The community document: its name, grids, request categories, answer templates and the
//! deadline settings (hours per colour, or working days per colour with the holiday table's
//! staff-added dates). Public to every enrolled device; staff write it.

pub mod calendar;
mod commands;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, get_strings, map_keys};
use crate::domain::errors::check_text;
use crate::domain::requests::Colour;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

pub use calendar::DayKind;
pub use commands::CommunityCommand;

/// Answer templates in the community document, and the length of each.
pub const TEMPLATES_MAX: usize = 100;
pub const TEMPLATE_MAX: usize = 2_000;
/// Staff-added dates of each list (holidays, make-up working days): a few years' worth.
pub const CALENDAR_DATES_MAX: usize = 200;
/// The most working days a colour's window may span (about three months).
pub const WORKDAYS_MAX: i64 = 60;

/// What a device keeps of the community (stored as `{"kind":"community","community":{…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunitySummary {
    pub community: Community,
}

/// The community kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "community";
    type Summary = CommunitySummary;
    type Command = CommunityCommand;

    fn apply(
        doc: &mut Automerge,
        command: &CommunityCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<CommunitySummary> {
        Some(CommunitySummary {
            community: Community::read(doc).ok()?,
        })
    }

    /// Public to everyone enrolled: no personal data in it.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(_w: &Write<'_>) -> Verdict {
        Err((
            RefusalCode::NotAllowed,
            "only staff change the community".into(),
        ))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::NAME_MAX;
        Some(match (parent, field) {
            (Some("templates"), "*") => TEMPLATE_MAX,
            (Some("extra_holidays" | "extra_workdays"), "*") => "YYYY-MM-DD".len(),
            (_, "deadline_mode") => "working_days".len(),
            (_, "zh" | "en") => NAME_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        match field {
            "templates" => Some(TEMPLATES_MAX),
            "extra_holidays" | "extra_workdays" => Some(CALENDAR_DATES_MAX),
            _ => None,
        }
    }

    const DEFINES_GRIDS: bool = true;

    fn grids(doc: &Automerge) -> Option<Vec<String>> {
        Some(
            Community::read(doc)
                .ok()?
                .grids
                .into_iter()
                .map(|g| g.id)
                .collect(),
        )
    }
}

/// How a community counts its answer windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineMode {
    /// Hours on the clock, weekends and holidays included (the default, and what a document
    /// written before the choice existed reads as).
    #[default]
    Calendar,
    /// Working days 工作日: Monday to Friday, less public holidays, plus make-up working days
    /// ([`calendar`]).
    WorkingDays,
}

impl DeadlineMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineMode::Calendar => "calendar",
            DeadlineMode::WorkingDays => "working_days",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "calendar" => Some(DeadlineMode::Calendar),
            "working_days" => Some(DeadlineMode::WorkingDays),
            _ => None,
        }
    }
}

/// Answer windows per colour in working days (used in [`DeadlineMode::WorkingDays`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkdayCounts {
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
}

impl WorkdayCounts {
    /// 2 / 5 / 15 working days, matching the calendar defaults of 48 h / 5 d / 15 d.
    pub const DEFAULT: WorkdayCounts = WorkdayCounts {
        red: 2,
        yellow: 5,
        blue: 15,
    };

    pub fn days(&self, colour: Colour) -> i64 {
        match colour {
            Colour::Red => self.red,
            Colour::Yellow => self.yellow,
            Colour::Blue => self.blue,
        }
    }

    fn set(&mut self, colour: Colour, days: i64) {
        match colour {
            Colour::Red => self.red = days,
            Colour::Yellow => self.yellow = days,
            Colour::Blue => self.blue = days,
        }
    }
}

impl Default for WorkdayCounts {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Answer windows per colour, in hours or in working days; staff may change them per
/// community. (Kept beside the community's summary as JSON, which the first paint reads: the
/// fields added with working days default when an older summary lacks them.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineConfig {
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
    #[serde(default)]
    pub mode: DeadlineMode,
    #[serde(default)]
    pub workdays: WorkdayCounts,
    /// Holidays staff added to the shipped table (`YYYY-MM-DD`).
    #[serde(default)]
    pub extra_holidays: Vec<String>,
    /// Make-up working days staff added to the shipped table (`YYYY-MM-DD`).
    #[serde(default)]
    pub extra_workdays: Vec<String>,
}

impl Default for DeadlineConfig {
    fn default() -> Self {
        Self {
            red: Colour::Red.default_hours(),
            yellow: Colour::Yellow.default_hours(),
            blue: Colour::Blue.default_hours(),
            mode: DeadlineMode::Calendar,
            workdays: WorkdayCounts::DEFAULT,
            extra_holidays: Vec::new(),
            extra_workdays: Vec::new(),
        }
    }
}

impl DeadlineConfig {
    pub fn hours(&self, colour: Colour) -> i64 {
        match colour {
            Colour::Red => self.red,
            Colour::Yellow => self.yellow,
            Colour::Blue => self.blue,
        }
    }

    /// Whether a Shanghai calendar day (days since 1970-01-01) is a working day, with this
    /// community's own dates over the shipped table.
    pub fn is_working_day(&self, day: i64) -> bool {
        calendar::is_working_day(day, &self.extra_holidays, &self.extra_workdays)
    }

    /// Whether this community's deadlines may fall on a day of a year the shipped table does
    /// not cover and staff added no date for: that year counts Monday to Friday only.
    pub fn year_unknown(&self, day: i64) -> bool {
        let year = crate::time::civil_from_days(day).0;
        let staff_added = self
            .extra_holidays
            .iter()
            .chain(&self.extra_workdays)
            .filter_map(|s| calendar::parse_date(s))
            .any(|d| crate::time::civil_from_days(d).0 == year);
        !calendar::table_covers(day) && !staff_added
    }
}

/// A grid 网格 of the community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    pub id: String,
    pub name: String,
}

/// A request category, named in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub zh: String,
    pub en: String,
}

/// The community document: public data every enrolled device holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub name: String,
    pub grids: Vec<Grid>,
    pub categories: Vec<Category>,
    pub deadlines: DeadlineConfig,
    /// Answer templates for common replies (grid workers pick one, then edit).
    #[serde(default)]
    pub templates: Vec<String>,
}

impl Community {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Community)?;
        let mut grids = Vec::new();
        if let Some(g) = get_obj(doc, &ROOT, "grids", ObjType::Map) {
            for id in map_keys(doc, &g) {
                if let Some(obj) = get_obj(doc, &g, &id, ObjType::Map) {
                    let name = get_str(doc, &obj, "name").unwrap_or_else(|| id.clone());
                    grids.push(Grid { id, name });
                }
            }
        }
        let mut categories = Vec::new();
        if let Some(c) = get_obj(doc, &ROOT, "categories", ObjType::Map) {
            for id in map_keys(doc, &c) {
                if let Some(obj) = get_obj(doc, &c, &id, ObjType::Map) {
                    categories.push(Category {
                        zh: get_str(doc, &obj, "zh").unwrap_or_else(|| id.clone()),
                        en: get_str(doc, &obj, "en").unwrap_or_else(|| id.clone()),
                        id,
                    });
                }
            }
        }
        let mut deadlines = DeadlineConfig::default();
        if let Some(d) = get_obj(doc, &ROOT, "deadlines", ObjType::Map) {
            for c in Colour::ALL {
                if let Some(h) = get_i64(doc, &d, c.as_str()).filter(|h| *h > 0) {
                    match c {
                        Colour::Red => deadlines.red = h,
                        Colour::Yellow => deadlines.yellow = h,
                        Colour::Blue => deadlines.blue = h,
                    }
                }
            }
        }
        if let Some(m) = get_str(doc, &ROOT, "deadline_mode").and_then(|m| DeadlineMode::parse(&m))
        {
            deadlines.mode = m;
        }
        if let Some(w) = get_obj(doc, &ROOT, "workdays", ObjType::Map) {
            for c in Colour::ALL {
                if let Some(n) =
                    get_i64(doc, &w, c.as_str()).filter(|n| (1..=WORKDAYS_MAX).contains(n))
                {
                    deadlines.workdays.set(c, n);
                }
            }
        }
        deadlines.extra_holidays = read_dates(doc, "extra_holidays");
        deadlines.extra_workdays = read_dates(doc, "extra_workdays");
        let templates = get_strings(doc, &ROOT, "templates");
        // Categories in the order staff added them (the map itself is sorted by id).
        categories.sort_by_key(|c: &Category| {
            get_obj(doc, &ROOT, "categories", ObjType::Map)
                .and_then(|m| get_obj(doc, &m, &c.id, ObjType::Map))
                .and_then(|o| get_i64(doc, &o, "order"))
                .unwrap_or(i64::MAX)
        });
        Ok(Community {
            name: get_str(doc, &ROOT, "name").unwrap_or_default(),
            grids,
            categories,
            deadlines,
            templates,
        })
    }

    /// Writes a whole community into an empty document (used to seed a new install).
    pub fn create(&self, doc: &mut Automerge) -> Result<(), ModelError> {
        if doc_kind(doc).is_some() {
            return Err(ModelError::NotEmpty("community"));
        }
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "kind", DocKind::Community.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "name", self.name.as_str())?;
            let grids = tx.put_object(ROOT, "grids", ObjType::Map)?;
            for g in &self.grids {
                let o = tx.put_object(&grids, g.id.as_str(), ObjType::Map)?;
                tx.put(&o, "name", g.name.as_str())?;
            }
            let cats = tx.put_object(ROOT, "categories", ObjType::Map)?;
            for (i, c) in self.categories.iter().enumerate() {
                let o = tx.put_object(&cats, c.id.as_str(), ObjType::Map)?;
                tx.put(&o, "zh", c.zh.as_str())?;
                tx.put(&o, "en", c.en.as_str())?;
                tx.put(&o, "order", i as i64)?;
            }
            let t = tx.put_object(ROOT, "templates", ObjType::List)?;
            for (i, text) in self.templates.iter().enumerate() {
                tx.insert(&t, i, text.as_str())?;
            }
            let d = tx.put_object(ROOT, "deadlines", ObjType::Map)?;
            for c in Colour::ALL {
                tx.put(&d, c.as_str(), self.deadlines.hours(c))?;
            }
            tx.put(ROOT, "deadline_mode", self.deadlines.mode.as_str())?;
            let w = tx.put_object(ROOT, "workdays", ObjType::Map)?;
            for c in Colour::ALL {
                tx.put(&w, c.as_str(), self.deadlines.workdays.days(c))?;
            }
            for (field, dates) in [
                ("extra_holidays", &self.deadlines.extra_holidays),
                ("extra_workdays", &self.deadlines.extra_workdays),
            ] {
                let l = tx.put_object(ROOT, field, ObjType::List)?;
                for (i, date) in dates.iter().enumerate() {
                    tx.insert(&l, i, date.as_str())?;
                }
            }
            Ok(())
        })
        .map_err(|f| f.error)?;
        Ok(())
    }

    pub fn grid_name(&self, id: &str) -> String {
        self.grids
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// Answer templates every new community starts with.
pub fn default_templates() -> Vec<String> {
    [
        "您好，已收到您的诉求，我们会尽快安排处理。",
        "已联系物业，安排维修人员上门，预计3天内完成。",
        "已到现场查看，问题已处理，请您确认。",
        "此事涉及多方，已提交每周三的四方会谈协商。",
        "已转交相关部门处理，有进展会第一时间告诉您。",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// Staff change a colour's answer window (hours).
pub fn set_deadline(doc: &mut Automerge, colour: Colour, hours: i64) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    if !(1..=24 * 90).contains(&hours) {
        return Err(ModelError::Malformed("deadline hours"));
    }
    let d =
        get_obj(doc, &ROOT, "deadlines", ObjType::Map).ok_or(ModelError::Malformed("deadlines"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(&d, colour.as_str(), hours))
        .map_err(|f| f.error)?;
    Ok(())
}

/// Staff choose how the community counts its answer windows.
pub fn set_deadline_mode(doc: &mut Automerge, mode: DeadlineMode) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "deadline_mode", mode.as_str())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff change a colour's answer window in working days (1 to [`WORKDAYS_MAX`]).
pub fn set_workdays(doc: &mut Automerge, colour: Colour, days: i64) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    if !(1..=WORKDAYS_MAX).contains(&days) {
        return Err(ModelError::Malformed("working days"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let w = match get_obj(tx, &ROOT, "workdays", ObjType::Map) {
            Some(w) => w,
            None => {
                // A document from before working days: write the defaults with this change.
                let w = tx.put_object(ROOT, "workdays", ObjType::Map)?;
                for c in Colour::ALL {
                    tx.put(&w, c.as_str(), WorkdayCounts::DEFAULT.days(c))?;
                }
                w
            }
        };
        tx.put(&w, colour.as_str(), days)
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The list of staff-added dates of this kind.
fn dates_field(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "extra_holidays",
        DayKind::Workday => "extra_workdays",
    }
}

/// The valid, distinct dates of a staff-added list, sorted.
fn read_dates(doc: &Automerge, field: &str) -> Vec<String> {
    let mut v: Vec<String> = get_strings(doc, &ROOT, field)
        .iter()
        .filter_map(|s| calendar::parse_date(s).map(calendar::format_day))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Removes every entry of `date` from a staff-added list.
fn remove_date(
    tx: &mut automerge::transaction::Transaction<'_>,
    field: &str,
    date: &str,
) -> Result<(), automerge::AutomergeError> {
    if let Some(l) = get_obj(tx, &ROOT, field, ObjType::List) {
        let at: Vec<usize> = tx
            .list_range(&l, ..)
            .filter(|item| {
                matches!(&item.value, automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) if calendar::parse_date(s).map(calendar::format_day).as_deref() == Some(date))
            })
            .map(|item| item.index)
            .collect();
        for i in at.into_iter().rev() {
            tx.delete(&l, i)?;
        }
    }
    Ok(())
}

/// Staff add a holiday or a make-up working day to the community's table (`YYYY-MM-DD`); a
/// date already added as the other kind moves to this one.
pub fn add_calendar_date(doc: &mut Automerge, date: &str, kind: DayKind) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let date = calendar::parse_date(date)
        .map(calendar::format_day)
        .ok_or(ModelError::Malformed("calendar date"))?;
    let field = dates_field(kind);
    let other = dates_field(match kind {
        DayKind::Holiday => DayKind::Workday,
        DayKind::Workday => DayKind::Holiday,
    });
    let have = read_dates(doc, field);
    if have.contains(&date) {
        return Ok(());
    }
    if have.len() >= CALENDAR_DATES_MAX {
        return Err(ModelError::Malformed("too many calendar dates"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        remove_date(tx, other, &date)?;
        let l = match get_obj(tx, &ROOT, field, ObjType::List) {
            Some(l) => l,
            None => tx.put_object(ROOT, field, ObjType::List)?,
        };
        let n = tx.length(&l);
        tx.insert(&l, n, date.as_str())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff remove a date they added (holiday or make-up working day).
pub fn remove_calendar_date(doc: &mut Automerge, date: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let date = calendar::parse_date(date)
        .map(calendar::format_day)
        .ok_or(ModelError::Malformed("calendar date"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        remove_date(tx, "extra_holidays", &date)?;
        remove_date(tx, "extra_workdays", &date)
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff add a request category (or rename one).
pub fn add_category(doc: &mut Automerge, id: &str, zh: &str, en: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let (zh, en) = (check_text(zh, 20)?, check_text(en, 40)?);
    let cats = get_obj(doc, &ROOT, "categories", ObjType::Map)
        .ok_or(ModelError::Malformed("categories"))?;
    let order = map_keys(doc, &cats).len() as i64;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let o = tx.put_object(&cats, id, ObjType::Map)?;
        tx.put(&o, "zh", zh.as_str())?;
        tx.put(&o, "en", en.as_str())?;
        tx.put(&o, "order", order)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff add an answer template.
pub fn add_template(doc: &mut Automerge, text: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let text = check_text(text, TEMPLATE_MAX)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let t = match get_obj(tx, &ROOT, "templates", ObjType::List) {
            Some(t) => t,
            None => tx.put_object(ROOT, "templates", ObjType::List)?,
        };
        let n = tx.length(&t);
        tx.insert(&t, n, text.as_str())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff remove an answer template.
pub fn remove_template(doc: &mut Automerge, index: usize) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let t = get_obj(doc, &ROOT, "templates", ObjType::List)
        .ok_or(ModelError::Malformed("templates"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.delete(&t, index))
        .map_err(|f| f.error)?;
    Ok(())
}

/// The categories every new community starts with, from the seed article's daily life.
pub fn default_categories() -> Vec<Category> {
    [
        ("clutter", "楼道堆物", "Stairwell clutter"),
        ("pets", "宠物扰民", "Pet nuisance"),
        ("facilities", "设施损坏", "Broken facilities"),
        ("leak", "渗漏", "Leaks"),
        ("sanitation", "环境卫生", "Sanitation"),
        ("garbage", "垃圾分类", "Garbage sorting"),
        ("noise", "噪音", "Noise"),
        ("parking", "停车", "Parking"),
        ("aging", "适老化", "Aging-friendly changes"),
        ("other", "其他", "Other"),
    ]
    .into_iter()
    .map(|(id, zh, en)| Category {
        id: id.into(),
        zh: zh.into(),
        en: en.into(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn community_round_trips_through_its_document() {
        let c = Community {
            name: "水榭花都".into(),
            grids: vec![Grid {
                id: "g01".into(),
                name: "第1网格".into(),
            }],
            categories: default_categories(),
            deadlines: DeadlineConfig::default(),
            templates: default_templates(),
        };
        let mut doc = Automerge::new();
        c.create(&mut doc).unwrap();
        let mut back = Community::read(&doc).unwrap();
        back.categories.sort_by(|a, b| a.id.cmp(&b.id));
        let mut want = c.clone();
        want.categories.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(back, want);
    }

    fn sample() -> Community {
        Community {
            name: "水榭花都".into(),
            grids: Vec::new(),
            categories: Vec::new(),
            deadlines: DeadlineConfig::default(),
            templates: Vec::new(),
        }
    }

    #[test]
    fn working_day_settings_round_trip_through_the_document() {
        let mut c = sample();
        c.deadlines.mode = DeadlineMode::WorkingDays;
        c.deadlines.workdays = WorkdayCounts {
            red: 1,
            yellow: 3,
            blue: 10,
        };
        c.deadlines.extra_holidays = vec!["2027-02-08".into(), "2027-10-01".into()];
        c.deadlines.extra_workdays = vec!["2027-10-09".into()];
        let mut doc = Automerge::new();
        c.create(&mut doc).unwrap();
        assert_eq!(Community::read(&doc).unwrap(), c);
        // The summary a device stores, and reads back, as JSON.
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Community>(&json).unwrap(), c);
    }

    #[test]
    fn a_document_from_before_working_days_reads_as_calendar_mode() {
        let mut doc = Automerge::new();
        sample().create(&mut doc).unwrap();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            for f in [
                "deadline_mode",
                "workdays",
                "extra_holidays",
                "extra_workdays",
            ] {
                tx.delete(ROOT, f)?;
            }
            Ok(())
        })
        .unwrap();
        let c = Community::read(&doc).unwrap();
        assert_eq!(c.deadlines, DeadlineConfig::default());
        assert_eq!(c.deadlines.mode, DeadlineMode::Calendar);
        // And a summary stored before: only the hours.
        let old = r#"{"red":48,"yellow":120,"blue":360}"#;
        let d: DeadlineConfig = serde_json::from_str(old).unwrap();
        assert_eq!(d, DeadlineConfig::default());
        // Staff then set a window in working days: the other colours keep their defaults.
        set_workdays(&mut doc, Colour::Red, 3).unwrap();
        let w = Community::read(&doc).unwrap().deadlines.workdays;
        assert_eq!((w.red, w.yellow, w.blue), (3, 5, 15));
    }

    #[test]
    fn staff_commands_change_the_mode_the_windows_and_the_table() {
        let mut doc = Automerge::new();
        sample().create(&mut doc).unwrap();
        let run = |doc: &mut Automerge, c: CommunityCommand| c.apply(doc, 0);
        run(
            &mut doc,
            CommunityCommand::SetDeadlineMode {
                mode: DeadlineMode::WorkingDays,
            },
        )
        .unwrap();
        run(
            &mut doc,
            CommunityCommand::SetWorkdays {
                colour: Colour::Blue,
                days: 10,
            },
        )
        .unwrap();
        for bad in [0, WORKDAYS_MAX + 1] {
            assert!(
                run(
                    &mut doc,
                    CommunityCommand::SetWorkdays {
                        colour: Colour::Blue,
                        days: bad,
                    },
                )
                .is_err()
            );
        }
        let add = |date: &str, day| CommunityCommand::AddCalendarDate {
            date: date.into(),
            day,
        };
        run(&mut doc, add("2027-02-08", DayKind::Holiday)).unwrap();
        run(&mut doc, add("2027-02-08", DayKind::Holiday)).unwrap();
        run(&mut doc, add("2027-02-20", DayKind::Holiday)).unwrap();
        // The same date as a make-up working day moves it.
        run(&mut doc, add("2027-02-20", DayKind::Workday)).unwrap();
        assert!(run(&mut doc, add("2027-02-30", DayKind::Holiday)).is_err());
        let d = Community::read(&doc).unwrap().deadlines;
        assert_eq!(d.mode, DeadlineMode::WorkingDays);
        assert_eq!(d.workdays.blue, 10);
        assert_eq!(d.extra_holidays, ["2027-02-08"]);
        assert_eq!(d.extra_workdays, ["2027-02-20"]);
        run(
            &mut doc,
            CommunityCommand::RemoveCalendarDate {
                date: "2027-02-20".into(),
            },
        )
        .unwrap();
        assert!(
            Community::read(&doc)
                .unwrap()
                .deadlines
                .extra_workdays
                .is_empty()
        );
        // The relay bounds the new fields.
        assert_eq!(
            Kind::field_limit(Some("extra_holidays"), "*"),
            Some(10),
            "YYYY-MM-DD"
        );
        assert_eq!(Kind::list_limit("extra_workdays"), Some(CALENDAR_DATES_MAX));
        assert!(Kind::field_limit(None, "deadline_mode").is_some());
    }
}
