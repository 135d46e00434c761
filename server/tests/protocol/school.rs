//! The governance school against the real relay: staff create sessions, a resident signs up
//! only in her own name, only staff mark attendance, and a person's new sessions per day are
//! bounded.

use super::common::*;
use super::new_id;
use linli_shared::domain::event::local_input;
use linli_shared::domain::training::{
    DAILY_MAX, Method, Topic, Training, TrainingCommand, TrainingDraft,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR};

fn create(title: &str) -> TrainingCommand {
    let start = now_ms() + 7 * DAY;
    TrainingCommand::Create {
        draft: Box::new(TrainingDraft {
            title: title.into(),
            topic: Some(Topic::MeetingRules),
            method: Method::RolePlay,
            trainer: "张亦鸣".into(),
            trainer_org: "嘉兴市业委会专家".into(),
            starts: local_input(start),
            ends: local_input(start + 2 * HOUR),
            place: "党群服务中心".into(),
            capacity: "30".into(),
            description: String::new(),
        }),
        by: "p-zhang".into(),
        by_name: "张建国".into(),
    }
}

/// Staff create a session; the resident's phone receives it.
async fn session(relay: &TestRelay) -> (DocumentId, Conn) {
    let zhang = enrol(relay, ZHANG).await;
    let mut z = zhang.connect(relay).await;
    z.settle().await;
    let id = new_id();
    z.change_confirmed(id, |doc| create("议事规则情景模拟").apply(doc, now_ms()))
        .await;
    let wang = enrol(relay, WANG).await;
    let mut w = wang.connect(relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await, "wang holds it");
    (id, w)
}

#[tokio::test]
async fn a_resident_signs_up_herself_but_not_in_anothers_name() {
    let relay = TestRelay::start().await;
    let (id, mut w) = session(&relay).await;
    let code = w
        .change_refused(id, |doc| {
            TrainingCommand::SignUp {
                person: "p-zhao".into(),
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let kept = Training::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert!(kept.signups.is_empty(), "the relay kept nothing of it");
    // Her own sign-up, on a fresh connection, is accepted.
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change_confirmed(id, |doc| {
        TrainingCommand::SignUp {
            person: "p-wang".into(),
        }
        .apply(doc, now_ms())
    })
    .await;
    let t = Training::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(
        t.place("p-wang"),
        Some(linli_shared::domain::training::Place::Seated)
    );
}

#[tokio::test]
async fn a_resident_cannot_mark_attendance() {
    let relay = TestRelay::start().await;
    let (id, mut w) = session(&relay).await;
    w.change_confirmed(id, |doc| {
        TrainingCommand::SignUp {
            person: "p-wang".into(),
        }
        .apply(doc, now_ms())
    })
    .await;
    let code = w
        .change_refused(id, |doc| {
            TrainingCommand::Mark {
                person: "p-wang".into(),
                attended: true,
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let t = Training::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(t.attended(), 0);
}

#[tokio::test]
async fn new_sessions_beyond_a_persons_daily_quota_are_refused() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut z = zhang.connect(&relay).await;
    z.settle().await;
    for i in 0..DAILY_MAX {
        z.change_confirmed(new_id(), |doc| {
            create(&format!("第{i}期")).apply(doc, now_ms())
        })
        .await;
    }
    let over = new_id();
    let code = z
        .change_refused(over, |doc| create("超出配额").apply(doc, now_ms()))
        .await;
    assert_eq!(code, "quota");
    assert!(relay.relay_doc(over).await.is_none());
}

#[tokio::test]
async fn the_demo_has_a_year_of_the_school_and_wang_attended_one_session() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    let all: Vec<Training> = w
        .core
        .doc_ids()
        .filter_map(|id| w.core.doc(id))
        .filter(|d| {
            linli_shared::domain::doc_kind(d) == Some(linli_shared::domain::DocKind::Training)
        })
        .filter_map(|d| Training::read(d).ok())
        .collect();
    assert_eq!(all.len(), 12, "ten held, two to come");
    let now = now_ms();
    assert_eq!(all.iter().filter(|t| t.is_past(now)).count(), 10);
    let mine: Vec<&Training> = all
        .iter()
        .filter(|t| {
            t.signups
                .iter()
                .any(|s| s.person == "p-wang" && s.attended == Some(true))
        })
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].trainer, "张亦鸣");
    assert!(all.iter().all(|t| t.is_past(now) == t.marked()));
    assert!(all.iter().any(|t| t.topic == Topic::Finance));
}
