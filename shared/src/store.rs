//! The relay's storage contract: a sorted key/value store with staged writes and a durable
//! `commit`. One conformance suite ([`conformance`]) runs against every implementation.
//!
//! The relay core writes while it handles a batch of inputs and the runtime calls
//! [`Store::commit`] (fsync) before it delivers any reply that reflects those writes. That is
//! how "persist, then acknowledge" holds, and it gives group commit for free.

use std::collections::BTreeMap;

/// A storage failure. The relay treats every one as fatal for the batch at hand.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage I/O: {0}")]
    Io(String),
    #[error("storage is corrupt: {0}")]
    Corrupt(String),
}

/// A sorted byte-key store. Reads see staged (uncommitted) writes; `commit` makes them durable
/// in one atomic step; staged writes that were never committed vanish with a crash.
pub trait Store {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// All entries whose key starts with `prefix`, in key order.
    fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError>;
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError>;
    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError>;
    /// Deletes every key starting with `prefix`.
    fn delete_prefix(&mut self, prefix: &[u8]) -> Result<(), StoreError> {
        for (k, _) in self.scan_prefix(prefix)? {
            self.delete(&k)?;
        }
        Ok(())
    }
    /// Makes every staged write durable (for an on-disk store: fsync) atomically.
    fn commit(&mut self) -> Result<(), StoreError>;
    /// Whether writes are staged and not yet committed.
    fn is_dirty(&self) -> bool;
}

/// Key/value pairs, in key order.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Builds a key from `/`-separated parts: `key(&["doc", id, "snap"])`.
pub fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("/").into_bytes()
}

/// Staged writes over a committed map: the overlay every implementation here shares.
#[derive(Debug, Default, Clone)]
pub struct Staged {
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl Staged {
    pub fn get(&self, key: &[u8]) -> Option<Option<&Vec<u8>>> {
        self.writes.get(key).map(Option::as_ref)
    }
    pub fn put(&mut self, key: &[u8], value: &[u8]) {
        self.writes.insert(key.to_vec(), Some(value.to_vec()));
    }
    pub fn delete(&mut self, key: &[u8]) {
        self.writes.insert(key.to_vec(), None);
    }
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
    pub fn take(&mut self) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        std::mem::take(&mut self.writes)
    }
    /// Merges staged writes over `committed` entries under a prefix.
    pub fn overlay(&self, prefix: &[u8], committed: Entries) -> Entries {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = committed.into_iter().collect();
        for (k, v) in self
            .writes
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
        {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        merged.into_iter().collect()
    }
}

/// An in-memory store for tests and simulations. [`MemStore::crash`] drops what was not
/// committed, as a power cut would.
#[derive(Debug, Default, Clone)]
pub struct MemStore {
    committed: BTreeMap<Vec<u8>, Vec<u8>>,
    staged: Staged,
    /// How many commits happened (tests assert group commit).
    pub commits: u64,
}

impl MemStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Loses every staged write.
    pub fn crash(&mut self) {
        self.staged = Staged::default();
    }

    /// Total bytes of committed values.
    pub fn committed_bytes(&self) -> usize {
        self.committed.values().map(Vec::len).sum()
    }
}

impl Store for MemStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(match self.staged.get(key) {
            Some(v) => v.cloned(),
            None => self.committed.get(key).cloned(),
        })
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError> {
        let committed = self
            .committed
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
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
        for (k, v) in self.staged.take() {
            match v {
                Some(v) => self.committed.insert(k, v),
                None => self.committed.remove(&k),
            };
        }
        self.commits += 1;
        Ok(())
    }

    fn is_dirty(&self) -> bool {
        !self.staged.is_empty()
    }
}

/// The conformance suite every [`Store`] must pass. `open` returns a store over the same
/// underlying data each time it is called (for an on-disk store: reopen the same directory);
/// the previous handle is dropped first, without commit, as a crash would.
///
/// Always compiled (it is small, and a binary that never calls it links none of it): a
/// feature that only the tests turned on made `cargo test` and `cargo build` compile this
/// crate, and everything above it, twice.
pub mod conformance {
    use super::*;

    pub fn run<S: Store>(mut open: impl FnMut() -> S) {
        read_your_writes(open());
        commit_survives_reopen_and_staged_does_not(&mut open);
        scan_prefix_is_sorted_and_bounded(open());
        delete_prefix_removes_only_that_prefix(&mut open);
        empty_values_and_binary_keys(&mut open);
    }

    fn read_your_writes<S: Store>(mut s: S) {
        s.put(b"a/1", b"one").unwrap();
        assert_eq!(s.get(b"a/1").unwrap().as_deref(), Some(&b"one"[..]));
        assert!(s.is_dirty());
        s.delete(b"a/1").unwrap();
        assert_eq!(s.get(b"a/1").unwrap(), None);
        s.commit().unwrap();
        assert!(!s.is_dirty());
    }

    fn commit_survives_reopen_and_staged_does_not<S: Store>(open: &mut impl FnMut() -> S) {
        {
            let mut s = open();
            s.put(b"durable/k", b"v1").unwrap();
            s.commit().unwrap();
            s.put(b"durable/k", b"v2").unwrap();
            s.put(b"durable/lost", b"x").unwrap();
            // dropped without commit
        }
        let s = open();
        assert_eq!(s.get(b"durable/k").unwrap().as_deref(), Some(&b"v1"[..]));
        assert_eq!(s.get(b"durable/lost").unwrap(), None);
    }

    fn scan_prefix_is_sorted_and_bounded<S: Store>(mut s: S) {
        for k in ["p/b", "p/a", "p/c", "q/a", "o/z", "p"] {
            s.put(k.as_bytes(), k.as_bytes()).unwrap();
        }
        s.commit().unwrap();
        s.put(b"p/aa", b"staged").unwrap();
        s.delete(b"p/b").unwrap();
        let keys: Vec<_> = s
            .scan_prefix(b"p/")
            .unwrap()
            .into_iter()
            .map(|(k, _)| String::from_utf8(k).unwrap())
            .collect();
        assert_eq!(keys, ["p/a", "p/aa", "p/c"]);
        s.commit().unwrap();
    }

    fn delete_prefix_removes_only_that_prefix<S: Store>(open: &mut impl FnMut() -> S) {
        let mut s = open();
        for k in ["d/1/x", "d/1/y", "d/10/x", "d/2/x"] {
            s.put(k.as_bytes(), b"v").unwrap();
        }
        s.commit().unwrap();
        s.delete_prefix(b"d/1/").unwrap();
        s.commit().unwrap();
        drop(s);
        let s = open();
        let left: Vec<_> = s
            .scan_prefix(b"d/")
            .unwrap()
            .into_iter()
            .map(|(k, _)| String::from_utf8(k).unwrap())
            .collect();
        assert_eq!(left, ["d/10/x", "d/2/x"]);
    }

    fn empty_values_and_binary_keys<S: Store>(open: &mut impl FnMut() -> S) {
        let mut s = open();
        let k = [0u8, 255, 10, 47];
        s.put(&k, b"").unwrap();
        s.put(b"big", &vec![7u8; 1 << 20]).unwrap();
        s.commit().unwrap();
        drop(s);
        let s = open();
        assert_eq!(s.get(&k).unwrap().as_deref(), Some(&b""[..]));
        assert_eq!(s.get(b"big").unwrap().map(|v| v.len()), Some(1 << 20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A MemStore whose committed state outlives each handle, like files on disk.
    struct Shared(Rc<RefCell<MemStore>>);

    impl Store for Shared {
        fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
            self.0.borrow().get(key)
        }
        fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError> {
            self.0.borrow().scan_prefix(prefix)
        }
        fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
            self.0.borrow_mut().put(key, value)
        }
        fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
            self.0.borrow_mut().delete(key)
        }
        fn commit(&mut self) -> Result<(), StoreError> {
            self.0.borrow_mut().commit()
        }
        fn is_dirty(&self) -> bool {
            self.0.borrow().is_dirty()
        }
    }

    impl Drop for Shared {
        fn drop(&mut self) {
            self.0.borrow_mut().crash();
        }
    }

    #[test]
    fn mem_store_passes_the_conformance_suite() {
        let data = Rc::new(RefCell::new(MemStore::new()));
        conformance::run(|| Shared(data.clone()));
    }
}
