//! The practice roadmap 实践路径图谱: one per community, the diagnosis profile (households,
//! share of residents 60+, grids, existing groups, the main problems in staff's words) and the
//! plan: phases (name, theme, first month, length; the article's default is 组织重构 3 months,
//! 规则建设 4 months, 文化培育 5 months), each with actions (a title, the module that carries it
//! out, the document that does, an owner), targets tied to the 30 indicators and matched cases.
//!
//! Progress is never ticked: an action's status is read from its linked document's summary
//! and a target's from the indicator ([`progress`]). [`draft::draft_plan`] proposes a plan from
//! the diagnosis, each action with its reason.
//!
//! Staff write (the whole plan at once: one staff member edits at a time, and the last save
//! wins); staff and grid workers read it always; residents and volunteers read it once staff
//! publish it (its `audience` becomes `residents`), and then the whole of it: the profile and
//! the plan are about the community, not about persons (public text refuses phone, ID and card
//! numbers and plates; an owner is a staff member or a body).

pub mod draft;
pub mod form;
pub mod model;
pub mod progress;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::api::RefusalCode;
use crate::docutil::{Fields, get_obj, get_str, list_maps, list_strings};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write};
use crate::policy::{Principal, Role};
use crate::time::Millis;

pub use draft::{Proposal, draft_plan};
pub use form::{
    ActionDraft, Field, PhaseDraft, Plan, PlanDraft, PlanError, ProfileDraft, TargetDraft,
};
pub use model::{Action, Module, OwnerRole, Phase, Profile, Reason, Roadmap, Target};

pub const TITLE_MAX: usize = 60;
pub const NAME_MAX: usize = 30;
pub const THEME_MAX: usize = 60;
pub const PROBLEMS_MAX: usize = 500;
pub const PHASES_MAX: usize = 8;
pub const ACTIONS_MAX: usize = 20;
pub const TARGETS_MAX: usize = 10;
pub const CASES_MAX: usize = 5;
/// The longest phase, in months.
pub const MONTHS_MAX: u32 = 24;
/// A phase starts within the plan's first three years.
pub const HORIZON_MAX: u32 = 36;
/// Who the plan is published to.
pub const RESIDENTS: &str = "residents";

impl Roadmap {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Roadmap)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        let u = |f: &Fields, k: &str| f.i64(k).unwrap_or(0).clamp(0, u32::MAX as i64) as u32;
        let profile = f
            .obj("profile", ObjType::Map)
            .map(|p| {
                let pf = Fields::of(doc, &p);
                Profile {
                    households: u(&pf, "households"),
                    elders_pct: u(&pf, "elders_pct"),
                    grids: u(&pf, "grids"),
                    groups: u(&pf, "groups"),
                    problems: pf.str("problems").unwrap_or_default(),
                }
            })
            .unwrap_or_default();
        let phases = f
            .obj("phases", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|p| read_phase(doc, &p))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Roadmap {
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            start: s("start"),
            profile,
            phases,
            published: f.str("audience").as_deref() == Some(RESIDENTS),
            created_at: f.i64("created_at").unwrap_or(0),
            updated_at: f.i64("updated_at").unwrap_or(0),
            by: s("by"),
            by_name: s("by_name"),
        })
    }
}

fn read_phase(doc: &Automerge, p: &ObjId) -> Option<Phase> {
    let f = Fields::of(doc, p);
    let actions = f
        .obj("actions", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .filter_map(|a| {
                    let af = Fields::of(doc, &a);
                    let s = |k: &str| af.str(k).unwrap_or_default();
                    Some(Action {
                        title: af.str("title")?,
                        module: Module::parse(&af.str("module")?)?,
                        doc: s("doc"),
                        owner: s("owner"),
                        owner_name: s("owner_name"),
                        owner_role: af.str("owner_role").and_then(|r| OwnerRole::parse(&r)),
                        why: s("why"),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let targets = f
        .obj("targets", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .filter_map(|t| {
                    let tf = Fields::of(doc, &t);
                    let id = u8::try_from(tf.i64("indicator")?).ok()?;
                    crate::indicators::def(id)?;
                    Some(Target {
                        indicator: id,
                        tenths: tf.i64("tenths")?,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Phase {
        name: f.str("name")?,
        theme: f.str("theme").unwrap_or_default(),
        start: u32::try_from(f.i64("start")?).ok()?,
        months: u32::try_from(f.i64("months")?).ok()?,
        actions,
        targets,
        cases: f
            .obj("cases", ObjType::List)
            .map(|l| list_strings(doc, &l))
            .unwrap_or_default(),
    })
}

/// What staff do to the roadmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RoadmapCommand {
    /// Writes the whole plan (into an empty document: creates it), in `by`'s name.
    Save {
        plan: Box<PlanDraft>,
        by: String,
        by_name: String,
    },
    /// Publishes the plan to residents, or takes it back.
    Publish { on: bool },
}

impl RoadmapCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            RoadmapCommand::Save { plan, by, by_name } => {
                let plan = plan.parse().map_err(|p| {
                    ModelError::Input(InputError::Roadmap(
                        p.first().map_or(PlanError::Empty, |x| x.1),
                    ))
                })?;
                let creating = crate::domain::doc_kind(doc).is_none();
                if !creating {
                    expect_kind(doc, DocKind::Roadmap)?;
                }
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    if creating {
                        tx.put(ROOT, "kind", DocKind::Roadmap.as_str())?;
                        tx.put(ROOT, "schema", SCHEMA)?;
                        tx.put(ROOT, "created_at", now)?;
                    }
                    tx.put(ROOT, "title", plan.title.as_str())?;
                    tx.put(ROOT, "start", plan.start.as_str())?;
                    let p = tx.put_object(ROOT, "profile", ObjType::Map)?;
                    let pr = &plan.profile;
                    tx.put(&p, "households", pr.households as i64)?;
                    tx.put(&p, "elders_pct", pr.elders_pct as i64)?;
                    tx.put(&p, "grids", pr.grids as i64)?;
                    tx.put(&p, "groups", pr.groups as i64)?;
                    if !pr.problems.is_empty() {
                        tx.put(&p, "problems", pr.problems.as_str())?;
                    }
                    let list = tx.put_object(ROOT, "phases", ObjType::List)?;
                    for (i, ph) in plan.phases.iter().enumerate() {
                        let o = tx.insert_object(&list, i, ObjType::Map)?;
                        tx.put(&o, "name", ph.name.as_str())?;
                        if !ph.theme.is_empty() {
                            tx.put(&o, "theme", ph.theme.as_str())?;
                        }
                        tx.put(&o, "start", ph.start as i64)?;
                        tx.put(&o, "months", ph.months as i64)?;
                        let al = tx.put_object(&o, "actions", ObjType::List)?;
                        for (j, a) in ph.actions.iter().enumerate() {
                            let ao = tx.insert_object(&al, j, ObjType::Map)?;
                            tx.put(&ao, "title", a.title.as_str())?;
                            tx.put(&ao, "module", a.module.as_str())?;
                            for (k, v) in [
                                ("doc", &a.doc),
                                ("owner", &a.owner),
                                ("owner_name", &a.owner_name),
                                ("why", &a.why),
                            ] {
                                if !v.is_empty() {
                                    tx.put(&ao, k, v.as_str())?;
                                }
                            }
                            if let Some(r) = a.owner_role {
                                tx.put(&ao, "owner_role", r.as_str())?;
                            }
                        }
                        let tl = tx.put_object(&o, "targets", ObjType::List)?;
                        for (j, t) in ph.targets.iter().enumerate() {
                            let to = tx.insert_object(&tl, j, ObjType::Map)?;
                            tx.put(&to, "indicator", t.indicator as i64)?;
                            tx.put(&to, "tenths", t.tenths)?;
                        }
                        if !ph.cases.is_empty() {
                            crate::docutil::put_strings(tx, &o, "cases", &ph.cases)?;
                        }
                    }
                    tx.put(ROOT, "updated_at", now)?;
                    tx.put(ROOT, "by", by.as_str())?;
                    tx.put(ROOT, "by_name", by_name.as_str())?;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            RoadmapCommand::Publish { on } => {
                expect_kind(doc, DocKind::Roadmap)?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    if *on {
                        tx.put(ROOT, "audience", RESIDENTS)?;
                    } else if tx.get(ROOT, "audience")?.is_some() {
                        tx.delete(ROOT, "audience")?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
}

const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "title",
    "start",
    "profile",
    "phases",
    "audience",
    "created_at",
    "updated_at",
    "by",
    "by_name",
];
const PROFILE_FIELDS: &[&str] = &["households", "elders_pct", "grids", "groups", "problems"];
const PHASE_FIELDS: &[&str] = &[
    "name", "theme", "start", "months", "actions", "targets", "cases",
];
const ACTION_FIELDS: &[&str] = &[
    "title",
    "module",
    "doc",
    "owner",
    "owner_name",
    "owner_role",
    "why",
];
const TARGET_FIELDS: &[&str] = &["indicator", "tenths"];

/// The roadmap kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "roadmap";
    type Summary = Roadmap;
    type Command = RoadmapCommand;

    fn apply(doc: &mut Automerge, command: &RoadmapCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Roadmap> {
        Roadmap::read(doc).ok()
    }

    /// Staff and grid workers always; residents and volunteers once it is published.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        matches!(p.role, Role::Staff | Role::GridWorker)
            || scope.audience.as_deref() == Some(RESIDENTS)
    }

    /// Staff only (the rules engine lets staff past this).
    fn check(_w: &Write<'_>) -> Verdict {
        Err((RefusalCode::NotAllowed, "staff keep the roadmap".into()))
    }

    /// For everyone, staff included: known fields only, phases of 1 to 24 months starting
    /// within three years, known modules, roles and indicators, an owner named as the relay's
    /// records name them, published only to residents.
    fn check_everyone(w: &Write<'_>) -> Verdict {
        check_shape(w.after, w.ctx).map_err(|why| (RefusalCode::FieldNotAllowed, why))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX as PERSON_NAME_MAX};
        Some(match (parent, field) {
            (_, "title") => TITLE_MAX,
            (_, "name") => NAME_MAX,
            (_, "theme") => THEME_MAX,
            (_, "problems") => PROBLEMS_MAX,
            (_, "by_name" | "owner_name") => PERSON_NAME_MAX,
            (_, "start" | "module" | "doc" | "owner" | "owner_role" | "why" | "audience") => ID_MAX,
            (Some("cases"), "*") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "phases" => PHASES_MAX,
            "actions" => ACTIONS_MAX,
            "targets" => TARGETS_MAX,
            "cases" => CASES_MAX,
            _ => return None,
        })
    }

    const DAILY_MAX: Option<u32> = Some(5);
    const TIME_FIELDS: &'static [&'static str] = &["created_at", "updated_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    /// Read by residents once published.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "problems", "name", "theme"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's name leaves the roadmap: as its last writer and as an action's owner.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let r = Roadmap::read(doc).ok()?;
        let owns = r
            .phases
            .iter()
            .any(|p| p.actions.iter().any(|a| a.owner == person));
        if r.by != person && !owns {
            return None;
        }
        let res = doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            if get_str(tx, &ROOT, "by").as_deref() == Some(person) {
                tx.put(ROOT, "by", "")?;
                tx.put(ROOT, "by_name", "")?;
            }
            if let Some(l) = get_obj(tx, &ROOT, "phases", ObjType::List) {
                for p in list_maps(tx, &l) {
                    let Some(al) = get_obj(tx, &p, "actions", ObjType::List) else {
                        continue;
                    };
                    for a in list_maps(tx, &al) {
                        if get_str(tx, &a, "owner").as_deref() == Some(person) {
                            tx.delete(&a, "owner")?;
                            if tx.get(&a, "owner_name")?.is_some() {
                                tx.delete(&a, "owner_name")?;
                            }
                        }
                    }
                }
            }
            Ok(())
        });
        Some(res.map(|_| Vec::new()).map_err(|f| f.error.into()))
    }
}

fn check_shape(after: &Automerge, ctx: &crate::rules::Ctx<'_>) -> Result<(), String> {
    let extra = |obj: &ObjId, known: &[&str], what: &str| -> Result<(), String> {
        match after.keys(obj).find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(format!("{what} has no field `{k}`")),
            None => Ok(()),
        }
    };
    extra(&ROOT, ROOT_FIELDS, "a roadmap")?;
    let f = Fields::of(after, &ROOT);
    if f.str("title").is_none_or(|t| t.trim().is_empty()) {
        return Err("a roadmap has a title".into());
    }
    if f.str("start")
        .is_none_or(|s| model::parse_month(&s).is_none())
    {
        return Err("a roadmap starts in a month, YYYY-MM".into());
    }
    if f.str("audience").is_some_and(|a| a != RESIDENTS) {
        return Err("a roadmap is published to residents only".into());
    }
    if let Some(p) = f.obj("profile", ObjType::Map) {
        extra(&p, PROFILE_FIELDS, "a profile")?;
        let pf = Fields::of(after, &p);
        for k in ["households", "grids", "groups"] {
            if pf.i64(k).is_some_and(|n| !(0..=1_000_000).contains(&n)) {
                return Err(format!("a profile's {k} is 0 to 1,000,000"));
            }
        }
        if pf
            .i64("elders_pct")
            .is_some_and(|n| !(0..=100).contains(&n))
        {
            return Err("a share of elders is 0 to 100 percent".into());
        }
    }
    let Some(list) = f.obj("phases", ObjType::List) else {
        return Ok(());
    };
    for p in list_maps(after, &list) {
        extra(&p, PHASE_FIELDS, "a phase")?;
        let pf = Fields::of(after, &p);
        if pf.str("name").is_none_or(|n| n.trim().is_empty()) {
            return Err("a phase has a name".into());
        }
        if pf
            .i64("months")
            .is_none_or(|m| !(1..=MONTHS_MAX as i64).contains(&m))
        {
            return Err(format!("a phase lasts 1 to {MONTHS_MAX} months"));
        }
        if pf
            .i64("start")
            .is_none_or(|m| !(0..HORIZON_MAX as i64).contains(&m))
        {
            return Err(format!(
                "a phase starts within the plan's first {HORIZON_MAX} months"
            ));
        }
        if let Some(al) = pf.obj("actions", ObjType::List) {
            for a in list_maps(after, &al) {
                extra(&a, ACTION_FIELDS, "an action")?;
                let af = Fields::of(after, &a);
                if af.str("title").is_none_or(|t| t.trim().is_empty()) {
                    return Err("an action has a title".into());
                }
                if af.str("module").and_then(|m| Module::parse(&m)).is_none() {
                    return Err("an action is carried out by a known module".into());
                }
                if af
                    .str("owner_role")
                    .is_some_and(|r| OwnerRole::parse(&r).is_none())
                {
                    return Err("an action's owner is a known body".into());
                }
                if af.str("why").is_some_and(|w| Reason::parse(&w).is_none()) {
                    return Err("an action's reason is a known one".into());
                }
                if let Some(name) = af.str("owner_name") {
                    let owner = af.str("owner").unwrap_or_default();
                    let known = (ctx.name_of)(&owner);
                    if owner.is_empty() || known.is_some_and(|k| k != name) {
                        return Err("an owner is named as the relay's records name them".into());
                    }
                }
            }
        }
        if let Some(tl) = pf.obj("targets", ObjType::List) {
            for t in list_maps(after, &tl) {
                extra(&t, TARGET_FIELDS, "a target")?;
                let tf = Fields::of(after, &t);
                let known = tf
                    .i64("indicator")
                    .and_then(|i| u8::try_from(i).ok())
                    .and_then(crate::indicators::def)
                    .is_some();
                if !known
                    || tf
                        .i64("tenths")
                        .is_none_or(|v| !(0..=10_000_000_000).contains(&v))
                {
                    return Err("a target is one of the 30 indicators and a value".into());
                }
            }
        }
        if let Some(cl) = pf.obj("cases", ObjType::List) {
            for c in list_strings(after, &cl) {
                if !crate::cases::CASES.iter().any(|k| k.id == c) {
                    return Err(format!("no case `{c}` in the library"));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
