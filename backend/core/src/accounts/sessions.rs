//! Server-side sign-in sessions. The browser holds a random token in an
//! HttpOnly cookie; the database holds only its SHA-256.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::Account;
use crate::error::Result;

pub const COOKIE: &str = "paperclub_session";
pub const LIFETIME: Duration = Duration::days(14);

/// A session token as it travels in the cookie (64 hex characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    fn generate() -> Self {
        SessionToken(crate::secrets::random_token())
    }
    /// Anything that is not 64 hex characters cannot be one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        crate::secrets::is_token(raw).then(|| SessionToken(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    fn digest(&self) -> Vec<u8> {
        crate::secrets::digest(&self.0)
    }
}

/// The `Set-Cookie` value that stores a session in the browser, or (with
/// `None`) removes it. HttpOnly: scripts never see it. SameSite=Lax: it rides
/// along on links from elsewhere but not on cross-site posts.
pub fn cookie_header(token: Option<&SessionToken>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => {
            format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                token.as_str(),
                LIFETIME.num_seconds()
            )
        }
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

pub async fn start(pool: &PgPool, account_id: i64, now: DateTime<Utc>) -> Result<SessionToken> {
    let token = SessionToken::generate();
    sqlx::query(
        "INSERT INTO account_sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token.digest())
    .bind(account_id)
    .bind(now)
    .bind(now + LIFETIME)
    .execute(pool)
    .await?;
    Ok(token)
}

/// The signed-in account for a token, if the session is live.
pub async fn account(pool: &PgPool, token: &SessionToken, now: DateTime<Utc>) -> Result<Option<Account>> {
    Ok(sqlx::query_as::<_, Account>(
        "SELECT a.id, a.email, a.display_name, a.role FROM account_sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token.digest())
    .bind(now)
    .fetch_optional(pool)
    .await?)
}

pub async fn end(pool: &PgPool, token: &SessionToken) -> Result<()> {
    sqlx::query("DELETE FROM account_sessions WHERE token_hash = $1").bind(token.digest()).execute(pool).await?;
    Ok(())
}

/// Keeps a message for the next page this session shows.
pub async fn set_flash(pool: &PgPool, token: &SessionToken, flash: &serde_json::Value) -> Result<()> {
    sqlx::query("UPDATE account_sessions SET flash = $2 WHERE token_hash = $1")
        .bind(token.digest())
        .bind(flash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Takes the kept message, if any: it is shown once.
pub async fn take_flash(pool: &PgPool, token: &SessionToken) -> Result<Option<serde_json::Value>> {
    Ok(sqlx::query_scalar::<_, Option<serde_json::Value>>(
        "UPDATE account_sessions s SET flash = NULL FROM account_sessions old
         WHERE s.token_hash = $1 AND old.token_hash = s.token_hash AND old.flash IS NOT NULL
         RETURNING old.flash",
    )
    .bind(token.digest())
    .fetch_optional(pool)
    .await?
    .flatten())
}

/// Removes expired sessions; run now and then by the server.
pub async fn purge_expired(pool: &PgPool, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM account_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_foreign_strings_are_refused() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a, b);
        assert_eq!(SessionToken::parse(a.as_str()), Some(a));
        assert_eq!(SessionToken::parse("zz"), None);
        assert_eq!(SessionToken::parse(&"g".repeat(64)), None);
    }
}
