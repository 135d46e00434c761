use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::*;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{HOUR, MINUTE, shanghai_midnight};

fn t0() -> Millis {
    shanghai_midnight(2026, 6, 10) + 10 * HOUR
}

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: None,
        grids: vec!["g01".into()],
        consents: Vec::new(),
        home_grid: Some("g01".into()),
        name: None,
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        now: Some(t0() + 5 * MINUTE),
        ..Ctx::none()
    };
    check_changes(
        p,
        &ctx,
        &Before::for_changes(before, &changes),
        after,
        &changes,
    )
}

fn version(text: &str) -> VersionDraft {
    VersionDraft {
        text: text.into(),
        talk: "talk-1".into(),
        item: "i1".into(),
        decision: "全体通过《社区公约》".into(),
    }
}

fn created() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    CharterCommand::Create {
        title: "社区公约".into(),
        version: version("第一条 邻里和睦，互帮互助。"),
        by: "p-staff".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    d
}

#[test]
fn a_charter_keeps_every_version_and_the_latest_is_in_force() {
    let mut d = created();
    CharterCommand::Adopt {
        version: version("第一条 邻里和睦，互帮互助。\n第二条 楼道不堆物。"),
        by: "p-staff".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0() + MINUTE)
    .unwrap();
    let c = Charter::read(&d).unwrap();
    assert_eq!(c.title, "社区公约");
    assert_eq!(c.versions.len(), 2);
    assert!(c.current().unwrap().text.contains("第二条"));
    assert_eq!(c.versions[0].decision, "全体通过《社区公约》");
    assert_eq!(Kind::summarise(&d), Some(c));
}

#[test]
fn a_version_needs_its_text_and_keeps_no_phone_numbers() {
    assert_eq!(
        VersionDraft::default().problems(),
        vec![InputError::TextEmpty]
    );
    let p = version("有事请打13812345678").problems();
    assert!(matches!(p[..], [InputError::PersonalData { .. }]));
    let mut d = Automerge::new();
    let r = CharterCommand::Create {
        title: " ".into(),
        version: version("x"),
        by: "p".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0());
    assert!(matches!(r, Err(ModelError::Input(InputError::TitleEmpty))));
}

#[test]
fn only_staff_write_a_charter_and_everyone_reads_it() {
    let empty = Automerge::new();
    let doc = created();
    assert_eq!(
        check(&principal(Role::Staff, "p-staff"), &empty, &doc),
        Ok(())
    );
    for role in [Role::Resident, Role::Volunteer, Role::GridWorker] {
        let r = check(&principal(role, "p-staff"), &empty, &doc);
        assert_eq!(r.unwrap_err().code, RefusalCode::NotAllowed, "{role:?}");
    }
    let scope = Scope::read(&doc);
    assert!(principal(Role::Resident, "p-res").may_read(&scope));
}

#[test]
fn an_adopted_version_is_never_rewritten_not_even_by_staff() {
    let doc = created();
    let mut d = doc.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let list = get_obj(&d, &ROOT, "versions", ObjType::List).unwrap();
    let v = list_maps(&d, &list)[0].clone();
    d.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(&v, "text", "改过的文本"))
        .unwrap();
    let r = check(&principal(Role::Staff, "p-staff"), &doc, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::FieldNotAllowed);
    // A new version is appended.
    let mut d = doc.fork().with_actor(ActorId::from(vec![3u8; 16]));
    CharterCommand::Adopt {
        version: version("第二版"),
        by: "p-staff".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0() + MINUTE)
    .unwrap();
    assert_eq!(check(&principal(Role::Staff, "p-staff"), &doc, &d), Ok(()));
    // An unknown field is refused.
    let mut d = doc.fork().with_actor(ActorId::from(vec![4u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "secret", "x"))
        .unwrap();
    let r = check(&principal(Role::Staff, "p-staff"), &doc, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::FieldNotAllowed);
}

#[test]
fn erasing_the_staff_member_who_recorded_it_keeps_the_rules() {
    let mut d = created();
    Kind::anonymise(&mut d, "p-staff").unwrap().unwrap();
    let c = Charter::read(&d).unwrap();
    assert_eq!(c.versions[0].by, "erased");
    assert_eq!(c.versions.len(), 1);
}
