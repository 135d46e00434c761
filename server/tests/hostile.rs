//! The relay against strangers and misbehaving enrolled phones (issue 10): sign-in and
//! enrolment limits that are fair per client address, connection limits per device and
//! person, bounded outgoing queues, security headers, and the token key kept apart.

use crate::common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

fn addr(a: [u8; 4]) -> SocketAddr {
    SocketAddr::from((a, 40000))
}

const STRANGER: [u8; 4] = [10, 9, 9, 9];

#[tokio::test]
async fn a_sign_in_challenge_checks_the_device_id_and_remembers_nothing_for_unknown_devices() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let from = addr(STRANGER);
    // A megabyte of device id is refused before it is read; a malformed one is a 400.
    let huge = "a".repeat(1 << 20);
    let (s, _) = relay
        .api_from(
            from,
            "POST",
            "/api/auth/challenge",
            json!({ "device": huge }),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    for bad in [
        "zz",
        "ABCDEF0123456789ABCDEF01",
        "0123456789abcdef0123456",
        "",
    ] {
        let (s, _) = relay
            .api_from(
                from,
                "POST",
                "/api/auth/challenge",
                json!({ "device": bad }),
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(relay.state.challenges.pending(), 0);
    // An unknown device gets an answer just like a known one, and nothing is kept for it.
    let unknown = "00112233445566778899aabb";
    let (s, c) = relay
        .api_from(
            from,
            "POST",
            "/api/auth/challenge",
            json!({ "device": unknown }),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let fake = c["challenge"].as_str().unwrap().to_string();
    assert_eq!(relay.state.challenges.pending(), 0);
    let (s, c) = relay
        .api_from(
            from,
            "POST",
            "/api/auth/challenge",
            json!({ "device": wang.device() }),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["challenge"].as_str().unwrap().len(), fake.len());
    assert_eq!(relay.state.challenges.pending(), 1);
    // Answering the unknown device's challenge fails exactly like a wrong challenge.
    let (s1, e1) = relay
        .api(
            "POST",
            "/api/auth/token",
            Some(json!({ "device": unknown, "challenge": fake, "signature": "AAAA" })),
            None,
        )
        .await;
    let (s2, e2) = relay
        .api(
            "POST",
            "/api/auth/token",
            Some(json!({ "device": wang.device(), "challenge": "nope", "signature": "AAAA" })),
            None,
        )
        .await;
    assert_eq!((s1, &e1), (s2, &e2));
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    // A revoked device is answered alike, and nothing is kept for it either.
    let dev = wang.device();
    relay
        .on_hub(move |ctx| linli_server::identity::revoke(ctx.store, ctx.now, &dev).unwrap())
        .await;
    let before = relay.state.challenges.pending();
    let (s, _) = relay
        .api_from(
            from,
            "POST",
            "/api/auth/challenge",
            json!({ "device": wang.device() }),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(relay.state.challenges.pending(), before);
}

#[tokio::test]
async fn one_address_cannot_fill_the_challenge_table_and_lock_other_phones_out_of_sign_in() {
    let relay = TestRelay::start_with(|c| {
        c.max_pending_challenges = 50;
        c.challenges_per_address = 16;
    })
    .await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut statuses = Vec::new();
    for _ in 0..100 {
        let (s, _) = relay
            .api_from(
                addr(STRANGER),
                "POST",
                "/api/auth/challenge",
                json!({ "device": zhao.device() }),
                &[],
            )
            .await;
        statuses.push(s);
    }
    assert!(statuses[..16].iter().all(|s| *s == StatusCode::OK));
    assert!(
        statuses[16..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    // Another phone, from another address, still signs in.
    assert!(wang.token(&relay).await.is_ok());
}

#[tokio::test]
async fn junk_enrolments_from_one_address_do_not_block_a_real_enrolment_from_another() {
    let relay = TestRelay::start().await;
    let mut refused = 0;
    for _ in 0..200 {
        let (s, _) = relay
            .api_from(
                addr(STRANGER),
                "POST",
                "/api/enrol",
                json!({ "code": "WRONG234", "public_key": "AAAA" }),
                &[],
            )
            .await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 190, "10 attempts a minute per address");
    assert!(try_enrol(&relay, WANG).await.is_ok());
}

#[tokio::test]
async fn behind_a_trusted_proxy_enrolments_are_counted_per_forwarded_client_and_never_otherwise() {
    let proxy = addr([10, 0, 0, 1]);
    let relay = TestRelay::start_with(|c| c.trusted_proxies = vec![proxy.ip()]).await;
    let junk = json!({ "code": "WRONG234", "public_key": "AAAA" });
    let mut from_one = Vec::new();
    for _ in 0..12 {
        // The client may write anything first; the proxy appends the address it saw.
        let (s, _) = relay
            .api_from(
                proxy,
                "POST",
                "/api/enrol",
                junk.clone(),
                &[("x-forwarded-for", "1.1.1.1, 198.51.100.1")],
            )
            .await;
        from_one.push(s);
    }
    assert!(from_one[..10].iter().all(|s| *s == StatusCode::NOT_FOUND));
    assert!(
        from_one[10..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    let (s, _) = relay
        .api_from(
            proxy,
            "POST",
            "/api/enrol",
            junk.clone(),
            &[("x-forwarded-for", "198.51.100.2")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another client behind the proxy");
    // From anyone else, the header is ignored: spoofing it buys nothing.
    let mut spoofed = Vec::new();
    for i in 0..12 {
        let xff = format!("203.0.113.{i}");
        let (s, _) = relay
            .api_from(
                addr(STRANGER),
                "POST",
                "/api/enrol",
                junk.clone(),
                &[("x-forwarded-for", &xff)],
            )
            .await;
        spoofed.push(s);
    }
    assert!(
        spoofed[10..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
}

/// Tries to open sockets until one opens (a closed one's slot comes back a moment later).
async fn opens_within(relay: &TestRelay, token: &str, secs: u64) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if raw_socket(relay, token, None).await.is_ok() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn one_device_or_person_cannot_take_more_than_its_share_of_connections() {
    let relay = TestRelay::start_with(|c| {
        c.max_connections_per_device = 2;
        c.max_connections_per_person = 3;
    })
    .await;
    let wang = enrol(&relay, WANG).await;
    let wang2 = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let a = wang.connect(&relay).await;
    let _b = wang.connect(&relay).await;
    let token = wang.token(&relay).await.unwrap();
    let err = raw_socket(&relay, &token, None).await.err().unwrap();
    assert!(err.to_string().contains("429"), "{err}");
    // The person's second phone has one left of the person's three.
    let _c = wang2.connect(&relay).await;
    let token2 = wang2.token(&relay).await.unwrap();
    let err = raw_socket(&relay, &token2, None).await.err().unwrap();
    assert!(err.to_string().contains("429"), "{err}");
    // Others are not affected.
    let _z = zhao.connect(&relay).await;
    // A closed connection gives its place back.
    drop(a);
    assert!(opens_within(&relay, &token, 10).await);
}

#[tokio::test]
async fn a_socket_whose_outgoing_queue_overflows_is_closed_with_4010() {
    // A staff phone's first sync offers every document at once: more than 3 frames.
    let relay = TestRelay::start_with(|c| c.max_queued_frames = 3).await;
    let zhang = enrol(&relay, ZHANG).await;
    let token = zhang.token(&relay).await.unwrap();
    let (ws, _) = tokio_tungstenite::connect_async(relay.ws_url(&token))
        .await
        .unwrap();
    let mut conn = Conn::joined(ws, &zhang).await;
    let (code, reason) = conn.closed_with(10).await;
    assert_eq!(code, 4010, "{reason}");
    assert!(reason.starts_with("too slow"), "{reason}");
}

#[tokio::test]
async fn a_socket_that_stops_reading_is_closed_with_4010_and_the_relay_lets_go_of_it() {
    use futures_util::{SinkExt, StreamExt};
    use linli_shared::automerge::Automerge;
    use linli_shared::automerge::sync::{self, SyncDoc};
    use linli_shared::ids::DocumentId;
    use linli_shared::wire::{Message, PeerMetadata};
    use tokio_tungstenite::tungstenite::Message as Ws;

    let relay = TestRelay::start_with(|c| {
        c.relay.max_messages_per_second = 1_000_000;
        c.drain_timeout_ms = 300;
    })
    .await;
    let wang = enrol(&relay, WANG).await;
    let token = wang.token(&relay).await.unwrap();
    // A phone that reads (almost) nothing: a tiny receive buffer, and it never reads.
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(4096).unwrap();
    let stream = sock.connect(relay.addr).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(relay.ws_url(&token), stream)
        .await
        .unwrap();
    let (mut tx, mut rx) = ws.split();
    let join = Message::Join {
        sender_id: "slow".into(),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata::default(),
    };
    tx.send(Ws::Binary(join.encode().into())).await.unwrap();
    let data = Automerge::new()
        .generate_sync_message(&mut sync::State::new())
        .unwrap()
        .encode();
    // Each request gets an answer that the phone does not read. Bounded in count and time.
    let writer = tokio::spawn(async move {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        for i in 0..400_000u32 {
            let mut id = [7u8; 16];
            id[..4].copy_from_slice(&i.to_be_bytes());
            let req = Message::Request {
                sender_id: "slow".into(),
                target_id: "relay".into(),
                document_id: DocumentId::from_bytes(id),
                data: data.clone(),
            };
            match tokio::time::timeout_at(deadline, tx.send(Ws::Binary(req.encode().into()))).await
            {
                Ok(Ok(())) => {}
                _ => break,
            }
        }
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while relay.state.hub.connection_count() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the relay still holds the slow socket"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    writer.abort();
    // Reading now, the phone finds what was sent, then the relay's close code.
    let mut code = None;
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(m)) = rx.next().await {
            if let Ws::Close(Some(f)) = m {
                code = Some(u16::from(f.code));
                break;
            }
        }
    })
    .await;
    assert_eq!(code, Some(4010));
}

#[tokio::test]
async fn every_response_carries_security_headers_and_the_policy_allows_exactly_the_pages_inline_scripts()
 {
    use axum::body::Body;
    use axum::http::Request;
    use base64::Engine;
    use sha2::{Digest, Sha256};
    use tower::ServiceExt;

    let dist = tempfile::tempdir().unwrap();
    let loader = "import init from '/linli-app-0123456789abcdef.js';\nawait init();";
    let other = "window.x = 1;";
    std::fs::write(
        dist.path().join("index.html"),
        format!(
            "<!doctype html><html><head><script type=module>{loader}</script>\
             <script src=/app.js></script><script>{other}</script></head><body></body></html>"
        ),
    )
    .unwrap();
    let path = dist.path().to_path_buf();
    let relay = TestRelay::start_with(|c| c.dist = Some(path)).await;
    let hash = |s: &str| {
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        )
    };
    for path in [
        "/",
        "/requests/7",
        "/api/health",
        "/api/people",
        "/missing.js",
    ] {
        let res = linli_server::router(relay.state.clone())
            .oneshot(
                Request::get(path)
                    .header("host", relay.addr.to_string())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let h = |n: &str| {
            res.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        let csp = h("content-security-policy");
        let directive = |name: &str| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.starts_with(&format!("{name} ")))
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(
            directive("frame-ancestors"),
            "frame-ancestors 'none'",
            "{csp}"
        );
        assert_eq!(directive("default-src"), "default-src 'self'", "{csp}");
        assert_eq!(directive("img-src"), "img-src 'self' blob: data:", "{csp}");
        assert_eq!(directive("style-src"), "style-src 'self'", "{csp}");
        assert_eq!(
            directive("connect-src"),
            format!("connect-src 'self' ws://{0} wss://{0}", relay.addr),
            "{csp}"
        );
        assert_eq!(
            directive("script-src"),
            format!(
                "script-src 'self' 'wasm-unsafe-eval' {} {}",
                hash(loader),
                hash(other)
            ),
            "{csp}"
        );
    }
}

#[tokio::test]
async fn the_token_key_lives_in_its_own_file_and_tokens_survive_its_migration_and_rotation() {
    use linli_server::identity::issue_token;
    use linli_server::store::RedbStore;
    use linli_shared::store::{Store, key};

    let now = linli_server::hub::now_ms;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    // A store written by an older relay, with the key inside.
    let old_key = vec![9u8; 32];
    {
        let mut store = RedbStore::open(data).unwrap();
        store.put(&key(&["relay", "secret"]), &old_key).unwrap();
        store.commit().unwrap();
    }
    let opens = |url: String| async move { tokio_tungstenite::connect_async(url).await };

    let relay = ProcessRelay::start(data, 0);
    let wang = enrol(&relay, WANG).await;
    let signed_by_old_store_key = issue_token(&old_key, &wang.device(), now());
    assert!(opens(relay.ws_url(&signed_by_old_store_key)).await.is_ok());
    let before_rotation = wang.token(&relay).await.unwrap();
    relay.kill9();

    let file = data.join(linli_server::keys::KEY_FILE);
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777
    };
    assert_eq!(mode, 0o600);
    {
        let store = RedbStore::open(data).unwrap();
        assert_eq!(store.get(&key(&["relay", "secret"])).unwrap(), None);
    }

    let relay = ProcessRelay::start_with_args(data, 0, &["--rotate-token-key"]);
    assert!(opens(relay.ws_url(&before_rotation)).await.is_ok());
    let after_rotation = wang.token(&relay).await.unwrap();
    assert_ne!(after_rotation, before_rotation);
    assert!(opens(relay.ws_url(&after_rotation)).await.is_ok());
    let neither = issue_token(&[5u8; 32], &wang.device(), now());
    let err = opens(relay.ws_url(&neither)).await.err().unwrap();
    assert!(err.to_string().contains("401"), "{err}");
}

/// Opens a TCP connection to the relay from a given loopback address.
async fn tcp_from(relay: &TestRelay, from: [u8; 4]) -> tokio::net::TcpStream {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind(SocketAddr::from((from, 0))).unwrap();
    sock.connect(relay.addr).await.unwrap()
}

/// Whether the relay closes the connection (end of stream or reset) within `secs`.
async fn closed_within(stream: &mut tokio::net::TcpStream, secs: u64) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

const HALF_SENT: &[u8] = b"GET /api/health HTTP/1.1\r\nhost: relay\r\nx-slow: ";

#[tokio::test]
async fn a_request_whose_headers_are_not_sent_in_time_is_cut_off() {
    use tokio::io::AsyncWriteExt;
    let relay = TestRelay::start_with(|c| c.header_read_timeout_ms = 300).await;
    let mut slow = tcp_from(&relay, [127, 0, 0, 1]).await;
    slow.write_all(HALF_SENT).await.unwrap();
    assert!(closed_within(&mut slow, 10).await);
}

#[tokio::test]
async fn one_address_cannot_hold_more_than_its_share_of_connections_and_others_are_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let relay = TestRelay::start_with(|c| c.max_connections_per_address = 4).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = tcp_from(&relay, [127, 0, 0, 1]).await;
        s.write_all(HALF_SENT).await.unwrap();
        held.push(s);
    }
    // The fifth from the same address is closed at once.
    let mut fifth = tcp_from(&relay, [127, 0, 0, 1]).await;
    assert!(closed_within(&mut fifth, 10).await);
    // Another address is served.
    let mut other = tcp_from(&relay, [127, 0, 0, 2]).await;
    other
        .write_all(b"GET /api/health HTTP/1.1\r\nhost: relay\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), other.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // A connection closed gives its place back.
    drop(held.pop());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut s = tcp_from(&relay, [127, 0, 0, 1]).await;
        s.write_all(b"GET /api/health HTTP/1.1\r\nhost: relay\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_string(&mut answer)).await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the place never came back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
