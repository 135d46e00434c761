//! `#/roadmap-edit` (staff): the guided diagnosis profile, "draft a plan from the diagnosis"
//! (`draft_plan` fills the phases, each action with its reason), and the phases, actions and
//! targets to add, remove and edit. What is typed is kept as a draft on this phone at every
//! change (a reload, a crash or a lost connection loses nothing); bad input is explained beside
//! its field and nothing typed is lost; saving works offline like every change.

use leptos::prelude::*;
use linli_shared::domain::roadmap::{
    ActionDraft, Field, Module, OwnerRole, PhaseDraft, PlanDraft, PlanError, RoadmapCommand,
    TargetDraft, draft_plan,
};
use linli_shared::domain::{ModelError, Summary};
use linli_shared::ids::DocumentId;

use super::{is_staff, roadmap};
use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

const KEY: &str = "roadmap-edit";

/// A new plan starting this month.
fn blank(app: &App) -> PlanDraft {
    let (y, m, _) =
        linli_shared::time::civil_from_days(linli_shared::time::shanghai_day(app.now()));
    PlanDraft {
        title: "社区实践路径图谱".into(),
        start: format!("{y}-{m:02}"),
        ..PlanDraft::default()
    }
}

/// Documents an action of `module` may link to, as (id, label), newest first.
fn linkable(app: &App, module: Module) -> Vec<(String, String)> {
    let kinds = module.kinds();
    let mut v = app.each_summary(|id, s| {
        if !s.kind().is_some_and(|k| kinds.contains(&k)) {
            return None;
        }
        let (at, label) = match s {
            Summary::TalkSeries(t) => (i64::MAX, t.series.title.clone()),
            Summary::Talk(t) => (0, format!("四方会谈 {}", t.talk.date)),
            Summary::GrantCall(c) => (c.call.opened_at, c.call.title.clone()),
            Summary::Event(e) => (
                e.starts_at,
                format!("{} {}", linli_shared::export::date(e.starts_at), e.title),
            ),
            Summary::Works(w) => (w.created_at, w.title.clone()),
            Summary::Patrols(p) => (0, format!("{} {}", p.grid, p.month)),
            Summary::Sorting(l) => (0, format!("{} {}", l.grid, l.month)),
            _ => return None,
        };
        Some((at, label, id.to_string()))
    });
    v.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    v.truncate(80);
    v.into_iter().map(|(_, l, id)| (id, l)).collect()
}

#[component]
pub fn RoadmapEditPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    if !is_staff(&app) {
        return view! {
            <main class="page roadmap-edit">
                <a href=Route::Roadmap.hash() class="back">{move || lang.get().t("‹ 实践路径图谱", "‹ Practice roadmap")}</a>
                <p class="empty">{move || lang.get().t("只有社区工作人员可以编辑规划。", "Only community staff edit the plan.")}</p>
            </main>
        }
        .into_any();
    }
    let existing = untrack(|| roadmap(&app));
    let id = StoredValue::new(
        existing
            .as_ref()
            .map(|(id, _)| *id)
            .unwrap_or_else(|| DocumentId::from_bytes(platform::random_bytes::<16>())),
    );
    let published = existing.as_ref().map(|(_, r)| r.published);
    let start = app
        .draft(KEY)
        .and_then(|j| serde_json::from_str::<PlanDraft>(&j).ok())
        .or_else(|| existing.as_ref().map(|(_, r)| PlanDraft::of(r)))
        .unwrap_or_else(|| blank(&app));
    let draft = RwSignal::new(start);
    // Every change is kept as the draft.
    Effect::new(move |first: Option<()>| {
        let json = draft.with(|d| serde_json::to_string(d).unwrap_or_default());
        if first.is_some() {
            app.set_draft(KEY, &json);
        }
    });
    let tried = RwSignal::new(false);
    let problems = Memo::new(move |_| {
        if tried.get() {
            draft.with(PlanDraft::problems)
        } else {
            Vec::new()
        }
    });
    let said = RwSignal::new(String::new());
    let shape = Memo::new(move |_| {
        draft.with(|d| {
            d.phases
                .iter()
                .map(|p| (p.actions.len(), p.targets.len()))
                .collect::<Vec<_>>()
        })
    });
    let draft_from_diagnosis = move || {
        let d = draft.get_untracked();
        let l = lang.get_untracked();
        let profile = match d.parse() {
            Ok(plan) => plan.profile,
            Err(errs) => {
                let profile_bad = errs.iter().any(|(f, _)| {
                    matches!(
                        f,
                        Field::Households
                            | Field::Elders
                            | Field::Grids
                            | Field::Groups
                            | Field::Problems
                    )
                });
                if profile_bad {
                    tried.set(true);
                    platform::focus_first_invalid();
                    return;
                }
                let p = &d.profile;
                let n = |s: &str| s.trim().parse::<u32>().unwrap_or(0);
                linli_shared::domain::roadmap::Profile {
                    households: n(&p.households),
                    elders_pct: n(&p.elders_pct),
                    grids: n(&p.grids),
                    groups: n(&p.groups),
                    problems: p.problems.trim().to_string(),
                }
            }
        };
        let open = super::open_requests(&app);
        let proposal = draft_plan(
            &profile,
            &super::as_open(&open),
            &super::readings(&app),
            &d.title,
            &d.start,
        );
        let actions: usize = proposal.plan.phases.iter().map(|p| p.actions.len()).sum();
        draft.update(|d| d.phases = proposal.plan.phases);
        said.set(match l {
            Lang::Zh => format!("已根据诊断生成 3 个阶段、{actions} 项行动。请检查、修改后保存。"),
            Lang::En => format!("Drafted 3 phases and {actions} actions from the diagnosis. Check and edit them, then save."),
        });
    };
    let save = move || {
        tried.set(true);
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let d = draft.get_untracked();
        if !d.problems().is_empty() {
            platform::focus_first_invalid();
            return;
        }
        let by_name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let cmd = RoadmapCommand::Save {
            plan: Box::new(d),
            by: session.person.clone(),
            by_name,
        };
        match app.send(id.get_value(), cmd) {
            Ok(saving) => {
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => {
                            app.clear_draft(KEY);
                            app.notice.set(Some(Notice::Saved));
                            app.go(Route::Roadmap);
                        }
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
            }
            Err(ModelError::Input(e)) => app
                .notice
                .set(Some(Notice::Error(lang.get_untracked().input_error(&e)))),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let publish = move |on: bool| {
        if let Ok(saving) = app.send(id.get_value(), RoadmapCommand::Publish { on }) {
            leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => {
                        app.notice.set(Some(Notice::Saved));
                        app.go(Route::Roadmap);
                    }
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            });
        }
    };
    let discard = move || {
        app.clear_draft(KEY);
        let fresh = untrack(|| roadmap(&app))
            .map(|(_, r)| PlanDraft::of(&r))
            .unwrap_or_else(|| blank(&app));
        draft.set(fresh);
        tried.set(false);
    };
    view! {
        <main class="page roadmap-edit">
            <a href=Route::Roadmap.hash() class="back">{move || lang.get().t("‹ 实践路径图谱", "‹ Practice roadmap")}</a>
            <h1>{move || lang.get().t("编辑诊断与规划", "Edit the diagnosis and plan")}</h1>
            <p class="muted">{move || lang.get().t(
                "所填内容随时保存在本机，刷新或断网都不会丢失。",
                "What you type is kept on this phone as you type: a reload or a lost connection loses nothing.",
            )}</p>
            <form class="rm-form" novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
                <fieldset>
                    <legend>{move || lang.get().t("规划", "The plan")}</legend>
                    <Text draft problems id="rm-title" label=("规划名称", "Title") field=Field::Title
                        get=|d: &PlanDraft| d.title.clone() set=|d: &mut PlanDraft, v| d.title = v/>
                    <Text draft problems id="rm-start" label=("开始月份（年-月）", "First month (year-month)") field=Field::Start
                        get=|d: &PlanDraft| d.start.clone() set=|d: &mut PlanDraft, v| d.start = v/>
                </fieldset>
                <fieldset>
                    <legend>{move || lang.get().t("社区诊断", "Diagnosis")}</legend>
                    <Text draft problems id="rm-households" label=("户数", "Households") field=Field::Households numeric=true
                        get=|d: &PlanDraft| d.profile.households.clone() set=|d: &mut PlanDraft, v| d.profile.households = v/>
                    <Text draft problems id="rm-elders" label=("60 岁以上居民占比（%）", "Share of residents 60+ (%)") field=Field::Elders numeric=true
                        get=|d: &PlanDraft| d.profile.elders_pct.clone() set=|d: &mut PlanDraft, v| d.profile.elders_pct = v/>
                    <Text draft problems id="rm-grids" label=("网格数", "Grids") field=Field::Grids numeric=true
                        get=|d: &PlanDraft| d.profile.grids.clone() set=|d: &mut PlanDraft, v| d.profile.grids = v/>
                    <Text draft problems id="rm-groups" label=("现有自治组织数", "Existing self-governing groups") field=Field::Groups numeric=true
                        get=|d: &PlanDraft| d.profile.groups.clone() set=|d: &mut PlanDraft, v| d.profile.groups = v/>
                    <Text draft problems id="rm-problems" label=("主要问题（居民可见，勿写个人信息）", "Main problems (residents may see this: no personal data)") field=Field::Problems area=true
                        get=|d: &PlanDraft| d.profile.problems.clone() set=|d: &mut PlanDraft, v| d.profile.problems = v/>
                    <button type="button" class="primary" data-testid="rm-draft" on:click=move |_| draft_from_diagnosis()>
                        {move || lang.get().t("根据诊断生成规划", "Draft a plan from the diagnosis")}
                    </button>
                    <p role="status" class="muted" data-testid="rm-drafted">{move || said.get()}</p>
                </fieldset>
                {move || shape.get().into_iter().enumerate().map(|(i, (na, nt))| view! {
                    <PhaseForm draft problems i actions=na targets=nt/>
                }).collect_view()}
                <p class="field-error" role="alert">{move || problems.with(|p| p.iter().find(|(f, _)| *f == Field::Phases).map(|(_, e)| e.text(lang.get().zh())).unwrap_or_default())}</p>
                <button type="button" data-testid="rm-add-phase" on:click=move |_| draft.update(|d| {
                    let start = d.phases.iter().map(|p| p.start.trim().parse::<u32>().unwrap_or(1) + p.months.trim().parse::<u32>().unwrap_or(0)).max().unwrap_or(1);
                    d.phases.push(PhaseDraft { start: start.to_string(), months: "3".into(), ..PhaseDraft::default() });
                })>{move || lang.get().t("＋ 添加阶段", "+ Add a phase")}</button>
                <p class="field-error" role="alert" data-testid="rm-form-error">{move || {
                    let n = problems.with(Vec::len);
                    match (n, lang.get()) {
                        (0, _) => String::new(),
                        (n, Lang::Zh) => format!("有 {n} 处需要修改，见各项下方的说明。"),
                        (n, Lang::En) => format!("{n} fields need a change: see the notes under them."),
                    }
                }}</p>
                <button type="submit" class="primary" data-testid="rm-save">{move || lang.get().t("保存规划", "Save the plan")}</button>
                <button type="button" on:click=move |_| discard()>{move || lang.get().t("放弃未保存的修改", "Discard unsaved changes")}</button>
            </form>
            {published.map(|on| view! {
                <section aria-labelledby="rm-pub-h">
                    <h2 id="rm-pub-h">{move || lang.get().t("向居民公开", "Publishing")}</h2>
                    <p>{move || if on { lang.get().t("规划已向居民公开（阶段、主题、行动和进度）。", "The plan is published to residents (phases, themes, actions and progress).") } else { lang.get().t("规划尚未公开：只有工作人员和网格员能看到。", "The plan is not published: only staff and grid workers see it.") }}</p>
                    <button type="button" data-testid="rm-publish" on:click=move |_| publish(!on)>
                        {move || if on { lang.get().t("取消公开", "Unpublish") } else { lang.get().t("向居民公开", "Publish to residents") }}
                    </button>
                </section>
            })}
        </main>
    }
    .into_any()
}

fn error_text(
    problems: Memo<Vec<(Field, PlanError)>>,
    field: Field,
    lang: RwSignal<Lang>,
) -> String {
    problems.with(|p| {
        p.iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, e)| e.text(lang.get().zh()))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// A labelled text field bound to one string of the draft, with its problem under it.
#[component]
fn Text<G, S>(
    draft: RwSignal<PlanDraft>,
    problems: Memo<Vec<(Field, PlanError)>>,
    #[prop(into)] id: String,
    label: (&'static str, &'static str),
    field: Field,
    get: G,
    set: S,
    #[prop(default = false)] numeric: bool,
    #[prop(default = false)] area: bool,
) -> impl IntoView
where
    G: Fn(&PlanDraft) -> String + Copy + Send + Sync + 'static,
    S: Fn(&mut PlanDraft, String) + Copy + Send + Sync + 'static,
{
    let lang = expect_context::<App>().lang;
    let err_id = format!("{id}-err");
    let err = move || error_text(problems, field, lang);
    let invalid = move || (!err().is_empty()).to_string();
    let value = move || draft.with(get);
    let input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        draft.update(|d| set(d, v));
    };
    view! {
        <label for=id.clone()>{move || lang.get().t(label.0, label.1)}</label>
        {if area {
            view! { <textarea id=id.clone() rows="3" aria-describedby=err_id.clone() aria-invalid=invalid prop:value=value on:input=input></textarea> }.into_any()
        } else {
            view! { <input id=id.clone() inputmode=if numeric { "numeric" } else { "text" } aria-describedby=err_id.clone() aria-invalid=invalid prop:value=value on:input=input/> }.into_any()
        }}
        <p id=err_id class="field-error" role="alert">{err}</p>
    }
}

#[component]
fn PhaseForm(
    draft: RwSignal<PlanDraft>,
    problems: Memo<Vec<(Field, PlanError)>>,
    i: usize,
    actions: usize,
    targets: usize,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let people: Vec<(String, String)> = {
        let mut v: Vec<(String, String)> =
            data::me(&app).into_iter().map(|m| (m.id, m.name)).collect();
        v.extend(
            data::people(&app)
                .into_iter()
                .map(|(_, p)| (p.id, p.name))
                .take(200),
        );
        v.dedup_by(|a, b| a.0 == b.0);
        v
    };
    let people = StoredValue::new(people);
    let ph = move |d: &PlanDraft| d.phases.get(i).cloned().unwrap_or_default();
    view! {
        <fieldset class="rm-phase-form" data-testid="rm-phase-form">
            <legend>{move || match lang.get() { Lang::Zh => format!("第{}阶段", i + 1), Lang::En => format!("Phase {}", i + 1) }}</legend>
            <Text draft problems id=format!("rm-p{i}-name") label=("阶段名称", "Phase name") field=Field::PhaseName(i)
                get=move |d: &PlanDraft| ph(d).name set=move |d: &mut PlanDraft, v| if let Some(p) = d.phases.get_mut(i) { p.name = v }/>
            <Text draft problems id=format!("rm-p{i}-theme") label=("主题", "Theme") field=Field::PhaseTheme(i)
                get=move |d: &PlanDraft| ph(d).theme set=move |d: &mut PlanDraft, v| if let Some(p) = d.phases.get_mut(i) { p.theme = v }/>
            <Text draft problems id=format!("rm-p{i}-start") label=("从第几个月开始", "Starts in month no.") field=Field::PhaseStart(i) numeric=true
                get=move |d: &PlanDraft| ph(d).start set=move |d: &mut PlanDraft, v| if let Some(p) = d.phases.get_mut(i) { p.start = v }/>
            <Text draft problems id=format!("rm-p{i}-months") label=("时长（月，1–24）", "Length (months, 1–24)") field=Field::PhaseMonths(i) numeric=true
                get=move |d: &PlanDraft| ph(d).months set=move |d: &mut PlanDraft, v| if let Some(p) = d.phases.get_mut(i) { p.months = v }/>
            <h2>{move || lang.get().t("行动", "Actions")}</h2>
            {(0..actions).map(|j| {
                let act = move |d: &PlanDraft| d.phases.get(i).and_then(|p| p.actions.get(j)).cloned().unwrap_or_default();
                let upd = move |f: &dyn Fn(&mut ActionDraft)| draft.update(|d| if let Some(a) = d.phases.get_mut(i).and_then(|p| p.actions.get_mut(j)) { f(a) });
                let module_id = format!("rm-p{i}-a{j}-module");
                let doc_id = format!("rm-p{i}-a{j}-doc");
                let owner_id = format!("rm-p{i}-a{j}-owner");
                let module_err = format!("{module_id}-err");
                let why = move || draft.with(|d| act(d).why).parse_reason(lang.get().zh());
                // The documents it may link, drawn anew only when they change (they are read
                // from the whole index, which changes with any document).
                let docs = Memo::new(move |_| {
                    let m = draft.with(|d| act(d).module);
                    let mut opts = m.map(|m| linkable(&app, m)).unwrap_or_default();
                    let cur = draft.with(|d| act(d).doc);
                    if !cur.is_empty() && !opts.iter().any(|(id, _)| *id == cur) {
                        opts.insert(0, (cur.clone(), cur));
                    }
                    opts
                });
                view! {
                    <div class="card rm-action-form" data-testid="rm-action-form">
                        <Text draft problems id=format!("rm-p{i}-a{j}-title") label=("行动", "Action") field=Field::ActionTitle(i, j)
                            get=move |d: &PlanDraft| act(d).title set=move |d: &mut PlanDraft, v| if let Some(a) = d.phases.get_mut(i).and_then(|p| p.actions.get_mut(j)) { a.title = v }/>
                        <p class="muted">{why}</p>
                        <label for=module_id.clone()>{move || lang.get().t("由哪个模块执行", "Carried out by")}</label>
                        <select id=module_id aria-describedby=module_err.clone()
                            aria-invalid=move || (!error_text(problems, Field::ActionModule(i, j), lang).is_empty()).to_string()
                            prop:value=move || draft.with(|d| act(d).module.map(|m| m.as_str().to_string()).unwrap_or_default())
                            on:change=move |ev| { let v = event_target_value(&ev); upd(&|a| { a.module = Module::parse(&v); a.doc.clear(); }); }>
                            <option value="">{move || lang.get().t("请选择", "Choose")}</option>
                            {Module::ALL.into_iter().map(|m| view! { <option value=m.as_str()>{move || m.name(lang.get().zh())}</option> }).collect_view()}
                        </select>
                        <p id=module_err class="field-error" role="alert">{move || error_text(problems, Field::ActionModule(i, j), lang)}</p>
                        <label for=doc_id.clone()>{move || lang.get().t("关联的文档（进度由它读出）", "Linked document (progress is read from it)")}</label>
                        <select id=doc_id
                            prop:value=move || draft.with(|d| act(d).doc)
                            on:change=move |ev| { let v = event_target_value(&ev); upd(&|a| a.doc = v.clone()); }>
                            <option value="">{move || lang.get().t("暂不关联", "None yet")}</option>
                            // A property, set each time the list is drawn: the linked document
                            // stays chosen wherever the list puts it.
                            {move || {
                                let cur = draft.with_untracked(|d| act(d).doc);
                                docs.get().into_iter().map(|(id, label)| {
                                    let sel = id == cur;
                                    view! { <option value=id prop:selected=sel>{label}</option> }
                                }).collect_view()
                            }}
                        </select>
                        <label for=owner_id.clone()>{move || lang.get().t("负责人或负责方", "Owner")}</label>
                        <select id=owner_id
                            prop:value=move || draft.with(|d| { let a = act(d); if !a.owner.is_empty() { format!("p:{}", a.owner) } else { a.owner_role.map(|r| format!("r:{}", r.as_str())).unwrap_or_default() } })
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let name = people.with_value(|p| p.iter().find(|(id, _)| Some(id.as_str()) == v.strip_prefix("p:")).map(|(_, n)| n.clone()));
                                upd(&|a| {
                                    a.owner.clear(); a.owner_name.clear(); a.owner_role = None;
                                    if let Some(p) = v.strip_prefix("p:") { a.owner = p.to_string(); a.owner_name = name.clone().unwrap_or_default(); }
                                    if let Some(r) = v.strip_prefix("r:") { a.owner_role = OwnerRole::parse(r); }
                                });
                            }>
                            <option value="">{move || lang.get().t("未指定", "Not set")}</option>
                            {OwnerRole::ALL.into_iter().map(|r| view! { <option value=format!("r:{}", r.as_str())>{move || r.name(lang.get().zh())}</option> }).collect_view()}
                            {people.get_value().into_iter().map(|(id, name)| view! { <option value=format!("p:{id}")>{name}</option> }).collect_view()}
                        </select>
                        <button type="button" on:click=move |_| draft.update(|d| if let Some(p) = d.phases.get_mut(i) && j < p.actions.len() { p.actions.remove(j); })>
                            {move || lang.get().t("删除此行动", "Remove this action")}
                        </button>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" role="alert">{move || error_text(problems, Field::Actions(i), lang)}</p>
            <button type="button" data-testid="rm-add-action" on:click=move |_| draft.update(|d| if let Some(p) = d.phases.get_mut(i) { p.actions.push(ActionDraft::default()) })>
                {move || lang.get().t("＋ 添加行动", "+ Add an action")}
            </button>
            <h2>{move || lang.get().t("目标（阶段结束时）", "Targets (by the phase's end)")}</h2>
            {(0..targets).map(|j| {
                let ind_id = format!("rm-p{i}-t{j}-ind");
                let ind_err = format!("{ind_id}-err");
                let tg = move |d: &PlanDraft| d.phases.get(i).and_then(|p| p.targets.get(j)).cloned().unwrap_or_default();
                view! {
                    <div class="rm-target-form">
                        <label for=ind_id.clone()>{move || lang.get().t("指标", "Indicator")}</label>
                        <select id=ind_id aria-describedby=ind_err.clone()
                            aria-invalid=move || (!error_text(problems, Field::TargetIndicator(i, j), lang).is_empty()).to_string()
                            prop:value=move || draft.with(|d| tg(d).indicator)
                            on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(t) = d.phases.get_mut(i).and_then(|p| p.targets.get_mut(j)) { t.indicator = v }); }>
                            <option value="">{move || lang.get().t("请选择", "Choose")}</option>
                            {linli_shared::indicators::TABLE.iter().map(|d| view! { <option value=d.id.to_string()>{move || format!("{}. {}", d.id, if lang.get().zh() { d.zh } else { d.en })}</option> }).collect_view()}
                        </select>
                        <p id=ind_err class="field-error" role="alert">{move || error_text(problems, Field::TargetIndicator(i, j), lang)}</p>
                        <Text draft problems id=format!("rm-p{i}-t{j}-value") label=("目标值", "Target value") field=Field::TargetValue(i, j)
                            get=move |d: &PlanDraft| tg(d).value set=move |d: &mut PlanDraft, v| if let Some(t) = d.phases.get_mut(i).and_then(|p| p.targets.get_mut(j)) { t.value = v }/>
                        <button type="button" on:click=move |_| draft.update(|d| if let Some(p) = d.phases.get_mut(i) && j < p.targets.len() { p.targets.remove(j); })>
                            {move || lang.get().t("删除此目标", "Remove this target")}
                        </button>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" role="alert">{move || error_text(problems, Field::Targets(i), lang)}</p>
            <button type="button" on:click=move |_| draft.update(|d| if let Some(p) = d.phases.get_mut(i) { p.targets.push(TargetDraft::default()) })>
                {move || lang.get().t("＋ 添加目标", "+ Add a target")}
            </button>
            <button type="button" class="danger" on:click=move |_| draft.update(|d| if i < d.phases.len() { d.phases.remove(i); })>
                {move || lang.get().t("删除此阶段", "Remove this phase")}
            </button>
        </fieldset>
    }
}

/// An action's reason code in words (empty when staff added it).
trait ParseReason {
    fn parse_reason(&self, zh: bool) -> String;
}

impl ParseReason for String {
    fn parse_reason(&self, zh: bool) -> String {
        linli_shared::domain::roadmap::Reason::parse(self)
            .map(|r| r.text(zh))
            .unwrap_or_default()
    }
}
