//! Revoked sessions, checked on every authenticated request.
//!
//! A logout or a password change puts the session id here until the last
//! access token it could have issued has expired. The in-process store is
//! the single-machine default.
// Known shortcoming: only the in-process store exists so far, so a session
// revoked on one API instance stays usable on another until its access
// token expires; run a single instance until the Redis store is added.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Default)]
pub struct SessionStore {
    revoked: Arc<Mutex<HashMap<String, Instant>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the session store is unavailable")]
pub struct SessionStoreError;

impl SessionStore {
    pub fn in_memory() -> SessionStore {
        SessionStore::default()
    }

    /// Marks `session_id` revoked for `ttl` (the access-token lifetime).
    pub async fn revoke(&self, session_id: &str, ttl: Duration) -> Result<(), SessionStoreError> {
        let mut revoked = self.revoked.lock().map_err(|_| SessionStoreError)?;
        let now = Instant::now();
        revoked.retain(|_, until| *until > now);
        revoked.insert(session_id.to_string(), now + ttl);
        Ok(())
    }

    pub async fn is_revoked(&self, session_id: &str) -> Result<bool, SessionStoreError> {
        let revoked = self.revoked.lock().map_err(|_| SessionStoreError)?;
        Ok(revoked
            .get(session_id)
            .is_some_and(|until| *until > Instant::now()))
    }
}
