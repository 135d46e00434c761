//! Controls more than one module uses: photos (pick, show), a QR code, reading aloud, and the
//! guard against personal data in public text.

pub mod photos;
pub mod privacy;
pub mod qr;
pub mod read_aloud;
