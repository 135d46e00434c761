//! The community's gallery of children's drawings: what residents see of them. The relay keeps
//! it from the drawings (their projection), one entry per drawing shown (keyed by a hash of the
//! drawing's id): the nickname, the age, what it proposes, the photo, the status and the works
//! it led to; never the guardian. Beside the entries, a tally of every drawing's status (no
//! content), so the register's count line ("已收集 126 幅，采纳 8 幅") is the same for everyone.
//! Nobody but the relay writes it.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use super::{Drawing, Status};
use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, map_keys};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

/// The one gallery's projection group.
pub const GROUP: &str = "community";

/// The key of a drawing's entry in the gallery: derived from the document id, so whoever holds
/// the drawing finds its entry, while the gallery reveals no document id.
pub fn gallery_key(id: &crate::ids::DocumentId) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::new()
        .chain_update(b"linli-drawing:")
        .chain_update(id.as_bytes())
        .finalize();
    crate::ids::hex(&d[..8])
}

/// One drawing as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GalleryEntry {
    pub key: String,
    pub nickname: String,
    pub age: i64,
    pub school: String,
    pub title: String,
    pub proposes: String,
    pub place: String,
    pub photo: Option<String>,
    pub status: Status,
    pub works: String,
    pub created_at: Millis,
}

/// The gallery as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Gallery {
    /// Newest first.
    pub entries: Vec<GalleryEntry>,
    /// Every drawing's status, shown or not (by key).
    pub tally: Vec<(String, Status)>,
}

impl Gallery {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::DrawingGallery)?;
        let mut entries = Vec::new();
        if let Some(map) = get_obj(doc, &ROOT, "entries", ObjType::Map) {
            for key in map_keys(doc, &map) {
                let Some(e) = get_obj(doc, &map, &key, ObjType::Map) else {
                    continue;
                };
                let s = |k: &str| get_str(doc, &e, k).unwrap_or_default();
                entries.push(GalleryEntry {
                    nickname: s("nickname"),
                    age: get_i64(doc, &e, "age").unwrap_or(0),
                    school: s("school"),
                    title: s("title"),
                    proposes: s("proposes"),
                    place: s("place"),
                    photo: get_str(doc, &e, "photo").filter(|p| !p.is_empty()),
                    status: get_str(doc, &e, "status")
                        .and_then(|c| Status::parse(&c))
                        .unwrap_or(Status::Collected),
                    works: s("works"),
                    created_at: get_i64(doc, &e, "created_at").unwrap_or(0),
                    key,
                });
            }
        }
        entries.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.key.cmp(&b.key)));
        let tally = get_obj(doc, &ROOT, "tally", ObjType::Map)
            .map(|t| {
                map_keys(doc, &t)
                    .into_iter()
                    .filter_map(|k| {
                        let s = Status::parse(&get_str(doc, &t, &k)?)?;
                        Some((k, s))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Gallery { entries, tally })
    }

    /// (collected, adopted): every drawing, and those taken into the plan.
    pub fn counts(&self) -> (usize, usize) {
        let adopted = self
            .tally
            .iter()
            .filter(|(_, s)| *s == Status::Adopted)
            .count();
        (self.tally.len(), adopted)
    }
}

/// Creates the empty gallery.
pub fn create(doc: &mut Automerge) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("drawing_gallery"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::DrawingGallery.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put_object(ROOT, "entries", ObjType::Map)?;
        tx.put_object(ROOT, "tally", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Brings a drawing's entry and tally up to date (the relay does this after every change to
/// a drawing): an entry while it is shown, none otherwise; no tally for an erased drawing
/// (`None`: it no longer reads as one).
pub fn update(
    doc: &mut Automerge,
    key: &str,
    drawing: Option<&Drawing>,
    _now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::DrawingGallery)?;
    let entries =
        get_obj(doc, &ROOT, "entries", ObjType::Map).ok_or(ModelError::Malformed("entries"))?;
    let tally = get_obj(doc, &ROOT, "tally", ObjType::Map).ok_or(ModelError::Malformed("tally"))?;
    let existing = get_obj(doc, &entries, key, ObjType::Map);
    let counted = get_str(doc, &tally, key);
    let shown = drawing.filter(|d| d.public());
    let fields = |d: &Drawing| -> Vec<(&'static str, String)> {
        vec![
            ("nickname", d.nickname.clone()),
            ("school", d.school.clone()),
            ("title", d.title.clone()),
            ("proposes", d.proposes.clone()),
            ("place", d.place.clone()),
            ("photo", d.photo.clone().unwrap_or_default()),
            ("status", d.status.as_str().to_string()),
            ("works", d.works.clone()),
        ]
    };
    let same_entry = match (&existing, shown) {
        (None, None) => true,
        (Some(e), Some(d)) => {
            fields(d)
                .iter()
                .all(|(k, v)| get_str(doc, e, k).unwrap_or_default() == *v)
                && get_i64(doc, e, "age") == Some(d.age)
        }
        _ => false,
    };
    let same_tally = counted.as_deref() == drawing.map(|d| d.status.as_str());
    if same_entry && same_tally {
        return Ok(());
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if !same_tally {
            match drawing {
                Some(d) => tx.put(&tally, key, d.status.as_str())?,
                None => tx.delete(&tally, key)?,
            }
        }
        if !same_entry {
            match shown {
                None => tx.delete(&entries, key)?,
                Some(d) => {
                    let e = match &existing {
                        Some(e) => e.clone(),
                        None => tx.put_object(&entries, key, ObjType::Map)?,
                    };
                    for (k, v) in fields(d) {
                        tx.put(&e, k, v)?;
                    }
                    tx.put(&e, "age", d.age)?;
                    tx.put(&e, "created_at", d.created_at)?;
                }
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The gallery kind in the registry.
pub struct GalleryKind;

impl DocType for GalleryKind {
    const NAME: &'static str = "drawing_gallery";
    type Summary = Gallery;
    /// Nobody but the relay writes it: no command does anything.
    type Command = GalleryCommand;

    fn apply(_doc: &mut Automerge, _c: &GalleryCommand, _now: Millis) -> Result<(), ModelError> {
        Err(ModelError::Malformed("the gallery is the relay's"))
    }

    fn summarise(doc: &Automerge) -> Option<Gallery> {
        Gallery::read(doc).ok()
    }

    /// Everyone in the community: it holds only what guardians agreed to show.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(_w: &Write<'_>) -> Verdict {
        Err((RefusalCode::NotAllowed, "the gallery is the relay's".into()))
    }

    /// Staff do not write it either: it follows the drawings.
    fn check_everyone(_w: &Write<'_>) -> Verdict {
        Err((RefusalCode::NotAllowed, "the gallery is the relay's".into()))
    }

    fn photos(doc: &Automerge) -> Vec<String> {
        Gallery::read(doc)
            .map(|g| g.entries.into_iter().filter_map(|e| e.photo).collect())
            .unwrap_or_default()
    }

    /// A shown drawing's picture: uploaded for that drawing, and its entry shows it.
    fn shows_photo_of(
        doc: &Automerge,
        hash: &str,
        source: &crate::ids::DocumentId,
        source_kind: crate::domain::DocKind,
    ) -> bool {
        if source_kind != crate::domain::DocKind::Drawing {
            return false;
        }
        let key = gallery_key(source);
        Gallery::read(doc).is_ok_and(|g| {
            g.entries
                .iter()
                .any(|e| e.key == key && e.photo.as_deref() == Some(hash))
        })
    }

    fn projection_group(_scope: &Scope) -> Option<String> {
        Some(GROUP.into())
    }
}

/// No command writes the gallery (the type the registry needs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GalleryCommand {}
