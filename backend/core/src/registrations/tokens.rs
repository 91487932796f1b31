//! The secret in a registration's links (ticket, join, cancel).

use rand::RngCore;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationToken(String);

impl RegistrationToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        RegistrationToken(hex::encode(bytes))
    }

    /// A forged or mistyped token that cannot be ours is refused before any query.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (raw.len() == 64 && raw.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
            .then(|| RegistrationToken(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_lower_hex_characters_and_nothing_else_parses() {
        let token = RegistrationToken::generate();
        assert_eq!(RegistrationToken::parse(token.as_str()), Some(token));
        assert_eq!(RegistrationToken::parse(&"A".repeat(64)), None);
        assert_eq!(RegistrationToken::parse("abc"), None);
        assert_eq!(RegistrationToken::parse(&format!("{}'--", "a".repeat(60))), None);
    }
}
