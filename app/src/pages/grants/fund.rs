//! The fund's transparency page 基金公开台账: every resident reads the balance the relay
//! holds (and what waits on this phone), every project's budget and every ledger entry (who,
//! when, what, receipts), downloads both as CSV, co-funds, and sees their own refused entries
//! kept as drafts to correct. Staff record income here.

use leptos::prelude::*;
use linli_shared::domain::fund::{EntryType, Ledger, NewEntry, parse_yuan};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use linli_shared::export::Register;

use super::{
    Pending, download, entry_kind, fund, money, name_or, pending, set_pending, write_entry,
};
use crate::data;
use crate::state::App;
use crate::widgets::photos::Photo;

#[component]
pub fn FundPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let f = Memo::new(move |_| fund(&app));
    // The forms stay while the ledger changes (only the fund's id re-creates them).
    let fid = Memo::new(move |_| f.with(|f| f.as_ref().map(|(id, _)| *id)));
    let staff = move || {
        app.session
            .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
    };
    view! {
        <main class="page fund">
            <h2>{move || lang.get().t("微创投基金 · 公开台账", "Micro-grant fund · public ledger")}</h2>
            <p><a class="row-link" href="#/grants">{move || lang.get().t("征集与提案 ›", "Calls and proposals ›")}</a></p>
            // This phone's refused entries first: drafts to correct.
            {move || fid.get().map(|id| view! { <PendingBox id/> })}
            {move || match f.get() {
                None => view! {
                    <p class="empty" data-testid="no-fund">{move || lang.get().t("基金台账还没有同步到本机。", "The fund's ledger has not reached this phone yet.")}</p>
                }.into_any(),
                Some((id, ledger)) => view! { <FundView id ledger/> }.into_any(),
            }}
            {move || fid.get().map(|id| view! {
                <CofundForm id project=String::new()/>
                <Show when=staff>
                    <IncomeForm id/>
                </Show>
            })}
        </main>
    }
}

#[component]
fn FundView(id: DocumentId, ledger: Ledger) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let projects = ledger.projects();
    let entries: Vec<_> = ledger.ordered().into_iter().rev().cloned().collect();
    // The whole ledger and every project, with the columns of the person's role
    // (`linli_shared::export`: names for staff only).
    let all_time = linli_shared::export::Filter {
        from: i64::MIN,
        to: i64::MAX,
        grid: None,
    };
    let everything = all_time.clone();
    let csv_ledger = move |_| {
        let csv = crate::pages::exports::build(&app, Register::Ledger, &all_time);
        download("ledger.csv", "text/csv;charset=utf-8", csv.text());
    };
    let csv_projects = move |_| {
        let csv = crate::pages::exports::build(&app, Register::Projects, &everything);
        download("projects.csv", "text/csv;charset=utf-8", csv.text());
    };
    view! {
        <Balance id/>
        <section aria-labelledby="projects-h">
            <h3 id="projects-h">{move || lang.get().t("资助项目", "Funded projects")}</h3>
            <ul class="list" data-testid="projects">
                {projects.into_iter().map(|p| {
                    let href = format!("#/proposal/{}", p.project);
                    let (budget, spent, left) = (money(p.allocated + p.cofunded), money(p.spent), money(p.remaining()));
                    view! {
                        <li class="card">
                            <a class="card-link" href=href>
                                <span class="card-title">{p.title.clone()}</span>
                                <span class="card-meta">
                                    <span>{move || lang.get().t("预算 ", "Budget ")}{budget.clone()}</span>
                                    <span>{move || lang.get().t("已支出 ", "Spent ")}{spent.clone()}</span>
                                    <span>{move || lang.get().t("剩余 ", "Left ")}{left.clone()}</span>
                                </span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <div class="buttons">
            <button type="button" data-testid="csv-ledger" on:click=csv_ledger>{move || lang.get().t("下载台账 CSV", "Download ledger CSV")}</button>
            <button type="button" data-testid="csv-projects" on:click=csv_projects>{move || lang.get().t("下载项目 CSV", "Download projects CSV")}</button>
        </div>
        <section aria-labelledby="entries-h">
            <h3 id="entries-h">{move || lang.get().t("每一笔账", "Every entry")}</h3>
            <ol class="history entries" data-testid="entries">
                {entries.into_iter().map(|e| {
                    let who = name_or(&app, &e.by, &e.by_name);
                    let sign = e.kind.map_or(0, |k| k.cash_sign());
                    let amount = match sign { 1 => format!("+{}", money(e.amount)), -1 => format!("-{}", money(e.amount)), _ => money(e.amount) };
                    let title = if e.title.is_empty() {
                        ledger.project(&e.project).map(|p| p.title).unwrap_or_default()
                    } else { e.title.clone() };
                    let receipts = e.receipts.clone();
                    let kind = e.kind;
                    view! {
                        <li data-kind=kind.map_or("unknown", |k| k.as_str())>
                            <span class="when">{move || lang.get().time(e.at)}</span>
                            " · "<strong>{move || entry_kind(lang.get(), kind)}</strong>
                            " "<span class="amount">{amount}</span>
                            " · "{who}
                            {(!title.is_empty()).then(|| format!(" · {title}"))}
                            {(!e.line.is_empty()).then(|| format!(" · {}", e.line))}
                            {(!e.note.is_empty()).then(|| format!(" · {}", e.note))}
                            {(!receipts.is_empty()).then(|| view! {
                                <div class="photos">{receipts.into_iter().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The balance the relay holds, and what waits on this phone.
#[component]
pub fn Balance(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let local = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            linli_shared::domain::Summary::Fund(f) => Some(f.ledger.clone()),
            _ => None,
        })
        .flatten()
    });
    let confirmed = Memo::new(move |_| app.confirmed(&id, Ledger::read).flatten());
    let shown_memo = Memo::new(move |_| {
        confirmed
            .get()
            .or_else(|| local.get())
            .unwrap_or_else(|| Ledger {
                name: String::new(),
                entries: Vec::new(),
            })
    });
    let shown = move || shown_memo.get();
    let waiting = move || app.unconfirmed(&id);
    let here = move || local.get().map_or(0, |l| l.available());
    view! {
        <section class="balance card" aria-labelledby="balance-h">
            <h3 id="balance-h">{move || lang.get().t("社区确认的余额", "Balance confirmed by the relay")}</h3>
            <p class="big">
                {move || lang.get().t("可用余额 ", "Available ")}
                <strong data-testid="fund-available">{move || money(shown().available())}</strong>
            </p>
            <p>
                {move || lang.get().t("基金现有资金（含各项目未花完的预算）", "Money in the fund (incl. projects' unspent budgets)")}
                " "<span data-testid="fund-cash">{move || money(shown().cash())}</span>
            </p>
            <p>
                {move || lang.get().t("累计收入与众筹 ", "Raised in all ")}
                {move || money(shown().raised())}
            </p>
            <Show when=move || { waiting() > 0 }>
                <p class="pending" role="status" data-testid="fund-pending">
                    {move || match lang.get() {
                        crate::i18n::Lang::Zh => format!("本机还有 {} 笔待上传，未经社区确认；算上它们，可用余额为 {}。", waiting(), money(here())),
                        crate::i18n::Lang::En => format!("{} entries wait on this phone, not yet confirmed by the relay; counting them, available would be {}.", waiting(), money(here())),
                    }}
                </p>
            </Show>
        </section>
    }
}

/// This phone's entries waiting for the relay, and those it refused, kept as drafts to
/// correct (change the amount and send again, or discard).
#[component]
pub fn PendingBox(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let tick = RwSignal::new(0u32);
    let list = Memo::new(move |_| {
        tick.track();
        app.version.track();
        pending(&app, &id)
    });
    // Entries the relay has confirmed leave the list: nothing of this phone's waits any more.
    // A refusal reports every entry the phone did not yet know the relay had, so an entry
    // marked refused that the relay's version holds was accepted after all: it leaves too.
    Effect::new(move |_| {
        let all = list.get();
        if !app.editable(&id) || app.unsaved(&id) {
            return;
        }
        let settled = app.unconfirmed(&id) == 0;
        let held = app.confirmed(&id, Ledger::read).flatten();
        let mut used = std::collections::HashSet::new();
        let keep: Vec<Pending> = all
            .iter()
            .filter(|p| match &p.refused {
                None => !settled,
                Some(_) => !held.as_ref().is_some_and(|l| {
                    l.entries
                        .iter()
                        .find(|e| !used.contains(&e.id) && super::same_entry(p, e))
                        .map(|e| used.insert(e.id.clone()))
                        .is_some()
                }),
            })
            .cloned()
            .collect();
        if keep.len() != all.len() {
            set_pending(&app, &id, &keep);
            tick.update(|t| *t += 1);
        }
    });
    view! {
        <Show when=move || list.with(|l| l.iter().any(|p| p.refused.is_some()))>
            <section class="refused card" aria-labelledby="refused-h" data-testid="refused-drafts">
                <h3 id="refused-h">{move || lang.get().t("没被接受的记账（草稿，可修改后重交）", "Entries not accepted (drafts to correct)")}</h3>
                {move || list.get().into_iter().enumerate().filter(|(_, p)| p.refused.is_some()).map(|(i, p)| view! { <RefusedDraft id=id index=i item=p tick=tick/> }).collect_view()}
            </section>
        </Show>
    }
}

#[component]
fn RefusedDraft(id: DocumentId, index: usize, item: Pending, tick: RwSignal<u32>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let amount =
        RwSignal::new(linli_shared::domain::fund::yuan(item.entry.amount).replace(',', ""));
    let error = RwSignal::new(None::<String>);
    let reason = item
        .refused
        .clone()
        .map(|r| {
            if r.code == "overdrawn" {
                lang.get_untracked().t(
                "另一台手机先记了账，余额或预算已经不够。",
                "Another phone's entry came first: the balance or budget is no longer enough.",
            ).to_string()
            } else {
                r.reason
            }
        })
        .unwrap_or_default();
    let entry = item.entry.clone();
    let field = format!("draft-amount-{index}");
    let field2 = field.clone();
    let drop_it = move || {
        let mut list = pending(&app, &id);
        if index < list.len() {
            list.remove(index);
        }
        set_pending(&app, &id, &list);
        tick.update(|t| *t += 1);
    };
    let resend = {
        let entry = entry.clone();
        move || {
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
            let mut e = entry.clone();
            e.amount = fen;
            let mut list = pending(&app, &id);
            if index < list.len() {
                list.remove(index);
            }
            set_pending(&app, &id, &list);
            match write_entry(&app, id, e) {
                Ok(()) => error.set(None),
                Err(msg) => {
                    // Keep it as a draft: put it back.
                    let mut list = pending(&app, &id);
                    list.insert(index.min(list.len()), item.clone());
                    set_pending(&app, &id, &list);
                    error.set(Some(msg));
                }
            }
            tick.update(|t| *t += 1);
        }
    };
    let what = format!(
        "{} {} {}",
        entry_kind(lang.get_untracked(), Some(entry.kind)),
        money(entry.amount),
        [entry.line.clone(), entry.note.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    );
    view! {
        <div class="draft" data-testid="refused-draft">
            <p><strong>{what}</strong></p>
            <p class="field-error" role="alert">{reason}</p>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); resend(); }>
                <label for=field.clone()>{move || lang.get().t("改成多少元", "Change the amount (yuan)")}</label>
                <input id=field2 inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()/>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <div class="buttons">
                    <button type="submit">{move || lang.get().t("修改后重新提交", "Send corrected")}</button>
                    <button type="button" on:click=move |_| drop_it()>{move || lang.get().t("放弃这笔", "Discard it")}</button>
                </div>
            </form>
        </div>
    }
}

/// A resident's co-funding in their own name, to a project or to the fund.
#[component]
pub fn CofundForm(id: DocumentId, project: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let field = if project.is_empty() {
        "cofund-fund"
    } else {
        "cofund-project"
    };
    let send = move || {
        let Some(s) = app.session.get_untracked() else {
            return;
        };
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
        let mut e = NewEntry::new(
            EntryType::Cofunding,
            fen,
            &s.person,
            &data::me(&app).map(|m| m.name).unwrap_or_default(),
        );
        e.project = project.clone();
        match write_entry(&app, id, e) {
            Ok(()) => {
                error.set(None);
                amount.set(String::new());
                done.set(true);
            }
            Err(m) => error.set(Some(m)),
        }
    };
    view! {
        <form class="card form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>{move || lang.get().t("我也出一份（众筹）", "Chip in (co-funding)")}</h3>
            <label for=field>{move || lang.get().t("金额（元）", "Amount (yuan)")}</label>
            <input id=field inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).to_string()/>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || done.get()>
                <p class="hint" role="status">{move || lang.get().t("已记入台账（本机），联网后由社区确认。", "Entered on this phone; the relay confirms it once online.")}</p>
            </Show>
            <button type="submit">{move || lang.get().t("记入台账", "Enter in the ledger")}</button>
        </form>
    }
}

/// Staff: income for the fund (a social enterprise's share of its revenue, a donation).
#[component]
fn IncomeForm(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let Some(s) = app.session.get_untracked() else {
            return;
        };
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
        let mut e = NewEntry::new(
            EntryType::Income,
            fen,
            &s.person,
            &data::me(&app).map(|m| m.name).unwrap_or_default(),
        );
        e.note = note
            .get_untracked()
            .chars()
            .take(linli_shared::domain::fund::NOTE_MAX)
            .collect();
        match write_entry(&app, id, e) {
            Ok(()) => {
                error.set(None);
                amount.set(String::new());
                note.set(String::new());
            }
            Err(m) => error.set(Some(m)),
        }
    };
    view! {
        <form class="card form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>{move || lang.get().t("记一笔收入", "Record income")}</h3>
            <label for="income-amount">{move || lang.get().t("金额（元）", "Amount (yuan)")}</label>
            <input id="income-amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            <label for="income-note">{move || lang.get().t("来源", "Source")}</label>
            <input id="income-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit">{move || lang.get().t("记入台账", "Enter in the ledger")}</button>
        </form>
    }
}
