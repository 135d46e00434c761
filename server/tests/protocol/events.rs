//! Events against the real relay: a resident signs up only themself (a volunteer an elder who
//! consented), never checks anyone in nor changes the capacity; a second live sign-up is
//! refused; the seats are decided by the relay's roster, so a forged batch of sign-ups beyond
//! the capacity leaves the seats at the capacity; staff cannot give fewer seats than given.

use super::common::*;
use super::new_id;
use linli_shared::automerge::Automerge;
use linli_shared::automerge::transaction::Transactable;
use linli_shared::domain::event::{
    Event, EventCommand, EventDraft, Per, Roster, Template, local_input,
};
use linli_shared::domain::people::ConsentMethod;
use linli_shared::domain::{DocKind, ModelError};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR};

fn run(c: EventCommand) -> impl FnOnce(&mut Automerge) -> Result<(), ModelError> {
    move |d| c.apply(d, now_ms())
}

fn draft(capacity: u32) -> EventDraft {
    let now = now_ms();
    EventDraft {
        title: "百家宴".into(),
        template: Some(Template::Potluck),
        description: "每家带一道菜".into(),
        photos: Vec::new(),
        starts: local_input(now + 5 * DAY),
        ends: local_input(now + 5 * DAY + 3 * HOUR),
        place: "中心花园".into(),
        capacity: capacity.to_string(),
        opens: local_input(now - DAY),
        closes: local_input(now + 4 * DAY),
        per: Per::Person,
        roles: Vec::new(),
        organisers: vec!["p-zhao".into()],
        repeat_of: String::new(),
    }
}

/// Staff (张建国, on `s`) create an event of `capacity` seats; returns its id.
async fn created(s: &mut Conn, staff: &TestDevice, capacity: u32) -> DocumentId {
    let id = new_id();
    let by = staff.person();
    s.change_confirmed(
        id,
        run(EventCommand::Create {
            draft: Box::new(draft(capacity)),
            by,
            by_name: "张建国".into(),
        }),
    )
    .await;
    id
}

fn sign(dev: &TestDevice, person: &str, household: &str) -> EventCommand {
    EventCommand::SignUp {
        person: person.into(),
        household: household.into(),
        name: String::new(),
        by: dev.person(),
        role: String::new(),
    }
}

fn household(dev: &TestDevice) -> String {
    dev.session["household"].as_str().unwrap_or_default().into()
}

/// The event's roster as the relay keeps it.
async fn roster(relay: &TestRelay, event: DocumentId) -> Roster {
    let key = event.to_string();
    let id = relay
        .on_hub(move |ctx| {
            ctx.relay
                .documents()
                .find(|(_, m)| {
                    m.scope.kind == Some(DocKind::Roster)
                        && m.scope.subject.as_deref() == Some(key.as_str())
                })
                .map(|(id, _)| *id)
        })
        .await
        .expect("the relay keeps a roster");
    Roster::read(&relay.relay_doc(id).await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_resident_cannot_sign_up_someone_else_check_anyone_in_or_change_the_capacity() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut s = staff.connect(&relay).await;
    let id = created(&mut s, &staff, 5).await;
    // Someone else, without their consent: refused.
    let mut w = wang.connect(&relay).await;
    assert!(
        w.pump_until(|c| c.holds(&id), 10).await,
        "everyone reads it"
    );
    let code = w
        .change_refused(id, run(sign(&wang, &zhao.person(), &household(&zhao))))
        .await;
    assert_eq!(code, "not_allowed");
    // Herself: accepted.
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change_confirmed(id, run(sign(&wang, &wang.person(), &household(&wang))))
        .await;
    // Checking herself in: refused (only organisers).
    let code = w
        .change_refused(
            id,
            run(EventCommand::CheckIn {
                person: wang.person(),
                by: wang.person(),
            }),
        )
        .await;
    assert_eq!(code, "not_allowed");
    // Raising the capacity: refused.
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    let code = w
        .change_refused(
            id,
            run(EventCommand::Revise {
                draft: Box::new(draft(50)),
            }),
        )
        .await;
    assert_eq!(code, "field_not_allowed");
    // The organiser (赵晓松) checks her in.
    let mut z = zhao.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&id), 10).await);
    z.change_confirmed(
        id,
        run(EventCommand::CheckIn {
            person: wang.person(),
            by: zhao.person(),
        }),
    )
    .await;
    let e = Event::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(e.capacity, 5);
    assert!(e.presence(&wang.person()).is_some());
}

#[tokio::test]
async fn a_volunteer_signs_up_an_elder_only_with_her_consent() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let wang = enrol(&relay, WANG).await;
    let chen = enrol(&relay, CHEN).await;
    let mut s = staff.connect(&relay).await;
    let id = created(&mut s, &staff, 5).await;
    let mut v = chen.connect(&relay).await;
    assert!(v.pump_until(|c| c.holds(&id), 10).await);
    let code = v
        .change_refused(id, run(sign(&chen, &wang.person(), &household(&wang))))
        .await;
    assert_eq!(code, "not_allowed", "no consent yet");
    // Staff record her consent on paper.
    let wang_doc = wang.person_doc().unwrap();
    assert!(s.pump_until(|c| c.holds(&wang_doc), 40).await, "her record");
    let (vol, by) = (chen.person(), staff.person());
    s.change_confirmed(wang_doc, |doc| {
        linli_shared::domain::people::grant_consent(doc, &vol, &by, ConsentMethod::Paper, now_ms())
    })
    .await;
    let mut v = chen.connect(&relay).await;
    assert!(v.pump_until(|c| c.holds(&id), 10).await);
    v.change_confirmed(id, run(sign(&chen, &wang.person(), &household(&wang))))
        .await;
    let e = Event::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(e.signups[0].person, wang.person());
    assert_eq!(e.signups[0].by, chen.person());
}

#[tokio::test]
async fn a_second_live_sign_up_is_refused() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let wang = enrol(&relay, WANG).await;
    let mut s = staff.connect(&relay).await;
    let id = created(&mut s, &staff, 5).await;
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change_confirmed(id, run(sign(&wang, &wang.person(), &household(&wang))))
        .await;
    // A second one, written past the phone's own check.
    let (me, h) = (wang.person(), household(&wang));
    let code = w
        .change_refused(id, move |d| {
            let list = linli_shared::docutil::get_obj(
                d,
                &linli_shared::automerge::ROOT,
                "signups",
                linli_shared::automerge::ObjType::List,
            )
            .unwrap();
            d.transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                let s = tx.insert_object(&list, 1, linli_shared::automerge::ObjType::Map)?;
                tx.put(&s, "person", me.as_str())?;
                tx.put(&s, "household", h.as_str())?;
                tx.put(&s, "by", me.as_str())?;
                tx.put(&s, "at", now_ms())?;
                Ok(())
            })
            .map_err(|f| f.error)?;
            Ok(())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let e = Event::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(e.signups.len(), 1);
}

#[tokio::test]
async fn a_forged_batch_of_sign_ups_beyond_capacity_leaves_the_seats_at_capacity() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut s = staff.connect(&relay).await;
    let id = created(&mut s, &staff, 2).await;
    // Two residents take the two seats.
    for dev in [&wang, &zhao] {
        let mut c = dev.connect(&relay).await;
        assert!(c.pump_until(|c| c.holds(&id), 10).await);
        c.change_confirmed(id, run(sign(dev, &dev.person(), &household(dev))))
            .await;
    }
    // Staff's phone writes a batch of six sign-ups at once (no rule of the kind stops staff
    // adding people): the roster puts them after the seated, so the seats stay at two.
    s.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await;
    s.change_confirmed(id, |d| {
        for k in 0..6 {
            EventCommand::SignUp {
                person: format!("p-r{k:03}"),
                household: format!("h-forged-{k}"),
                name: String::new(),
                by: "p-zhang".into(),
                role: String::new(),
            }
            .apply(d, now_ms())?;
        }
        Ok(())
    })
    .await;
    let e = Event::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    let r = roster(&relay, id).await;
    assert_eq!(r.order.len(), 8);
    let st = e.standing(Some(&r), "");
    assert_eq!(st.seated.len(), 2, "the seats stay at the capacity");
    assert_eq!(st.waitlist.len(), 6);
    let seated: Vec<&str> = st
        .seated
        .iter()
        .map(|i| e.signup(i).unwrap().person.as_str())
        .collect();
    assert_eq!(seated, vec![wang.person().as_str(), zhao.person().as_str()]);
    // And nobody but the relay writes the roster.
    let roster_id = {
        let key = id.to_string();
        relay
            .on_hub(move |ctx| {
                ctx.relay
                    .documents()
                    .find(|(_, m)| m.scope.subject.as_deref() == Some(key.as_str()))
                    .map(|(id, _)| *id)
            })
            .await
            .unwrap()
    };
    assert!(s.pump_until(|c| c.holds(&roster_id), 20).await);
    let code = s
        .change_refused(roster_id, |d| {
            d.transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                tx.put(linli_shared::automerge::ROOT, "order", "")
            })
            .map_err(|f| f.error)?;
            Ok(())
        })
        .await;
    assert_eq!(code, "not_allowed");
}

#[tokio::test]
async fn staff_cannot_lower_the_capacity_below_the_seats_given() {
    let relay = TestRelay::start().await;
    let staff = enrol(&relay, ZHANG).await;
    let wang = enrol(&relay, WANG).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut s = staff.connect(&relay).await;
    let id = created(&mut s, &staff, 3).await;
    for dev in [&wang, &zhao] {
        let mut c = dev.connect(&relay).await;
        assert!(c.pump_until(|c| c.holds(&id), 10).await);
        c.change_confirmed(id, run(sign(dev, &dev.person(), &household(dev))))
            .await;
    }
    // Down to the two given: accepted; below them, written past the phone's check: refused.
    s.settle().await;
    s.change_confirmed(
        id,
        run(EventCommand::Revise {
            draft: Box::new(draft(2)),
        }),
    )
    .await;
    let code = s
        .change_refused(id, |d| {
            d.transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                tx.put(linli_shared::automerge::ROOT, "capacity", 1_i64)
            })
            .map_err(|f| f.error)?;
            Ok(())
        })
        .await;
    assert_eq!(code, "not_allowed");
    let e = Event::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(e.capacity, 2);
}
