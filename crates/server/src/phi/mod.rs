//! Protected health information at rest: the SSN is stored only as
//! AES-256-GCM ciphertext, with an HMAC-SHA-256 blind index for uniqueness
//! and exact lookup. A database dump alone never reveals an SSN.
//!
//! Both keys derive from `PHI_ENCRYPTION_KEY`, with different labels, so the
//! index cannot be used to decrypt and the cipher key never touches the index.
//!
//! The same master key protects the second factor: authenticator (TOTP)
//! secrets are sealed under a key and associated data of their own, and
//! recovery codes are kept only as keyed hashes.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::domain::Ssn;

/// Ciphertext layout: version byte, 12-byte nonce, ciphertext with tag.
const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 12;
const AAD: &[u8] = b"healthsecure:patient.ssn:v1";
const TOTP_AAD: &[u8] = b"healthsecure:user.totp_secret:v1";

#[derive(Clone)]
pub struct PhiCipher {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
    totp_cipher: Aes256Gcm,
    recovery_key: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
pub enum PhiError {
    #[error("encrypted value has an unknown format")]
    Format,
    #[error("encrypted value failed authentication (wrong key or tampered data)")]
    Authentication,
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl PhiCipher {
    pub fn new(master_key: &[u8; 32]) -> PhiCipher {
        let cipher_key = derive(master_key, b"healthsecure/ssn/encryption");
        PhiCipher {
            cipher: Aes256Gcm::new(&cipher_key.into()),
            index_key: derive(master_key, b"healthsecure/ssn/blind-index"),
            totp_cipher: Aes256Gcm::new(
                &derive(master_key, b"healthsecure/totp/encryption").into(),
            ),
            recovery_key: derive(master_key, b"healthsecure/mfa/recovery-code"),
        }
    }

    /// Seals an authenticator secret for storage; the associated data ties
    /// the ciphertext to its user, so it cannot be moved to another account.
    pub fn encrypt_totp_secret(&self, user_id: i64, secret: &[u8]) -> Vec<u8> {
        let aad = totp_aad(user_id);
        seal(&self.totp_cipher, secret, &aad)
    }

    pub fn decrypt_totp_secret(&self, user_id: i64, stored: &[u8]) -> Result<Vec<u8>, PhiError> {
        open(&self.totp_cipher, stored, &totp_aad(user_id))
    }

    /// A keyed hash of a recovery code, for storage and look-up.
    pub fn recovery_code_hash(&self, user_id: i64, code: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.recovery_key)
            .expect("HMAC takes any key length");
        mac.update(&user_id.to_be_bytes());
        mac.update(code.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn encrypt_ssn(&self, ssn: &Ssn) -> Vec<u8> {
        seal(&self.cipher, ssn.digits().as_bytes(), AAD)
    }

    pub fn decrypt_ssn(&self, stored: &[u8]) -> Result<Ssn, PhiError> {
        let plain = open(&self.cipher, stored, AAD)?;
        let digits = String::from_utf8(plain).map_err(|_| PhiError::Format)?;
        Ssn::parse(&digits).ok_or(PhiError::Format)
    }

    /// A keyed, deterministic index of the SSN: equal SSNs give equal
    /// indexes, but without the key the index reveals nothing.
    pub fn ssn_index(&self, ssn: &Ssn) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key)
            .expect("HMAC takes any key length");
        mac.update(ssn.digits().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

fn totp_aad(user_id: i64) -> Vec<u8> {
    let mut aad = TOTP_AAD.to_vec();
    aad.extend_from_slice(format!(":user={user_id}").as_bytes());
    aad
}

/// Format byte, random nonce, then the AES-GCM ciphertext with its tag.
fn seal(cipher: &Aes256Gcm, msg: &[u8], aad: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg, aad })
        .expect("AES-GCM encryption of a short value cannot fail");
    let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    out.push(FORMAT_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

fn open(cipher: &Aes256Gcm, stored: &[u8], aad: &[u8]) -> Result<Vec<u8>, PhiError> {
    let (&version, rest) = stored.split_first().ok_or(PhiError::Format)?;
    if version != FORMAT_V1 || rest.len() <= NONCE_LEN {
        return Err(PhiError::Format);
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
        .map_err(|_| PhiError::Authentication)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ssn(raw: &str) -> Ssn {
        Ssn::parse(raw).unwrap()
    }

    #[test]
    fn an_ssn_round_trips_and_the_ciphertext_does_not_contain_it() {
        let cipher = PhiCipher::new(&[9u8; 32]);
        let stored = cipher.encrypt_ssn(&ssn("912-34-5678"));
        assert!(!stored.windows(9).any(|w| w == b"912345678"));
        assert_eq!(
            cipher.decrypt_ssn(&stored).unwrap().formatted(),
            "912-34-5678"
        );
    }

    #[test]
    fn encryption_is_randomised_but_the_index_is_stable() {
        let cipher = PhiCipher::new(&[9u8; 32]);
        let value = ssn("912-34-5678");
        assert_ne!(cipher.encrypt_ssn(&value), cipher.encrypt_ssn(&value));
        assert_eq!(
            cipher.ssn_index(&value),
            cipher.ssn_index(&ssn("912345678"))
        );
    }

    #[test]
    fn a_wrong_key_or_a_flipped_bit_is_detected() {
        let stored = PhiCipher::new(&[1u8; 32]).encrypt_ssn(&ssn("912-34-5678"));
        assert!(matches!(
            PhiCipher::new(&[2u8; 32]).decrypt_ssn(&stored),
            Err(PhiError::Authentication)
        ));
        let mut tampered = stored.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(PhiCipher::new(&[1u8; 32]).decrypt_ssn(&tampered).is_err());
    }

    #[test]
    fn a_totp_secret_round_trips_only_for_its_own_user() {
        let cipher = PhiCipher::new(&[3u8; 32]);
        let stored = cipher.encrypt_totp_secret(7, b"0123456789abcdefghij");
        assert!(!stored.windows(20).any(|w| w == b"0123456789abcdefghij"));
        assert_eq!(
            cipher.decrypt_totp_secret(7, &stored).unwrap(),
            b"0123456789abcdefghij"
        );
        assert!(cipher.decrypt_totp_secret(8, &stored).is_err());
        // The SSN key and associated data do not open it either.
        assert!(cipher.decrypt_ssn(&stored).is_err());
    }

    #[test]
    fn recovery_code_hashes_are_keyed_and_per_user() {
        let one = PhiCipher::new(&[3u8; 32]);
        let two = PhiCipher::new(&[4u8; 32]);
        assert_eq!(
            one.recovery_code_hash(1, "ABCD-EFGH"),
            one.recovery_code_hash(1, "ABCD-EFGH")
        );
        assert_ne!(
            one.recovery_code_hash(1, "ABCD-EFGH"),
            one.recovery_code_hash(2, "ABCD-EFGH")
        );
        assert_ne!(
            one.recovery_code_hash(1, "ABCD-EFGH"),
            two.recovery_code_hash(1, "ABCD-EFGH")
        );
    }
}
