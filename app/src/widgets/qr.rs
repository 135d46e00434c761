//! A QR code drawn as SVG (the `qrcode` crate computes the modules; no image library).

use leptos::prelude::*;
use qrcode::{Color, EcLevel, QrCode};

/// An SVG path of the dark modules, for a code of `width` modules plus a 4-module margin.
fn path(code: &QrCode) -> (usize, String) {
    let w = code.width();
    let mut d = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let (x, y) = (i % w + 4, i / w + 4);
            d.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    (w + 8, d)
}

#[component]
pub fn Qr(text: String, label: String) -> impl IntoView {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => {
            let (size, d) = path(&code);
            view! {
                <svg
                    class="qr"
                    role="img"
                    aria-label=label
                    viewBox=format!("0 0 {size} {size}")
                    shape-rendering="crispEdges"
                >
                    <rect width="100%" height="100%" fill="#fff"/>
                    <path d=d fill="#000"/>
                </svg>
            }
            .into_any()
        }
        Err(_) => view! { <span></span> }.into_any(),
    }
}
