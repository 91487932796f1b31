//! A limit per recipient on the messages anybody can make paperclub send to
//! any address: confirmations of registrations and sign-in links. Limits per
//! client address stop one visitor; this one stops many visitors (or one with
//! many addresses) from filling someone's inbox. Counted in PostgreSQL, so it
//! holds across server processes.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

use super::Kind;
use crate::error::Result;

/// Messages a visitor can trigger, per recipient, within [`WINDOW`].
pub const MAX_PER_HOUR: i64 = 5;
pub const WINDOW: Duration = Duration::hours(1);

/// The kinds a stranger can cause by typing someone's address into a form.
const TRIGGERED_BY_VISITORS: &[Kind] = &[
    Kind::RegistrationConfirmed,
    Kind::RegistrationWaitlisted,
    Kind::RegistrationPending,
    Kind::RegistrationResent,
    Kind::SignInLink,
];

/// Whether one more visitor-triggered message may be planned to `recipient`.
/// Call it inside the transaction that plans the message.
pub async fn allows(conn: &mut PgConnection, recipient: &str, now: DateTime<Utc>) -> Result<bool> {
    let recent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications
         WHERE lower(recipient) = lower($1) AND kind = ANY($2) AND due_at > $3 AND due_at <= $4",
    )
    .bind(recipient)
    .bind(TRIGGERED_BY_VISITORS)
    .bind(now - WINDOW)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(recent < MAX_PER_HOUR)
}
