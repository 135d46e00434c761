//! A person's own record: they may change their phone and the consents they give; staff
//! everything else.

use automerge::{Prop, ReadDoc};

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

/// A consent's `volunteer_name` is empty or the volunteer's name in the relay's records, for
/// every writer: the elder's phone shows it as who may act for her.
pub(super) fn check_names(w: &Write<'_>) -> Verdict {
    for t in w.touches {
        let (Some("volunteer_name"), [Prop::Map(c), Prop::Map(volunteer)]) =
            (t.key.as_deref(), t.path.as_slice())
        else {
            continue;
        };
        if c != "consents" || t.delete {
            continue;
        }
        let written = match w.after.get(&t.obj, "volunteer_name") {
            Ok(Some((automerge::Value::Scalar(v), _))) => match v.as_ref() {
                automerge::ScalarValue::Str(s) => s.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        if !written.is_empty() && (w.ctx.name_of)(volunteer).as_deref() != Some(written.as_str()) {
            return Err((
                RefusalCode::BadName,
                format!("`{written}` is not the name on record of `{volunteer}`"),
            ));
        }
    }
    Ok(())
}
