//! Password sign-in with a rate limit on failures.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::{Account, password};
use crate::error::{Error, Result};
use crate::forms::{FieldErrors, Problem};
use crate::values::Email;

/// Failures allowed per e-mail, and per client address, within [`WINDOW`].
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
pub const MAX_FAILURES_PER_ADDR: i64 = 20;
pub const WINDOW: Duration = Duration::minutes(15);

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
    let (by_email, by_addr) = sqlx::query_as::<_, (i64, i64)>(
        "SELECT count(*) FILTER (WHERE lower(email) = $1), count(*) FILTER (WHERE client_addr = $2)
         FROM sign_in_failures WHERE at > $3 AND (lower(email) = $1 OR client_addr = $2)",
    )
    .bind(email.as_str())
    .bind(client_addr)
    .bind(now - WINDOW)
    .fetch_one(pool)
    .await?;
    if by_email >= MAX_FAILURES_PER_EMAIL || by_addr >= MAX_FAILURES_PER_ADDR {
        tracing::warn!(by_email, by_addr, "sign-in refused: too many failures");
        return Err(Error::Invalid(FieldErrors::single(FieldErrors::FORM, Problem::TooManyAttempts)));
    }

    let found = sqlx::query_as::<_, (i64, String, String, super::Role, Option<String>)>(
        "SELECT id, email, display_name, role, password_hash FROM accounts WHERE lower(email) = $1",
    )
    .bind(email.as_str())
    .fetch_optional(pool)
    .await?;
    let account = match found {
        Some((id, email, display_name, role, Some(hash))) if password::verify(raw_password, &hash) => {
            Some(Account { id, email, display_name, role })
        }
        Some(_) => None,
        None => {
            password::verify_against_nothing(raw_password);
            None
        }
    };
    match account {
        Some(account) => Ok(account),
        None => {
            sqlx::query("INSERT INTO sign_in_failures (email, client_addr, at) VALUES ($1, $2, $3)")
                .bind(email.as_str())
                .bind(client_addr)
                .bind(now)
                .execute(pool)
                .await?;
            Err(Error::Invalid(FieldErrors::single(FieldErrors::FORM, Problem::WrongCredentials)))
        }
    }
}
