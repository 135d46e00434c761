//! Limits every document shares: no string, key, list or change is unbounded. A kind adds the
//! limits of its own fields ([`DocType::field_limit`](crate::domain::DocType::field_limit));
//! what no kind names falls back to [`FIELD_MAX`].

use crate::domain::DocKind;

/// A person's, grid's, community's or category's name, and a name signed on a document or
/// a history entry.
pub const NAME_MAX: usize = 60;
/// Ids and short codes (person, household, grid and category ids, kinds, statuses, photo
/// hashes); also every map key.
pub const ID_MAX: usize = 100;
/// Any other string field (checked by the relay: nothing is unbounded).
pub const FIELD_MAX: usize = 200;
/// Operations in one change: a new document with the longest text any kind allows fits with
/// room to spare; a larger splice is refused before it is applied.
pub const CHANGE_OPS_MAX: usize = 5_000;
/// Operations in all the changes of one message.
pub const MESSAGE_OPS_MAX: usize = 50_000;

/// How far ahead of the relay's clock a written time may be. Devices correct their clocks
/// with the relay's at every connection, so this only absorbs drift and latency.
pub const CLOCK_TOLERANCE: crate::time::Millis = 15 * crate::time::MINUTE;

/// How far behind the relay's clock a written time may be: a phone kept offline for up to a
/// year still uploads what was written on it.
pub const BACKDATE_MAX: crate::time::Millis = 366 * crate::time::DAY;

/// The most characters (or bytes, for binary values) a string at `field` of a document of
/// `kind` may hold: the field's own name, or `"*"` for an element of a list named `parent`.
pub fn of_field(kind: Option<DocKind>, parent: Option<&str>, field: &str) -> usize {
    if let Some(max) = kind.and_then(|k| k.field_limit(parent, field)) {
        return max;
    }
    match field {
        "name" | "by_name" | "label" => NAME_MAX,
        "kind" | "subject" | "household" | "grid" | "by" | "type" => ID_MAX,
        _ => FIELD_MAX,
    }
}

/// The most elements a list named `field` may hold (`None`: not bounded here, e.g. a
/// history, which grows one checked entry at a time).
pub fn of_list(kind: Option<DocKind>, field: &str) -> Option<usize> {
    kind.and_then(|k| k.list_limit(field))
}
