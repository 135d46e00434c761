//! People, devices, invites and session tokens: the relay's own records (not CRDT documents,
//! because only the relay may decide them). They live in the same store as the documents, so
//! they are committed by the same group commit.
//!
//! - A **person** has a role, a household and/or grids, and (usually) a person document
//!   holding their personal data.
//! - A **device** belongs to one person and holds a P-256 key pair made in the browser
//!   (WebCrypto, non-extractable). Its 12-byte id is also the prefix of every automerge actor id
//!   it may write with, so the relay can tell who wrote each change.
//! - An **invite** (8 characters, no look-alikes) enrols one device for one person, once,
//!   before it expires. Demo invites may be reused.
//! - A **token** proves, for one hour, that a connection speaks for a device: the device signs
//!   a fresh challenge with its key, the relay answers with an HMAC-signed token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use linli_shared::ids::{hex, unhex};
use linli_shared::policy::{Principal, Role};
use linli_shared::store::{Store, StoreError, key};
use linli_shared::time::{HOUR, Millis};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Invite codes use digits and capitals without 0/O, 1/I/L: easy to read out loud.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 8;
/// A token lives this long; the app fetches a new one when it reconnects.
pub const TOKEN_LIFETIME: Millis = HOUR;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("no such invite")]
    UnknownInvite,
    #[error("the invite has expired")]
    InviteExpired,
    #[error("the invite was already used")]
    InviteUsed,
    #[error("the invite code is malformed")]
    MalformedCode,
    #[error("no such device")]
    UnknownDevice,
    #[error("this device was revoked")]
    Revoked,
    #[error("no such person")]
    UnknownPerson,
    #[error("this person's data was erased")]
    Erased,
    #[error("bad public key")]
    BadKey,
    #[error("bad signature")]
    BadSignature,
    #[error("bad or expired token")]
    BadToken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PersonRecord {
    pub id: String,
    pub role: Role,
    pub household: Option<String>,
    pub grids: Vec<String>,
    /// The person document (personal data), if any.
    pub person_doc: Option<String>,
    #[serde(default)]
    pub erased: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeviceRecord {
    /// 12 random bytes, hex; also the prefix of the device's actor ids.
    pub id: String,
    pub person: String,
    /// SEC1 uncompressed P-256 public key.
    pub public_key: Vec<u8>,
    pub label: String,
    pub created_at: Millis,
    pub revoked_at: Option<Millis>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Invite {
    pub code: String,
    pub person: String,
    pub expires_at: Millis,
    pub used_at: Option<Millis>,
    pub used_by: Option<String>,
    /// Demo invites can be redeemed any number of times.
    #[serde(default)]
    pub reusable: bool,
    pub created_by: String,
    pub created_at: Millis,
}

fn person_key(id: &str) -> Vec<u8> {
    key(&["id", "person", id])
}
fn device_key(id: &str) -> Vec<u8> {
    key(&["id", "device", id])
}
fn invite_key(code: &str) -> Vec<u8> {
    key(&["id", "invite", code])
}

fn get_json<T: for<'de> Deserialize<'de>>(
    store: &impl Store,
    k: &[u8],
) -> Result<Option<T>, StoreError> {
    match store.get(k)? {
        Some(v) => serde_json::from_slice(&v)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(e.to_string())),
        None => Ok(None),
    }
}

fn put_json<T: Serialize>(store: &mut impl Store, k: &[u8], v: &T) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(v).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store.put(k, &bytes)
}

/// Normalises what a person typed: upper case, look-alikes mapped, spaces and dashes dropped.
pub fn normalise_code(typed: &str) -> Result<String, IdentityError> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err(IdentityError::MalformedCode)
    }
}

/// An 8-character code from 8 random bytes.
pub fn code_from(random: [u8; 8]) -> String {
    random
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

pub fn put_person(store: &mut impl Store, p: &PersonRecord) -> Result<(), StoreError> {
    put_json(store, &person_key(&p.id), p)
}

pub fn person(store: &impl Store, id: &str) -> Result<Option<PersonRecord>, StoreError> {
    get_json(store, &person_key(id))
}

pub fn people(store: &impl Store) -> Result<Vec<PersonRecord>, StoreError> {
    Ok(store
        .scan_prefix(b"id/person/")?
        .into_iter()
        .filter_map(|(_, v)| serde_json::from_slice(&v).ok())
        .collect())
}

pub fn device(store: &impl Store, id: &str) -> Result<Option<DeviceRecord>, StoreError> {
    get_json(store, &device_key(id))
}

pub fn devices_of(store: &impl Store, person: &str) -> Result<Vec<DeviceRecord>, StoreError> {
    Ok(store
        .scan_prefix(b"id/device/")?
        .into_iter()
        .filter_map(|(_, v)| serde_json::from_slice::<DeviceRecord>(&v).ok())
        .filter(|d| d.person == person)
        .collect())
}

pub fn invite(store: &impl Store, code: &str) -> Result<Option<Invite>, StoreError> {
    get_json(store, &invite_key(code))
}

pub fn put_invite(store: &mut impl Store, inv: &Invite) -> Result<(), StoreError> {
    put_json(store, &invite_key(&inv.code), inv)
}

/// Enrols a device: checks the invite, records the device, uses the invite up.
pub fn redeem(
    store: &mut impl Store,
    now: Millis,
    typed_code: &str,
    device_id: [u8; 12],
    public_key: &[u8],
    label: &str,
) -> Result<(DeviceRecord, PersonRecord), IdentityError> {
    let code = normalise_code(typed_code)?;
    let mut inv = invite(store, &code)?.ok_or(IdentityError::UnknownInvite)?;
    if inv.used_at.is_some() && !inv.reusable {
        return Err(IdentityError::InviteUsed);
    }
    if now > inv.expires_at {
        return Err(IdentityError::InviteExpired);
    }
    VerifyingKey::from_sec1_bytes(public_key).map_err(|_| IdentityError::BadKey)?;
    let person = person(store, &inv.person)?.ok_or(IdentityError::UnknownPerson)?;
    if person.erased {
        return Err(IdentityError::Erased);
    }
    let dev = DeviceRecord {
        id: hex(&device_id),
        person: person.id.clone(),
        public_key: public_key.to_vec(),
        label: label.chars().take(60).collect(),
        created_at: now,
        revoked_at: None,
    };
    put_json(store, &device_key(&dev.id), &dev)?;
    inv.used_at = Some(now);
    inv.used_by = Some(dev.id.clone());
    put_invite(store, &inv)?;
    Ok((dev, person))
}

/// Marks a device revoked; its tokens stop working at once.
pub fn revoke(
    store: &mut impl Store,
    now: Millis,
    device_id: &str,
) -> Result<DeviceRecord, IdentityError> {
    let mut dev = device(store, device_id)?.ok_or(IdentityError::UnknownDevice)?;
    if dev.revoked_at.is_none() {
        dev.revoked_at = Some(now);
        put_json(store, &device_key(&dev.id), &dev)?;
    }
    Ok(dev)
}

/// The longest name a device may be given (characters).
pub const DEVICE_LABEL_MAX: usize = 40;

/// Gives a device a name people recognise ("奶奶的手机", "Android Pixel 7 · Chrome").
pub fn set_label(
    store: &mut impl Store,
    device_id: &str,
    label: &str,
) -> Result<DeviceRecord, IdentityError> {
    let mut dev = device(store, device_id)?.ok_or(IdentityError::UnknownDevice)?;
    dev.label = label.to_string();
    put_json(store, &device_key(&dev.id), &dev)?;
    Ok(dev)
}

/// Checks a device's signature over a challenge the relay issued.
pub fn verify_challenge(
    dev: &DeviceRecord,
    challenge: &[u8],
    signature: &[u8],
) -> Result<(), IdentityError> {
    let key = VerifyingKey::from_sec1_bytes(&dev.public_key).map_err(|_| IdentityError::BadKey)?;
    // WebCrypto signs ECDSA in IEEE P1363 form (r ‖ s, 64 bytes).
    let sig = Signature::from_slice(signature).map_err(|_| IdentityError::BadSignature)?;
    key.verify(&challenge_message(challenge), &sig)
        .map_err(|_| IdentityError::BadSignature)
}

/// What a device signs: a fixed prefix, so a signature made for Linli means nothing elsewhere.
pub fn challenge_message(challenge: &[u8]) -> Vec<u8> {
    let mut m = b"linli-auth-v1:".to_vec();
    m.extend_from_slice(challenge);
    m
}

/// Issues a token for a device until `now + TOKEN_LIFETIME`.
pub fn issue_token(secret: &[u8], device_id: &str, now: Millis) -> String {
    let body = format!("{device_id}.{}", now + TOKEN_LIFETIME);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body.as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("{body}.{}", B64.encode(tag))
}

/// The device id a token speaks for, if its signature holds and it has not expired.
pub fn check_token(secret: &[u8], token: &str, now: Millis) -> Result<String, IdentityError> {
    let mut parts = token.rsplitn(2, '.');
    let (Some(tag), Some(body)) = (parts.next(), parts.next()) else {
        return Err(IdentityError::BadToken);
    };
    let tag = B64.decode(tag).map_err(|_| IdentityError::BadToken)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body.as_bytes());
    mac.verify_slice(&tag)
        .map_err(|_| IdentityError::BadToken)?;
    let (device, expiry) = body.split_once('.').ok_or(IdentityError::BadToken)?;
    let expiry: Millis = expiry.parse().map_err(|_| IdentityError::BadToken)?;
    if now > expiry {
        return Err(IdentityError::BadToken);
    }
    Ok(device.to_string())
}

/// The principal a device speaks for, with its current rights.
pub fn principal_of(
    store: &impl Store,
    device_id: &str,
    consents: impl Fn(&str) -> Vec<String>,
) -> Result<(Principal, DeviceRecord), IdentityError> {
    let dev = device(store, device_id)?.ok_or(IdentityError::UnknownDevice)?;
    if dev.revoked_at.is_some() {
        return Err(IdentityError::Revoked);
    }
    let p = person(store, &dev.person)?.ok_or(IdentityError::UnknownPerson)?;
    if p.erased {
        return Err(IdentityError::Erased);
    }
    Ok((
        Principal {
            consents: if p.role == Role::Volunteer {
                consents(&p.id)
            } else {
                Vec::new()
            },
            person: p.id,
            role: p.role,
            household: p.household,
            grids: p.grids,
            // The relay fills it in from its directory when the connection opens.
            home_grid: None,
            name: None,
            team_grids: Vec::new(),
            party: None,
            actor_prefix: actor_prefix(&dev),
        },
        dev,
    ))
}

/// The device's actor-id prefix (its 12-byte id).
pub fn actor_prefix(dev: &DeviceRecord) -> Vec<u8> {
    unhex(&dev.id).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_avoid_look_alikes_and_typing_mistakes_are_forgiven() {
        let c = code_from([0, 1, 2, 3, 250, 251, 252, 253]);
        assert_eq!(c.len(), 8);
        assert!(!c.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalise_code("ab2c-d3ef").unwrap(), "AB2CD3EF");
        assert!(normalise_code("AB2CD3E").is_err());
        assert!(normalise_code("AB2CD3E!").is_err());
    }

    #[test]
    fn a_token_is_bound_to_its_secret_and_expires() {
        let t = issue_token(b"secret", "abc", 1_000);
        assert_eq!(check_token(b"secret", &t, 1_000).unwrap(), "abc");
        assert!(check_token(b"other", &t, 1_000).is_err());
        assert!(check_token(b"secret", &t, 1_000 + TOKEN_LIFETIME + 1).is_err());
        let forged = t.replace("abc", "abd");
        assert!(check_token(b"secret", &forged, 1_000).is_err());
    }
}
