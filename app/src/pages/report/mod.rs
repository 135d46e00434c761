//! The practice report 实践报告 (`#/report`, staff): the year's report drafted on the phone from
//! the data it holds (`linli_shared::report`), in the article's structure. Every figure is
//! computed and opens its records (an indicator's records for the report's period, or a
//! register). Staff edit a paragraph's words in place around its figures; the edit is kept
//! on this phone per period and language, and the figures in it stay computed. Printable
//! (the print stylesheet hides the app around it) and exported as Markdown and HTML.

use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Summary;
use linli_shared::indicators::{Period, Scope};
use linli_shared::policy::Role;
use linli_shared::report::{self, Edits, Extra, Link, Para, Piece, Report, Span};
use linli_shared::time::{civil_from_days, days_from_civil, shanghai_day, shanghai_day_start};
use wasm_bindgen::JsCast;

use crate::i18n::Lang;
use crate::pages::indicators::{PeriodSel, Sel, remember};
use crate::platform;
use crate::state::{App, Route};

/// Which year the report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span12 {
    /// The last twelve months, today included.
    Last12,
    /// This calendar year so far.
    ThisYear,
    /// Last calendar year.
    LastYear,
}

impl Span12 {
    const ALL: [Span12; 3] = [Span12::Last12, Span12::ThisYear, Span12::LastYear];

    fn key(self) -> &'static str {
        match self {
            Span12::Last12 => "last12",
            Span12::ThisYear => "this-year",
            Span12::LastYear => "last-year",
        }
    }

    fn name(self, l: Lang) -> &'static str {
        match self {
            Span12::Last12 => l.t("近12个月", "The last 12 months"),
            Span12::ThisYear => l.t("今年", "This year"),
            Span12::LastYear => l.t("去年", "Last year"),
        }
    }

    fn period(self, now: i64) -> Period {
        let today = shanghai_day(now);
        let (y, _, _) = civil_from_days(today);
        let jan1 = |y: i32| shanghai_day_start(days_from_civil(y, 1, 1));
        match self {
            Span12::Last12 => Period::last_days(now, 365),
            Span12::ThisYear => Period::new(jan1(y), shanghai_day_start(today + 1)),
            Span12::LastYear => Period::new(jan1(y - 1), jan1(y)),
        }
    }
}

fn edits_key(span: Span12, l: Lang) -> String {
    format!(
        "linli.report.{}.{}",
        span.key(),
        if l.zh() { "zh" } else { "en" }
    )
}

fn load_edits(span: Span12, l: Lang) -> Edits {
    platform::ls_get(&edits_key(span, l))
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

fn store_edits(span: Span12, l: Lang, e: &Edits) {
    let key = edits_key(span, l);
    if e.is_empty() {
        platform::ls_remove(&key);
    } else if let Ok(s) = serde_json::to_string(e) {
        platform::ls_set(&key, &s);
    }
}

/// What the report counts beside the indicators: the community's name, field notes written,
/// rules adopted, governance-school sessions held and children's drawings collected (and
/// adopted) in `p`.
fn extra(app: &App, p: Period, now: i64) -> Extra {
    let community = crate::data::community(app)
        .map(|c| c.name)
        .unwrap_or_default();
    let within = |at: i64| at >= p.from && at < p.to;
    let mut e = Extra {
        community,
        ..Extra::default()
    };
    untrack(|| {
        app.each_summary(|_, s| {
            match s {
                Summary::FieldNote(n) if within(n.observed_at) => e.field_notes += 1,
                Summary::Charter(c) if c.versions.iter().any(|v| within(v.adopted_at)) => {
                    e.charters += 1
                }
                Summary::Training(t) if within(t.starts_at) && t.starts_at <= now => {
                    e.trainings += 1
                }
                Summary::Drawing(d) if within(d.created_at) => {
                    e.drawings += 1;
                    if d.status == linli_shared::domain::drawing::Status::Adopted {
                        e.drawings_adopted += 1;
                    }
                }
                _ => {}
            }
            None::<()>
        })
    });
    e
}

/// A paragraph as typed: its text nodes as words, its figure links by their keys.
fn pieces_of(el: &web_sys::HtmlElement) -> Vec<Piece> {
    let Ok(nodes) = js_sys::Reflect::get(el, &"childNodes".into()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in js_sys::Array::from(&nodes).iter() {
        let Ok(node) = n.dyn_into::<web_sys::Node>() else {
            continue;
        };
        let fig = node
            .dyn_ref::<web_sys::Element>()
            .and_then(|e| e.get_attribute("data-fig"));
        match fig {
            Some(key) => out.push(Piece::F(key)),
            None => out.push(Piece::T(node.text_content().unwrap_or_default())),
        }
    }
    report::normalise(out)
}

/// The app's address, for the links of an exported file.
fn base() -> String {
    let loc = platform::window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Whether a paragraph of the report has the focus (someone is typing in it).
fn typing() -> bool {
    platform::window()
        .document()
        .and_then(|d| d.active_element())
        .is_some_and(|e| e.has_attribute("data-para"))
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let staff = app
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff));
    if !staff {
        return view! {
            <main class="page report">
                <p><a class="row-link" href="#/more">{move || lang.get().t("‹ 社区", "‹ Community")}</a></p>
                <p class="empty">{move || lang.get().t("实践报告由社区工作者起草。", "The practice report is drafted by community staff.")}</p>
            </main>
        }
        .into_any();
    }
    let span = RwSignal::new(Span12::Last12);
    // Bumped when a paragraph's edit is done or undone (every keystroke is already stored).
    let edits = RwSignal::new(Edits::new());
    let report = RwSignal::new(None::<Report>);
    Effect::new(move |_| {
        app.version.track();
        edits.track();
        let (s, l) = (span.get(), lang.get());
        spawn_local(async move {
            platform::after_paint().await;
            // Not under a typing finger: the paragraph's blur redraws it. Not from the first
            // screen's share of the records either: the rest follows in a moment.
            if typing() || !app.read_model_complete() {
                return;
            }
            // The stored edits hold every keystroke (saved on input).
            let e = load_edits(s, l);
            let now = app.now();
            let p = s.period(now);
            let index = crate::pages::indicators::index(&app, &Scope::Community);
            let x = extra(&app, p, now);
            let r = report::apply(report::draft(&index, p, &x, l.zh()), &e);
            if report.with_untracked(|old| old.as_ref() != Some(&r)) {
                report.set(Some(r));
            }
        });
    });
    let save = move |key: String, el: web_sys::HtmlElement| {
        let pieces = pieces_of(&el);
        let (s, l) = (span.get_untracked(), lang.get_untracked());
        let mut e = load_edits(s, l);
        e.insert(key, pieces);
        store_edits(s, l, &e);
        e
    };
    let restore = move |key: String| {
        let (s, l) = (span.get_untracked(), lang.get_untracked());
        let mut e = load_edits(s, l);
        e.remove(&key);
        store_edits(s, l, &e);
        edits.set(e);
    };
    let download = move |ext: &'static str| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let name = format!("practice-report-{}.{ext}", span.get_untracked().key());
        if ext == "md" {
            crate::pages::grants::download(
                &name,
                "text/markdown;charset=utf-8",
                &report::markdown(&r, &base()),
            );
        } else {
            let l = if lang.get_untracked().zh() {
                "zh-CN"
            } else {
                "en"
            };
            crate::pages::grants::download(
                &name,
                "text/html;charset=utf-8",
                &report::html(&r, l, &base()),
            );
        }
    };
    view! {
        <main class="page report" data-testid="report"
            data-ready=move || if report.with(Option::is_some) { "1" } else { "0" }>
            <p class="no-print"><a class="row-link" href="#/more">{move || lang.get().t("‹ 社区", "‹ Community")}</a></p>
            <div class="report-tools no-print">
                <label>
                    <span>{move || lang.get().t("报告期间", "Period")}</span>
                    <select data-testid="report-period"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(s) = Span12::ALL.into_iter().find(|s| s.key() == v) {
                                span.set(s);
                            }
                        }>
                        {Span12::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || span.get() == s>{move || s.name(lang.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="buttons">
                    <button type="button" data-testid="report-print" on:click=move |_| { let _ = platform::window().print(); }>
                        {move || lang.get().t("打印", "Print")}
                    </button>
                    <button type="button" data-testid="report-md" on:click=move |_| download("md")>
                        {move || lang.get().t("导出 Markdown", "Export Markdown")}
                    </button>
                    <button type="button" data-testid="report-html" on:click=move |_| download("html")>
                        {move || lang.get().t("导出 HTML", "Export HTML")}
                    </button>
                </div>
            </div>
            <p class="hint no-print">{move || lang.get().t(
                "草稿由这部手机上的数据生成，每个数字都可点开看它的记录。段落可以直接改写，改动保存在这部手机上，数字仍随数据更新。",
                "Drafted from the data on this phone; every figure opens its records. Rewrite any paragraph in place: your words are kept on this phone, and the figures in them stay up to date.",
            )}</p>
            {move || match report.get() {
                None => view! { <p class="loading" aria-busy="true">{move || lang.get().t("正在起草…", "Drafting…")}</p> }.into_any(),
                Some(r) => view! { <Sheet r save edits restore/> }.into_any(),
            }}
        </main>
    }
    .into_any()
}

#[component]
fn Sheet(
    r: Report,
    save: impl Fn(String, web_sys::HtmlElement) -> Edits + Copy + Send + Sync + 'static,
    edits: RwSignal<Edits>,
    restore: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = expect_context::<App>().lang;
    let sections = r.sections.clone();
    view! {
        <article class="report-sheet" data-testid="report-sheet">
            <h1>{r.title.clone()}</h1>
            <p class="sub">{r.subtitle.clone()}</p>
            {sections.into_iter().map(|s| {
                let title = s.title.clone();
                let paras = s.paras.into_iter().enumerate().map(|(i, p)| {
                    let label = format!("{title} · {}", i + 1);
                    view! { <Paragraph p label save edits restore/> }
                }).collect_view();
                view! {
                    <section class="report-section" data-section=s.key>
                        <h2>{s.title}</h2>
                        {paras}
                    </section>
                }
            }).collect_view()}
            <p class="hint no-print">{move || lang.get().t("（完）", "(End)")}</p>
        </article>
    }
}

#[component]
fn Paragraph(
    p: Para,
    label: String,
    save: impl Fn(String, web_sys::HtmlElement) -> Edits + Copy + Send + Sync + 'static,
    edits: RwSignal<Edits>,
    restore: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = p.key.clone();
    let (k_input, k_blur, k_restore) = (key.clone(), key.clone(), key.clone());
    let edited = p.edited;
    // Typed in since it took the focus.
    let typed = StoredValue::new(false);
    let spans = p
        .spans
        .into_iter()
        .map(|s| match s {
            Span::Text(t) => t.into_any(),
            Span::Fig(f) => {
                let href = f.link.route();
                let link = f.link.clone();
                let go = move |ev: leptos::ev::MouseEvent| {
                    // Inside an editable paragraph a link is not followed by itself.
                    ev.prevent_default();
                    match &link {
                        Link::Indicator { id, from, to } => {
                            remember(&Sel {
                                period: PeriodSel::Custom(*from, *to),
                                scope: Scope::Community,
                            });
                            app.go(Route::Indicator(*id));
                        }
                        Link::Register(r) => {
                            let _ = platform::window().location().set_hash(&format!("/{r}"));
                        }
                    }
                };
                view! {
                    <a class="fig" href=href contenteditable="false" data-fig=f.key on:click=go>
                        <strong>{f.text}</strong>
                    </a>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <div class="report-para">
            <p contenteditable="true" role="textbox" aria-multiline="true" aria-label=label
                data-para=key spellcheck="false"
                on:input=move |ev| {
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = save(k_input.clone(), el);
                        typed.set_value(true);
                    }
                }
                on:blur=move |ev| {
                    // Only a paragraph typed in becomes an edit (a tap in and out is not one);
                    // either way the report catches up with data that arrived meanwhile.
                    if !typed.get_value() {
                        edits.update(|_| ());
                        return;
                    }
                    typed.set_value(false);
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                        edits.set(save(k_blur.clone(), el));
                    }
                }>
                {spans}
            </p>
            {edited.then(|| view! {
                <p class="para-meta no-print">
                    <span class="hint">{move || lang.get().t("已改写", "Edited")}</span>" "
                    <button type="button" class="link" data-testid="report-restore"
                        on:click=move |_| restore(k_restore.clone())>
                        {move || lang.get().t("恢复草稿", "Back to the draft")}
                    </button>
                </p>
            })}
        </div>
    }
}

/// The hub's line for the report tile.
pub fn tile_line(l: Lang) -> String {
    l.t(
        "由本机数据起草 · 可改写、打印、导出",
        "Drafted from the data · edit, print, export",
    )
    .to_string()
}
