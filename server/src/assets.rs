//! The built app: served from the dist directory, precompressed (brotli, gzip) when the
//! build left `.br`/`.gz` files beside the originals, with caching by kind of file:
//! hashed files are immutable for a year; the page, the manifest and the service worker are
//! revalidated every time so a new version is found at once. A path naming a file (it has an
//! extension) that is not there is a 404, never the page: an old page asking for last
//! version's script must not cache the page under that name for a year.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::Router;
use tower_http::services::{ServeDir, ServeFile};

/// Trunk names hashed files `name-<16 hex digits>.ext` (and `name-<hash>_bg.wasm`).
pub fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.split(['-', '.', '_'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A request for a file (the last segment has an extension) that the build does not have.
fn missing_file(dist: &Path, path: &str) -> bool {
    let rel = path.trim_start_matches('/');
    let last = rel.rsplit('/').next().unwrap_or(rel);
    last.contains('.') && !rel.split('/').any(|s| s == "..") && !dist.join(rel).is_file()
}

async fn cache_headers(State(dist): State<Arc<PathBuf>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if missing_file(&dist, &path) {
        let mut res = (StatusCode::NOT_FOUND, "not found").into_response();
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return res;
    }
    let hashed = is_hashed(&path);
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

pub fn service(dist: &Path) -> Router {
    let serve = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .fallback_service(serve)
        .layer(middleware::from_fn_with_state(
            Arc::new(dist.to_path_buf()),
            cache_headers,
        ))
}

#[cfg(test)]
mod tests {
    use super::{is_hashed, service};
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;

    async fn get(
        dist: &std::path::Path,
        path: &str,
        accept: &str,
    ) -> (StatusCode, String, String, String) {
        let res = service(dist)
            .oneshot(
                Request::get(path)
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let h = |n| {
            res.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        (
            res.status(),
            h(header::CONTENT_ENCODING),
            h(header::CACHE_CONTROL),
            h(header::CONTENT_TYPE),
        )
    }

    #[tokio::test]
    async fn hashed_files_are_served_precompressed_and_immutable_and_missing_ones_are_not_the_page()
    {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("index.html"), "<html></html>").unwrap();
        std::fs::write(d.join("index.html.br"), "br-page").unwrap();
        let js = "linli-app-3f2a1b0c9d8e7f60.js";
        std::fs::write(d.join(js), "console.log(1)").unwrap();
        std::fs::write(d.join(format!("{js}.br")), "br").unwrap();
        std::fs::write(d.join(format!("{js}.gz")), "gz").unwrap();

        let (status, enc, cache, _) = get(d, &format!("/{js}"), "br, gzip").await;
        assert_eq!((status, enc.as_str()), (StatusCode::OK, "br"));
        assert!(
            cache.contains("immutable") && cache.contains("max-age=31536000"),
            "{cache}"
        );
        let (_, enc, _, _) = get(d, &format!("/{js}"), "gzip").await;
        assert_eq!(enc, "gzip");
        let (status, _, cache, kind) = get(d, "/", "br").await;
        assert_eq!((status, cache.as_str()), (StatusCode::OK, "no-cache"));
        assert!(kind.starts_with("text/html"), "{kind}");
        // A route of the app is the page; a file that is not there is not.
        let (status, _, cache, _) = get(d, "/requests/7", "br").await;
        assert_eq!((status, cache.as_str()), (StatusCode::OK, "no-cache"));
        let (status, _, cache, _) = get(d, "/linli-app-0123456789abcdef.js", "br").await;
        assert_eq!(
            (status, cache.as_str()),
            (StatusCode::NOT_FOUND, "no-cache")
        );
    }

    #[test]
    fn hashed_names_are_told_apart_from_stable_ones() {
        assert!(is_hashed("/linli-app-3f2a1b0c9d8e7f60.js"));
        assert!(is_hashed("/linli-app-3f2a1b0c9d8e7f60_bg.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/manifest.webmanifest"));
    }
}
