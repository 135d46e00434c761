//! # linli-server: the relay
//!
//! One router function ([`router`]) builds the whole HTTP surface; `main` only reads the
//! configuration, opens the store and serves. The sync protocol and every rule about who may
//! read and write what live in `linli_shared` (sans-IO); this crate is its runtime:
//!
//! - [`hub`]: the thread that owns the relay core and the store; group commit.
//! - [`ws`]: the WebSocket edge (auth, limits, timeouts).
//! - [`api`]: enrolment, tokens, health; [`identity`]: people, devices, invites, tokens.
//! - [`store`]: the embedded on-disk store (redb).
//! - [`demo`]: the first-start invite and the demo community.
//! - [`assets`]: the built app, precompressed, with cache headers.

pub mod api;
pub mod assets;
pub mod blobs;
pub mod config;
pub mod demo;
pub mod hub;
pub mod identity;
pub mod scale;
pub mod staff;
pub mod store;
pub mod ws;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use linli_shared::relay::Relay;
use linli_shared::store::{Store, key};

use crate::config::Config;
use crate::hub::Hub;
use crate::store::RedbStore;

/// Everything handlers share.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub hub: Hub,
    /// The HMAC key for session tokens (persisted in the store).
    pub secret: Arc<Vec<u8>>,
    pub challenges: Arc<api::Challenges>,
    pub enrol_limiter: Arc<api::Limiter>,
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
    Seed(#[from] demo::SeedError),
    #[error("the hub stopped during start-up")]
    Hub,
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("OS randomness");
    b
}

/// Opens the store in the data directory, starts the hub, and seeds what a fresh install
/// needs (the community document, the first staff invite; the demo community with `demo`).
pub async fn start(config: Config) -> Result<Started, StartError> {
    let mut store = RedbStore::open(&config.data)?;
    let secret_key = key(&["relay", "secret"]);
    let secret = match store.get(&secret_key)? {
        Some(s) => s,
        None => {
            let s = random::<32>().to_vec();
            store.put(&secret_key, &s)?;
            store.commit()?;
            s
        }
    };
    let relay = Relay::open(&mut store, config.relay.clone(), random::<16>())?;
    let hub = Hub::start(relay, store);
    let (demo, scale) = (config.demo, config.demo_scale);
    let (bootstrap_code, seeded) = hub
        .call(move |ctx| -> Result<_, demo::SeedError> {
            let seeded = demo::seed(ctx, demo, scale)?;
            Ok((demo::bootstrap(ctx)?, seeded))
        })
        .await
        .map_err(|_| StartError::Hub)??;
    Ok(Started {
        state: AppState {
            config: Arc::new(config),
            hub,
            secret: Arc::new(secret),
            challenges: Arc::new(api::Challenges::default()),
            enrol_limiter: Arc::new(api::Limiter::new(10, 120)),
        },
        bootstrap_code,
        seeded,
    })
}

/// Serves the router on a listener until `shutdown` resolves (client addresses are passed to
/// handlers, for the enrolment rate limit).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/demo", get(api::demo_people))
        .route("/enrol", post(api::enrol))
        .route("/auth/challenge", post(api::challenge))
        .route("/auth/token", post(api::token))
        .route("/invites", post(staff::create_invite))
        .route("/people", get(staff::people))
        .route("/people/{id}/invites", post(staff::invite_existing))
        .route("/people/{id}/devices", get(staff::devices))
        .route("/people/{id}/erase", post(staff::erase))
        .route("/devices/{id}/revoke", post(staff::revoke))
        .route("/audit", get(staff::audit))
        .route(
            "/blobs/{hash}",
            get(blobs::get)
                .put(blobs::put)
                .layer(axum::extract::DefaultBodyLimit::max(
                    blobs::MAX_PHOTO_BYTES + 1024,
                )),
        );
    let app = Router::new()
        .nest("/api", api)
        .route("/sync", get(ws::sync_handler));
    let app = match &state.config.dist {
        Some(dist) => app.fallback_service(assets::service(dist)),
        None => app,
    };
    app.with_state(state)
}
