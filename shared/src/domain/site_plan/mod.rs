//! The site plan 小区平面图: the community's buildings as polygons on a plan of its own (metres
//! in a local frame, `x` east and `y` south, as an SVG draws them), each with its name as the
//! grids' `buildings` list it and its grid, plus a few landmarks (gates, roads, green). The
//! resource map ([`crate::domain::resource`]) draws on it. No map tiles: it works offline.
//!
//! One document for the community, written by staff and read by everyone (it holds no personal
//! data). When there is none, the app draws a schematic plan from the grids' buildings
//! ([`layout::schematic`]); staff can import GeoJSON ([`geojson::import`]) and then move or
//! rename a building.

pub mod geojson;
pub mod layout;
mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_obj, list_maps};
use crate::domain::errors::chars;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write};
use crate::policy::Principal;
use crate::time::Millis;

/// Most buildings a plan holds (the article's estate has about forty).
pub const BUILDINGS_MAX: usize = 300;
/// Most landmarks.
pub const LANDMARKS_MAX: usize = 60;
/// Most corners of one polygon or points of one road.
pub const POINTS_MAX: usize = 64;
/// A landmark's name.
pub const LANDMARK_NAME_MAX: usize = 30;
/// The largest plan: 5 km either way (a community is under one square kilometre).
pub const EXTENT_MAX: i64 = 5_000;

/// What a landmark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandmarkKind {
    /// 大门: a point (one corner).
    Gate,
    /// 道路: a polyline.
    Road,
    /// 绿地: a polygon.
    Green,
}

impl LandmarkKind {
    pub const ALL: [LandmarkKind; 3] =
        [LandmarkKind::Gate, LandmarkKind::Road, LandmarkKind::Green];

    pub fn as_str(self) -> &'static str {
        match self {
            LandmarkKind::Gate => "gate",
            LandmarkKind::Road => "road",
            LandmarkKind::Green => "green",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A point of the plan, in whole metres (`x` east, `y` south).
pub type Pt = (i64, i64);

/// A building on the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Building {
    /// As the grid lists it (`3号楼`).
    pub name: String,
    pub grid: String,
    /// Its outline, corners in order (not closed: the last joins the first).
    pub pts: Vec<Pt>,
}

impl Building {
    /// The centre of its corners (where a label or a marker goes).
    pub fn centre(&self) -> Pt {
        centre(&self.pts)
    }
}

/// A landmark on the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landmark {
    pub kind: LandmarkKind,
    pub name: String,
    pub pts: Vec<Pt>,
}

/// Where a plan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Laid out from the grids' buildings ([`layout::schematic`]), perhaps adjusted.
    Schematic,
    /// Imported from GeoJSON, perhaps adjusted.
    Geojson,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Schematic => "schematic",
            Source::Geojson => "geojson",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Source::Schematic, Source::Geojson]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The site plan, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePlan {
    pub buildings: Vec<Building>,
    pub landmarks: Vec<Landmark>,
    pub source: Source,
    pub by: String,
    pub by_name: String,
    pub updated_at: Millis,
}

impl SitePlan {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::SitePlan)?;
        let f = Fields::of(doc, &ROOT);
        let buildings = f
            .obj("buildings", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .iter()
                    .filter_map(|b| {
                        let bf = Fields::of(doc, b);
                        Some(Building {
                            name: bf.str("name")?,
                            grid: bf.str("grid").unwrap_or_default(),
                            pts: read_pts(doc, b),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let landmarks = f
            .obj("landmarks", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .iter()
                    .filter_map(|m| {
                        let mf = Fields::of(doc, m);
                        Some(Landmark {
                            kind: LandmarkKind::parse(&mf.str("type")?)?,
                            name: mf.str("name").unwrap_or_default(),
                            pts: read_pts(doc, m),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(SitePlan {
            buildings,
            landmarks,
            source: f
                .str("source")
                .and_then(|s| Source::parse(&s))
                .unwrap_or(Source::Schematic),
            by: f.str("by").unwrap_or_default(),
            by_name: f.str("by_name").unwrap_or_default(),
            updated_at: f.i64("updated_at").unwrap_or_default(),
        })
    }

    pub fn building(&self, name: &str) -> Option<&Building> {
        self.buildings.iter().find(|b| b.name == name)
    }

    /// The smallest box holding every building and landmark: `(min, max)`.
    pub fn bounds(&self) -> (Pt, Pt) {
        bounds(
            self.buildings
                .iter()
                .flat_map(|b| b.pts.iter())
                .chain(self.landmarks.iter().flat_map(|l| l.pts.iter())),
        )
    }
}

/// The smallest box holding the points (`((0, 0), (0, 0))` for none).
pub fn bounds<'a>(pts: impl Iterator<Item = &'a Pt>) -> (Pt, Pt) {
    let mut b: Option<(Pt, Pt)> = None;
    for &(x, y) in pts {
        b = Some(match b {
            None => ((x, y), (x, y)),
            Some(((x0, y0), (x1, y1))) => ((x0.min(x), y0.min(y)), (x1.max(x), y1.max(y))),
        });
    }
    b.unwrap_or(((0, 0), (0, 0)))
}

/// The centre of the points' box.
pub fn centre(pts: &[Pt]) -> Pt {
    let ((x0, y0), (x1, y1)) = bounds(pts.iter());
    ((x0 + x1) / 2, (y0 + y1) / 2)
}

fn read_pts(doc: &Automerge, obj: &ObjId) -> Vec<Pt> {
    let Some(l) = get_obj(doc, obj, "pts", ObjType::List) else {
        return Vec::new();
    };
    let n: Vec<i64> = doc
        .list_range(&l, ..)
        .filter_map(|i| match i.value {
            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => Some(n),
            _ => None,
        })
        .collect();
    n.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// Why a plan cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PlanError {
    #[error("a plan has at least one building")]
    Empty,
    #[error("at most {max} buildings")]
    TooManyBuildings { max: usize },
    #[error("at most {max} landmarks")]
    TooManyLandmarks { max: usize },
    #[error("`{name}` is listed twice")]
    Duplicate { name: String },
    #[error("a building has no name")]
    Unnamed,
    #[error("`{name}` is {len} characters; at most {max}")]
    NameTooLong {
        name: String,
        len: usize,
        max: usize,
    },
    #[error("`{name}` has no grid")]
    NoGrid { name: String },
    #[error("`{name}` needs 3 to {max} corners")]
    BadShape { name: String, max: usize },
    #[error("the plan is larger than {max} m across")]
    TooLarge { max: i64 },
}

/// What a plan must be to be saved: named buildings on a grid, each once, with 3 to
/// [`POINTS_MAX`] corners, the whole within [`EXTENT_MAX`].
pub fn problems(buildings: &[Building], landmarks: &[Landmark]) -> Vec<PlanError> {
    use crate::domain::grid::BUILDING_MAX;
    let mut out = Vec::new();
    if buildings.is_empty() {
        out.push(PlanError::Empty);
    }
    if buildings.len() > BUILDINGS_MAX {
        out.push(PlanError::TooManyBuildings { max: BUILDINGS_MAX });
    }
    if landmarks.len() > LANDMARKS_MAX {
        out.push(PlanError::TooManyLandmarks { max: LANDMARKS_MAX });
    }
    let mut seen: Vec<&str> = Vec::new();
    for b in buildings {
        let name = b.name.trim();
        if name.is_empty() {
            out.push(PlanError::Unnamed);
            continue;
        }
        if chars(name) > BUILDING_MAX {
            out.push(PlanError::NameTooLong {
                name: name.into(),
                len: chars(name),
                max: BUILDING_MAX,
            });
        }
        if seen.contains(&name) {
            out.push(PlanError::Duplicate { name: name.into() });
        }
        seen.push(name);
        if b.grid.trim().is_empty() {
            out.push(PlanError::NoGrid { name: name.into() });
        }
        if !(3..=POINTS_MAX).contains(&b.pts.len()) {
            out.push(PlanError::BadShape {
                name: name.into(),
                max: POINTS_MAX,
            });
        }
    }
    for l in landmarks {
        if chars(&l.name) > LANDMARK_NAME_MAX {
            out.push(PlanError::NameTooLong {
                name: l.name.clone(),
                len: chars(&l.name),
                max: LANDMARK_NAME_MAX,
            });
        }
        if l.pts.is_empty() || l.pts.len() > POINTS_MAX {
            out.push(PlanError::BadShape {
                name: l.name.clone(),
                max: POINTS_MAX,
            });
        }
    }
    let ((x0, y0), (x1, y1)) = bounds(
        buildings
            .iter()
            .flat_map(|b| b.pts.iter())
            .chain(landmarks.iter().flat_map(|l| l.pts.iter())),
    );
    if x1 - x0 > EXTENT_MAX || y1 - y0 > EXTENT_MAX {
        out.push(PlanError::TooLarge { max: EXTENT_MAX });
    }
    out
}

/// What staff do to the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PlanCommand {
    /// Writes the whole plan (a new one, a schematic one saved, or an import).
    Save {
        buildings: Vec<Building>,
        landmarks: Vec<Landmark>,
        source: Source,
        by: String,
        by_name: String,
    },
    /// Moves a building by `(dx, dy)` metres.
    Move {
        building: String,
        dx: i64,
        dy: i64,
        by: String,
        by_name: String,
    },
    /// Renames a building (to the name its grid lists) and sets its grid.
    Rename {
        building: String,
        to: String,
        grid: String,
        by: String,
        by_name: String,
    },
}

fn put_pts(
    tx: &mut impl Transactable,
    obj: &ObjId,
    pts: &[Pt],
) -> Result<(), automerge::AutomergeError> {
    let l = tx.put_object(obj, "pts", ObjType::List)?;
    for (i, (x, y)) in pts.iter().enumerate() {
        tx.insert(&l, 2 * i, *x)?;
        tx.insert(&l, 2 * i + 1, *y)?;
    }
    Ok(())
}

/// The building's map in the document.
fn building_obj(doc: &Automerge, name: &str) -> Option<ObjId> {
    let l = get_obj(doc, &ROOT, "buildings", ObjType::List)?;
    list_maps(doc, &l)
        .into_iter()
        .find(|b| Fields::of(doc, b).str("name").as_deref() == Some(name))
}

impl PlanCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        let sign = |tx: &mut automerge::transaction::Transaction<'_>,
                    by: &str,
                    by_name: &str|
         -> Result<(), automerge::AutomergeError> {
            tx.put(ROOT, "by", by)?;
            tx.put(ROOT, "by_name", by_name)?;
            tx.put(ROOT, "updated_at", now)?;
            Ok(())
        };
        match self {
            PlanCommand::Save {
                buildings,
                landmarks,
                source,
                by,
                by_name,
            } => {
                if let Some(p) = problems(buildings, landmarks).into_iter().next() {
                    return Err(ModelError::Input(crate::domain::InputError::SitePlan(p)));
                }
                let new = crate::domain::doc_kind(doc).is_none();
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    if new {
                        tx.put(ROOT, "kind", DocKind::SitePlan.as_str())?;
                        tx.put(ROOT, "schema", SCHEMA)?;
                    }
                    let l = tx.put_object(ROOT, "buildings", ObjType::List)?;
                    for (i, b) in buildings.iter().enumerate() {
                        let m = tx.insert_object(&l, i, ObjType::Map)?;
                        tx.put(&m, "name", b.name.trim())?;
                        tx.put(&m, "grid", b.grid.trim())?;
                        put_pts(tx, &m, &b.pts)?;
                    }
                    let l = tx.put_object(ROOT, "landmarks", ObjType::List)?;
                    for (i, lm) in landmarks.iter().enumerate() {
                        let m = tx.insert_object(&l, i, ObjType::Map)?;
                        tx.put(&m, "type", lm.kind.as_str())?;
                        tx.put(&m, "name", lm.name.trim())?;
                        put_pts(tx, &m, &lm.pts)?;
                    }
                    tx.put(ROOT, "source", source.as_str())?;
                    sign(tx, by, by_name)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            PlanCommand::Move {
                building,
                dx,
                dy,
                by,
                by_name,
            } => {
                let plan = SitePlan::read(doc)?;
                let b = plan
                    .building(building)
                    .ok_or(ModelError::Malformed("building"))?;
                let moved: Vec<Pt> = b.pts.iter().map(|(x, y)| (x + dx, y + dy)).collect();
                let mut all = plan.buildings.clone();
                if let Some(m) = all.iter_mut().find(|m| m.name == *building) {
                    m.pts = moved.clone();
                }
                if let Some(p) = problems(&all, &plan.landmarks).into_iter().next() {
                    return Err(ModelError::Input(crate::domain::InputError::SitePlan(p)));
                }
                let obj = building_obj(doc, building).ok_or(ModelError::Malformed("building"))?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    put_pts(tx, &obj, &moved)?;
                    sign(tx, by, by_name)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            PlanCommand::Rename {
                building,
                to,
                grid,
                by,
                by_name,
            } => {
                let plan = SitePlan::read(doc)?;
                let mut all = plan.buildings.clone();
                let Some(m) = all.iter_mut().find(|m| m.name == *building) else {
                    return Err(ModelError::Malformed("building"));
                };
                m.name = to.trim().into();
                m.grid = grid.trim().into();
                if let Some(p) = problems(&all, &plan.landmarks).into_iter().next() {
                    return Err(ModelError::Input(crate::domain::InputError::SitePlan(p)));
                }
                let obj = building_obj(doc, building).ok_or(ModelError::Malformed("building"))?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(&obj, "name", to.trim())?;
                    tx.put(&obj, "grid", grid.trim())?;
                    sign(tx, by, by_name)
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
}

/// Every field the plan's root may hold.
const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "buildings",
    "landmarks",
    "source",
    "by",
    "by_name",
    "updated_at",
];

/// The site-plan kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "site_plan";
    type Summary = SitePlan;
    type Command = PlanCommand;

    fn apply(doc: &mut Automerge, command: &PlanCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<SitePlan> {
        SitePlan::read(doc).ok()
    }

    /// Everyone reads the plan: buildings and roads, no personal data.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    /// Only staff draw the plan.
    fn check(_w: &Write<'_>) -> Verdict {
        Err((
            crate::api::RefusalCode::NotAllowed,
            "only staff draw the site plan".into(),
        ))
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w, ROOT_FIELDS)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (Some("landmarks"), "name") => LANDMARK_NAME_MAX,
            (_, "name") => crate::domain::grid::BUILDING_MAX,
            (_, "grid" | "by" | "source" | "type") => ID_MAX,
            (_, "by_name") => NAME_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "buildings" => BUILDINGS_MAX,
            "landmarks" => LANDMARKS_MAX,
            "pts" => 2 * POINTS_MAX,
            _ => return None,
        })
    }

    const DAILY_MAX: Option<u32> = Some(5);
    const TIME_FIELDS: &'static [&'static str] = &["updated_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];

    const OUTLIVES_PEOPLE: bool = true;

    /// The plan stays; it no longer says which staff member last drew it.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign(doc, "buildings", person, true)
    }
}

#[cfg(test)]
mod tests;

impl PlanError {
    /// What the page says, in Chinese (`zh`) or English.
    pub fn text(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            PlanError::Empty => "平面图至少要有一栋楼".into(),
            PlanError::TooManyBuildings { max } => format!("最多 {max} 栋楼"),
            PlanError::TooManyLandmarks { max } => format!("最多 {max} 个地标"),
            PlanError::Duplicate { name } => format!("“{name}”出现了两次"),
            PlanError::Unnamed => "有一栋楼没有名称".into(),
            PlanError::NameTooLong { name, len, max } => {
                format!("“{name}”名称太长：{len} 字，最多 {max} 字")
            }
            PlanError::NoGrid { name } => format!("“{name}”没有所属网格"),
            PlanError::BadShape { name, max } => format!("“{name}”的轮廓要有 3 到 {max} 个角"),
            PlanError::TooLarge { max } => format!("平面图超过 {max} 米宽，请检查坐标"),
        }
    }
}
