//! Planning the channel's posts. Publishing an event plans its announcement,
//! the optional pin, the reminders at the series' (or the event's) offsets
//! and, once there is one, the recording post, all in the transaction that
//! publishes it; a change re-plans the reminders and plans edits of the
//! bot's own posts; a cancel withdraws what has not gone out, edits the
//! announcement and plans a short notice. The texts are rendered when sent
//! (by the bot), so a post always shows the event as it is then.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::error::Result;
use crate::events::EventStatus;

pub const ANNOUNCEMENT: &str = "tg_announcement";
pub const PIN: &str = "tg_pin";
pub const REMINDER: &str = "tg_reminder";
pub const EDIT: &str = "tg_edit";
pub const RECORDING: &str = "tg_recording";
pub const CANCELLED: &str = "tg_cancelled";
/// A personal reminder by direct message, for someone who asked for it.
pub const PERSONAL_REMINDER: &str = "tg_personal_reminder";

/// An event as the channel planning needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Plan {
    chat: Option<String>,
    minutes: Vec<i32>,
    pin: bool,
    starts_at: DateTime<Utc>,
    status: EventStatus,
    has_recording: bool,
}

async fn plan_of(conn: &mut PgConnection, event_id: i64) -> Result<Option<Plan>> {
    Ok(sqlx::query_as::<_, Plan>(
        "SELECT s.telegram_chat AS chat, COALESCE(e.reminder_minutes, s.reminder_minutes) AS minutes,
                e.pin_announcement AS pin, e.starts_at, e.status,
                (e.recording_url IS NOT NULL OR e.recording_file_name IS NOT NULL) AS has_recording
         FROM events e JOIN series s ON s.id = e.series_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(conn)
    .await?)
}

/// Plans one channel post; planning it again changes nothing (the key).
async fn plan(
    conn: &mut PgConnection,
    kind: &str,
    event_id: i64,
    chat: &str,
    key: &str,
    payload: serde_json::Value,
    due_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications (channel, kind, event_id, recipient, dedupe_key, payload, due_at)
         VALUES ('telegram', $1, $2, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(kind)
    .bind(event_id)
    .bind(chat)
    .bind(key)
    .bind(payload)
    .bind(due_at)
    .execute(conn)
    .await?;
    Ok(())
}

fn reminder_key(event_id: i64, chat: &str, minutes: i32) -> String {
    format!("tg:reminder:{event_id}:{chat}:{minutes}")
}

/// The instant a reminder `minutes` before `starts_at` is due.
pub fn reminder_due(starts_at: DateTime<Utc>, minutes: i32) -> DateTime<Utc> {
    starts_at - Duration::minutes(i64::from(minutes))
}

/// Plans the reminders at their offsets from the event's (current) start;
/// moves pending ones, brings back withdrawn ones, never repeats a sent one,
/// and withdraws those at offsets no longer wanted. Moments already past
/// are not planned.
async fn plan_reminders(
    conn: &mut PgConnection,
    event_id: i64,
    plan: &Plan,
    chat: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let wanted: Vec<String> = plan.minutes.iter().map(|m| reminder_key(event_id, chat, *m)).collect();
    sqlx::query(
        "UPDATE notifications SET state = 'cancelled', last_error = 'no longer wanted at this offset'
         WHERE event_id = $1 AND kind = $2 AND recipient = $3 AND state = 'pending' AND NOT (dedupe_key = ANY($4))",
    )
    .bind(event_id)
    .bind(REMINDER)
    .bind(chat)
    .bind(&wanted)
    .execute(&mut *conn)
    .await?;
    for minutes in &plan.minutes {
        let due_at = reminder_due(plan.starts_at, *minutes);
        let key = reminder_key(event_id, chat, *minutes);
        if due_at <= now {
            // Too late for this one now: withdraw it if it was waiting.
            sqlx::query(
                "UPDATE notifications SET state = 'cancelled', last_error = 'its moment had passed when the event changed'
                 WHERE dedupe_key = $1 AND state = 'pending'",
            )
            .bind(&key)
            .execute(&mut *conn)
            .await?;
            continue;
        }
        sqlx::query(
            "INSERT INTO notifications (channel, kind, event_id, recipient, dedupe_key, payload, due_at)
             VALUES ('telegram', $1, $2, $3, $4, $5, $6)
             ON CONFLICT (dedupe_key) DO UPDATE
                 SET due_at = EXCLUDED.due_at, retry_at = NULL, state = 'pending', attempts = 0, last_error = NULL
                 WHERE notifications.state IN ('pending', 'cancelled')",
        )
        .bind(REMINDER)
        .bind(event_id)
        .bind(chat)
        .bind(&key)
        .bind(json!({ "minutes": minutes }))
        .bind(due_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// An event was published: its announcement, pin, reminders and (if it
/// already has one) recording post.
pub async fn on_publish(conn: &mut PgConnection, event_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(event) = plan_of(conn, event_id).await? else { return Ok(()) };
    let Some(chat) = event.chat.clone() else { return Ok(()) };
    plan_post(conn, ANNOUNCEMENT, event_id, &chat, now).await?;
    if event.pin {
        plan_post(conn, PIN, event_id, &chat, now).await?;
    }
    plan_reminders(conn, event_id, &event, &chat, now).await?;
    if event.has_recording {
        plan_post(conn, RECORDING, event_id, &chat, now).await?;
    }
    Ok(())
}

async fn plan_post(conn: &mut PgConnection, kind: &str, event_id: i64, chat: &str, now: DateTime<Utc>) -> Result<()> {
    plan(conn, kind, event_id, chat, &format!("tg:{kind}:{event_id}:{chat}"), json!({}), now).await
}

/// A published event was saved: re-plan its reminders, edit the bot's posts
/// (the bot skips an edit that would change nothing), and plan the
/// recording post if a recording was just attached.
pub async fn on_change(conn: &mut PgConnection, event_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(event) = plan_of(conn, event_id).await? else { return Ok(()) };
    let Some(chat) = event.chat.clone() else { return Ok(()) };
    if event.status == EventStatus::Draft {
        return Ok(());
    }
    if event.status == EventStatus::Scheduled {
        plan_reminders(conn, event_id, &event, &chat, now).await?;
        // Personal reminders follow the start too.
        sqlx::query(
            "UPDATE notifications n SET due_at = e.starts_at - make_interval(mins => (n.payload->>'minutes')::int)
             FROM events e WHERE e.id = n.event_id AND n.event_id = $1 AND n.kind = $2 AND n.state = 'pending'",
        )
        .bind(event_id)
        .bind(PERSONAL_REMINDER)
        .execute(&mut *conn)
        .await?;
        if event.pin {
            plan_post(conn, PIN, event_id, &chat, now).await?;
        }
    }
    for post in ["announcement", "recording"] {
        let key = format!("tg:edit:{event_id}:{chat}:{post}:{}", now.timestamp_micros());
        plan(conn, EDIT, event_id, &chat, &key, json!({ "post": post }), now).await?;
    }
    if event.has_recording {
        plan_post(conn, RECORDING, event_id, &chat, now).await?;
    }
    Ok(())
}

/// An event was cancelled: what has not gone out is withdrawn; if the
/// announcement did go out (or is going), it is edited to say so and a
/// short notice follows.
pub async fn on_cancel(conn: &mut PgConnection, event_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(event) = plan_of(conn, event_id).await? else { return Ok(()) };
    let Some(chat) = event.chat else { return Ok(()) };
    sqlx::query(
        "UPDATE notifications SET state = 'cancelled', last_error = 'the event was cancelled'
         WHERE event_id = $1 AND channel = 'telegram' AND state = 'pending' AND kind <> $2",
    )
    .bind(event_id)
    .bind(EDIT)
    .execute(&mut *conn)
    .await?;
    let announced = sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM notifications WHERE event_id = $1 AND kind = $2 AND state IN ('sent', 'sending'))",
    )
    .bind(event_id)
    .bind(ANNOUNCEMENT)
    .fetch_one(&mut *conn)
    .await?;
    if announced {
        let key = format!("tg:edit:{event_id}:{chat}:announcement:{}", now.timestamp_micros());
        plan(conn, EDIT, event_id, &chat, &key, json!({ "post": "announcement" }), now).await?;
        plan_post(conn, CANCELLED, event_id, &chat, now).await?;
    }
    Ok(())
}

/// An event was marked finished: reminders still waiting are withdrawn.
pub async fn on_finish(conn: &mut PgConnection, event_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE notifications SET state = 'cancelled', last_error = 'the event is over'
         WHERE event_id = $1 AND kind IN ($2, $3) AND state = 'pending'",
    )
    .bind(event_id)
    .bind(REMINDER)
    .bind(PERSONAL_REMINDER)
    .execute(conn)
    .await?;
    Ok(())
}

/// Plans the personal reminders a Telegram user chose (minutes before the
/// start) for one event they are registered for; moments already past are
/// skipped, and choosing again replaces the earlier choice.
pub async fn plan_personal_reminders(
    conn: &mut PgConnection,
    event_id: i64,
    chat_id: i64,
    minutes: &[i32],
    now: DateTime<Utc>,
) -> Result<()> {
    let keys: Vec<String> = minutes.iter().map(|m| format!("tg:personal:{event_id}:{chat_id}:{m}")).collect();
    sqlx::query(
        "UPDATE notifications SET state = 'cancelled', last_error = 'no longer wanted'
         WHERE event_id = $1 AND kind = $2 AND recipient = $3 AND state = 'pending' AND NOT (dedupe_key = ANY($4))",
    )
    .bind(event_id)
    .bind(PERSONAL_REMINDER)
    .bind(chat_id.to_string())
    .bind(&keys)
    .execute(&mut *conn)
    .await?;
    let starts_at = sqlx::query_scalar::<_, DateTime<Utc>>("SELECT starts_at FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut *conn)
        .await?;
    for (minutes, key) in minutes.iter().zip(&keys) {
        let due_at = reminder_due(starts_at, *minutes);
        if due_at <= now {
            continue;
        }
        sqlx::query(
            "INSERT INTO notifications (channel, kind, event_id, recipient, dedupe_key, payload, due_at)
             VALUES ('telegram', $1, $2, $3, $4, $5, $6)
             ON CONFLICT (dedupe_key) DO UPDATE SET due_at = EXCLUDED.due_at, state = 'pending'
                 WHERE notifications.state IN ('pending', 'cancelled')",
        )
        .bind(PERSONAL_REMINDER)
        .bind(event_id)
        .bind(chat_id.to_string())
        .bind(key)
        .bind(json!({ "minutes": minutes }))
        .bind(due_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The channel an event's series posts to, and the bot's rights there as last checked.
pub async fn channel_of(
    pool: &sqlx::PgPool,
    event_id: i64,
) -> Result<(Option<String>, Option<crate::views::ChannelRights>)> {
    let chat = sqlx::query_scalar::<_, Option<String>>(
        "SELECT s.telegram_chat FROM events e JOIN series s ON s.id = e.series_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(pool)
    .await?
    .flatten();
    let rights = match &chat {
        Some(chat) => {
            sqlx::query_as::<_, crate::views::ChannelRights>(
                "SELECT chat, can_post, can_pin, problem, checked_at FROM telegram_chat_rights WHERE chat = $1",
            )
            .bind(chat)
            .fetch_optional(pool)
            .await?
        }
        None => None,
    };
    Ok((chat, rights))
}

/// Channels where the bot is missing a right, for the dashboard.
pub async fn rights_problems(pool: &sqlx::PgPool) -> Result<Vec<crate::views::ChannelRights>> {
    Ok(sqlx::query_as::<_, crate::views::ChannelRights>(
        "SELECT r.chat, r.can_post, r.can_pin, r.problem, r.checked_at FROM telegram_chat_rights r
         WHERE r.problem IS NOT NULL AND EXISTS (SELECT 1 FROM series s WHERE s.telegram_chat = r.chat)
         ORDER BY r.chat",
    )
    .fetch_all(pool)
    .await?)
}
