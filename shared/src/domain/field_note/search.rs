//! The register's search: newest first, a query over the title, the body, the place and the
//! tags (Chinese is matched as written, character by character, so 堆物 finds 楼道堆物; Latin
//! letters ignore case), and filters by tag and by what a note is linked to.

use super::{FieldNote, LinkKind};

/// What the register is filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words separated by spaces; a note matches when it holds every one.
    pub query: String,
    /// Only notes with this tag.
    pub tag: Option<String>,
    /// Only notes linked to this kind of document; `Some(None)` for notes linked to nothing.
    pub link: Option<Option<LinkKind>>,
}

impl Filter {
    /// Whether `note` passes.
    pub fn matches(&self, note: &FieldNote) -> bool {
        if let Some(tag) = &self.tag
            && !note.tags.iter().any(|t| t == tag)
        {
            return false;
        }
        match self.link {
            Some(None) if !note.links().is_empty() => return false,
            Some(Some(k)) if !note.links().contains(&k) => return false,
            _ => {}
        }
        let words: Vec<String> = self
            .query
            .split_whitespace()
            .map(|w| w.to_lowercase())
            .collect();
        if words.is_empty() {
            return true;
        }
        let hay = format!(
            "{}\n{}\n{}\n{}",
            note.title,
            note.body,
            note.place,
            note.tags.join("\n")
        )
        .to_lowercase();
        words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// The notes that pass `filter`, newest observation first (then newest written, then id).
pub fn select<'a, K: Ord + Clone>(
    notes: impl IntoIterator<Item = (K, &'a FieldNote)>,
    filter: &Filter,
) -> Vec<(K, &'a FieldNote)> {
    let mut out: Vec<(K, &FieldNote)> = notes
        .into_iter()
        .filter(|(_, n)| filter.matches(n))
        .collect();
    out.sort_by(|(ka, a), (kb, b)| {
        b.observed_at
            .cmp(&a.observed_at)
            .then(b.created_at.cmp(&a.created_at))
            .then(ka.cmp(kb))
    });
    out
}

/// Every tag in use with how many notes carry it, most used first (then by name).
pub fn tag_counts<'a>(notes: impl IntoIterator<Item = &'a FieldNote>) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for n in notes {
        for t in &n.tags {
            *counts.entry(t.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
