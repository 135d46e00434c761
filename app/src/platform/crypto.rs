//! The device key: an ECDSA P-256 pair made by WebCrypto with a non-extractable private half,
//! kept in IndexedDB as a `CryptoKeyPair` (browsers store such keys without exposing them).

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, EcKeyGenParams, EcdsaParams, SubtleCrypto};

use super::window;

fn subtle() -> Result<SubtleCrypto, JsValue> {
    Ok(window().crypto()?.subtle())
}

/// Makes a new key pair; returns it (to store) and the raw public key (to enrol with).
pub async fn generate() -> Result<(JsValue, Vec<u8>), JsValue> {
    let subtle = subtle()?;
    let alg = EcKeyGenParams::new("ECDSA", "P-256");
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let pair = JsFuture::from(subtle.generate_key_with_object(&alg, false, &usages)?).await?;
    let public: CryptoKey = Reflect::get(&pair, &"publicKey".into())?.dyn_into()?;
    let raw = JsFuture::from(subtle.export_key("raw", &public)?).await?;
    Ok((pair, Uint8Array::new(&raw).to_vec()))
}

/// Signs `message` with the pair's private key: IEEE P1363 (r ‖ s), as the relay expects.
pub async fn sign(pair: &JsValue, message: &[u8]) -> Result<Vec<u8>, JsValue> {
    let private: CryptoKey = Reflect::get(pair, &"privateKey".into())?.dyn_into()?;
    let params = EcdsaParams::new("ECDSA", &"SHA-256".into());
    let data = Uint8Array::from(message);
    let sig =
        JsFuture::from(subtle()?.sign_with_object_and_buffer_source(&params, &private, &data)?)
            .await?;
    Ok(Uint8Array::new(&sig).to_vec())
}
