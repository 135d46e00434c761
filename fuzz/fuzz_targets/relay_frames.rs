//! Any sequence of frames sent to the relay core, after a proper join, is answered without a
//! panic, with the default limits or with tiny quotas: the input is split into frames at each
//! 0xFF 0xFE marker.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linli_shared::policy::{Principal, Role};
use linli_shared::relay::{Input, Relay, RelayConfig};
use linli_shared::store::MemStore;
use linli_shared::wire::{LinliMeta, Message, PeerMetadata};

fuzz_target!(|data: &[u8]| {
    // An odd first byte runs with quotas so small that a few frames spend them, so the
    // refusal paths of the day's new documents and bytes of changes are walked too.
    let config = if data.first().is_some_and(|b| b % 2 == 1) {
        RelayConfig {
            max_new_docs_per_person_per_day: 2,
            max_new_docs_per_device_per_day: 1,
            max_change_bytes_per_person_per_day: 4_096,
            max_change_bytes_per_device_per_day: 2_048,
            max_docs_per_conn: 4,
            ..RelayConfig::default()
        }
    } else {
        RelayConfig::default()
    };
    let mut store = MemStore::new();
    let Ok(mut relay) = Relay::open(&mut store, config, [7; 16]) else {
        return;
    };
    let principal = Principal {
        person: "p-staff".into(),
        role: Role::Staff,
        household: None,
        grids: vec![],
        consents: vec![],
        home_grid: None,
        name: None,
        party: None,
        team_grids: Vec::new(),
        actor_prefix: vec![],
    };
    let _ = relay.handle(&mut store, 0, Input::Opened { conn: 1, principal });
    let join = Message::Join {
        sender_id: "fuzz".into(),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata {
            storage_id: Some("fuzz-store".into()),
            is_ephemeral: false,
            linli: Some(LinliMeta::default()),
        },
    };
    let _ = relay.handle(&mut store, 1, Input::Frame { conn: 1, bytes: join.encode() });
    for (i, frame) in split(data).into_iter().enumerate() {
        let _ = relay.handle(&mut store, 2 + i as i64, Input::Frame { conn: 1, bytes: frame.to_vec() });
    }
});

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
