//! A case shared between communities as a file: staff of one community export it (a small
//! JSON file they send as they send everything, in a work chat or by mail), staff of another
//! import it, and it joins their own library with where it came from kept in `from`. No
//! person's id or name travels: only the case's public text and its problems.

use serde::{Deserialize, Serialize};

use super::{CaseDraft, LocalCase};
use crate::cases::Tag;

/// The file's format and version.
pub const FORMAT: &str = "linli-case/1";
/// A shared file is a few KB; anything far larger is not one.
const FILE_MAX: usize = 64 * 1024;

/// A case as a shared file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCase {
    pub format: String,
    /// The community that wrote it up (where it happened when it was itself imported).
    pub community: String,
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub years: String,
    /// Tag keys, the main problem first.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub source: String,
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is too large to be a shared case")]
    TooLarge,
    #[error("the file is not a shared case: {0}")]
    NotACase(String),
    #[error("the file is a shared case of a newer version ({0})")]
    NewerFormat(String),
}

impl ImportError {
    pub fn text(&self, zh: bool) -> String {
        match (self, zh) {
            (ImportError::TooLarge, true) => "文件太大，不是邻里导出的案例文件。".into(),
            (ImportError::TooLarge, false) => {
                "The file is too large to be a case shared from Linli.".into()
            }
            (ImportError::NotACase(_), true) => {
                "这不是邻里导出的案例文件（.json）。请让对方在案例页面点“导出分享”。".into()
            }
            (ImportError::NotACase(_), false) => {
                "This is not a case file exported from Linli (.json). Ask the sender to tap \"Export to share\" on the case."
                    .into()
            }
            (ImportError::NewerFormat(v), true) => {
                format!("这个案例文件来自更新版本的邻里（{v}），请先更新应用。")
            }
            (ImportError::NewerFormat(v), false) => {
                format!("This case file comes from a newer Linli ({v}); please update the app first.")
            }
        }
    }
}

impl SharedCase {
    /// The file for a case of this community (`community` is its name): what it came from
    /// stays named when it was itself imported.
    pub fn of(case: &LocalCase, community: &str) -> Self {
        SharedCase {
            format: FORMAT.into(),
            community: if case.from.is_empty() {
                community.into()
            } else {
                case.from.clone()
            },
            title: case.title.clone(),
            place: case.place.clone(),
            years: case.years.clone(),
            tags: case.tags.clone(),
            problem: case.problem.clone(),
            done: case.done.clone(),
            results: case.results.clone(),
            source: case.source.clone(),
        }
    }

    /// The file's text (pretty JSON, readable if someone opens it).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a shared file.
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        if text.len() > FILE_MAX {
            return Err(ImportError::TooLarge);
        }
        let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| ImportError::NotACase(e.to_string()))?;
        let format = value
            .get("format")
            .and_then(|f| f.as_str())
            .unwrap_or_default()
            .to_string();
        if format != FORMAT {
            return Err(match format.strip_prefix("linli-case/") {
                Some(v) if v.parse::<u32>().is_ok_and(|v| v > 1) => {
                    ImportError::NewerFormat(format)
                }
                _ => ImportError::NotACase(format!("format `{format}`")),
            });
        }
        serde_json::from_value(value).map_err(|e| ImportError::NotACase(e.to_string()))
    }

    /// The form's draft for importing it: what the form then checks like any case (the
    /// person importing reads it, may correct it, and saves it as theirs). Unknown problems
    /// (from a newer library) are left out.
    pub fn draft(&self) -> CaseDraft {
        CaseDraft {
            title: self.title.trim().into(),
            place: self.place.trim().into(),
            years: self.years.trim().into(),
            tags: self
                .tags
                .iter()
                .filter(|t| Tag::parse(t).is_some())
                .cloned()
                .collect(),
            problem: self.problem.trim().into(),
            done: self.done.trim().into(),
            results: self.results.trim().into(),
            source: self.source.trim().into(),
            from: self.community.trim().into(),
        }
    }

    /// The file name to save it under.
    pub fn file_name(&self) -> String {
        let title: String = self
            .title
            .chars()
            .filter(|c| !"/\\:*?\"<>|".contains(*c))
            .take(20)
            .collect();
        format!("案例-{title}.json")
    }
}
