//! The HMAC key that signs session tokens, kept apart from the data: its own file,
//! `token.key` in the data directory, readable by the relay's user only (mode 0600).
//!
//! - Created on first start. A store written by an older version kept the key in the store
//!   (`relay/secret`): it moves into the file (so tokens already issued stay valid), and only
//!   once the file is on disk is it deleted from the store.
//! - Rotated with `--rotate-token-key`: a new key signs from then on; the previous one still
//!   verifies, so tokens it signed stay valid until they expire (an hour). A key older than
//!   the previous one is forgotten, so rotate at most once an hour.
//!
//! The file is two lines of text: `current <hex>` and, after a rotation, `previous <hex>`.

use std::io::Write;
use std::path::{Path, PathBuf};

use linli_shared::ids::{hex, unhex};
use linli_shared::store::{Store, StoreError, key};
use linli_shared::time::Millis;

use crate::identity::{self, IdentityError};

pub const KEY_FILE: &str = "token.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("token key file {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("token key file {0} is malformed")]
    Malformed(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The key that signs tokens and the one before it.
#[derive(Clone)]
pub struct TokenKeys {
    current: Vec<u8>,
    previous: Option<Vec<u8>>,
}

impl TokenKeys {
    pub fn new(current: Vec<u8>, previous: Option<Vec<u8>>) -> Self {
        Self { current, previous }
    }

    /// A token for a device, signed with the current key.
    pub fn issue(&self, device_id: &str, now: Millis) -> String {
        identity::issue_token(&self.current, device_id, now)
    }

    /// The device a token speaks for, if the current or the previous key signed it and it has
    /// not expired.
    pub fn check(&self, token: &str, now: Millis) -> Result<String, IdentityError> {
        identity::check_token(&self.current, token, now).or_else(|e| match &self.previous {
            Some(prev) => identity::check_token(prev, token, now),
            None => Err(e),
        })
    }

    /// A sign-in challenge for a device: a nonce, its expiry, and a tag over both and the
    /// device (so the relay recognises its own challenges without remembering them).
    pub fn make_challenge(&self, device: &str, nonce: [u8; 16], expires_at: Millis) -> Vec<u8> {
        let mut c = nonce.to_vec();
        c.extend_from_slice(&expires_at.to_be_bytes());
        let tag = self.challenge_tag(device, &c);
        c.extend_from_slice(&tag);
        c
    }

    /// Whether this relay made `challenge` for `device` and it has not expired.
    pub fn challenge_valid(&self, device: &str, challenge: &[u8], now: Millis) -> bool {
        if challenge.len() != 16 + 8 + 16 {
            return false;
        }
        let (body, tag) = challenge.split_at(24);
        let mut expiry = [0u8; 8];
        expiry.copy_from_slice(&body[16..]);
        let fresh = Millis::from_be_bytes(expiry) > now;
        // Constant-time comparison of the tags.
        let diff = self
            .challenge_tag(device, body)
            .iter()
            .zip(tag)
            .fold(0u8, |d, (a, b)| d | (a ^ b));
        fresh && diff == 0
    }

    fn challenge_tag(&self, device: &str, body: &[u8]) -> [u8; 16] {
        use hmac::{Hmac, Mac};
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(&self.current).expect("HMAC takes any key length");
        mac.update(b"linli-challenge-v1:");
        mac.update(device.as_bytes());
        mac.update(b":");
        mac.update(body);
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&full[..16]);
        tag
    }

    fn encode(&self) -> String {
        let mut s = format!("current {}\n", hex(&self.current));
        if let Some(p) = &self.previous {
            s.push_str(&format!("previous {}\n", hex(p)));
        }
        s
    }

    fn decode(text: &str) -> Option<Self> {
        let mut current = None;
        let mut previous = None;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once(' ')?;
            let bytes = unhex(value.trim()).filter(|b| b.len() >= 32)?;
            match name {
                "current" => current = Some(bytes),
                "previous" => previous = Some(bytes),
                _ => return None,
            }
        }
        Some(Self {
            current: current?,
            previous,
        })
    }
}

fn fresh_key() -> Vec<u8> {
    let mut b = vec![0u8; 32];
    getrandom::fill(&mut b).expect("OS randomness");
    b
}

/// Writes the file whole (temporary file, fsync, rename), mode 0600.
fn write_file(path: &Path, keys: &TokenKeys) -> Result<(), KeyError> {
    let err = |e| KeyError::Io(path.to_path_buf(), e);
    let tmp = path.with_extension("key.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp).map_err(err)?;
    f.write_all(keys.encode().as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(err)?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Loads the token keys from the data directory, creating, migrating or rotating them.
pub fn load(dir: &Path, store: &mut impl Store, rotate: bool) -> Result<TokenKeys, KeyError> {
    let path = dir.join(KEY_FILE);
    let legacy_key = key(&["relay", "secret"]);
    let legacy = store.get(&legacy_key)?;
    let mut keys = match std::fs::read_to_string(&path) {
        Ok(text) => TokenKeys::decode(&text).ok_or_else(|| KeyError::Malformed(path.clone()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let keys = TokenKeys::new(legacy.clone().unwrap_or_else(fresh_key), None);
            write_file(&path, &keys)?;
            keys
        }
        Err(e) => return Err(KeyError::Io(path, e)),
    };
    if rotate {
        keys = TokenKeys::new(fresh_key(), Some(keys.current));
        write_file(&path, &keys)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| KeyError::Io(path.clone(), e))?;
    }
    // Only now that the file holds it does the key leave the store.
    if legacy.is_some() {
        store.delete(&legacy_key)?;
        store.commit()?;
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_the_previous_key_still_verifies() {
        let a = TokenKeys::new(vec![1; 32], None);
        let b = TokenKeys::decode(&a.encode()).unwrap();
        assert_eq!(b.current, a.current);
        let t = a.issue("dev", 0);
        let rotated = TokenKeys::new(vec![2; 32], Some(vec![1; 32]));
        assert_eq!(rotated.check(&t, 0).unwrap(), "dev");
        assert!(TokenKeys::new(vec![3; 32], None).check(&t, 0).is_err());
        assert!(TokenKeys::decode("current 00").is_none());
        let c = a.make_challenge("dev", [7; 16], 100);
        assert!(a.challenge_valid("dev", &c, 99));
        assert!(!a.challenge_valid("dev", &c, 100), "expired");
        assert!(!a.challenge_valid("other", &c, 99));
        assert!(!rotated.challenge_valid("dev", &c, 99), "another key");
        assert!(TokenKeys::decode("nonsense").is_none());
    }
}
