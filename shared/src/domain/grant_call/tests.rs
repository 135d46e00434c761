use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::policy::{Principal, Role};
use crate::rules::{Before, Ctx, check_changes};

fn principal(person: &str, role: Role) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some("h-1".into()),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: None,
        name: None,
        party: None,
        team_grids: Vec::new(),
        actor_prefix: Vec::new(),
    }
}

fn verdict(base: &Automerge, doc: &Automerge, who: &Principal) -> Result<(), RefusalCode> {
    let changes = doc.get_changes(&base.get_heads());
    let before = Before::for_changes(base, &changes);
    check_changes(who, &Ctx::none(), &before, doc, &changes).map_err(|r| r.code)
}

fn call() -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![1]));
    let d = CallDraft {
        title: "2026 微创投".into(),
        criteria: default_criteria(),
        deadline: 10 * DAY,
        panel: vec!["p-res".into(), "p-staff".into()],
    };
    open_call(&mut doc, &d, 1_000).unwrap();
    doc
}

fn edit(base: &Automerge, f: impl FnOnce(&mut Automerge)) -> Automerge {
    let mut d = base.fork().with_actor(ActorId::from(vec![2]));
    f(&mut d);
    d
}

#[test]
fn a_panel_member_scores_in_their_own_name_and_nobody_else_reviews() {
    let base = call();
    let member = principal("p-res", Role::Resident);
    let outsider = principal("p-out", Role::Resident);
    let mine = edit(&base, |d| {
        review(d, "prop1", "p-res", "", &[5, 4, 3, 4], "好", false, 2_000).unwrap()
    });
    assert_eq!(verdict(&base, &mine, &member), Ok(()));
    let c = Call::read(&mine).unwrap();
    assert_eq!(c.reviews_of("prop1")[0].scores, vec![5, 4, 3, 4]);
    assert_eq!(c.mean_score_x10("prop1"), Some(40));
    // Not on the panel; or on it, but writing someone else's review.
    assert_eq!(
        verdict(&base, &mine, &outsider),
        Err(RefusalCode::FieldNotAllowed)
    );
    let forged = edit(&base, |d| {
        review(d, "prop1", "p-staff", "", &[1], "", false, 2_000).unwrap()
    });
    assert_eq!(
        verdict(&base, &forged, &member),
        Err(RefusalCode::FieldNotAllowed)
    );
}

#[test]
fn a_reviewer_cannot_fund_and_staff_decide_in_their_own_name() {
    let base = call();
    let decided = edit(&base, |d| {
        decide(
            d,
            "prop1",
            Outcome::Funded,
            500_000,
            "好",
            "p-res",
            "",
            2_000,
        )
        .unwrap()
    });
    assert_eq!(
        verdict(&base, &decided, &principal("p-res", Role::Resident)),
        Err(RefusalCode::FieldNotAllowed)
    );
    assert_eq!(
        verdict(&base, &decided, &principal("p-staff", Role::Staff)),
        Err(RefusalCode::BadEvent)
    );
    let ok = edit(&base, |d| {
        decide(
            d,
            "prop1",
            Outcome::Funded,
            500_000,
            "好",
            "p-staff",
            "",
            2_000,
        )
        .unwrap()
    });
    assert_eq!(
        verdict(&base, &ok, &principal("p-staff", Role::Staff)),
        Ok(())
    );
    assert_eq!(
        Call::read(&ok).unwrap().decision("prop1").unwrap().outcome,
        Outcome::Funded
    );
}

#[test]
fn a_score_outside_one_to_five_is_refused_even_from_staff() {
    let base = call();
    let mut bad = base.fork().with_actor(ActorId::from(vec![2]));
    let reviews = crate::docutil::get_obj(&bad, &automerge::ROOT, "reviews", ObjType::Map).unwrap();
    bad.transact::<_, _, automerge::AutomergeError>(|tx| {
        let r = tx.put_object(&reviews, review_key("prop1", "p-staff"), ObjType::Map)?;
        let l = tx.put_object(&r, "scores", ObjType::List)?;
        tx.insert(&l, 0, 9_i64)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        verdict(&base, &bad, &principal("p-staff", Role::Staff)),
        Err(RefusalCode::BadEvent)
    );
}

#[test]
fn erasure_removes_the_persons_reviews_and_panel_seat() {
    let mut doc = call();
    review(
        &mut doc,
        "prop1",
        "p-res",
        "",
        &[5, 5, 5, 5],
        "好",
        false,
        2_000,
    )
    .unwrap();
    review(
        &mut doc,
        "prop1",
        "p-staff",
        "",
        &[3, 3, 3, 3],
        "",
        false,
        2_000,
    )
    .unwrap();
    <Kind as DocType>::anonymise(&mut doc, "p-res")
        .unwrap()
        .unwrap();
    let c = Call::read(&doc).unwrap();
    assert_eq!(c.reviews_of("prop1").len(), 1);
    assert_eq!(c.panel, vec!["p-staff".to_string()]);
}
