//! Merchant credit against the real relay: the merchant (吴春生, invited with the demo's
//! `SHANGH26`) reads their own record and answers an entry, but cannot change their score or
//! add an entry; a team member of another grid inspects nothing there; a resident never
//! receives a shop's record.

use super::common::*;
use linli_shared::automerge::transaction::Transactable;
use linli_shared::automerge::{Automerge, ObjType};
use linli_shared::domain::merchant::{EntryDraft, Merchant, MerchantCommand, ShopDraft};
use linli_shared::domain::{DocKind, ModelError};
use linli_shared::ids::DocumentId;

const MERCHANT: &str = "SHANGH26";

/// The demo's shop in `grid` whose merchant is `subject` (any shop there if `None`).
async fn shop(relay: &TestRelay, grid: &'static str, subject: Option<&'static str>) -> DocumentId {
    relay
        .on_hub(move |ctx| {
            ctx.relay
                .documents()
                .filter(|(_, m)| {
                    m.scope.kind == Some(DocKind::Merchant)
                        && m.scope.grid.as_deref() == Some(grid)
                        && (subject.is_none() || m.scope.subject.as_deref() == subject)
                })
                .map(|(id, _)| *id)
                .min()
        })
        .await
        .expect("a demo shop")
}

fn run(c: MerchantCommand) -> impl FnOnce(&mut Automerge) -> Result<(), ModelError> {
    move |d| c.apply(d, now_ms())
}

fn inspection(by: String, points: i64, reason: &str) -> MerchantCommand {
    MerchantCommand::Inspect {
        by,
        by_name: String::new(),
        draft: EntryDraft {
            points,
            reason: reason.into(),
            photos: Vec::new(),
        },
    }
}

#[tokio::test]
async fn a_merchant_answers_an_entry_but_cannot_change_their_score_or_add_an_entry() {
    let relay = TestRelay::start().await;
    let id = shop(&relay, "g07", Some("p-merchant")).await;
    let wu = enrol(&relay, MERCHANT).await;
    let before = Merchant::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    let unanswered = before
        .entries
        .iter()
        .rev()
        .find(|e| e.response.is_none())
        .expect("an entry not yet answered")
        .id
        .clone();
    // Adding an entry, even a good one in their own name: refused.
    let mut w = wu.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await, "his own record");
    let code = w
        .change_refused(id, run(inspection(wu.person(), 20, "门前整洁")))
        .await;
    assert_eq!(code, "field_not_allowed");
    // Raising the points of an entry: refused.
    let mut w = wu.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    let target = unanswered.clone();
    let code = w
        .change_refused(id, move |d| {
            let e = d.import_obj(&target).unwrap();
            d.transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                tx.put(&e, "points", 20_i64)?;
                Ok(())
            })
            .map_err(|f| f.error)?;
            Ok(())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
    // Answering an entry: accepted, once.
    let mut w = wu.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change_confirmed(
        id,
        run(MerchantCommand::Respond {
            entry: unanswered.clone(),
            text: "已整改，以后注意".into(),
        }),
    )
    .await;
    let after = Merchant::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(after.score(), before.score(), "the score did not move");
    assert_eq!(after.entries.len(), before.entries.len());
    assert_eq!(
        after
            .entry(&unanswered)
            .unwrap()
            .response
            .as_ref()
            .unwrap()
            .text,
        "已整改，以后注意"
    );
    let target = unanswered.clone();
    let code = w
        .change_refused(id, move |d| {
            let e = d.import_obj(&target).unwrap();
            d.transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                let r = tx.put_object(&e, "response", ObjType::Map)?;
                tx.put(&r, "text", "改口")?;
                tx.put(&r, "at", now_ms())?;
                Ok(())
            })
            .map_err(|f| f.error)?;
            Ok(())
        })
        .await;
    assert_eq!(code, "field_not_allowed", "answered once");
}

#[tokio::test]
async fn a_team_member_of_another_grid_cannot_add_an_entry() {
    let relay = TestRelay::start().await;
    // 赵晓松 leads a building group of grid 3: its shops are his to inspect, grid 7's are not.
    let zhao = enrol(&relay, ZHAO).await;
    let own = shop(&relay, "g03", None).await;
    let far = shop(&relay, "g07", Some("p-merchant")).await;
    let mut z = zhao.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&own), 10).await, "his grid's shop");
    z.change_confirmed(own, run(inspection(zhao.person(), 3, "门前整洁，三包落实")))
        .await;
    z.settle().await;
    assert!(!z.holds(&far), "grid 7's shops are not his");
    let me = zhao.person();
    let code = z
        .change_refused(far, move |d| {
            MerchantCommand::Create {
                draft: ShopDraft {
                    grid: "g07".into(),
                    subject: "p-merchant".into(),
                    name: "春生便利店".into(),
                    place: "水榭路12号".into(),
                    duties: Vec::new(),
                },
            }
            .apply(d, now_ms())?;
            inspection(me, -10, "占道经营").apply(d, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let doc = relay.relay_doc(far).await.unwrap();
    assert!(
        Merchant::read(&doc)
            .unwrap()
            .entries
            .iter()
            .all(|e| e.by != zhao.person()),
        "nothing of his reached the shop's record"
    );
}

#[tokio::test]
async fn a_resident_never_receives_a_merchants_record() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await; // lives in grid 7, on no team
    let id = shop(&relay, "g07", Some("p-merchant")).await;
    let li = enrol(&relay, LI).await;
    let mut l = li.connect(&relay).await;
    assert!(
        l.pump_until(|c| c.holds(&id), 10).await,
        "the grid worker does"
    );
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    assert!(!w.holds(&id), "a resident of the grid does not");
    let shops: Vec<DocumentId> = relay
        .on_hub(|ctx| {
            ctx.relay
                .documents()
                .filter(|(_, m)| m.scope.kind == Some(DocKind::Merchant))
                .map(|(id, _)| *id)
                .collect()
        })
        .await;
    assert!(shops.len() >= 10);
    assert!(shops.iter().all(|s| !w.holds(s)), "nor any other shop");
}
