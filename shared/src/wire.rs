//! automerge-repo's wire protocol (version "1"): one CBOR map per binary WebSocket frame.
//!
//! Standard messages: `join`, `peer`, `error`, `request`, `sync`, `doc-unavailable`,
//! `ephemeral`, `remote-subscription-change`, `remote-heads-changed`. Linli adds a few
//! messages of its own, all typed `linli-*`; the relay sends them only to peers that announce
//! `linli` in their metadata, so a standard automerge-repo client never sees one.
//!
//! Decoding is total: any byte string gives a [`Message`] or a [`WireError`], never a panic
//! (fuzzed: `fuzz/fuzz_targets/wire_decode.rs`, replayed by `tests/wire_corpus.rs`).

use std::collections::BTreeMap;

use ciborium::Value;

use crate::ids::{DocumentId, PeerId, StorageId};

/// The only protocol version automerge-repo 2.x speaks.
pub const PROTOCOL_V1: &str = "1";

/// Deepest nesting a decoder accepts (standard messages need 3).
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WireError {
    #[error("not valid CBOR: {0}")]
    Cbor(String),
    #[error("message is not a CBOR map")]
    NotAMap,
    #[error("message nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("field `{0}` is missing")]
    Missing(&'static str),
    #[error("field `{0}` has the wrong type")]
    WrongType(&'static str),
    #[error("bad document id: {0}")]
    DocumentId(String),
}

/// What a peer says about itself in `join` and `peer`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    pub storage_id: Option<StorageId>,
    pub is_ephemeral: bool,
    /// Linli's own capability marker and details (absent for a standard client).
    pub linli: Option<LinliMeta>,
}

/// What Linli peers add to the metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinliMeta {
    /// Version of Linli's extensions the peer speaks.
    pub version: u64,
    /// The relay's clock when it answered (ms since the epoch), so devices can see their skew.
    pub now: Option<i64>,
}

/// The reason of a `linli-forget` for a document whose history erasure rewrote: the device
/// drops its copy and is sent the new one at once.
pub const FORGET_REWRITTEN: &str = "rewritten after an erasure";

/// One message on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Join {
        sender_id: PeerId,
        supported_protocol_versions: Vec<String>,
        metadata: PeerMetadata,
    },
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        selected_protocol_version: String,
        metadata: PeerMetadata,
    },
    Error {
        sender_id: Option<PeerId>,
        target_id: Option<PeerId>,
        message: String,
    },
    /// "I do not have this document; sync it to me." `data` is an automerge sync message.
    Request {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    Sync {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    /// Ephemeral broadcast (presence, cursors). Linli's relay does not forward these.
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    /// The relay refused changes (Linli only): which, why, and the relay's heads.
    Rejected {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        changes: Vec<String>,
        reason: String,
        code: String,
    },
    /// The device must drop this document (Linli only): erased, no longer entitled, or its
    /// history rewritten ([`FORGET_REWRITTEN`]: the new one follows).
    Forget {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        reason: String,
    },
    /// Any message type this side does not handle (`remote-heads-changed`, a newer type):
    /// ignored, not an error.
    Other { type_: String },
}

impl Message {
    pub fn type_name(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Error { .. } => "error",
            Message::Request { .. } => "request",
            Message::Sync { .. } => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::Rejected { .. } => "linli-rejected",
            Message::Forget { .. } => "linli-forget",
            Message::Other { type_ } => type_,
        }
    }

    pub fn document_id(&self) -> Option<DocumentId> {
        match self {
            Message::Request { document_id, .. }
            | Message::Sync { document_id, .. }
            | Message::DocUnavailable { document_id, .. }
            | Message::Ephemeral { document_id, .. }
            | Message::Rejected { document_id, .. }
            | Message::Forget { document_id, .. } => Some(*document_id),
            _ => None,
        }
    }

    /// CBOR bytes for one binary frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut m: Vec<(Value, Value)> = Vec::with_capacity(6);
        let mut put = |k: &str, v: Value| m.push((Value::Text(k.to_string()), v));
        put("type", Value::Text(self.type_name().to_string()));
        match self {
            Message::Join {
                sender_id,
                supported_protocol_versions,
                metadata,
            } => {
                put("senderId", text(sender_id));
                put(
                    "supportedProtocolVersions",
                    Value::Array(supported_protocol_versions.iter().map(text).collect()),
                );
                put("peerMetadata", metadata_value(metadata));
            }
            Message::Peer {
                sender_id,
                target_id,
                selected_protocol_version,
                metadata,
            } => {
                put("senderId", text(sender_id));
                put("targetId", text(target_id));
                put("selectedProtocolVersion", text(selected_protocol_version));
                put("peerMetadata", metadata_value(metadata));
            }
            Message::Error {
                sender_id,
                target_id,
                message,
            } => {
                if let Some(s) = sender_id {
                    put("senderId", text(s));
                }
                if let Some(t) = target_id {
                    put("targetId", text(t));
                }
                put("message", text(message));
            }
            Message::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
            | Message::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            } => {
                put("senderId", text(sender_id));
                put("targetId", text(target_id));
                put("documentId", Value::Text(document_id.to_string()));
                put("data", Value::Bytes(data.clone()));
            }
            Message::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            }
            | Message::Ephemeral {
                sender_id,
                target_id,
                document_id,
            } => {
                put("senderId", text(sender_id));
                put("targetId", text(target_id));
                put("documentId", Value::Text(document_id.to_string()));
            }
            Message::Rejected {
                sender_id,
                target_id,
                document_id,
                changes,
                reason,
                code,
            } => {
                put("senderId", text(sender_id));
                put("targetId", text(target_id));
                put("documentId", Value::Text(document_id.to_string()));
                put("changes", Value::Array(changes.iter().map(text).collect()));
                put("reason", text(reason));
                put("code", text(code));
            }
            Message::Forget {
                sender_id,
                target_id,
                document_id,
                reason,
            } => {
                put("senderId", text(sender_id));
                put("targetId", text(target_id));
                put("documentId", Value::Text(document_id.to_string()));
                put("reason", text(reason));
            }
            Message::Other { .. } => {}
        }
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = ciborium::into_writer(&Value::Map(m), &mut out);
        out
    }

    /// Parses one frame. Unknown fields are ignored; unknown message types give `Other`.
    pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
        let value: Value = ciborium::de::from_reader_with_recursion_limit(bytes, MAX_DEPTH)
            .map_err(|e| match e {
                ciborium::de::Error::RecursionLimitExceeded => WireError::TooDeep,
                other => WireError::Cbor(other.to_string()),
            })?;
        let Value::Map(entries) = value else {
            return Err(WireError::NotAMap);
        };
        let f = Fields::new(entries);
        let type_ = f.text("type")?;
        Ok(match type_.as_str() {
            "join" => Message::Join {
                sender_id: f.text("senderId")?,
                supported_protocol_versions: f.texts_opt("supportedProtocolVersions")?,
                metadata: f.metadata()?,
            },
            "peer" => Message::Peer {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                selected_protocol_version: f.text("selectedProtocolVersion")?,
                metadata: f.metadata()?,
            },
            "error" => Message::Error {
                sender_id: f.text_opt("senderId")?,
                target_id: f.text_opt("targetId")?,
                message: f.text_opt("message")?.unwrap_or_default(),
            },
            "request" => Message::Request {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                document_id: f.doc_id()?,
                data: f.bytes("data")?,
            },
            "sync" => Message::Sync {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                document_id: f.doc_id()?,
                data: f.bytes("data")?,
            },
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                document_id: f.doc_id()?,
            },
            "ephemeral" => Message::Ephemeral {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                document_id: f.doc_id()?,
            },
            "linli-rejected" => Message::Rejected {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                document_id: f.doc_id()?,
                changes: f.texts_opt("changes")?,
                reason: f.text_opt("reason")?.unwrap_or_default(),
                code: f.text_opt("code")?.unwrap_or_default(),
            },
            "linli-forget" => Message::Forget {
                sender_id: f.text("senderId")?,
                target_id: f.text("targetId")?,
                document_id: f.doc_id()?,
                reason: f.text_opt("reason")?.unwrap_or_default(),
            },
            _ => Message::Other { type_ },
        })
    }
}

/// Whether an automerge sync message's bloom filters are ones automerge can use safely.
///
/// automerge 0.12 trusts a received filter's parameters: zero bits per entry makes it divide by
/// zero, and a huge probe count makes it allocate gigabytes, when it later builds a reply. Real
/// filters use 10 bits per entry and 7 probes. (Found by fuzzing the relay.)
pub fn sync_message_is_sane(m: &automerge::sync::Message) -> bool {
    m.have.iter().all(|h| {
        let bytes = h.bloom.to_bytes();
        if bytes.is_empty() {
            return true; // an empty filter
        }
        let mut fields = [0u64; 3];
        let mut rest = bytes.as_slice();
        for f in &mut fields {
            match leb128_u64(rest) {
                Some((v, r)) => {
                    *f = v;
                    rest = r;
                }
                None => return false,
            }
        }
        let [entries, bits_per_entry, probes] = fields;
        entries == 0
            || ((1..=64).contains(&bits_per_entry)
                && (1..=64).contains(&probes)
                && !rest.is_empty())
    })
}

fn leb128_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut v: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((v, &bytes[i + 1..]));
        }
    }
    None
}

fn text(s: impl AsRef<str>) -> Value {
    Value::Text(s.as_ref().to_string())
}

fn metadata_value(m: &PeerMetadata) -> Value {
    let mut out = Vec::new();
    if let Some(s) = &m.storage_id {
        out.push((Value::Text("storageId".into()), Value::Text(s.clone())));
    }
    out.push((
        Value::Text("isEphemeral".into()),
        Value::Bool(m.is_ephemeral),
    ));
    if let Some(l) = &m.linli {
        let mut lm = vec![(
            Value::Text("version".into()),
            Value::Integer(l.version.into()),
        )];
        if let Some(now) = l.now {
            lm.push((Value::Text("now".into()), Value::Integer(now.into())));
        }
        out.push((Value::Text("linli".into()), Value::Map(lm)));
    }
    Value::Map(out)
}

/// A decoded CBOR map's text-keyed fields. Absent, `null` and `undefined` (which cbor-x writes
/// for a JS `undefined`, and ciborium reads as null) all read as absent.
struct Fields(BTreeMap<String, Value>);

impl Fields {
    fn new(entries: Vec<(Value, Value)>) -> Self {
        Fields(
            entries
                .into_iter()
                .filter_map(|(k, v)| match (k, v) {
                    (_, Value::Null) => None,
                    (Value::Text(k), v) => Some((k, v)),
                    _ => None,
                })
                .collect(),
        )
    }

    fn get(&self, k: &str) -> Option<&Value> {
        self.0.get(k)
    }

    fn text(&self, k: &'static str) -> Result<String, WireError> {
        self.text_opt(k)?.ok_or(WireError::Missing(k))
    }

    fn text_opt(&self, k: &'static str) -> Result<Option<String>, WireError> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.clone())),
            Some(_) => Err(WireError::WrongType(k)),
        }
    }

    fn texts_opt(&self, k: &'static str) -> Result<Vec<String>, WireError> {
        match self.get(k) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Text(s) => Ok(s.clone()),
                    _ => Err(WireError::WrongType(k)),
                })
                .collect(),
            Some(_) => Err(WireError::WrongType(k)),
        }
    }

    fn bytes(&self, k: &'static str) -> Result<Vec<u8>, WireError> {
        match self.get(k) {
            None => Err(WireError::Missing(k)),
            Some(v) => as_bytes(v).ok_or(WireError::WrongType(k)),
        }
    }

    fn doc_id(&self) -> Result<DocumentId, WireError> {
        let s = self.text("documentId")?;
        DocumentId::parse(&s).map_err(|e| WireError::DocumentId(e.to_string()))
    }

    fn metadata(&self) -> Result<PeerMetadata, WireError> {
        let Some(v) = self.get("peerMetadata") else {
            return Ok(PeerMetadata::default());
        };
        let Value::Map(entries) = v else {
            return Err(WireError::WrongType("peerMetadata"));
        };
        let m = Fields::new(entries.clone());
        let linli = match m.get("linli") {
            Some(Value::Map(l)) => {
                let l = Fields::new(l.clone());
                Some(LinliMeta {
                    version: l.get("version").and_then(as_u64).unwrap_or(0),
                    now: l
                        .get("now")
                        .and_then(as_u64)
                        .and_then(|n| i64::try_from(n).ok()),
                })
            }
            _ => None,
        };
        Ok(PeerMetadata {
            storage_id: m.text_opt("storageId")?,
            is_ephemeral: matches!(m.get("isEphemeral"), Some(Value::Bool(true))),
            linli,
        })
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Integer(i) => u64::try_from(*i).ok(),
        Value::Float(f) if *f >= 0.0 && f.fract() == 0.0 && *f < 1.8e19 => Some(*f as u64),
        _ => None,
    }
}

/// A byte string, or a typed array tag (64 = Uint8Array) around one, as cbor-x may write.
fn as_bytes(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::Bytes(b) => Some(b.clone()),
        Value::Tag(64, inner) => match inner.as_ref() {
            Value::Bytes(b) => Some(b.clone()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::SyncDoc;
    use proptest::prelude::*;

    fn doc() -> DocumentId {
        DocumentId::from_bytes([9; 16])
    }

    #[test]
    fn join_round_trips_with_linli_metadata() {
        let m = Message::Join {
            sender_id: "peer-a".into(),
            supported_protocol_versions: vec![PROTOCOL_V1.into()],
            metadata: PeerMetadata {
                storage_id: Some("store-1".into()),
                is_ephemeral: false,
                linli: Some(LinliMeta {
                    version: 1,
                    now: None,
                }),
            },
        };
        assert_eq!(Message::decode(&m.encode()).unwrap(), m);
    }

    #[test]
    fn unknown_message_type_is_other_not_error() {
        let bytes = {
            let mut out = Vec::new();
            let v = Value::Map(vec![(
                Value::Text("type".into()),
                Value::Text("remote-heads-changed".into()),
            )]);
            ciborium::into_writer(&v, &mut out).unwrap();
            out
        };
        assert_eq!(
            Message::decode(&bytes).unwrap(),
            Message::Other {
                type_: "remote-heads-changed".into()
            }
        );
    }

    #[test]
    fn missing_fields_and_wrong_types_are_errors() {
        let enc = |v: Value| {
            let mut out = Vec::new();
            ciborium::into_writer(&v, &mut out).unwrap();
            out
        };
        let t = |s: &str| Value::Text(s.into());
        assert_eq!(
            Message::decode(&enc(Value::Map(vec![(t("type"), t("sync"))]))),
            Err(WireError::Missing("senderId"))
        );
        assert_eq!(
            Message::decode(&enc(Value::Array(vec![]))),
            Err(WireError::NotAMap)
        );
        assert_eq!(
            Message::decode(&enc(Value::Map(vec![
                (t("type"), t("sync")),
                (t("senderId"), t("a")),
                (t("targetId"), t("b")),
                (t("documentId"), t(&doc().to_string())),
                (t("data"), t("not bytes")),
            ]))),
            Err(WireError::WrongType("data"))
        );
    }

    #[test]
    fn tagged_uint8array_data_is_accepted() {
        let t = |s: &str| Value::Text(s.into());
        let v = Value::Map(vec![
            (t("type"), t("sync")),
            (t("senderId"), t("a")),
            (t("targetId"), t("b")),
            (t("documentId"), t(&doc().to_string())),
            (
                t("data"),
                Value::Tag(64, Box::new(Value::Bytes(vec![1, 2]))),
            ),
        ]);
        let mut out = Vec::new();
        ciborium::into_writer(&v, &mut out).unwrap();
        assert!(matches!(Message::decode(&out), Ok(Message::Sync { data, .. }) if data == [1, 2]));
    }

    #[test]
    fn bloom_filters_with_zero_bits_or_absurd_probes_are_not_sane() {
        use automerge::sync;
        let good = automerge::Automerge::new().generate_sync_message(&mut sync::State::new());
        assert!(good.is_some_and(|m| sync_message_is_sane(&m)));
        // have = [ { last_sync: [], bloom: num_entries 1, bits/entry 0, probes 7 } ]
        let bad = [0x42, 0, 0, 1, 0, 3, 1, 0, 7, 0, 0];
        let m = sync::Message::decode(&bad).unwrap();
        assert!(!sync_message_is_sane(&m));
        let huge_probes = [
            0x42, 0, 0, 1, 0, 7, 1, 10, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xab, 0,
        ];
        if let Ok(m) = sync::Message::decode(&huge_probes) {
            assert!(!sync_message_is_sane(&m));
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let mut bytes = vec![0xa1, 0x64, b't', b'y', b'p', b'e'];
        bytes.extend(std::iter::repeat_n(0x81u8, 100_000));
        assert!(Message::decode(&bytes).is_err());
    }

    fn arb_message() -> impl Strategy<Value = Message> {
        let id = "[a-z0-9-]{1,20}";
        let doc = any::<[u8; 16]>().prop_map(DocumentId::from_bytes);
        let data = proptest::collection::vec(any::<u8>(), 0..200);
        prop_oneof![
            (id, id, doc.clone(), data.clone()).prop_map(|(s, t, d, data)| Message::Sync {
                sender_id: s,
                target_id: t,
                document_id: d,
                data
            }),
            (id, id, doc.clone(), data).prop_map(|(s, t, d, data)| Message::Request {
                sender_id: s,
                target_id: t,
                document_id: d,
                data
            }),
            (id, id, doc.clone()).prop_map(|(s, t, d)| Message::DocUnavailable {
                sender_id: s,
                target_id: t,
                document_id: d
            }),
            (id, id, ".{0,40}", proptest::option::of(any::<i64>())).prop_map(|(s, t, v, now)| {
                Message::Peer {
                    sender_id: s,
                    target_id: t,
                    selected_protocol_version: v,
                    metadata: PeerMetadata {
                        storage_id: None,
                        is_ephemeral: true,
                        linli: now.map(|n| LinliMeta {
                            version: 1,
                            now: Some(n.max(0)),
                        }),
                    },
                }
            }),
            (id, id, doc, ".{0,40}", ".{0,10}").prop_map(|(s, t, d, r, c)| Message::Rejected {
                sender_id: s,
                target_id: t,
                document_id: d,
                changes: vec![r.clone()],
                reason: r,
                code: c
            }),
        ]
    }

    proptest! {
        #[test]
        fn every_message_round_trips(m in arb_message()) {
            prop_assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = Message::decode(&bytes);
        }
    }
}
