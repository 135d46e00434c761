//! Charter and rules 社区公约: the community's rules documents (《社区公约》, the stairwell rules,
//! the pet rules…), each with its versions. A version is the whole text as adopted, when, and
//! the four-party talk decision that adopted it (the talk's document id and the item's id); a
//! new version is appended, never rewritten, so the history of what was agreed stays. The
//! article's community adopted 9 in its rules phase. Staff write; everyone reads.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::api::RefusalCode;
use crate::docutil::{Fields, get_i64, get_obj, get_str, list_maps};
use crate::domain::errors::chars;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

pub const TITLE_MAX: usize = 60;
/// A charter of a few pages.
pub const TEXT_MAX: usize = 10_000;
/// The decision as the talk's minutes put it.
pub const DECISION_MAX: usize = 300;
pub const VERSIONS_MAX: usize = 50;

/// One adopted version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub id: String,
    pub text: String,
    pub adopted_at: Millis,
    /// The talk (document id) and its item whose decision adopted it; empty if none.
    pub talk: String,
    pub item: String,
    /// The decision's words.
    pub decision: String,
    pub by: String,
    pub by_name: String,
}

/// A rules document, as every phone keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    pub title: String,
    pub created_at: Millis,
    /// Oldest first.
    pub versions: Vec<Version>,
}

impl Charter {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Charter)?;
        let f = Fields::of(doc, &ROOT);
        let mut versions: Vec<Version> = get_obj(doc, &ROOT, "versions", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|v| {
                        let s = |k: &str| get_str(doc, &v, k).unwrap_or_default();
                        Some(Version {
                            id: v.to_string(),
                            text: get_str(doc, &v, "text")?,
                            adopted_at: get_i64(doc, &v, "adopted_at")?,
                            talk: s("talk"),
                            item: s("item"),
                            decision: s("decision"),
                            by: s("by"),
                            by_name: s("by_name"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        versions.sort_by(|a, b| a.adopted_at.cmp(&b.adopted_at).then(a.id.cmp(&b.id)));
        Ok(Charter {
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            created_at: f.i64("created_at").unwrap_or_default(),
            versions,
        })
    }

    /// The version in force: the latest adopted.
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }
}

/// A version as staff fill it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct VersionDraft {
    pub text: String,
    #[serde(default)]
    pub talk: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub decision: String,
}

impl VersionDraft {
    /// What is wrong with it, in the order of the form. Everyone reads it: no phone, ID or
    /// bank card numbers or plates.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let n = chars(self.text.trim());
        if n == 0 {
            out.push(InputError::TextEmpty);
        } else if n > TEXT_MAX {
            out.push(InputError::TextTooLong {
                len: n,
                max: TEXT_MAX,
            });
        }
        let d = chars(self.decision.trim());
        if d > DECISION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: d,
                max: DECISION_MAX,
            });
        }
        for text in [&self.text, &self.decision] {
            if let Some(found) = crate::pii::find(text).first() {
                out.push(InputError::PersonalData { what: found.kind });
                break;
            }
        }
        out
    }
}

fn title_problems(title: &str) -> Option<InputError> {
    let n = chars(title.trim());
    if n == 0 {
        Some(InputError::TitleEmpty)
    } else if n > TITLE_MAX {
        Some(InputError::TitleTooLong {
            len: n,
            max: TITLE_MAX,
        })
    } else {
        crate::pii::find(title)
            .first()
            .map(|f| InputError::PersonalData { what: f.kind })
    }
}

/// What staff do to a rules document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CharterCommand {
    /// A new document with its first version, adopted now, in `by`'s name.
    Create {
        title: String,
        version: VersionDraft,
        by: String,
        by_name: String,
    },
    /// A new version, adopted now.
    Adopt {
        version: VersionDraft,
        by: String,
        by_name: String,
    },
}

impl CharterCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            CharterCommand::Create {
                title,
                version,
                by,
                by_name,
            } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("charter"));
                }
                if let Some(p) = title_problems(title) {
                    return Err(p.into());
                }
                if let Some(p) = version.problems().into_iter().next() {
                    return Err(p.into());
                }
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "kind", DocKind::Charter.as_str())?;
                    tx.put(ROOT, "schema", SCHEMA)?;
                    tx.put(ROOT, "title", title.trim())?;
                    tx.put(ROOT, "created_at", now)?;
                    tx.put_object(ROOT, "versions", ObjType::List)?;
                    Ok(())
                })
                .map_err(|f| f.error)?;
                adopt(doc, version, by, by_name, now)
            }
            CharterCommand::Adopt {
                version,
                by,
                by_name,
            } => {
                expect_kind(doc, DocKind::Charter)?;
                if let Some(p) = version.problems().into_iter().next() {
                    return Err(p.into());
                }
                adopt(doc, version, by, by_name, now)
            }
        }
    }
}

fn adopt(
    doc: &mut Automerge,
    v: &VersionDraft,
    by: &str,
    by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    let list =
        get_obj(doc, &ROOT, "versions", ObjType::List).ok_or(ModelError::Malformed("versions"))?;
    let at = doc.length(&list);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let e = tx.insert_object(&list, at, ObjType::Map)?;
        tx.put(&e, "text", v.text.trim())?;
        tx.put(&e, "adopted_at", now)?;
        if !v.talk.trim().is_empty() {
            tx.put(&e, "talk", v.talk.trim())?;
            tx.put(&e, "item", v.item.trim())?;
        }
        if !v.decision.trim().is_empty() {
            tx.put(&e, "decision", v.decision.trim())?;
        }
        tx.put(&e, "by", by)?;
        tx.put(&e, "by_name", by_name)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

const ROOT_FIELDS: &[&str] = &["kind", "schema", "title", "created_at", "versions"];
const VERSION_FIELDS: &[&str] = &[
    "text",
    "adopted_at",
    "talk",
    "item",
    "decision",
    "by",
    "by_name",
];

/// The charter kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "charter";
    type Summary = Charter;
    type Command = CharterCommand;

    fn apply(doc: &mut Automerge, command: &CharterCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Charter> {
        Charter::read(doc).ok()
    }

    /// Everyone in the community: the rules they agreed to.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    /// Staff only (the rules engine lets staff past this).
    fn check(_w: &Write<'_>) -> Verdict {
        Err((
            RefusalCode::NotAllowed,
            "staff record the community's rules".into(),
        ))
    }

    /// For everyone, staff included: known fields, a title, every version with its text and
    /// date, and a version once adopted never changed or removed.
    fn check_everyone(w: &Write<'_>) -> Verdict {
        let after = w.after;
        let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
        if let Some(extra) = after
            .keys(&ROOT)
            .find(|k| !ROOT_FIELDS.contains(&k.as_str()))
        {
            return bad(format!("a charter has no field `{extra}`"));
        }
        if Fields::of(after, &ROOT)
            .str("title")
            .is_none_or(|t| t.trim().is_empty())
        {
            return bad("a charter has a title".into());
        }
        if let Some(list) = get_obj(after, &ROOT, "versions", ObjType::List) {
            for v in list_maps(after, &list) {
                if let Some(extra) = after
                    .keys(&v)
                    .find(|k| !VERSION_FIELDS.contains(&k.as_str()))
                {
                    return bad(format!("a version has no field `{extra}`"));
                }
                if get_str(after, &v, "text").is_none_or(|t| t.trim().is_empty())
                    || get_i64(after, &v, "adopted_at").is_none()
                {
                    return bad("a version has its text and the day it was adopted".into());
                }
            }
        }
        if !w.creating {
            for t in w.touches {
                use automerge::Prop;
                let ok = match t.path.as_slice() {
                    [] => false,
                    [Prop::Map(k)] if k == "versions" => {
                        t.insert && t.creates.is_some() && !t.delete
                    }
                    [Prop::Map(k), Prop::Seq(_), ..] if k == "versions" => t.in_new_object,
                    _ => false,
                };
                if !ok {
                    return bad(
                        "an adopted version stays as it was; a change is a new version".into(),
                    );
                }
            }
        }
        Ok(())
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match field {
            "title" => TITLE_MAX,
            "text" => TEXT_MAX,
            "decision" => DECISION_MAX,
            "by_name" => NAME_MAX,
            "by" | "talk" | "item" => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "versions").then_some(VERSIONS_MAX)
    }

    const TIME_FIELDS: &'static [&'static str] = &["created_at", "adopted_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    /// Read by the whole community.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "text", "decision"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased staff member's name leaves the versions they recorded; the rules stay.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign(doc, "versions", person, false)
    }
}

#[cfg(test)]
mod tests;
