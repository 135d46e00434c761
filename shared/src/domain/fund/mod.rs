//! The community fund 微创投基金: an append-only ledger in integer fen that every enrolled
//! person reads and that the relay never lets go negative (ARCHITECTURE.md, "The ledger
//! rule"). The fund document holds nothing a device writes but ledger entries, so a refused
//! overdraft loses nothing else; proposals, calls and reviews live in their own documents.

mod commands;
pub mod ledger;
mod rules;
#[cfg(test)]
mod tests;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::get_obj;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

pub use commands::{FundCommand, NewEntry};
pub use ledger::{
    AMOUNT_MAX, Entry, EntryError, EntryType, Fen, LINES_MAX, Ledger, Overdraft, ProjectAccount,
    RECEIPTS_MAX, parse_yuan, yuan,
};

/// The default starting amount: 150,000 yuan.
pub const DEFAULT_OPENING: Fen = 150_000 * 100;
/// The longest note on an entry.
pub const NOTE_MAX: usize = 200;
/// The longest project title.
pub const TITLE_MAX: usize = 60;

/// What a device keeps of the fund (stored as `{"kind":"fund","ledger":{…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundSummary {
    pub ledger: Ledger,
}

/// The fund kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "fund";
    type Summary = FundSummary;
    type Command = FundCommand;

    fn apply(doc: &mut Automerge, command: &FundCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<FundSummary> {
        Some(FundSummary {
            ledger: Ledger::read(doc)?,
        })
    }

    /// Every enrolled person: where every yuan went is the community's business.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    /// Nothing beyond what [`DocType::check_everyone`] says: the ledger's rules hold for
    /// staff too.
    fn check(_w: &Write<'_>) -> Verdict {
        Ok(())
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (Some("receipts"), "*") => ID_MAX,
            (_, "title") => TITLE_MAX,
            (_, "note") => NOTE_MAX,
            (_, "project" | "line" | "leader" | "decision") => ID_MAX,
            (_, "name") => NAME_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "receipts").then_some(RECEIPTS_MAX)
    }

    const TIME_FIELDS: &'static [&'static str] = &["at"];
    /// Every resident reads the ledger.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "note"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];

    const OUTLIVES_PEOPLE: bool = true;

    /// The ledger is the community's financial record and keeps every amount and receipt;
    /// an erased person's name goes from the entries they wrote or lead.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let list = get_obj(doc, &ROOT, "entries", ObjType::List)?;
        let named: Vec<automerge::ObjId> = crate::docutil::list_maps(doc, &list)
            .into_iter()
            .filter(|e| {
                let f = crate::docutil::Fields::of(doc, e);
                f.str("by").as_deref() == Some(person) || f.str("leader").as_deref() == Some(person)
            })
            .collect();
        if named.is_empty() {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                for e in &named {
                    for key in ["by", "leader"] {
                        if crate::docutil::get_str(tx, e, key).as_deref() == Some(person) {
                            tx.put(e, key, crate::domain::requests::ERASED)?;
                            if key == "by" {
                                tx.delete(e, "by_name")?;
                            }
                        }
                    }
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }

    fn photos(doc: &Automerge) -> Vec<String> {
        Ledger::read(doc)
            .map(|l| l.entries.into_iter().flat_map(|e| e.receipts).collect())
            .unwrap_or_default()
    }
}

/// Creates the fund in an empty document: its name and the starting amount, as the first
/// entry (income), written by `by` (staff).
pub fn create_fund(
    doc: &mut Automerge,
    name: &str,
    opening: Fen,
    by: &str,
    by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("fund"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Fund.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "name", name)?;
        tx.put_object(ROOT, "entries", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    if opening > 0 {
        add_entry(
            doc,
            &NewEntry {
                note: "启动资金 opening".into(),
                ..NewEntry::new(EntryType::Income, opening, by, by_name)
            },
            now,
        )?;
    }
    Ok(())
}

/// Appends one entry, refusing (before writing) one that is malformed or that would overdraw
/// the fund as this device holds it. The relay checks again against what it holds.
pub fn add_entry(doc: &mut Automerge, entry: &NewEntry, now: Millis) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Fund)?;
    let mut ledger = Ledger::read(doc).ok_or(ModelError::Malformed("entries"))?;
    let as_read = entry.to_entry(now);
    as_read.validate().map_err(Overdraft::from)?;
    ledger.entries.push(as_read);
    ledger.check()?;
    let entries =
        get_obj(doc, &ROOT, "entries", ObjType::List).ok_or(ModelError::Malformed("entries"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let n = tx.length(&entries);
        let e = tx.insert_object(&entries, n, ObjType::Map)?;
        tx.put(&e, "type", entry.kind.as_str())?;
        tx.put(&e, "amount", entry.amount)?;
        tx.put(&e, "at", now)?;
        tx.put(&e, "by", entry.by.as_str())?;
        if !entry.by_name.is_empty() {
            tx.put(&e, "by_name", entry.by_name.as_str())?;
        }
        for (key, value) in [
            ("note", &entry.note),
            ("project", &entry.project),
            ("line", &entry.line),
            ("title", &entry.title),
            ("leader", &entry.leader),
            ("decision", &entry.decision),
        ] {
            if !value.is_empty() {
                tx.put(&e, key, value.as_str())?;
            }
        }
        if !entry.lines.is_empty() {
            let m = tx.put_object(&e, "lines", ObjType::Map)?;
            for (line, amount) in &entry.lines {
                tx.put(&m, line.as_str(), *amount)?;
            }
        }
        if !entry.receipts.is_empty() {
            let l = tx.put_object(&e, "receipts", ObjType::List)?;
            for (i, h) in entry.receipts.iter().enumerate() {
                tx.insert(&l, i, h.as_str())?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}
