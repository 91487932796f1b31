//! Planning messages, always inside the caller's transaction, so a message
//! exists exactly when the change that causes it was committed. Every row has
//! a unique `dedupe_key`: retrying the transaction cannot plan it twice.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::{Kind, Why};
use crate::error::Result;

/// A message to plan.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    pub kind: Kind,
    pub event_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub recipient: &'a str,
    pub dedupe_key: String,
    /// Whatever the deliverer needs beyond the row (a reminder's offset, a sign-in token).
    pub payload: serde_json::Value,
    pub due_at: DateTime<Utc>,
}

impl<'a> Planned<'a> {
    /// A message about a registration, due at once. The key names the
    /// registration's change (kind and moment).
    pub fn about_registration(
        kind: Kind,
        event_id: i64,
        registration_id: i64,
        recipient: &'a str,
        now: DateTime<Utc>,
    ) -> Self {
        Planned {
            kind,
            event_id: Some(event_id),
            registration_id: Some(registration_id),
            recipient,
            dedupe_key: format!("{}:registration:{registration_id}:{}", kind.code(), now.timestamp_micros()),
            payload: serde_json::json!({}),
            due_at: now,
        }
    }

    /// A message about an event (a channel post), due at `due_at`.
    pub fn about_event(
        kind: Kind,
        event_id: i64,
        recipient: &'a str,
        dedupe_key: String,
        due_at: DateTime<Utc>,
    ) -> Self {
        Planned {
            kind,
            event_id: Some(event_id),
            registration_id: None,
            recipient,
            dedupe_key,
            payload: serde_json::json!({}),
            due_at,
        }
    }

    pub fn with_payload(mut self, payload: serde_json::Value) -> Self {
        self.payload = payload;
        self
    }
}

/// Plans a message; one with the same key already planned is left as it is.
pub async fn plan(conn: &mut PgConnection, planned: &Planned<'_>) -> Result<()> {
    insert(conn, planned, false).await
}

/// Plans a message or moves the one with the same key to the new moment:
/// a waiting one moves, a withdrawn one comes back, one already sent (or
/// being sent, or missed) is never repeated.
pub async fn plan_or_move(conn: &mut PgConnection, planned: &Planned<'_>) -> Result<()> {
    insert(conn, planned, true).await
}

async fn insert(conn: &mut PgConnection, planned: &Planned<'_>, moving: bool) -> Result<()> {
    let on_conflict = if moving {
        "ON CONFLICT (dedupe_key) DO UPDATE
             SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, retry_at = NULL, state = 'pending',
                 attempts = 0, last_error = NULL, why = NULL
             WHERE notifications.state IN ('pending', 'cancelled')"
    } else {
        "ON CONFLICT (dedupe_key) DO NOTHING"
    };
    sqlx::query(&format!(
        "INSERT INTO notifications (channel, kind, event_id, registration_id, recipient, dedupe_key, payload, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) {on_conflict}"
    ))
    .bind(planned.kind.channel())
    .bind(planned.kind)
    .bind(planned.event_id)
    .bind(planned.registration_id)
    .bind(planned.recipient)
    .bind(&planned.dedupe_key)
    .bind(&planned.payload)
    .bind(planned.due_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Tells everyone registered for an event (in any live status): one message
/// of `kind` each (`event_changed`, `event_cancelled`).
pub async fn for_registrants(conn: &mut PgConnection, event_id: i64, kind: Kind, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO notifications (channel, kind, event_id, registration_id, recipient, dedupe_key, due_at)
         SELECT $2, $3, event_id, id, email, $4 || ':registration:' || id || ':' || $5, $6
         FROM registrations
         WHERE event_id = $1 AND status IN ('confirmed', 'waitlisted', 'pending', 'checked_in')
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(event_id)
    .bind(kind.channel())
    .bind(kind)
    .bind(kind.code())
    .bind(now.timestamp_micros().to_string())
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Which waiting messages to withdraw.
#[derive(Debug, Clone, Copy)]
pub enum Waiting<'a> {
    /// The one with this key.
    Key(&'a str),
    /// An event's messages of these kinds.
    OfEvent { event_id: i64, kinds: &'a [Kind] },
    /// An event's messages of one kind to one recipient, but for those with these keys.
    AllBut { event_id: i64, kind: Kind, recipient: &'a str, keep: &'a [String] },
}

/// Withdraws waiting messages (`cancelled`, with the reason shown to organisers).
pub async fn withdraw(conn: &mut PgConnection, which: Waiting<'_>, why: Why) -> Result<u64> {
    let query = match which {
        Waiting::Key(key) => sqlx::query(
            "UPDATE notifications SET state = 'cancelled', why = $2, last_error = NULL WHERE dedupe_key = $1 AND state = 'pending'",
        )
        .bind(key)
        .bind(why),
        Waiting::OfEvent { event_id, kinds } => sqlx::query(
            "UPDATE notifications SET state = 'cancelled', why = $2, last_error = NULL
             WHERE event_id = $1 AND kind = ANY($3) AND state = 'pending'",
        )
        .bind(event_id)
        .bind(why)
        .bind(kinds.to_vec()),
        Waiting::AllBut { event_id, kind, recipient, keep } => sqlx::query(
            "UPDATE notifications SET state = 'cancelled', why = $2, last_error = NULL
             WHERE event_id = $1 AND kind = $3 AND recipient = $4 AND state = 'pending' AND NOT (dedupe_key = ANY($5))",
        )
        .bind(event_id)
        .bind(why)
        .bind(kind)
        .bind(recipient)
        .bind(keep.to_vec()),
    };
    Ok(query.execute(conn).await?.rows_affected())
}

/// Makes a withdrawn or failed message of an event due again now (an
/// organiser asked to post the announcement once more).
pub async fn revive(conn: &mut PgConnection, event_id: i64, kind: Kind, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications SET state = 'pending', due_at = $3, retry_at = NULL, attempts = 0, last_error = NULL, why = NULL
         WHERE event_id = $1 AND kind = $2 AND state IN ('failed', 'cancelled')",
    )
    .bind(event_id)
    .bind(kind)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}
