//! Rate limits and sign-in lockout, counted in the session store so that
//! every API instance sees the same counts.

use std::time::Duration;

use sha2::{Digest, Sha256};

use super::context::ClientInfo;
use super::error::ApiError;
use crate::app::AppState;
use crate::domain::Email;

pub const STORE_DOWN: ApiError =
    ApiError::Unavailable("Sessions cannot be checked right now. Try again shortly.");

/// Counts one request under `key`; refuses with 429 and `Retry-After` once
/// `limit` is passed within `window`. Fails closed when the store is down.
pub async fn within(
    state: &AppState,
    key: &str,
    limit: u32,
    window: Duration,
) -> Result<(), ApiError> {
    let count = state
        .sessions
        .count(key, window)
        .await
        .map_err(|_| STORE_DOWN)?;
    if count.count > u64::from(limit) {
        let retry_after_secs = count.resets_in.as_secs_f64().ceil().max(1.0) as u64;
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    Ok(())
}

/// The client address as a key part; requests without one share a bucket.
pub fn client_key(client: &ClientInfo) -> String {
    client
        .ip
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// The key failed sign-ins for an account name are counted under. Hashed,
/// so the store holds no email addresses, and normalised, so case and
/// spacing variants share one counter. Unknown names are counted the same
/// way as real ones, so lockout reveals nothing about which accounts exist.
pub fn failed_login_key(login_name: &str) -> String {
    let digest = Sha256::digest(Email::normalize(login_name).as_bytes());
    format!("login:fail:{}", hex::encode(&digest[..16]))
}

pub fn is_rate_limited(err: &ApiError) -> bool {
    matches!(err, ApiError::RateLimited { .. })
}
