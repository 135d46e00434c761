//! The embedded on-disk store: one redb file in the data directory.
//!
//! Writes are staged in memory ([`Staged`]) and applied in one redb write transaction by
//! [`Store::commit`], which redb makes durable (fsync) before returning. A crash before
//! `commit` loses exactly the staged writes: nothing the relay has acknowledged.

use std::path::Path;

use linli_shared::store::{Entries, Staged, Store, StoreError};
use redb::{Database, ReadableDatabase, TableDefinition};

const KV: TableDefinition<&[u8], &[u8]> = TableDefinition::new("kv");

pub struct RedbStore {
    db: Database,
    staged: Staged,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(e.to_string())
}

impl RedbStore {
    /// Opens (or creates) `linli.redb` in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(io)?;
        let db = Database::create(dir.join("linli.redb")).map_err(io)?;
        let tx = db.begin_write().map_err(io)?;
        tx.open_table(KV).map_err(io)?;
        tx.commit().map_err(io)?;
        Ok(Self {
            db,
            staged: Staged::default(),
        })
    }
}

impl Store for RedbStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(v) = self.staged.get(key) {
            return Ok(v.cloned());
        }
        let tx = self.db.begin_read().map_err(io)?;
        let table = tx.open_table(KV).map_err(io)?;
        Ok(table.get(key).map_err(io)?.map(|v| v.value().to_vec()))
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError> {
        let tx = self.db.begin_read().map_err(io)?;
        let table = tx.open_table(KV).map_err(io)?;
        let mut committed = Vec::new();
        for item in table.range(prefix..).map_err(io)? {
            let (k, v) = item.map_err(io)?;
            if !k.value().starts_with(prefix) {
                break;
            }
            committed.push((k.value().to_vec(), v.value().to_vec()));
        }
        Ok(self.staged.overlay(prefix, committed))
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.staged.put(key, value);
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
        self.staged.delete(key);
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let writes = self.staged.take();
        let tx = self.db.begin_write().map_err(io)?;
        {
            let mut table = tx.open_table(KV).map_err(io)?;
            for (k, v) in &writes {
                match v {
                    Some(v) => {
                        table.insert(k.as_slice(), v.as_slice()).map_err(io)?;
                    }
                    None => {
                        table.remove(k.as_slice()).map_err(io)?;
                    }
                }
            }
        }
        // redb's default durability is Immediate: commit returns after fsync.
        tx.commit().map_err(io)?;
        Ok(())
    }

    fn is_dirty(&self) -> bool {
        !self.staged.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redb_store_passes_the_conformance_suite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        linli_shared::store::conformance::run(|| RedbStore::open(&path).unwrap());
    }
}
