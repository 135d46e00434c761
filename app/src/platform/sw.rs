//! The service worker: registration and the "new version" flow. A new version is installed in
//! the background and waits; the app offers to reload, and reloads only when the person says so.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

use super::{has_api, window};

/// Registers `/sw.js`; sets `update_ready` when a new version is waiting.
pub fn register(
    update_ready: RwSignal<bool>,
    waiting: StoredValue<Option<ServiceWorker>, LocalStorage>,
) {
    let nav = window().navigator();
    if !has_api(nav.as_ref(), "serviceWorker") {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let container = window().navigator().service_worker();
        let Ok(reg) = JsFuture::from(container.register("/sw.js")).await else {
            return;
        };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let offer = move |w: ServiceWorker| {
            waiting.set_value(Some(w));
            update_ready.set(true);
        };
        if let (Some(w), true) = (reg.waiting(), container.controller().is_some()) {
            offer(w);
        }
        let reg2 = reg.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = reg2.installing() else {
                return;
            };
            let w = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                let controlled = window().navigator().service_worker().controller().is_some();
                if w.state() == ServiceWorkerState::Installed && controlled {
                    offer(w.clone());
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
        // Look for a new version now and then (every 30 minutes) while the app is open.
        let reg3 = reg.clone();
        let check = Closure::<dyn FnMut()>::new(move || {
            if let Ok(p) = reg3.update() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(p).await;
                });
            }
        });
        let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
            check.as_ref().unchecked_ref(),
            30 * 60 * 1000,
        );
        check.forget();
    });
}

/// Activates the waiting version and reloads once it controls the page.
pub fn activate(waiting: StoredValue<Option<ServiceWorker>, LocalStorage>) {
    let Some(w) = waiting.get_value() else {
        let _ = window().location().reload();
        return;
    };
    let container = window().navigator().service_worker();
    let reload = Closure::<dyn FnMut()>::new(move || {
        let _ = window().location().reload();
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &JsValue::from_str("SKIP_WAITING"));
    let _ = w.post_message(&msg);
}
