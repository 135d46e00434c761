//! Who may write what in a drawing. A guardian files one for their own child (in their own
//! household, consent given in the act) and may afterwards only withdraw it from display;
//! staff file from paper forms and review. For everyone, staff too: known fields, a
//! nickname that is one (six characters, no digits), an age of 3 to 17, the guardian's name
//! as the relay's records have it, the guardian and household fixed, `publish` only ever
//! turned off after filing, a withdrawal never undone, and a drawing shown only with the
//! guardian's consent.

use automerge::{Automerge, ROOT, ReadDoc};

use super::{AGE_MAX, AGE_MIN, ROOT_FIELDS, Status, nickname_problem};
use crate::api::RefusalCode;
use crate::docutil::Fields;
use crate::domain::{Verdict, Write};

/// What the rules need of a drawing as it was before the changes.
#[derive(Debug, Clone, Default)]
pub(super) struct Before {
    pub(super) exists: bool,
    pub(super) publish: bool,
    pub(super) withdrawn_at: Option<i64>,
}

impl Before {
    pub(super) fn of(doc: &Automerge) -> Self {
        let f = Fields::of(doc, &ROOT);
        Before {
            exists: f.has("kind"),
            publish: f.bool("publish").unwrap_or(false),
            withdrawn_at: f.i64("withdrawn_at"),
        }
    }
}

/// The root keys the changes wrote (or deleted).
fn root_keys<'a>(w: &'a Write<'_>) -> impl Iterator<Item = (&'a str, bool)> + 'a {
    w.touches
        .iter()
        .filter(|t| t.path.is_empty())
        .filter_map(|t| t.key.as_deref().map(|k| (k, t.delete)))
}

/// Everyone but staff.
pub(super) fn check(w: &Write<'_>) -> Verdict {
    let p = w.p;
    let f = Fields::of(w.after, &ROOT);
    if w.creating {
        if w.new.subject.as_deref() != Some(p.person.as_str())
            || !p.in_household(w.new.household.as_deref())
        {
            return Err((
                RefusalCode::NotAllowed,
                "a guardian files a drawing for their own child, in their own household".into(),
            ));
        }
        if f.str("collected_by").as_deref() != Some(p.person.as_str()) {
            return Err((
                RefusalCode::BadName,
                "a drawing is filed in the writer's own name".into(),
            ));
        }
        if f.str("status").as_deref() != Some(Status::Collected.as_str())
            || ["shown", "works", "review_note", "withdrawn_at"]
                .iter()
                .any(|k| f.has(k))
        {
            return Err((
                RefusalCode::FieldNotAllowed,
                "only staff review a drawing".into(),
            ));
        }
        return Ok(());
    }
    if w.old.subject.as_deref() != Some(p.person.as_str()) {
        return Err((
            RefusalCode::NotAllowed,
            "only the guardian and staff change a drawing".into(),
        ));
    }
    let only_withdrawal = w.touches.iter().all(|t| {
        t.path.is_empty()
            && !t.delete
            && matches!(t.key.as_deref(), Some("publish" | "withdrawn_at"))
    });
    if !only_withdrawal || f.bool("publish") != Some(false) {
        return Err((
            RefusalCode::FieldNotAllowed,
            "a guardian may only withdraw the drawing from display".into(),
        ));
    }
    Ok(())
}

/// Everyone, staff included.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
    if let Some(extra) = after
        .keys(&ROOT)
        .find(|k| !ROOT_FIELDS.contains(&k.as_str()))
    {
        return bad(format!("a drawing has no field `{extra}`"));
    }
    let f = Fields::of(after, &ROOT);
    let before = w.prior.and_then(|p| p.get::<Before>()).cloned();
    let before = before.unwrap_or_default();
    if !w.creating && (w.old.subject != w.new.subject || w.old.household != w.new.household) {
        return Err((
            RefusalCode::ScopeChange,
            "a drawing's guardian and household do not change".into(),
        ));
    }
    let touched = |key: &str| root_keys(w).any(|(k, _)| k == key);
    if w.creating || touched("nickname") {
        match f.str("nickname") {
            Some(n) if nickname_problem(&n).is_none() => {}
            _ => return bad("a nickname is 1 to 6 characters, no digits".into()),
        }
    }
    if (w.creating || touched("age"))
        && !f
            .i64("age")
            .is_some_and(|a| (AGE_MIN..=AGE_MAX).contains(&a))
    {
        return bad(format!("a child's age is {AGE_MIN} to {AGE_MAX}"));
    }
    if f.str("status").and_then(|s| Status::parse(&s)).is_none() {
        return bad("a drawing is collected, reviewing, adopted or not_adopted".into());
    }
    for key in ["publish", "shown"] {
        if f.has(key) && f.bool(key).is_none() {
            return bad(format!("`{key}` is yes or no"));
        }
    }
    if w.creating && (f.i64("consent_at").is_none() || f.i64("created_at").is_none()) {
        return bad("a drawing is filed with the guardian's consent and its date".into());
    }
    // The guardian as the relay's records have them.
    if w.creating || touched("guardian_name") || touched("subject") {
        let guardian = w.new.subject.as_deref().unwrap_or_default();
        let on_record = (w.ctx.name_of)(guardian);
        if on_record.is_none() || f.str("guardian_name") != on_record {
            return Err((
                RefusalCode::BadName,
                "the guardian is a person on record, named as the records do".into(),
            ));
        }
        if let Some(h) = (w.ctx.household_of)(guardian)
            && w.new.household.as_deref() != Some(h.as_str())
        {
            return Err((
                RefusalCode::NotAllowed,
                "a drawing belongs to its guardian's household".into(),
            ));
        }
    }
    // Only the guardian's consent publishes: after filing, `publish` only goes off.
    if before.exists && !before.publish && f.bool("publish") == Some(true) {
        return bad("only the guardian's consent makes a drawing public".into());
    }
    // A withdrawal stands.
    if before.withdrawn_at.is_some() && f.i64("withdrawn_at") != before.withdrawn_at {
        return bad("a withdrawal is not undone".into());
    }
    if touched("shown")
        && f.bool("shown") == Some(true)
        && (f.bool("publish") != Some(true) || f.has("withdrawn_at"))
    {
        return bad("a drawing is shown only with the guardian's consent".into());
    }
    Ok(())
}
