//! The built app: served from the dist directory, precompressed (brotli, gzip) when the
//! build left `.br`/`.gz` files beside the originals, with caching by kind of file:
//! hashed files are immutable for a year; the page, the manifest and the service worker are
//! revalidated every time so a new version is found at once.

use std::path::Path;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::Router;
use tower_http::services::{ServeDir, ServeFile};

/// Trunk names hashed files `name-<16 hex digits>.ext` (and `name-<hash>_bg.wasm`).
pub fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.split(['-', '.', '_'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
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
        .layer(middleware::from_fn(cache_headers))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_told_apart_from_stable_ones() {
        assert!(is_hashed("/linli-app-3f2a1b0c9d8e7f60.js"));
        assert!(is_hashed("/linli-app-3f2a1b0c9d8e7f60_bg.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/manifest.webmanifest"));
    }
}
