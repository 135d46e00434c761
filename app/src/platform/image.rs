//! Photos taken or picked on the phone: decoded by the browser, scaled to at most 1280 px on
//! the long side, re-encoded as JPEG under 300 KB, and named by their SHA-256.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

use super::window;

/// The longest side after scaling.
pub const MAX_SIDE: u32 = 1280;
/// The most a photo may weigh after compression.
pub const MAX_BYTES: usize = 300 * 1024;
/// The largest original the phone will try to decode.
pub const MAX_INPUT_BYTES: f64 = 30.0 * 1024.0 * 1024.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImageError {
    #[error("not an image")]
    NotAnImage,
    #[error("the original is too large ({0:.0} MB)")]
    TooLarge(f64),
    #[error("could not compress it enough")]
    TooBig,
    #[error("the browser failed: {0}")]
    Browser(String),
}

fn js(e: JsValue) -> ImageError {
    ImageError::Browser(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// A photo ready to store: JPEG bytes, their hash (hex), and the size it came to.
pub struct Photo {
    pub bytes: Vec<u8>,
    pub hash: String,
    pub width: u32,
    pub height: u32,
}

pub fn hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    linli_shared::ids::hex(&Sha256::digest(bytes))
}

/// The text of the QR code in a picture (the organiser's camera at the door), if one is read:
/// the browser decodes the picture, scaled to at most 1000 px, and [`decode_qr`] reads it.
pub async fn read_qr(file: &File) -> Result<Option<String>, ImageError> {
    let (_canvas, ctx, tw, th) = draw_scaled(file, 1000.0).await?;
    let data = ctx
        .get_image_data(0.0, 0.0, f64::from(tw), f64::from(th))
        .map_err(js)?
        .data();
    Ok(decode_qr(tw as usize, th as usize, &data))
}

/// The picture in `file`, decoded by the browser and drawn on a canvas scaled down to at most
/// `max_side` pixels on its longer side: the canvas, its context and its size.
async fn draw_scaled(
    file: &File,
    max_side: f64,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d, u32, u32), ImageError> {
    let bitmap: ImageBitmap =
        JsFuture::from(window().create_image_bitmap_with_blob(file).map_err(js)?)
            .await
            .map_err(|_| ImageError::NotAnImage)?
            .dyn_into()
            .map_err(|_| ImageError::NotAnImage)?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if w == 0 || h == 0 {
        return Err(ImageError::NotAnImage);
    }
    let scale = (max_side / f64::from(w.max(h))).min(1.0);
    let (tw, th) = (
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    );
    let document = window()
        .document()
        .ok_or_else(|| ImageError::Browser("no document".into()))?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js)?
        .dyn_into()
        .map_err(|_| ImageError::Browser("no canvas".into()))?;
    canvas.set_width(tw);
    canvas.set_height(th);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js)?
        .ok_or_else(|| ImageError::Browser("no 2d context".into()))?
        .dyn_into()
        .map_err(|_| ImageError::Browser("no 2d context".into()))?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(tw), f64::from(th))
        .map_err(js)?;
    bitmap.close();
    Ok((canvas, ctx, tw, th))
}

/// Reads the first QR code found in RGBA pixels (`rqrr`, pure Rust).
pub fn decode_qr(w: usize, h: usize, rgba: &[u8]) -> Option<String> {
    if rgba.len() < 4 * w * h {
        return None;
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = 4 * (y * w + x);
        let (r, g, b) = (
            u32::from(rgba[i]),
            u32::from(rgba[i + 1]),
            u32::from(rgba[i + 2]),
        );
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    });
    img.detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
}

/// Scales and compresses a picked file.
pub async fn prepare(file: &File) -> Result<Photo, ImageError> {
    if file.size() > MAX_INPUT_BYTES {
        return Err(ImageError::TooLarge(file.size() / 1024.0 / 1024.0));
    }
    if !file.type_().starts_with("image/") && !file.type_().is_empty() {
        return Err(ImageError::NotAnImage);
    }
    let (canvas, _ctx, tw, th) = draw_scaled(file, f64::from(MAX_SIDE)).await?;
    for quality in [0.82, 0.7, 0.55, 0.4] {
        let bytes = to_jpeg(&canvas, quality).await?;
        if bytes.len() <= MAX_BYTES {
            return Ok(Photo {
                hash: hash(&bytes),
                bytes,
                width: tw,
                height: th,
            });
        }
    }
    Err(ImageError::TooBig)
}

async fn to_jpeg(canvas: &HtmlCanvasElement, quality: f64) -> Result<Vec<u8>, ImageError> {
    let canvas = canvas.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let cb = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if canvas
            .to_blob_with_type_and_encoder_options(
                cb.unchecked_ref(),
                "image/jpeg",
                &JsValue::from_f64(quality),
            )
            .is_err()
        {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob: Blob = JsFuture::from(promise)
        .await
        .map_err(js)?
        .dyn_into()
        .map_err(|_| ImageError::Browser("no JPEG".into()))?;
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(js)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// An object URL for showing bytes in an `<img>` (revoke when done).
pub fn object_url(bytes: &[u8]) -> Option<String> {
    let arr = js_sys::Array::of1(&Uint8Array::from(bytes));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("image/jpeg");
    let blob = Blob::new_with_u8_array_sequence_and_options(&arr, &bag).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
