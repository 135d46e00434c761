//! The open read API (Open311 GeoReport v2, JSON): `GET /open311/v2/services.json`,
//! `/open311/v2/requests.json` and `/open311/v2/requests/{id}.json`, for the city's systems.
//! No sign-in: it shows only what [`linli_shared::open311`] makes of a request, which holds no
//! personal data and no document id. Its own rate limit per client address (behind a trusted
//! proxy, the client's), answers of at most 1,000 requests, `Cache-Control` and CORS for
//! anyone (read-only public data). `--no-open311` turns it off.
//!
//! The relay keeps an index of what the API shows of each request, brought up to date on each
//! call: the hub lists the request documents with their heads (no document is read), and only
//! the requests whose heads changed since are read again, a slice at a time, so a first call
//! at five years never holds the hub for long.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use linli_shared::domain::DocKind;
use linli_shared::domain::community::Community;
use linli_shared::domain::requests::Request;
use linli_shared::ids::DocumentId;
use linli_shared::open311::{
    self, ApiError, MAX_QUERY_BYTES, OpenRecord, Query, QueryError, Service, ServiceRequest,
};
use linli_shared::store::{Store, key};
use serde::Serialize;

use crate::AppState;
use crate::hub::now_ms;
use crate::limits::{Limiter, client_ip};

/// Request documents read per call on the hub thread while the index catches up.
const SLICE: usize = 256;

/// How long a client may keep an answer (the data changes; a minute is fresh enough).
const CACHE_CONTROL: &str = "public, max-age=60";

/// Why the open API did not answer with data.
#[derive(Debug, thiserror::Error)]
pub enum Open311Error {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("no request has this service_request_id")]
    NotFound,
    #[error("too many requests from this address; wait a minute")]
    TooMany,
    #[error("the relay is not available")]
    Unavailable,
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let status = match &self {
            Open311Error::Query(_) => StatusCode::BAD_REQUEST,
            Open311Error::NotFound => StatusCode::NOT_FOUND,
            Open311Error::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Open311Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        };
        let body = [ApiError {
            code: status.as_u16(),
            description: self.to_string(),
        }];
        let mut resp = (status, Json(body)).into_response();
        let h = resp.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if status == StatusCode::TOO_MANY_REQUESTS {
            h.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        resp
    }
}

/// A successful answer: JSON, cacheable for a minute, readable from any origin.
fn answer<T: Serialize>(body: T) -> Response {
    let mut resp = Json(body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    resp
}

/// The API's rate limit and its index of requests.
pub struct Open311 {
    limiter: Limiter,
    index: tokio::sync::Mutex<Index>,
}

#[derive(Default)]
struct Index {
    /// The community document's heads and what it says (categories, grids, deadlines).
    community: Option<(Vec<String>, Arc<Community>)>,
    /// Per request document: the heads it was read at, and what the API shows of it
    /// (`None`: not a readable request).
    records: HashMap<DocumentId, (Vec<String>, Option<OpenRecord>)>,
}

impl Open311 {
    /// `per_address` calls per client address per minute.
    pub fn new(per_address: u32) -> Self {
        Open311 {
            limiter: Limiter::new(per_address, u32::MAX, linli_shared::time::MINUTE),
            index: tokio::sync::Mutex::new(Index::default()),
        }
    }
}

/// Counts the call against the client's allowance.
fn admit(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Result<(), Open311Error> {
    let ip = client_ip(peer, headers, &state.config.trusted_proxies);
    if state.open311.limiter.allow(ip, now_ms()) {
        Ok(())
    } else {
        Err(Open311Error::TooMany)
    }
}

/// Brings the index's community up to date (read again only when its heads moved).
async fn refresh_community(
    state: &AppState,
    index: &mut Index,
) -> Result<Arc<Community>, Open311Error> {
    let (id, heads) = state
        .hub
        .call(|ctx| {
            ctx.store
                .get(&key(&["relay", "community"]))
                .ok()
                .flatten()
                .and_then(|v| DocumentId::parse(&String::from_utf8_lossy(&v)).ok())
                .and_then(|id| Some((id, ctx.relay.meta(&id)?.heads.clone())))
        })
        .await
        .map_err(|_| Open311Error::Unavailable)?
        .ok_or(Open311Error::Unavailable)?;
    if let Some((known, community)) = &index.community
        && *known == heads
    {
        return Ok(community.clone());
    }
    let read = state
        .hub
        .call(move |ctx| {
            ctx.relay
                .read_document(ctx.store, &id)
                .ok()
                .flatten()
                .and_then(|d| Community::read(&d).ok())
        })
        .await
        .map_err(|_| Open311Error::Unavailable)?
        .ok_or(Open311Error::Unavailable)?;
    let read = Arc::new(read);
    index.community = Some((heads, read.clone()));
    Ok(read)
}

/// Brings the index up to date with the relay's documents and runs `f` over it.
async fn with_index<R>(
    state: &AppState,
    f: impl FnOnce(&Community, &HashMap<DocumentId, (Vec<String>, Option<OpenRecord>)>) -> R,
) -> Result<R, Open311Error> {
    let mut index = state.open311.index.lock().await;
    let community = refresh_community(state, &mut index).await?;
    // Every request's heads, from the relay's index (no document is read).
    let listed: Vec<(DocumentId, Vec<String>)> = state
        .hub
        .call(|ctx| {
            ctx.relay
                .documents()
                .filter(|(_, m)| m.scope.kind == Some(DocKind::Request) && !m.quarantined)
                .map(|(id, m)| (*id, m.heads.clone()))
                .collect()
        })
        .await
        .map_err(|_| Open311Error::Unavailable)?;
    // Erased documents leave the index.
    let present: std::collections::HashSet<DocumentId> = listed.iter().map(|(id, _)| *id).collect();
    index.records.retain(|id, _| present.contains(id));
    let stale: Vec<(DocumentId, Vec<String>)> = listed
        .into_iter()
        .filter(|(id, heads)| index.records.get(id).is_none_or(|(h, _)| h != heads))
        .collect();
    for slice in stale.chunks(SLICE) {
        let slice = slice.to_vec();
        let read = state
            .hub
            .call(move |ctx| {
                slice
                    .into_iter()
                    .map(|(id, heads)| {
                        let record = ctx
                            .relay
                            .read_document(ctx.store, &id)
                            .ok()
                            .flatten()
                            .and_then(|d| Request::read(&d).ok())
                            .map(|r| OpenRecord::of(&id, &r));
                        (id, (heads, record))
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .map_err(|_| Open311Error::Unavailable)?;
        index.records.extend(read);
    }
    Ok(f(&community, &index.records))
}

/// Reads every request into the index, so that the first call does not wait for it (the
/// relay's `main` runs it in the background at start; a few seconds at five years).
pub async fn warm(state: AppState) {
    let started = std::time::Instant::now();
    match with_index(&state, |_, records| records.len()).await {
        Ok(n) => tracing::info!(
            "open read API: {n} requests indexed in {} ms",
            started.elapsed().as_millis()
        ),
        Err(e) => tracing::warn!("open read API: index not built: {e}"),
    }
}

/// `GET /open311/v2/services.json`: the community's request categories.
pub async fn services(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Open311Error> {
    admit(&state, peer, &headers)?;
    let community = community(&state).await?;
    let list: Vec<Service> = open311::services(&community);
    Ok(answer(list))
}

/// The community document alone (the services need no requests).
async fn community(state: &AppState) -> Result<Arc<Community>, Open311Error> {
    let mut index = state.open311.index.lock().await;
    refresh_community(state, &mut index).await
}

/// `GET /open311/v2/requests.json`: requests by the specification's filters, newest first.
pub async fn requests(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Open311Error> {
    admit(&state, peer, &headers)?;
    let raw = uri.query().unwrap_or("");
    if raw.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong.into());
    }
    let pairs: Vec<(String, String)> =
        axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
            .map_err(|_| QueryError::Malformed)?
            .0;
    let query = Query::parse(&pairs, now_ms())?;
    let list: Vec<ServiceRequest> = with_index(&state, |community, records| {
        open311::select(records.values().filter_map(|(_, r)| r.as_ref()), &query)
            .into_iter()
            .map(|r| open311::show(r, community))
            .collect()
    })
    .await?;
    Ok(answer(list))
}

/// `GET /open311/v2/requests/{id}.json`: one request, as an array of one.
pub async fn request(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, Open311Error> {
    admit(&state, peer, &headers)?;
    let id = file
        .strip_suffix(".json")
        .filter(|id| id.len() <= 64)
        .ok_or(Open311Error::NotFound)?
        .to_string();
    let found: Option<ServiceRequest> = with_index(&state, |community, records| {
        records
            .values()
            .filter_map(|(_, r)| r.as_ref())
            .find(|r| r.key == id)
            .map(|r| open311::show(r, community))
    })
    .await?;
    found.map(|r| answer([r])).ok_or(Open311Error::NotFound)
}
