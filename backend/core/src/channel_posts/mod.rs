//! The channel's posts: planning and words. Publishing an event plans its
//! announcement, the optional pin, the reminders (`crate::reminders`) and,
//! once there is one, the recording post, all in the transaction that
//! publishes it; a change re-plans the reminders and plans edits of the
//! bot's own posts; a cancel withdraws what has not gone out, edits the
//! announcement (no join link any more), unpins it if the bot pinned it and
//! plans a short notice. The texts (`texts`, in Telegram's HTML, `html`) are
//! rendered when sent, so a post always shows the event as it is then.

pub mod html;
pub mod texts;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::error::Result;
use crate::events::EventStatus;
use crate::outbox::plan::{self, Planned, Waiting};
use crate::outbox::{Kind, State, Why};
use crate::reminders;

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

/// A post planned once per event and chat (planning it again changes nothing).
async fn plan_once(conn: &mut PgConnection, kind: Kind, event_id: i64, chat: &str, now: DateTime<Utc>) -> Result<()> {
    let key = format!("tg:{}:{event_id}:{chat}", kind.code());
    plan::plan(conn, &Planned::about_event(kind, event_id, chat, key, now)).await
}

/// A post planned anew each time it is asked for (edits, a pin on demand).
async fn plan_again(
    conn: &mut PgConnection,
    kind: Kind,
    event_id: i64,
    chat: &str,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<()> {
    let key = format!("tg:{}:{event_id}:{chat}:{payload}:{}", kind.code(), now.timestamp_micros());
    plan::plan(conn, &Planned::about_event(kind, event_id, chat, key, now).with_payload(payload)).await
}

/// An event was published: its announcement, pin, reminders and (if it
/// already has one) recording post.
pub async fn on_publish(conn: &mut PgConnection, event_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(event) = plan_of(conn, event_id).await? else { return Ok(()) };
    let Some(chat) = event.chat.clone() else { return Ok(()) };
    plan_once(conn, Kind::TgAnnouncement, event_id, &chat, now).await?;
    if event.pin {
        plan_once(conn, Kind::TgPin, event_id, &chat, now).await?;
    }
    reminders::plan_channel(conn, event_id, &chat, &event.minutes, event.starts_at, now).await?;
    if event.has_recording {
        plan_once(conn, Kind::TgRecording, event_id, &chat, now).await?;
    }
    Ok(())
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
        reminders::plan_channel(conn, event_id, &chat, &event.minutes, event.starts_at, now).await?;
        if event.pin {
            plan_once(conn, Kind::TgPin, event_id, &chat, now).await?;
        }
    }
    for post in ["announcement", "recording"] {
        plan_again(conn, Kind::TgEdit, event_id, &chat, json!({ "post": post }), now).await?;
    }
    if event.has_recording {
        plan_once(conn, Kind::TgRecording, event_id, &chat, now).await?;
    }
    Ok(())
}

/// Whether a post of `kind` for the event went out (or is going).
async fn went_out(conn: &mut PgConnection, event_id: i64, kind: Kind) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM notifications WHERE event_id = $1 AND kind = $2 AND state = ANY($3))",
    )
    .bind(event_id)
    .bind(kind)
    .bind(vec![State::Sent, State::Sending])
    .fetch_one(conn)
    .await?)
}

/// An event was cancelled: what has not gone out is withdrawn; if the
/// announcement did go out (or is going), it is edited to say so (without
/// the join link), unpinned if the bot pinned it, and a short notice follows.
pub async fn on_cancel(conn: &mut PgConnection, event_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(event) = plan_of(conn, event_id).await? else { return Ok(()) };
    let Some(chat) = event.chat else { return Ok(()) };
    let waiting = [Kind::TgAnnouncement, Kind::TgPin, Kind::TgReminder, Kind::TgRecording, Kind::TgPersonalReminder];
    plan::withdraw(conn, Waiting::OfEvent { event_id, kinds: &waiting }, Why::EventCancelled).await?;
    if went_out(conn, event_id, Kind::TgAnnouncement).await? {
        plan_again(conn, Kind::TgEdit, event_id, &chat, json!({ "post": "announcement" }), now).await?;
        if went_out(conn, event_id, Kind::TgPin).await? {
            plan_once(conn, Kind::TgUnpin, event_id, &chat, now).await?;
        }
        plan_once(conn, Kind::TgCancelled, event_id, &chat, now).await?;
    }
    Ok(())
}

/// An event was marked finished: reminders still waiting are withdrawn.
pub async fn on_finish(conn: &mut PgConnection, event_id: i64) -> Result<()> {
    reminders::withdraw_for_event(conn, event_id, Why::EventOver).await?;
    Ok(())
}

/// The channel an event's series posts to.
pub async fn chat_of(pool: &sqlx::PgPool, event_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT s.telegram_chat FROM events e JOIN series s ON s.id = e.series_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(pool)
    .await?
    .flatten())
}

/// An organiser asked (from the chat) to pin the announcement now.
pub async fn pin_now(pool: &sqlx::PgPool, event_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let Some(chat) = chat_of(pool, event_id).await? else { return Ok(false) };
    let mut conn = pool.acquire().await?;
    plan_again(&mut conn, Kind::TgPin, event_id, &chat, json!({}), now).await?;
    Ok(true)
}

/// An organiser asked to announce an already published event again: the
/// announcement is due now if it never went out.
pub async fn announce_again(pool: &sqlx::PgPool, event_id: i64, now: DateTime<Utc>) -> Result<u64> {
    let mut conn = pool.acquire().await?;
    plan::revive(&mut conn, event_id, Kind::TgAnnouncement, now).await
}

/// The channel an event's series posts to, and the bot's rights there as last checked.
pub async fn channel_of(
    pool: &sqlx::PgPool,
    event_id: i64,
) -> Result<(Option<String>, Option<crate::views::ChannelRights>)> {
    let chat = chat_of(pool, event_id).await?;
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
