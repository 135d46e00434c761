//! The roadmap against the real relay: residents hold the demo's published plan (its actions
//! linked to the year's real documents) but never an unpublished one, which staff and grid
//! workers hold; only staff write it, and even staff only in its shape.

use super::common::*;
use super::new_id;
use linli_shared::domain::DocKind;
use linli_shared::domain::roadmap::progress::{Status, action_status};
use linli_shared::domain::roadmap::{PlanDraft, Roadmap, RoadmapCommand};
use linli_shared::domain::{Summary, doc_kind};
use linli_shared::ids::DocumentId;

fn roadmaps(c: &Conn) -> Vec<(DocumentId, Roadmap)> {
    c.core
        .doc_ids()
        .filter_map(|id| {
            let d = c.core.doc(id)?;
            (doc_kind(d) == Some(DocKind::Roadmap)).then(|| Some((*id, Roadmap::read(d).ok()?)))?
        })
        .collect()
}

#[tokio::test]
async fn residents_hold_only_the_published_roadmap_and_only_staff_write_it() {
    let relay = TestRelay::start().await;
    let (wang, zhang, li) = (
        enrol(&relay, WANG).await,
        enrol(&relay, ZHANG).await,
        enrol(&relay, LI).await,
    );
    let mut w = wang.connect(&relay).await;
    let mut z = zhang.connect(&relay).await;
    let mut l = li.connect(&relay).await;
    w.settle().await;
    z.settle().await;
    l.settle().await;

    // The demo's plan reaches the resident: the article's three phases, published.
    let held = roadmaps(&w);
    assert_eq!(held.len(), 1);
    let (demo_id, demo) = &held[0];
    assert!(demo.published);
    let names: Vec<(&str, u32)> = demo
        .phases
        .iter()
        .map(|p| (p.name.as_str(), p.months))
        .collect();
    assert_eq!(
        names,
        vec![("组织重构", 3), ("规则建设", 4), ("文化培育", 5)]
    );
    // Its actions are linked to the year's documents, and progress reads from them (on the
    // staff phone, which holds every linked document).
    let now = now_ms();
    let statuses: Vec<Status> = demo
        .phases
        .iter()
        .flat_map(|p| p.actions.iter())
        .filter(|a| !a.doc.is_empty())
        .map(|a| {
            let id: DocumentId = a.doc.parse().expect("a document id");
            action_status(a, z.core.doc(&id).map(Summary::of).as_ref(), now).0
        })
        .collect();
    let unlinked: Vec<&str> = demo
        .phases
        .iter()
        .flat_map(|p| p.actions.iter())
        .filter(|a| a.doc.is_empty())
        .map(|a| a.title.as_str())
        .collect();
    assert!(statuses.len() >= 9, "{statuses:?}, unlinked {unlinked:?}");
    assert!(statuses.contains(&Status::Done), "{statuses:?}");
    assert!(!statuses.contains(&Status::Unknown), "{statuses:?}");

    // A resident cannot write it, nor create a roadmap of their own.
    let mut edited = PlanDraft::of(demo);
    edited.phases[0].months = "6".into();
    let e = edited.clone();
    let code = w
        .change_refused(*demo_id, move |d| {
            RoadmapCommand::Save {
                plan: Box::new(e),
                by: "p-wang".into(),
                by_name: String::new(),
            }
            .apply(d, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let e = edited.clone();
    let code = l
        .change_refused(new_id(), move |d| {
            RoadmapCommand::Save {
                plan: Box::new(e),
                by: "p-li".into(),
                by_name: String::new(),
            }
            .apply(d, now_ms())
        })
        .await;
    assert_eq!(
        code, "not_allowed",
        "a grid worker reads but does not write"
    );

    // Staff draft next year's plan, unpublished: the grid worker holds it, the resident not.
    let draft_id = new_id();
    let mut next = edited.clone();
    next.title = "下一年度实践路径图谱".into();
    z.change_confirmed(draft_id, move |d| {
        RoadmapCommand::Save {
            plan: Box::new(next),
            by: "p-zhang".into(),
            by_name: String::new(),
        }
        .apply(d, now_ms())
    })
    .await;
    let mut l = li.connect(&relay).await;
    assert!(l.pump_until(|c| c.holds(&draft_id), 10).await);
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    assert!(
        !w.holds(&draft_id),
        "an unpublished plan does not reach residents"
    );
    // Staff cannot slip an unknown field in.
    let code = z
        .change_refused(draft_id, |d| {
            use automerge::transaction::Transactable;
            let mut tx = d.transaction();
            tx.put(automerge::ROOT, "notes", "私下备注")?;
            tx.commit();
            Ok(())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
    // Once published, it reaches the resident.
    let mut z = zhang.connect(&relay).await;
    z.settle().await;
    z.change_confirmed(draft_id, |d| {
        RoadmapCommand::Publish { on: true }.apply(d, now_ms())
    })
    .await;
    assert!(w.pump_until(|c| c.holds(&draft_id), 10).await);
}
