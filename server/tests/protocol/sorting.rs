//! Garbage-sorting inspections and reminders against the real relay: a mixed finding's
//! reminder reaches the household's and the volunteer's phones and nobody else's, a grid's
//! team and workers keep its log and nobody of another grid writes it or reminds its
//! households, and a household only marks its reminder read.

use super::common::*;
use super::new_id;
use linli_shared::domain::sorting::{
    InspectionDraft, NewReminder, ReminderCommand, SortResult, SortingCommand,
};
use linli_shared::ids::DocumentId;

fn household(d: &TestDevice) -> String {
    d.session["household"].as_str().unwrap().to_string()
}

fn mixed() -> InspectionDraft {
    InspectionDraft {
        building: "7号楼".into(),
        point: "7号楼东侧投放点".into(),
        result: Some(SortResult::Mixed),
        flat: "7-2-301".into(),
        ..Default::default()
    }
}

fn send(household: &str, grid: &str, by: &str, by_name: &str) -> ReminderCommand {
    ReminderCommand::Send(Box::new(NewReminder {
        grid: grid.into(),
        household: household.into(),
        building: "7号楼".into(),
        point: "7号楼东侧投放点".into(),
        flat: "7-2-301".into(),
        text: "您好，今天7号楼东侧投放点发现厨余垃圾混投，请单独投进绿色桶，谢谢！".into(),
        by: by.into(),
        by_name: by_name.into(),
        volunteer: Some(("p-chen".into(), "陈小雨".into())),
    }))
}

#[tokio::test]
async fn a_mixed_findings_reminder_reaches_the_household_and_the_volunteer_and_no_neighbour() {
    let relay = TestRelay::start().await;
    let li = enrol(&relay, LI).await;
    let wang = enrol(&relay, WANG).await;
    let chen = enrol(&relay, CHEN).await;
    let zhao = enrol(&relay, ZHAO).await;
    // The grid worker finds the volunteer in the community's roster (names only); a resident
    // is not given it.
    let lt = li.token(&relay).await.unwrap();
    let (status, roster) = relay
        .api("GET", linli_shared::api::paths::VOLUNTEERS, None, Some(&lt))
        .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert_eq!(
        roster,
        serde_json::json!([{ "id": "p-chen", "name": "陈小雨" }])
    );
    let wt = wang.token(&relay).await.unwrap();
    let (status, _) = relay
        .api("GET", linli_shared::api::paths::VOLUNTEERS, None, Some(&wt))
        .await;
    assert_eq!(status, axum::http::StatusCode::FORBIDDEN);
    let mut l = li.connect(&relay).await;
    l.settle().await;
    let log = new_id();
    let reminder = new_id();
    l.change_confirmed(log, |doc| {
        SortingCommand::Open {
            grid: "g07".into(),
            month: "2026-12".into(),
        }
        .apply(doc, now_ms())?;
        SortingCommand::Inspect {
            by: "p-li".into(),
            by_name: "李红梅".into(),
            draft: mixed(),
        }
        .apply(doc, now_ms())
    })
    .await;
    let hh = household(&wang);
    l.change_confirmed(reminder, |doc| {
        send(&hh, "g07", "p-li", "李红梅").apply(doc, now_ms())
    })
    .await;
    let mut w = wang.connect(&relay).await;
    let mut c = chen.connect(&relay).await;
    let mut z = zhao.connect(&relay).await;
    assert!(
        w.pump_until(|c| c.holds(&reminder), 10).await,
        "the household's phone gets the reminder"
    );
    assert!(
        c.pump_until(|c| c.holds(&reminder), 10).await,
        "so does the volunteer asked to visit"
    );
    z.settle().await;
    w.settle().await;
    assert!(!z.holds(&reminder), "a neighbour does not");
    assert!(!w.holds(&log), "the log names flats: the grid's team only");
    // The household marks it read; the volunteer records the visit.
    w.change_confirmed(reminder, |doc| ReminderCommand::Read.apply(doc, now_ms()))
        .await;
    c.change_confirmed(reminder, |doc| {
        ReminderCommand::Visited {
            note: "一起分好了".into(),
        }
        .apply(doc, now_ms())
    })
    .await;
    // But the household does not rewrite what it was told, nor close it.
    let code = w
        .change_refused(reminder, |doc| {
            ReminderCommand::Close {
                by_name: String::new(),
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
}

#[tokio::test]
async fn nobody_of_another_grid_keeps_its_sorting_log_or_reminds_its_households() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    // 赵晓松 is on grid 3's team: grid 7's log is not his to keep.
    let zhao = enrol(&relay, ZHAO).await;
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    let theirs = new_id();
    let code = z
        .change_refused(theirs, |doc| {
            SortingCommand::Open {
                grid: "g07".into(),
                month: "2026-12".into(),
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    // Nor may he remind a grid 7 household by calling it one of grid 3's.
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    let hh = household(&wang);
    let id: DocumentId = new_id();
    let code = z
        .change_refused(id, |doc| {
            send(&hh, "g03", "p-zhao", "赵晓松").apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    // In his own grid he keeps the log, in his own name.
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    let mine = new_id();
    z.change_confirmed(mine, |doc| {
        SortingCommand::Open {
            grid: "g03".into(),
            month: "2026-12".into(),
        }
        .apply(doc, now_ms())?;
        SortingCommand::Inspect {
            by: "p-zhao".into(),
            by_name: "赵晓松".into(),
            draft: InspectionDraft {
                building: "5号楼".into(),
                point: "5号楼东侧投放点".into(),
                result: Some(SortResult::Sorted),
                ..Default::default()
            },
        }
        .apply(doc, now_ms())
    })
    .await;
}
