//! The secret in a registration's links (ticket, join, unsubscribe, cancel).
//! Tokens are minted for each message that carries one and only their digest
//! is stored (`registration_tokens`): a copy of the database opens no ticket.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationToken(String);

/// How long a token minted for the member's own page (`/me`) opens the ticket.
pub const PAGE_TOKEN_LIFETIME: Duration = Duration::days(1);

impl RegistrationToken {
    /// A forged or mistyped token that cannot be ours is refused before any query.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        crate::secrets::is_token(raw).then(|| RegistrationToken(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn digest(&self) -> Vec<u8> {
        crate::secrets::digest(&self.0)
    }

    /// The ticket as a QR code (SVG) holding the whole token.
    pub fn qr_svg(&self) -> String {
        qrcode::QrCode::new(self.0.as_bytes())
            .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(220, 220).quiet_zone(true).build())
            .unwrap_or_default()
    }
}

/// A new token for the registration, kept as its digest; `expires_at` for
/// tokens shown on a page rather than mailed.
pub async fn mint(
    conn: &mut PgConnection,
    registration_id: i64,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<RegistrationToken> {
    let token = RegistrationToken(crate::secrets::random_token());
    sqlx::query(
        "INSERT INTO registration_tokens (digest, registration_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token.digest())
    .bind(registration_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(token)
}

/// The registration a token opens, if it is one of ours and still valid.
pub async fn registration_of(
    conn: &mut PgConnection,
    token: &RegistrationToken,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT registration_id FROM registration_tokens
         WHERE digest = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(token.digest())
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// A fresh door code: eight hex characters.
pub fn door_code() -> String {
    crate::secrets::random_token()[..8].to_owned()
}

/// The door code as printed under the QR code, `3F9A-0C21`.
pub fn printed_door_code(code: &str) -> String {
    format!("{}-{}", &code[..4.min(code.len())], &code[4.min(code.len())..]).to_uppercase()
}

/// What staff typed or scanned at the door, normalised: lower-case hex
/// without dashes or spaces. A full token (64) or a door code (8).
pub fn normalise_code(raw: &str) -> Option<String> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_lowercase();
    ((code.len() == 8 || code.len() == 64) && code.chars().all(|c| c.is_ascii_hexdigit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn door_codes_print_in_two_halves_and_typed_codes_are_normalised() {
        assert_eq!(printed_door_code("3f9a0c21"), "3F9A-0C21");
        assert_eq!(normalise_code(" 3F9A-0C21 "), Some("3f9a0c21".into()));
        assert_eq!(normalise_code("3F9A"), None, "too short to find one ticket");
        assert_eq!(normalise_code("zzzz-zzzz"), None);
        assert_eq!(door_code().len(), 8);
        let token = RegistrationToken::parse(&"b".repeat(64)).unwrap();
        assert!(token.qr_svg().starts_with("<?xml"));
    }

    #[test]
    fn tokens_are_64_lower_hex_characters_and_nothing_else_parses() {
        let raw = crate::secrets::random_token();
        assert_eq!(RegistrationToken::parse(&raw).map(|t| t.as_str().to_owned()), Some(raw));
        assert_eq!(RegistrationToken::parse(&"A".repeat(64)), None);
        assert_eq!(RegistrationToken::parse("abc"), None);
        assert_eq!(RegistrationToken::parse(&format!("{}'--", "a".repeat(60))), None);
    }
}
