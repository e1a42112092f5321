//! The state of one sign-on attempt between leaving for the provider and
//! coming back, kept in the browser that started it.
//!
//! The `state`, `nonce` and PKCE verifier travel in a short-lived cookie
//! signed with HMAC-SHA-256, so the callback can prove that the browser
//! presenting a code is the one that asked for it (a stolen or injected
//! code arrives without the matching cookie). Nothing is kept on the server
//! until the callback, which marks the state used in the session store so
//! the same flow cannot complete twice.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// How long a browser has to come back from the provider.
pub const FLOW_TTL_SECS: i64 = 600;
pub const FLOW_COOKIE: &str = "hs_oidc";
/// The cookie is sent to the login and callback routes only.
pub const FLOW_COOKIE_PATH: &str = "/api/auth/oidc";
const RETURN_TO_MAX: usize = 512;

/// A page of this site to land on after signing in: a path that starts
/// with one `/`, so it can never name another origin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct ReturnTo(String);

impl TryFrom<String> for ReturnTo {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        ReturnTo::parse(&raw).ok_or("not a path on this site")
    }
}

impl ReturnTo {
    pub fn home() -> ReturnTo {
        ReturnTo("/".into())
    }

    /// Refuses anything a browser could read as another site: `//host`,
    /// `/\host`, schemes, and whitespace or control characters (browsers
    /// drop tabs and newlines, which turns `/\t/host` into `//host`).
    /// Characters outside ASCII are percent-encoded so the path fits in a
    /// `Location` header.
    pub fn parse(raw: &str) -> Option<ReturnTo> {
        let mut chars = raw.chars();
        let starts_well = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
        let plain = raw
            .chars()
            .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
        if !starts_well || !plain || raw.len() > RETURN_TO_MAX {
            return None;
        }
        let mut path = String::with_capacity(raw.len());
        for c in raw.chars() {
            if c.is_ascii() {
                path.push(c);
            } else {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    path.push_str(&format!("%{byte:02X}"));
                }
            }
        }
        Some(ReturnTo(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the callback needs to finish one attempt.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingFlow {
    #[serde(rename = "p")]
    pub provider: String,
    #[serde(rename = "s")]
    pub state: String,
    #[serde(rename = "n")]
    pub nonce: String,
    #[serde(rename = "v")]
    pub pkce_verifier: String,
    #[serde(rename = "r")]
    pub return_to: ReturnTo,
    /// Unix seconds.
    #[serde(rename = "x")]
    pub expires_at: i64,
}

impl std::fmt::Debug for PendingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingFlow")
            .field("provider", &self.provider)
            .field("return_to", &self.return_to)
            .finish_non_exhaustive()
    }
}

impl PendingFlow {
    /// The key under which the session store remembers that this flow's
    /// state was used; a digest, so the store never holds the state.
    pub fn used_key(&self) -> String {
        let digest = Sha256::digest(self.state.as_bytes());
        format!("sso:state:{}", hex::encode(&digest[..16]))
    }
}

/// Why a flow cookie was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowCookieError {
    /// Not a value this server wrote, or altered since.
    Invalid,
    Expired,
}

/// Seals and opens flow cookies with a key of their own, derived from the
/// token signing secret so no further secret must be configured.
pub struct FlowSealer {
    key: Secret<[u8; 32]>,
}

type HmacSha256 = Hmac<Sha256>;

impl FlowSealer {
    pub fn new(signing_secret: &[u8]) -> FlowSealer {
        let mut mac = HmacSha256::new_from_slice(signing_secret).expect("HMAC takes any key");
        mac.update(b"healthsecure/sso-flow-cookie/v1");
        FlowSealer {
            key: Secret::new(mac.finalize().into_bytes().into()),
        }
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(self.key.expose()).expect("HMAC takes any key")
    }

    /// `base64url(json).base64url(hmac)`.
    pub fn seal(&self, flow: &PendingFlow) -> String {
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(flow).expect("plain data"));
        let mut mac = self.mac();
        mac.update(body.as_bytes());
        let tag = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{body}.{tag}")
    }

    /// Checks the signature in constant time, then the expiry.
    pub fn open(&self, value: &str, now: i64) -> Result<PendingFlow, FlowCookieError> {
        let (body, tag) = value.split_once('.').ok_or(FlowCookieError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| FlowCookieError::Invalid)?;
        let mut mac = self.mac();
        mac.update(body.as_bytes());
        mac.verify_slice(&tag)
            .map_err(|_| FlowCookieError::Invalid)?;
        let json = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| FlowCookieError::Invalid)?;
        let flow: PendingFlow =
            serde_json::from_slice(&json).map_err(|_| FlowCookieError::Invalid)?;
        if flow.expires_at <= now {
            return Err(FlowCookieError::Expired);
        }
        Ok(flow)
    }
}

/// The `Set-Cookie` value that keeps a sealed flow for ten minutes. Lax,
/// not Strict: the provider sends the browser back with a cross-site
/// top-level navigation, which a Strict cookie would not accompany.
pub fn flow_cookie(sealed: &str) -> String {
    format!(
        "{FLOW_COOKIE}={sealed}; Path={FLOW_COOKIE_PATH}; Max-Age={FLOW_TTL_SECS}; HttpOnly; Secure; SameSite=Lax"
    )
}

pub fn clear_flow_cookie() -> String {
    format!("{FLOW_COOKIE}=; Path={FLOW_COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
}

/// Compares a presented state with the expected one without revealing,
/// through timing, how much of it matched.
pub fn same_state(presented: &str, expected: &str) -> bool {
    Sha256::digest(presented.as_bytes()) == Sha256::digest(expected.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(expires_at: i64) -> PendingFlow {
        PendingFlow {
            provider: "google".into(),
            state: "state-value".into(),
            nonce: "nonce-value".into(),
            pkce_verifier: "verifier-value".into(),
            return_to: ReturnTo::parse("/patients/7").unwrap(),
            expires_at,
        }
    }

    #[test]
    fn a_sealed_flow_opens_unchanged_before_it_expires() {
        let sealer = FlowSealer::new(b"a signing secret of some length....");

        let opened = sealer.open(&sealer.seal(&flow(1_000)), 999).unwrap();

        assert_eq!(opened.state, "state-value");
        assert_eq!(opened.nonce, "nonce-value");
        assert_eq!(opened.pkce_verifier, "verifier-value");
        assert_eq!(opened.return_to.as_str(), "/patients/7");
    }

    #[test]
    fn an_expired_flow_is_refused() {
        let sealer = FlowSealer::new(b"secret");
        let sealed = sealer.seal(&flow(1_000));
        assert_eq!(
            sealer.open(&sealed, 1_000).err(),
            Some(FlowCookieError::Expired)
        );
    }

    #[test]
    fn an_altered_or_foreign_cookie_is_refused() {
        let sealer = FlowSealer::new(b"secret");
        let sealed = sealer.seal(&flow(1_000));
        let (body, tag) = sealed.split_once('.').unwrap();

        let mut json: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap();
        json["r"] = "//evil.example".into();
        let forged = format!(
            "{}.{tag}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&json).unwrap())
        );
        assert_eq!(
            sealer.open(&forged, 0).err(),
            Some(FlowCookieError::Invalid)
        );

        let other = FlowSealer::new(b"another secret");
        assert_eq!(other.open(&sealed, 0).err(), Some(FlowCookieError::Invalid));
        for junk in ["", ".", "abc", "abc.def", "%%.%%"] {
            assert_eq!(sealer.open(junk, 0).err(), Some(FlowCookieError::Invalid));
        }
    }

    #[test]
    fn return_to_accepts_only_paths_on_this_site() {
        for good in ["/", "/patients", "/patients/4?tab=records#top", "/a/b/../c"] {
            assert_eq!(ReturnTo::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "patients",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /x",
            "https://evil.example/",
            "javascript:alert(1)",
            "/ok\\..\\x",
        ] {
            assert!(ReturnTo::parse(bad).is_none(), "{bad:?}");
        }
        assert!(ReturnTo::parse(&format!("/{}", "a".repeat(600))).is_none());
    }

    #[test]
    fn return_to_percent_encodes_characters_outside_ascii() {
        assert_eq!(
            ReturnTo::parse("/patients?q=José").unwrap().as_str(),
            "/patients?q=Jos%C3%A9"
        );
    }

    #[test]
    fn states_compare_by_value() {
        assert!(same_state("abc", "abc"));
        assert!(!same_state("abc", "abd"));
        assert!(!same_state("", "abc"));
    }
}
