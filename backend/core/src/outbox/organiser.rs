//! What organisers see of the outbox and can do to it from an event's
//! notifications page: send a message now, retry a failed one, skip one.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::error::Result;
use crate::views::NotificationRow;

/// The messages of one event, newest first.
pub async fn for_event(pool: &PgPool, event_id: i64) -> Result<Vec<NotificationRow>> {
    Ok(sqlx::query_as::<_, NotificationRow>(
        "SELECT id, channel, kind, recipient, due_at, state, attempts, why, last_error, sent_at
         FROM notifications WHERE event_id = $1 ORDER BY due_at DESC, id DESC LIMIT 500",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?)
}

/// What an organiser can do to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganiserAction {
    /// Due now (a waiting message, or one that failed, was withdrawn or missed).
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
pub async fn act(pool: &PgPool, event_id: i64, id: i64, action: OrganiserAction, now: DateTime<Utc>) -> Result<bool> {
    let sql = match action {
        OrganiserAction::SendNow => {
            "UPDATE notifications SET state = 'pending', due_at = $3, retry_at = NULL, last_error = NULL, why = NULL
             WHERE id = $1 AND event_id = $2 AND state IN ('pending', 'failed', 'cancelled', 'missed')"
        }
        OrganiserAction::Retry => {
            "UPDATE notifications SET state = 'pending', due_at = $3, retry_at = NULL, attempts = 0, last_error = NULL, why = NULL
             WHERE id = $1 AND event_id = $2 AND state = 'failed'"
        }
        OrganiserAction::Skip => {
            "UPDATE notifications
             SET state = 'cancelled', why = 'skipped_by_organiser', last_error = NULL
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
