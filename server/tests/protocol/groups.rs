//! Self-governing groups against the real relay: a resident joins a group in their own name but
//! not in a neighbour's, records nothing for a group they do not lead and cannot make
//! themselves its leader; the leader (王秀英, who leads the stairwell gallery's group) records
//! an activity.

use super::common::*;
use linli_shared::automerge::Automerge;
use linli_shared::domain::group::{ActivityDraft, ActivityKind, Group, GroupCommand, GroupDraft};
use linli_shared::domain::{DocKind, ModelError};
use linli_shared::ids::DocumentId;

/// The demo group 王秀英 leads.
async fn gallery(relay: &TestRelay) -> DocumentId {
    let ids: Vec<DocumentId> = relay
        .on_hub(|ctx| {
            ctx.relay
                .documents()
                .filter(|(_, m)| m.scope.kind == Some(DocKind::Group))
                .map(|(id, _)| *id)
                .collect()
        })
        .await;
    for id in ids {
        let g = Group::read(&relay.relay_doc(id).await.unwrap()).unwrap();
        if g.leader == "p-wang" {
            return id;
        }
    }
    panic!("the demo has a group led by 王秀英");
}

fn run(c: GroupCommand) -> impl FnOnce(&mut Automerge) -> Result<(), ModelError> {
    move |d| c.apply(d, now_ms())
}

fn meeting(by: String) -> GroupCommand {
    GroupCommand::Record {
        by,
        by_name: String::new(),
        draft: ActivityDraft {
            kind: ActivityKind::Meeting,
            at: now_ms() - 3_600_000,
            title: "楼道议事会".into(),
            doc: String::new(),
            note: String::new(),
        },
    }
}

#[tokio::test]
async fn a_resident_joins_in_their_own_name_only_and_only_the_leader_records_activities() {
    let relay = TestRelay::start().await;
    let id = gallery(&relay).await;
    let zhao = enrol(&relay, ZHAO).await;
    let was = Group::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    if was.membership("p-zhao").is_some() {
        // The seed may have him in it already: he leaves first, which is his to do.
        let mut z = zhao.connect(&relay).await;
        assert!(
            z.pump_until(|c| c.holds(&id), 10).await,
            "groups are everyone's"
        );
        z.change_confirmed(
            id,
            run(GroupCommand::Leave {
                person: zhao.person(),
            }),
        )
        .await;
    }
    // Joining in a neighbour's name: refused.
    let mut z = zhao.connect(&relay).await;
    assert!(
        z.pump_until(|c| c.holds(&id), 10).await,
        "groups are everyone's"
    );
    let code = z
        .change_refused(
            id,
            run(GroupCommand::Join {
                person: "p-r007".into(),
                name: String::new(),
            }),
        )
        .await;
    assert_eq!(code, "field_not_allowed");
    // In his own name: accepted.
    let mut z = zhao.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&id), 10).await);
    z.change_confirmed(
        id,
        run(GroupCommand::Join {
            person: zhao.person(),
            name: String::new(),
        }),
    )
    .await;
    // Recording an activity of a group he does not lead: refused.
    let code = z.change_refused(id, run(meeting(zhao.person()))).await;
    assert_eq!(code, "field_not_allowed");
    // Making himself the leader: refused.
    let mut z = zhao.connect(&relay).await;
    assert!(z.pump_until(|c| c.holds(&id), 10).await);
    let g = was.clone();
    let me = zhao.person();
    let code = z
        .change_refused(
            id,
            run(GroupCommand::Edit {
                draft: GroupDraft {
                    name: g.name,
                    kind: g.kind,
                    about: g.about,
                    leader: me,
                    leader_name: String::new(),
                },
            }),
        )
        .await;
    assert_eq!(code, "field_not_allowed");
    // The leader records the group's meeting.
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    w.change_confirmed(id, run(meeting(wang.person()))).await;
    let after = Group::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert!(after.membership("p-zhao").is_some(), "he is a member");
    assert_eq!(after.activities.len(), was.activities.len() + 1);
    assert_eq!(after.leader, "p-wang");
}
