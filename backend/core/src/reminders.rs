//! Every reminder the platform plans, on every channel: the registrant's
//! e-mail the day before, the channel's posts at the series' (or event's)
//! offsets, and the personal direct messages a Telegram user chose. They are
//! outbox rows like any message; this module decides when they are due, moves
//! them with the event, withdraws them, and owns the one rule for a reminder
//! that can only go out late (`timeliness`).

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::error::Result;
use crate::outbox::delivery::Claimed;
use crate::outbox::plan::{self, Planned, Waiting};
use crate::outbox::{Kind, State, Why};

/// The registrant's e-mail reminder: a day before the start.
pub const DAY_BEFORE_MINUTES: i32 = 1440;

/// The instant a reminder `minutes` before `starts_at` is due.
pub fn due(starts_at: DateTime<Utc>, minutes: i32) -> DateTime<Utc> {
    starts_at - Duration::minutes(i64::from(minutes))
}

/// How many minutes before the start a reminder row was planned for.
pub fn offset_of(message: &Claimed) -> i32 {
    message.payload["minutes"].as_i64().map(|m| m as i32).unwrap_or(DAY_BEFORE_MINUTES)
}

fn day_before_key(registration_id: i64) -> String {
    format!("reminder_day_before:registration:{registration_id}")
}

/// Plans (or re-plans) the day-before e-mail of a registration that holds a
/// seat: planning again moves it and brings back a withdrawn one, but never
/// repeats one already sent. Registered less than a day ahead: the
/// confirmation is the reminder.
pub async fn plan_for_registration(
    conn: &mut PgConnection,
    event_id: i64,
    registration_id: i64,
    recipient: &str,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let due_at = due(starts_at, DAY_BEFORE_MINUTES);
    if due_at <= now {
        return Ok(());
    }
    let planned = Planned {
        kind: Kind::ReminderDayBefore,
        event_id: Some(event_id),
        registration_id: Some(registration_id),
        recipient,
        dedupe_key: day_before_key(registration_id),
        payload: json!({ "minutes": DAY_BEFORE_MINUTES }),
        due_at,
    };
    plan::plan_or_move(conn, &planned).await
}

/// Withdraws a registration's reminder that has not gone out yet.
pub async fn withdraw_for_registration(conn: &mut PgConnection, registration_id: i64) -> Result<()> {
    plan::withdraw(conn, Waiting::Key(&day_before_key(registration_id)), Why::NoSeat).await?;
    Ok(())
}

/// The event moved: every waiting e-mail and personal reminder follows its
/// new start (the channel's are re-planned with its offsets, `plan_channel`).
pub async fn follow_start(conn: &mut PgConnection, event_id: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications n
         SET due_at = e.starts_at - make_interval(mins => COALESCE((n.payload->>'minutes')::int, $3))
         FROM events e
         WHERE e.id = n.event_id AND n.event_id = $1 AND n.kind = ANY($2) AND n.state = 'pending'",
    )
    .bind(event_id)
    .bind(vec![Kind::ReminderDayBefore, Kind::TgPersonalReminder])
    .bind(DAY_BEFORE_MINUTES)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Withdraws every waiting reminder of an event, on every channel.
pub async fn withdraw_for_event(conn: &mut PgConnection, event_id: i64, why: Why) -> Result<u64> {
    let kinds = [Kind::ReminderDayBefore, Kind::TgReminder, Kind::TgPersonalReminder];
    plan::withdraw(conn, Waiting::OfEvent { event_id, kinds: &kinds }, why).await
}

fn channel_key(event_id: i64, chat: &str, minutes: i32) -> String {
    format!("tg:reminder:{event_id}:{chat}:{minutes}")
}

/// Plans the channel's reminders at `offsets` (minutes) before `starts_at`:
/// moves waiting ones, brings back withdrawn ones, never repeats a sent one,
/// and withdraws those at offsets no longer wanted or whose moment passed.
pub async fn plan_channel(
    conn: &mut PgConnection,
    event_id: i64,
    chat: &str,
    offsets: &[i32],
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let wanted: Vec<String> = offsets.iter().map(|m| channel_key(event_id, chat, *m)).collect();
    let unwanted = Waiting::AllBut { event_id, kind: Kind::TgReminder, recipient: chat, keep: &wanted };
    plan::withdraw(conn, unwanted, Why::NotWanted).await?;
    for (minutes, key) in offsets.iter().zip(&wanted) {
        let due_at = due(starts_at, *minutes);
        if due_at <= now {
            plan::withdraw(conn, Waiting::Key(key), Why::PassedWhenChanged).await?;
            continue;
        }
        let planned = Planned::about_event(Kind::TgReminder, event_id, chat, key.clone(), due_at)
            .with_payload(json!({ "minutes": minutes }));
        plan::plan_or_move(conn, &planned).await?;
    }
    Ok(())
}

/// Plans the personal reminders a Telegram user chose (minutes before the
/// start) for one event they are registered for; moments already past are
/// skipped, and choosing again replaces the earlier choice.
pub async fn plan_personal(
    conn: &mut PgConnection,
    event_id: i64,
    chat_id: i64,
    offsets: &[i32],
    now: DateTime<Utc>,
) -> Result<()> {
    let chat = chat_id.to_string();
    let keys: Vec<String> = offsets.iter().map(|m| format!("tg:personal:{event_id}:{chat_id}:{m}")).collect();
    let unwanted = Waiting::AllBut { event_id, kind: Kind::TgPersonalReminder, recipient: &chat, keep: &keys };
    plan::withdraw(conn, unwanted, Why::NotWanted).await?;
    let starts_at = sqlx::query_scalar::<_, DateTime<Utc>>("SELECT starts_at FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut *conn)
        .await?;
    for (minutes, key) in offsets.iter().zip(&keys) {
        let due_at = due(starts_at, *minutes);
        if due_at <= now {
            continue;
        }
        let planned = Planned::about_event(Kind::TgPersonalReminder, event_id, &chat, key.clone(), due_at)
            .with_payload(json!({ "minutes": minutes }));
        plan::plan_or_move(conn, &planned).await?;
    }
    Ok(())
}

/// Whether a reminder may still go out, and how to word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timeliness {
    /// Its words hold: it goes out, worded by the minutes actually left
    /// (the planned offset when it is on time).
    Send { minutes_left: i32 },
    /// Its words would no longer be true: it ends `missed`, with the reason.
    Missed(Why),
}

/// The one rule for a reminder that goes out late (the platform was down, or
/// its clock jumped): after the start it is missed; when a nearer reminder to
/// the same recipient is due as well, the nearer one says it and this one is
/// missed; otherwise it goes out, worded by the time actually left.
pub async fn timeliness(
    pool: &PgPool,
    message: &Claimed,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Timeliness> {
    if now >= starts_at {
        return Ok(Timeliness::Missed(Why::EventStarted));
    }
    let offset = offset_of(message);
    let nearer_due = sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM notifications
             WHERE event_id = $1 AND kind = $2 AND recipient = $3 AND id <> $4
               AND state = ANY($5) AND due_at <= $6
               AND COALESCE((payload->>'minutes')::int, $8) < $7)",
    )
    .bind(message.event_id)
    .bind(message.kind)
    .bind(&message.recipient)
    .bind(message.id)
    .bind(vec![State::Pending, State::Sending, State::Sent])
    .bind(now)
    .bind(offset)
    .bind(DAY_BEFORE_MINUTES)
    .fetch_one(pool)
    .await?;
    if nearer_due {
        return Ok(Timeliness::Missed(Why::NearerReminderDue));
    }
    Ok(Timeliness::Send { minutes_left: words_minutes(offset, starts_at - now) })
}

/// The offset to word a reminder by: the planned one while it is (nearly)
/// on time, otherwise the whole minutes actually left.
fn words_minutes(offset: i32, left: Duration) -> i32 {
    // To the nearest minute: a run takes a moment, and 2 h 59 min 59.9 s is "3 hours".
    let left_minutes = ((left.num_seconds() + 30) / 60).max(1) as i32;
    // A minute of slack: a run takes a moment, "in 15 minutes" at 14:45:30 is still true.
    if left_minutes + 1 >= offset { offset } else { left_minutes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_on_time_keeps_its_offset_and_a_late_one_says_the_time_left() {
        assert_eq!(words_minutes(15, Duration::minutes(15)), 15);
        assert_eq!(words_minutes(15, Duration::seconds(14 * 60 + 30)), 15);
        assert_eq!(words_minutes(1440, Duration::minutes(180)), 180);
        assert_eq!(words_minutes(1440, Duration::minutes(180) - Duration::milliseconds(40)), 180);
        assert_eq!(words_minutes(15, Duration::minutes(10)), 10);
        assert_eq!(words_minutes(60, Duration::seconds(20)), 1);
    }
}
