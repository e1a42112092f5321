//! Shared session state: revoked sessions, rate-limit counters and failed
//! sign-in counters.
//!
//! Two implementations behind one type: in-process (the single-machine
//! default) and Redis (`REDIS_URL`), which every API instance shares. With
//! Redis, every key carries an expiry, and any Redis failure is reported as
//! an error so that callers fail closed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

const KEY_PREFIX: &str = "hs:";

#[derive(Clone)]
pub enum SessionStore {
    Memory(MemoryStore),
    Redis(RedisStore),
}

#[derive(Debug, thiserror::Error)]
#[error("the session store is unavailable")]
pub struct SessionStoreError;

/// The result of counting one more event against a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// Events in the current window, this one included.
    pub count: u64,
    /// Time until the window resets.
    pub resets_in: Duration,
}

impl SessionStore {
    pub fn in_memory() -> SessionStore {
        SessionStore::Memory(MemoryStore::default())
    }

    /// Connects to Redis; fails when it cannot be reached at start-up.
    pub async fn redis(url: &str) -> Result<SessionStore, String> {
        let client = redis::Client::open(url)
            .map_err(|_| "REDIS_URL is not a valid Redis URL".to_string())?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let manager = tokio::time::timeout(
            Duration::from_secs(5),
            ConnectionManager::new_with_config(client, config),
        )
        .await
        .map_err(|_| "REDIS_URL: timed out connecting to Redis".to_string())?
        .map_err(|e| format!("REDIS_URL: cannot connect to Redis ({:?})", e.kind()))?;
        Ok(SessionStore::Redis(RedisStore { manager }))
    }

    /// Marks `session_id` revoked for `ttl` (the access-token lifetime).
    pub async fn revoke(&self, session_id: &str, ttl: Duration) -> Result<(), SessionStoreError> {
        let key = format!("{KEY_PREFIX}revoked:{session_id}");
        match self {
            SessionStore::Memory(store) => store.set_flag(key, ttl),
            SessionStore::Redis(store) => store.set_flag(key, ttl).await,
        }
    }

    pub async fn is_revoked(&self, session_id: &str) -> Result<bool, SessionStoreError> {
        let key = format!("{KEY_PREFIX}revoked:{session_id}");
        match self {
            SessionStore::Memory(store) => store.has_flag(&key),
            SessionStore::Redis(store) => store.has_flag(&key).await,
        }
    }

    /// Sets a marker under `key` for `ttl` (a session freshly
    /// authenticated, a sign-in challenge used up).
    pub async fn mark(&self, key: &str, ttl: Duration) -> Result<(), SessionStoreError> {
        let key = format!("{KEY_PREFIX}mark:{key}");
        match self {
            SessionStore::Memory(store) => store.set_flag(key, ttl),
            SessionStore::Redis(store) => store.set_flag(key, ttl).await,
        }
    }

    pub async fn is_marked(&self, key: &str) -> Result<bool, SessionStoreError> {
        let key = format!("{KEY_PREFIX}mark:{key}");
        match self {
            SessionStore::Memory(store) => store.has_flag(&key),
            SessionStore::Redis(store) => store.has_flag(&key).await,
        }
    }

    /// Counts one event under `key` in a fixed window of `window`.
    pub async fn count(&self, key: &str, window: Duration) -> Result<Count, SessionStoreError> {
        let key = format!("{KEY_PREFIX}count:{key}");
        match self {
            SessionStore::Memory(store) => store.count(key, window),
            SessionStore::Redis(store) => store.count(&key, window).await,
        }
    }

    /// The current count under `key` without adding to it.
    pub async fn peek(&self, key: &str) -> Result<Count, SessionStoreError> {
        let key = format!("{KEY_PREFIX}count:{key}");
        match self {
            SessionStore::Memory(store) => store.peek(&key),
            SessionStore::Redis(store) => store.peek(&key).await,
        }
    }

    pub async fn reset(&self, key: &str) -> Result<(), SessionStoreError> {
        let key = format!("{KEY_PREFIX}count:{key}");
        match self {
            SessionStore::Memory(store) => store.reset(&key),
            SessionStore::Redis(store) => store.reset(&key).await,
        }
    }

    /// Whether the store answers; for readiness checks.
    pub async fn ping(&self) -> bool {
        match self {
            SessionStore::Memory(_) => true,
            SessionStore::Redis(store) => store.ping().await,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            SessionStore::Memory(_) => "memory",
            SessionStore::Redis(_) => "redis",
        }
    }
}

/// In-process state, expiring entries lazily.
#[derive(Clone, Default)]
pub struct MemoryStore {
    entries: Arc<Mutex<HashMap<String, (u64, Instant)>>>,
}

impl MemoryStore {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut HashMap<String, (u64, Instant)>, Instant) -> T,
    ) -> Result<T, SessionStoreError> {
        let mut entries = self.entries.lock().map_err(|_| SessionStoreError)?;
        let now = Instant::now();
        if entries.len() > 10_000 {
            entries.retain(|_, (_, until)| *until > now);
        }
        Ok(f(&mut entries, now))
    }

    fn set_flag(&self, key: String, ttl: Duration) -> Result<(), SessionStoreError> {
        self.with(|entries, now| {
            entries.insert(key, (1, now + ttl));
        })
    }

    fn has_flag(&self, key: &str) -> Result<bool, SessionStoreError> {
        self.with(|entries, now| entries.get(key).is_some_and(|(_, until)| *until > now))
    }

    fn count(&self, key: String, window: Duration) -> Result<Count, SessionStoreError> {
        self.with(|entries, now| {
            let entry = entries.entry(key).or_insert((0, now + window));
            if entry.1 <= now {
                *entry = (0, now + window);
            }
            entry.0 += 1;
            Count {
                count: entry.0,
                resets_in: entry.1 - now,
            }
        })
    }

    fn peek(&self, key: &str) -> Result<Count, SessionStoreError> {
        self.with(|entries, now| match entries.get(key) {
            Some((count, until)) if *until > now => Count {
                count: *count,
                resets_in: *until - now,
            },
            _ => Count {
                count: 0,
                resets_in: Duration::ZERO,
            },
        })
    }

    fn reset(&self, key: &str) -> Result<(), SessionStoreError> {
        self.with(|entries, _| {
            entries.remove(key);
        })
    }
}

#[derive(Clone)]
pub struct RedisStore {
    manager: ConnectionManager,
}

fn unavailable(err: redis::RedisError) -> SessionStoreError {
    tracing::warn!(error_kind = ?err.kind(), "session store request failed");
    SessionStoreError
}

fn millis(duration: Duration) -> u64 {
    duration.as_millis().clamp(1, u128::from(u64::MAX)) as u64
}

impl RedisStore {
    async fn set_flag(&self, key: String, ttl: Duration) -> Result<(), SessionStoreError> {
        let mut conn = self.manager.clone();
        redis::cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut conn)
            .await
            .map_err(unavailable)
    }

    async fn has_flag(&self, key: &str) -> Result<bool, SessionStoreError> {
        let mut conn = self.manager.clone();
        conn.exists(key).await.map_err(unavailable)
    }

    async fn count(&self, key: &str, window: Duration) -> Result<Count, SessionStoreError> {
        let mut conn = self.manager.clone();
        // INCR and the expiry of a new window in one atomic step, so a key
        // can never be left without an expiry.
        let (count, ttl_ms): (u64, i64) = redis::Script::new(
            "local n = redis.call('INCR', KEYS[1]) \
             if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end \
             return {n, redis.call('PTTL', KEYS[1])}",
        )
        .key(key)
        .arg(millis(window))
        .invoke_async(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(Count {
            count,
            resets_in: Duration::from_millis(ttl_ms.max(0) as u64),
        })
    }

    async fn peek(&self, key: &str) -> Result<Count, SessionStoreError> {
        let mut conn = self.manager.clone();
        let (count, ttl_ms): (Option<u64>, i64) = redis::pipe()
            .get(key)
            .pttl(key)
            .query_async(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(Count {
            count: count.unwrap_or(0),
            resets_in: Duration::from_millis(ttl_ms.max(0) as u64),
        })
    }

    async fn reset(&self, key: &str) -> Result<(), SessionStoreError> {
        let mut conn = self.manager.clone();
        conn.del::<_, ()>(key).await.map_err(unavailable)
    }

    async fn ping(&self) -> bool {
        let mut conn = self.manager.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_counts_reset_after_their_window() {
        let store = SessionStore::in_memory();
        assert_eq!(
            store
                .count("k", Duration::from_millis(40))
                .await
                .unwrap()
                .count,
            1
        );
        assert_eq!(
            store
                .count("k", Duration::from_millis(40))
                .await
                .unwrap()
                .count,
            2
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(
            store
                .count("k", Duration::from_millis(40))
                .await
                .unwrap()
                .count,
            1
        );
    }

    #[tokio::test]
    async fn memory_revocations_expire() {
        let store = SessionStore::in_memory();
        store.revoke("s1", Duration::from_millis(30)).await.unwrap();
        assert!(store.is_revoked("s1").await.unwrap());
        assert!(!store.is_revoked("s2").await.unwrap());
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!store.is_revoked("s1").await.unwrap());
    }
}
