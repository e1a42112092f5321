//! Time-based one-time passwords (RFC 6238 over RFC 4226): six digits,
//! thirty-second steps, HMAC-SHA-1, as every authenticator app shows them.
//!
//! A code is accepted for the current step and one step either side, to
//! allow for clocks that differ a little. Every candidate is compared in
//! constant time, and the step a code matched is returned so the caller
//! can refuse it, and anything older, from then on.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use subtle::ConstantTimeEq;

pub const STEP_SECS: i64 = 30;
pub const DIGITS: u32 = 6;
/// 160 bits, the length RFC 4226 recommends.
pub const SECRET_LEN: usize = 20;
/// Steps accepted on either side of the current one.
pub const WINDOW: i64 = 1;
const ISSUER: &str = "HealthSecure";

pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_LEN];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// The time step of a Unix time.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

pub fn current_step() -> i64 {
    step_at(chrono::Utc::now().timestamp())
}

/// The code for one time step (RFC 4226 dynamic truncation).
pub fn code_at(secret: &[u8], step: i64) -> String {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", binary % 10u32.pow(DIGITS))
}

/// A code as people type it: six digits, spaces allowed between them.
pub fn normalise(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// What checking a code found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// The code matches this step, which is later than any used before.
    Accepted(i64),
    /// The code matches a step already used (or an earlier one).
    Replayed,
    Wrong,
}

/// Checks `code` against the steps around `now_step`; `last_used` is the
/// step of the last code accepted for this secret.
pub fn check(secret: &[u8], code: &str, now_step: i64, last_used: Option<i64>) -> Check {
    let Some(code) = normalise(code) else {
        return Check::Wrong;
    };
    let mut matched = None;
    // Every candidate is computed and compared, whichever matches.
    for step in (now_step - WINDOW)..=(now_step + WINDOW) {
        let expected = code_at(secret, step);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            matched = Some(step);
        }
    }
    match matched {
        None => Check::Wrong,
        Some(step) if last_used.is_some_and(|used| step <= used) => Check::Replayed,
        Some(step) => Check::Accepted(step),
    }
}

/// RFC 4648 base32 without padding, as authenticator apps expect secrets.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn escape(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        issuer = escape(ISSUER),
        account = escape(account),
        secret = base32(secret),
    )
}

/// The QR code of `url` as a standalone SVG document (no script, no
/// external references), for display as an image.
pub fn qr_svg(url: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::new(url.as_bytes())?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 column (eight digits there; the last six
    /// are what a six-digit authenticator shows).
    #[test]
    fn matches_the_rfc_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(secret, step_at(time)), eight[2..]);
        }
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn accepts_one_step_either_side_and_refuses_replays() {
        let secret = new_secret();
        let now = 1_000_000;
        assert_eq!(
            check(&secret, &code_at(&secret, now), now, None),
            Check::Accepted(now)
        );
        assert_eq!(
            check(&secret, &code_at(&secret, now - 1), now, None),
            Check::Accepted(now - 1)
        );
        assert_eq!(
            check(&secret, &code_at(&secret, now + 1), now, None),
            Check::Accepted(now + 1)
        );
        assert_eq!(
            check(&secret, &code_at(&secret, now - 2), now, None),
            Check::Wrong
        );
        assert_eq!(
            check(&secret, &code_at(&secret, now + 2), now, None),
            Check::Wrong
        );
        assert_eq!(
            check(&secret, &code_at(&secret, now), now, Some(now)),
            Check::Replayed
        );
        assert_eq!(
            check(&secret, &code_at(&secret, now - 1), now, Some(now)),
            Check::Replayed
        );
        assert_eq!(check(&secret, "12345", now, None), Check::Wrong);
        assert_eq!(check(&secret, "abcdef", now, None), Check::Wrong);
    }

    #[test]
    fn the_address_and_qr_code_carry_the_secret() {
        let url = otpauth_url("ada@hospital.test", b"12345678901234567890");
        assert!(url.starts_with("otpauth://totp/HealthSecure:ada%40hospital.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=HealthSecure"));
        let svg = qr_svg(&url).unwrap();
        assert!(svg.contains("<svg"));
        assert!(!svg.contains("<script"));
    }
}
