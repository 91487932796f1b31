//! Random tokens handed to browsers (sessions, sign-in links, tickets, demo
//! visitors) and the one-way digest the database keeps of those it must not
//! be able to replay.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, as 64 hex characters.
pub fn random_token() -> String {
    hex::encode(random_bytes())
}

/// The same 32 random bytes as 43 characters of unpadded base64url, for
/// tokens that must be short (a Telegram start parameter has 64 at most).
pub fn random_short_token() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes())
}

fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Whether `raw` has the shape of a [`random_token`]: forged or mistyped
/// values are refused before any query.
pub fn is_token(raw: &str) -> bool {
    raw.len() == 64 && raw.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// SHA-256 of a token: what is stored instead of the token itself.
pub fn digest(token: &str) -> Vec<u8> {
    digest_bytes(token.as_bytes())
}

/// Whether a presented secret is the expected one, in time that does not
/// depend on where they differ (both are hashed first, so their lengths
/// leak nothing either).
pub fn same_secret(presented: &str, expected: &str) -> bool {
    let (a, b) = (digest(presented), digest(expected));
    a.iter().zip(&b).fold(0u8, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// SHA-256 of any content (uploaded files are kept once per digest).
pub fn digest_bytes(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_well_formed_and_digests_fixed_length() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert!(is_token(&a) && !is_token("xyz") && !is_token(&a.to_uppercase()));
        assert_eq!(digest(&a).len(), 32);
        assert_eq!(digest(&a), digest(&a));
    }
}
