//! Importing a site plan from GeoJSON (what a surveyor's CAD export or QGIS writes): a
//! FeatureCollection whose Polygon (or MultiPolygon: its first polygon) features carry a
//! `building` or `name` property naming a building as a grid lists it; features with
//! `landmark` = `gate`/`road`/`green` become landmarks (a Point, a LineString, a Polygon).
//!
//! Coordinates: GeoJSON (RFC 7946) is longitude/latitude, and so this reads it, projecting to
//! whole metres around the plan's centre (equirectangular: within a community's kilometre the
//! error is under a centimetre). A file already in metres (a local survey frame, `x` east and
//! `y` north) is recognised by its size: degrees of a community span less than
//! [`DEGREES_MAX`], while any plan in metres spans more than that (or lies outside the range
//! of degrees). Either way `y` is turned to point south, as the plan draws.

use serde::{Deserialize, Serialize};

use super::{Building, EXTENT_MAX, Landmark, LandmarkKind, POINTS_MAX, Pt};

/// The largest span, in degrees, read as longitude/latitude (about 5.5 km).
pub const DEGREES_MAX: f64 = 0.05;
/// The mean Earth radius, metres.
const EARTH_RADIUS: f64 = 6_371_008.8;

/// Why a file cannot be imported (the page explains each in both languages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ImportError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a GeoJSON FeatureCollection")]
    NotFeatureCollection,
    #[error("no polygon names a building")]
    NoPolygons,
    #[error("feature {index} is a polygon with no `building` or `name`")]
    Unnamed { index: usize },
    #[error("feature {index} has coordinates that are not numbers")]
    BadCoordinates { index: usize },
    #[error("`{name}` is on no grid")]
    NotOnAnyGrid { name: String },
    #[error("`{name}` appears twice")]
    Duplicate { name: String },
    #[error("feature {index} has more than {max} corners")]
    TooManyPoints { index: usize, max: usize },
    #[error("the plan is larger than {max} m across")]
    TooLarge { max: i64 },
}

/// How the coordinates were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Units {
    Degrees,
    Metres,
}

/// An import: the buildings and landmarks, and how the coordinates were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub buildings: Vec<Building>,
    pub landmarks: Vec<Landmark>,
    pub units: Units,
}

enum Shape {
    Point(Vec<(f64, f64)>),
    Line(Vec<(f64, f64)>),
    Polygon(Vec<(f64, f64)>),
}

fn pair(v: &serde_json::Value) -> Option<(f64, f64)> {
    let a = v.as_array()?;
    let (x, y) = (a.first()?.as_f64()?, a.get(1)?.as_f64()?);
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

fn ring(v: &serde_json::Value) -> Option<Vec<(f64, f64)>> {
    v.as_array()?.iter().map(pair).collect()
}

fn shape(geometry: &serde_json::Value) -> Option<Option<Shape>> {
    let kind = geometry.get("type").and_then(|t| t.as_str());
    let coords = geometry.get("coordinates");
    Some(match (kind, coords) {
        (Some("Point"), Some(c)) => Some(Shape::Point(vec![pair(c)?])),
        (Some("LineString"), Some(c)) => Some(Shape::Line(ring(c)?)),
        (Some("Polygon"), Some(c)) => Some(Shape::Polygon(ring(c.as_array()?.first()?)?)),
        (Some("MultiPolygon"), Some(c)) => Some(Shape::Polygon(ring(
            c.as_array()?.first()?.as_array()?.first()?,
        )?)),
        _ => None,
    })
}

/// Reads `text` against the grids (`(grid, buildings)`): every named polygon must be a
/// building some grid lists (its grid is taken from there).
pub fn import(text: &str, grids: &[(String, Vec<String>)]) -> Result<Imported, ImportError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    if v.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err(ImportError::NotFeatureCollection);
    }
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or(ImportError::NotFeatureCollection)?;
    // (name or landmark, shape), in the file's order.
    enum Item {
        Building(String, Vec<(f64, f64)>),
        Landmark(LandmarkKind, String, Vec<(f64, f64)>),
    }
    let mut items = Vec::new();
    for (index, f) in features.iter().enumerate() {
        let props = f.get("properties");
        let prop = |k: &str| {
            props
                .and_then(|p| p.get(k))
                .and_then(|v| v.as_str())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let Some(geometry) = f.get("geometry") else {
            continue;
        };
        let Some(shape) = shape(geometry).ok_or(ImportError::BadCoordinates { index })? else {
            continue;
        };
        let pts = match &shape {
            Shape::Point(p) | Shape::Line(p) | Shape::Polygon(p) => p,
        };
        if pts.len() > POINTS_MAX + 1 {
            return Err(ImportError::TooManyPoints {
                index,
                max: POINTS_MAX,
            });
        }
        if let Some(kind) = prop("landmark").and_then(|l| LandmarkKind::parse(&l)) {
            let name = prop("name").unwrap_or_default();
            items.push(Item::Landmark(kind, name, pts.clone()));
            continue;
        }
        if let Shape::Polygon(p) = shape {
            let Some(name) = prop("building").or_else(|| prop("name")) else {
                return Err(ImportError::Unnamed { index });
            };
            items.push(Item::Building(name, p));
        }
    }
    if !items.iter().any(|i| matches!(i, Item::Building(..))) {
        return Err(ImportError::NoPolygons);
    }
    let all = items.iter().flat_map(|i| match i {
        Item::Building(_, p) | Item::Landmark(_, _, p) => p.iter().copied(),
    });
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in all {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let degrees = x0 >= -180.0
        && x1 <= 180.0
        && y0 >= -90.0
        && y1 <= 90.0
        && x1 - x0 < DEGREES_MAX
        && y1 - y0 < DEGREES_MAX;
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let project = |(x, y): (f64, f64)| -> Pt {
        if degrees {
            let east = EARTH_RADIUS * (x - cx).to_radians() * cy.to_radians().cos();
            let north = EARTH_RADIUS * (y - cy).to_radians();
            (east.round() as i64, (-north).round() as i64)
        } else {
            ((x - cx).round() as i64, (-(y - cy)).round() as i64)
        }
    };
    // A closed ring repeats its first corner at the end: the plan keeps it open.
    let open = |p: &[(f64, f64)]| -> Vec<Pt> {
        let mut out: Vec<Pt> = p.iter().map(|&q| project(q)).collect();
        if out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
        out
    };
    let mut buildings: Vec<Building> = Vec::new();
    let mut landmarks = Vec::new();
    for item in &items {
        match item {
            Item::Building(name, p) => {
                let Some((grid, _)) = grids.iter().find(|(_, bs)| bs.iter().any(|b| b == name))
                else {
                    return Err(ImportError::NotOnAnyGrid { name: name.clone() });
                };
                if buildings.iter().any(|b| &b.name == name) {
                    return Err(ImportError::Duplicate { name: name.clone() });
                }
                buildings.push(Building {
                    name: name.clone(),
                    grid: grid.clone(),
                    pts: open(p),
                });
            }
            Item::Landmark(kind, name, p) => landmarks.push(Landmark {
                kind: *kind,
                name: name.clone(),
                pts: open(p),
            }),
        }
    }
    let ((bx0, by0), (bx1, by1)) = super::bounds(
        buildings
            .iter()
            .flat_map(|b| b.pts.iter())
            .chain(landmarks.iter().flat_map(|l| l.pts.iter())),
    );
    if bx1 - bx0 > EXTENT_MAX || by1 - by0 > EXTENT_MAX {
        return Err(ImportError::TooLarge { max: EXTENT_MAX });
    }
    Ok(Imported {
        buildings,
        landmarks,
        units: if degrees {
            Units::Degrees
        } else {
            Units::Metres
        },
    })
}

impl ImportError {
    /// What the import page says, in Chinese (`zh`) or English.
    pub fn text(&self, zh: bool) -> String {
        if !zh {
            return match self {
                ImportError::NotJson(_) => {
                    "This file is not JSON: export the plan as GeoJSON and try again.".into()
                }
                other => format!("{other}."),
            };
        }
        match self {
            ImportError::NotJson(_) => {
                "这个文件不是 JSON：请把平面图导出为 GeoJSON 后再试。".into()
            }
            ImportError::NotFeatureCollection => {
                "这不是 GeoJSON 要素集合（FeatureCollection）。".into()
            }
            ImportError::NoPolygons => {
                "文件里没有带楼名的多边形：每栋楼要有 building 或 name 属性。".into()
            }
            ImportError::Unnamed { index } => {
                format!(
                    "第 {} 个要素是多边形，但没有 building 或 name 属性。",
                    index + 1
                )
            }
            ImportError::BadCoordinates { index } => {
                format!("第 {} 个要素的坐标不是数字。", index + 1)
            }
            ImportError::NotOnAnyGrid { name } => {
                format!(
                    "“{name}”不在任何网格的楼栋名单里：请先在网格里加上它，或改成网格里的楼名。"
                )
            }
            ImportError::Duplicate { name } => format!("“{name}”出现了两次。"),
            ImportError::TooManyPoints { index, max } => {
                format!("第 {} 个要素的角超过 {max} 个，请简化轮廓。", index + 1)
            }
            ImportError::TooLarge { max } => {
                format!("平面图超过 {max} 米宽：坐标可能不是经纬度也不是米。")
            }
        }
    }
}
