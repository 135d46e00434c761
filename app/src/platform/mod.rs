//! The browser at the edge: IndexedDB, WebSocket, WebCrypto, fetch, the clock, the service
//! worker, speech. Nothing here knows about requests or grids.

pub mod crypto;
pub mod firstpaint;
pub mod http;
pub mod idb;
#[cfg(all(test, target_arch = "wasm32"))]
mod idb_tests;
pub mod image;
pub mod sw;
pub mod ws;

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

/// Milliseconds since the epoch by this device's clock (`Date.now()`).
pub fn device_now() -> i64 {
    js_sys::Date::now() as i64
}

/// `n` random bytes from `crypto.getRandomValues`.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // getrandom's wasm_js backend reads crypto.getRandomValues; failing means no usable browser.
    getrandom::fill(&mut b).expect("crypto.getRandomValues");
    b
}

/// Whether `target[name]` exists (a missing API otherwise aborts on first call).
pub fn has_api(target: &JsValue, name: &str) -> bool {
    js_sys::Reflect::get(target, &JsValue::from_str(name))
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false)
}

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

/// `localStorage`, if this browser gives us one.
pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn ls_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn ls_set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn ls_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// The page's origin for HTTP (`http://host:port`) and its WebSocket twin.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

pub fn ws_origin() -> String {
    let o = origin();
    if let Some(rest) = o.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = o.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        o
    }
}

/// Reads text aloud in Chinese (or English), if the browser can speak. Returns whether it tried.
pub fn speak(text: &str, lang: &str) -> bool {
    let w = window();
    if !has_api(w.as_ref(), "speechSynthesis") {
        return false;
    }
    let Ok(synth) = w.speech_synthesis() else {
        return false;
    };
    synth.cancel();
    let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(text) else {
        return false;
    };
    u.set_lang(lang);
    u.set_rate(0.9);
    synth.speak(&u);
    true
}

/// Whether this browser offers speech recognition (voice input).
pub fn can_listen() -> bool {
    let w = window();
    has_api(w.as_ref(), "SpeechRecognition") || has_api(w.as_ref(), "webkitSpeechRecognition")
}

/// Listens once and returns what was said (zh-CN or en), using the browser's recogniser.
pub async fn listen(lang: &str) -> Result<String, String> {
    use wasm_bindgen::closure::Closure;
    let w = window();
    let ctor = ["SpeechRecognition", "webkitSpeechRecognition"]
        .iter()
        .find_map(|n| {
            js_sys::Reflect::get(w.as_ref(), &JsValue::from_str(n))
                .ok()
                .filter(|v| v.is_function())
        })
        .ok_or("no speech recognition")?;
    let ctor: js_sys::Function = ctor.unchecked_into();
    let rec =
        js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).map_err(|e| format!("{e:?}"))?;
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&rec, &JsValue::from_str(k), v);
    let _ = set("lang", &JsValue::from_str(lang));
    let _ = set("interimResults", &JsValue::FALSE);
    let _ = set("maxAlternatives", &JsValue::from_f64(1.0));
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |ev: JsValue| {
            // event.results[0][0].transcript
            let text = js_sys::Reflect::get(&ev, &"results".into())
                .and_then(|r| js_sys::Reflect::get(&r, &0.into()))
                .and_then(|r| js_sys::Reflect::get(&r, &0.into()))
                .and_then(|r| js_sys::Reflect::get(&r, &"transcript".into()))
                .unwrap_or(JsValue::from_str(""));
            let _ = resolve.call1(&JsValue::NULL, &text);
        });
        let err = Closure::once_into_js(move |ev: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &ev);
        });
        let _ = set("onresult", &ok);
        let _ = set("onerror", &err);
    });
    if let Ok(start) = js_sys::Reflect::get(&rec, &"start".into()) {
        let start: js_sys::Function = start.unchecked_into();
        start.call0(&rec).map_err(|e| format!("{e:?}"))?;
    }
    let v = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(v.as_string().unwrap_or_default())
}

/// `performance.now()`: milliseconds since the page began, finer than [`js_sys::Date::now`]
/// (which it falls back to).
pub fn now() -> f64 {
    js_sys::Reflect::get(&window(), &"performance".into())
        .ok()
        .and_then(|p| {
            let f = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            let f = f.dyn_ref::<js_sys::Function>()?.clone();
            f.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Lets the browser paint and handle input before the next slice of work.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Lets the work queued so far in this task run first (the views' updates after a signal
/// changed), without giving the thread back to the browser: a clock read after it counts
/// that work too.
pub async fn settle() {
    let resolved = js_sys::Promise::resolve(&JsValue::UNDEFINED);
    let _ = wasm_bindgen_futures::JsFuture::from(resolved).await;
}

/// Long work cut into slices of about `ms` milliseconds: [`Slices::pause`] between two pieces
/// gives the browser the thread (to paint and handle input) once the slice is spent.
pub struct Slices {
    ms: f64,
    started: f64,
}

impl Slices {
    pub fn new(ms: f64) -> Self {
        Slices {
            ms,
            started: js_sys::Date::now(),
        }
    }

    /// Yields to the browser when the slice is spent (and starts the next); true if it did.
    pub async fn pause(&mut self) -> bool {
        if js_sys::Date::now() - self.started <= self.ms {
            return false;
        }
        yield_now().await;
        self.started = js_sys::Date::now();
        true
    }
}

/// Waits `ms` milliseconds (a timer: the browser may run it later).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// How long to wait for a frame before going on without one: a page the browser does not
/// paint (in the background, or a headless tab not in front) gets no animation frames.
const FRAME_FALLBACK_MS: i32 = 250;

/// Waits until the browser has painted the current frame (then lets it handle input): work
/// started after this does not delay the first screen. Goes on after
/// [`FRAME_FALLBACK_MS`] when no frame comes.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().request_animation_frame(&resolve);
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, FRAME_FALLBACK_MS);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    yield_now().await;
}

/// Runs `f` once, just before the next frame, or after [`FRAME_FALLBACK_MS`] when the
/// browser paints none (a tap made on the painted first screen must not wait for the page
/// to come to the front).
pub fn next_frame(f: impl FnOnce() + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;
    let once = Rc::new(Cell::new(Some(f)));
    let run = {
        let once = once.clone();
        move || {
            if let Some(f) = once.take() {
                f();
            }
        }
    };
    let run2 = run.clone();
    leptos::prelude::request_animation_frame(run);
    leptos::prelude::set_timeout(
        run2,
        std::time::Duration::from_millis(FRAME_FALLBACK_MS as u64),
    );
}

/// Moves focus to the element with this id (and scrolls it into view) once the page has
/// painted: where a button sends the person to a form further up.
pub fn focus(id: &'static str) {
    leptos::task::spawn_local(async move {
        after_paint().await;
        if let Some(e) = window()
            .document()
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = e.focus();
            let centre = web_sys::ScrollIntoViewOptions::new();
            centre.set_block(web_sys::ScrollLogicalPosition::Center);
            e.scroll_into_view_with_scroll_into_view_options(&centre);
        }
    });
}

/// Moves focus to the first field the page marks invalid (`aria-invalid="true"`) and scrolls
/// it into view, once the messages have rendered; or, with no such field, scrolls the first
/// message into view. Called wherever a form can fail, so the person lands where to fix it.
pub fn focus_first_invalid() {
    leptos::task::spawn_local(async {
        after_paint().await;
        let Some(doc) = window().document() else {
            return;
        };
        let field = doc
            .query_selector("main [aria-invalid=\"true\"]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        // Centred: clear of the top bar and the tab bar.
        let centre = web_sys::ScrollIntoViewOptions::new();
        centre.set_block(web_sys::ScrollLogicalPosition::Center);
        if let Some(field) = field {
            let _ = field.focus();
            field.scroll_into_view_with_scroll_into_view_options(&centre);
            return;
        }
        let message = doc
            .query_selector("main .field-error:not(:empty)")
            .ok()
            .flatten();
        if let Some(m) = message {
            m.scroll_into_view_with_scroll_into_view_options(&centre);
        }
    });
}

/// A name people recognise for this phone, from its user agent: the model (or system) and the
/// browser, e.g. "Android Pixel 7 · Chrome", "iPhone · 微信", "Windows PC · Edge". Staff and
/// the person can rename it later.
pub fn device_label(ua: &str) -> String {
    let model = if ua.contains("iPhone") {
        "iPhone".to_string()
    } else if ua.contains("iPad") {
        "iPad".to_string()
    } else if let Some(rest) = ua.split("Android").nth(1) {
        // "Android 14; Pixel 7 Build/…)" or "Android 10; K)" (reduced user agents).
        let inside = rest.split(')').next().unwrap_or_default();
        let model = inside
            .split(';')
            .nth(1)
            .map(|m| m.split(" Build").next().unwrap_or_default().trim())
            .filter(|m| m.len() > 1)
            .unwrap_or_default();
        format!("Android {model}").trim().to_string()
    } else if ua.contains("HarmonyOS") || ua.contains("OpenHarmony") {
        "HarmonyOS".to_string()
    } else if ua.contains("Windows") {
        "Windows PC".to_string()
    } else if ua.contains("Macintosh") {
        "Mac".to_string()
    } else if ua.contains("Linux") {
        "Linux PC".to_string()
    } else {
        "Phone".to_string()
    };
    let browser = if ua.contains("MicroMessenger") {
        "微信"
    } else if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("HuaweiBrowser") {
        "华为浏览器"
    } else if ua.contains("UCBrowser") {
        "UC"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chromium/") || ua.contains("HeadlessChrome") {
        "Chromium"
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "browser"
    };
    format!("{model} · {browser}")
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn devices_get_names_people_recognise_not_user_agent_strings() {
        assert_eq!(
            device_label(
                "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
            ),
            "Android Pixel 7 · Chrome"
        );
        assert_eq!(
            device_label(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49"
            ),
            "iPhone · 微信"
        );
        assert_eq!(
            device_label(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36"
            ),
            "Linux PC · Chromium"
        );
        assert_eq!(
            device_label(
                "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"
            ),
            "Android · Chrome"
        );
    }
}
