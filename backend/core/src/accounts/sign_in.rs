//! Password sign-in with limits on failures that hold under parallel guesses
//! and that a stranger cannot turn against the organiser.
//!
//! Each attempt is written down before its password is checked, then the
//! limits are counted, so twenty guesses sent at once see each other and at
//! most the limit of them reach argon2. A success removes its own row. The
//! limits: per account and address (the guesser's own lock), per address
//! (one address trying many accounts), and a slower one per account from
//! anywhere that does not apply to addresses the account has signed in from
//! before, so failures elsewhere never lock its owner out.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::{Account, password};
use crate::error::{Error, Result};
use crate::forms::{FieldErrors, Problem};
use crate::values::Email;

/// Failures allowed within [`WINDOW`] for one account from one address, and
/// from one address for any accounts.
pub const MAX_FAILURES_PER_ACCOUNT_AND_ADDR: i64 = 5;
pub const MAX_FAILURES_PER_ADDR: i64 = 20;
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures allowed within [`ACCOUNT_WINDOW`] for one account from addresses
/// it never signed in from: a guesser spread over many addresses.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 100;
pub const ACCOUNT_WINDOW: Duration = Duration::hours(1);
/// How long an address stays known after a successful sign-in.
pub const KNOWN_ADDRESS_FOR: Duration = Duration::days(90);

/// Checks the password. Every refusal reads the same ("wrong e-mail or
/// password") so the form does not reveal which accounts exist; after too
/// many failures the form refuses even the right password for a while.
#[tracing::instrument(skip(pool, raw_password))]
pub async fn sign_in(
    pool: &PgPool,
    raw_email: &str,
    raw_password: &str,
    client_addr: &str,
    now: DateTime<Utc>,
) -> Result<Account> {
    let email = Email::parse(raw_email).map_err(|problem| Error::invalid("email", problem))?;
    if raw_password.is_empty() || raw_password.len() > 1024 {
        return Err(Error::invalid("password", Problem::Required));
    }
    let attempt: i64 =
        sqlx::query_scalar("INSERT INTO sign_in_failures (email, client_addr, at) VALUES ($1, $2, $3) RETURNING id")
            .bind(email.as_str())
            .bind(client_addr)
            .bind(now)
            .fetch_one(pool)
            .await?;
    // Counted after this attempt (and every one sent with it) is written down.
    let (pair, by_addr, by_account, known) = sqlx::query_as::<_, (i64, i64, i64, bool)>(
        "SELECT count(*) FILTER (WHERE lower(email) = $1 AND client_addr = $2 AND at > $3),
                count(*) FILTER (WHERE client_addr = $2 AND at > $3),
                count(*) FILTER (WHERE lower(email) = $1 AND at > $4),
                EXISTS (SELECT 1 FROM sign_in_known_addresses k JOIN accounts a ON a.id = k.account_id
                        WHERE lower(a.email) = $1 AND k.client_addr = $2 AND k.last_success_at > $5)
         FROM sign_in_failures WHERE (lower(email) = $1 OR client_addr = $2) AND at > least($3, $4)",
    )
    .bind(email.as_str())
    .bind(client_addr)
    .bind(now - WINDOW)
    .bind(now - ACCOUNT_WINDOW)
    .bind(now - KNOWN_ADDRESS_FOR)
    .fetch_one(pool)
    .await?;
    if pair > MAX_FAILURES_PER_ACCOUNT_AND_ADDR
        || by_addr > MAX_FAILURES_PER_ADDR
        || (!known && by_account > MAX_FAILURES_PER_ACCOUNT)
    {
        tracing::warn!(pair, by_addr, by_account, known, "sign-in refused: too many failures");
        return Err(Error::Invalid(FieldErrors::single(FieldErrors::FORM, Problem::TooManyAttempts)));
    }

    let found = sqlx::query_as::<_, (i64, String, String, super::Role, Option<String>)>(
        "SELECT id, email, display_name, role, password_hash FROM accounts WHERE lower(email) = $1",
    )
    .bind(email.as_str())
    .fetch_optional(pool)
    .await?;
    let stored = found.as_ref().and_then(|(.., hash)| hash.as_deref());
    // Without an account a hash of nothing is checked, so both take as long.
    let matches = password::verify_off_thread(raw_password, stored).await;
    match found {
        Some((id, email, display_name, role, _)) if matches => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE id = $1").bind(attempt).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO sign_in_known_addresses (account_id, client_addr, last_success_at) VALUES ($1, $2, $3)
                 ON CONFLICT (account_id, client_addr) DO UPDATE SET last_success_at = EXCLUDED.last_success_at",
            )
            .bind(id)
            .bind(client_addr)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Account { id, email, display_name, role })
        }
        _ => Err(Error::Invalid(FieldErrors::single(FieldErrors::FORM, Problem::WrongCredentials))),
    }
}
