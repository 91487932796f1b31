//! Password hashing with argon2id (the crate's defaults follow OWASP's
//! recommendation: 19 MiB, 2 passes).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail on a valid salt")
        .to_string()
}

/// True when `password` matches the stored PHC string. A malformed stored
/// hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// At most this many argon2 checks run at once (half the cores, at least
/// one): each takes 19 MiB and tens of milliseconds of a core, and a burst
/// of sign-ins must not take the cores that render every other page.
fn checks() -> &'static tokio::sync::Semaphore {
    use std::sync::OnceLock;
    static CHECKS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    CHECKS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new((cores / 2).max(1))
    })
}

/// [`verify`] (or, without a stored hash, [`verify_against_nothing`]) on
/// tokio's blocking threads, a bounded number at a time; the async threads
/// stay free meanwhile.
pub async fn verify_off_thread(password: &str, stored: Option<&str>) -> bool {
    let _permit = checks().acquire().await.expect("the semaphore is never closed");
    let (password, stored) = (password.to_owned(), stored.map(str::to_owned));
    let checked = tokio::task::spawn_blocking(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            verify_against_nothing(&password);
            false
        }
    })
    .await;
    checked.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))
}

/// A hash of nothing anybody knows, checked when the e-mail has no account so
/// that "no such account" takes as long as "wrong password".
pub fn verify_against_nothing(password: &str) {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("paperclub: no account has this password"));
    let _ = verify(password, dummy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery staple");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("anything", "not a hash"));
    }
}
