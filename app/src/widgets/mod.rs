//! Controls more than one module uses: photos (pick, show), a QR code, reading aloud.

pub mod photos;
pub mod qr;
pub mod read_aloud;
