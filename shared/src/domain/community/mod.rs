//! The community document: its name, grids, request categories, answer templates and the
//! deadline hours per colour. Public to every enrolled device; staff write it.

mod commands;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, map_keys};
use crate::domain::errors::check_text;
use crate::domain::requests::Colour;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

pub use commands::CommunityCommand;

/// Answer templates in the community document, and the length of each.
pub const TEMPLATES_MAX: usize = 100;
pub const TEMPLATE_MAX: usize = 2_000;

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
            (_, "zh" | "en") => NAME_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "templates").then_some(TEMPLATES_MAX)
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

/// Answer windows per colour, in hours; staff may change them per community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineConfig {
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
}

impl Default for DeadlineConfig {
    fn default() -> Self {
        Self {
            red: Colour::Red.default_hours(),
            yellow: Colour::Yellow.default_hours(),
            blue: Colour::Blue.default_hours(),
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
        let templates = get_obj(doc, &ROOT, "templates", ObjType::List)
            .map(|l| {
                doc.list_range(&l, ..)
                    .filter_map(|item| match item.value {
                        automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => {
                            Some(s.to_string())
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
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
}
