//! Facility works against the real relay: every phone holds a work, staff register it, the
//! grid's worker records its progress, and nobody else writes it.

use super::common::*;
use super::new_id;
use linli_shared::domain::works::{Category, Status, WorkDraft, WorksCommand};

fn draft(grid: &str) -> WorkDraft {
    WorkDraft {
        title: "13号楼楼道声控灯更换".into(),
        category: Some(Category::Lighting),
        grid: grid.into(),
        place: "13号楼1-3单元".into(),
        cost: "2400".into(),
        contractor: "物业工程部".into(),
        ..Default::default()
    }
}

fn progress(by: &str, by_name: &str) -> WorksCommand {
    WorksCommand::Update {
        status: Status::Done,
        note: "已更换为节能声控灯".into(),
        photos: Vec::new(),
        by: by.into(),
        by_name: by_name.into(),
    }
}

#[tokio::test]
async fn a_work_reaches_every_phone_and_only_staff_and_its_grids_worker_write_it() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let li = enrol(&relay, LI).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut s = staff.connect(&relay).await;
    s.settle().await;
    let work = new_id();
    s.change_confirmed(work, |doc| {
        WorksCommand::Create {
            draft: Box::new(draft("g07")),
            by: "p-zhang".into(),
            by_name: "张建国".into(),
        }
        .apply(doc, now_ms())
    })
    .await;
    // A resident of another grid holds it (what is repaired is everyone's business) ...
    let mut z = zhao.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&work), 10).await);
    // ... but records no progress on it.
    let code = z
        .change_refused(work, |doc| {
            progress("p-zhao", "赵晓松").apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    // The grid's worker does, in her own name.
    let mut l = li.connect(&relay).await;
    assert!(l.pump_until(|c| c.holds(&work), 10).await);
    l.change_confirmed(work, |doc| progress("p-li", "李红梅").apply(doc, now_ms()))
        .await;
    // But she does not rewrite its cost (from her other phone: a refusal ends a connection,
    // and a phone reconnecting is not sent again what it already holds).
    let li2 = enrol(&relay, LI).await;
    let mut l = li2.connect(&relay).await;
    assert!(l.pump_until(|c| c.holds(&work), 10).await);
    let code = l
        .change_refused(work, |doc| {
            WorksCommand::Revise {
                draft: Box::new(WorkDraft {
                    cost: "1".into(),
                    ..draft("g07")
                }),
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
    // Nor registers a work in a grid that is not hers.
    let mut l = li.connect(&relay).await;
    l.settle().await;
    let theirs = new_id();
    let code = l
        .change_refused(theirs, |doc| {
            WorksCommand::Create {
                draft: Box::new(draft("g03")),
                by: "p-li".into(),
                by_name: "李红梅".into(),
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
}
