//! bcrypt at the configured cost, run on the blocking pool behind a
//! semaphore so that a burst of sign-ins queues instead of starving the
//! async workers that serve everyone else.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::secret::Secret;

/// bcrypt reads at most 72 bytes; longer inputs would be silently cut, so
/// they are refused instead.
pub const MAX_PASSWORD_BYTES: usize = 72;
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A password that passed the policy checks, ready to hash.
pub struct NewPassword(Secret<String>);

impl NewPassword {
    pub fn parse(raw: String) -> Result<NewPassword, &'static str> {
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err("The password is longer than 72 bytes; choose a shorter one.");
        }
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err("The password must be at least 12 characters long.");
        }
        if raw.trim().is_empty() {
            return Err("The password must not be blank.");
        }
        Ok(NewPassword(Secret::new(raw)))
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    cost: u32,
    permits: Arc<Semaphore>,
    /// A real hash of a random password, checked when the account does not
    /// exist, so unknown and known users take the same time to refuse.
    dummy_hash: Arc<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError;

impl PasswordHasher {
    pub fn new(cost: u32, concurrency: usize) -> PasswordHasher {
        let random = uuid::Uuid::new_v4().to_string();
        let dummy_hash = bcrypt::hash(random, cost).expect("bcrypt accepts costs 4 to 31");
        PasswordHasher {
            cost,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: Arc::new(dummy_hash),
        }
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError)?;
        let plain = password.0.expose().clone();
        let cost = self.cost;
        tokio::task::spawn_blocking(move || bcrypt::hash(plain, cost))
            .await
            .map_err(|_| HashError)?
            .map_err(|_| HashError)
    }

    /// Checks `password` against `stored`, or against the dummy hash when
    /// there is no stored hash; always costs one bcrypt verification.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let too_long = password.len() > MAX_PASSWORD_BYTES;
        let plain = if too_long {
            String::new()
        } else {
            password.to_string()
        };
        let (hash, real) = match stored {
            Some(hash) => (hash.to_string(), true),
            None => (self.dummy_hash.as_ref().clone(), false),
        };
        let matched =
            tokio::task::spawn_blocking(move || bcrypt::verify(plain, &hash).unwrap_or(false))
                .await
                .unwrap_or(false);
        matched && real && !too_long
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_over_72_bytes_or_under_12_characters_are_refused() {
        assert!(NewPassword::parse("x".repeat(73)).is_err());
        // 24 three-byte characters: 72 bytes, accepted; one more is refused.
        assert!(NewPassword::parse("€".repeat(24)).is_ok());
        assert!(NewPassword::parse("€".repeat(25)).is_err());
        assert!(NewPassword::parse("short".into()).is_err());
    }
}
