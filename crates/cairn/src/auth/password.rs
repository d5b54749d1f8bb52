//! Password hashing with Argon2id, off the async threads (a hash takes tens of milliseconds).

use anyhow::Context;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

/// Hashes running at once. Each takes 19 MiB for its duration and a core: a burst of sign-ins
/// (a shift starting) queues here instead of holding a gigabyte and a thread each.
static HASHING: Semaphore = Semaphore::const_new(2);

/// The shortest password accepted (length beats complexity rules).
pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 200;

/// Checks a new password's length; the message says what is accepted.
pub fn check_new(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Err(format!(
            "The password must be at least {MIN_LENGTH} characters long"
        ))
    } else if length > MAX_LENGTH {
        Err(format!(
            "The password must be {MAX_LENGTH} characters or fewer"
        ))
    } else {
        Ok(())
    }
}

/// An Argon2id PHC string for `password`.
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _turn = HASHING.acquire().await.context("hashing has stopped")?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .context("the hashing task failed")?
}

/// The same, for command-line and demo code that is not async.
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored hash. With no hash it still spends the time of a
/// verification, so that response times do not reveal which emails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    let _turn = HASHING.acquire().await.context("hashing has stopped")?;
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok();
        matches && stored != DUMMY_HASH
    })
    .await
    .context("the verification task failed")
}

/// A valid Argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Gd5yVhJm6oZgq9b3yq3tvyP2aW3fTj3x2fd9x8W2xQk";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let stored = hash("correct horse battery".to_owned())
            .await
            .expect("hashes");
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".to_owned(), Some(stored.clone()))
                .await
                .expect("verifies")
        );
        assert!(
            !verify("wrong horse battery".to_owned(), Some(stored))
                .await
                .expect("verifies")
        );
        assert!(!verify("anything".to_owned(), None).await.expect("verifies"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_new("short").is_err());
        assert!(check_new("long enough pass").is_ok());
    }
}
