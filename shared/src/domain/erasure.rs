//! What erasure does to the logs that outlive a person (a grid's patrol rounds and sorting
//! inspections, a work's progress): the entries stay, the record of the grid or the work, but
//! no longer say who wrote them.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};

use crate::docutil::{get_obj, get_str, list_maps};
use crate::domain::ModelError;

/// Unsigns `person`'s entries of the list `list` at the root (`by` becomes `erased`, the name
/// goes), and the document itself when `root` and it is theirs: `None` when nothing named
/// them, else the photos no longer referred to (none: the photos stay with the record).
pub(crate) fn unsign(
    doc: &mut Automerge,
    list: &str,
    person: &str,
    root: bool,
) -> Option<Result<Vec<String>, ModelError>> {
    let own_root = root && get_str(doc, &ROOT, "by").as_deref() == Some(person);
    let theirs: Vec<automerge::ObjId> = get_obj(doc, &ROOT, list, ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .filter(|e| get_str(doc, e, "by").as_deref() == Some(person))
                .collect()
        })
        .unwrap_or_default();
    if !own_root && theirs.is_empty() {
        return None;
    }
    Some(
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            if own_root {
                tx.put(ROOT, "by", "erased")?;
                tx.put(ROOT, "by_name", "")?;
            }
            for e in &theirs {
                tx.put(e, "by", "erased")?;
                tx.put(e, "by_name", "")?;
            }
            Ok(())
        })
        .map(|_| Vec::new())
        .map_err(|f| f.error.into()),
    )
}

/// Unsigns a document `person` wrote or last edited: its author (`by`, and the fields in
/// `also`, such as a note's `subject`) becomes `erased` and the name goes; an editor's
/// `edited_by` becomes `erased`. `None` when it names them in neither; the photos stay.
pub(crate) fn unsign_author(
    doc: &mut Automerge,
    person: &str,
    also: &[&str],
) -> Option<Result<Vec<String>, ModelError>> {
    let author = get_str(doc, &ROOT, "by").as_deref() == Some(person);
    let editor = get_str(doc, &ROOT, "edited_by").as_deref() == Some(person);
    if !author && !editor {
        return None;
    }
    Some(
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            if author {
                tx.put(ROOT, "by", "erased")?;
                tx.put(ROOT, "by_name", "")?;
                for key in also {
                    tx.put(ROOT, *key, "erased")?;
                }
            }
            if editor {
                tx.put(ROOT, "edited_by", "erased")?;
            }
            Ok(())
        })
        .map(|_| Vec::new())
        .map_err(|f| f.error.into()),
    )
}
