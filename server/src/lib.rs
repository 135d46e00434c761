//! # linli-server: the relay
//!
//! One router function ([`router`]) builds the whole HTTP surface; `main` only reads the
//! configuration, opens the store and serves. The sync protocol and every rule about who may
//! read and write what live in `linli_shared` (sans-IO); this crate is its runtime:
//!
//! - [`hub`]: the thread that owns the relay core and the store; group commit.
//! - [`ws`]: the WebSocket edge (auth, limits, timeouts).
//! - [`api`]: enrolment, tokens, health; [`identity`]: people, devices, invites, tokens.
//! - [`open311`]: the open read API for the city's systems (GeoReport v2, no personal data).
//! - [`store`]: the stores: the embedded on-disk one (redb, the default) and PostgreSQL.
//! - [`demo`]: the first-start invite and the demo community.
//! - [`assets`]: the built app, precompressed, with cache headers.

pub mod api;
pub mod assets;
pub mod blobs;
pub mod config;
pub mod headers;
pub mod hub;
pub mod identity;
pub mod keys;
pub mod limits;
pub mod listen;
pub mod open311;
pub mod seed;
pub mod staff;
pub mod store;
pub mod ws;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use linli_shared::relay::Relay;

use crate::config::Config;
use crate::hub::Hub;
use crate::store::AnyStore;

/// Everything handlers share.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub hub: Hub,
    /// The HMAC keys for session tokens (their own file in the data directory).
    pub token_keys: Arc<keys::TokenKeys>,
    pub challenges: Arc<api::Challenges>,
    /// Sign-in challenges per client address.
    pub challenge_limiter: Arc<limits::Limiter>,
    /// Enrolment attempts per client address and relay-wide.
    pub enrol_limiter: Arc<limits::Limiter>,
    /// Open sync connections per device and per person.
    pub conn_limits: Arc<limits::ConnLimits>,
    /// The open read API's rate limit and index of requests.
    pub open311: Arc<open311::Open311>,
    /// The content security policy's hashes of the served page's inline scripts.
    pub script_hashes: Arc<Vec<String>>,
}

/// What starting the relay found out, for `main` to print.
pub struct Started {
    pub state: AppState,
    /// The first staff member's one-time invite code, on a fresh store.
    pub bootstrap_code: Option<String>,
    pub seeded: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] linli_shared::store::StoreError),
    #[error(transparent)]
    Relay(#[from] linli_shared::relay::RelayError),
    #[error(transparent)]
    Seed(#[from] seed::SeedError),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error("the hub stopped during start-up")]
    Hub,
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("OS randomness");
    b
}

/// Opens the store (the redb file in the data directory, or PostgreSQL with `--store`),
/// starts the hub, and seeds what a fresh install needs (the community document, the first
/// staff invite; the demo community with `demo`).
pub async fn start(config: Config) -> Result<Started, StartError> {
    // Opening, compacting and reading the store block, and the PostgreSQL client must not run
    // inside the async runtime (it runs one of its own): all of it runs on a blocking thread,
    // and from then on only the hub thread touches the store.
    let (store, data, rotate, relay_config) = (
        config.store.clone(),
        config.data.clone(),
        config.rotate_token_key,
        config.relay.clone(),
    );
    let (store, token_keys, relay) =
        tokio::task::spawn_blocking(move || -> Result<_, StartError> {
            let mut store = AnyStore::open(store.as_deref(), &data)?;
            let started = std::time::Instant::now();
            if let Some((before, after)) = store.compact_if_pending(&data)? {
                tracing::info!(
                    "{} store compacted after an erasure: {before} → {after} bytes in {:.1} s",
                    store.describe(),
                    started.elapsed().as_secs_f64()
                );
            }
            // The token keys stay in their file in the data directory, whatever the store.
            std::fs::create_dir_all(&data).map_err(|e| keys::KeyError::Io(data.clone(), e))?;
            let token_keys = keys::load(&data, &mut store, rotate)?;
            let relay = Relay::open(&mut store, relay_config, random::<16>())?;
            Ok((store, token_keys, relay))
        })
        .await
        .map_err(|_| StartError::Hub)??;
    let hub = Hub::start(relay, store);
    let (demo, scale) = (config.demo, config.demo_scale);
    let (bootstrap_code, seeded) = hub
        .call(move |ctx| -> Result<_, seed::SeedError> {
            let seeded = seed::seed(ctx, demo, scale)?;
            Ok((seed::bootstrap(ctx)?, seeded))
        })
        .await
        .map_err(|_| StartError::Hub)??;
    let challenge_limiter = Arc::new(limits::Limiter::new(
        config.challenges_per_address,
        u32::MAX,
        api::CHALLENGE_LIFETIME,
    ));
    let enrol_limiter = Arc::new(limits::Limiter::new(
        config.enrol_per_address,
        config.enrol_overall,
        linli_shared::time::MINUTE,
    ));
    let conn_limits = Arc::new(limits::ConnLimits::new(
        config.max_connections_per_device,
        config.max_connections_per_person,
    ));
    let script_hashes = Arc::new(headers::page_script_hashes(config.dist.as_deref()));
    let open311 = Arc::new(open311::Open311::new(config.open311_per_address));
    Ok(Started {
        state: AppState {
            script_hashes,
            challenge_limiter,
            enrol_limiter,
            conn_limits,
            open311,
            config: Arc::new(config),
            hub,
            token_keys: Arc::new(token_keys),
            challenges: Arc::new(api::Challenges::default()),
        },
        bootstrap_code,
        seeded,
    })
}

/// Serves the router on a listener until `shutdown` resolves (client addresses are passed to
/// handlers, for the per-address limits; see [`listen`] for the connection limits).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listen::serve(listener, state, shutdown).await
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/demo", get(api::demo_people))
        .route(
            "/enrol",
            post(api::enrol).layer(axum::extract::DefaultBodyLimit::max(
                config::MAX_AUTH_BODY_BYTES,
            )),
        )
        .route(
            "/auth/challenge",
            post(api::challenge).layer(axum::extract::DefaultBodyLimit::max(
                config::MAX_AUTH_BODY_BYTES,
            )),
        )
        .route(
            "/auth/token",
            post(api::token).layer(axum::extract::DefaultBodyLimit::max(
                config::MAX_AUTH_BODY_BYTES,
            )),
        )
        .route("/invites", post(staff::create_invite))
        .route("/people", get(staff::people))
        .route("/volunteers", get(staff::volunteers))
        .route("/people/{id}/invites", post(staff::invite_existing))
        .route("/people/{id}/devices", get(staff::devices))
        .route("/people/{id}/erase", post(staff::erase))
        .route("/devices/{id}/revoke", post(staff::revoke))
        .route("/devices/{id}/label", post(staff::label_device))
        .route("/audit", get(staff::audit))
        .route(
            "/blobs/{hash}",
            get(blobs::get)
                .put(blobs::put)
                .layer(axum::extract::DefaultBodyLimit::max(
                    blobs::MAX_PHOTO_BYTES + 1024,
                )),
        );
    let mut app = Router::new()
        .nest("/api", api)
        .route("/sync", get(ws::sync_handler));
    if state.config.open311 {
        use linli_shared::open311::paths;
        app = app
            .route(paths::SERVICES, get(open311::services))
            .route(paths::REQUESTS, get(open311::requests))
            .route("/open311/v2/requests/{file}", get(open311::request));
    }
    let app = match &state.config.dist {
        Some(dist) => app.fallback_service(assets::service(dist)),
        None => app,
    };
    let hashes = state.script_hashes.clone();
    app.with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            hashes,
            headers::security_headers,
        ))
}
