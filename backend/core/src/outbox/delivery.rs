//! Claiming and delivering. `run_due` claims what is due on every channel
//! that has a deliverer (`FOR UPDATE SKIP LOCKED`), hands each row to its
//! channel's `Deliverer`, and records the typed outcome. A worker that dies
//! mid-send leaves its rows `sending` with a lease that runs out, and another
//! worker takes them again: a message is sent twice only if the crash falls
//! between the provider's answer and the commit that records it.
//!
//! The lease always covers the send in flight and every row of the batch
//! still waiting behind it: before each send it is extended to cover that
//! send's longest duration (each send is cut off at it), so a second process
//! never takes a row the first is still sending.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::PgPool;

use super::retry::{MAX_ATTEMPTS, wait_before_retry};
use super::{Channel, Kind, State, Why};
use crate::error::Result;

/// How long a claimed row belongs to its worker before others may take it,
/// unless the worker extends it.
pub const LEASE: Duration = Duration::seconds(60);
/// How many rows one `run_due` call claims.
pub const BATCH: i64 = 64;

/// A row this worker holds until its lease ends.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub channel: Channel,
    pub kind: Kind,
    pub payload: serde_json::Value,
    pub event_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub recipient: String,
    /// Counting this one.
    pub attempts: i32,
    pub due_at: DateTime<Utc>,
}

/// What delivering one message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Done; the provider's reply to keep (a message id, an SMTP answer).
    Sent(String),
    /// Not worth sending any more: ends `Cancelled` or `Missed` (or `Failed`,
    /// for a message the channel cannot carry), with the reason.
    Dropped(State, Why),
    /// Not attempted: it must wait (for the rates, or for a post it depends
    /// on) until this moment. Not counted as an attempt.
    NotYet(DateTime<Utc>),
    /// The provider asked everyone to wait this long (a 429), counted from
    /// the run's start (providers round their waits up). Not an attempt.
    Throttled { wait: Duration, reason: String },
    /// Worth retrying: the provider is down, busy, or said "try later".
    Transient(String),
    /// Refused for good, in words an organiser can act on.
    Permanent(String),
}

pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Delivery> + Send + 'a>>;

/// One channel's way of delivering a claimed message: e-mail through SMTP,
/// Telegram through the Bot API, anything in tests.
pub trait Deliverer: Send + Sync {
    fn channel(&self) -> Channel;

    /// The longest one delivery may take; the outbox cuts it off there.
    fn longest_send(&self) -> std::time::Duration;

    /// Whether one recipient's messages must go out in the order they were
    /// planned (a channel's posts: an edit after its post, a pin after it).
    fn keeps_order(&self) -> bool {
        false
    }

    /// The first moment a message to `recipient` may go out under this
    /// channel's rates: `now`, or later.
    fn next_slot(&self, _recipient: &str, now: DateTime<Utc>) -> DateTime<Utc> {
        now
    }

    /// A run begins: what the deliverer read during the last one (an event
    /// page, say) may have changed since.
    fn new_run(&self) {}

    /// The provider asked to wait: nothing of this channel goes out before `until`.
    fn hold(&self, _until: DateTime<Utc>) {}

    /// Renders (from the current state of the event and registration) and
    /// sends one message.
    fn deliver<'a>(&'a self, message: &'a Claimed, now: DateTime<Utc>) -> DeliveryFuture<'a>;
}

/// What one `run_due` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ran {
    pub sent: usize,
    /// Claimed, but not yet to be attempted (rates, a 429, a post it depends on).
    pub waiting: usize,
    pub retried: usize,
    pub failed: usize,
    /// Claimed but no longer worth sending (withdrawn or missed).
    pub skipped: usize,
}

impl Ran {
    pub fn claimed(&self) -> usize {
        self.sent + self.waiting + self.retried + self.failed + self.skipped
    }

    /// Whether the run changed anything for good (a wait does not).
    pub fn progressed(&self) -> bool {
        self.sent + self.retried + self.failed + self.skipped > 0
    }
}

/// The one claim of the outbox: due rows of these channels, and rows whose
/// worker's lease ran out, oldest first.
pub async fn claim(pool: &PgPool, channels: &[Channel], now: DateTime<Utc>) -> Result<Vec<Claimed>> {
    let mut rows = sqlx::query_as::<_, Claimed>(
        "UPDATE notifications SET state = 'sending', lease_until = $2, attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM notifications
             WHERE channel = ANY($3)
               AND ((state = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= $1))
                    OR (state = 'sending' AND lease_until <= $1))
             ORDER BY due_at, id
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
         RETURNING id, channel, kind, payload, event_id, registration_id, recipient, attempts, due_at",
    )
    .bind(now)
    .bind(now + LEASE)
    .bind(channels.to_vec())
    .bind(BATCH)
    .fetch_all(pool)
    .await?;
    // UPDATE ... RETURNING keeps no order: a recipient's messages go out as planned.
    rows.sort_by_key(|row| (row.due_at, row.id));
    Ok(rows)
}

/// Sends what is due now on every channel given, once: the worker loop
/// calls it, and so do tests (with their own clock) instead of sleeping.
#[tracing::instrument(skip_all, fields(now = %now))]
pub async fn run_due(pool: &PgPool, now: DateTime<Utc>, deliverers: &[&dyn Deliverer]) -> Result<Ran> {
    let channels: Vec<Channel> = deliverers.iter().map(|d| d.channel()).collect();
    let mut ran = Ran::default();
    if channels.is_empty() {
        return Ok(ran);
    }
    let rows = claim(pool, &channels, now).await?;
    let run_started = now;
    for deliverer in deliverers {
        deliverer.new_run();
    }
    // A run takes real time: rates and leases are kept on `now` moved on by it.
    let started = Instant::now();
    let mut lease_until = now + LEASE;
    // Recipients with a message that waits: the rest of theirs waits behind it.
    let mut held: HashSet<(Channel, String)> = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        let now = now + Duration::from_std(started.elapsed()).unwrap_or_default();
        let Some(deliverer) = deliverers.iter().find(|d| d.channel() == row.channel) else { continue };
        let who = (row.channel, row.recipient.clone());
        if deliverer.keeps_order() && !held.contains(&who) && behind_earlier(pool, row, now).await? {
            held.insert(who.clone());
        }
        let slot = deliverer.next_slot(&row.recipient, now);
        if (deliverer.keeps_order() && held.contains(&who)) || slot > now {
            held.insert(who);
            release(pool, row.id, None, None).await?;
            ran.waiting += 1;
            continue;
        }
        let longest = Duration::from_std(deliverer.longest_send()).unwrap_or(LEASE);
        if lease_until < now + longest + Duration::seconds(5) {
            lease_until = now + longest + LEASE;
            let rest: Vec<i64> = rows[index..].iter().map(|r| r.id).collect();
            extend_lease(pool, &rest, lease_until).await?;
        }
        let delivery = tracing::info_span!(
            "deliver",
            notification_id = row.id,
            channel = row.channel.code(),
            kind = row.kind.code()
        );
        let outcome = tokio::time::timeout(
            deliverer.longest_send(),
            tracing::Instrument::instrument(deliverer.deliver(row, now), delivery),
        )
        .await
        .unwrap_or_else(|_| Delivery::Transient(format!("no answer within {} s", deliverer.longest_send().as_secs())));
        match outcome {
            Delivery::Sent(reply) => {
                // A payload may carry a one-time secret (a sign-in link): once
                // delivered it has no business staying in the database.
                sqlx::query(
                    "UPDATE notifications SET state = 'sent', sent_at = $2, provider_reply = $3, lease_until = NULL,
                         last_error = NULL, why = NULL, payload = CASE WHEN kind = 'sign_in_link' THEN '{}' ELSE payload END
                     WHERE id = $1",
                )
                .bind(row.id)
                .bind(now)
                .bind(&reply)
                .execute(pool)
                .await?;
                ran.sent += 1;
            }
            Delivery::Dropped(state, why) => {
                finish(pool, row.id, state, why, None).await?;
                ran.skipped += 1;
            }
            Delivery::NotYet(until) => {
                held.insert(who);
                release(pool, row.id, Some(until), None).await?;
                ran.waiting += 1;
            }
            Delivery::Throttled { wait, reason } => {
                let until = run_started + wait;
                deliverer.hold(until);
                tracing::warn!(notification_id = row.id, %until, %reason, "the provider asked to wait");
                release(pool, row.id, Some(until), Some(&reason)).await?;
                held.insert(who);
                ran.waiting += 1;
            }
            Delivery::Transient(error) if row.attempts < MAX_ATTEMPTS => {
                tracing::warn!(notification_id = row.id, attempts = row.attempts, %error, "send failed; will retry");
                sqlx::query(
                    "UPDATE notifications SET state = 'pending', lease_until = NULL, last_error = $2, retry_at = $3 WHERE id = $1",
                )
                .bind(row.id)
                .bind(&error)
                .bind(now + wait_before_retry(row.id, row.attempts))
                .execute(pool)
                .await?;
                held.insert(who);
                ran.retried += 1;
            }
            Delivery::Transient(error) => {
                tracing::error!(notification_id = row.id, attempts = row.attempts, %error, "send failed for good");
                finish(pool, row.id, State::Failed, Why::GaveUp, Some(&error)).await?;
                ran.failed += 1;
            }
            Delivery::Permanent(reason) => {
                tracing::error!(notification_id = row.id, %reason, "refused for good");
                finish_refused(pool, row.id, &reason).await?;
                ran.failed += 1;
            }
        }
    }
    if ran.claimed() > 0 {
        tracing::info!(?ran, "outbox run");
    }
    Ok(ran)
}

/// Whether a message to the same recipient on the same channel, due earlier
/// (or as early and planned before), has not gone out yet.
async fn behind_earlier(pool: &PgPool, row: &Claimed, now: DateTime<Utc>) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM notifications
             WHERE channel = $5 AND recipient = $1 AND id <> $2
               AND state IN ('pending', 'sending') AND due_at <= $4
               AND (due_at, id) < ($3, $2))",
    )
    .bind(&row.recipient)
    .bind(row.id)
    .bind(row.due_at)
    .bind(now)
    .bind(row.channel)
    .fetch_one(pool)
    .await?)
}

async fn extend_lease(pool: &PgPool, ids: &[i64], until: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE notifications SET lease_until = $2 WHERE id = ANY($1) AND state = 'sending'")
        .bind(ids)
        .bind(until)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends a claimed row in `state`, with why and what the provider said, if anything.
async fn finish(pool: &PgPool, id: i64, state: State, why: Why, said: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE notifications SET state = $2, lease_until = NULL, why = $3, last_error = $4 WHERE id = $1")
        .bind(id)
        .bind(state)
        .bind(why)
        .bind(said)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends a claimed row `failed`: the provider refused it, in its own words.
async fn finish_refused(pool: &PgPool, id: i64, said: &str) -> Result<()> {
    sqlx::query(
        "UPDATE notifications SET state = 'failed', lease_until = NULL, why = NULL, last_error = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(said)
    .execute(pool)
    .await?;
    Ok(())
}

/// Puts a claimed row back unattempted, to be claimed again at once or not
/// before `retry_at`, with the reason it waits (kept as it was without one).
async fn release(pool: &PgPool, id: i64, retry_at: Option<DateTime<Utc>>, reason: Option<&str>) -> Result<()> {
    sqlx::query(
        "UPDATE notifications SET state = 'pending', lease_until = NULL, attempts = attempts - 1,
             retry_at = COALESCE($2, retry_at), last_error = COALESCE($3, last_error)
         WHERE id = $1",
    )
    .bind(id)
    .bind(retry_at)
    .bind(reason)
    .execute(pool)
    .await?;
    Ok(())
}

/// When the next message of these channels falls due (or a lease runs out),
/// so a worker can sleep until then.
pub async fn next_due(pool: &PgPool, channels: &[Channel]) -> Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
        "SELECT min(CASE WHEN state = 'pending' THEN greatest(due_at, retry_at) ELSE lease_until END)
         FROM notifications WHERE channel = ANY($1) AND state IN ('pending', 'sending')",
    )
    .bind(channels.to_vec())
    .fetch_one(pool)
    .await?)
}
