//! A grid's public board: per open (or recently resolved) request, keyed by a hash of its id,
//! its title, category, colour and status, and who follows it (+1). No personal data. The
//! relay keeps it current from the requests (the request kind's projection); a person adds or
//! removes only their own follow.

mod commands;
mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use crate::docutil::{get_i64, get_obj, get_str, map_keys};
use crate::domain::requests::{Colour, Request, Status};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

pub use commands::BoardCommand;

/// What a device keeps of a board (stored as `{"kind":"board","board":{…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardSummary {
    pub board: Board,
}

/// The board kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "board";
    type Summary = BoardSummary;
    type Command = BoardCommand;

    fn apply(doc: &mut Automerge, command: &BoardCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<BoardSummary> {
        Some(BoardSummary {
            board: Board::read(doc).ok()?,
        })
    }

    /// The grid's own board: its residents (and volunteers living there), its grid workers,
    /// and staff. What the filing form promises: "the title is shown to neighbours in your
    /// grid". No personal data is on it, but which problems a grid has is its own business.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        let grid = scope.grid.as_deref();
        p.is_staff() || p.works_grid(grid) || p.lives_in(grid)
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::ID_MAX;
        use crate::domain::requests::limits::TITLE_MAX;
        Some(match field {
            "title" => TITLE_MAX,
            "category" | "colour" | "status" => ID_MAX,
            _ => return None,
        })
    }

    /// A board serves one grid.
    fn projection_group(scope: &Scope) -> Option<String> {
        scope.grid.clone()
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's follows go.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let board = Board::read(doc).ok()?;
        let followed: Vec<String> = board
            .entries
            .iter()
            .filter(|e| e.follows.iter().any(|(p, _)| p == person))
            .map(|e| e.key.clone())
            .collect();
        if followed.is_empty() {
            return None;
        }
        Some(
            followed
                .iter()
                // Unfollowing takes no time.
                .try_for_each(|key| set_follow(doc, key, person, false, 0))
                .map(|()| Vec::new()),
        )
    }
}

/// The key of a request's entry on its grid's board: derived from the document id, so whoever
/// holds the request finds its entry, while the board does not reveal request ids.
pub fn board_key(id: &crate::ids::DocumentId) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::new()
        .chain_update(b"linli-board:")
        .chain_update(id.as_bytes())
        .finalize();
    crate::ids::hex(&d[..8])
}

/// One entry on a grid's board (public: no personal data, no document id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardEntry {
    pub key: String,
    pub title: String,
    pub category: String,
    pub colour: Colour,
    pub status: Status,
    pub filed_at: Millis,
    /// When the relay last changed what the entry says (for followers' notifications).
    pub updated_at: Millis,
    /// Person ids of those who follow it (+1), with when.
    pub follows: Vec<(String, Millis)>,
}

/// A grid's board as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub grid: String,
    pub entries: Vec<BoardEntry>,
}

impl Board {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Board)?;
        let mut entries = Vec::new();
        if let Some(map) = get_obj(doc, &ROOT, "entries", ObjType::Map) {
            for key in map_keys(doc, &map) {
                let Some(e) = get_obj(doc, &map, &key, ObjType::Map) else {
                    continue;
                };
                let follows = get_obj(doc, &e, "follows", ObjType::Map)
                    .map(|f| {
                        map_keys(doc, &f)
                            .into_iter()
                            .map(|p| {
                                let at = get_i64(doc, &f, &p).unwrap_or(0);
                                (p, at)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                entries.push(BoardEntry {
                    title: get_str(doc, &e, "title").unwrap_or_default(),
                    category: get_str(doc, &e, "category").unwrap_or_default(),
                    colour: get_str(doc, &e, "colour")
                        .and_then(|c| Colour::parse(&c))
                        .unwrap_or(Colour::Yellow),
                    status: get_str(doc, &e, "status")
                        .and_then(|c| Status::parse(&c))
                        .unwrap_or(Status::Filed),
                    filed_at: get_i64(doc, &e, "filed_at").unwrap_or(0),
                    updated_at: get_i64(doc, &e, "updated_at").unwrap_or(0),
                    follows,
                    key,
                });
            }
        }
        Ok(Board {
            grid: get_str(doc, &ROOT, "grid").unwrap_or_default(),
            entries,
        })
    }

    pub fn entry(&self, key: &str) -> Option<&BoardEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Creates an empty board for a grid.
pub fn create_board(doc: &mut Automerge, grid: &str) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("board"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Board.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "grid", grid)?;
        tx.put_object(ROOT, "entries", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Brings a request's board entry up to date (the relay does this after every change to a
/// request); entries of requests resolved over 30 days ago are removed.
pub fn update_board(
    doc: &mut Automerge,
    key: &str,
    req: &Request,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Board)?;
    let entries =
        get_obj(doc, &ROOT, "entries", ObjType::Map).ok_or(ModelError::Malformed("entries"))?;
    let existing = get_obj(doc, &entries, key, ObjType::Map);
    let stale = req.resolved_at().is_some_and(|at| {
        now - at > crate::domain::requests::limits::REOPEN_DAYS * crate::time::DAY
    });
    let status = req.status();
    let colour = req.colour_now();
    let same = existing.as_ref().is_some_and(|e| {
        get_str(doc, e, "title").as_deref() == Some(crate::pii::mask(&req.title).as_str())
            && get_str(doc, e, "category").as_deref() == Some(req.category.as_str())
            && get_str(doc, e, "colour").as_deref() == Some(colour.as_str())
            && get_str(doc, e, "status").as_deref() == Some(status.as_str())
    });
    if (same && !stale) || (existing.is_none() && stale) {
        return Ok(());
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if stale {
            tx.delete(&entries, key)?;
            return Ok(());
        }
        let e = match &existing {
            Some(e) => e.clone(),
            None => {
                let e = tx.put_object(&entries, key, ObjType::Map)?;
                tx.put_object(&e, "follows", ObjType::Map)?;
                tx.put(&e, "filed_at", req.filed_at)?;
                e
            }
        };
        // Titles written before the guard existed are masked on the board.
        tx.put(&e, "title", crate::pii::mask(&req.title).as_str())?;
        tx.put(&e, "category", req.category.as_str())?;
        tx.put(&e, "colour", colour.as_str())?;
        tx.put(&e, "status", status.as_str())?;
        tx.put(&e, "updated_at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Follows (+1) or unfollows a board entry as `person`.
pub fn set_follow(
    doc: &mut Automerge,
    key: &str,
    person: &str,
    follow: bool,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Board)?;
    let follows = get_obj(doc, &ROOT, "entries", ObjType::Map)
        .and_then(|m| get_obj(doc, &m, key, ObjType::Map))
        .and_then(|e| get_obj(doc, &e, "follows", ObjType::Map))
        .ok_or(ModelError::Malformed("follows"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if follow {
            tx.put(&follows, person, now)
        } else {
            tx.delete(&follows, person)
        }
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Character bigrams of a text (CJK characters, and words of letters or digits), lower case.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::requests::{Event, EventKind, similar_open};

    #[test]
    fn a_board_keeps_follows_across_updates_and_drops_long_resolved_entries() {
        let mut r = Request {
            title: "健身器材松动".into(),
            description: String::new(),
            category: "facilities".into(),
            colour: Colour::Red,
            photos: Vec::new(),
            grid: "g01".into(),
            household: "h".into(),
            subject: "p".into(),
            filed_by: "p".into(),
            filed_by_name: String::new(),
            filed_at: 0,
            source: String::new(),
            events: Vec::new(),
        };
        let mut doc = Automerge::new();
        create_board(&mut doc, "g01").unwrap();
        update_board(&mut doc, "k1", &r, 0).unwrap();
        set_follow(&mut doc, "k1", "p-neighbour", true, 5).unwrap();
        r.events.push(Event {
            id: "1@a".into(),
            at: 10,
            by: "w".into(),
            by_name: String::new(),
            kind: EventKind::Status {
                to: Status::Resolved,
            },
            photos: Vec::new(),
        });
        update_board(&mut doc, "k1", &r, 20).unwrap();
        let b = Board::read(&doc).unwrap();
        assert_eq!(b.entries[0].status, Status::Resolved);
        assert_eq!(b.entries[0].follows, vec![("p-neighbour".to_string(), 5)]);
        assert!(
            similar_open(&b, "健身器材松动了", "").is_empty(),
            "resolved: no longer offered"
        );
        update_board(&mut doc, "k1", &r, 10 + 31 * crate::time::DAY).unwrap();
        assert!(Board::read(&doc).unwrap().entries.is_empty());
    }
}
