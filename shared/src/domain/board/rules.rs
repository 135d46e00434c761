//! A board belongs to the relay: a person may only add or remove their own follow (+1), and a
//! follow is the time it was made.

use automerge::{Prop, ReadDoc};

use crate::api::RefusalCode;
use crate::domain::{Verdict, Write};

/// A board belongs to the relay; a person may only add or remove their own follow (+1).
pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        after,
        touches,
        ..
    } = *w;
    if creating {
        return Err((RefusalCode::NotAllowed, "boards are the relay's".into()));
    }
    for t in touches {
        let own_follow = matches!(
            t.path.as_slice(),
            [Prop::Map(e), Prop::Map(_), Prop::Map(f)] if e == "entries" && f == "follows"
        ) && t.key.as_deref() == Some(p.person.as_str())
            && t.creates.is_none();
        if !own_follow {
            return Err((
                RefusalCode::FieldNotAllowed,
                "only your own follow can be changed on a board".into(),
            ));
        }
        // A follow says when: a time, nothing else.
        let when = matches!(
            t.key.as_deref().map(|k| after.get(&t.obj, k)),
            Some(Ok(Some((automerge::Value::Scalar(v), _))))
                if matches!(v.as_ref(), automerge::ScalarValue::Int(_) | automerge::ScalarValue::Timestamp(_))
        );
        let at = t.key.as_deref().and_then(|k| match after.get(&t.obj, k) {
            Ok(Some((automerge::Value::Scalar(v), _))) => match v.as_ref() {
                automerge::ScalarValue::Int(n) | automerge::ScalarValue::Timestamp(n) => Some(*n),
                _ => None,
            },
            _ => None,
        });
        if !t.delete && at.is_some_and(|at| !w.ctx.time_ok(at)) {
            return Err((
                RefusalCode::BadTime,
                "a follow dated far from the relay's clock".into(),
            ));
        }
        if !t.delete && !when {
            return Err((
                RefusalCode::FieldNotAllowed,
                "a follow is the time it was made".into(),
            ));
        }
    }
    Ok(())
}
