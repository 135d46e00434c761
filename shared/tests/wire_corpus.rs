//! Replays the fuzzing corpora and every crasher ever found: each input gives a message or an
//! error, never a panic, and the relay core answers any frame sequence without panicking.
//!
//! - `fuzz/corpus/wire_decode/`, `fuzz/corpus/relay_frames/`: seeds and what cargo-fuzz kept.
//! - `shared/tests/fuzz-crashers/`: inputs that once crashed something (or were written as
//!   hostile cases); they stay here for good.
//!
//! `cargo test -p linli-shared --test wire_corpus -- --ignored write_seed_corpus` rewrites the
//! seeds.

use std::fs;
use std::path::{Path, PathBuf};

use linli_shared::automerge::sync::{self, SyncDoc};
use linli_shared::automerge::{ActorId, Automerge};
use linli_shared::domain::requests::{Colour, Filing, RequestDraft};
use linli_shared::ids::DocumentId;
use linli_shared::policy::{Principal, Role};
use linli_shared::relay::{Input, Relay, RelayConfig};
use linli_shared::store::MemStore;
use linli_shared::wire::{LinliMeta, Message, PeerMetadata, WireError};

fn dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn files(rel: &str) -> Files {
    let Ok(entries) = fs::read_dir(dir(rel)) else {
        return Vec::new();
    };
    let mut out: Files = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == 0xFF && data[i + 1] == 0xFE {
            out.push(&data[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}

/// Quotas so small that a few frames spend them: the corpus also walks the refusal paths of
/// the day's new documents and bytes of changes.
fn tight() -> RelayConfig {
    RelayConfig {
        max_new_docs_per_person_per_day: 2,
        max_new_docs_per_device_per_day: 1,
        max_change_bytes_per_person_per_day: 4_096,
        max_change_bytes_per_device_per_day: 2_048,
        max_docs_per_conn: 4,
        ..RelayConfig::default()
    }
}

fn relay_replay(data: &[u8]) {
    relay_replay_with(RelayConfig::default(), data);
    relay_replay_with(tight(), data);
}

fn relay_replay_with(config: RelayConfig, data: &[u8]) {
    let mut store = MemStore::new();
    let mut relay = Relay::open(&mut store, config, [7; 16]).unwrap();
    let principal = Principal {
        person: "p-staff".into(),
        role: Role::Staff,
        household: None,
        grids: vec![],
        consents: vec![],
        home_grid: None,
        name: None,
        team_grids: Vec::new(),
        party: None,
        actor_prefix: vec![],
    };
    relay
        .handle(&mut store, 0, Input::Opened { conn: 1, principal })
        .unwrap();
    relay
        .handle(
            &mut store,
            1,
            Input::Frame {
                conn: 1,
                bytes: join().encode(),
            },
        )
        .unwrap();
    for (i, frame) in split(data).into_iter().enumerate() {
        relay
            .handle(
                &mut store,
                2 + i as i64,
                Input::Frame {
                    conn: 1,
                    bytes: frame.to_vec(),
                },
            )
            .unwrap();
    }
}

fn join() -> Message {
    Message::Join {
        sender_id: "fuzz".into(),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata {
            storage_id: Some("fuzz-store".into()),
            is_ephemeral: false,
            linli: Some(LinliMeta::default()),
        },
    }
}

#[test]
fn every_corpus_input_and_crasher_decodes_to_a_message_or_an_error_without_panicking() {
    let mut n = 0;
    for rel in [
        "../fuzz/corpus/wire_decode",
        "../fuzz/corpus/relay_frames",
        "tests/fuzz-crashers",
    ] {
        for (name, bytes) in files(rel) {
            let r = std::panic::catch_unwind(|| Message::decode(&bytes));
            assert!(r.is_ok(), "{rel}/{name} panicked the decoder");
            n += 1;
        }
    }
    assert!(n >= 10, "the corpus is there ({n} files)");
}

#[test]
fn every_relay_frames_input_is_answered_without_panicking() {
    for rel in ["../fuzz/corpus/relay_frames", "tests/fuzz-crashers"] {
        for (name, bytes) in files(rel) {
            let r = std::panic::catch_unwind(|| relay_replay(&bytes));
            assert!(r.is_ok(), "{rel}/{name} panicked the relay");
        }
    }
}

#[test]
fn hostile_crashers_are_errors_not_panics() {
    // The written-by-hand hostile cases must each be refused.
    for (name, bytes) in files("tests/fuzz-crashers") {
        if name.starts_with("hostile-") {
            assert!(
                Message::decode(&bytes).is_err(),
                "{name} should be an error"
            );
        }
    }
}

/// Named inputs.
type Files = Vec<(String, Vec<u8>)>;

fn seeds() -> (Files, Files) {
    let doc_id = DocumentId::from_bytes([0x42; 16]);
    let mut wire = vec![
        ("join".to_string(), join().encode()),
        (
            "peer".into(),
            Message::Peer {
                sender_id: "relay".into(),
                target_id: "fuzz".into(),
                selected_protocol_version: "1".into(),
                metadata: PeerMetadata {
                    storage_id: Some("s".into()),
                    is_ephemeral: false,
                    linli: Some(LinliMeta {
                        version: 1,
                        now: Some(1_764_000_000_000),
                    }),
                },
            }
            .encode(),
        ),
        (
            "doc-unavailable".into(),
            Message::DocUnavailable {
                sender_id: "a".into(),
                target_id: "b".into(),
                document_id: doc_id,
            }
            .encode(),
        ),
        (
            "rejected".into(),
            Message::Rejected {
                sender_id: "a".into(),
                target_id: "b".into(),
                document_id: doc_id,
                changes: vec!["00".into()],
                reason: "x".into(),
                code: "bad_event".into(),
            }
            .encode(),
        ),
    ];
    // A JS-style join: 16-bit map header (0xb9), undefined storageId, float timestamp field.
    let mut js = vec![0xb9, 0x00, 0x04];
    for (k, v) in [
        ("type", b"\x64join".to_vec()),
        ("senderId", b"\x62js".to_vec()),
        (
            "peerMetadata",
            b"\xa2\x69storageId\xf7\x6bisEphemeral\xf5".to_vec(),
        ),
        ("at", b"\xfb\x42\x79\xaf\x83\x2b\x3c\x00\x00".to_vec()),
    ] {
        js.push(0x60 + k.len() as u8);
        js.extend_from_slice(k.as_bytes());
        js.extend_from_slice(&v);
    }
    wire.push(("js-join".into(), js));
    // A whole filing: the messages a device sends to create a request.
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    linli_shared::domain::requests::file_request(
        &mut doc,
        &RequestDraft {
            title: "楼道灯不亮".into(),
            description: "三楼".into(),
            category: "facilities".into(),
            colour: Some(Colour::Red),
            grid: "g07".into(),
            photos: Vec::new(),
        },
        &Filing {
            filed_by: "p-staff".into(),
            subject: "p-x".into(),
            household: "h-x".into(),
        },
        0,
    )
    .unwrap();
    let mut state = sync::State::new();
    let first = doc.generate_sync_message(&mut state).unwrap();
    let empty_reply = Automerge::new()
        .generate_sync_message(&mut sync::State::new())
        .unwrap();
    doc.receive_sync_message(&mut state, empty_reply).unwrap();
    let second = doc.generate_sync_message(&mut state).unwrap();
    let frame = |data: Vec<u8>| {
        Message::Sync {
            sender_id: "fuzz".into(),
            target_id: "relay".into(),
            document_id: doc_id,
            data,
        }
        .encode()
    };
    let (f1, f2) = (frame(first.encode()), frame(second.encode()));
    wire.push(("sync-first".into(), f1.clone()));
    wire.push(("sync-changes".into(), f2.clone()));
    let mut filing = f1;
    filing.extend_from_slice(&[0xFF, 0xFE]);
    filing.extend_from_slice(&f2);
    let relay = vec![("filing".to_string(), filing)];
    (wire, relay)
}

#[test]
#[ignore]
fn write_seed_corpus() {
    let (wire, relay) = seeds();
    for (name, bytes) in wire {
        fs::write(dir("../fuzz/corpus/wire_decode").join(name), bytes).unwrap();
    }
    for (name, bytes) in relay {
        fs::write(dir("../fuzz/corpus/relay_frames").join(name), bytes).unwrap();
    }
    // Hand-written hostile inputs: each must be an error.
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("hostile-deep-nesting", {
            let mut b = vec![0xa1, 0x64, b't', b'y', b'p', b'e'];
            b.extend(std::iter::repeat_n(0x81u8, 50_000));
            b
        }),
        // A byte string claiming 2^60 bytes.
        (
            "hostile-huge-length",
            vec![
                0xa1, 0x64, b'd', b'a', b't', b'a', 0x5b, 0x10, 0, 0, 0, 0, 0, 0, 0,
            ],
        ),
        // An array claiming 2^32 items.
        (
            "hostile-huge-array",
            vec![0x9a, 0xff, 0xff, 0xff, 0xff, 0x00],
        ),
        (
            "hostile-truncated-map",
            vec![0xb9, 0x00, 0x05, 0x64, b't', b'y'],
        ),
        ("hostile-empty", vec![]),
    ];
    for (name, bytes) in hostile {
        fs::write(dir("tests/fuzz-crashers").join(name), bytes).unwrap();
    }
}

#[test]
fn the_seed_filing_really_creates_a_request_in_the_relay() {
    let (_, relay) = seeds();
    let mut store = MemStore::new();
    let mut r = Relay::open(&mut store, RelayConfig::default(), [7; 16]).unwrap();
    let principal = Principal {
        person: "p-staff".into(),
        role: Role::Staff,
        household: None,
        grids: vec![],
        consents: vec![],
        home_grid: None,
        name: None,
        team_grids: vec![],
        party: None,
        actor_prefix: vec![],
    };
    r.handle(&mut store, 0, Input::Opened { conn: 1, principal })
        .unwrap();
    r.handle(
        &mut store,
        1,
        Input::Frame {
            conn: 1,
            bytes: join().encode(),
        },
    )
    .unwrap();
    for f in split(&relay[0].1) {
        r.handle(
            &mut store,
            2,
            Input::Frame {
                conn: 1,
                bytes: f.to_vec(),
            },
        )
        .unwrap();
    }
    let requests = r
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(linli_shared::domain::DocKind::Request))
        .count();
    assert_eq!(requests, 1, "the seed exercises the whole write path");
    let _ = WireError::NotAMap;
}
