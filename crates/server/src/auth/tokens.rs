//! Access tokens: HS256 JWTs with every standard claim required and typed.
//!
//! The algorithm and key come from configuration only. The `kid` header
//! must name the server's own key; nothing in a token header selects a key
//! or an algorithm.

use std::time::Duration;

use chrono::Utc;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use serde::{Deserialize, Serialize};

use crate::config::JwtConfig;
use crate::policy::Role;

/// The claims of an access token. Deserialising into this struct enforces
/// that every claim is present with the right JSON type.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessClaims {
    pub sub: String,
    pub role: String,
    pub sid: String,
    pub jti: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// Why a token was refused; kept for the audit row, never sent to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRejection {
    Missing,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
    WrongIssuerOrAudience,
    InvalidClaims,
    SessionRevoked,
    UserInactive,
    RoleChanged,
}

impl TokenRejection {
    pub fn reason_code(self) -> &'static str {
        match self {
            TokenRejection::Missing => "missing_token",
            TokenRejection::Malformed => "malformed_token",
            TokenRejection::UnknownKey => "unknown_key",
            TokenRejection::BadSignature => "bad_signature",
            TokenRejection::Expired => "expired",
            TokenRejection::NotYetValid => "not_yet_valid",
            TokenRejection::WrongIssuerOrAudience => "wrong_issuer_or_audience",
            TokenRejection::InvalidClaims => "invalid_claims",
            TokenRejection::SessionRevoked => "session_revoked",
            TokenRejection::UserInactive => "user_inactive",
            TokenRejection::RoleChanged => "role_changed",
        }
    }
}

#[derive(Clone)]
pub struct TokenService {
    encoding: EncodingKey,
    /// Verification keys by key id: the current key and any earlier ones
    /// kept for a rotation. A token's `kid` only selects among these.
    decoding: std::collections::HashMap<String, DecodingKey>,
    validation: Validation,
    key_id: String,
    issuer: String,
    audience: String,
    ttl: Duration,
}

const ALGORITHM: Algorithm = Algorithm::HS256;

impl TokenService {
    pub fn new(config: &JwtConfig) -> TokenService {
        let secret = config.secret.expose();
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[config.issuer.as_str()]);
        validation.set_audience(&[config.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = 0;
        let mut decoding = std::collections::HashMap::new();
        for (kid, previous) in &config.previous_keys {
            decoding.insert(kid.clone(), DecodingKey::from_secret(previous.expose()));
        }
        decoding.insert(config.key_id.clone(), DecodingKey::from_secret(secret));
        TokenService {
            encoding: EncodingKey::from_secret(secret),
            decoding,
            validation,
            key_id: config.key_id.clone(),
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            ttl: config.access_ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Signs an access token for one session.
    pub fn issue(&self, user_id: i64, role: Role, session_id: &str) -> String {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            sub: user_id.to_string(),
            role: role.as_str().to_string(),
            sid: session_id.to_string(),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            nbf: now,
            exp: now + self.ttl.as_secs() as i64,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(self.key_id.clone());
        encode(&header, &claims, &self.encoding).expect("HMAC signing cannot fail")
    }

    /// Verifies signature, algorithm, key id, time window, issuer and
    /// audience, and the presence and types of all claims.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenRejection> {
        let header = decode_header(token).map_err(|_| TokenRejection::Malformed)?;
        if header.alg != ALGORITHM {
            return Err(TokenRejection::UnknownKey);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.decoding.get(kid))
            .ok_or(TokenRejection::UnknownKey)?;
        let data = decode::<AccessClaims>(token, key, &self.validation).map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            match err.kind() {
                ErrorKind::InvalidSignature => TokenRejection::BadSignature,
                ErrorKind::ExpiredSignature => TokenRejection::Expired,
                ErrorKind::ImmatureSignature => TokenRejection::NotYetValid,
                ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => {
                    TokenRejection::WrongIssuerOrAudience
                }
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenRejection::UnknownKey
                }
                ErrorKind::MissingRequiredClaim(_) | ErrorKind::Json(_) => {
                    TokenRejection::InvalidClaims
                }
                _ => TokenRejection::Malformed,
            }
        })?;
        let claims = data.claims;
        // Our tokens never live longer than the configured lifetime, and
        // `sub` is always the canonical decimal id.
        let lifetime = claims.exp - claims.iat;
        let plausible = claims.iat <= claims.exp
            && lifetime <= self.ttl.as_secs() as i64 + 60
            && claims
                .sub
                .parse::<i64>()
                .is_ok_and(|id| id > 0 && id.to_string() == claims.sub)
            && Role::parse(&claims.role).is_some()
            && !claims.sid.is_empty()
            && !claims.jti.is_empty();
        if !plausible {
            return Err(TokenRejection::InvalidClaims);
        }
        Ok(claims)
    }
}
