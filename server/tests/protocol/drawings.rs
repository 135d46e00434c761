//! Children's drawings against the real relay: a neighbour never receives an unpublished
//! drawing nor its photo's bytes; a shown one reaches residents through the gallery, with its
//! photo, never naming the guardian; a resident cannot adopt a drawing.

use super::common::*;
use super::{blob, new_id, tiny_png};
use axum::http::StatusCode;
use linli_shared::domain::drawing::{DrawingCommand, DrawingDraft, Gallery, Guardian, Status};
use linli_shared::domain::{DocKind, Summary, doc_kind};
use linli_shared::ids::DocumentId;
use sha2::{Digest, Sha256};

/// 王秀英 files her grandchild's drawing with a photo (uploaded), showing it or not.
async fn file(relay: &TestRelay, publish: bool, mark: u8) -> (DocumentId, Vec<u8>, String) {
    let wang = enrol(relay, WANG).await;
    let mut w = wang.connect(relay).await;
    w.settle().await;
    let own = wang.person_doc().unwrap();
    let name = linli_shared::domain::people::Person::read(w.core.doc(&own).unwrap())
        .unwrap()
        .name;
    let mut png = tiny_png();
    png.push(mark);
    let hash = linli_shared::ids::hex(&Sha256::digest(&png));
    let id = new_id();
    let guardian = Guardian {
        person: wang.person(),
        name: name.clone(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    let draft = DrawingDraft {
        nickname: "妞妞".into(),
        age: "6".into(),
        proposes: "小区里多几张长椅，奶奶散步累了能坐".into(),
        photos: vec![hash.clone()],
        consent_keep: true,
        consent_publish: publish,
        ..DrawingDraft::default()
    };
    w.change_confirmed(id, |doc| {
        DrawingCommand::Create {
            draft: Box::new(draft),
            guardian,
            consent_at: None,
            by: wang.person(),
            by_name: name.clone(),
        }
        .apply(doc, now_ms())
    })
    .await;
    let token = wang.token(relay).await.unwrap();
    let (s, _) = blob(relay, "PUT", &hash, id, png.clone(), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    (id, png, hash)
}

/// The community's gallery as a connection holds it.
fn gallery(c: &Conn) -> Option<(DocumentId, Gallery)> {
    c.core.doc_ids().find_map(|id| {
        let d = c.core.doc(id)?;
        if doc_kind(d) != Some(DocKind::DrawingGallery) {
            return None;
        }
        Some((*id, Gallery::read(d).ok()?))
    })
}

#[tokio::test]
async fn a_neighbour_never_receives_an_unpublished_drawing_nor_its_photo() {
    let relay = TestRelay::start().await;
    let (id, _png, hash) = file(&relay, false, 1).await;
    // Staff review it: without the guardian's consent to show it, it stays the family's.
    let zhang = enrol(&relay, ZHANG).await;
    let mut z = zhang.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&id), 10).await, "staff hold it");
    z.change_confirmed(id, |doc| {
        DrawingCommand::Review {
            status: Status::Adopted,
            works: String::new(),
            note: String::new(),
            shown: true,
        }
        .apply(doc, now_ms())
    })
    .await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut n = zhao.connect(&relay).await;
    n.settle().await;
    assert!(!n.holds(&id));
    // (赵晓松 is a guardian in the demo too: his own children's drawings reach him.)
    let his = zhao.session["household"].as_str().unwrap().to_string();
    assert!(
        n.core
            .doc_ids()
            .filter_map(|d| n.core.doc(d))
            .filter(|d| doc_kind(d) == Some(DocKind::Drawing))
            .all(
                |d| linli_shared::domain::Scope::read(d).household.as_deref() == Some(his.as_str())
            ),
        "no other household's drawing reaches a neighbour"
    );
    let token = zhao.token(&relay).await.unwrap();
    let (s, got) = blob(&relay, "GET", &hash, id, Vec::new(), &token).await;
    assert_ne!(s, StatusCode::OK);
    assert!(got.is_empty() || !got.starts_with(b"\x89PNG"));
    let (gid, g) = gallery(&n).expect("everyone holds the gallery");
    assert!(g.entries.iter().all(|e| e.photo.as_deref() != Some(&hash)));
    let (s, _) = blob(&relay, "GET", &hash, gid, Vec::new(), &token).await;
    assert_ne!(s, StatusCode::OK, "not through the gallery either");
}

#[tokio::test]
async fn a_shown_drawing_reaches_residents_with_its_photo_and_without_the_guardian() {
    let relay = TestRelay::start().await;
    let (id, png, hash) = file(&relay, true, 2).await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut z = zhang.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&id), 10).await);
    z.change_confirmed(id, |doc| {
        DrawingCommand::Review {
            status: Status::Adopted,
            works: String::new(),
            note: "已纳入微更新计划".into(),
            shown: true,
        }
        .apply(doc, now_ms())
    })
    .await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut n = zhao.connect(&relay).await;
    assert!(
        n.pump_until(
            |c| gallery(c)
                .is_some_and(|(_, g)| g.entries.iter().any(|e| e.photo.as_deref() == Some(&hash))),
            10
        )
        .await,
        "the shown drawing reaches him"
    );
    assert!(!n.holds(&id), "the drawing itself does not");
    let (gid, g) = gallery(&n).unwrap();
    let e = g
        .entries
        .iter()
        .find(|e| e.photo.as_deref() == Some(&hash))
        .unwrap();
    assert_eq!(
        (e.nickname.as_str(), e.age, e.status),
        ("妞妞", 6, Status::Adopted)
    );
    // Nothing in the gallery names the guardian: the whole document, not only the summary.
    let wang = enrol(&relay, WANG).await;
    let household = wang.session["household"].as_str().unwrap().to_string();
    let doc = n.core.doc(&gid).unwrap();
    let mut text = serde_json::to_string(&Summary::of(doc)).unwrap();
    text.push_str(&String::from_utf8_lossy(&doc.save_nocompress()));
    for secret in ["p-wang", "王秀英", household.as_str()] {
        assert!(!text.contains(secret), "the gallery names {secret}");
    }
    // The photo's bytes come through the gallery.
    let token = zhao.token(&relay).await.unwrap();
    let (s, got) = blob(&relay, "GET", &hash, gid, Vec::new(), &token).await;
    assert_eq!((s, got), (StatusCode::OK, png));
    // Withdrawn by the guardian: the entry goes from the neighbour's gallery.
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change_confirmed(id, |doc| DrawingCommand::Withdraw.apply(doc, now_ms()))
        .await;
    assert!(
        n.pump_until(
            |c| gallery(c)
                .is_some_and(|(_, g)| g.entries.iter().all(|e| e.photo.as_deref() != Some(&hash))),
            10
        )
        .await,
        "withdrawn, it leaves the gallery"
    );
    // And its history, on the relay and on the neighbour's phone: the guardian withdrew her
    // consent to show it, so no copy keeps what it showed.
    let idea = "小区里多几张长椅";
    let history = |d: &automerge::Automerge| {
        d.get_changes(&[])
            .iter()
            .map(|c| serde_json::to_string(&c.decode()).unwrap())
            .collect::<String>()
    };
    assert!(
        n.pump_until(
            |c| c.core.doc(&gid).is_some_and(|d| !history(d).contains(idea)),
            10
        )
        .await,
        "the neighbour's copy lets go of it"
    );
    let kept = relay.relay_doc(gid).await.unwrap();
    assert!(!history(&kept).contains(idea), "the relay's too");
}

#[tokio::test]
async fn a_resident_cannot_adopt_a_drawing_not_even_her_own() {
    let relay = TestRelay::start().await;
    let (id, _, _) = file(&relay, true, 3).await;
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    let code = w
        .change_refused(id, |doc| {
            DrawingCommand::Review {
                status: Status::Adopted,
                works: String::new(),
                note: String::new(),
                shown: true,
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
    let kept =
        linli_shared::domain::drawing::Drawing::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(kept.status, Status::Collected);
}

#[tokio::test]
async fn the_demo_has_the_articles_126_drawings_8_adopted() {
    let relay = TestRelay::start().await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut n = zhao.connect(&relay).await;
    n.settle().await;
    let (_, g) = gallery(&n).expect("the gallery");
    assert_eq!(g.counts(), (126, 8));
    assert!(
        !g.entries.is_empty() && g.entries.len() < 126,
        "most shown, some not"
    );
    assert!(g.entries.iter().any(|e| e.photo.is_some()));
}

#[tokio::test]
async fn erasing_a_guardian_leaves_nothing_of_the_drawing_in_the_gallerys_history() {
    let relay = TestRelay::start().await;
    let (id, _, hash) = file(&relay, true, 4).await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut z = zhang.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&id), 10).await);
    z.change_confirmed(id, |doc| {
        DrawingCommand::Review {
            status: Status::Adopted,
            works: String::new(),
            note: String::new(),
            shown: true,
        }
        .apply(doc, now_ms())
    })
    .await;
    let shown = |c: &Conn| {
        gallery(c).is_some_and(|(_, g)| g.entries.iter().any(|e| e.photo.as_deref() == Some(&hash)))
    };
    assert!(z.pump_until(shown, 10).await, "it is in the gallery");
    let (gid, _) = gallery(&z).unwrap();
    let wang = enrol(&relay, WANG).await;
    let token = zhang.token(&relay).await.unwrap();
    let (s, body) = relay
        .api(
            "POST",
            &format!("/api/people/{}/erase", wang.person()),
            None,
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(
        z.pump_until(|c| !shown(c), 10).await,
        "the entry leaves staff's gallery"
    );
    // Every value any change of the relay's gallery ever wrote: the idea is in none of them.
    let written = relay
        .on_hub(move |ctx| {
            let doc = ctx.relay.read_document(ctx.store, &gid).unwrap().unwrap();
            doc.get_changes(&[])
                .iter()
                .map(|c| serde_json::to_string(&c.decode()).unwrap())
                .collect::<String>()
        })
        .await;
    assert!(!written.is_empty());
    for gone in ["小区里多几张长椅", hash.as_str()] {
        assert!(
            !written.contains(gone),
            "the gallery's history keeps {gone}"
        );
    }
}
