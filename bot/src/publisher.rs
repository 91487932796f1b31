//! Delivers the channel's posts from the durable outbox: claims due
//! `telegram` rows with `SKIP LOCKED` and a lease, keeps to Telegram's rates,
//! renders each post from the event as it is now, sends, edits or pins, and
//! stores the message id so later edits and pins find it. A 429 holds
//! everything for its `retry_after` (not counted as an attempt); network
//! errors and 5xx are retried with backoff; refusals for good (bot removed,
//! missing right, chat not found) fail with a reason organisers can act on.
//! A crash between Telegram's answer and the commit that records it sends
//! that post once more after the lease: at most one duplicate per crash.

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use paperclub_core::events::EventStatus;
use paperclub_core::events::queries::{self, Viewer};
use paperclub_core::notifications::outbox::{self, LEASE, MAX_ATTEMPTS};
use paperclub_core::notifications::telegram as plan;
use serde::Serialize;
use sqlx::PgPool;
use teloxide::payloads::{EditMessageTextSetters, PinChatMessageSetters, SendMessageSetters};
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode, Recipient};
use teloxide::{ApiError, Bot, RequestError};

use crate::posts::{self, Post, PostKind};
use crate::throttle::Throttle;

/// Rows claimed per run.
const BATCH: i64 = 64;

/// What one `run_due` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ran {
    pub sent: usize,
    /// Claimed, but the rates (or a 429) say later: back in the queue unchanged.
    pub waiting: usize,
    pub retried: usize,
    pub failed: usize,
    /// Not worth sending any more (a reminder for an event under way, an edit of nothing).
    pub skipped: usize,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Claimed {
    id: i64,
    kind: String,
    event_id: Option<i64>,
    recipient: String,
    payload: serde_json::Value,
    attempts: i32,
    due_at: DateTime<Utc>,
}

/// What a send came to.
enum Outcome {
    /// Done; the reply to keep (a message id, or why nothing was needed).
    Sent(String),
    /// No longer worth sending, with the reason.
    Skip(&'static str, String),
    /// Not yet: the post it depends on has not gone out.
    Later,
}

/// Event pages (and their series' language) read during one run.
type Pages = std::collections::HashMap<i64, (paperclub_core::lang::Lang, paperclub_core::views::EventPage)>;

pub struct Publisher {
    pool: PgPool,
    bot: Bot,
    base_url: String,
    throttle: Mutex<Throttle>,
}

/// A chat as teloxide addresses it: a numeric id or an @username.
pub fn recipient(chat: &str) -> Recipient {
    match chat.parse::<i64>() {
        Ok(id) => Recipient::Id(ChatId(id)),
        Err(_) => Recipient::ChannelUsername(chat.to_owned()),
    }
}

/// Why Telegram refused, in words an organiser can act on; None: worth retrying.
pub fn permanent_reason(error: &RequestError) -> Option<String> {
    match error {
        RequestError::Api(api) => Some(match api {
            ApiError::ChatNotFound => {
                "Telegram does not know this channel: check its @username in the series settings.".into()
            }
            ApiError::BotKickedFromChannel | ApiError::BotKicked | ApiError::BotKickedFromSupergroup => {
                "The bot was removed from the channel: add it back as an administrator.".into()
            }
            ApiError::NotEnoughRightsToPostMessages => {
                "The bot may not post in the channel: make it an administrator with the right to post messages.".into()
            }
            ApiError::NotEnoughRightsToManagePins | ApiError::NotEnoughRightsToPinMessage => {
                "The bot may not pin in the channel: give it the right to pin messages (edit messages, in a channel)."
                    .into()
            }
            ApiError::InvalidToken => "Telegram does not accept the bot token: check TELEGRAM_BOT_TOKEN.".into(),
            ApiError::BotBlocked => "The person blocked the bot.".into(),
            ApiError::Unknown(text)
                if text.contains("Internal Server Error")
                    || text.contains("Bad Gateway")
                    || text.starts_with("Too Many") =>
            {
                return None;
            }
            other => format!("Telegram refused the post: {other}"),
        }),
        RequestError::MigrateToChatId(_) => {
            Some("The group became a supergroup: update the chat id in the series settings.".into())
        }
        // Network trouble, a broken answer, an I/O error: try again later.
        _ => None,
    }
}

impl Publisher {
    pub fn new(pool: PgPool, bot: Bot, base_url: &str) -> Publisher {
        Publisher {
            pool,
            bot,
            base_url: base_url.trim_end_matches('/').to_owned(),
            throttle: Mutex::new(Throttle::default()),
        }
    }

    async fn claim(&self, now: DateTime<Utc>) -> paperclub_core::error::Result<Vec<Claimed>> {
        let mut rows = sqlx::query_as::<_, Claimed>(
            "UPDATE notifications SET state = 'sending', lease_until = $2, attempts = attempts + 1
             WHERE id IN (
                 SELECT id FROM notifications
                 WHERE channel = 'telegram'
                   AND ((state = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= $1))
                        OR (state = 'sending' AND lease_until <= $1))
                 ORDER BY due_at, id
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED)
             RETURNING id, kind, event_id, recipient, payload, attempts, due_at",
        )
        .bind(now)
        .bind(now + LEASE)
        .bind(BATCH)
        .fetch_all(&self.pool)
        .await?;
        // Per chat, posts go out in the order they were planned.
        rows.sort_by_key(|row| (row.due_at, row.id));
        Ok(rows)
    }

    /// Ends a claimed row in `state` (sent rows go through `run_due`), with the reason.
    async fn finish(&self, id: i64, state: &str, reason: &str) -> paperclub_core::error::Result<()> {
        sqlx::query(
            "UPDATE notifications SET state = $2::notification_state, lease_until = NULL, last_error = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(reason)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Puts a claimed row back untouched (it was not attempted), to be
    /// claimed again at once or not before `retry_at`.
    async fn release(&self, id: i64, retry_at: Option<DateTime<Utc>>) -> paperclub_core::error::Result<()> {
        sqlx::query(
            "UPDATE notifications SET state = 'pending', lease_until = NULL, attempts = attempts - 1,
                 retry_at = COALESCE($2, retry_at)
             WHERE id = $1",
        )
        .bind(id)
        .bind(retry_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sends what is due now, once, within the rates; the worker loop calls
    /// it, and so do tests with their own clock.
    #[tracing::instrument(skip(self))]
    pub async fn run_due(&self, now: DateTime<Utc>) -> paperclub_core::error::Result<Ran> {
        let mut ran = Ran::default();
        let mut held: HashSet<String> = HashSet::new();
        // A run takes real time: the rates are kept on `now` moved on by it.
        let started = std::time::Instant::now();
        let run_started = now;
        let mut pages = Pages::new();
        for row in self.claim(now).await? {
            let now = now + chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
            // A post of this chat planned earlier still waits (a retry, or another
            // worker's): this one waits behind it.
            if !held.contains(&row.recipient) && self.behind_earlier(&row, run_started).await? {
                held.insert(row.recipient.clone());
            }
            // Keep each chat's order: once one of its posts waits, the rest wait too.
            let slot = self.throttle.lock().expect("throttle").next_slot(&row.recipient, now);
            if held.contains(&row.recipient) || slot > now {
                held.insert(row.recipient.clone());
                self.release(row.id, None).await?;
                ran.waiting += 1;
                continue;
            }
            match self.attempt(&row, now, &mut pages).await {
                Ok(Outcome::Sent(reply)) => {
                    sqlx::query(
                        "UPDATE notifications SET state = 'sent', sent_at = $2, provider_reply = $3, lease_until = NULL, last_error = NULL
                         WHERE id = $1",
                    )
                    .bind(row.id)
                    .bind(now)
                    .bind(&reply)
                    .execute(&self.pool)
                    .await?;
                    ran.sent += 1;
                }
                Ok(Outcome::Skip(state, reason)) => {
                    self.finish(row.id, state, &reason).await?;
                    ran.skipped += 1;
                }
                Ok(Outcome::Later) => {
                    held.insert(row.recipient.clone());
                    self.release(row.id, Some(now + chrono::Duration::seconds(5))).await?;
                    ran.waiting += 1;
                }
                Err(RequestError::RetryAfter(seconds)) => {
                    let seconds = seconds.seconds();
                    // Counted from the run's start: Telegram rounds its wait up to whole seconds.
                    self.throttle.lock().expect("throttle").hold(run_started, seconds);
                    tracing::warn!(notification_id = row.id, seconds, "Telegram asked to wait");
                    sqlx::query(
                        "UPDATE notifications SET state = 'pending', lease_until = NULL, attempts = attempts - 1,
                             retry_at = $2, last_error = $3
                         WHERE id = $1",
                    )
                    .bind(row.id)
                    .bind(run_started + chrono::Duration::seconds(i64::from(seconds)))
                    .bind(format!("Telegram asked to wait {seconds} s (rate limit)"))
                    .execute(&self.pool)
                    .await?;
                    held.insert(row.recipient.clone());
                    ran.waiting += 1;
                }
                Err(error) => match permanent_reason(&error) {
                    Some(reason) => {
                        tracing::error!(notification_id = row.id, %error, "Telegram refused for good");
                        self.finish(row.id, "failed", &reason).await?;
                        ran.failed += 1;
                    }
                    None if row.attempts >= MAX_ATTEMPTS => {
                        let reason = format!("gave up after {} attempts: {error}", row.attempts);
                        self.finish(row.id, "failed", &reason).await?;
                        ran.failed += 1;
                    }
                    None => {
                        tracing::warn!(notification_id = row.id, attempts = row.attempts, %error, "Telegram send failed; will retry");
                        sqlx::query(
                            "UPDATE notifications SET state = 'pending', lease_until = NULL, last_error = $2, retry_at = $3 WHERE id = $1",
                        )
                        .bind(row.id)
                        .bind(error.to_string())
                        .bind(run_started + outbox::backoff(row.attempts))
                        .execute(&self.pool)
                        .await?;
                        held.insert(row.recipient.clone());
                        ran.retried += 1;
                    }
                },
            }
        }
        if ran != Ran::default() {
            tracing::info!(?ran, "telegram outbox run");
        }
        Ok(ran)
    }

    /// Whether a post of the same chat, due earlier (or as early and planned
    /// before), has not gone out yet.
    async fn behind_earlier(&self, row: &Claimed, now: DateTime<Utc>) -> paperclub_core::error::Result<bool> {
        Ok(sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM notifications
                 WHERE channel = 'telegram' AND recipient = $1 AND id <> $2
                   AND state IN ('pending', 'sending') AND due_at <= $4
                   AND (due_at, id) < ($3, $2))",
        )
        .bind(&row.recipient)
        .bind(row.id)
        .bind(row.due_at)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    /// When the worker should look again: the next due post, or the end of a wait.
    pub async fn next_due(&self) -> paperclub_core::error::Result<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
            "SELECT min(CASE WHEN state = 'pending' THEN greatest(due_at, retry_at) ELSE lease_until END)
             FROM notifications WHERE channel = 'telegram' AND state IN ('pending', 'sending')",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn attempt(&self, row: &Claimed, now: DateTime<Utc>, pages: &mut Pages) -> Result<Outcome, RequestError> {
        let Some(event_id) = row.event_id else {
            return Ok(Outcome::Skip("cancelled", "no event".into()));
        };
        // Loaded once per run: a burst of reminders for one event reads it once.
        let (lang, page) = match pages.get(&event_id) {
            Some(loaded) => loaded.clone(),
            None => {
                let lang = queries::series_language(&self.pool, event_id).await.unwrap_or_default();
                let page = match queries::event_page(&self.pool, event_id, Viewer::Public, lang, now).await {
                    Ok(page) => page,
                    Err(paperclub_core::Error::NotFound) => {
                        return Ok(Outcome::Skip("cancelled", "the event is gone".into()));
                    }
                    // The database, not Telegram, failed: retry like a network error.
                    Err(error) => return Err(RequestError::Io(std::io::Error::other(error.to_string()).into())),
                };
                pages.insert(event_id, (lang, page.clone()));
                (lang, page)
            }
        };
        let chat = recipient(&row.recipient);
        let post = |kind: PostKind| posts::render(kind, &page, lang, &self.base_url);
        match row.kind.as_str() {
            plan::ANNOUNCEMENT => {
                self.send(row, &chat, PostKind::Announcement, post(PostKind::Announcement), now).await
            }
            plan::RECORDING => self.send(row, &chat, PostKind::Recording, post(PostKind::Recording), now).await,
            plan::CANCELLED => self.send(row, &chat, PostKind::Cancelled, post(PostKind::Cancelled), now).await,
            plan::REMINDER | plan::PERSONAL_REMINDER => {
                let minutes = row.payload["minutes"].as_i64().unwrap_or(15) as i32;
                // Late (the platform was down) but before the start: still useful.
                if page.card.status != EventStatus::Scheduled {
                    return Ok(Outcome::Skip("cancelled", "the event is no longer scheduled".into()));
                }
                if now >= page.card.starts.at {
                    return Ok(Outcome::Skip("missed", format!("missed: due {}, the event had started", row.due_at)));
                }
                let kind = PostKind::Reminder(minutes);
                if row.kind == plan::PERSONAL_REMINDER {
                    // A private chat: no stored post, and a blocked bot is that person's choice.
                    self.throttle.lock().expect("throttle").record(&row.recipient, now);
                    let post = post(kind);
                    let mut request = self.bot.send_message(chat, &post.html).parse_mode(ParseMode::Html);
                    if let Some(markup) = keyboard(&post) {
                        request = request.reply_markup(markup);
                    }
                    return match request.await {
                        Ok(message) => Ok(Outcome::Sent(message.id.0.to_string())),
                        Err(RequestError::Api(ApiError::BotBlocked)) => {
                            let _ = sqlx::query("UPDATE telegram_users SET blocked_at = $2 WHERE chat_id::text = $1")
                                .bind(&row.recipient)
                                .bind(now)
                                .execute(&self.pool)
                                .await;
                            Ok(Outcome::Skip("cancelled", "the person blocked the bot".into()))
                        }
                        Err(error) => Err(error),
                    };
                }
                self.send(row, &chat, kind, post(kind), now).await
            }
            plan::PIN => {
                let Some((message_id, _)) = self.stored(event_id, "announcement", &row.recipient).await else {
                    return Ok(if self.announcement_pending(event_id).await {
                        Outcome::Later
                    } else {
                        Outcome::Skip("cancelled", "no announcement to pin".into())
                    });
                };
                self.throttle.lock().expect("throttle").record(&row.recipient, now);
                self.bot.pin_chat_message(chat, MessageId(message_id as i32)).disable_notification(true).await?;
                Ok(Outcome::Sent(format!("pinned {message_id}")))
            }
            plan::EDIT => {
                let target = row.payload["post"].as_str().unwrap_or("announcement");
                let kind = if target == "recording" { PostKind::Recording } else { PostKind::Announcement };
                let Some((message_id, hash)) = self.stored(event_id, &kind.key(), &row.recipient).await else {
                    return Ok(Outcome::Skip("cancelled", "nothing posted yet to edit".into()));
                };
                let post = post(kind);
                let new_hash = digest(&post);
                if new_hash == hash {
                    return Ok(Outcome::Sent("unchanged".into()));
                }
                self.throttle.lock().expect("throttle").record(&row.recipient, now);
                let mut request = self
                    .bot
                    .edit_message_text(chat, MessageId(message_id as i32), &post.html)
                    .parse_mode(ParseMode::Html);
                if let Some(markup) = keyboard(&post) {
                    request = request.reply_markup(markup);
                }
                match request.await {
                    Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
                    Err(error) => return Err(error),
                }
                self.remember(event_id, &kind.key(), &row.recipient, message_id, &new_hash, now, true).await;
                Ok(Outcome::Sent(format!("edited {message_id}")))
            }
            other => Ok(Outcome::Skip("failed", format!("unknown kind {other}"))),
        }
    }

    async fn send(
        &self,
        row: &Claimed,
        chat: &Recipient,
        kind: PostKind,
        post: Post,
        now: DateTime<Utc>,
    ) -> Result<Outcome, RequestError> {
        let event_id = row.event_id.unwrap_or_default();
        self.throttle.lock().expect("throttle").record(&row.recipient, now);
        let mut request = self.bot.send_message(chat.clone(), &post.html).parse_mode(ParseMode::Html);
        if let Some(markup) = keyboard(&post) {
            request = request.reply_markup(markup);
        }
        let message = request.await?;
        self.remember(event_id, &kind.key(), &row.recipient, i64::from(message.id.0), &digest(&post), now, false).await;
        Ok(Outcome::Sent(message.id.0.to_string()))
    }

    async fn stored(&self, event_id: i64, kind: &str, chat: &str) -> Option<(i64, Vec<u8>)> {
        sqlx::query_as::<_, (i64, Vec<u8>)>(
            "SELECT message_id, text_sha256 FROM telegram_posts WHERE event_id = $1 AND kind = $2 AND chat = $3",
        )
        .bind(event_id)
        .bind(kind)
        .bind(chat)
        .fetch_optional(&self.pool)
        .await
        .ok()
        .flatten()
    }

    async fn announcement_pending(&self, event_id: i64) -> bool {
        sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM notifications WHERE event_id = $1 AND kind = $2 AND state IN ('pending', 'sending'))",
        )
        .bind(event_id)
        .bind(plan::ANNOUNCEMENT)
        .fetch_one(&self.pool)
        .await
        .unwrap_or(false)
    }

    /// Keeps the message id (and what it says) of a post the bot made or edited.
    #[allow(clippy::too_many_arguments)]
    async fn remember(
        &self,
        event_id: i64,
        kind: &str,
        chat: &str,
        message_id: i64,
        hash: &[u8],
        now: DateTime<Utc>,
        edited: bool,
    ) {
        let stored = sqlx::query(
            "INSERT INTO telegram_posts (event_id, kind, chat, message_id, text_sha256, posted_at, edited_at)
             VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN $6 END)
             ON CONFLICT (event_id, kind, chat) DO UPDATE
                 SET message_id = EXCLUDED.message_id, text_sha256 = EXCLUDED.text_sha256,
                     edited_at = CASE WHEN $7 THEN $6 ELSE telegram_posts.edited_at END",
        )
        .bind(event_id)
        .bind(kind)
        .bind(chat)
        .bind(message_id)
        .bind(hash)
        .bind(now)
        .bind(edited)
        .execute(&self.pool)
        .await;
        if let Err(error) = stored {
            tracing::error!(%error, event_id, kind, "could not record the message id");
        }
    }
}

fn keyboard(post: &Post) -> Option<InlineKeyboardMarkup> {
    let (label, url) = post.button.as_ref()?;
    let url = url.parse().ok()?;
    Some(InlineKeyboardMarkup::new([[InlineKeyboardButton::url(label.clone(), url)]]))
}

fn digest(post: &Post) -> Vec<u8> {
    let button = post.button.as_ref().map(|(l, u)| format!("{l}\u{0}{u}")).unwrap_or_default();
    paperclub_core::secrets::digest_bytes(format!("{}\u{0}{button}", post.html).as_bytes())
}
