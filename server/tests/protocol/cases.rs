//! The community's own cases against the real relay: staff write one and a grid worker's phone
//! receives it, a resident's never; a grid worker cannot write one. (Personal numbers in its
//! public text: the relay's generic check of `PUBLIC_TEXT_FIELDS`, tested on requests in
//! `protocol.rs` and on this kind's fields in `shared`.)

use super::common::*;
use super::new_id;
use linli_shared::domain::local_case::{CaseCommand, CaseDraft, LocalCase};

fn create(by: &str, name: &str) -> CaseCommand {
    CaseCommand::Create {
        draft: Box::new(CaseDraft {
            title: "夜间装修噪音：楼组公约加邻里提醒".into(),
            place: "水榭花都".into(),
            years: "2026".into(),
            tags: vec!["neighbourhood-culture".into()],
            done: "楼组长牵头把装修时段写进楼组公约，装修前在楼道贴告示。".into(),
            results: "此后三个月没有再收到夜间装修的诉求。".into(),
            ..CaseDraft::default()
        }),
        by: by.into(),
        by_name: name.into(),
    }
}

#[tokio::test]
async fn staff_write_a_case_a_grid_worker_receives_but_cannot_write_and_a_resident_never_holds() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut z = zhang.connect(&relay).await;
    z.settle().await;
    let id = new_id();
    z.change_confirmed(id, |doc| create("p-zhang", "张建国").apply(doc, now_ms()))
        .await;
    let li = enrol(&relay, LI).await;
    let mut l = li.connect(&relay).await;
    assert!(
        l.pump_until(|c| c.holds(&id), 10).await,
        "a grid worker holds it"
    );
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    assert!(!w.holds(&id), "a resident never receives it");
    let code = l
        .change_refused(new_id(), |doc| {
            create("p-li", "李红梅").apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let c = LocalCase::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(c.by_name, "张建国");
}
