//! Members sign in with a one-time link sent by e-mail: no password to
//! forget. The link is single-use and short-lived, and only its hash is kept.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::Account;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::outbox::Kind;
use crate::outbox::plan::{self, Planned};
use crate::values::Email;

pub const LIFETIME: Duration = Duration::minutes(15);

/// Creates a link for the address and plans the e-mail that carries it.
/// The token travels in the message's payload until it is sent, then the
/// payload is wiped (see `outbox::delivery::run_due`).
#[tracing::instrument(skip(pool, email), fields(email = %email.as_str()))]
pub async fn send_link(pool: &PgPool, email: &Email, lang: Lang, now: DateTime<Utc>) -> Result<()> {
    let token = crate::secrets::random_token();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO sign_in_links (token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(crate::secrets::digest(&token))
        .bind(email.as_str())
        .bind(now)
        .bind(now + LIFETIME)
        .execute(&mut *tx)
        .await?;
    let message = Planned {
        kind: Kind::SignInLink,
        event_id: None,
        registration_id: None,
        recipient: email.as_str(),
        dedupe_key: format!("sign_in_link:{}", hex::encode(&crate::secrets::digest(&token)[..12])),
        payload: serde_json::json!({ "token": token, "lang": lang.code() }),
        due_at: now,
    };
    plan::plan(&mut tx, &message).await?;
    tx.commit().await?;
    Ok(())
}

/// Uses a link: once, before it expires. Signs in the account with that
/// e-mail, creating a member account on first use.
#[tracing::instrument(skip(pool, token))]
pub async fn redeem(pool: &PgPool, token: &str, now: DateTime<Utc>) -> Result<Account> {
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::NotFound);
    }
    let mut tx = pool.begin().await?;
    let email = sqlx::query_scalar::<_, String>(
        "UPDATE sign_in_links SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING email",
    )
    .bind(crate::secrets::digest(token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let account = sqlx::query_as::<_, Account>(
        "INSERT INTO accounts (email, display_name, role) VALUES ($1, split_part($1, '@', 1), 'member')
         ON CONFLICT (lower(email)) DO UPDATE SET email = accounts.email
         RETURNING id, email, display_name, role",
    )
    .bind(&email)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(account)
}
