//! The resource map against the real relay: residents hold the demo's site plan, its spaces
//! and facilities and the talents offered with consent, and nothing in them is anyone's phone
//! or flat; a resident records neither a facility nor a neighbour's talent; she offers her own
//! talent, her neighbour holds it, and once she withdraws it it leaves her neighbour's phone
//! (and a phone connecting afterwards never receives it), while staff still hold it.

use super::common::*;
use super::new_id;
use linli_shared::domain::resource::{Resource, ResourceCommand, ResourceDraft, ResourceType};
use linli_shared::domain::site_plan::SitePlan;
use linli_shared::domain::{DocKind, doc_kind};
use linli_shared::ids::DocumentId;

fn resources(c: &Conn) -> Vec<(DocumentId, Resource)> {
    c.core
        .doc_ids()
        .filter_map(|id| {
            let d = c.core.doc(id)?;
            (doc_kind(d) == Some(DocKind::Resource))
                .then(|| Some((*id, Resource::read(d).ok()?)))?
        })
        .collect()
}

fn talent(name: &str, grid: &str) -> ResourceDraft {
    ResourceDraft {
        rtype: Some(ResourceType::Talent),
        name: name.into(),
        description: "周末可以教邻居的孩子画画。".into(),
        building: "7号楼".into(),
        grid: grid.into(),
        consent: true,
        ..ResourceDraft::default()
    }
}

#[tokio::test]
async fn a_withdrawn_talent_leaves_residents_and_no_resident_records_a_facility_or_a_neighbours_talent()
 {
    let relay = TestRelay::start().await;
    let (wang, zhao, zhang) = (
        enrol(&relay, WANG).await,
        enrol(&relay, ZHAO).await,
        enrol(&relay, ZHANG).await,
    );
    let mut w = wang.connect(&relay).await;
    let mut z = zhao.connect(&relay).await;
    let mut s = zhang.connect(&relay).await;
    w.settle().await;
    z.settle().await;
    s.settle().await;

    // The demo's plan and resources reach the resident: spaces, facilities, consented talents.
    let plans: Vec<SitePlan> = w
        .core
        .doc_ids()
        .filter_map(|id| SitePlan::read(w.core.doc(id)?).ok())
        .collect();
    assert_eq!(plans.len(), 1);
    assert!(plans[0].buildings.iter().any(|b| b.name == "7号楼"));
    let held = resources(&w);
    let count = |t: ResourceType| held.iter().filter(|(_, r)| r.rtype == t).count();
    assert_eq!(
        count(ResourceType::Space) + count(ResourceType::Facility),
        12
    );
    assert_eq!(count(ResourceType::Talent), 8);
    assert!(
        held.iter()
            .any(|(_, r)| r.person_name == "王秀英" && r.name == "书画教学")
    );
    assert!(
        held.iter().any(|(_, r)| !r.links.is_empty()),
        "linked to where they are used"
    );
    // Nothing a resident holds of them is a phone or a flat (the demo's people have both). The
    // demo's numbers are written "138 0573 2201" and "0573-8288 0000": looked for as such, not
    // as four digits, which a record's time in milliseconds may hold.
    for (id, r) in &held {
        let text = serde_json::to_string(r).unwrap();
        assert!(!linli_shared::pii::contains(&text), "{id}: {text}");
        assert!(
            !text.contains("7-2-301") && !text.contains(" 0573 ") && !text.contains("0573-"),
            "{id}: {text}"
        );
    }
    let grid = wang.session["grids"]
        .as_array()
        .and_then(|g| g.first())
        .and_then(|g| g.as_str())
        .unwrap_or("g07")
        .to_string();

    // A resident records no facility...
    let facility = ResourceDraft {
        rtype: Some(ResourceType::Facility),
        name: "我家门口的充电桩".into(),
        grid: grid.clone(),
        ..ResourceDraft::default()
    };
    let code = w
        .change_refused(new_id(), move |d| {
            ResourceCommand::Create {
                draft: Box::new(facility),
                by: "p-wang".into(),
                by_name: "王秀英".into(),
            }
            .apply(d, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    // ... and no neighbour's talent, even claiming a paper consent.
    let neighbours = ResourceDraft {
        person: "p-zhao".into(),
        person_name: "赵晓松".into(),
        consent_date: linli_shared::export::date(now_ms()),
        ..talent("修手机", &grid)
    };
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    let code = w
        .change_refused(new_id(), move |d| {
            ResourceCommand::Create {
                draft: Box::new(neighbours),
                by: "p-wang".into(),
                by_name: "王秀英".into(),
            }
            .apply(d, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");

    // Her own talent, in her own name: accepted, and her neighbour receives it.
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    let id = new_id();
    let own = talent("剪纸", &grid);
    w.change_confirmed(id, move |d| {
        ResourceCommand::Create {
            draft: Box::new(own),
            by: "p-wang".into(),
            by_name: "王秀英".into(),
        }
        .apply(d, now_ms())
    })
    .await;
    assert!(
        z.pump_until(|c| c.holds(&id), 10).await,
        "a neighbour sees it"
    );
    assert!(s.pump_until(|c| c.holds(&id), 10).await);

    // She withdraws it: it leaves her neighbour's phone; staff keep the record.
    w.change_confirmed(id, |d| {
        ResourceCommand::Withdraw {
            by: "p-wang".into(),
        }
        .apply(d, now_ms())
    })
    .await;
    assert!(
        z.pump_until(|c| !c.holds(&id), 10).await,
        "a withdrawn talent leaves residents' phones"
    );
    assert!(
        s.pump_until(
            |c| c
                .core
                .doc(&id)
                .and_then(|d| Resource::read(d).ok())
                .is_some_and(|r| r.withdrawn_at.is_some()),
            10
        )
        .await
    );
    let mut z2 = zhao.connect(&relay).await;
    z2.settle().await;
    assert!(!z2.holds(&id), "nor reaches a phone connecting afterwards");
    // She still holds her own, withdrawn.
    assert!(w.holds(&id));
    // Nobody publishes it again: not even staff.
    let code = s
        .change_refused(id, |d| {
            use automerge::transaction::Transactable;
            let mut tx = d.transaction();
            tx.put(automerge::ROOT, "audience", "residents")?;
            tx.commit();
            Ok(())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
}
