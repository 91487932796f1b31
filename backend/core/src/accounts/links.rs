//! Members sign in with a one-time link sent by e-mail: no password to
//! forget. The link is single-use and short-lived, and only its hash is kept.
//! Opening it only asks (mail scanners open every link, and a link someone
//! else forwarded would otherwise sign the reader into the sender's account);
//! the button on that page uses it. Staff accounts never sign in by link:
//! their mailbox is not a second password.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::Account;
use crate::error::Result;
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
    let mut tx = pool.begin().await?;
    // The form answers the same either way, so nobody learns which addresses
    // are staff; a staff address just gets no link.
    let staff: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(email) = lower($1) AND role <> 'member')",
    )
    .bind(email.as_str())
    .fetch_one(&mut *tx)
    .await?;
    // A handful of links an hour per address; the form answers the same, so
    // nobody can fill someone's inbox through it.
    if staff || !crate::outbox::recipient_limit::allows(&mut tx, email.as_str(), now).await? {
        return Ok(());
    }
    let token = crate::secrets::random_token();
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

/// What using a link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    SignedIn(Account),
    /// Used, expired or never issued.
    Gone,
    /// The address belongs to an organiser or check-in staff: they sign in
    /// with their password.
    StaffUsePassword,
}

/// The address an unused, unexpired link signs into, for the page that asks
/// before using it.
pub async fn pending(pool: &PgPool, token: &str, now: DateTime<Utc>) -> Result<Option<String>> {
    if !crate::secrets::is_token(token) {
        return Ok(None);
    }
    Ok(sqlx::query_scalar(
        "SELECT email FROM sign_in_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(crate::secrets::digest(token))
    .bind(now)
    .fetch_optional(pool)
    .await?)
}

/// Uses a link: once, before it expires. Signs in the member account with
/// that e-mail, creating it on first use.
#[tracing::instrument(skip(pool, token))]
pub async fn redeem(pool: &PgPool, token: &str, now: DateTime<Utc>) -> Result<Redeemed> {
    if !crate::secrets::is_token(token) {
        return Ok(Redeemed::Gone);
    }
    let mut tx = pool.begin().await?;
    let Some(email) = sqlx::query_scalar::<_, String>(
        "UPDATE sign_in_links SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING email",
    )
    .bind(crate::secrets::digest(token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Redeemed::Gone);
    };
    let account = sqlx::query_as::<_, Account>(
        "INSERT INTO accounts (email, display_name, role) VALUES ($1, split_part($1, '@', 1), 'member')
         ON CONFLICT (lower(email)) DO UPDATE SET email = accounts.email
         RETURNING id, email, display_name, role",
    )
    .bind(&email)
    .fetch_one(&mut *tx)
    .await?;
    // The link is spent either way.
    tx.commit().await?;
    Ok(if account.is_staff() { Redeemed::StaffUsePassword } else { Redeemed::SignedIn(account) })
}
