//! A person's own record: they may change their phone and the consents they give; staff
//! everything else.

use crate::api::RefusalCode;
use crate::domain::{Verdict, Write};

/// The person's own record: they may change their phone and the consents they give.
pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        new,
        touches,
        ..
    } = *w;
    if creating {
        return Err((
            RefusalCode::NotAllowed,
            "only staff create a person's record".into(),
        ));
    }
    if new.subject.as_deref() != Some(p.person.as_str()) {
        return Err((
            RefusalCode::NotAllowed,
            "only staff change someone else's record".into(),
        ));
    }
    for t in touches {
        match t.top() {
            Some("consents") => {}
            Some("phone") if t.path.is_empty() => {}
            other => {
                return Err((
                    RefusalCode::FieldNotAllowed,
                    format!(
                        "a person may not change `{}` of their record",
                        other.unwrap_or("?")
                    ),
                ));
            }
        }
    }
    Ok(())
}
