//! The frame around every page: the top bar with the sync indicator and the language switch,
//! the "new version" banner, notices, and the bottom tab bar.

use leptos::prelude::*;
use linli_shared::policy::Role;

use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

#[component]
pub fn TopBar() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let title = move || {
        crate::data::community(&app)
            .map(|c| c.name)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| lang.get().t("邻里", "Linli").to_string())
    };
    let other = move || match lang.get() {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    view! {
        <header class="topbar">
            <h1 class="brand">{title}</h1>
            // Before enrolment there is nothing to sync: no indicator to say "offline".
            <Show when=move || app.session.with(Option::is_some)>
                <SyncIndicator/>
                <crate::pages::requests::notify::Bell/>
                <crate::pages::talks::SettleTalks/>
            </Show>
            <button
                class="lang"
                type="button"
                aria-label=move || lang.get().t("EN：切换到英文", "中文: switch to Chinese")
                on:click=move |_| app.set_lang(other())
            >
                {move || lang.get().t("EN", "中文")}
            </button>
        </header>
    }
}

/// Always honest about sync: online or not, what waits for the relay, when it last synced.
#[component]
pub fn SyncIndicator() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let state = move || {
        let s = app.sync.get();
        let l = lang.get();
        let now = app.clock.get().max(platform::device_now());
        let (class, word) = if s.online {
            if s.unconfirmed > 0 || s.saving > 0 {
                ("sync busy", l.t("同步中", "Syncing").to_string())
            } else {
                ("sync ok", l.t("已同步", "Synced").to_string())
            }
        } else if s.connecting {
            ("sync off", l.t("连接中", "Connecting").to_string())
        } else {
            ("sync off", l.t("离线", "Offline").to_string())
        };
        let pending = if s.saving > 0 {
            l.t("保存中…", "saving…").to_string()
        } else if s.unconfirmed > 0 {
            match l {
                Lang::Zh => format!("{} 条待上传", s.unconfirmed),
                Lang::En => format!("{} waiting to upload", s.unconfirmed),
            }
        } else {
            String::new()
        };
        let last = s
            .last_sync
            .map(|t| match l {
                Lang::Zh => format!("上次同步 {}", l.ago(t, app.now().max(now))),
                Lang::En => format!("last sync {}", l.ago(t, app.now().max(now))),
            })
            .unwrap_or_default();
        (class, word, pending, last, s.online)
    };
    view! {
        <div
            class=move || state().0
            role="status"
            aria-live="polite"
            data-testid="sync"
            data-online=move || state().4.to_string()
            data-unconfirmed=move || app.sync.get().unconfirmed.to_string()
            data-saving=move || app.sync.get().saving.to_string()
        >
            <span class="dot" aria-hidden="true"></span>
            <span class="word">{move || state().1}</span>
            <span class="pending" data-testid="pending">{move || state().2}</span>
            <span class="last">{move || state().3}</span>
        </div>
    }
}

/// Offered when a new version is installed and waiting; reloads only when asked, and not
/// while an edit is still being saved on this phone.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let busy = move || app.sync.get().saving > 0;
    view! {
        <Show when=move || app.update_ready.get()>
            <div class="banner" role="region" aria-label=move || lang.get().t("新版本", "New version")>
                <span>{move || lang.get().t("有新版本可用。", "A new version is ready.")}</span>
                <span class="hint">
                    {move || if app.sync.get().unconfirmed > 0 {
                        lang.get().t("未上传的修改已保存在本机，刷新不会丢失。", "Edits not yet uploaded are saved on this phone and survive the reload.")
                    } else { "" }}
                </span>
                <button
                    type="button"
                    disabled=busy
                    on:click=move |_| platform::sw::activate(app.waiting_sw)
                >
                    {move || lang.get().t("刷新", "Reload")}
                </button>
            </div>
        </Show>
    }
}

#[component]
pub fn Notices() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = move || {
        let l = lang.get();
        app.notice.get().map(|n| match n {
            Notice::Saving => l.t("正在保存到本机…", "Saving on this phone…").to_string(),
            Notice::Saved => l.t("已保存到本机", "Saved on this phone").to_string(),
            Notice::NotSaved(e) => match l {
                Lang::Zh => format!("没能保存到本机（{e}）。你填写的内容都还在，请再试一次。"),
                Lang::En => format!("Could not save on this phone ({e}). Everything you typed is kept; please try again."),
            },
            Notice::Followed => l
                .t("已关注：这件事有进展时会通知你。", "Following: you will hear when it moves.")
                .to_string(),
            Notice::Error(e) => format!("{} {e}", l.t("出错了：", "Something went wrong:")),
            Notice::Refused { code, reason, lost } => {
                let lost = if lost.is_empty() {
                    String::new()
                } else {
                    format!(" {}「{}」", l.t("未被接受的内容：", "Not accepted:"), lost.join("」「"))
                };
                match l {
                    Lang::Zh => format!("服务器没有接受这项修改（{}）。已恢复为社区里的版本。{lost}", refusal_text(l, &code, &reason)),
                    Lang::En => format!("The relay did not accept this change ({}). The community's version is shown again.{lost}", refusal_text(l, &code, &reason)),
                }
            }
            Notice::Revoked => l
                .t("这台设备已被停用。请联系社区工作人员。", "This device was revoked. Please contact community staff.")
                .to_string(),
            Notice::StorageFull => l
                .t("手机存储空间已满，刚才的修改没能保存。", "This phone's storage is full; the last edit could not be saved.")
                .to_string(),
            Notice::Removed => l
                .t("这条记录已不在本机。", "This record is no longer on this phone.")
                .to_string(),
        })
    };
    view! {
        <Show when=move || app.notice.with(Option::is_some)>
            <div class="notice" role="alert" data-testid="notice" data-kind=move || app.notice.with(|n| match n {
                Some(Notice::Saving) => "saving",
                Some(Notice::Saved) => "saved",
                Some(Notice::NotSaved(_)) => "not-saved",
                _ => "other",
            })>
                <span>{text}</span>
                <button
                    type="button"
                    aria-label=move || lang.get().t("关闭提示", "Dismiss")
                    on:click=move |_| app.notice.set(None)
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}

/// A refusal's reason in the person's language (the relay's detail for a code this version
/// does not know).
fn refusal_text(l: Lang, code: &str, reason: &str) -> String {
    use linli_shared::api::RefusalCode as C;
    let words = match C::parse(code) {
        Some(C::ForgedActor) => l.t("设备身份不符", "this device's identity did not match"),
        Some(C::NotAllowed | C::FieldNotAllowed | C::BadEvent | C::BadFiling) => l.t(
            "你的身份不能做这项修改",
            "your role may not make this change",
        ),
        Some(C::ScopeChange) => l.t("只有社区工作者能转移诉求", "only staff move a request"),
        Some(C::TooLarge) => l.t("内容太长", "it was too long"),
        Some(C::TooManyPhotos) => l.t("照片太多", "too many photos"),
        Some(C::BadTime) => l.t(
            "这台手机的时间不对，请校准时间后再试",
            "this phone's clock is wrong; set the time and try again",
        ),
        Some(C::BadName) => l.t(
            "署名与登记的姓名不符",
            "the name signed is not the one on record",
        ),
        Some(C::UnknownGrid) => l.t("社区没有这个网格", "the community has no such grid"),
        Some(C::Quota) => l.t(
            "今天新建的记录太多了，请明天再试",
            "too many new records today; please try again tomorrow",
        ),
        Some(C::PersonalData) => l.t(
            "公开的内容里有手机号、证件号、银行卡号或车牌号，请删掉后再提交",
            "public text held a phone, ID or bank card number or a plate; remove it and send again",
        ),
        Some(C::BadSplit) => l.t(
            "费用分摊加起来不是100%或不等于总额",
            "the cost split does not add up to 100% and to the total",
        ),
        Some(C::Overdrawn) => l.t(
            "余额或预算不够：另一笔账先到了。这笔账已保留为草稿，可修改后重交",
            "not enough balance or budget: another entry came first. This one is kept as a draft to correct",
        ),
        Some(C::BadBallot) => l.t(
            "这张表决票不能这样写：只能为自己家的房号投票，或为本网格的房号录入纸质票",
            "this ballot cannot be written: only for your own flat, or a paper ballot for a flat of your grid",
        ),
        Some(C::VoteClosed) => l.t(
            "表决已截止，这张票没有计入",
            "the vote has closed; this ballot was not counted",
        ),
        Some(C::SecondHistory) => l.t(
            "这条记录当时还没有同步到这台手机，修改没有保存；请等记录出现后再改",
            "this record had not reached this phone yet, so the change was not kept; change it again once it is here",
        ),
        Some(C::Malformed | C::NoKind | C::KindChanged | C::ScopeMissing) => {
            l.t("数据有误", "the data was malformed")
        }
        None if code == "rewritten" => l.t(
            "这条记录因删除某人的个人信息而被重写，你离线时对它的修改没有保存",
            "this record was rewritten when someone's personal data was erased; what you changed offline was not kept",
        ),
        None if code == "no_longer_available" => l.t(
            "这条记录已不再对你开放（例如授权已撤回）",
            "this record is no longer open to you (e.g. consent was withdrawn)",
        ),
        None => "",
    };
    if words.is_empty() {
        reason.to_string()
    } else {
        words.to_string()
    }
}

#[component]
pub fn TabBar() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let role = move || app.session.with(|s| s.as_ref().map(|s| s.role));
    let tab = move |route: Route, zh: &'static str, en: &'static str, icon: &'static str| {
        let r = route.clone();
        let current = move || app.route.get() == r;
        let current2 = current.clone();
        view! {
            <a
                href=route.hash()
                class="tab"
                class:current=current
                aria-current=move || if current2() { "page" } else { "false" }
            >
                <span class="icon" aria-hidden="true">{icon}</span>
                <span>{move || lang.get().t(zh, en)}</span>
            </a>
        }
    };
    view! {
        <nav class="tabbar" aria-label=move || lang.get().t("主菜单", "Main menu")>
            {move || {
                let home = match role() {
                    Some(Role::GridWorker) => ("网格队列", "Grid queue"),
                    Some(Role::Staff) => ("全部诉求", "All requests"),
                    _ => ("我的诉求", "My requests"),
                };
                let extra = match role() {
                    Some(Role::Staff) => Some(tab(Route::People, "成员", "People", "☺")),
                    Some(Role::Volunteer) => Some(tab(Route::Elders, "长辈", "Elders", "♡")),
                    _ => None,
                };
                view! {
                    {tab(Route::Home, home.0, home.1, "☰")}
                    {tab(Route::File, "提交诉求", "File a request", "＋")}
                    {extra}
                    // Every module (talks, fund, grids, …) is a tile on one page.
                    {tab(Route::Hub, "社区", "Community", "▦")}
                    {tab(Route::Settings, "设置", "Settings", "⚙")}
                }
            }}
        </nav>
    }
}
