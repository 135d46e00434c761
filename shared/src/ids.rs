//! Identifiers that cross the wire: document ids (automerge-repo's base58check form),
//! peer ids and storage ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The prefix of an automerge URL: `automerge:<base58check document id>`.
pub const URL_PREFIX: &str = "automerge:";

/// A document id: 16 random bytes, written as base58check (as automerge-repo does).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdError {
    #[error("document id is not valid base58check: {0}")]
    Base58(String),
    #[error("document id must be 16 bytes, found {0}")]
    Length(usize),
}

impl DocumentId {
    /// A document id from 16 bytes of randomness the caller supplies (sans-IO: no RNG here).
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:` URL a JS automerge-repo client passes to `repo.find`.
    pub fn url(&self) -> String {
        format!("{URL_PREFIX}{self}")
    }

    /// Parses either a bare base58check id or an `automerge:` URL.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let bare = s.strip_prefix(URL_PREFIX).unwrap_or(s);
        let bytes = bs58::decode(bare)
            .with_check(None)
            .into_vec()
            .map_err(|e| IdError::Base58(e.to_string()))?;
        let arr: [u8; 16] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| IdError::Length(bytes.len()))?;
        Ok(Self(arr))
    }

    /// A short, human-friendly reference for a request card (`#3kF9qa`): not unique, not secret.
    pub fn short(&self) -> String {
        bs58::encode(&self.0[..5]).into_string()
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(&self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A peer's id on the wire (automerge-repo's `PeerId`): any string the peer picks per connection.
pub type PeerId = String;

/// A peer's storage id (automerge-repo's `StorageId`): stable for one store; a peer that
/// persists sync state keys it by the other side's storage id.
pub type StorageId = String;

/// Hex of bytes, lower case (change hashes, actor ids in logs and API payloads).
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Parses lower- or upper-case hex; `None` on odd length or a non-hex digit.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_match_automerge_repo_encoding() {
        // Worked examples checked against automerge-repo's bs58check encoding.
        let id = DocumentId::parse("automerge:3JX5KqEUHfxVFoAwcrU21sJJ1u3h").unwrap();
        assert_eq!(hex(id.as_bytes()), "a53cefeb6d9943af906990e9b68cd430");
        let bytes: [u8; 16] = unhex("00112233445566778899aabbccddeeff")
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(
            DocumentId::from_bytes(bytes).to_string(),
            "148vjpuxYXixb8DcbaWyeGv2q3u"
        );
    }

    #[test]
    fn corrupted_checksum_is_rejected() {
        let id = DocumentId::from_bytes([7; 16]).to_string();
        let mut chars: Vec<char> = id.chars().collect();
        chars[3] = if chars[3] == 'a' { 'b' } else { 'a' };
        let broken: String = chars.into_iter().collect();
        assert!(DocumentId::parse(&broken).is_err());
    }

    #[test]
    fn wrong_length_is_rejected() {
        let short = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(DocumentId::parse(&short), Err(IdError::Length(8)));
    }

    proptest! {
        #[test]
        fn document_id_round_trips(bytes in any::<[u8; 16]>()) {
            let id = DocumentId::from_bytes(bytes);
            prop_assert_eq!(DocumentId::parse(&id.to_string()).unwrap(), id);
            prop_assert_eq!(DocumentId::parse(&id.url()).unwrap(), id);
        }

        #[test]
        fn hex_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        }
    }
}
