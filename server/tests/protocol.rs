//! The relay's rules, tried against the real relay over a real socket on a free port: one
//! test per rule, each named for what it proves.

mod cases;
mod charters;
use crate::common;
mod drawings;
mod events;
mod grants;
mod groups;
mod indicators;
mod merchants;
mod notes;
mod open311;
mod resmap;
mod roadmap;
mod school;
mod sorting;
mod talks;
mod volunteers;
mod votes;
mod works;

use axum::http::StatusCode;
use common::*;
use linli_shared::domain::people::ConsentMethod;
use linli_shared::domain::requests::{Colour, EventKind, Filing, RequestDraft, Status};
use linli_shared::ids::DocumentId;
use linli_shared::wire::Message;
use serde_json::json;

fn draft(title: &str, grid: &str) -> RequestDraft {
    RequestDraft {
        title: title.into(),
        description: "测试".into(),
        category: "other".into(),
        colour: Some(Colour::Yellow),
        grid: grid.into(),
        photos: Vec::new(),
    }
}

fn new_id() -> DocumentId {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    DocumentId::from_bytes(b)
}

/// A photo's bytes sent to or fetched from the relay for a request.
async fn blob(
    relay: &TestRelay,
    method: &str,
    hash: &str,
    doc: DocumentId,
    body: Vec<u8>,
    token: &str,
) -> (StatusCode, Vec<u8>) {
    let path = linli_shared::api::paths::blob(hash, &doc.to_string());
    relay.bytes(method, &path, body, token).await
}

/// A tiny PNG: the relay keeps images only.
fn tiny_png() -> Vec<u8> {
    [
        &b"\x89PNG\r\n\x1a\n"[..],
        &[0, 0, 0, 13],
        b"IHDR",
        &[
            0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
        ],
    ]
    .concat()
}

/// Files a request as drafted and waits for the relay to confirm it.
async fn file_confirmed(conn: &mut Conn, d: &RequestDraft, f: &Filing) -> DocumentId {
    let id = new_id();
    conn.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, d, f, now_ms())
    })
    .await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await,
        "relay confirmed"
    );
    id
}

async fn file(conn: &mut Conn, dev: &TestDevice, title: &str) -> DocumentId {
    let id = new_id();
    let filing = Filing {
        filed_by: dev.person(),
        subject: dev.person(),
        household: dev.session["household"].as_str().unwrap().into(),
    };
    let d = draft(title, "g07");
    conn.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await,
        "relay confirmed"
    );
    id
}

#[tokio::test]
async fn a_change_under_another_devices_actor_is_refused_stored_nowhere_and_audited() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    // 王's device writes under 赵's actor id.
    let mut conn = wang.connect_as(&relay, zhao.actor(0)).await;
    let id = new_id();
    let filing = Filing {
        filed_by: wang.person(),
        subject: wang.person(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    let d = draft("冒名", "g07");
    conn.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    let (code, reason) = conn.closed_with(10).await;
    assert_eq!(code, 4403);
    assert!(reason.contains("forged_actor"), "{reason}");
    assert_eq!(conn.rejected, vec![(id, "forged_actor".to_string())]);
    assert!(relay.relay_doc(id).await.is_none(), "not stored");
    assert!(
        relay
            .audit()
            .await
            .iter()
            .any(|a| a.code == "forged_actor" && a.document == id.to_string())
    );
}

#[tokio::test]
async fn a_resident_setting_a_status_is_refused_and_the_relay_keeps_its_version() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let id = file(&mut conn, &wang, "楼道灯不亮").await;
    let before = relay.relay_doc(id).await.unwrap().get_heads();
    let me = wang.person();
    conn.change(id, |doc| {
        linli_shared::domain::requests::append_event(
            doc,
            &me,
            now_ms(),
            EventKind::Status {
                to: Status::Resolved,
            },
        )
    })
    .await;
    assert_eq!(conn.closed_with(10).await.0, 4403);
    assert_eq!(conn.rejected, vec![(id, "bad_event".to_string())]);
    assert_eq!(relay.relay_doc(id).await.unwrap().get_heads(), before);
    // The grid worker of grid 7 may.
    let li = enrol(&relay, LI).await;
    let mut w = li.connect(&relay).await;
    w.pump_until(|c| c.holds(&id), 10).await;
    let worker = li.person();
    w.change(id, |doc| {
        linli_shared::domain::requests::append_event(
            doc,
            &worker,
            now_ms(),
            EventKind::Status {
                to: Status::Accepted,
            },
        )
    })
    .await;
    assert!(w.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await);
    assert!(w.closed.is_none());
}

#[tokio::test]
async fn a_resident_never_receives_nor_can_request_another_households_personal_data() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let zhao_doc = zhao.person_doc().unwrap();
    let mut conn = wang.connect(&relay).await;
    conn.settle().await;
    assert!(conn.holds(&wang.person_doc().unwrap()), "her own record");
    assert!(!conn.holds(&zhao_doc));
    // Everything she received is hers, her household's, or public.
    for id in conn.core.doc_ids() {
        let scope = linli_shared::domain::Scope::read(conn.core.doc(id).unwrap());
        // Public documents (the community, the grids' boards, the talks' schedule and the
        // talks whose agenda was published) carry no personal data; the fund, the calls and
        // the proposals are published to the community on purpose; her grid's document names
        // its team (who to turn to), and nothing else of anyone. An owners' vote names no flat
        // (its sheets, which do, are her household's). Facility works are published to the
        // community (what is repaired, where, for how much); her sorting reminders are her
        // household's. An event names who signed up by their name (as a sign-up sheet on the
        // notice board does), never their phone or flat; its roster holds sign-up ids only.
        // A self-governing group names its members (a club's list, read by its neighbours)
        // and its leader, never a phone or flat. The rules documents are the community's own
        // (their versions name the staff member who recorded them). A governance-school
        // session names its public trainer and holds its sign-ups as ids only. The roadmap
        // reaches residents once staff publish it (it is about the community, no one's data).
        // The children's drawings' gallery shows a child's nickname, age, idea and picture
        // (with the guardian's consent), never the guardian.
        use linli_shared::domain::DocKind as K;
        let ok = matches!(
            scope.kind,
            Some(
                K::Community
                    | K::Board
                    | K::TalkSeries
                    | K::Fund
                    | K::GrantCall
                    | K::Proposal
                    | K::OwnersVote
                    | K::Works
                    | K::Event
                    | K::Roster
                    | K::Group
                    | K::Charter
                    | K::Training
                    | K::DrawingGallery
            )
        ) || (scope.kind == Some(K::Roadmap)
            && scope.audience.as_deref() == Some(linli_shared::domain::roadmap::RESIDENTS))
            || (scope.kind == Some(K::Talk)
                && scope.audience.as_deref() == Some(linli_shared::domain::talks::RESIDENTS))
            // The site plan is buildings and roads; a resource reaches her while public (a
            // space, a facility, a talent its person consented to), or when it is her own.
            || scope.kind == Some(K::SitePlan)
            || (scope.kind == Some(K::Resource)
                && (scope.audience.as_deref() == Some(linli_shared::domain::talks::RESIDENTS)
                    || scope.subject.as_deref() == Some(wang.person().as_str())))
            || (scope.kind == Some(K::Grid) && scope.grid.as_deref() == Some("g07"))
            || scope.household.as_deref() == wang.session["household"].as_str();
        assert!(ok, "received {id} of scope {scope:?}");
    }
    // Asking by id gets the same answer as for a document that does not exist.
    let req = Message::Request {
        sender_id: "x".into(),
        target_id: "relay".into(),
        document_id: zhao_doc,
        data: linli_shared::automerge::sync::Message::decode(&[0x42, 0, 0, 1, 0, 0, 0, 2, 2, 132])
            .map(|m| m.encode())
            .unwrap(),
    };
    conn.send_raw(req.encode()).await;
    conn.pump_until(|c| c.unavailable.contains(&zhao_doc), 10)
        .await;
    assert!(conn.unavailable.contains(&zhao_doc));
    assert!(!conn.holds(&zhao_doc));
}

#[tokio::test]
async fn a_name_not_ones_own_or_a_time_far_from_the_relays_clock_is_refused() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let li = enrol(&relay, LI).await;
    let mut conn = wang.connect(&relay).await;
    let id = file(&mut conn, &wang, "电梯异响").await;
    let mut w = li.connect(&relay).await;
    let own = li.person_doc().unwrap();
    assert!(w.pump_until(|c| c.holds(&id) && c.holds(&own), 10).await);
    let name = linli_shared::domain::people::Person::read(w.core.doc(&own).unwrap())
        .unwrap()
        .name;
    let worker = li.person();
    // Signed with her own name, at the relay's time: accepted.
    w.change(id, |doc| {
        linli_shared::domain::requests::append_event_named(
            doc,
            &worker,
            &name,
            now_ms(),
            EventKind::Status {
                to: Status::Accepted,
            },
        )
    })
    .await;
    assert!(w.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await);
    let before = relay.relay_doc(id).await.unwrap().get_heads();
    // Signed as the community's secretary: refused, stored nowhere.
    w.change(id, |doc| {
        linli_shared::domain::requests::append_event_named(
            doc,
            &worker,
            "张主任（社区书记）",
            now_ms(),
            EventKind::Answer {
                text: "已处理".into(),
                substantive: true,
            },
        )
    })
    .await;
    assert_eq!(w.closed_with(10).await.0, 4403);
    assert_eq!(w.rejected, vec![(id, "bad_name".to_string())]);
    assert_eq!(relay.relay_doc(id).await.unwrap().get_heads(), before);
    // Dated in 2100 (so it would sort last and look answered on time forever): refused.
    let mut w = li.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change(id, |doc| {
        linli_shared::domain::requests::append_event(
            doc,
            &worker,
            4_102_444_800_000,
            EventKind::Answer {
                text: "已处理".into(),
                substantive: true,
            },
        )
    })
    .await;
    assert_eq!(w.closed_with(10).await.0, 4403);
    assert_eq!(w.rejected, vec![(id, "bad_time".to_string())]);
    assert_eq!(relay.relay_doc(id).await.unwrap().get_heads(), before);
    assert!(
        relay
            .audit()
            .await
            .iter()
            .any(|a| a.code == "bad_name" && a.document == id.to_string())
    );
}

#[tokio::test]
async fn a_grids_board_reaches_its_residents_its_grid_worker_and_staff_only() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await; // lives in grid 7
    let zhao = enrol(&relay, ZHAO).await; // lives in grid 3
    let li = enrol(&relay, LI).await; // works grid 7
    let zhang = enrol(&relay, ZHANG).await; // staff
    let mut w = wang.connect(&relay).await;
    let id = file(&mut w, &wang, "楼道灯不亮").await;
    let key = linli_shared::domain::board::board_key(&id);
    let board_of = |c: &Conn, grid: &str| {
        c.core.doc_ids().copied().find(|d| {
            c.core.doc(d).is_some_and(|doc| {
                linli_shared::domain::board::Board::read(doc).is_ok_and(|b| b.grid == grid)
            })
        })
    };
    assert!(
        w.pump_until(
            |c| board_of(c, "g07").is_some_and(|b| {
                c.core.doc(&b).is_some_and(|d| {
                    linli_shared::domain::board::Board::read(d)
                        .is_ok_and(|b| b.entry(&key).is_some())
                })
            }),
            10
        )
        .await,
        "her grid's board, with her request on it"
    );
    let g07 = board_of(&w, "g07").unwrap();
    // The board's id says nothing of the request that made the relay create it.
    let mut xor = *id.as_bytes();
    xor[0] ^= 0xb0;
    xor[15] ^= 0x4d;
    assert_ne!(g07, DocumentId::from_bytes(xor));
    let boards_held = |c: &Conn| {
        c.core
            .doc_ids()
            .filter(|d| {
                c.core.doc(d).is_some_and(|doc| {
                    linli_shared::domain::Scope::read(doc).kind
                        == Some(linli_shared::domain::DocKind::Board)
                })
            })
            .count()
    };
    assert_eq!(boards_held(&w), 1, "only her own grid's board");
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    assert!(
        !z.holds(&g07),
        "a resident of grid 3 never receives grid 7's board"
    );
    // Asking for it by id is answered like asking for a document that does not exist.
    let ask = Message::Request {
        sender_id: "x".into(),
        target_id: "relay".into(),
        document_id: g07,
        data: linli_shared::automerge::sync::Message::decode(&[0x42, 0, 0, 1, 0, 0, 0, 2, 2, 132])
            .map(|m| m.encode())
            .unwrap(),
    };
    z.send_raw(ask.encode()).await;
    assert!(z.pump_until(|c| c.unavailable.contains(&g07), 10).await);
    assert!(!z.holds(&g07));
    let mut l = li.connect(&relay).await;
    assert!(l.pump_until(|c| c.holds(&g07), 10).await, "grid 7's worker");
    let mut s = zhang.connect(&relay).await;
    s.settle().await;
    assert!(s.holds(&g07), "staff");
    assert!(boards_held(&s) > 1, "staff hold every grid's board");
}

#[tokio::test]
async fn whether_a_document_exists_is_never_told_to_someone_who_may_not_read_it() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let hidden = zhao.person_doc().unwrap(); // exists; 王 may not read it
    let unknown = new_id();
    let mut conn = wang.connect(&relay).await;
    conn.settle().await;
    let empty_sync = || {
        use linli_shared::automerge::sync::SyncDoc;
        linli_shared::automerge::Automerge::new()
            .generate_sync_message(&mut linli_shared::automerge::sync::State::new())
            .map(|m| m.encode())
            .unwrap()
    };
    for id in [hidden, unknown] {
        conn.send_raw(
            Message::Sync {
                sender_id: "x".into(),
                target_id: "relay".into(),
                document_id: id,
                data: empty_sync(),
            }
            .encode(),
        )
        .await;
    }
    // A request for a third id, answered after the two: then both answers are in.
    let marker = new_id();
    let ask = |id| Message::Request {
        sender_id: "x".into(),
        target_id: "relay".into(),
        document_id: id,
        data: empty_sync(),
    };
    conn.send_raw(ask(marker).encode()).await;
    assert!(
        conn.pump_until(|c| c.unavailable.contains(&marker), 10)
            .await
    );
    // A `sync` about either: answered alike (as for a new document), never "unavailable".
    assert!(!conn.unavailable.contains(&hidden) && !conn.unavailable.contains(&unknown));
    assert!(!conn.holds(&hidden) && conn.closed.is_none());
    // A `request` for either: "unavailable", alike.
    conn.send_raw(ask(hidden).encode()).await;
    conn.send_raw(ask(unknown).encode()).await;
    assert!(
        conn.pump_until(
            |c| c.unavailable.contains(&hidden) && c.unavailable.contains(&unknown),
            10
        )
        .await
    );
    // Naming another device's storage id in a join tells nothing of what that device holds,
    // and a storage id of a megabyte is refused.
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    let zhaos_storage = format!("store-{}", zhao.device());
    let mut w = wang.connect_naming_storage(&relay, &zhaos_storage).await;
    w.settle().await;
    assert!(
        w.forgotten.is_empty(),
        "no forget for 赵's documents: {:?}",
        w.forgotten
    );
    assert!(!w.holds(&hidden));
    let mut big = wang
        .connect_naming_storage(&relay, &"s".repeat(1 << 20))
        .await;
    assert_eq!(big.closed_with(10).await.0, 4400);
}

#[tokio::test]
async fn one_device_uploads_at_most_its_share_of_its_persons_photos() {
    use sha2::{Digest, Sha256};
    let relay = TestRelay::start_with(|c| {
        c.max_photos_per_day = 2;
        c.max_photos_per_device_day = 1;
    })
    .await;
    let phone = enrol(&relay, WANG).await;
    let tablet = enrol(&relay, WANG).await;
    let png = tiny_png();
    let photos: Vec<(Vec<u8>, String)> = (0..2u8)
        .map(|i| {
            let mut p = png.clone();
            p.push(i);
            let h = linli_shared::ids::hex(&Sha256::digest(&p));
            (p, h)
        })
        .collect();
    let mut d = draft("门口积水", "g07");
    d.photos = photos.iter().map(|(_, h)| h.clone()).collect();
    let f = Filing {
        filed_by: phone.person(),
        subject: phone.person(),
        household: phone.session["household"].as_str().unwrap().into(),
    };
    let mut conn = phone.connect(&relay).await;
    let doc = file_confirmed(&mut conn, &d, &f).await;
    let token = phone.token(&relay).await.unwrap();
    let (s, _) = blob(
        &relay,
        "PUT",
        &photos[0].1,
        doc,
        photos[0].0.clone(),
        &token,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    // The phone's share of the day is spent...
    let (s, _) = blob(
        &relay,
        "PUT",
        &photos[1].1,
        doc,
        photos[1].0.clone(),
        &token,
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    // ...and her tablet uploads the other photo within her own day.
    let token = tablet.token(&relay).await.unwrap();
    let (s, _) = blob(
        &relay,
        "PUT",
        &photos[1].1,
        doc,
        photos[1].0.clone(),
        &token,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_photo_is_shown_only_through_the_request_it_was_uploaded_for() {
    use sha2::{Digest, Sha256};
    let relay = TestRelay::start_with(|c| c.max_photos_per_day = 1).await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    // A tiny PNG: the relay keeps images only.
    let png = tiny_png();
    let hash = linli_shared::ids::hex(&Sha256::digest(&png));
    let mut other = png.clone();
    other.push(0);
    let other_hash = linli_shared::ids::hex(&Sha256::digest(&other));
    let file_with_photo = |dev: &TestDevice, title: &str, grid: &str| {
        let mut d = draft(title, grid);
        d.photos = vec![hash.clone(), other_hash.clone()];
        let filing = Filing {
            filed_by: dev.person(),
            subject: dev.person(),
            household: dev.session["household"].as_str().unwrap().into(),
        };
        (d, filing)
    };
    let mut w = wang.connect(&relay).await;
    let (d, f) = file_with_photo(&wang, "门口积水", "g07");
    let hers = file_confirmed(&mut w, &d, &f).await;
    let token = wang.token(&relay).await.unwrap();
    let (s, _) = blob(&relay, "PUT", &hash, hers, png.clone(), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, got) = blob(&relay, "GET", &hash, hers, Vec::new(), &token).await;
    assert_eq!((s, got), (StatusCode::OK, png.clone()));
    // 赵 learned the hash somehow and names it in his own request: nothing is shown.
    let mut z = zhao.connect(&relay).await;
    let (d, f) = file_with_photo(&zhao, "我也要看", "g03");
    let his = file_confirmed(&mut z, &d, &f).await;
    let token = zhao.token(&relay).await.unwrap();
    let (s, got) = blob(&relay, "GET", &hash, his, Vec::new(), &token).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(got.len() < 200, "no photo bytes");
    // Uploading it again costs nothing; a second photo the same day is over her quota of one.
    let token = wang.token(&relay).await.unwrap();
    let (s, _) = blob(&relay, "PUT", &hash, hers, png.clone(), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = blob(&relay, "PUT", &other_hash, hers, other, &token).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn requests_in_invented_grids_and_beyond_a_days_quota_are_refused() {
    let relay = TestRelay::start_with(|c| c.relay.max_new_docs_per_person_per_day = 2).await;
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let filing = Filing {
        filed_by: wang.person(),
        subject: wang.person(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    // A grid the community does not have: refused, and no board is made for it.
    let invented = new_id();
    let d = draft("楼道灯不亮", "g99");
    conn.change(invented, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert_eq!(conn.closed_with(10).await.0, 4403);
    assert_eq!(conn.rejected, vec![(invented, "unknown_grid".to_string())]);
    assert!(relay.relay_doc(invented).await.is_none());
    // Two new requests a day, then `quota`.
    let mut conn = wang.connect(&relay).await;
    file(&mut conn, &wang, "第一件").await;
    file(&mut conn, &wang, "第二件").await;
    let third = new_id();
    let d = draft("第三件", "g07");
    conn.change(third, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert_eq!(conn.closed_with(10).await.0, 4403);
    assert_eq!(conn.rejected, vec![(third, "quota".to_string())]);
    assert!(relay.relay_doc(third).await.is_none());
}

/// Files a request that the relay must refuse with `quota`; nothing of it is stored.
async fn file_refused_for_quota(relay: &TestRelay, conn: &mut Conn, dev: &TestDevice) {
    let id = new_id();
    let filing = Filing {
        filed_by: dev.person(),
        subject: dev.person(),
        household: dev.session["household"].as_str().unwrap().into(),
    };
    let d = draft("又一件", "g07");
    conn.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert_eq!(conn.closed_with(10).await.0, 4403);
    assert_eq!(conn.rejected, vec![(id, "quota".to_string())]);
    assert!(relay.relay_doc(id).await.is_none());
}

#[tokio::test]
async fn one_device_cannot_spend_its_persons_whole_day_of_new_documents() {
    let relay = TestRelay::start_with(|c| {
        c.relay.max_new_docs_per_person_per_day = 3;
        c.relay.max_new_docs_per_device_per_day = 2;
    })
    .await;
    let phone = enrol(&relay, WANG).await;
    let tablet = enrol(&relay, WANG).await;
    let mut conn = phone.connect(&relay).await;
    file(&mut conn, &phone, "第一件").await;
    file(&mut conn, &phone, "第二件").await;
    // The phone's day is spent; her tablet still has the rest of hers.
    file_refused_for_quota(&relay, &mut conn, &phone).await;
    let mut conn = tablet.connect(&relay).await;
    file(&mut conn, &tablet, "第三件").await;
    // And then hers is spent too, on any device.
    file_refused_for_quota(&relay, &mut conn, &tablet).await;
}

#[tokio::test]
async fn a_day_of_change_bytes_is_bounded_per_device_and_per_person() {
    // Any change is more than a byte: after one message a device's (or a person's) day is spent.
    let relay = TestRelay::start_with(|c| c.relay.max_change_bytes_per_device_per_day = 1).await;
    let phone = enrol(&relay, WANG).await;
    let tablet = enrol(&relay, WANG).await;
    let mut conn = phone.connect(&relay).await;
    file(&mut conn, &phone, "第一件").await;
    file_refused_for_quota(&relay, &mut conn, &phone).await;
    // Her other device has a day of its own.
    let mut conn = tablet.connect(&relay).await;
    file(&mut conn, &tablet, "第二件").await;

    let relay = TestRelay::start_with(|c| c.relay.max_change_bytes_per_person_per_day = 1).await;
    let phone = enrol(&relay, WANG).await;
    let tablet = enrol(&relay, WANG).await;
    let mut conn = phone.connect(&relay).await;
    file(&mut conn, &phone, "第一件").await;
    // Her day is spent on every device of hers, and only hers.
    let mut conn = tablet.connect(&relay).await;
    file_refused_for_quota(&relay, &mut conn, &tablet).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut conn = zhao.connect(&relay).await;
    file(&mut conn, &zhao, "赵家的事").await;
}

#[tokio::test]
async fn personal_numbers_in_a_public_title_are_refused_and_the_private_details_keep_them() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let filing = Filing {
        filed_by: wang.person(),
        subject: wang.person(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    // The number in the details (seen only by those handling it) is accepted.
    let kept = new_id();
    let mut d = draft("楼道堆物", "g07");
    d.description = "请联系我 13812345678".into();
    conn.change(kept, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&kept) == 0, 10)
            .await,
        "relay confirmed the details"
    );
    // The same number in the title (shown on the grid's board) is refused, nothing stored.
    // Neither the model nor the device's core will write it: a tampered phone's storage holds
    // it, and the core sends it with the next edit.
    let leaky = new_id();
    let d = draft("楼道堆物", "g07");
    let mut doc = automerge::Automerge::new().with_actor(conn.core.actor().clone());
    linli_shared::domain::requests::file_request(&mut doc, &d, &filing, now_ms()).unwrap();
    {
        use automerge::transaction::Transactable;
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "title", "楼道堆物 电话138 1234 5678")
            .unwrap();
        tx.commit();
    }
    let bytes = doc.save();
    conn.core.handle(
        0,
        linli_shared::client::Input::Loaded {
            id: leaky,
            bytes,
            relay: None,
        },
    );
    conn.change(leaky, |doc| {
        use automerge::transaction::Transactable;
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "category", "clutter")?;
        tx.commit();
        Ok(())
    })
    .await;
    assert_eq!(conn.closed_with(10).await.0, 4403);
    assert_eq!(conn.rejected, vec![(leaky, "personal_data".to_string())]);
    assert!(relay.relay_doc(leaky).await.is_none());
    assert!(relay.relay_doc(kept).await.is_some());
}

/// A phone that wrote to a record before the record reached it (an older app, or a modified
/// one: today's refuses with `NotHeldYet`) started a second history beside the real one. The
/// relay took it, its consent lost to the record's own list and was never seen, while the phone
/// counted it confirmed: the volunteer never got the elder's record (stop 33's open finding).
/// Now the relay refuses it; the phone, reconnected, takes the real record and records the
/// consent in it, and it reaches the relay and the volunteer.
#[tokio::test]
async fn a_consent_written_before_the_record_arrived_is_refused_rather_than_lost_unseen() {
    use linli_shared::domain::people::{consents, grant_consent};
    let relay = TestRelay::start().await;
    let chen = enrol(&relay, CHEN).await;
    let wang = enrol(&relay, WANG).await;
    let staff = enrol(&relay, ZHANG).await;
    let wang_doc = wang.person_doc().unwrap();
    let (vol, by) = (chen.person(), staff.person());
    let granted = |doc: &automerge::Automerge| {
        consents(doc)
            .iter()
            .any(|c| c.volunteer == chen.person() && c.active())
    };

    // Connected, but nothing received yet: the record is not on the phone.
    let mut s = staff.connect(&relay).await;
    assert!(!s.holds(&wang_doc));
    let (v1, b1) = (vol.clone(), by.clone());
    let code = s
        .change_refused(wang_doc, move |doc| {
            // As an older app did: the record's kind, then the consent, on an empty copy.
            use automerge::transaction::Transactable;
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "kind", "person")?;
                Ok(())
            })
            .map_err(|e| e.error)?;
            grant_consent(doc, &v1, &b1, ConsentMethod::Paper, now_ms())
        })
        .await;
    assert_eq!(code, "second_history");
    assert_eq!(s.closed_with(10).await.0, 4403);
    assert_eq!(s.rejected, vec![(wang_doc, "second_history".to_string())]);
    assert!(!granted(&relay.relay_doc(wang_doc).await.unwrap()));

    let mut s = staff.connect(&relay).await;
    assert!(s.pump_until(|c| c.holds(&wang_doc), 30).await);
    s.change_confirmed(wang_doc, move |doc| {
        grant_consent(doc, &vol, &by, ConsentMethod::Paper, now_ms())
    })
    .await;
    assert!(s.closed.is_none());
    assert!(granted(&relay.relay_doc(wang_doc).await.unwrap()));
    let mut v = chen.connect(&relay).await;
    assert!(
        v.pump_until(|c| c.core.doc(&wang_doc).is_some_and(granted), 30)
            .await,
        "the volunteer now holds the elder's record, with the consent"
    );
}

#[tokio::test]
async fn a_volunteer_sees_an_elders_data_only_while_the_elder_consents() {
    let relay = TestRelay::start().await;
    let chen = enrol(&relay, CHEN).await;
    let wang = enrol(&relay, WANG).await;
    let staff = enrol(&relay, ZHANG).await;
    let wang_doc = wang.person_doc().unwrap();
    let mut v = chen.connect(&relay).await;
    v.settle().await;
    assert!(!v.holds(&wang_doc), "no consent, no data");
    // Filing for her without consent is refused too.
    let id = new_id();
    let filing = Filing {
        filed_by: chen.person(),
        subject: wang.person(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    let d = draft("代办", "g07");
    v.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert_eq!(v.closed_with(10).await.0, 4403);

    // Staff record her consent (on paper) in her record.
    let mut s = staff.connect(&relay).await;
    s.pump_until(|c| c.holds(&wang_doc), 10).await;
    let (vol, by) = (chen.person(), staff.person());
    s.change(wang_doc, |doc| {
        linli_shared::domain::people::grant_consent(doc, &vol, &by, ConsentMethod::Paper, now_ms())
    })
    .await;
    assert!(
        s.pump_until(|c| c.core.unconfirmed(&wang_doc) == 0, 10)
            .await
    );
    let mut v = chen.connect(&relay).await;
    assert!(
        v.pump_until(|c| c.holds(&wang_doc), 10).await,
        "consent gives access"
    );
    let id = new_id();
    v.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &filing, now_ms())
    })
    .await;
    assert!(
        v.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await,
        "and may file for her"
    );
    assert!(v.closed.is_none());

    // She withdraws it from her own phone: the volunteer's device is told to forget.
    let mut w = wang.connect(&relay).await;
    w.pump_until(|c| c.holds(&wang_doc), 10).await;
    let me = wang.person();
    w.change(wang_doc, |doc| {
        linli_shared::domain::people::withdraw_consent(doc, &vol, &me, now_ms())
    })
    .await;
    assert!(
        w.pump_until(|c| c.core.unconfirmed(&wang_doc) == 0, 10)
            .await
    );
    assert!(
        v.pump_until(|c| !c.holds(&wang_doc) && !c.holds(&id), 10)
            .await
    );
    assert!(v.forgotten.contains(&wang_doc));
}

#[tokio::test]
async fn a_revoked_device_is_disconnected_at_once_and_refused_afterwards() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let staff = enrol(&relay, ZHANG).await;
    let mut conn = wang.connect(&relay).await;
    let token = staff.token(&relay).await.unwrap();
    let (s, _) = relay
        .api(
            "POST",
            &format!("/api/devices/{}/revoke", wang.device()),
            None,
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        conn.closed_with(10).await,
        (4401, "device revoked".to_string())
    );
    let (s, body) = wang.token(&relay).await.unwrap_err();
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(body["message"].as_str().unwrap().starts_with("revoked"));
    // A resident may not revoke someone else's device.
    let zhao = enrol(&relay, ZHAO).await;
    let zt = zhao.token(&relay).await.unwrap();
    let (s, _) = relay
        .api(
            "POST",
            &format!("/api/devices/{}/revoke", staff.device()),
            None,
            Some(&zt),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_person_names_their_own_device_and_nobody_else_may() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let wt = wang.token(&relay).await.unwrap();
    let zt = zhao.token(&relay).await.unwrap();
    let path = format!("/api/devices/{}/label", wang.device());
    let (s, _) = relay
        .api(
            "POST",
            &path,
            Some(json!({ "label": " 奶奶的手机 " })),
            Some(&wt),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, rows) = relay
        .api(
            "GET",
            &format!("/api/people/{}/devices", wang.person()),
            None,
            Some(&wt),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(rows[0]["label"], "奶奶的手机");
    // Someone else's device, an empty name, a name too long: refused.
    let (s, _) = relay
        .api("POST", &path, Some(json!({ "label": "赵的" })), Some(&zt))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for bad in ["  ", &"长".repeat(41)] {
        let (s, _) = relay
            .api("POST", &path, Some(json!({ "label": bad })), Some(&wt))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad:?}");
    }
}

#[tokio::test]
async fn an_invite_works_once_and_not_after_it_expires() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let token = staff.token(&relay).await.unwrap();
    let (s, inv) = relay
        .api(
            "POST",
            "/api/invites",
            Some(json!({ "role": "resident", "name": "周桂兰", "phone": "138", "flat": "9-1-101", "grid": "g05" })),
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{inv}");
    let code = inv["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    let first = try_enrol(&relay, &code).await;
    assert!(first.is_ok());
    let (s, body) = try_enrol(&relay, &code).await.err().unwrap();
    assert_eq!(s, StatusCode::GONE);
    assert!(
        body["message"].as_str().unwrap().starts_with("invite_used"),
        "{body}"
    );
    // An expired one (made on the hub, as if created a week ago).
    let person = inv["person"].as_str().unwrap().to_string();
    relay
        .on_hub(move |ctx| {
            linli_server::identity::put_invite(
                ctx.store,
                &linli_server::identity::Invite {
                    code: "EXP2RED3".into(),
                    person,
                    expires_at: ctx.now - 1,
                    used_at: None,
                    used_by: None,
                    reusable: false,
                    created_by: "test".into(),
                    created_at: ctx.now - 8 * 86_400_000,
                },
            )
            .unwrap()
        })
        .await;
    let (s, body) = try_enrol(&relay, "exp2-red3").await.err().unwrap();
    assert_eq!(s, StatusCode::GONE);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("invite_expired")
    );
    let (s, _) = try_enrol(&relay, "NOPE2345").await.err().unwrap();
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Only staff create invites.
    let wang = enrol(&relay, WANG).await;
    let wt = wang.token(&relay).await.unwrap();
    let (s, _) = relay
        .api(
            "POST",
            "/api/invites",
            Some(json!({ "role": "staff", "name": "x" })),
            Some(&wt),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn guessing_invite_codes_is_rate_limited() {
    let relay = TestRelay::start().await;
    let mut statuses = Vec::new();
    for _ in 0..15 {
        statuses.push(try_enrol(&relay, "WRONG234").await.err().unwrap().0);
    }
    assert!(statuses[..10].iter().all(|s| *s == StatusCode::NOT_FOUND));
    assert!(
        statuses[10..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
}

#[tokio::test]
async fn an_oversized_message_closes_the_connection_with_1009() {
    let relay = TestRelay::start_with(|c| c.max_message_bytes = 64 * 1024).await;
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    conn.send_raw(vec![0xa0; 100 * 1024]).await;
    assert_eq!(conn.closed_with(10).await.0, 1009);
}

#[tokio::test]
async fn malformed_frames_get_an_error_and_a_close_and_the_relay_serves_others() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let garbage: Vec<Vec<u8>> = vec![
        vec![0xff, 0x00, 0x13],       // not CBOR
        vec![0x83, 0x01, 0x02, 0x03], // CBOR, not a map
        Message::Sync {
            sender_id: "a".into(),
            target_id: "b".into(),
            document_id: DocumentId::from_bytes([5; 16]),
            data: vec![0x42, 0xde, 0xad], // not a sync message
        }
        .encode(),
    ];
    for bytes in garbage {
        let mut conn = wang.connect(&relay).await;
        conn.send_raw(bytes).await;
        let (code, reason) = conn.closed_with(10).await;
        assert_eq!(code, 4400, "{reason}");
        assert!(reason.starts_with("bad"), "{reason}");
    }
    // A text frame.
    let token = wang.token(&relay).await.unwrap();
    let mut raw = raw_socket(&relay, &token, None).await.unwrap();
    use futures_util::{SinkExt, StreamExt};
    raw.send(tokio_tungstenite::tungstenite::Message::Text(
        "hello".into(),
    ))
    .await
    .unwrap();
    let mut code = None;
    while let Some(Ok(m)) = raw.next().await {
        if let tokio_tungstenite::tungstenite::Message::Close(Some(f)) = m {
            code = Some(u16::from(f.code));
        }
    }
    assert_eq!(code, Some(1003));
    // Still serving: a device files and it is confirmed.
    let mut conn = wang.connect(&relay).await;
    file(&mut conn, &wang, "一切如常").await;
}

#[tokio::test]
async fn a_browser_page_from_another_origin_cannot_open_a_sync_socket() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let token = wang.token(&relay).await.unwrap();
    let err = raw_socket(&relay, &token, Some("https://evil.example"))
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("403"), "{err}");
    let same = format!("http://{}", relay.addr);
    assert!(raw_socket(&relay, &token, Some(&same)).await.is_ok());
    // And no token, no socket.
    let err = raw_socket(&relay, "nope", None).await.err().unwrap();
    assert!(err.to_string().contains("401"), "{err}");
}

#[tokio::test]
async fn a_flood_of_messages_closes_the_connection_with_4429() {
    let relay = TestRelay::start_with(|c| c.relay.max_messages_per_second = 5).await;
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let ping = Message::DocUnavailable {
        sender_id: "a".into(),
        target_id: "b".into(),
        document_id: DocumentId::from_bytes([1; 16]),
    }
    .encode();
    for _ in 0..100 {
        conn.send_raw(ping.clone()).await;
    }
    assert_eq!(conn.closed_with(10).await.0, 4429);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused() {
    let relay = TestRelay::start_with(|c| c.max_connections = 2).await;
    let wang = enrol(&relay, WANG).await;
    let _a = wang.connect(&relay).await;
    let _b = wang.connect(&relay).await;
    let token = wang.token(&relay).await.unwrap();
    let err = raw_socket(&relay, &token, None).await.err().unwrap();
    assert!(err.to_string().contains("503"), "{err}");
}

#[tokio::test]
async fn a_socket_that_never_joins_is_closed_after_the_handshake_timeout() {
    let relay = TestRelay::start_with(|c| c.handshake_timeout_ms = 300).await;
    let wang = enrol(&relay, WANG).await;
    let token = wang.token(&relay).await.unwrap();
    let mut raw = raw_socket(&relay, &token, None).await.unwrap();
    use futures_util::StreamExt;
    let mut code = None;
    while let Some(Ok(m)) = raw.next().await {
        if let tokio_tungstenite::tungstenite::Message::Close(Some(f)) = m {
            code = Some(u16::from(f.code));
        }
    }
    assert_eq!(code, Some(4008));
}

#[tokio::test]
async fn a_document_that_cannot_be_loaded_is_quarantined_alone() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let broken = find_request(&relay, |r| r.grid == "g07").await.unwrap();
    let fine = find_request(&relay, |r| r.grid == "g03").await.unwrap();
    relay
        .on_hub(move |ctx| {
            use linli_shared::store::Store;
            // Corrupt its stored bytes and drop it from memory.
            for (k, _) in ctx
                .store
                .scan_prefix(format!("doc/{broken}/").as_bytes())
                .unwrap()
            {
                ctx.store.put(&k, b"\x85\x6f\x4a\x83 garbage").unwrap();
            }
            ctx.relay.unload(&broken);
        })
        .await;
    let mut conn = staff.connect(&relay).await;
    conn.settle().await;
    assert!(!conn.holds(&broken));
    assert!(conn.holds(&fine), "every other document is served");
    assert!(
        relay
            .audit()
            .await
            .iter()
            .any(|a| a.code == "quarantined" && a.document == broken.to_string())
    );
    assert!(conn.closed.is_none());
}

#[tokio::test]
async fn erasing_a_person_deletes_their_record_everywhere_and_anonymises_their_requests() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let li = enrol(&relay, LI).await;
    let wang = enrol(&relay, WANG).await;
    let wang_doc = wang.person_doc().unwrap();
    let mut worker = li.connect(&relay).await;
    assert!(
        worker.pump_until(|c| c.holds(&wang_doc), 10).await,
        "grid worker holds her record"
    );
    let mut hers = wang.connect(&relay).await;
    assert!(hers.pump_until(|c| c.holds(&wang_doc), 10).await);
    let name = linli_shared::domain::people::Person::read(hers.core.doc(&wang_doc).unwrap())
        .unwrap()
        .name;
    // She files a request signed with her name, and follows it on her grid's board.
    let request = new_id();
    let filing = Filing {
        filed_by: wang.person(),
        subject: wang.person(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    let d = draft("我要删除我的资料", "g07");
    hers.change(request, |doc| {
        linli_shared::domain::requests::file_request_named(doc, &d, &filing, &name, now_ms())
    })
    .await;
    let key = linli_shared::domain::board::board_key(&request);
    let board_with_entry = |c: &Conn| {
        c.core.doc_ids().copied().find(|id| {
            c.core.doc(id).is_some_and(|d| {
                linli_shared::domain::board::Board::read(d).is_ok_and(|b| b.entry(&key).is_some())
            })
        })
    };
    assert!(hers.pump_until(|c| board_with_entry(c).is_some(), 10).await);
    let board = board_with_entry(&hers).unwrap();
    let me = wang.person();
    hers.change(board, |doc| {
        linli_shared::domain::board::set_follow(doc, &key, &me, true, now_ms())
    })
    .await;
    assert!(
        hers.pump_until(
            |c| c.core.unconfirmed(&board) == 0 && c.core.unconfirmed(&request) == 0,
            10
        )
        .await
    );
    // The grid worker's phone holds the request with its whole history (her name in it).
    assert!(worker.pump_until(|c| c.holds(&request), 10).await);
    let old_copy = worker.core.doc(&request).unwrap().save();
    let token = staff.token(&relay).await.unwrap();
    let (s, body) = relay
        .api(
            "POST",
            &format!("/api/people/{}/erase", wang.person()),
            None,
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body["documents_anonymised"].as_u64().unwrap() >= 1);
    assert_eq!(
        hers.closed_with(10).await.0,
        4401,
        "her devices are revoked"
    );
    assert!(
        worker.pump_until(|c| !c.holds(&wang_doc), 10).await,
        "removed from devices"
    );
    assert!(
        relay.relay_doc(wang_doc).await.is_none(),
        "deleted from the relay"
    );
    let kept = relay.relay_doc(request).await.expect("the request stays");
    let r = linli_shared::domain::requests::Request::read(&kept).unwrap();
    assert_eq!(
        (r.subject.as_str(), r.filed_by.as_str()),
        ("erased", "erased")
    );
    assert_eq!(r.filed_by_name, "", "her signed name is gone");
    let b =
        linli_shared::domain::board::Board::read(&relay.relay_doc(board).await.unwrap()).unwrap();
    assert!(
        b.entry(&key).is_some_and(|e| e.follows.is_empty()),
        "her follow is gone"
    );
    let (s, devices) = relay
        .api(
            "GET",
            &format!("/api/people/{}/devices", wang.person()),
            None,
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        devices
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["label"] == "" && !d["revoked_at"].is_null()),
        "her phones are revoked and no longer carry her name: {devices}"
    );
    // A device that still had a copy cannot bring it back.
    let mut again = staff.connect(&relay).await;
    again.settle().await;
    assert!(!again.holds(&wang_doc));
    // No state of any document the relay keeps, past or present, holds her name or her id:
    // every value any change ever wrote is read.
    let (her_name, her_id) = (name.clone(), wang.person());
    let leaks: Vec<String> = relay
        .on_hub(move |ctx| {
            let ids: Vec<DocumentId> = ctx.relay.documents().map(|(id, _)| *id).collect();
            ids.into_iter()
                .filter_map(|id| {
                    let doc = ctx.relay.read_document(ctx.store, &id).unwrap()?;
                    let written: String = doc
                        .get_changes(&[])
                        .iter()
                        .map(|c| serde_json::to_string(&c.decode()).unwrap())
                        .collect();
                    (written.contains(&her_name) || written.contains(&her_id)).then(|| {
                        let kind = linli_shared::domain::doc_kind(&doc);
                        let at = written.find(&her_id).or(written.find(&her_name)).unwrap();
                        let from = written.floor_char_boundary(at.saturating_sub(300));
                        let to = written.ceil_char_boundary(at + 100);
                        format!("{id} {kind:?} {}", &written[from..to])
                    })
                })
                .collect()
        })
        .await;
    assert!(leaks.is_empty(), "her name or id is still in: {leaks:?}");
    // What was deleted still sits in freed pages: the relay's next start compacts the file.
    assert!(
        relay
            .on_hub(|ctx| linli_shared::store::Store::get(
                ctx.store,
                linli_server::store::COMPACT_PENDING
            )
            .unwrap())
            .await
            .is_some(),
        "a compaction is due"
    );
    // The grid worker's phone, which held the old request, now holds the new one.
    assert!(
        worker
            .pump_until(
                |c| c
                    .core
                    .doc(&request)
                    .is_some_and(|d| d.get_changes(&[]).len() == 1),
                10
            )
            .await,
        "the grid worker's phone dropped the old history and took the new"
    );
    // A phone that was offline through the erasure comes back with the old history and an
    // edit made on it: it is told to drop it and given the new one; nothing old comes back.
    let mut offline = li.connect(&relay).await;
    let fx = offline.core.handle(
        0,
        linli_shared::client::Input::Loaded {
            id: request,
            bytes: old_copy,
            relay: None,
        },
    );
    offline.perform(fx).await;
    offline
        .change(request, |doc| {
            use automerge::transaction::Transactable;
            let mut tx = doc.transaction();
            tx.put(automerge::ROOT, "note", "离线时写的").unwrap();
            tx.commit();
            Ok(())
        })
        .await;
    assert!(
        offline
            .pump_until(
                |c| c.forgotten.contains(&request)
                    && c.core
                        .doc(&request)
                        .is_some_and(|d| d.get_changes(&[]).len() == 1),
                10
            )
            .await,
        "the phone that was offline dropped the old history and took the new: forgotten {:?}, changes {:?}, rejected {:?}, closed {:?}",
        offline.forgotten,
        offline.core.doc(&request).map(|d| d.get_changes(&[]).len()),
        offline.rejected,
        offline.closed
    );
    assert!(
        offline
            .rejected
            .contains(&(request, "rewritten".to_string())),
        "it is told its offline edit was lost: {:?}",
        offline.rejected
    );
    let kept = relay.relay_doc(request).await.unwrap();
    assert_eq!(kept.get_changes(&[]).len(), 1, "no old change came back");
}

#[tokio::test]
async fn a_grids_team_keeps_its_patrol_log_and_loses_it_when_staff_unseat_them() {
    use linli_shared::domain::grid::{GridCommand, Position, Round};
    use linli_shared::domain::patrols::{FindingDraft, PatrolCommand, RoundDraft};
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let wang = enrol(&relay, WANG).await;
    let li = enrol(&relay, LI).await;
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    // Staff seat 赵晓松 as the building leader of grid 5 (not where he lives).
    let mut s = staff.connect(&relay).await;
    let grid = new_id();
    s.change(grid, |doc| {
        GridCommand::Create {
            grid: "g05".into(),
            buildings: vec!["9号楼".into(), "10号楼".into()],
        }
        .apply(doc)?;
        GridCommand::SetMember {
            position: Position::BuildingLeader,
            person: "p-zhao".into(),
            name: "赵晓松".into(),
        }
        .apply(doc)
    })
    .await;
    assert!(s.pump_until(|c| c.core.unconfirmed(&grid) == 0, 10).await);
    // His open connection is given the grid at once, and he keeps its log.
    assert!(
        z.pump_until(|c| c.holds(&grid), 10).await,
        "the team reads its grid"
    );
    let log = new_id();
    let png = tiny_png();
    let hash = {
        use sha2::{Digest, Sha256};
        linli_shared::ids::hex(&Sha256::digest(&png))
    };
    let round = RoundDraft {
        round: Round::Morning,
        buildings: vec!["9号楼".into()],
        note: String::new(),
        findings: vec![FindingDraft {
            text: "9号楼2单元楼道堆放纸箱".into(),
            place: "9号楼2单元".into(),
            photos: vec![hash.clone()],
        }],
        visits: Vec::new(),
    };
    z.change(log, |doc| {
        PatrolCommand::Open {
            grid: "g05".into(),
            month: "2026-12".into(),
        }
        .apply(doc, now_ms())?;
        PatrolCommand::Log {
            by: "p-zhao".into(),
            by_name: "赵晓松".into(),
            draft: round.clone(),
        }
        .apply(doc, now_ms())
    })
    .await;
    assert!(z.pump_until(|c| c.core.unconfirmed(&log) == 0, 10).await);
    assert!(z.closed.is_none());
    // The finding's photo goes up for the log, and is served through it to the team and
    // staff only (the HTTP API knows his team as the sync connection does).
    let zt = zhao.token(&relay).await.unwrap();
    let (status, _) = blob(&relay, "PUT", &hash, log, png.clone(), &zt).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let st = staff.token(&relay).await.unwrap();
    let (status, got) = blob(&relay, "GET", &hash, log, Vec::new(), &st).await;
    assert_eq!((status, got), (StatusCode::OK, png.clone()));
    let wt = wang.token(&relay).await.unwrap();
    let (status, _) = blob(&relay, "GET", &hash, log, Vec::new(), &wt).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Neither a neighbour nor a grid worker of other grids holds it or may keep a log there.
    let mut w = wang.connect(&relay).await;
    let mut l = li.connect(&relay).await;
    w.settle().await;
    l.settle().await;
    assert!(!w.holds(&log) && !l.holds(&log));
    let theirs = new_id();
    w.change(theirs, |doc| {
        PatrolCommand::Open {
            grid: "g05".into(),
            month: "2026-12".into(),
        }
        .apply(doc, now_ms())
    })
    .await;
    assert_eq!(w.closed_with(10).await.0, 4403);
    assert_eq!(w.rejected, vec![(theirs, "not_allowed".to_string())]);
    // Staff unseat him: his phone forgets the log.
    s.change(grid, |doc| {
        GridCommand::ClearMember {
            position: Position::BuildingLeader,
        }
        .apply(doc)
    })
    .await;
    assert!(s.pump_until(|c| c.core.unconfirmed(&grid) == 0, 10).await);
    assert!(
        z.pump_until(|c| !c.holds(&log), 10).await,
        "off the team, off the log"
    );
    assert!(z.forgotten.contains(&log));
    assert!(s.holds(&log) || s.pump_until(|c| c.holds(&log), 10).await);
}

/// A new phone's first sync goes a window of offers at a time: never more than
/// `offer_window` offers wait unanswered on its socket, each answer lets the next one out, and
/// the phone ends holding every document it may read. (A staff phone's first sync at five
/// years is some 77,000 offers: sent at once, they and the changes that followed filled the
/// socket faster than a busy phone read it, and the relay closed it as too slow on every
/// reconnection.)
#[tokio::test]
async fn a_first_sync_offers_a_window_at_a_time_and_ends_holding_everything() {
    use futures_util::StreamExt;
    use linli_shared::client::{Effect, Input};
    use std::collections::HashSet;
    use tokio_tungstenite::tungstenite::Message as WsMessage;
    const WINDOW: usize = 4;
    let relay = TestRelay::start_with(|c| c.relay.offer_window = WINDOW).await;
    let staff = enrol(&relay, ZHANG).await;
    let device = staff.device();
    let readable = relay
        .on_hub(move |ctx| {
            let (p, _) = linli_server::api::principal_of(ctx, &device).unwrap();
            ctx.relay
                .documents()
                .filter(|(_, m)| !m.quarantined && p.may_read(&m.scope))
                .count()
        })
        .await;
    assert!(
        readable > 10 * WINDOW,
        "staff may read {readable} documents"
    );
    let mut conn = staff.connect(&relay).await;
    // Offers received and answers sent, per document. The relay makes an offer only once it
    // has an answer to an earlier one, so offers received never exceed answers sent by more
    // than the window. The first offers are held unanswered until the window is full.
    let (mut offered, mut answered) = (HashSet::new(), HashSet::new());
    let mut held: Vec<Vec<u8>> = Vec::new();
    let mut most = 0;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while conn.core.doc_ids().count() < readable {
        let frame = tokio::time::timeout_at(deadline, conn.ws.next())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the first sync stalled at {} of {readable}",
                    conn.core.doc_ids().count()
                )
            })
            .expect("the socket stays open")
            .unwrap();
        let WsMessage::Binary(bytes) = frame else {
            continue;
        };
        if let Ok(Message::Sync { document_id, .. }) = Message::decode(&bytes) {
            offered.insert(document_id);
        }
        most = most.max(offered.len() - answered.len());
        held.push(bytes.to_vec());
        if answered.is_empty() && offered.len() < WINDOW {
            continue;
        }
        for bytes in std::mem::take(&mut held) {
            let fx = conn.core.handle(0, Input::Frame(bytes));
            for e in &fx {
                if let Effect::Send(out) = e
                    && let Ok(Message::Sync { document_id, .. }) = Message::decode(out)
                {
                    answered.insert(document_id);
                }
            }
            conn.perform(fx).await;
        }
    }
    assert_eq!(
        most, WINDOW,
        "at most the window waits unanswered, and it is used"
    );
    assert_eq!(answered.len(), readable);
}
