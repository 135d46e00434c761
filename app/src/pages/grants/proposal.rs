//! One proposal and, once funded, its project: what, why, where, budget lines, support (+1);
//! the panel's scores on the published criteria and comments; staff's decision (funded with
//! an amount, or not, with reasons), which the proposer reads here; then spending against
//! budget lines with receipt photos (the leader), co-funding (anyone), approvals to exceed a
//! line (staff), progress updates with photos and the households taking part (a small chart
//! with a table beside it), and the closing report.

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::fund::{EntryType, Fen, NewEntry, ProjectAccount, parse_yuan};
use linli_shared::domain::grant_call::{Call, CallCommand, Outcome};
use linli_shared::domain::proposal::{NewUpdate, Proposal, ProposalCommand};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use super::fund::{Balance, CofundForm, PendingBox};
use super::{calls, fund, money, name_or, write_entry};
use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Notice};
use crate::widgets::photos::{Photo, PhotoPicker};

fn my_name(app: &App) -> String {
    data::me(app).map(|m| m.name).unwrap_or_default()
}

fn me(app: &App) -> Option<(String, Role)> {
    app.session
        .with(|s| s.as_ref().map(|s| (s.person.clone(), s.role)))
}

#[component]
pub fn ProposalPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let prop = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Proposal(p) => Some(p.proposal.clone()),
            _ => None,
        })
        .flatten()
    });
    let here = Memo::new(move |_| prop.with(Option::is_some));
    view! {
        <main class="page proposal">
            <a href="#/grants" class="back">{move || lang.get().t("‹ 返回", "‹ Back")}</a>
            <Show
                when=move || here.get()
                fallback=move || view! { <p class="empty">{move || lang.get().t("这个提案不在本机。", "This proposal is not on this phone.")}</p> }
            >
                <ProposalView id prop/>
            </Show>
        </main>
    }
}

/// The proposal's page. What it shows is redrawn as its documents change (a +1, a review,
/// an update); its forms are made once and stay while they apply, so nothing typed, chosen
/// or picked is lost when someone else's change arrives mid-form.
#[component]
fn ProposalView(id: DocumentId, prop: Memo<Option<Proposal>>) -> impl IntoView {
    let app = expect_context::<App>();
    let call = Memo::new(move |_| {
        let call_id = prop.with(|p| p.as_ref().map(|p| p.call.clone()))?;
        calls(&app)
            .into_iter()
            .find(|(c, _)| c.to_string() == call_id)
    });
    let call_id = Memo::new(move |_| call.with(|c| c.as_ref().map(|(id, _)| *id)));
    let total = Memo::new(move |_| prop.with(|p| p.as_ref().map_or(0, |p| p.draft.total())));
    let person = me(&app).map(|m| m.0).unwrap_or_default();
    let mine = Memo::new(move |_| prop.with(|p| p.as_ref().is_some_and(|p| p.leads(&person))));
    let f = Memo::new(move |_| fund(&app));
    // The project's forms are made once it is funded, and stay while the ledger changes.
    let fid = Memo::new(move |_| f.with(|f| f.as_ref().map(|(id, _)| *id)));
    let funded = Memo::new(move |_| {
        f.with(|f| {
            f.as_ref()
                .is_some_and(|(_, l)| l.project(&id.to_string()).is_some())
        })
    });
    view! {
        {move || prop.get().map(|p| view! { <ProposalCard id p mine=mine.get_untracked()/> })}
        {move || call_id.get().map(|cid| view! { <Review call_id=cid call proposal=id total/> })}
        {move || match (fid.get(), funded.get()) {
            (Some(fund_id), true) => view! { <Project fund_id proposal=id mine=mine.get()/> }.into_any(),
            _ => ().into_any(),
        }}
        <Progress id prop mine/>
    }
}

/// What was proposed, its budget and its support.
#[component]
fn ProposalCard(id: DocumentId, p: Proposal, mine: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let person = me(&app).map(|m| m.0).unwrap_or_default();
    let supported = p.supports.iter().any(|(s, _)| *s == person);
    let supports = p.supports.len();
    let proposer = name_or(&app, &p.proposer, &p.proposer_name);
    let total = p.draft.total();
    let lines = p.draft.lines.clone();
    let support = move |on: bool| {
        let Some((person, _)) = me(&app) else { return };
        if let Err(e) = app.send(id, ProposalCommand::Support { person, on }) {
            app.notice.set(Some(Notice::Error(e.to_string())));
        }
    };
    let photos = p.draft.photos.clone();
    view! {
        <article class="card detail-card">
            <h2 data-testid="proposal-title">{p.draft.title.clone()}</h2>
            <p class="meta">{move || lang.get().t("提案人：", "Proposed by ")}{proposer.clone()}" · "{move || lang.get().time(p.at)}</p>
            <h3>{move || lang.get().t("做什么", "What")}</h3>
            <p>{p.draft.what.clone()}</p>
            <h3>{move || lang.get().t("为什么", "Why")}</h3>
            <p>{p.draft.why.clone()}</p>
            {(!p.draft.place.is_empty()).then(|| view! { <p>{move || lang.get().t("地点：", "Where: ")}{p.draft.place.clone()}</p> })}
            <h3>{move || lang.get().t("预算", "Budget")}</h3>
            <table class="ledger">
                <thead><tr><th scope="col">{move || lang.get().t("科目", "Line")}</th><th scope="col">{move || lang.get().t("金额", "Amount")}</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|(l, a)| view! { <tr><th scope="row">{l}</th><td>{money(a)}</td></tr> }).collect_view()}
                    <tr><th scope="row">{move || lang.get().t("合计", "Total")}</th><td>{money(total)}</td></tr>
                </tbody>
            </table>
            <p>{move || lang.get().t("参与家庭（起始）：", "Households taking part (at the start): ")}{p.draft.households}</p>
            {(!photos.is_empty()).then(|| view! { <div class="photos">{photos.into_iter().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div> })}
            <p data-testid="supports">{move || match lang.get() { Lang::Zh => format!("{supports} 人支持"), Lang::En => format!("{supports} support it") }}</p>
            {(!mine).then(|| view! {
                <button type="button" data-testid="support" on:click=move |_| support(!supported)>
                    {move || if supported { lang.get().t("取消支持", "Withdraw support") } else { lang.get().t("支持 +1", "Support +1") }}
                </button>
            })}
        </article>
    }
}

/// Scores on the published criteria, comments, the panel's own form, and the decision.
#[component]
fn Review(
    call_id: DocumentId,
    call: Memo<Option<(DocumentId, Call)>>,
    proposal: DocumentId,
    total: Memo<Fen>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let pid = proposal.to_string();
    let (person, role) = me(&app).unwrap_or_default_role();
    let on_panel = Memo::new(move |_| {
        call.with(|c| c.as_ref().is_some_and(|(_, c)| c.panel.contains(&person)))
    });
    let criteria = Memo::new(move |_| {
        call.with(|c| {
            c.as_ref()
                .map(|(_, c)| c.criteria.clone())
                .unwrap_or_default()
        })
    });
    let shown = {
        let pid = pid.clone();
        move || {
            call.get().map(|(_, call)| {
                let reviews = call.reviews_of(&pid).to_vec();
                let decision = call.decision(&pid).cloned();
                let mean = call.mean_score_x10(&pid);
                view! {
                    <p class="meta">{move || lang.get().t("公开的评审标准：", "Published criteria: ")}{call.criteria.join("；")}</p>
                    {mean.map(|m| view! { <p data-testid="mean-score">{move || lang.get().t("平均分 ", "Mean score ")}{format!("{}.{}", m / 10, m % 10)}" / 5"</p> })}
                    <ul class="reviews">
                        {reviews.into_iter().map(|r| {
                            let who = name_or(&app, &r.reviewer, &r.by_name);
                            let scores = r.scores.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" / ");
                            view! { <li>{who}" · "{scores}{(!r.comment.is_empty()).then(|| format!(" · {}", r.comment))}
                                {r.revision.then(|| view! { <strong>{move || lang.get().t(" · 请修改后再评", " · asks for a revision")}</strong> })}</li> }
                        }).collect_view()}
                    </ul>
                    {match decision {
                        Some(d) => view! {
                            <p class="decision" data-testid="decision" data-outcome=d.outcome.as_str()>
                                <strong>{move || match d.outcome { Outcome::Funded => lang.get().t("决定：资助 ", "Decision: funded "), Outcome::NotFunded => lang.get().t("决定：不资助", "Decision: not funded") }}</strong>
                                {(d.outcome == Outcome::Funded).then(|| money(d.amount))}
                                " · "{d.reasons.clone()}
                            </p>
                        }.into_any(),
                        None => view! { <p class="hint">{move || lang.get().t("还没有决定。", "No decision yet.")}</p> }.into_any(),
                    }}
                }
            })
        }
    };
    view! {
        <section class="card" aria-labelledby="review-h">
            <h3 id="review-h">{move || lang.get().t("评审", "Review")}</h3>
            {shown}
            // Made anew only if the panel or the criteria change, not at every review.
            {move || on_panel.get().then(|| view! { <ReviewForm call_id proposal=pid.clone() criteria=criteria.get()/> })}
            {move || (role == Some(Role::Staff)).then(|| view! { <DecideForm call_id proposal total=total.get()/> })}
        </section>
    }
}

trait OrRole {
    fn unwrap_or_default_role(self) -> (String, Option<Role>);
}
impl OrRole for Option<(String, Role)> {
    fn unwrap_or_default_role(self) -> (String, Option<Role>) {
        match self {
            Some((p, r)) => (p, Some(r)),
            None => (String::new(), None),
        }
    }
}

#[component]
fn ReviewForm(call_id: DocumentId, proposal: String, criteria: Vec<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let scores: Vec<RwSignal<i64>> = criteria.iter().map(|_| RwSignal::new(0)).collect();
    let comment = super::kept(format!("grant.review.{proposal}"));
    let revision = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let sc = scores.clone();
    let send = move || {
        let Some((person, _)) = me(&app) else { return };
        let s: Vec<i64> = sc.iter().map(|s| s.get_untracked()).collect();
        if s.contains(&0) {
            error.set(Some(
                lang.get_untracked()
                    .t("每一项都请打 1–5 分。", "Score every criterion 1–5.")
                    .into(),
            ));
            return;
        }
        let c = CallCommand::Review {
            proposal: proposal.clone(),
            reviewer: person,
            by_name: my_name(&app),
            scores: s,
            comment: comment.get_untracked(),
            revision: revision.get_untracked(),
        };
        match app.send(call_id, c) {
            Ok(_) => {
                error.set(None);
                comment.set(String::new());
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="form" novalidate data-testid="review-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h4>{move || lang.get().t("我的评分（评审组）", "My scores (panel)")}</h4>
            {criteria.into_iter().zip(scores).enumerate().map(|(i, (c, s))| {
                let fid = format!("score-{i}");
                view! {
                    <label for=fid.clone()>{c}</label>
                    <select id=fid prop:value=move || s.get().to_string() on:change=move |ev| s.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">{move || lang.get().t("请选择", "Choose")}</option>
                        {(1..=5).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    </select>
                }
            }).collect_view()}
            <label for="review-comment">{move || lang.get().t("意见", "Comment")}</label>
            <textarea id="review-comment" rows="2" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <label class="check"><input type="checkbox" prop:checked=move || revision.get() on:change=move |ev| revision.set(event_target_checked(&ev))/>{move || lang.get().t("请提案人修改", "Ask for a revision")}</label>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit">{move || lang.get().t("提交评分", "Submit scores")}</button>
        </form>
    }
}

/// Lines of an allocation of `amount` from the proposal's budget lines: as proposed when the
/// amount is the total; otherwise scaled, the rounding left on the last line.
fn allocation_lines(lines: &[(String, Fen)], amount: Fen) -> Vec<(String, Fen)> {
    let total: Fen = lines.iter().map(|(_, a)| a).sum();
    if lines.is_empty() || total <= 0 {
        return vec![("全部 all".into(), amount)];
    }
    if total == amount {
        return lines.to_vec();
    }
    let mut out: Vec<(String, Fen)> = lines
        .iter()
        .map(|(l, a)| (l.clone(), a * amount / total))
        .collect();
    let sum: Fen = out.iter().map(|(_, a)| a).sum();
    if let Some(last) = out.last_mut() {
        last.1 += amount - sum;
    }
    out
}

/// Staff: the decision, and for a funded proposal the allocation in the fund's ledger.
#[component]
fn DecideForm(call_id: DocumentId, proposal: DocumentId, total: Fen) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let amount = RwSignal::new(linli_shared::domain::fund::yuan(total).replace(',', ""));
    let reasons = super::kept(format!("grant.reasons.{proposal}"));
    let error = RwSignal::new(None::<String>);
    let decide = move |outcome: Outcome| {
        let Some((person, _)) = me(&app) else { return };
        let fen = if outcome == Outcome::Funded {
            match parse_yuan(&amount.get_untracked()).filter(|f| *f > 0) {
                Some(f) => f,
                None => {
                    error.set(Some(
                        lang.get_untracked()
                            .t("请填写资助金额（元）。", "Enter the amount funded (yuan).")
                            .into(),
                    ));
                    return;
                }
            }
        } else {
            0
        };
        let reasons_text = reasons.get_untracked();
        if reasons_text.trim().is_empty() {
            error.set(Some(
                lang.get_untracked()
                    .t(
                        "请写明理由，提案人会看到。",
                        "Give the reasons: the proposer reads them.",
                    )
                    .into(),
            ));
            return;
        }
        let p = app
            .summary(&proposal, |s| match s {
                Summary::Proposal(p) => Some(p.proposal.clone()),
                _ => None,
            })
            .flatten();
        let Some(p) = p else { return };
        // The allocation first: if the fund cannot afford it, nothing is decided.
        if outcome == Outcome::Funded {
            let Some((fid, _)) = fund(&app) else {
                error.set(Some(
                    lang.get_untracked()
                        .t(
                            "基金台账还没有同步到本机。",
                            "The fund's ledger is not on this phone yet.",
                        )
                        .into(),
                ));
                return;
            };
            let mut e = NewEntry::new(EntryType::Allocation, fen, &person, &my_name(&app));
            e.project = proposal.to_string();
            e.title = p
                .draft
                .title
                .chars()
                .take(linli_shared::domain::fund::TITLE_MAX)
                .collect();
            e.leader = p.proposer.clone();
            e.lines = allocation_lines(&p.draft.lines, fen);
            e.note = reasons_text
                .chars()
                .take(linli_shared::domain::fund::NOTE_MAX)
                .collect();
            if let Err(m) = write_entry(&app, fid, e) {
                error.set(Some(m));
                return;
            }
        }
        let c = CallCommand::Decide {
            proposal: proposal.to_string(),
            outcome,
            amount: fen,
            reasons: reasons_text,
            by: person,
            by_name: my_name(&app),
        };
        match app.send(call_id, c) {
            Ok(_) => {
                error.set(None);
                reasons.set(String::new());
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="form" novalidate data-testid="decide-form" on:submit=move |ev| ev.prevent_default()>
            <h4>{move || lang.get().t("资助决定（社区工作者）", "Funding decision (staff)")}</h4>
            <label for="decide-amount">{move || lang.get().t("资助金额（元）", "Amount funded (yuan)")}</label>
            <input id="decide-amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            <label for="decide-reasons">{move || lang.get().t("理由", "Reasons")}</label>
            <textarea id="decide-reasons" rows="2" prop:value=move || reasons.get() on:input=move |ev| reasons.set(event_target_value(&ev))></textarea>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <div class="buttons">
                <button type="button" data-testid="fund-it" on:click=move |_| decide(Outcome::Funded)>{move || lang.get().t("资助", "Fund")}</button>
                <button type="button" on:click=move |_| decide(Outcome::NotFunded)>{move || lang.get().t("不资助", "Do not fund")}</button>
            </div>
        </form>
    }
}

/// A funded project's budget: lines, spending with receipts, co-funding, approvals.
#[component]
fn Project(fund_id: DocumentId, proposal: DocumentId, mine: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let pid = proposal.to_string();
    let acc = Memo::new({
        let pid = pid.clone();
        move |_| fund(&app).and_then(|(_, l)| l.project(&pid))
    });
    let staff = me(&app).is_some_and(|(_, r)| r == Role::Staff);
    let person = me(&app).map(|m| m.0).unwrap_or_default();
    let leads = mine
        || acc
            .get_untracked()
            .is_some_and(|a| a.leaders.contains(&person));
    let line_names: Vec<String> = acc
        .get_untracked()
        .map(|a| a.lines.iter().map(|(l, _, _)| l.clone()).collect())
        .unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="budget-h">
            <h3 id="budget-h">{move || lang.get().t("项目预算", "Project budget")}</h3>
            <p>{move || lang.get().t("剩余预算 ", "Remaining budget ")}<strong data-testid="project-remaining">{move || money(acc.get().map_or(0, |a: ProjectAccount| a.remaining()))}</strong></p>
            <table class="ledger" data-testid="lines">
                <thead><tr>
                    <th scope="col">{move || lang.get().t("科目", "Line")}</th>
                    <th scope="col">{move || lang.get().t("额度", "Allotted")}</th>
                    <th scope="col">{move || lang.get().t("已支出", "Spent")}</th>
                </tr></thead>
                <tbody>
                    {move || acc.get().map(|a| a.lines.into_iter().map(|(l, cap, spent)| view! { <tr><th scope="row">{l}</th><td>{money(cap)}</td><td>{money(spent)}</td></tr> }).collect_view())}
                </tbody>
            </table>
        </section>
        <Balance id=fund_id/>
        <PendingBox id=fund_id/>
        {(leads || staff).then(|| view! { <SpendForm fund_id project=pid.clone() lines=line_names.clone()/> })}
        {staff.then(|| view! { <ApproveForm fund_id project=pid.clone() lines=line_names.clone()/> })}
        <CofundForm id=fund_id project=pid.clone()/>
    }
}

/// The leader records spending against a budget line, with receipt photos.
#[component]
fn SpendForm(fund_id: DocumentId, project: String, lines: Vec<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let line = RwSignal::new(lines.first().cloned().unwrap_or_default());
    let amount = super::kept(format!("grant.spend.amount.{project}"));
    let note = super::kept(format!("grant.spend.note.{project}"));
    let receipts = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let send = move || {
        let Some((person, _)) = me(&app) else { return };
        let Some(fen) = parse_yuan(&amount.get_untracked()).filter(|f| *f > 0) else {
            error.set(Some(
                lang.get_untracked()
                    .t(
                        "请填写大于0的金额（元，最多两位小数）。",
                        "Enter an amount above 0 (yuan, at most two decimals).",
                    )
                    .into(),
            ));
            return;
        };
        let mut e = NewEntry::new(EntryType::Spending, fen, &person, &my_name(&app));
        e.project = project.clone();
        e.line = line.get_untracked();
        e.note = note
            .get_untracked()
            .chars()
            .take(linli_shared::domain::fund::NOTE_MAX)
            .collect();
        e.receipts = receipts.get_untracked();
        let hashes = e.receipts.clone();
        match write_entry(&app, fund_id, e) {
            Ok(()) => {
                if !hashes.is_empty() {
                    app.attach_photos(fund_id, hashes);
                }
                error.set(None);
                amount.set(String::new());
                note.set(String::new());
                receipts.set(Vec::new());
                done.set(true);
            }
            Err(m) => error.set(Some(m)),
        }
    };
    view! {
        <form class="card form" novalidate data-testid="spend-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>{move || lang.get().t("记一笔支出", "Record spending")}</h3>
            <label for="spend-line">{move || lang.get().t("预算科目", "Budget line")}</label>
            <select id="spend-line" prop:value=move || line.get() on:change=move |ev| line.set(event_target_value(&ev))>
                {lines.into_iter().map(|l| view! { <option value=l.clone()>{l.clone()}</option> }).collect_view()}
            </select>
            <label for="spend-amount">{move || lang.get().t("金额（元）", "Amount (yuan)")}</label>
            <input id="spend-amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby="spend-err"/>
            <label for="spend-note">{move || lang.get().t("用途", "What for")}</label>
            <input id="spend-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
            <p class="hint">{move || lang.get().t("票据照片", "Receipt photos")}</p>
            <PhotoPicker photos=receipts id="spend-receipts"/>
            <p id="spend-err" class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || done.get()>
                <p class="hint" role="status" data-testid="spend-done">{move || lang.get().t("已记入本机台账，联网后由社区确认。", "Entered on this phone; the relay confirms it once online.")}</p>
            </Show>
            <button type="submit">{move || lang.get().t("记入台账", "Enter in the ledger")}</button>
        </form>
    }
}

/// Staff approve spending more on a line than it was allotted.
#[component]
fn ApproveForm(fund_id: DocumentId, project: String, lines: Vec<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let line = RwSignal::new(lines.first().cloned().unwrap_or_default());
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let Some((person, _)) = me(&app) else { return };
        let Some(fen) = parse_yuan(&amount.get_untracked()).filter(|f| *f > 0) else {
            error.set(Some(
                lang.get_untracked()
                    .t(
                        "请填写大于0的金额（元）。",
                        "Enter an amount above 0 (yuan).",
                    )
                    .into(),
            ));
            return;
        };
        let mut e = NewEntry::new(EntryType::Approval, fen, &person, &my_name(&app));
        e.project = project.clone();
        e.line = line.get_untracked();
        match write_entry(&app, fund_id, e) {
            Ok(()) => {
                error.set(None);
                amount.set(String::new());
            }
            Err(m) => error.set(Some(m)),
        }
    };
    view! {
        <form class="card form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>{move || lang.get().t("批准超出科目（社区工作者）", "Approve exceeding a line (staff)")}</h3>
            <label for="approve-line">{move || lang.get().t("预算科目", "Budget line")}</label>
            <select id="approve-line" prop:value=move || line.get() on:change=move |ev| line.set(event_target_value(&ev))>
                {lines.into_iter().map(|l| view! { <option value=l.clone()>{l.clone()}</option> }).collect_view()}
            </select>
            <label for="approve-amount">{move || lang.get().t("可多支出（元）", "May spend more (yuan)")}</label>
            <input id="approve-amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit">{move || lang.get().t("记录批准", "Record the approval")}</button>
        </form>
    }
}

/// Progress: households over time (a chart and a table), updates with photos, milestones,
/// the closing report; the leader's forms (made once, beside what is shown).
#[component]
fn Progress(id: DocumentId, prop: Memo<Option<Proposal>>, mine: Memo<bool>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let staff = me(&app).is_some_and(|(_, r)| r == Role::Staff);
    let can_write = Memo::new(move |_| mine.get() || staff);
    let closed = Memo::new(move |_| prop.with(|p| p.as_ref().is_some_and(|p| p.closing.is_some())));
    let shown = move || {
        prop.get().map(|p| {
            let series = p.households();
            let updates: Vec<_> = p.updates.iter().rev().cloned().collect();
            view! {
                {(series.len() > 1).then(|| view! { <HouseholdsChart series=series.clone()/> })}
                {p.closing.map(|c| view! {
                    <div class="closing" data-testid="closing">
                        <h4>{move || lang.get().t("结项报告", "Closing report")}</h4>
                        <p>{c.text.clone()}</p>
                        <p class="meta">{move || lang.get().time(c.at)}</p>
                    </div>
                })}
                <ol class="history" data-testid="updates">
                    {updates.into_iter().map(|u| {
                        let who = name_or(&app, &u.by, &u.by_name);
                        let photos = u.photos.clone();
                        view! {
                            <li>
                                {move || lang.get().time(u.at)}" · "{who}" · "{u.text.clone()}
                                {(!u.milestone.is_empty()).then(|| view! { <strong>{move || lang.get().t(" · 里程碑：", " · Milestone: ")}{u.milestone.clone()}</strong> })}
                                {(!photos.is_empty()).then(|| view! { <div class="photos">{photos.into_iter().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="progress-h">
            <h3 id="progress-h">{move || lang.get().t("进展", "Progress")}</h3>
            {shown}
            <Show when=move || can_write.get()>
                <UpdateForm id closed/>
            </Show>
        </section>
    }
}

/// Households taking part over time: a small line chart, and the same figures as a table
/// (what a screen reader reads; the chart is decoration beside it).
#[component]
fn HouseholdsChart(series: Vec<(i64, i64)>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let max = series.iter().map(|(_, h)| *h).max().unwrap_or(1).max(1);
    let n = series.len().max(2) - 1;
    let points: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, (_, h))| format!("{},{}", 10 + i * 280 / n, 90 - h * 80 / max))
        .collect();
    let first = series.first().map(|s| s.1).unwrap_or(0);
    let last = series.last().map(|s| s.1).unwrap_or(0);
    view! {
        <figure class="chart">
            <svg viewBox="0 0 300 100" width="300" height="100" aria-hidden="true" focusable="false">
                <polyline points=points.join(" ") fill="none" stroke="currentColor" stroke-width="3"/>
            </svg>
            <figcaption data-testid="households">{move || match lang.get() {
                Lang::Zh => format!("参与家庭：{first} → {last} 户"),
                Lang::En => format!("Households taking part: {first} → {last}"),
            }}</figcaption>
            <table class="ledger">
                <thead><tr><th scope="col">{move || lang.get().t("日期", "Date")}</th><th scope="col">{move || lang.get().t("参与家庭", "Households")}</th></tr></thead>
                <tbody>
                    {series.into_iter().map(|(at, h)| view! { <tr><td>{super::date(at)}</td><td>{h}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

#[component]
fn UpdateForm(id: DocumentId, closed: Memo<bool>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = super::kept(format!("grant.update.{id}"));
    let households = super::kept(format!("grant.households.{id}"));
    let milestone = super::kept(format!("grant.milestone.{id}"));
    let photos = RwSignal::new(Vec::<String>::new());
    let closing = super::kept(format!("grant.closing.{id}"));
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let Some((person, _)) = me(&app) else { return };
        let h = households.get_untracked();
        let households_n = if h.trim().is_empty() {
            None
        } else {
            match h.trim().parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    error.set(Some(
                        lang.get_untracked()
                            .t("参与家庭请填整数。", "Households: a whole number.")
                            .into(),
                    ));
                    return;
                }
            }
        };
        let u = NewUpdate {
            text: text.get_untracked(),
            households: households_n,
            photos: photos.get_untracked(),
            milestone: milestone.get_untracked(),
        };
        let hashes = u.photos.clone();
        match app.send(
            id,
            ProposalCommand::Update {
                by: person,
                by_name: my_name(&app),
                update: u,
            },
        ) {
            Ok(_) => {
                if !hashes.is_empty() {
                    app.attach_photos(id, hashes);
                }
                error.set(None);
                text.set(String::new());
                households.set(String::new());
                milestone.set(String::new());
                photos.set(Vec::new());
            }
            Err(linli_shared::domain::ModelError::Input(e)) => {
                error.set(Some(lang.get_untracked().input_error(&e)))
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let close = move || {
        let Some((person, _)) = me(&app) else { return };
        match app.send(
            id,
            ProposalCommand::Close {
                by: person,
                by_name: my_name(&app),
                text: closing.get_untracked(),
            },
        ) {
            Ok(_) => {
                error.set(None);
                closing.set(String::new());
            }
            Err(linli_shared::domain::ModelError::Input(e)) => {
                error.set(Some(lang.get_untracked().input_error(&e)))
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h4>{move || lang.get().t("写进展", "Post progress")}</h4>
            <label for="update-text">{move || lang.get().t("进展", "What happened")}</label>
            <textarea id="update-text" rows="2" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <label for="update-households">{move || lang.get().t("现在参与的家庭数", "Households taking part now")}</label>
            <input id="update-households" inputmode="numeric" prop:value=move || households.get() on:input=move |ev| households.set(event_target_value(&ev))/>
            <label for="update-milestone">{move || lang.get().t("里程碑（可不填）", "Milestone (optional)")}</label>
            <input id="update-milestone" prop:value=move || milestone.get() on:input=move |ev| milestone.set(event_target_value(&ev))/>
            <PhotoPicker photos id="update-photos"/>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit">{move || lang.get().t("发布进展", "Post")}</button>
        </form>
        <Show when=move || !closed.get()>
            <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); close(); }>
                <label for="closing-text">{move || lang.get().t("结项报告", "Closing report")}</label>
                <textarea id="closing-text" rows="2" prop:value=move || closing.get() on:input=move |ev| closing.set(event_target_value(&ev))></textarea>
                <button type="submit">{move || lang.get().t("提交结项报告", "Submit the closing report")}</button>
            </form>
        </Show>
    }
}
