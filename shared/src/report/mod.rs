//! The practice report 实践报告: the year's report a community writes, drafted from the data a
//! staff phone holds, in the structure of the article (`../shared/seed/`): background with
//! figures, goals, what was done as problem → action → result, results, problems and
//! failures, reflection, outlook and an open question.
//!
//! Pure like the rest of `shared/`: [`draft`] takes an indicators [`Index`] of the community,
//! the report's [`Period`] and a few counts the indicators do not keep ([`Extra`]), and
//! returns a [`Report`] whose every figure ([`Fig`]) is computed and carries the link to its
//! records. Staff edit a paragraph's words around its figures; an edit is kept as
//! [`Piece`]s (words, and figures by key), so the figures stay computed after an edit
//! ([`apply`]). [`markdown`] and [`html`] export the result.

mod draft;
mod render;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use draft::{Extra, draft};
pub use render::{html, markdown, plain};

use crate::time::civil_from_days;

/// Where a figure's records are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Link {
    /// Indicator `id`'s records for the Shanghai days `from..=to`.
    Indicator { id: u8, from: i64, to: i64 },
    /// A register of the app, by its route (`field-notes`, `charters`).
    Register(&'static str),
}

impl Link {
    /// The app's address of the records.
    pub fn route(&self) -> String {
        match self {
            Link::Indicator { id, .. } => format!("#/ind/{id}"),
            Link::Register(r) => format!("#/{r}"),
        }
    }
}

/// A computed figure in the text: its stable key, how it reads, where its records are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fig {
    pub key: String,
    pub text: String,
    pub link: Link,
}

/// A run of a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Span {
    Text(String),
    Fig(Fig),
}

/// A paragraph, with a key that stays the same from one draft to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Para {
    pub key: String,
    pub spans: Vec<Span>,
    /// Edited by a person (else the draft's words).
    pub edited: bool,
}

impl Para {
    /// The figures of the paragraph.
    pub fn figs(&self) -> impl Iterator<Item = &Fig> {
        self.spans.iter().filter_map(|s| match s {
            Span::Fig(f) => Some(f),
            Span::Text(_) => None,
        })
    }
}

/// A section of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub title: String,
    pub paras: Vec<Para>,
}

/// The report: a title, the period in words, and its sections in the article's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
}

impl Report {
    /// Every figure of the report by its key.
    pub fn figs(&self) -> BTreeMap<&str, &Fig> {
        self.sections
            .iter()
            .flat_map(|s| &s.paras)
            .flat_map(Para::figs)
            .map(|f| (f.key.as_str(), f))
            .collect()
    }
}

/// A piece of an edited paragraph: words (`t`), or a figure by its key (`f`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Piece {
    T(String),
    F(String),
}

/// A person's edits: paragraph key → its pieces.
pub type Edits = BTreeMap<String, Vec<Piece>>;

/// The longest edited paragraph kept, in characters.
pub const MAX_PARA_CHARS: usize = 4_000;

/// The report with `edits` applied: an edited paragraph's words are the person's, and each
/// figure in it is the draft's current figure of that key, so it stays computed and linked.
/// A figure the draft no longer has (its data is gone) reads `—`.
pub fn apply(mut r: Report, edits: &Edits) -> Report {
    let figs: BTreeMap<String, Fig> = r
        .figs()
        .into_iter()
        .map(|(k, f)| (k.to_string(), f.clone()))
        .collect();
    for p in r.sections.iter_mut().flat_map(|s| s.paras.iter_mut()) {
        let Some(pieces) = edits.get(&p.key) else {
            continue;
        };
        p.spans = pieces
            .iter()
            .map(|piece| match piece {
                Piece::T(t) => Span::Text(t.clone()),
                Piece::F(k) => figs
                    .get(k)
                    .cloned()
                    .map_or_else(|| Span::Text("—".into()), Span::Fig),
            })
            .collect();
        p.edited = true;
    }
    r
}

/// A paragraph's pieces as typed (for an edit): adjacent words joined, empty words dropped,
/// cut at [`MAX_PARA_CHARS`].
pub fn normalise(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut chars = 0;
    for p in pieces {
        match p {
            Piece::T(t) => {
                let room = MAX_PARA_CHARS.saturating_sub(chars);
                let t: String = t.chars().take(room).collect();
                chars += t.chars().count();
                if t.is_empty() {
                    continue;
                }
                match out.last_mut() {
                    Some(Piece::T(prev)) => prev.push_str(&t),
                    _ => out.push(Piece::T(t)),
                }
            }
            f @ Piece::F(_) => out.push(f),
        }
    }
    out
}

/// `YYYY年M月D日` or `D Month YYYY` of a Shanghai day.
pub(crate) fn day_words(day: i64, zh: bool) -> String {
    let (y, m, d) = civil_from_days(day);
    if zh {
        format!("{y}年{m}月{d}日")
    } else {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{d} {} {y}", MONTHS[(m as usize).clamp(1, 12) - 1])
    }
}
