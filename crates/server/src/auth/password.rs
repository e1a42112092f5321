//! bcrypt at the configured cost, run on a few threads of its own so that a
//! burst of sign-ins queues instead of starving the async workers that
//! serve everyone else.
//!
//! Bounding how many checks run at once is not enough on a small machine:
//! two bcrypt threads on two cores still take half the processor time from
//! the async workers, and every other request's latency doubles during a
//! sign-in storm. The password threads therefore run at a lower scheduling
//! priority (nice 10 on Linux): they use all the processor time nobody else
//! wants, so sign-ins alone run at the full bcrypt rate, and yield at once
//! to request handling.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

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
    workers: PasswordThreads,
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
            workers: PasswordThreads::start(concurrency.max(1)),
            dummy_hash: Arc::new(dummy_hash),
        }
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let plain = password.0.expose().clone();
        let cost = self.cost;
        self.workers
            .run(move || bcrypt::hash(plain, cost))
            .await
            .ok_or(HashError)?
            .map_err(|_| HashError)
    }

    /// Checks `password` against `stored`, or against the dummy hash when
    /// there is no stored hash; always costs one bcrypt verification.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> bool {
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
        let matched = self
            .workers
            .run(move || bcrypt::verify(plain, &hash).unwrap_or(false))
            .await
            .unwrap_or(false);
        matched && real && !too_long
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed number of low-priority threads taking password jobs in order of
/// arrival. They stop when the last handle is dropped.
#[derive(Clone)]
struct PasswordThreads {
    jobs: mpsc::Sender<Job>,
}

impl PasswordThreads {
    fn start(count: usize) -> PasswordThreads {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        for n in 0..count {
            let inbox = inbox.clone();
            std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || {
                    lower_own_priority();
                    loop {
                        // The lock is held only while waiting for the next
                        // job, never while one runs.
                        let next = match inbox.lock() {
                            Ok(inbox) => inbox.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("the system can start a password thread");
        }
        PasswordThreads { jobs }
    }

    /// Runs `work` on a password thread; `None` if the threads are gone.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs.send(job).ok()?;
        result.await.ok()
    }
}

/// Nice 10 for the calling thread (Linux keeps a nice value per thread).
/// Failing to lower it changes nothing but the latency of other requests.
#[cfg(target_os = "linux")]
fn lower_own_priority() {
    // SAFETY: setpriority takes plain integers and touches no memory of ours.
    let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10) };
}

#[cfg(not(target_os = "linux"))]
fn lower_own_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let hasher = PasswordHasher::new(4, 2);
        let password = NewPassword::parse("a long enough passphrase".into()).unwrap();

        let hash = hasher.hash(&password).await.unwrap();

        assert!(hasher.verify("a long enough passphrase", Some(&hash)).await);
        assert!(!hasher.verify("another long passphrase", Some(&hash)).await);
        assert!(!hasher.verify("a long enough passphrase", None).await);
    }

    #[test]
    fn passwords_over_72_bytes_or_under_12_characters_are_refused() {
        assert!(NewPassword::parse("x".repeat(73)).is_err());
        // 24 three-byte characters: 72 bytes, accepted; one more is refused.
        assert!(NewPassword::parse("€".repeat(24)).is_ok());
        assert!(NewPassword::parse("€".repeat(25)).is_err());
        assert!(NewPassword::parse("short".into()).is_err());
    }
}
