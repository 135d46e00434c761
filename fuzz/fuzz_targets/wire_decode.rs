//! Any bytes given to the wire decoder give a message or an error, never a panic; a decoded
//! message re-encodes and decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linli_shared::wire::Message;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Message::decode(data) {
        if !matches!(m, Message::Other { .. }) {
            assert_eq!(Message::decode(&m.encode()).ok(), Some(m));
        }
    }
});
