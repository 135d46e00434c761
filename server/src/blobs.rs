//! Photos: stored by content hash (SHA-256) outside the CRDT documents, with the permissions
//! of the document that shows them (a request, a patrol's finding: each kind lists the photos it
//! names, `DocType::photos`). A device uploads a photo once the document naming it has
//! reached the relay, for that document; a photo is fetched only through a document it was
//! uploaded for, that names it, and that the person may read (so knowing a hash, from a request
//! one could read once, and writing it into one's own request shows nothing).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use linli_shared::ids::{DocumentId, hex};
use linli_shared::store::{Store, key};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::api::ApiError;
use crate::hub::HubCtx;
use crate::staff::Authed;

/// The largest photo the relay keeps (the app sends about 300 KB at most).
pub const MAX_PHOTO_BYTES: usize = 600 * 1024;

#[derive(Deserialize)]
pub struct BlobQuery {
    doc: String,
}

fn blob_key(hash: &str) -> Vec<u8> {
    key(&["blob", hash])
}

/// The record that `hash` was uploaded for `doc`.
fn link_key(hash: &str, doc: &DocumentId) -> Vec<u8> {
    key(&["blob-doc", hash, &doc.to_string()])
}

/// Records that a photo belongs to a document (uploads, and the relay's own seeding).
pub fn link(
    store: &mut impl Store,
    hash: &str,
    doc: &DocumentId,
) -> Result<(), linli_shared::store::StoreError> {
    store.put(&link_key(hash, doc), b"")
}

/// Deletes a photo's bytes and every record of the documents it belongs to (erasure).
pub fn delete(store: &mut impl Store, hash: &str) -> Result<(), linli_shared::store::StoreError> {
    store.delete(&blob_key(hash))?;
    store.delete_prefix(&key(&["blob-doc", hash, ""]))
}

/// Whether `hash` may be served through `doc`: it was uploaded for it. Photos stored before
/// uploads were recorded per document (none recorded at all) are served as before.
fn uploaded_for(
    store: &impl Store,
    hash: &str,
    doc: &DocumentId,
) -> Result<bool, linli_shared::store::StoreError> {
    if store.get(&link_key(hash, doc))?.is_some() {
        return Ok(true);
    }
    Ok(store.scan_prefix(&key(&["blob-doc", hash, ""]))?.is_empty())
}

/// Whether `hash` may be served through `doc`, a document that shows photos uploaded for
/// others (the drawings' gallery): one of the documents it was uploaded for is one `doc`'s
/// kind says it shows ([`linli_shared::domain::DocKind::shows_photo_of`]).
fn shown_through(
    ctx: &mut HubCtx<'_>,
    hash: &str,
    doc: &DocumentId,
) -> Result<bool, linli_shared::store::StoreError> {
    let Some(kind) = ctx.relay.meta(doc).and_then(|m| m.scope.kind) else {
        return Ok(false);
    };
    let prefix = key(&["blob-doc", hash, ""]);
    let sources: Vec<(DocumentId, linli_shared::domain::DocKind)> = ctx
        .store
        .scan_prefix(&prefix)?
        .into_iter()
        .filter_map(|(k, _)| {
            let id = std::str::from_utf8(k.get(prefix.len()..)?).ok()?;
            let id = DocumentId::parse(id).ok()?;
            Some((id, ctx.relay.meta(&id)?.scope.kind?))
        })
        .collect();
    if sources.is_empty() {
        return Ok(false);
    }
    let Some(d) = ctx.relay.document(ctx.store, doc).ok().flatten() else {
        return Ok(false);
    };
    Ok(sources
        .iter()
        .any(|(id, k)| kind.shows_photo_of(&d, hash, id, *k)))
}

fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some("image/webp"),
        _ => None,
    }
}

/// Whether `who` may read `doc` and `doc` shows the photo `hash`.
fn may_see(
    ctx: &mut HubCtx<'_>,
    who: &Authed,
    doc: DocumentId,
    hash: &str,
) -> Result<(), ApiError> {
    let meta = ctx
        .relay
        .meta(&doc)
        .ok_or_else(|| ApiError::NotFound("no such request".into()))?;
    if !who.principal.may_read(&meta.scope) {
        return Err(ApiError::NotFound("no such request".into()));
    }
    let kind = meta.scope.kind;
    let d = ctx
        .relay
        .document(ctx.store, &doc)
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .ok_or_else(|| ApiError::NotFound("no such request".into()))?;
    // Any kind that shows photos (a request and its answers, a ledger's receipts).
    let named = kind.is_some_and(|k| k.photos(&d).iter().any(|p| p == hash));
    if named {
        Ok(())
    } else {
        Err(ApiError::Conflict(
            "the document does not name this photo (yet): sync it first".into(),
        ))
    }
}

pub async fn put(
    State(state): State<AppState>,
    who: Authed,
    Path(hash): Path<String>,
    Query(q): Query<BlobQuery>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    if body.len() > MAX_PHOTO_BYTES {
        return Err(ApiError::TooLarge(format!(
            "a photo is at most {} KB",
            MAX_PHOTO_BYTES / 1024
        )));
    }
    if image_type(&body).is_none() {
        return Err(ApiError::BadRequest("not a JPEG, PNG or WebP image".into()));
    }
    if hex(&Sha256::digest(&body)) != hash {
        return Err(ApiError::BadRequest(
            "the content does not match its hash".into(),
        ));
    }
    let doc = DocumentId::parse(&q.doc).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let limits = [
        (
            state.config.max_photos_per_day,
            state.config.max_photo_bytes_per_day,
        ),
        (
            state.config.max_photos_per_device_day,
            state.config.max_photo_bytes_per_device_day,
        ),
    ];
    state
        .hub
        .call(move |ctx| -> Result<(), ApiError> {
            may_see(ctx, &who, doc, &hash)?;
            let k = blob_key(&hash);
            let store_err = |e: linli_shared::store::StoreError| ApiError::Internal(e.to_string());
            if ctx.store.get(&k).map_err(store_err)?.is_none() {
                // A day's photos and bytes per person and per device, counted in the store
                // (so a restart does not reset them); a photo already kept costs nothing.
                let day = ctx.now.div_euclid(linli_shared::time::DAY).to_string();
                let keys = [
                    key(&["quota", "photos", &who.principal.person, &day]),
                    key(&["quota", "device-photos", &who.device.id, &day]),
                ];
                let size = body.len() as u64;
                let mut counted = Vec::with_capacity(2);
                for (qk, (max_photos, max_bytes)) in keys.iter().zip(limits) {
                    let (n, bytes) = ctx
                        .store
                        .get(qk)
                        .map_err(store_err)?
                        .and_then(|v| serde_json::from_slice::<(u64, u64)>(&v).ok())
                        .unwrap_or((0, 0));
                    if n >= max_photos || bytes + size > max_bytes {
                        return Err(ApiError::TooMany);
                    }
                    counted.push(serde_json::to_vec(&(n + 1, bytes + size)).unwrap_or_default());
                }
                for (qk, v) in keys.iter().zip(counted) {
                    ctx.store.put(qk, &v).map_err(store_err)?;
                }
                ctx.store.put(&k, &body).map_err(store_err)?;
            }
            link(ctx.store, &hash, &doc).map_err(store_err)?;
            Ok(())
        })
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn get(
    State(state): State<AppState>,
    who: Authed,
    Path(hash): Path<String>,
    Query(q): Query<BlobQuery>,
) -> Result<Response, ApiError> {
    let doc = DocumentId::parse(&q.doc).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let bytes = state
        .hub
        .call(move |ctx| -> Result<Vec<u8>, ApiError> {
            may_see(ctx, &who, doc, &hash)?;
            let store_err = |e: linli_shared::store::StoreError| ApiError::Internal(e.to_string());
            if !uploaded_for(ctx.store, &hash, &doc).map_err(store_err)?
                && !shown_through(ctx, &hash, &doc).map_err(store_err)?
            {
                return Err(ApiError::NotFound("not uploaded yet".into()));
            }
            ctx.store
                .get(&blob_key(&hash))
                .map_err(store_err)?
                .ok_or_else(|| ApiError::NotFound("not uploaded yet".into()))
        })
        .await??;
    let mut res = bytes.clone().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(image_type(&bytes).unwrap_or("application/octet-stream")),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(res)
}
