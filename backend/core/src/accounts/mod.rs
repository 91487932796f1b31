//! Accounts: organisers (and later members and check-in staff), their
//! passwords, sign-in sessions and the sign-in rate limit.

pub mod links;
pub mod password;
pub mod sessions;
pub mod sign_in;
pub mod telegram_link;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::forms::Problem;
use crate::values::{self, Email};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "account_role", rename_all = "snake_case")]
pub enum Role {
    Organiser,
    Checkin,
    Member,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

impl Account {
    pub fn is_organiser(&self) -> bool {
        self.role == Role::Organiser
    }
    /// Organisers and check-in staff may work the door.
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Organiser | Role::Checkin)
    }
}

/// Shortest organiser password we accept: long enough to resist guessing
/// under the sign-in rate limit for years.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Creates the organiser, or resets the password and name of an existing
/// account with that e-mail and makes it an organiser (the CLI's
/// `admin create` is also how a forgotten password is reset).
pub async fn upsert_organiser(pool: &PgPool, email: &str, display_name: &str, password: &str) -> Result<Account> {
    upsert_staff(pool, email, display_name, password, Role::Organiser).await
}

/// Creates a staff account (organiser, or check-in staff who only use the
/// door pages), or resets an existing account's password, name and role.
#[tracing::instrument(skip(pool, password))]
pub async fn upsert_staff(
    pool: &PgPool,
    email: &str,
    display_name: &str,
    password: &str,
    role: Role,
) -> Result<Account> {
    let email = Email::parse(email).map_err(|problem| Error::invalid("email", problem))?;
    let display_name = values::required_text(display_name, 200).map_err(|problem| Error::invalid("name", problem))?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid("password", Problem::OutOfRange { min: MIN_PASSWORD_CHARS as i64, max: 1024 }));
    }
    let hash = password::hash(password);
    let account = sqlx::query_as::<_, Account>(
        "INSERT INTO accounts (email, display_name, role, password_hash) VALUES ($1, $2, $4, $3)
         ON CONFLICT (lower(email)) DO UPDATE
             SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash
         RETURNING id, email, display_name, role",
    )
    .bind(email.as_str())
    .bind(&display_name)
    .bind(hash)
    .bind(role)
    .fetch_one(pool)
    .await?;
    Ok(account)
}

pub(crate) async fn by_id(conn: &mut sqlx::PgConnection, id: i64) -> Result<Account> {
    sqlx::query_as::<_, Account>("SELECT id, email, display_name, role FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)
}

pub async fn organiser_count(pool: &PgPool) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM accounts WHERE role = 'organiser'").fetch_one(pool).await?)
}
