//! Taking over the first screen that `index.html` painted before the wasm arrived
//! (`#prepaint`: the enrolment page, or on an enrolled phone the shell and the first cards from
//! storage; see `app/firstpaint.js`). The app renders into an element outside the page, and
//! [`take_over`] puts it in place of `#prepaint` in one step once its own first screen is
//! complete: no blank frame between the two, and never two copies of an element in the page.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static HOST: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
}

/// The localStorage key of the enrolled phone's role, which tells `firstpaint.js` to paint
/// the shell rather than the enrolment page before it has read storage.
const ENROLLED: &str = "linli.enrolled";

fn prepaint() -> Option<web_sys::Element> {
    super::window().document()?.get_element_by_id("prepaint")
}

/// Where the app renders: an element outside the page while `#prepaint` shows; `None` when
/// there is nothing painted to take over (mount into the body).
pub fn host() -> Option<web_sys::HtmlElement> {
    prepaint()?;
    let host = super::window()
        .document()?
        .create_element("div")
        .ok()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()?;
    HOST.with(|h| *h.borrow_mut() = Some(host.clone()));
    Some(host)
}

/// Whether the painted first screen still shows.
pub fn showing() -> bool {
    HOST.with(|h| h.borrow().is_some())
}

/// Puts the app's page in place of `#prepaint` (once; later calls do nothing), keeping the
/// focus on the field of the same id.
pub fn take_over() {
    let Some(host) = HOST.with(|h| h.borrow_mut().take()) else {
        return;
    };
    let Some(doc) = super::window().document() else {
        return;
    };
    let Some(body) = doc.body() else {
        return;
    };
    let old = prepaint();
    let focused = doc
        .active_element()
        .filter(|e| old.as_ref().is_some_and(|o| o.contains(Some(e))))
        .map(|e| e.id())
        .filter(|id| !id.is_empty());
    let before: Option<&web_sys::Node> = old.as_ref().map(|o| o.as_ref());
    while let Some(child) = host.first_child() {
        let _ = body.insert_before(&child, before);
    }
    if let Some(old) = old {
        old.remove();
    }
    if let Some(field) = focused
        .and_then(|id| doc.get_element_by_id(&id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = field.focus();
    }
}

/// [`take_over`] just before the next frame: after the app's pending renders, before paint (or
/// after a quarter second when the browser paints no frame, [`super::next_frame`]), once no
/// tap is under way on the painted page ([`untouched`]).
pub fn take_over_next_frame() {
    if showing() {
        super::next_frame(|| untouched(take_over));
    }
}

/// How long a tap on the painted page may hold the take-over back.
const TAP_WAIT_MS: f64 = 2_000.0;

/// Runs `f` once no finger or button is down on the painted page (`firstpaint.js` keeps
/// `window.linliPointerDown`), frame by frame, and after [`TAP_WAIT_MS`] at the latest: a tap
/// that began on the painted page ends there, so its click (a person, Join) is not lost when
/// the page is replaced under it.
pub fn untouched(f: impl FnOnce() + 'static) {
    fn pressed() -> bool {
        js_sys::Reflect::get(&super::window(), &JsValue::from_str("linliPointerDown"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
    fn wait(f: Box<dyn FnOnce()>, until: f64) {
        let waiting = JsValue::from_str("linliTakeOverWaiting");
        if !pressed() || js_sys::Date::now() >= until {
            let _ = js_sys::Reflect::delete_property(&super::window(), &waiting);
            f();
        } else {
            // Said on the page for the end-to-end test of a tap across the take-over.
            let _ = js_sys::Reflect::set(&super::window(), &waiting, &JsValue::TRUE);
            super::next_frame(move || wait(f, until));
        }
    }
    wait(Box::new(f), js_sys::Date::now() + TAP_WAIT_MS);
}

/// The painted enrolment form's state: what was typed in it, and the invite code a tap on
/// Join or on one of the demo's people asked for before the app arrived (taken once).
pub fn enrol_form() -> (Option<String>, Option<String>) {
    let typed = prepaint()
        .and_then(|p| p.query_selector("#invite-code").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .filter(|v| !v.is_empty());
    let window = super::window();
    let key = JsValue::from_str("linliPending");
    let pending = js_sys::Reflect::get(&window, &key)
        .ok()
        .and_then(|v| v.as_string());
    let _ = js_sys::Reflect::delete_property(&window, &key);
    (typed, pending)
}

/// Remembers whether this phone is enrolled (its role) for the next first paint.
pub fn remember_enrolled(role: Option<&str>) {
    match role {
        Some(r) if super::ls_get(ENROLLED).as_deref() != Some(r) => super::ls_set(ENROLLED, r),
        None if super::ls_get(ENROLLED).is_some() => super::ls_remove(ENROLLED),
        _ => {}
    }
}
