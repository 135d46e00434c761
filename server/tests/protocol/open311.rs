//! The open read API, read by a GeoReport v2 client written from the specification
//! (<https://wiki.open311.org/GeoReport_v2>): it reads the specification's field names and
//! nothing else, so a field the specification does not have fails the test. And no answer
//! holds personal data or a document id.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use linli_shared::domain::DocKind;
use linli_shared::domain::people::Person;
use linli_shared::domain::requests::{Colour, EventKind, Filing, RequestDraft, file_request};
use linli_shared::ids::DocumentId;
use serde::Deserialize;
use tower::ServiceExt;

use crate::common::*;

/// The GeoReport v2 client: the specification's shapes, strictly.
mod georeport {
    use serde::Deserialize;

    /// GET Service List: one service.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Service {
        pub service_code: String,
        pub service_name: String,
        pub description: Option<String>,
        pub metadata: bool,
        #[serde(rename = "type")]
        pub kind: String,
        pub keywords: Option<String>,
        pub group: Option<String>,
    }

    /// GET Service Requests / GET Service Request: one request.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct ServiceRequest {
        pub service_request_id: String,
        pub status: String,
        pub status_notes: Option<String>,
        pub service_name: Option<String>,
        pub service_code: Option<String>,
        pub description: Option<String>,
        pub agency_responsible: Option<String>,
        pub service_notice: Option<String>,
        pub requested_datetime: Option<String>,
        pub updated_datetime: Option<String>,
        pub expected_datetime: Option<String>,
        pub address: Option<String>,
        pub address_id: Option<String>,
        pub zipcode: Option<String>,
        pub lat: Option<f64>,
        pub long: Option<f64>,
        pub media_url: Option<String>,
    }

    /// An error (answers carry an array of them).
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Error {
        pub code: u16,
        pub description: String,
    }
}

use georeport::{Error, Service, ServiceRequest};

const FROM: [u8; 4] = [127, 0, 0, 1];

/// A GET through the router as if from `from`: status, headers and the body's bytes.
async fn get_from(
    relay: &TestRelay,
    from: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::builder()
        .method("GET")
        .uri(path)
        .extension(ConnectInfo(from));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = linli_server::router(relay.state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, bytes.to_vec())
}

async fn get(relay: &TestRelay, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    get_from(relay, SocketAddr::from((FROM, 40000)), path, &[]).await
}

/// A successful answer, read strictly as `T`.
async fn read<T: for<'de> Deserialize<'de>>(relay: &TestRelay, path: &str) -> T {
    let (status, headers, body) = get(relay, path).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{path}: {}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"),
        "{path}"
    );
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "{path}: not the specification's shape: {e}: {}",
            String::from_utf8_lossy(&body)
        )
    })
}

/// An error answer: the status and the specification's error array.
async fn error(relay: &TestRelay, path: &str, expected: StatusCode) -> Vec<Error> {
    let (status, _, body) = get(relay, path).await;
    assert_eq!(
        status,
        expected,
        "{path}: {}",
        String::from_utf8_lossy(&body)
    );
    let errors: Vec<Error> = serde_json::from_slice(&body).unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, expected.as_u16());
    assert!(!errors[0].description.is_empty());
    errors
}

fn instant(s: &Option<String>) -> i64 {
    linli_shared::open311::parse_datetime(s.as_deref().unwrap()).unwrap()
}

#[tokio::test]
async fn a_georeport_client_lists_the_communitys_request_categories_as_services() {
    let relay = TestRelay::start().await;
    let services: Vec<Service> = read(&relay, "/open311/v2/services.json").await;
    let categories = linli_shared::domain::community::default_categories();
    assert_eq!(services.len(), categories.len());
    for (s, c) in services.iter().zip(&categories) {
        assert_eq!(s.service_code, c.id);
        assert_eq!(s.service_name, c.zh);
        assert!(!s.metadata);
        assert_eq!(s.kind, "realtime");
        assert!(s.keywords.as_deref().is_some_and(|k| k.contains(&c.zh)));
        assert!(s.group.is_some() && s.description.is_some());
    }
}

#[tokio::test]
async fn a_georeport_client_lists_requests_by_each_of_the_specifications_filters() {
    let relay = TestRelay::start().await;
    let now = now_ms();
    let day = linli_shared::time::DAY;
    let all: Vec<ServiceRequest> = read(&relay, "/open311/v2/requests.json").await;
    assert!(all.len() > 5, "the demo's last 90 days: {}", all.len());
    // Newest first, all within the last 90 days by default.
    let times: Vec<i64> = all.iter().map(|r| instant(&r.requested_datetime)).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert!(times.iter().all(|t| *t >= now - 90 * day - 60_000));
    for r in &all {
        assert!(r.status == "open" || r.status == "closed");
        assert!(r.address.as_deref().is_some_and(|a| a.contains("网格")));
        assert!(r.agency_responsible.is_some() && r.service_name.is_some());
        assert!(r.expected_datetime.is_some() && r.updated_datetime.is_some());
        assert!(r.lat.is_none() && r.long.is_none() && r.media_url.is_none());
        assert!(r.service_notice.is_none() && r.address_id.is_none() && r.zipcode.is_none());
        assert!(r.status_notes.is_some());
        assert_eq!(r.service_request_id.len(), 16);
    }

    let open: Vec<ServiceRequest> = read(&relay, "/open311/v2/requests.json?status=open").await;
    let closed: Vec<ServiceRequest> = read(&relay, "/open311/v2/requests.json?status=closed").await;
    assert!(!open.is_empty() && !closed.is_empty());
    assert!(open.iter().all(|r| r.status == "open"));
    assert!(closed.iter().all(|r| r.status == "closed"));
    assert_eq!(open.len() + closed.len(), all.len());
    let both: Vec<ServiceRequest> =
        read(&relay, "/open311/v2/requests.json?status=open,closed").await;
    assert_eq!(both.len(), all.len());

    let code = all[0].service_code.clone().unwrap();
    let of_code: Vec<ServiceRequest> = read(
        &relay,
        &format!("/open311/v2/requests.json?service_code={code}"),
    )
    .await;
    assert!(!of_code.is_empty());
    assert!(
        of_code
            .iter()
            .all(|r| r.service_code.as_deref() == Some(code.as_str()))
    );
    assert_eq!(
        of_code.len(),
        all.iter()
            .filter(|r| r.service_code.as_deref() == Some(code.as_str()))
            .count()
    );

    // A window: the two weeks before the newest request, written with an offset (`+`
    // encoded) and in UTC.
    let newest = times[0];
    let (start, end) = (
        linli_shared::open311::format_datetime(newest - 14 * day),
        // The next second: the format has whole seconds.
        linli_shared::open311::format_datetime(newest + 1_000),
    );
    let (from, to) = (instant(&Some(start.clone())), instant(&Some(end.clone())));
    let window: Vec<ServiceRequest> = read(
        &relay,
        &format!(
            "/open311/v2/requests.json?start_date={}&end_date={}",
            start.replace('+', "%2B"),
            end.replace('+', "%2B")
        ),
    )
    .await;
    let expected = times.iter().filter(|t| **t >= from && **t <= to).count();
    assert!(expected > 0);
    assert_eq!(window.len(), expected);
    // An older window, beyond the default 90 days: the demo's year holds requests there.
    let old: Vec<ServiceRequest> = read(
        &relay,
        "/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-03-01T00:00:00Z",
    )
    .await;
    assert!(old.is_empty());

    // Ids override the other filters.
    let (a, b) = (&all[0], &all[all.len() - 1]);
    let other_status = if a.status == "open" { "closed" } else { "open" };
    let by_id: Vec<ServiceRequest> = read(
        &relay,
        &format!(
            "/open311/v2/requests.json?service_request_id={},{}&status={other_status}",
            a.service_request_id, b.service_request_id
        ),
    )
    .await;
    let mut got: Vec<&str> = by_id
        .iter()
        .map(|r| r.service_request_id.as_str())
        .collect();
    got.sort();
    let mut want = vec![a.service_request_id.as_str(), b.service_request_id.as_str()];
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test]
async fn one_request_is_read_by_its_id_and_unknown_ids_and_bad_parameters_get_the_specifications_errors()
 {
    let relay = TestRelay::start().await;
    let all: Vec<ServiceRequest> = read(&relay, "/open311/v2/requests.json").await;
    let first = &all[0];
    let one: Vec<ServiceRequest> = read(
        &relay,
        &format!("/open311/v2/requests/{}.json", first.service_request_id),
    )
    .await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].service_request_id, first.service_request_id);
    assert_eq!(one[0].description, first.description);
    assert_eq!(one[0].requested_datetime, first.requested_datetime);

    error(
        &relay,
        "/open311/v2/requests/0123456789abcdef.json",
        StatusCode::NOT_FOUND,
    )
    .await;
    error(
        &relay,
        &format!("/open311/v2/requests/{}", first.service_request_id),
        StatusCode::NOT_FOUND,
    )
    .await;
    for bad in [
        "status=pending",
        "start_date=yesterday",
        "end_date=2026-02-30",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",
        "start_date=2026-12-01T00:00:00Z&end_date=2026-11-01T00:00:00Z",
        "service_request_id=1%2F..%2F",
        "service_code=%3Cscript%3E",
        "status=open&status=closed",
    ] {
        error(
            &relay,
            &format!("/open311/v2/requests.json?{bad}"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let long = format!("/open311/v2/requests.json?x={}", "a".repeat(5000));
    error(&relay, &long, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn no_answer_of_the_open_api_holds_personal_data_or_a_document_id() {
    let relay = TestRelay::start().await;
    // The index is built before the request below is filed: it must catch up with it.
    let (s, _, _) = get(&relay, "/open311/v2/requests.json").await;
    assert_eq!(s, StatusCode::OK);
    // A request whose private description names its resident, her phone and her flat.
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let household = wang.session["household"].as_str().unwrap().to_string();
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    let id = DocumentId::from_bytes(b);
    let draft = RequestDraft {
        title: "开放接口测试：路灯闪烁".into(),
        description: "请联系王秀英 13812345678，7-2-301".into(),
        category: "facilities".into(),
        colour: Some(Colour::Yellow),
        grid: "g07".into(),
        photos: Vec::new(),
    };
    let filing = Filing {
        filed_by: wang.person(),
        subject: wang.person(),
        household,
    };
    conn.change_confirmed(id, |d| file_request(d, &draft, &filing, now_ms()))
        .await;

    // Everything that must never be shown: every resident's name, phone, flat, person id and
    // household; every document id; requests' descriptions, answers and rating comments.
    let secrets: Vec<String> = relay
        .on_hub(|ctx| {
            let ids: Vec<(DocumentId, Option<DocKind>)> = ctx
                .relay
                .documents()
                .map(|(id, m)| (*id, m.scope.kind))
                .collect();
            let mut secrets = Vec::new();
            for (id, kind) in ids {
                secrets.push(id.to_string());
                secrets.push(linli_shared::ids::hex(id.as_bytes()));
                let Some(doc) = ctx.relay.document(ctx.store, &id).unwrap() else {
                    continue;
                };
                match kind {
                    Some(DocKind::Person) => {
                        let p = Person::read(&doc).unwrap();
                        secrets.extend([p.id, p.name, p.phone, p.flat, p.household]);
                    }
                    Some(DocKind::Request) => {
                        let r = linli_shared::domain::requests::Request::read(&doc).unwrap();
                        secrets.extend([
                            r.title,
                            r.description,
                            r.household,
                            r.subject,
                            r.filed_by,
                        ]);
                        if !r.filed_by_name.is_empty() {
                            secrets.push(r.filed_by_name);
                        }
                        for e in r.events {
                            secrets.push(e.by);
                            match e.kind {
                                EventKind::Answer { text, .. } | EventKind::Detail { text } => {
                                    secrets.push(text)
                                }
                                EventKind::Rate { comment, .. } => secrets.push(comment),
                                EventKind::Reopen { reason }
                                | EventKind::Recolour { reason, .. } => secrets.push(reason),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            secrets
        })
        .await
        .into_iter()
        // Empty and one-character strings say nothing.
        .filter(|s| s.chars().count() >= 2)
        .collect();
    assert!(secrets.iter().any(|s| s == "王秀英"));
    assert!(secrets.iter().any(|s| s == "p-wang"));

    let mut bodies = Vec::new();
    let (_, _, services) = get(&relay, "/open311/v2/services.json").await;
    bodies.push(services);
    let (status, _, list) = get(&relay, "/open311/v2/requests.json").await;
    assert_eq!(status, StatusCode::OK);
    let listed: Vec<ServiceRequest> = serde_json::from_slice(&list).unwrap();
    bodies.push(list);
    for q in [
        "status=closed",
        "start_date=2020-01-01&end_date=2020-03-30",
        "end_date=2099-01-01",
    ] {
        let (_, _, body) = get(&relay, &format!("/open311/v2/requests.json?{q}")).await;
        bodies.push(body);
    }
    // A year back, 90 days at a time.
    let day = linli_shared::time::DAY;
    for k in 0..5 {
        let end = linli_shared::open311::format_datetime(now_ms() - k * 90 * day);
        let (_, _, body) = get(
            &relay,
            &format!(
                "/open311/v2/requests.json?end_date={}",
                end.replace('+', "%2B")
            ),
        )
        .await;
        bodies.push(body);
    }
    for r in listed.iter().take(40) {
        let (_, _, body) = get(
            &relay,
            &format!("/open311/v2/requests/{}.json", r.service_request_id),
        )
        .await;
        bodies.push(body);
    }
    // The new request is there, by the board's hash of its id, without its title.
    let key = linli_shared::domain::board::board_key(&id);
    let mine = listed
        .iter()
        .find(|r| r.service_request_id == key)
        .expect("the new request is listed");
    assert_eq!(mine.description, None);
    assert_eq!(mine.status, "open");
    assert_eq!(mine.address.as_deref(), Some("第7网格"));

    for body in &bodies {
        let text = String::from_utf8_lossy(body);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{s:?} leaked in {text}");
        }
    }
}

#[tokio::test]
async fn the_open_api_answers_429_past_its_rate_limit_per_client_address() {
    let proxy: SocketAddr = "127.0.0.9:443".parse().unwrap();
    let relay = TestRelay::start_with(|c| {
        c.open311_per_address = 3;
        c.trusted_proxies = vec![proxy.ip()];
    })
    .await;
    let a = SocketAddr::from(([127, 0, 0, 2], 40000));
    let b = SocketAddr::from(([127, 0, 0, 3], 40000));
    for _ in 0..3 {
        let (s, _, _) = get_from(&relay, a, "/open311/v2/services.json", &[]).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, headers, body) = get_from(&relay, a, "/open311/v2/requests.json", &[]).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "60");
    let errors: Vec<Error> = serde_json::from_slice(&body).unwrap();
    assert_eq!(errors[0].code, 429);
    // Another address has its own allowance; so do clients behind a trusted proxy, and a
    // forged header from anyone else changes nothing.
    let (s, _, _) = get_from(&relay, b, "/open311/v2/services.json", &[]).await;
    assert_eq!(s, StatusCode::OK);
    for n in 0..3 {
        let client = format!("203.0.113.{n}");
        let (s, _, _) = get_from(
            &relay,
            proxy,
            "/open311/v2/services.json",
            &[("x-forwarded-for", client.as_str())],
        )
        .await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, _, _) = get_from(
        &relay,
        a,
        "/open311/v2/services.json",
        &[("x-forwarded-for", "198.51.100.1")],
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_open_api_is_not_served_when_turned_off() {
    let relay = TestRelay::start_with(|c| c.open311 = false).await;
    let (s, _, _) = get(&relay, "/open311/v2/services.json").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = get(&relay, "/open311/v2/requests.json").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
