//! Children's drawings 童眼看社区: the register (a gallery of cards with a count line), one
//! drawing (its photo, what it proposes, the works it led to; staff's review; the guardian's
//! withdrawal), and the form a guardian (or staff, from a paper form) files one with.
//!
//! Staff and the guardian's household hold the drawing documents; everyone holds the
//! community's gallery, which shows the drawings guardians agreed to show and staff reviewed,
//! without the guardian. The register shows both, each drawing once.

pub mod form;
pub mod page;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::drawing::{Drawing, Gallery, GalleryEntry, Status, gallery_key};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::i18n::Lang;
use crate::state::{App, Route};

pub use form::DrawingForm;
pub use page::{DrawingPage, ShownDrawingPage};

impl Lang {
    pub fn drawing_status(self, s: Status) -> &'static str {
        s.label(self == Lang::Zh)
    }
}

/// Every drawing document this phone holds (staff: all; a family: theirs), newest first.
pub fn drawings(app: &App) -> Vec<(DocumentId, Drawing)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Drawing(d) => Some((*id, d.clone())),
        _ => None,
    });
    v.sort_by_key(|(_, d)| std::cmp::Reverse(d.created_at));
    v
}

/// The community's gallery, once it has synced.
pub fn gallery(app: &App) -> Option<(DocumentId, Gallery)> {
    app.each_summary(|id, s| match s {
        Summary::DrawingGallery(g) => Some((*id, g.clone())),
        _ => None,
    })
    .into_iter()
    .next()
}

pub(crate) fn is_staff(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

/// One card of the register.
#[derive(Clone, PartialEq)]
struct Card {
    route: Route,
    nickname: String,
    age: i64,
    proposes: String,
    status: Status,
    /// The photo and the document that serves it.
    photo: Option<(String, DocumentId)>,
    /// Only for the drawings this phone holds: shown to residents or not.
    private: bool,
}

/// The register's cards (held drawings first by date, then the gallery's others) and its
/// counts (collected, adopted): the gallery's tally, with the drawings filed here and not yet
/// counted by the relay.
fn cards(app: &App) -> (Vec<Card>, usize, usize) {
    let held = drawings(app);
    let gal = gallery(app);
    let keys: Vec<String> = held.iter().map(|(id, _)| gallery_key(id)).collect();
    let mut out: Vec<(i64, Card)> = held
        .iter()
        .map(|(id, d)| {
            (
                d.created_at,
                Card {
                    route: Route::Drawing(*id),
                    nickname: d.nickname.clone(),
                    age: d.age,
                    proposes: d.proposes.clone(),
                    status: d.status,
                    photo: d.photo.clone().map(|h| (h, *id)),
                    private: !d.public(),
                },
            )
        })
        .collect();
    let mut tally: std::collections::BTreeMap<String, Status> = Default::default();
    if let Some((gid, g)) = &gal {
        for e in &g.entries {
            if !keys.contains(&e.key) {
                out.push((e.created_at, card_of(e, *gid)));
            }
        }
        tally.extend(g.tally.iter().cloned());
    }
    for (k, (_, d)) in keys.iter().zip(held.iter()) {
        tally.insert(k.clone(), d.status);
    }
    out.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let adopted = tally.values().filter(|s| **s == Status::Adopted).count();
    (
        out.into_iter().map(|(_, c)| c).collect(),
        tally.len(),
        adopted,
    )
}

fn card_of(e: &GalleryEntry, gallery: DocumentId) -> Card {
    Card {
        route: Route::ShownDrawing(e.key.clone()),
        nickname: e.nickname.clone(),
        age: e.age,
        proposes: e.proposes.clone(),
        status: e.status,
        photo: e.photo.clone().map(|h| (h, gallery)),
        private: false,
    }
}

/// "已收集 126 幅，采纳 8 幅".
pub fn count_line(l: Lang, collected: usize, adopted: usize) -> String {
    match l {
        Lang::Zh => format!("已收集 {collected} 幅，采纳 {adopted} 幅"),
        Lang::En => format!("{collected} collected, {adopted} adopted"),
    }
}

/// The hub tile's line.
pub fn tile_line(app: &App, l: Lang) -> String {
    let (_, collected, adopted) = cards(app);
    count_line(l, collected, adopted)
}

#[component]
pub fn DrawingsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = Memo::new(move |_| cards(&app));
    let status = RwSignal::new(String::new());
    let shown = move || {
        let s = status.get();
        all.get()
            .0
            .into_iter()
            .filter(|c| s.is_empty() || c.status.as_str() == s)
            .collect::<Vec<_>>()
    };
    view! {
        <main class="page drawings">
            <h2>{move || lang.get().t("童眼看社区：孩子们的画", "Children's drawings of the community")}</h2>
            <p data-testid="drawings-count">{move || { let (_, c, a) = all.get(); count_line(lang.get(), c, a) }}</p>
            <p class="hint">{move || lang.get().t(
                "孩子们画下想改变的地方，社区评审后把好点子纳入微更新。展示的画只显示小名和年龄。",
                "Children drew what they would change; staff review them and take good ideas into the micro-renewal plan. Shown drawings carry only a nickname and an age.")}</p>
            <a class="button primary big" href=Route::NewDrawing.hash() data-testid="new-drawing">
                {move || if is_staff(&app) { lang.get().t("登记一幅画（纸质同意书）", "Register a drawing (paper consent)") } else { lang.get().t("提交孩子的画", "Submit your child's drawing") }}
            </a>
            <div class="filters" role="group" aria-label=move || lang.get().t("筛选", "Filters")>
                <label for="dr-status" class="sr">{move || lang.get().t("按状态筛选", "Filter by status")}</label>
                <select id="dr-status" data-testid="drawings-filter" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("全部状态", "Any status")}</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || lang.get().drawing_status(s)}</option> }).collect_view()}
                </select>
            </div>
            <ul class="cards gallery">
                {move || shown().into_iter().map(|c| {
                    let l = lang.get();
                    let age = match l { Lang::Zh => format!("{} 岁", c.age), Lang::En => format!("age {}", c.age) };
                    view! {
                        <li class="card drawing-card">
                            <a href=c.route.hash() data-testid="drawing-card">
                                {c.photo.clone().map(|(h, doc)| view! { <DrawingPicture hash=h doc large=false/> })}
                                <strong>{format!("{} · {age}", c.nickname)}</strong>
                                <span class="meta">{c.proposes.clone()}</span>
                                <span class=format!("status drawing-{}", c.status.as_str())>{l.drawing_status(c.status)}</span>
                                {c.private.then(|| view! { <span class="meta">{l.t("未公开展示", "Not shown publicly")}</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || shown().is_empty()>
                <p class="empty">{move || lang.get().t("还没有符合条件的画。", "No drawings match yet.")}</p>
            </Show>
        </main>
    }
}

/// A drawing's picture: from the phone, or fetched once online (through the document that
/// names it: the drawing, or the gallery). Large on a drawing's page, a thumbnail on a card.
#[component]
pub fn DrawingPicture(hash: String, doc: DocumentId, large: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let attempt = RwSignal::new(0u32);
    let url = LocalResource::new(move || {
        let hash = hash.clone();
        app.sync.with(|s| s.online);
        attempt.track();
        async move {
            let bytes = app.photo(&hash, doc).await?;
            crate::platform::image::object_url(&bytes)
        }
    });
    Effect::new(move |_| {
        if url.get().is_some_and(|u| u.is_none()) && app.sync.with(|s| s.online) {
            let n = attempt.get_untracked();
            let wait = std::time::Duration::from_millis((1500u64 << n.min(3)).min(8_000));
            set_timeout(move || attempt.update(|a| *a += 1), wait);
        }
    });
    let class = if large {
        "drawing-picture large"
    } else {
        "drawing-picture"
    };
    view! {
        <Suspense fallback=|| ()>
            {move || match url.get().flatten() {
                Some(u) => view! {
                    <img src=u class=class data-testid="photo" alt=move || lang.get().t("孩子的画", "The child's drawing")/>
                }.into_any(),
                None => view! {
                    <span class=format!("{class} missing")>{move || lang.get().t("联网后显示画", "The drawing shows when online")}</span>
                }.into_any(),
            }}
        </Suspense>
    }
}
