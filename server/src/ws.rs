//! The sync endpoint: `GET /sync?token=…` upgrades to a WebSocket that speaks automerge-repo's
//! protocol. This file is only the socket's edges: authentication before the upgrade, limits
//! (size, origin, connection cap, handshake and idle timeouts) and moving frames between the
//! socket and the hub. The protocol itself lives in `linli_shared::relay`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use linli_shared::policy::Principal;
use linli_shared::relay::ConnId;
use serde::Deserialize;

use crate::AppState;
use crate::api::ApiError;
use crate::hub::{Outgoing, now_ms};

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Close codes (defined once in `linli_shared::api::close`, for the relay and the app).
pub use linli_shared::api::close;

/// How long the closing handshake may take before the socket is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_millis(crate::config::CLOSE_TIMEOUT_MS);

#[derive(Deserialize)]
pub struct SyncQuery {
    token: Option<String>,
}

/// Whether a browser page at `origin` may open a sync socket to us.
fn origin_allowed(state: &AppState, headers: &HeaderMap, origin: Option<&str>) -> bool {
    let Some(origin) = origin else {
        // Not a browser (command-line and test clients send no Origin).
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let same = origin == format!("http://{host}") || origin == format!("https://{host}");
    same || state.config.origins.iter().any(|o| o == origin)
}

pub async fn sync_handler(
    State(state): State<AppState>,
    Query(q): Query<SyncQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if !origin_allowed(&state, &headers, origin) {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    let Some(token) = q.token else {
        return ApiError::Unauthorized("a token is required".into()).into_response();
    };
    let now = now_ms();
    let device = match state.token_keys.check(&token, now) {
        Ok(d) => d,
        Err(e) => return ApiError::Unauthorized(e.to_string()).into_response(),
    };
    let principal = {
        let device = device.clone();
        state
            .hub
            .call(move |ctx| crate::api::principal_of(ctx, &device))
            .await
    };
    let (principal, _dev) = match principal {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return ApiError::from(e).into_response(),
        Err(_) => return ApiError::Unavailable.into_response(),
    };
    let slot = match state.conn_limits.try_acquire(&device, &principal.person) {
        Ok(slot) => slot,
        Err(e) => return ApiError::TooManyConnections(e.to_string()).into_response(),
    };
    let Some(reservation) = state.hub.try_reserve(state.config.max_connections) else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many connections").into_response();
    };
    let max = state.config.max_message_bytes;
    // The socket layer accepts more than our limit so that we, not it, answer an oversized
    // message, with close code 1009.
    // Small buffers: most connections are idle phones, and tungstenite's defaults (128 KiB to
    // read, 128 KiB to write) would cost a quarter of a megabyte each.
    ws.read_buffer_size(1 << 10)
        .write_buffer_size(0)
        .max_message_size(max.saturating_mul(4))
        .max_frame_size(max.saturating_mul(4))
        .on_upgrade(move |socket| run(socket, state, device, principal, (reservation, slot)))
}

async fn run(
    socket: WebSocket,
    state: AppState,
    device: String,
    principal: Principal,
    // Given back (dropped) when the connection ends, or if the upgrade never completes.
    (reservation, _slot): (crate::hub::Reservation, crate::limits::Slot),
) {
    let conn: ConnId = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let (tx, mut rx) = crate::hub::outbox(
        state.config.max_queued_bytes,
        state.config.max_queued_frames,
    );
    state.hub.open(conn, device, principal, tx);
    let budget = crate::hub::Budget::new(state.config.max_unhandled_bytes);
    let drain = Duration::from_millis(state.config.drain_timeout_ms);
    let too_slow = || {
        Some((
            close::TOO_SLOW,
            "too slow: did not read in time".to_string(),
        ))
    };
    let (mut sink, mut stream) = socket.split();
    let max = state.config.max_message_bytes;
    let handshake = tokio::time::sleep(Duration::from_millis(state.config.handshake_timeout_ms));
    tokio::pin!(handshake);
    let idle_after = Duration::from_millis(state.config.idle_timeout_ms);
    let mut last_heard = tokio::time::Instant::now();
    let mut ping = tokio::time::interval(idle_after / 3);
    ping.tick().await;
    let mut joined = false;

    let close = |code: u16, reason: &str| {
        Message::Close(Some(CloseFrame {
            code,
            reason: reason.chars().take(100).collect::<String>().into(),
        }))
    };

    // Why the loop ended, if the relay is the one closing: (code, reason).
    let mut closing: Option<(u16, String)> = None;
    loop {
        tokio::select! {
            incoming = stream.next() => {
                let msg = match incoming {
                    Some(Ok(m)) => m,
                    Some(Err(e)) => {
                        // Beyond even the socket layer's bound (4 × ours): still a 1009.
                        if e.to_string().contains("too long") {
                            closing = Some((close::TOO_BIG, "message too big".into()));
                        }
                        break;
                    }
                    None => break,
                };
                last_heard = tokio::time::Instant::now();
                match msg {
                    Message::Binary(bytes) => {
                        if bytes.len() > max {
                            closing = Some((close::TOO_BIG, "message too big".into()));
                            break;
                        }
                        joined = true;
                        // Past the budget, the socket is not read until the hub has handled
                        // what it sent (PostgreSQL away, a long batch): the phone's frames
                        // wait in its own buffers, not in the relay's memory. The wait is not
                        // the phone's silence.
                        let held = budget.take(bytes.len()).await;
                        last_heard = tokio::time::Instant::now();
                        state.hub.frame(conn, bytes.to_vec(), held);
                    }
                    Message::Text(_) => {
                        closing = Some((close::NOT_BINARY, "binary frames only".into()));
                        break;
                    }
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => {}
                }
            }
            out = rx.recv() => {
                match out {
                    Some(Outgoing::Frame(_)) if rx.overflowed() => {
                        closing = too_slow();
                        break;
                    }
                    Some(Outgoing::Frame(f)) => {
                        match tokio::time::timeout(drain, sink.send(Message::Binary(f.into()))).await {
                            Ok(Ok(())) => {}
                            Ok(Err(_)) => break,
                            Err(_) => {
                                closing = too_slow();
                                break;
                            }
                        }
                    }
                    Some(Outgoing::Close(code, reason)) => {
                        closing = Some((code, reason));
                        break;
                    }
                    None => break,
                }
            }
            () = &mut handshake, if !joined => {
                closing = Some((close::HANDSHAKE_TIMEOUT, "no join in time".into()));
                break;
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > idle_after {
                    closing = Some((close::IDLE_TIMEOUT, "idle".into()));
                    break;
                }
                match tokio::time::timeout(drain, sink.send(Message::Ping(Vec::new().into()))).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => break,
                    Err(_) => {
                        closing = too_slow();
                        break;
                    }
                }
            }
        }
    }
    state.hub.closed(conn, reservation);
    // Whatever still waits to be sent is freed now, not after the closing handshake.
    drop(rx);
    if let Some((code, reason)) = closing {
        // A proper closing handshake: send our close frame, then read (and discard) what the
        // client still sends until its close frame arrives, so the client sees our code rather
        // than a reset connection.
        // Bounded: a peer that does not read gets no more than CLOSE_TIMEOUT.
        let sent = tokio::time::timeout(CLOSE_TIMEOUT, sink.send(close(code, &reason))).await;
        if matches!(sent, Ok(Ok(()))) {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
                while let Some(Ok(m)) = stream.next().await {
                    if matches!(m, Message::Close(_)) {
                        break;
                    }
                }
            })
            .await;
        }
    }
}
