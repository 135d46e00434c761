//! IndexedDB: the device's durable store.
//!
//! - `docs`: document id → the whole saved Automerge document (Uint8Array).
//! - `sync`: document id → the sync state with the relay: `[len][relay storage id][state]`.
//! - `meta`: small named values (the session, the device key pair, the storage id).
//! - `blobs`: photo content hash → bytes; `blobmeta`: hash → `{"doc": …, "uploaded": …}`.
//! - `index`: document id → what the views show of it (a JSON `Summary`) for what the first
//!   screen may show (open requests, the community, boards, consents); `archive`: the same for
//!   the rest (years of closed requests, people), read just after the first screen.
//!
//! - `drafts`: form key → what is typed in it, not yet sent (requests, details, answers…).
//!
//! A document, its sync state and its summary are written in one transaction, so a tab killed
//! mid-write leaves either the old ones or the new ones. That transaction asks for `strict`
//! durability (flushed to disk before `complete`), and [`save`] returns only after its
//! `complete` event: the app says "saved on this phone" only then. Drafts are written with the
//! browser's default durability: they must survive the browser being killed, which needs the
//! write handed to the operating system, not flushed through a power cut.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use indexed_db_futures::typed_array::Uint8Array as Bytes;
use wasm_bindgen::JsValue;

pub const DB_NAME: &str = "linli";
const DOCS: &str = "docs";
const SYNC: &str = "sync";
const META: &str = "meta";
const BLOBS: &str = "blobs";
const BLOBMETA: &str = "blobmeta";
const INDEX: &str = "index";
const ARCHIVE: &str = "archive";
const DRAFTS: &str = "drafts";

/// Where a document's summary is kept: read before the first screen, or just after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Index,
    Archive,
}

impl Shelf {
    fn store(self) -> &'static str {
        match self {
            Shelf::Index => INDEX,
            Shelf::Archive => ARCHIVE,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IdbError {
    #[error("storage is full on this phone")]
    Quota,
    #[error("storage: {0}")]
    Other(String),
}

impl From<indexed_db_futures::error::Error> for IdbError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        use indexed_db_futures::error::{DomException, Error};
        match &e {
            Error::DomException(DomException::Other(d)) if d.name() == "QuotaExceededError" => {
                IdbError::Quota
            }
            _ => IdbError::Other(e.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for IdbError {
    fn from(e: indexed_db_futures::error::OpenDbError) -> Self {
        IdbError::Other(e.to_string())
    }
}

pub async fn open() -> Result<Database, IdbError> {
    Ok(Database::open(DB_NAME)
        .with_version(5u32)
        .with_on_upgrade_needed(|event, db| {
            let old = event.old_version() as u32;
            if old < 1 {
                db.create_object_store(DOCS).build()?;
                db.create_object_store(SYNC).build()?;
                db.create_object_store(META).build()?;
            }
            if old < 2 {
                db.create_object_store(BLOBS).build()?;
                db.create_object_store(BLOBMETA).build()?;
            }
            if old < 3 {
                // Filled in as documents load or change (see `state::App::boot`).
                db.create_object_store(INDEX).build()?;
            }
            if old < 4 {
                db.create_object_store(ARCHIVE).build()?;
            }
            if old < 5 {
                db.create_object_store(DRAFTS).build()?;
            }
            Ok(())
        })
        .await?)
}

fn encode_sync(relay: &(String, Vec<u8>)) -> Vec<u8> {
    let sid = relay.0.as_bytes();
    let mut out = Vec::with_capacity(2 + sid.len() + relay.1.len());
    out.extend_from_slice(&(sid.len() as u16).to_be_bytes());
    out.extend_from_slice(sid);
    out.extend_from_slice(&relay.1);
    out
}

fn decode_sync(bytes: &[u8]) -> Option<(String, Vec<u8>)> {
    let n = usize::from(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]));
    let sid = String::from_utf8(bytes.get(2..2 + n)?.to_vec()).ok()?;
    Some((sid, bytes.get(2 + n..)?.to_vec()))
}

/// A document (its bytes, its summary as JSON and the shelf the summary goes on) and/or its
/// sync state with a relay, to write together.
pub struct Save {
    pub id: String,
    pub doc: Option<(Vec<u8>, String, Shelf)>,
    pub relay: Option<(String, Vec<u8>)>,
}

/// Writes one document (with its summary, on its shelf) and/or its sync state atomically.
pub async fn save(
    db: &Database,
    id: &str,
    doc: Option<(Vec<u8>, String, Shelf)>,
    relay: Option<(String, Vec<u8>)>,
) -> Result<(), IdbError> {
    let one = Save {
        id: id.to_owned(),
        doc,
        relay,
    };
    save_all(db, &[&one]).await
}

/// Writes documents (each with its summary, on its shelf) and/or their sync states in one
/// transaction: all or none. Returns once the transaction has completed.
pub async fn save_all(db: &Database, saves: &[&Save]) -> Result<(), IdbError> {
    let writes: Vec<Write<'_>> = saves.iter().map(|s| Write::Save(s)).collect();
    write_all(db, &writes).await
}

/// One write of a group commit ([`write_all`]).
pub enum Write<'a> {
    Save(&'a Save),
    /// The document, its summary and its sync state go.
    Delete(&'a str),
}

/// Every write in one transaction, in order: a document deleted and then received again (its
/// history rewritten) ends stored, one saved and then deleted ends gone.
pub async fn write_all(db: &Database, writes: &[Write<'_>]) -> Result<(), IdbError> {
    let tx = db
        .transaction([DOCS, SYNC, INDEX, ARCHIVE])
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    for write in writes {
        let save = match write {
            Write::Save(save) => save,
            Write::Delete(id) => {
                for store in [DOCS, SYNC, INDEX, ARCHIVE] {
                    tx.object_store(store)?.delete(*id).primitive()?.await?;
                }
                continue;
            }
        };
        let id = save.id.as_str();
        if let Some((bytes, summary, shelf)) = &save.doc {
            tx.object_store(DOCS)?
                .put(Bytes::from(bytes.clone()))
                .with_key(id.to_owned())
                .primitive()?
                .await?;
            for other in [Shelf::Index, Shelf::Archive] {
                if other != *shelf {
                    tx.object_store(other.store())?
                        .delete(id)
                        .primitive()?
                        .await?;
                }
            }
            tx.object_store(shelf.store())?
                .put(JsValue::from_str(summary))
                .with_key(id.to_owned())
                .primitive()?
                .await?;
        }
        if let Some(r) = &save.relay {
            tx.object_store(SYNC)?
                .put(Bytes::from(encode_sync(r)))
                .with_key(id.to_owned())
                .primitive()?
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Flushed to disk before the transaction completes, where the browser offers it.
fn strict() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Strict)
}

/// Every kept draft (form key → text).
pub async fn read_drafts(db: &Database) -> Result<Vec<(String, String)>, IdbError> {
    read_strings(db, DRAFTS).await
}

/// Writes drafts (`None`: delete it) in one transaction; returns after `complete`.
pub async fn write_drafts(
    db: &Database,
    drafts: &[(String, Option<String>)],
) -> Result<(), IdbError> {
    let tx = db
        .transaction(DRAFTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(DRAFTS)?;
    for (k, v) in drafts {
        match v {
            Some(v) => {
                store
                    .put(JsValue::from_str(v))
                    .with_key(k.clone())
                    .primitive()?
                    .await?;
            }
            None => store.delete(k.as_str()).primitive()?.await?,
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete(db: &Database, id: &str) -> Result<(), IdbError> {
    let tx = db
        .transaction([DOCS, SYNC, INDEX, ARCHIVE])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(DOCS)?.delete(id).primitive()?.await?;
    tx.object_store(SYNC)?.delete(id).primitive()?.await?;
    tx.object_store(INDEX)?.delete(id).primitive()?.await?;
    tx.object_store(ARCHIVE)?.delete(id).primitive()?.await?;
    tx.commit().await?;
    Ok(())
}

/// Every stored document with its sync state (two `getAll`s each way, not a cursor: a few
/// requests instead of thousands of round trips on the main thread).
pub async fn load_all(
    db: &Database,
) -> Result<Vec<(String, Vec<u8>, Option<(String, Vec<u8>)>)>, IdbError> {
    let tx = db.transaction([DOCS, SYNC]).build()?;
    let store = tx.object_store(SYNC)?;
    let keys: Vec<String> = store
        .get_all_keys()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let values: Vec<Bytes> = store
        .get_all()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let mut syncs: std::collections::HashMap<String, (String, Vec<u8>)> = keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k, decode_sync(&Vec::<u8>::from(v))?)))
        .collect();
    let store = tx.object_store(DOCS)?;
    let keys: Vec<String> = store
        .get_all_keys()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let values: Vec<Bytes> = store
        .get_all()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    Ok(keys
        .into_iter()
        .zip(values)
        .map(|(k, v)| {
            let relay = syncs.remove(&k);
            (k, v.into(), relay)
        })
        .collect())
}

/// Every summary on a shelf (document id → JSON).
pub async fn load_index(db: &Database, shelf: Shelf) -> Result<Vec<(String, String)>, IdbError> {
    read_strings(db, shelf.store()).await
}

/// Every (key, text) of a store whose values are strings: two `getAll`s, not a cursor.
async fn read_strings(db: &Database, name: &str) -> Result<Vec<(String, String)>, IdbError> {
    let tx = db.transaction(name).build()?;
    let store = tx.object_store(name)?;
    let keys: Vec<String> = store
        .get_all_keys()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = store
        .get_all()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k, v.as_string()?)))
        .collect())
}

/// Writes summaries computed for documents stored before there were summaries.
pub async fn put_index(
    db: &Database,
    entries: Vec<(String, String, Shelf)>,
) -> Result<(), IdbError> {
    let tx = db
        .transaction([INDEX, ARCHIVE])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    for (id, summary, shelf) in entries {
        tx.object_store(shelf.store())?
            .put(JsValue::from_str(&summary))
            .with_key(id)
            .primitive()?
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One stored document with its sync state (to open it before the rest have loaded).
pub async fn load_one(
    db: &Database,
    id: &str,
) -> Result<Option<(Vec<u8>, Option<(String, Vec<u8>)>)>, IdbError> {
    let tx = db.transaction([DOCS, SYNC]).build()?;
    let doc: Option<Bytes> = tx.object_store(DOCS)?.get(id).primitive()?.await?;
    let Some(doc) = doc else {
        return Ok(None);
    };
    let sync: Option<Bytes> = tx.object_store(SYNC)?.get(id).primitive()?.await?;
    let relay = sync.and_then(|b| decode_sync(&Vec::<u8>::from(b)));
    Ok(Some((doc.into(), relay)))
}

pub async fn meta_get(db: &Database, key: &str) -> Result<Option<JsValue>, IdbError> {
    let tx = db.transaction(META).build()?;
    let v: Option<JsValue> = tx.object_store(META)?.get(key).primitive()?.await?;
    Ok(v.filter(|v| !v.is_undefined()))
}

pub async fn meta_put(db: &Database, key: &str, value: &JsValue) -> Result<(), IdbError> {
    let tx = db
        .transaction(META)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(META)?
        .put(value.clone())
        .with_key(key.to_owned())
        .primitive()?
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes everything: the documents, the keys, the session (leaving this device).
pub async fn wipe(db: &Database) -> Result<(), IdbError> {
    let tx = db
        .transaction([DOCS, SYNC, META, BLOBS, BLOBMETA, INDEX, ARCHIVE, DRAFTS])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    for store in [DOCS, SYNC, META, BLOBS, BLOBMETA, INDEX, ARCHIVE, DRAFTS] {
        tx.object_store(store)?.clear()?.await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What the device knows about a stored photo.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlobMeta {
    /// The request that shows it (to upload it through, and to fetch it through).
    pub doc: Option<String>,
    /// The relay has it.
    pub uploaded: bool,
}

/// Stores a photo (and what is known of it) in one transaction.
pub async fn put_blob(
    db: &Database,
    hash: &str,
    bytes: &[u8],
    meta: &BlobMeta,
) -> Result<(), IdbError> {
    let tx = db
        .transaction([BLOBS, BLOBMETA])
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    tx.object_store(BLOBS)?
        .put(Bytes::from(bytes.to_vec()))
        .with_key(hash.to_owned())
        .primitive()?
        .await?;
    let json = serde_json::to_string(meta).unwrap_or_default();
    tx.object_store(BLOBMETA)?
        .put(JsValue::from_str(&json))
        .with_key(hash.to_owned())
        .primitive()?
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get_blob(db: &Database, hash: &str) -> Result<Option<Vec<u8>>, IdbError> {
    let tx = db.transaction(BLOBS).build()?;
    let v: Option<Bytes> = tx.object_store(BLOBS)?.get(hash).primitive()?.await?;
    Ok(v.map(Into::into))
}

pub async fn set_blob_meta(db: &Database, hash: &str, meta: &BlobMeta) -> Result<(), IdbError> {
    let tx = db
        .transaction(BLOBMETA)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let json = serde_json::to_string(meta).unwrap_or_default();
    tx.object_store(BLOBMETA)?
        .put(JsValue::from_str(&json))
        .with_key(hash.to_owned())
        .primitive()?
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Every photo's metadata (to find those still to upload).
pub async fn blob_metas(db: &Database) -> Result<Vec<(String, BlobMeta)>, IdbError> {
    let tx = db.transaction(BLOBMETA).build()?;
    let store = tx.object_store(BLOBMETA)?;
    let mut out = Vec::new();
    if let Some(mut c) = store.open_cursor().primitive()?.await? {
        while let Some(v) = c.next_record::<JsValue>().await? {
            if let (Some(k), Some(s)) = (c.key::<String>()?, v.as_string())
                && let Ok(m) = serde_json::from_str::<BlobMeta>(&s)
            {
                out.push((k, m));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn sync_records_round_trip() {
        let r = ("relay-1".to_string(), vec![1, 2, 3]);
        assert_eq!(decode_sync(&encode_sync(&r)), Some(r));
        assert_eq!(decode_sync(&[0]), None);
    }
}
