//! Linking a Telegram account to a site account: the site makes a one-time
//! token (kept hashed, valid for 15 minutes) and shows a deep link that
//! carries it to the bot (`DeepLink::LinkAccount`); the bot redeems it for
//! the person who pressed Start. A linked account registers from Telegram
//! with its own e-mail.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::Account;
use crate::error::{Error, Result};

pub const LIFETIME: Duration = Duration::minutes(15);

/// A link token: 32 random bytes in unpadded base64url, 43 characters, so
/// `link_<token>` fits Telegram's 64-character start parameter (the
/// 64-character hex of other tokens does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkToken(String);

impl LinkToken {
    const LEN: usize = 43;

    pub fn generate() -> LinkToken {
        LinkToken(crate::secrets::random_short_token())
    }

    /// Refuses anything without a token's shape before any query.
    pub fn parse(raw: &str) -> Option<LinkToken> {
        let shaped = raw.len() == Self::LEN && raw.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
        shaped.then(|| LinkToken(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new token for `account_id`; only its hash is stored.
pub async fn create_link_token(pool: &PgPool, account_id: i64, now: DateTime<Utc>) -> Result<LinkToken> {
    let token = LinkToken::generate();
    sqlx::query("INSERT INTO telegram_link_tokens (token_hash, account_id, expires_at) VALUES ($1, $2, $3)")
        .bind(crate::secrets::digest(token.as_str()))
        .bind(account_id)
        .bind(now + LIFETIME)
        .execute(pool)
        .await?;
    Ok(token)
}

/// Uses a token once; links the Telegram user to its account.
pub async fn redeem(pool: &PgPool, token: &LinkToken, telegram_user_id: i64, now: DateTime<Utc>) -> Result<Account> {
    let mut tx = pool.begin().await?;
    let account_id = sqlx::query_scalar::<_, i64>(
        "UPDATE telegram_link_tokens SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id",
    )
    .bind(crate::secrets::digest(token.as_str()))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    // One Telegram account per site account: a relink moves it.
    sqlx::query("UPDATE telegram_users SET account_id = NULL WHERE account_id = $1 AND telegram_user_id <> $2")
        .bind(account_id)
        .bind(telegram_user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE telegram_users SET account_id = $2 WHERE telegram_user_id = $1")
        .bind(telegram_user_id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let account = super::by_id(&mut tx, account_id).await?;
    tx.commit().await?;
    Ok(account)
}

/// The site account linked to a Telegram user, if any.
pub async fn linked_account(pool: &PgPool, telegram_user_id: i64) -> Result<Option<Account>> {
    let id = sqlx::query_scalar::<_, Option<i64>>("SELECT account_id FROM telegram_users WHERE telegram_user_id = $1")
        .bind(telegram_user_id)
        .fetch_optional(pool)
        .await?
        .flatten();
    match id {
        Some(id) => Ok(Some(super::by_id(&mut *pool.acquire().await?, id).await?)),
        None => Ok(None),
    }
}
