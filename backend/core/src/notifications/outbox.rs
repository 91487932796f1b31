//! The durable outbox. A row is planned in the transaction of the change that
//! causes it; a worker claims due rows with `FOR UPDATE SKIP LOCKED` and a
//! lease, sends, and records the outcome. A worker that dies mid-send leaves
//! its rows `sending` with a lease that runs out, and another worker takes
//! them again: a message is sent twice only if the crash falls between the
//! provider's answer and the commit that records it.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::email::{self, EmailMessage};
use crate::error::Result;

/// How long a claimed row belongs to its worker before others may retry it.
pub const LEASE: Duration = Duration::seconds(60);
/// How many rows one `run_due` call claims.
pub const BATCH: i64 = 32;
/// After this many attempts a temporarily failing message is given up on.
pub const MAX_ATTEMPTS: i32 = 20;

/// A message to plan.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    pub kind: &'static str,
    pub event_id: i64,
    pub registration_id: i64,
    pub recipient: &'a str,
    pub due_at: DateTime<Utc>,
    pub dedupe_key: String,
}

impl<'a> Planned<'a> {
    /// A message about a registration, due at once. The key names the
    /// registration's change (kind and moment), so retrying the transaction
    /// that plans it cannot plan it twice.
    pub fn now(
        kind: &'static str,
        event_id: i64,
        registration_id: i64,
        recipient: &'a str,
        now: DateTime<Utc>,
    ) -> Self {
        Planned {
            kind,
            event_id,
            registration_id,
            recipient,
            due_at: now,
            dedupe_key: format!("{kind}:registration:{registration_id}:{}", now.timestamp_micros()),
        }
    }
}

/// The reminder a confirmed registrant gets the day before.
pub const DAY_BEFORE: Duration = Duration::days(1);

fn reminder_key(registration_id: i64) -> String {
    format!("reminder_day_before:registration:{registration_id}")
}

/// Plans (or re-plans) the day-before reminder of a registration that holds a
/// seat. One row per registration: planning again moves it, and brings back a
/// cancelled one, but never repeats one already sent.
pub async fn plan_reminder(
    conn: &mut PgConnection,
    event_id: i64,
    registration_id: i64,
    recipient: &str,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let due_at = starts_at - DAY_BEFORE;
    if due_at <= now {
        // Registered less than a day ahead: the confirmation is the reminder.
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO notifications (channel, kind, event_id, registration_id, recipient, dedupe_key, due_at)
         VALUES ('email', 'reminder_day_before', $1, $2, $3, $4, $5)
         ON CONFLICT (dedupe_key) DO UPDATE
             SET due_at = EXCLUDED.due_at, state = 'pending', attempts = 0, last_error = NULL
             WHERE notifications.state IN ('pending', 'cancelled')",
    )
    .bind(event_id)
    .bind(registration_id)
    .bind(recipient)
    .bind(reminder_key(registration_id))
    .bind(due_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a registration's reminder that has not gone out yet.
pub async fn cancel_reminder(conn: &mut PgConnection, registration_id: i64) -> Result<()> {
    sqlx::query("UPDATE notifications SET state = 'cancelled' WHERE dedupe_key = $1 AND state = 'pending'")
        .bind(reminder_key(registration_id))
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves every pending reminder of an event to its new start.
pub async fn move_reminders(conn: &mut PgConnection, event_id: i64, starts_at: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications SET due_at = $2 WHERE event_id = $1 AND kind = 'reminder_day_before' AND state = 'pending'",
    )
    .bind(event_id)
    .bind(starts_at - DAY_BEFORE)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Withdraws every pending reminder of an event (it was cancelled).
pub async fn cancel_reminders(conn: &mut PgConnection, event_id: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications SET state = 'cancelled' WHERE event_id = $1 AND kind = 'reminder_day_before' AND state = 'pending'",
    )
    .bind(event_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Tells everyone registered for an event (in any live status) about it:
/// `event_changed` or `event_cancelled`, planned in the caller's transaction.
pub async fn tell_registrants(
    conn: &mut PgConnection,
    event_id: i64,
    kind: &'static str,
    now: DateTime<Utc>,
) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO notifications (channel, kind, event_id, registration_id, recipient, dedupe_key, due_at)
         SELECT 'email', $2, event_id, id, email, $2 || ':registration:' || id || ':' || $3, $4
         FROM registrations
         WHERE event_id = $1 AND status IN ('confirmed', 'waitlisted', 'pending', 'checked_in')
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(event_id)
    .bind(kind)
    .bind(now.timestamp_micros().to_string())
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Plans an e-mail inside the caller's transaction.
pub async fn plan_email(conn: &mut PgConnection, planned: Planned<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications (channel, kind, event_id, registration_id, recipient, dedupe_key, due_at)
         VALUES ('email', $1, $2, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(planned.kind)
    .bind(planned.event_id)
    .bind(planned.registration_id)
    .bind(planned.recipient)
    .bind(&planned.dedupe_key)
    .bind(planned.due_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A row this worker holds until its lease ends.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub event_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub recipient: String,
    pub attempts: i32,
}

/// Claims up to `BATCH` e-mails that are due, or whose worker's lease ran out.
pub async fn claim_due(pool: &PgPool, now: DateTime<Utc>) -> Result<Vec<Claimed>> {
    Ok(sqlx::query_as::<_, Claimed>(
        "UPDATE notifications SET state = 'sending', lease_until = $2, attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM notifications
             WHERE channel = 'email'
               AND ((state = 'pending' AND due_at <= $1) OR (state = 'sending' AND lease_until <= $1))
             ORDER BY due_at, id
             LIMIT $3
             FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, payload, event_id, registration_id, recipient, attempts",
    )
    .bind(now)
    .bind(now + LEASE)
    .bind(BATCH)
    .fetch_all(pool)
    .await?)
}

/// Why a send did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth retrying: the server is down, busy, or said "try later" (4xx).
    Transient(String),
    /// Not worth retrying: the server refused the message for good (5xx).
    Permanent(String),
}

/// Something that delivers e-mail: SMTP in production, anything in tests.
pub trait EmailSender: Send + Sync {
    /// Sends one message; on success, the server's reply for the record.
    fn send(&self, message: &EmailMessage) -> impl Future<Output = Result<String, SendError>> + Send;
}

/// Waiting time before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... up to 30 min.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 7) - 1;
    Duration::seconds(30 * (1 << exponent)).min(Duration::minutes(30))
}

/// What one `run_due` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ran {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Claimed but no longer worth sending.
    pub skipped: usize,
}

impl Ran {
    pub fn claimed(&self) -> usize {
        self.sent + self.retried + self.failed + self.skipped
    }
}

/// Sends what is due now, once: the worker loop calls it, and so do tests
/// (with their own clock) instead of sleeping.
#[tracing::instrument(skip(pool, sender, site))]
pub async fn run_due<S: EmailSender>(pool: &PgPool, now: DateTime<Utc>, sender: &S, site: &email::Site) -> Result<Ran> {
    let mut ran = Ran::default();
    for claimed in claim_due(pool, now).await? {
        let outcome = match email::render(pool, &claimed, site, now).await {
            Ok(email::Rendered::Message(message)) => sender.send(&message).await,
            Ok(email::Rendered::Skip(reason)) => {
                // No longer useful (a reminder for an event already under way):
                // recorded as cancelled with the reason, never sent late.
                sqlx::query(
                    "UPDATE notifications SET state = 'cancelled', lease_until = NULL, last_error = $2 WHERE id = $1",
                )
                .bind(claimed.id)
                .bind(reason)
                .execute(pool)
                .await?;
                ran.skipped += 1;
                continue;
            }
            Err(error) => Err(SendError::Transient(format!("could not prepare the message: {error}"))),
        };
        match outcome {
            Ok(reply) => {
                // A payload may carry a one-time secret (a sign-in link): once
                // delivered it has no business staying in the database.
                sqlx::query(
                    "UPDATE notifications SET state = 'sent', sent_at = $2, provider_reply = $3, lease_until = NULL,
                         last_error = NULL, payload = '{}'
                     WHERE id = $1",
                )
                .bind(claimed.id)
                .bind(now)
                .bind(&reply)
                .execute(pool)
                .await?;
                ran.sent += 1;
            }
            Err(SendError::Transient(error)) if claimed.attempts < MAX_ATTEMPTS => {
                tracing::warn!(notification_id = claimed.id, attempts = claimed.attempts, %error, "send failed; will retry");
                sqlx::query(
                    "UPDATE notifications SET state = 'pending', due_at = $2, lease_until = NULL, last_error = $3 WHERE id = $1",
                )
                .bind(claimed.id)
                .bind(now + backoff(claimed.attempts))
                .bind(&error)
                .execute(pool)
                .await?;
                ran.retried += 1;
            }
            Err(SendError::Transient(error) | SendError::Permanent(error)) => {
                tracing::error!(notification_id = claimed.id, attempts = claimed.attempts, %error, "send failed for good");
                sqlx::query(
                    "UPDATE notifications SET state = 'failed', lease_until = NULL, last_error = $2 WHERE id = $1",
                )
                .bind(claimed.id)
                .bind(&error)
                .execute(pool)
                .await?;
                ran.failed += 1;
            }
        }
    }
    Ok(ran)
}

/// The messages of one event, newest first, for the organiser's list.
pub async fn for_event(pool: &PgPool, event_id: i64) -> Result<Vec<crate::views::NotificationRow>> {
    Ok(sqlx::query_as::<_, crate::views::NotificationRow>(
        "SELECT id, channel::text AS channel, kind, recipient, due_at, state::text AS state, attempts, last_error, sent_at
         FROM notifications WHERE event_id = $1 ORDER BY due_at DESC, id DESC LIMIT 500",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?)
}

/// What an organiser can do to one message from the notifications page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganiserAction {
    /// Due now (a waiting message, or one that failed or was withdrawn).
    SendNow,
    /// A failed message, from scratch.
    Retry,
    /// Withdraw a waiting message.
    Skip,
}

impl OrganiserAction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "send_now" => Some(OrganiserAction::SendNow),
            "retry" => Some(OrganiserAction::Retry),
            "skip" => Some(OrganiserAction::Skip),
            _ => None,
        }
    }
}

/// Applies an organiser's action to a message of `event_id`; a message in
/// a state the action does not fit is left alone (`Ok(false)`).
#[tracing::instrument(skip(pool))]
pub async fn organiser_action(
    pool: &PgPool,
    event_id: i64,
    id: i64,
    action: OrganiserAction,
    now: DateTime<Utc>,
) -> Result<bool> {
    let sql = match action {
        OrganiserAction::SendNow => {
            "UPDATE notifications SET state = 'pending', due_at = $3, retry_at = NULL, last_error = NULL
             WHERE id = $1 AND event_id = $2 AND state IN ('pending', 'failed', 'cancelled', 'missed')"
        }
        OrganiserAction::Retry => {
            "UPDATE notifications SET state = 'pending', due_at = $3, retry_at = NULL, attempts = 0, last_error = NULL
             WHERE id = $1 AND event_id = $2 AND state = 'failed'"
        }
        OrganiserAction::Skip => {
            "UPDATE notifications
             SET state = 'cancelled',
                 last_error = 'skipped by an organiser at ' || to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
             WHERE id = $1 AND event_id = $2 AND state = 'pending'"
        }
    };
    let done = sqlx::query(sql).bind(id).bind(event_id).bind(now).execute(pool).await?;
    if done.rows_affected() > 0 {
        // Wake the delivery workers now rather than at their next poll.
        sqlx::query("SELECT pg_notify('outbox', '')").execute(pool).await?;
    }
    Ok(done.rows_affected() > 0)
}

/// When the next pending message falls due, so a worker can sleep until then.
pub async fn next_due(pool: &PgPool) -> Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
        "SELECT min(CASE WHEN state = 'pending' THEN due_at ELSE lease_until END)
         FROM notifications WHERE channel = 'email' AND state IN ('pending', 'sending')",
    )
    .fetch_one(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_stops_at_thirty_minutes() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(6), Duration::seconds(960));
        assert_eq!(backoff(7), Duration::minutes(30));
        assert_eq!(backoff(50), Duration::minutes(30));
    }
}
