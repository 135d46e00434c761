//! JSON over `fetch`, with the relay's error shape (`{"error": code, "message": …}`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use super::window;

#[derive(Debug, Clone, thiserror::Error)]
pub enum HttpError {
    /// No answer at all: offline, or the relay is down.
    #[error("network: {0}")]
    Network(String),
    /// The relay answered with an error.
    #[error("{status} {code}: {message}")]
    Status {
        status: u16,
        code: String,
        message: String,
    },
}

/// How long a JSON call may take before it is given up as a network failure: a stalled
/// connection on a poor mobile network must not leave a button saying "Joining…" for ever.
const TIMEOUT_MS: i32 = 20_000;

fn js(e: JsValue) -> HttpError {
    HttpError::Network(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

pub async fn request<B: Serialize, R: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
    bearer: Option<&str>,
) -> Result<R, HttpError> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        let text = serde_json::to_string(b).map_err(|e| HttpError::Network(e.to_string()))?;
        init.set_body(&JsValue::from_str(&text));
    }
    // Aborted after TIMEOUT_MS; the timer is cleared once the answer has been read.
    let abort = web_sys::AbortController::new().map_err(js)?;
    init.set_signal(Some(&abort.signal()));
    let on_timeout = {
        let abort = abort.clone();
        wasm_bindgen::closure::Closure::once_into_js(move || abort.abort())
    };
    let timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.unchecked_ref(),
            TIMEOUT_MS,
        )
        .map_err(js)?;
    let answer = send(path, &init, bearer).await;
    window().clear_timeout_with_handle(timer);
    answer
}

async fn send<R: DeserializeOwned>(
    path: &str,
    init: &RequestInit,
    bearer: Option<&str>,
) -> Result<R, HttpError> {
    let req = Request::new_with_str_and_init(path, init).map_err(js)?;
    req.headers()
        .set("content-type", "application/json")
        .map_err(js)?;
    if let Some(t) = bearer {
        req.headers()
            .set("authorization", &format!("Bearer {t}"))
            .map_err(js)?;
    }
    let resp: Response = JsFuture::from(window().fetch_with_request(&req))
        .await
        .map_err(js)?
        .dyn_into()
        .map_err(js)?;
    let text = JsFuture::from(resp.text().map_err(js)?)
        .await
        .map_err(js)?
        .as_string()
        .unwrap_or_default();
    if resp.ok() {
        serde_json::from_str(&text).map_err(|e| HttpError::Network(e.to_string()))
    } else {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        Err(HttpError::Status {
            status: resp.status(),
            code: v["error"].as_str().unwrap_or("error").to_string(),
            message: v["message"].as_str().unwrap_or(&text).to_string(),
        })
    }
}

pub async fn get<R: DeserializeOwned>(path: &str) -> Result<R, HttpError> {
    request::<(), R>("GET", path, None, None).await
}

pub async fn post<B: Serialize, R: DeserializeOwned>(path: &str, body: &B) -> Result<R, HttpError> {
    request("POST", path, Some(body), None).await
}

/// Sends raw bytes (a photo) with a bearer token; returns the status.
pub async fn put_bytes(path: &str, bytes: &[u8], bearer: &str) -> Result<u16, HttpError> {
    let init = RequestInit::new();
    init.set_method("PUT");
    let arr = js_sys::Uint8Array::from(bytes);
    init.set_body(&arr.into());
    let req = Request::new_with_str_and_init(path, &init).map_err(js)?;
    req.headers()
        .set("authorization", &format!("Bearer {bearer}"))
        .map_err(js)?;
    req.headers()
        .set("content-type", "image/jpeg")
        .map_err(js)?;
    let resp: Response = JsFuture::from(window().fetch_with_request(&req))
        .await
        .map_err(js)?
        .dyn_into()
        .map_err(js)?;
    Ok(resp.status())
}

/// Fetches raw bytes (a photo) with a bearer token; `None` when not found.
pub async fn get_bytes(path: &str, bearer: &str) -> Result<Option<Vec<u8>>, HttpError> {
    let init = RequestInit::new();
    init.set_method("GET");
    let req = Request::new_with_str_and_init(path, &init).map_err(js)?;
    req.headers()
        .set("authorization", &format!("Bearer {bearer}"))
        .map_err(js)?;
    let resp: Response = JsFuture::from(window().fetch_with_request(&req))
        .await
        .map_err(js)?
        .dyn_into()
        .map_err(js)?;
    if !resp.ok() {
        return Ok(None);
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(js)?)
        .await
        .map_err(js)?;
    Ok(Some(js_sys::Uint8Array::new(&buf).to_vec()))
}
