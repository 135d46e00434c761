//! Micro-grants 微创投: the fund's transparency page (balance confirmed by the relay and
//! pending on this phone, every project's budget, every ledger entry with its receipts, CSV
//! exports), calls and proposals (proposing, support +1), one proposal with its review,
//! decision and, once funded, its project (spending against budget lines, co-funding,
//! progress updates with the households taking part, the closing report).
//!
//! Ledger entries this phone wrote wait in a list kept as a draft (`pending.<fund>`) until
//! the relay confirms them; if the relay refuses them (an overdraft), they stay there as
//! drafts to correct, and the page shows the balance the relay holds.

pub mod fund;
pub mod list;
pub mod proposal;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::fund::{Fen, FundSummary, Ledger, NewEntry};
use linli_shared::domain::grant_call::{Call, CallSummary};
use linli_shared::domain::proposal::{Proposal, ProposalSummary};
use linli_shared::ids::DocumentId;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::platform;
use crate::state::App;

/// The community's fund (the first this device holds).
pub fn fund(app: &App) -> Option<(DocumentId, Ledger)> {
    let mut all = app.each_summary(|id, s| match s {
        Summary::Fund(FundSummary { ledger }) => Some((*id, ledger.clone())),
        _ => None,
    });
    all.sort_by_key(|(id, _)| id.to_string());
    all.into_iter().next()
}

/// Every call, newest first.
pub fn calls(app: &App) -> Vec<(DocumentId, Call)> {
    let mut all = app.each_summary(|id, s| match s {
        Summary::GrantCall(CallSummary { call }) => Some((*id, call.clone())),
        _ => None,
    });
    all.sort_by_key(|b| std::cmp::Reverse(b.1.opened_at));
    all
}

/// Every proposal, newest first.
pub fn proposals(app: &App) -> Vec<(DocumentId, Proposal)> {
    let mut all = app.each_summary(|id, s| match s {
        Summary::Proposal(ProposalSummary { proposal }) => Some((*id, proposal.clone())),
        _ => None,
    });
    all.sort_by_key(|b| std::cmp::Reverse(b.1.at));
    all
}

/// Yuan, with separators: `¥150,000.00`.
pub fn money(fen: Fen) -> String {
    format!("¥{}", linli_shared::domain::fund::yuan(fen))
}

/// A ledger entry this phone wrote, waiting for the relay, or refused by it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub entry: NewEntry,
    /// When the phone wrote it.
    pub at: i64,
    #[serde(default)]
    pub refused: Option<Refused>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub code: String,
    pub reason: String,
}

/// Whether a ledger entry is the one this phone kept as pending (same content, written within
/// a minute of when the phone recorded it).
pub fn same_entry(p: &Pending, e: &linli_shared::domain::fund::Entry) -> bool {
    let n = &p.entry;
    e.kind == Some(n.kind)
        && e.amount == n.amount
        && e.by == n.by
        && e.project == n.project
        && e.line == n.line
        && e.note == n.note
        && (e.at - p.at).abs() < 60_000
}

fn pending_key(fund: &DocumentId) -> String {
    format!("pending.{fund}")
}

/// The entries this phone keeps for the fund: pending or refused.
pub fn pending(app: &App, fund: &DocumentId) -> Vec<Pending> {
    app.draft(&pending_key(fund))
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

pub fn set_pending(app: &App, fund: &DocumentId, list: &[Pending]) {
    let json = if list.is_empty() {
        String::new()
    } else {
        serde_json::to_string(list).unwrap_or_default()
    };
    app.set_draft(&pending_key(fund), &json);
    app.flush_drafts();
}

/// Writes a ledger entry: kept in the pending list first (so a refusal finds it), then
/// written to the fund. `Err` is what to show beside the form (the phone's own ledger would
/// go negative, or the entry is malformed): nothing was written then.
pub fn write_entry(app: &App, fund_id: DocumentId, entry: NewEntry) -> Result<(), String> {
    let mut list = pending(app, &fund_id);
    list.push(Pending {
        entry: entry.clone(),
        at: app.now(),
        refused: None,
    });
    set_pending(app, &fund_id, &list);
    let command = linli_shared::domain::fund::FundCommand::Add { entry };
    match app.send(fund_id, command) {
        Ok(saving) => {
            let app = *app;
            leptos::task::spawn_local(async move {
                if let Err(e) = saving.done().await {
                    app.notice
                        .set(Some(crate::state::Notice::NotSaved(e.to_string())));
                }
            });
            Ok(())
        }
        Err(e) => {
            list.pop();
            set_pending(app, &fund_id, &list);
            Err(ledger_error(app.lang.get_untracked(), &e))
        }
    }
}

/// Why the phone would not write an entry, in the person's language.
pub fn ledger_error(l: Lang, e: &linli_shared::domain::ModelError) -> String {
    use linli_shared::domain::ModelError as M;
    use linli_shared::domain::fund::{EntryError as E, Overdraft as O};
    match e {
        M::Ledger(O::Fund(_)) => l
            .t(
                "基金可用余额不够。",
                "The fund's available balance is not enough.",
            )
            .into(),
        M::Ledger(O::Project { .. }) => l
            .t(
                "项目剩余预算不够。",
                "The project's remaining budget is not enough.",
            )
            .into(),
        M::Ledger(O::Line { .. }) => l
            .t(
                "超出了这一预算科目，需要社区工作者先记录批准。",
                "Over this budget line: staff must record an approval first.",
            )
            .into(),
        M::Ledger(O::Entry(E::Amount { .. })) => l
            .t(
                "请填写大于0的金额（元，最多两位小数）。",
                "Enter an amount above 0 (yuan, at most two decimals).",
            )
            .into(),
        M::Ledger(O::Entry(E::NoLine { .. } | E::Missing(..))) => {
            l.t("请选择预算科目。", "Choose a budget line.").into()
        }
        other => other.to_string(),
    }
}

/// A form field kept as a draft on the phone (IndexedDB, see `App::set_draft`): what is typed
/// survives the page being re-drawn when a document changes, a reload, or a crash.
pub fn kept(key: String) -> RwSignal<String> {
    let app = expect_context::<App>();
    let s = RwSignal::new(app.draft(&key).unwrap_or_default());
    Effect::new(move |_| s.with(|v| app.set_draft(&key, v)));
    s
}

/// Offers a text as a file download (built on this phone from the documents it holds).
pub fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Some(doc) = platform::window().document() else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// `YYYY-MM-DD` (China time).
pub fn date(at: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        (at + 8 * 3_600_000) as f64,
    ));
    format!(
        "{:04}-{:02}-{:02}",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date()
    )
}

/// A person's name as this phone knows it (their record, or the name they signed).
pub fn name_or(app: &App, person: &str, signed: &str) -> String {
    crate::data::person_name(app, person)
        .or_else(|| (!signed.is_empty()).then(|| signed.to_string()))
        .unwrap_or_else(|| person.to_string())
}

/// What kind of entry, in the person's language.
pub fn entry_kind(l: Lang, k: Option<linli_shared::domain::fund::EntryType>) -> &'static str {
    use linli_shared::domain::fund::EntryType as T;
    match k {
        Some(T::Income) => l.t("收入", "Income"),
        Some(T::Contribution) => l.t("议事分摊", "Decision share"),
        Some(T::Allocation) => l.t("拨款", "Allocation"),
        Some(T::Spending) => l.t("支出", "Spending"),
        Some(T::Cofunding) => l.t("居民众筹", "Co-funding"),
        Some(T::Refund) => l.t("结余退回", "Refund"),
        Some(T::Approval) => l.t("超科目批准", "Line approval"),
        None => l.t("未知", "Unknown"),
    }
}
