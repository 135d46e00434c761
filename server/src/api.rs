//! The HTTP API: enrolment, session tokens, and the relay's health. Everything that changes
//! state runs on the hub thread (`Hub::call`), so it is committed with the same fsync as the
//! documents and answered only once durable.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Json;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use linli_shared::api::{
    ChallengeBody, ChallengeReply, Demo, EnrolBody, Persona, Session, TokenBody, TokenReply,
};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Principal;
use linli_shared::store::key;
use linli_shared::time::Millis;

use crate::limits::client_ip;
use serde_json::json;

use crate::AppState;
use crate::hub::{HubCtx, now_ms};
use crate::identity::{self, DeviceRecord, IdentityError};

/// Errors at the HTTP boundary. Bad input is the client's problem and is not logged as an
/// error; internals are never shown to clients.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("too many attempts; wait a minute")]
    TooMany,
    #[error("{0}")]
    TooManyConnections(String),
    #[error("the relay is not available")]
    Unavailable,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Gone(_) => (StatusCode::GONE, "gone"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::TooMany => (StatusCode::TOO_MANY_REQUESTS, "too_many"),
            ApiError::TooManyConnections(_) => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_connections")
            }
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        (status, Json(json!({ "error": code, "message": message }))).into_response()
    }
}

impl From<IdentityError> for ApiError {
    fn from(e: IdentityError) -> Self {
        match e {
            IdentityError::UnknownInvite | IdentityError::MalformedCode => {
                ApiError::NotFound(format!("invite_unknown: {e}"))
            }
            IdentityError::InviteExpired => ApiError::Gone(format!("invite_expired: {e}")),
            IdentityError::InviteUsed => ApiError::Gone(format!("invite_used: {e}")),
            IdentityError::Revoked => ApiError::Unauthorized(format!("revoked: {e}")),
            IdentityError::Erased => ApiError::Gone(format!("erased: {e}")),
            IdentityError::UnknownDevice
            | IdentityError::UnknownPerson
            | IdentityError::BadToken
            | IdentityError::BadSignature => ApiError::Unauthorized(e.to_string()),
            IdentityError::BadKey => ApiError::BadRequest(e.to_string()),
            IdentityError::Store(s) => ApiError::Internal(s.to_string()),
        }
    }
}

impl From<crate::hub::HubGone> for ApiError {
    fn from(_: crate::hub::HubGone) -> Self {
        ApiError::Unavailable
    }
}

/// How long a sign-in challenge may be answered.
pub const CHALLENGE_LIFETIME: Millis = crate::config::CHALLENGE_LIFETIME_MS;

/// Challenges handed out to known devices and not yet answered: challenge → (device, expiry).
#[derive(Default)]
pub struct Challenges(Mutex<HashMap<String, (String, Millis)>>);

impl Challenges {
    /// Challenges waiting for an answer (expired ones included until the next sweep).
    pub fn pending(&self) -> usize {
        self.0.lock().map(|m| m.len()).unwrap_or(0)
    }
}

/// A device id as the relay makes them: 12 bytes, lower-case hex.
pub fn is_device_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The principal of a device, with the rights its person holds now: the consents given to
/// them (volunteers), the grid they live in and the grids whose team they are on (the same
/// rights a sync connection gets, so a photo is served to whoever may read its document).
pub fn principal_of(
    ctx: &mut HubCtx<'_>,
    device: &str,
) -> Result<(Principal, DeviceRecord), IdentityError> {
    let relay = &*ctx.relay;
    let (mut p, dev) =
        identity::principal_of(ctx.store, device, |volunteer| relay.consents_of(volunteer))?;
    p.home_grid = relay.home_grid_of(&p.person);
    p.team_grids = relay.team_grids_of(&p.person);
    Ok((p, dev))
}

fn session(ctx: &HubCtx<'_>, dev: &DeviceRecord) -> Result<Session, IdentityError> {
    let p = identity::person(ctx.store, &dev.person)?.ok_or(IdentityError::UnknownPerson)?;
    Ok(Session {
        device: dev.id.clone(),
        person: p.id,
        role: p.role,
        household: p.household,
        grids: p.grids,
        person_doc: p.person_doc,
        community_doc: community_doc(ctx)?.map(|d| d.to_string()),
        relay_now: ctx.now,
    })
}

/// The id of the community document, recorded when it was seeded.
pub fn community_doc(ctx: &HubCtx<'_>) -> Result<Option<DocumentId>, IdentityError> {
    use linli_shared::store::Store;
    Ok(ctx
        .store
        .get(&key(&["relay", "community"]))?
        .and_then(|b| DocumentId::parse(&String::from_utf8_lossy(&b)).ok()))
}

/// The relay's health. While its store is unreachable (PostgreSQL away) it answers 503 and
/// since when, within a second, without waiting for the hub (which waits for the store): a
/// load balancer or a monitor then sees the relay is not acknowledging anything. The store is
/// pinged on the hub each time (PostgreSQL: an empty query, or one attempt to connect again),
/// so the answer turns 200 as soon as it is back, even on a relay with nothing to write.
pub async fn health(State(state): State<AppState>) -> Result<Response, ApiError> {
    let away = |since: Millis| {
        let body = json!({
            "ok": false,
            "store": "unreachable",
            "store_away_since_ms": since,
            "connections": state.hub.connection_count(),
        });
        Ok((StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response())
    };
    let call = state.hub.call(|ctx| {
        let reachable = ctx.store.ping();
        (
            reachable,
            ctx.relay.doc_count(),
            ctx.relay.storage_id().to_string(),
        )
    });
    tokio::pin!(call);
    // The hub answers at once unless it is busy or waiting for the store: after a second, and
    // then every 100 ms, if the store is away, say so (the call stays queued and is answered
    // once the store is back).
    let mut wait = std::time::Duration::from_secs(1);
    let answer = loop {
        match tokio::time::timeout(wait, &mut call).await {
            Ok(done) => break done?,
            Err(_) => {
                if let Some(since) = state.hub.store_away_since() {
                    return away(since);
                }
                wait = std::time::Duration::from_millis(100);
            }
        }
    };
    let (reachable, docs, storage) = answer;
    if !reachable {
        return away(state.hub.store_away_since().unwrap_or(1));
    }
    Ok(Json(json!({
        "ok": true,
        "documents": docs,
        "connections": state.hub.connection_count(),
        "storage_id": storage,
        "demo": state.config.demo,
    }))
    .into_response())
}

/// The ready-made people of the demo community, each with a reusable invite code.
pub async fn demo_people(State(state): State<AppState>) -> Json<Demo> {
    if !state.config.demo {
        return Json(Demo::default());
    }
    let people = crate::seed::demo::personas()
        .into_iter()
        .map(|p| Persona {
            code: p.code.into(),
            person: p.person.into(),
            role: p.role,
            name: p.name.into(),
            zh: p.zh.into(),
            en: p.en.into(),
        })
        .collect();
    Json(Demo { people })
}

pub async fn enrol(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<EnrolBody>,
) -> Result<Json<Session>, ApiError> {
    let from = client_ip(peer, &headers, &state.config.trusted_proxies);
    if !state.enrol_limiter.allow(from, now_ms()) {
        return Err(ApiError::TooMany);
    }
    let public_key = B64
        .decode(body.public_key.trim())
        .map_err(|_| ApiError::BadRequest("public_key is not base64url".into()))?;
    let mut device_id = [0u8; 12];
    getrandom::fill(&mut device_id).map_err(|e| ApiError::Internal(e.to_string()))?;
    let s = state
        .hub
        .call(move |ctx| {
            let (dev, _person) = identity::redeem(
                ctx.store,
                ctx.now,
                &body.code,
                device_id,
                &public_key,
                &body.label,
            )?;
            session(ctx, &dev)
        })
        .await??;
    Ok(Json(s))
}

/// Answers every well-formed device id alike, known or not, so the answer tells a stranger
/// nothing; only a known, unrevoked device's challenge is remembered (and can be answered).
pub async fn challenge(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<ChallengeBody>,
) -> Result<Json<ChallengeReply>, ApiError> {
    if !is_device_id(&body.device) {
        return Err(ApiError::BadRequest("device is not a device id".into()));
    }
    let now = now_ms();
    let from = client_ip(peer, &headers, &state.config.trusted_proxies);
    if !state.challenge_limiter.allow(from, now) {
        return Err(ApiError::TooMany);
    }
    {
        let mut map = state
            .challenges
            .0
            .lock()
            .map_err(|_| ApiError::Internal("challenge map poisoned".into()))?;
        map.retain(|_, (_, exp)| *exp > now);
        if map.len() >= state.config.max_pending_challenges {
            return Err(ApiError::TooMany);
        }
    }
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| ApiError::Internal(e.to_string()))?;
    let challenge = B64.encode(state.token_keys.make_challenge(
        &body.device,
        nonce,
        now + CHALLENGE_LIFETIME,
    ));
    let device = body.device;
    let known = {
        let device = device.clone();
        state
            .hub
            .call(move |ctx| principal_of(ctx, &device).is_ok())
            .await?
    };
    if known {
        let mut map = state
            .challenges
            .0
            .lock()
            .map_err(|_| ApiError::Internal("challenge map poisoned".into()))?;
        map.insert(challenge.clone(), (device, now + CHALLENGE_LIFETIME));
    }
    Ok(Json(ChallengeReply { challenge }))
}

/// What every failed sign-in says, whatever the cause (unknown device, wrong or expired
/// challenge, bad signature), so the answer tells a stranger nothing.
const SIGN_IN_FAILED: &str = "unknown or expired challenge, or bad signature";

pub async fn token(
    State(state): State<AppState>,
    Json(body): Json<TokenBody>,
) -> Result<Json<TokenReply>, ApiError> {
    let now = now_ms();
    let failed = || ApiError::Unauthorized(SIGN_IN_FAILED.into());
    let challenge = B64.decode(&body.challenge).map_err(|_| failed())?;
    // Issued by this relay, for this device, and not expired (every challenge carries its
    // own proof, so one that was not remembered can still be recognised).
    if !state
        .token_keys
        .challenge_valid(&body.device, &challenge, now)
    {
        return Err(failed());
    }
    // Remembered only for known, unrevoked devices; answered once.
    let remembered = {
        let mut map = state
            .challenges
            .0
            .lock()
            .map_err(|_| ApiError::Internal("challenge map poisoned".into()))?;
        map.remove(&body.challenge)
            .is_some_and(|(device, exp)| device == body.device && exp > now)
    };
    let signature = B64.decode(&body.signature).map_err(|_| failed())?;
    let keys = state.token_keys.clone();
    let reply = state
        .hub
        .call(move |ctx| -> Result<TokenReply, IdentityError> {
            let dev = match principal_of(ctx, &body.device) {
                Ok((_, dev)) if remembered => dev,
                // A revoked device (or an erased person's) is told so, but only once it has
                // proved it holds the device's key.
                Err(e @ (IdentityError::Revoked | IdentityError::Erased)) => {
                    let dev = identity::device(ctx.store, &body.device)?
                        .ok_or(IdentityError::UnknownDevice)?;
                    identity::verify_challenge(&dev, &challenge, &signature)?;
                    return Err(e);
                }
                Err(e @ IdentityError::Store(_)) => return Err(e),
                _ => return Err(IdentityError::UnknownDevice),
            };
            identity::verify_challenge(&dev, &challenge, &signature)?;
            Ok(TokenReply {
                token: keys.issue(&dev.id, ctx.now),
                expires_at: ctx.now + identity::TOKEN_LIFETIME,
                session: session(ctx, &dev)?,
            })
        })
        .await?
        .map_err(|e| match e {
            IdentityError::Revoked | IdentityError::Erased | IdentityError::Store(_) => {
                ApiError::from(e)
            }
            _ => failed(),
        })?;
    Ok(Json(reply))
}
