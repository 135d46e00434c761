//! Photos: a picker (take or choose, up to three, compressed on the phone) and a display that
//! works offline once a photo has been on the phone.

use leptos::prelude::*;
use linli_shared::domain::requests::limits;
use linli_shared::ids::DocumentId;
use wasm_bindgen::JsCast;

use crate::i18n::Lang;
use crate::platform::image::{self, ImageError};
use crate::state::App;

fn image_error(l: Lang, e: &ImageError) -> String {
    match (l, e) {
        (Lang::Zh, ImageError::NotAnImage) => "这不是图片文件，请选择照片。".into(),
        (Lang::En, ImageError::NotAnImage) => "That is not an image; please choose a photo.".into(),
        (Lang::Zh, ImageError::TooLarge(mb)) => {
            format!("照片太大（{mb:.0} MB），请选择 30 MB 以内的照片。")
        }
        (Lang::En, ImageError::TooLarge(mb)) => {
            format!("The photo is too large ({mb:.0} MB); choose one under 30 MB.")
        }
        (Lang::Zh, ImageError::TooBig) => "这张照片压缩后仍然太大，请换一张。".into(),
        (Lang::En, ImageError::TooBig) => {
            "This photo stays too large even compressed; try another.".into()
        }
        (Lang::Zh, ImageError::Browser(_)) => "无法读取这张照片。".into(),
        (Lang::En, ImageError::Browser(_)) => "Could not read this photo.".into(),
    }
}

/// Picks up to three photos (or `max`) into `photos` (content hashes), keeping each on the
/// phone.
#[component]
pub fn PhotoPicker(
    photos: RwSignal<Vec<String>>,
    id: &'static str,
    #[prop(default = limits::PHOTOS_MAX)] max: usize,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(files) = input.files() else { return };
        let picked: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        input.set_value("");
        if photos.with_untracked(Vec::len) + picked.len() > max {
            error.set(Some(lang.get_untracked().input_error(
                &linli_shared::domain::InputError::TooManyPhotos { max },
            )));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            for f in picked {
                match image::prepare(&f).await {
                    Ok(p) => match app.keep_photo(&p).await {
                        // The form may be gone by now (the person moved on): `try_`.
                        Ok(()) => {
                            photos.try_update(|v| {
                                if !v.contains(&p.hash) {
                                    v.push(p.hash.clone());
                                }
                            });
                        }
                        Err(e) => {
                            error.try_set(Some(e.to_string()));
                        }
                    },
                    Err(e) => {
                        error.try_set(Some(image_error(lang.get_untracked(), &e)));
                    }
                }
            }
            busy.try_set(false);
        });
    };
    let error_id = format!("{id}-err");
    view! {
        <div class="field photos-field">
            <span class="field-name" aria-hidden="true">{move || lang.get().t("照片", "Photos")}</span>
            <ul class="thumbs">
                {move || photos.get().into_iter().map(|h| {
                    let h2 = h.clone();
                    view! {
                        <li>
                            <LocalPhoto hash=h.clone()/>
                            <button
                                type="button"
                                class="remove"
                                aria-label=move || lang.get().t("删除这张照片", "Remove this photo")
                                on:click=move |_| photos.update(|v| v.retain(|x| *x != h2))
                            >"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            // The native picker ("Choose Files", in the browser's language) stays out of sight;
            // its label is the button people tap, in theirs.
            <input
                id=id
                class="visually-hidden"
                type="file"
                accept="image/*"
                multiple=true
                data-testid="photo-input"
                disabled=move || busy.get() || photos.with(|p| p.len() >= max)
                aria-describedby=error_id.clone()
                on:change=on_change
            />
            <label for=id class="pick">
                <span aria-hidden="true">"📷 "</span>
                {move || {
                    let n = photos.with(Vec::len);
                    match lang.get() {
                        Lang::Zh => format!("添加照片（可选，{n}/{max}）"),
                        Lang::En => format!("Add photos (optional, {n}/{max})"),
                    }
                }}
            </label>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || busy.get()>
                <p class="hint" aria-live="polite">{move || lang.get().t("正在压缩照片…", "Compressing…")}</p>
            </Show>
        </div>
    }
}

/// A photo kept on this phone (e.g. one just picked).
#[component]
fn LocalPhoto(hash: String) -> impl IntoView {
    let app = expect_context::<App>();
    let url = LocalResource::new(move || {
        let hash = hash.clone();
        async move {
            let db = app.db()?;
            let bytes = crate::platform::idb::get_blob(&db, &hash).await.ok()??;
            image::object_url(&bytes)
        }
    });
    view! {
        {move || url.get().flatten().map(|u| view! { <img src=u alt="" class="thumb"/> })}
    }
}

/// A photo of a request: from the phone, or fetched once online.
#[component]
pub fn Photo(hash: String, doc: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // Retried with backoff while the photo is missing (its uploader may still be sending it).
    let attempt = RwSignal::new(0u32);
    let url = LocalResource::new(move || {
        let hash = hash.clone();
        app.sync.with(|s| s.online);
        attempt.track();
        async move {
            let bytes = app.photo(&hash, doc).await?;
            image::object_url(&bytes)
        }
    });
    Effect::new(move |_| {
        if url.get().is_some_and(|u| u.is_none()) && app.sync.with(|s| s.online) {
            let n = attempt.get_untracked();
            // Someone is looking at the page: check again every few seconds at most.
            let wait = std::time::Duration::from_millis((1500u64 << n.min(3)).min(8_000));
            set_timeout(move || attempt.update(|a| *a += 1), wait);
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || match url.get().flatten() {
                Some(u) => view! {
                    <a href=u.clone() target="_blank" rel="noopener">
                        <img src=u.clone() alt=move || lang.get().t("诉求照片", "Photo of the request") class="photo" data-testid="photo"/>
                    </a>
                }.into_any(),
                None => view! {
                    <span class="photo missing">{move || lang.get().t("联网后显示照片", "Photo shows when online")}</span>
                }.into_any(),
            }}
        </Suspense>
    }
}
