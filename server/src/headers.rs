//! Security headers on every HTTP response: no MIME sniffing, no referrer, and a content
//! security policy that lets the app run and nothing else: its own scripts and WebAssembly,
//! the inline scripts and styles of `index.html` (the first-paint script, the loader and the
//! inlined stylesheet; allowed by hash, computed when the relay starts from the page it
//! serves), its own styles, images from itself, `blob:` and `data:`, connections to itself
//! (HTTP and WebSocket), and no framing.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The CSP source expression of each inline `<script>` (one without `src`) in a page:
/// `'sha256-…'` of its exact text.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "script")
}

/// The same for each `<style>` element of a page.
pub fn inline_style_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "style")
}

fn inline_hashes(html: &str, element: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let (open, end) = (format!("<{element}"), format!("</{element}"));
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open).map(|i| at + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let tag = &lower[start + open.len()..tag_end];
        // `<styles>` or `<scripted>` are other elements.
        if !tag.is_empty() && !tag.starts_with(|c: char| c.is_ascii_whitespace() || c == '/') {
            at = tag_end;
            continue;
        }
        let Some(close) = lower[tag_end + 1..].find(&end).map(|i| tag_end + 1 + i) else {
            break;
        };
        let has_src = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attr| attr == "src" || attr.starts_with("src="));
        if !has_src {
            let body = &html[tag_end + 1..close];
            hashes.push(format!(
                "'sha256-{}'",
                STANDARD.encode(Sha256::digest(body.as_bytes()))
            ));
        }
        at = close;
    }
    hashes
}

/// Marks a hash in [`page_script_hashes`]'s list as one of an inline style.
const STYLE: &str = "style:";

/// The hashes of the served page's inline scripts, then of its inline styles (each marked
/// with `style:`); none without a built app.
pub fn page_script_hashes(dist: Option<&std::path::Path>) -> Vec<String> {
    dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok())
        .map(|html| {
            let mut all = inline_script_hashes(&html);
            all.extend(
                inline_style_hashes(&html)
                    .into_iter()
                    .map(|h| format!("{STYLE}{h}")),
            );
            all
        })
        .unwrap_or_default()
}

/// The policy for a page served under `host` (when the request named a plausible one), from
/// [`page_script_hashes`].
pub fn content_security_policy(hashes: &[String], host: Option<&str>) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    let mut styles = String::from("'self'");
    for h in hashes {
        let (list, h) = match h.strip_prefix(STYLE) {
            Some(style) => (&mut styles, style),
            None => (&mut scripts, h.as_str()),
        };
        list.push(' ');
        list.push_str(h);
    }
    let sockets = host
        .map(|h| format!(" ws://{h} wss://{h}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src {scripts}; style-src {styles}; \
         img-src 'self' blob: data:; connect-src 'self'{sockets}; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// A Host header we would write back into a policy: a name or address and a port, nothing
/// else.
fn plausible_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

pub async fn security_headers(
    State(hashes): State<Arc<Vec<String>>>,
    req: Request,
    next: Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| plausible_host(h))
        .map(str::to_string);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(&hashes, host.as_deref())) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_and_styles_are_hashed_by_their_exact_text() {
        let html = "<html><script type=module>a()</script><SCRIPT src=/x.js></SCRIPT>\
                    <script>\nb();\n</script></html>";
        let h = inline_script_hashes(html);
        let expect = |s: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s)));
        assert_eq!(h, vec![expect("a()"), expect("\nb();\n")]);
        let page = "<style>p{}</style><scripts></scripts><STYLE media=x>\ni{}</STYLE>";
        assert_eq!(
            inline_style_hashes(page),
            vec![expect("p{}"), expect("\ni{}")]
        );
        assert!(inline_script_hashes(page).is_empty());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), page).unwrap();
        let csp = content_security_policy(&page_script_hashes(Some(dir.path())), None);
        assert!(
            csp.contains(&format!(
                "style-src 'self' {} {};",
                expect("p{}"),
                expect("\ni{}")
            )),
            "{csp}"
        );
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{csp}"
        );
        assert!(plausible_host("relay.example:8080"));
        assert!(!plausible_host("a; script-src *"));
    }
}
