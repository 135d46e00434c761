//! The fund's write rules, for everyone (staff included): entries are appended, never edited
//! or deleted; each is in its writer's own name and of a type their role may write; and the
//! ledger rule: after the change, no account may be negative.

use std::collections::HashSet;

use automerge::Prop;

use super::ledger::{EntryType, Ledger, Overdraft, RECEIPTS_MAX};
use crate::api::RefusalCode;
use crate::domain::{Verdict, Write};

/// The most entries a person other than staff writes in a day (the ledger is one document
/// every phone holds: nobody may grow it without bound).
pub(crate) const ENTRIES_PER_DAY_MAX: usize = 50;

/// Fields an entry may carry whatever its type.
const COMMON: &[&str] = &["type", "amount", "at", "by", "by_name", "note"];

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        after,
        touches,
        ..
    } = *w;
    if creating && !p.is_staff() {
        return Err((RefusalCode::NotAllowed, "only staff create the fund".into()));
    }
    let mut new_entries: HashSet<&str> = HashSet::new();
    for t in touches {
        let in_entries = matches!(t.path.first(), Some(Prop::Map(k)) if k == "entries");
        let allowed = match (t.path.len(), in_entries) {
            // The root: written when the fund is created; its name later by staff.
            (0, _) => creating || (p.is_staff() && t.key.as_deref() == Some("name") && !t.delete),
            // Appending an entry: a new map inserted into the list.
            (1, true) => {
                if let Some(c) = t.creates.as_deref() {
                    new_entries.insert(c);
                }
                t.insert && t.creates.is_some() && !t.delete
            }
            // Filling in an entry (or its lines, its receipts) created in this same batch.
            (_, true) => t.in_new_object && !t.delete,
            _ => false,
        };
        if !allowed {
            return Err((
                RefusalCode::FieldNotAllowed,
                "the ledger is append-only: entries are added, never changed or removed".into(),
            ));
        }
    }
    let Some(ledger) = Ledger::read(after) else {
        return Err((RefusalCode::Malformed, "not a fund".into()));
    };
    let list =
        crate::docutil::get_obj(after, &automerge::ROOT, "entries", automerge::ObjType::List);
    for entry in &ledger.entries {
        if !creating && !new_entries.contains(entry.id.as_str()) {
            continue;
        }
        if entry.by != p.person {
            return Err((
                RefusalCode::BadEvent,
                format!("an entry must be in the writer's name, not `{}`", entry.by),
            ));
        }
        let Some(kind) = entry.kind else {
            return Err((RefusalCode::BadEvent, "an entry of an unknown type".into()));
        };
        if let Some(obj) = list.as_ref().and_then(|_| after.import_obj(&entry.id).ok())
            && let Some(extra) = automerge::ReadDoc::keys(after, &obj)
                .find(|k| !COMMON.contains(&k.as_str()) && !kind.fields().contains(&k.as_str()))
        {
            return Err((
                RefusalCode::BadEvent,
                format!("a `{}` entry has no field `{extra}`", kind.as_str()),
            ));
        }
        if entry.receipts.len() > RECEIPTS_MAX {
            return Err((
                RefusalCode::TooManyPhotos,
                format!("at most {RECEIPTS_MAX} receipt photos"),
            ));
        }
        let may = match kind {
            _ if p.is_staff() => true,
            k if k.staff_only() => false,
            EntryType::Spending => ledger.leads(&p.person, &entry.project),
            EntryType::Cofunding => true,
            _ => false,
        };
        if !may {
            return Err((
                RefusalCode::NotAllowed,
                format!(
                    "a {} may not add a `{}` entry{}",
                    p.role.as_str(),
                    kind.as_str(),
                    if kind == EntryType::Spending {
                        " to a project they do not lead"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    if !p.is_staff()
        && !new_entries.is_empty()
        && let Some(now) = w.ctx.now
    {
        let today = ledger
            .entries
            .iter()
            .filter(|e| e.by == p.person && e.at > now - crate::time::DAY)
            .count();
        if today > ENTRIES_PER_DAY_MAX {
            return Err((
                RefusalCode::Quota,
                format!("at most {ENTRIES_PER_DAY_MAX} ledger entries a day"),
            ));
        }
    }
    ledger.check().map_err(|o| match o {
        Overdraft::Entry(e) => (RefusalCode::BadEvent, e.to_string()),
        o => (RefusalCode::Overdrawn, o.to_string()),
    })
}
