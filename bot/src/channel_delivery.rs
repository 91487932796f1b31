//! The `telegram` channel of the outbox: renders each claimed post from the
//! event as it is now, keeps to Telegram's rates (`throttle`), sends, edits,
//! pins or unpins, and stores the message id so later edits and pins find
//! it. Claiming, leases, retries and order per chat are the outbox's
//! (`paperclub_core::outbox::delivery`); this module says what Telegram's
//! answers mean: a 429 holds everything for its `retry_after`; network
//! errors and 5xx are worth retrying; refusals for good (bot removed, missing
//! right, chat not found) fail with a reason organisers can act on.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use paperclub_core::channel_posts::texts::{self as posts, Post, PostKind};
use paperclub_core::events::EventStatus;
use paperclub_core::events::queries::{self, Viewer};
use paperclub_core::lang::Lang;
use paperclub_core::outbox::delivery::{Claimed, Deliverer, Delivery, DeliveryFuture};
use paperclub_core::outbox::{Channel, Kind, State, Why};
use paperclub_core::reminders::{self, Timeliness};
use paperclub_core::views::EventPage;
use sqlx::PgPool;
use teloxide::payloads::{EditMessageTextSetters, PinChatMessageSetters, SendMessageSetters, UnpinChatMessageSetters};
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode, Recipient};
use teloxide::{ApiError, Bot, RequestError};

use crate::throttle::Throttle;

pub struct TelegramDeliverer {
    pool: PgPool,
    bot: Bot,
    base_url: String,
    throttle: Mutex<Throttle>,
    /// Event pages (and their series' language) read during this run: a
    /// burst of reminders for one event reads it once.
    pages: Mutex<HashMap<i64, (Lang, EventPage)>>,
}

/// What an attempt came to, before it is told to the outbox.
enum Outcome {
    Sent(String),
    Dropped(State, Why),
    /// Not yet: the post it depends on has not gone out.
    Later,
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

impl TelegramDeliverer {
    pub fn new(pool: PgPool, bot: Bot, base_url: &str) -> TelegramDeliverer {
        TelegramDeliverer {
            pool,
            bot,
            base_url: base_url.trim_end_matches('/').to_owned(),
            throttle: Mutex::new(Throttle::default()),
            pages: Mutex::new(HashMap::new()),
        }
    }

    /// The event as the public channel sees it at this run, in its series' language.
    async fn page(&self, event_id: i64, now: DateTime<Utc>) -> Result<Option<(Lang, EventPage)>, RequestError> {
        if let Some(read) = self.pages.lock().expect("pages").get(&event_id) {
            return Ok(Some(read.clone()));
        }
        let lang = queries::series_language(&self.pool, event_id).await.unwrap_or_default();
        match queries::event_page(&self.pool, event_id, Viewer::Public, lang, now).await {
            Ok(page) => {
                self.pages.lock().expect("pages").insert(event_id, (lang, page.clone()));
                Ok(Some((lang, page)))
            }
            Err(paperclub_core::Error::NotFound) => Ok(None),
            // The database, not Telegram, failed: retry like a network error.
            Err(error) => Err(RequestError::Io(std::io::Error::other(error.to_string()).into())),
        }
    }

    async fn attempt(&self, row: &Claimed, now: DateTime<Utc>) -> Result<Outcome, RequestError> {
        let Some(event_id) = row.event_id else {
            return Ok(Outcome::Dropped(State::Cancelled, Why::EventGone));
        };
        let Some((lang, page)) = self.page(event_id, now).await? else {
            return Ok(Outcome::Dropped(State::Cancelled, Why::EventGone));
        };
        let chat = recipient(&row.recipient);
        let post = |kind: PostKind| posts::render(kind, &page, lang, &self.base_url);
        match row.kind {
            Kind::TgAnnouncement => {
                self.send(row, &chat, PostKind::Announcement, post(PostKind::Announcement), now).await
            }
            Kind::TgRecording => self.send(row, &chat, PostKind::Recording, post(PostKind::Recording), now).await,
            Kind::TgCancelled => self.send(row, &chat, PostKind::Cancelled, post(PostKind::Cancelled), now).await,
            Kind::TgReminder | Kind::TgPersonalReminder => {
                if page.card.status != EventStatus::Scheduled {
                    return Ok(Outcome::Dropped(State::Cancelled, Why::EventNotScheduled));
                }
                let minutes_left = match reminders::timeliness(&self.pool, row, page.card.starts.at, now).await {
                    Ok(Timeliness::Send { minutes_left }) => minutes_left,
                    Ok(Timeliness::Missed(reason)) => return Ok(Outcome::Dropped(State::Missed, reason)),
                    Err(error) => return Err(RequestError::Io(std::io::Error::other(error.to_string()).into())),
                };
                let kind = PostKind::Reminder(minutes_left);
                if row.kind == Kind::TgPersonalReminder {
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
                            Ok(Outcome::Dropped(State::Cancelled, Why::RecipientBlockedBot))
                        }
                        Err(error) => Err(error),
                    };
                }
                self.send(row, &chat, kind, post(kind), now).await
            }
            Kind::TgPin => {
                let Some((message_id, _)) = self.stored(event_id, "announcement", &row.recipient).await else {
                    return Ok(if self.announcement_pending(event_id).await {
                        Outcome::Later
                    } else {
                        Outcome::Dropped(State::Cancelled, Why::NothingToPin)
                    });
                };
                self.throttle.lock().expect("throttle").record(&row.recipient, now);
                self.bot.pin_chat_message(chat, MessageId(message_id as i32)).disable_notification(true).await?;
                Ok(Outcome::Sent(format!("pinned {message_id}")))
            }
            Kind::TgUnpin => {
                let Some((message_id, _)) = self.stored(event_id, "announcement", &row.recipient).await else {
                    return Ok(Outcome::Dropped(State::Cancelled, Why::NothingToUnpin));
                };
                self.throttle.lock().expect("throttle").record(&row.recipient, now);
                self.bot.unpin_chat_message(chat).message_id(MessageId(message_id as i32)).await?;
                Ok(Outcome::Sent(format!("unpinned {message_id}")))
            }
            Kind::TgEdit => {
                let target = row.payload["post"].as_str().unwrap_or("announcement");
                let kind = if target == "recording" { PostKind::Recording } else { PostKind::Announcement };
                let Some((message_id, hash)) = self.stored(event_id, &kind.key(), &row.recipient).await else {
                    return Ok(Outcome::Dropped(State::Cancelled, Why::NothingToEdit));
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
            _ => Ok(Outcome::Dropped(State::Failed, Why::NotATelegramMessage)),
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
        .bind(Kind::TgAnnouncement)
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

impl Deliverer for TelegramDeliverer {
    fn channel(&self) -> Channel {
        Channel::Telegram
    }

    fn longest_send(&self) -> std::time::Duration {
        // teloxide's HTTP client gives up on a request after 17 s; reading the event is quick.
        std::time::Duration::from_secs(20)
    }

    fn keeps_order(&self) -> bool {
        true
    }

    fn new_run(&self) {
        self.pages.lock().expect("pages").clear();
    }

    fn hold(&self, until: DateTime<Utc>) {
        self.throttle.lock().expect("throttle").hold_until(until);
    }

    fn next_slot(&self, recipient: &str, now: DateTime<Utc>) -> DateTime<Utc> {
        self.throttle.lock().expect("throttle").next_slot(recipient, now)
    }

    fn deliver<'a>(&'a self, message: &'a Claimed, now: DateTime<Utc>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            match self.attempt(message, now).await {
                Ok(Outcome::Sent(reply)) => Delivery::Sent(reply),
                Ok(Outcome::Dropped(state, reason)) => Delivery::Dropped(state, reason),
                Ok(Outcome::Later) => Delivery::NotYet(now + Duration::seconds(5)),
                Err(RequestError::RetryAfter(wait)) => {
                    let seconds = wait.seconds();
                    Delivery::Throttled {
                        wait: Duration::seconds(i64::from(seconds)),
                        reason: format!("Telegram asked to wait {seconds} s (rate limit)"),
                    }
                }
                Err(error) => match permanent_reason(&error) {
                    Some(reason) => Delivery::Permanent(reason),
                    None => Delivery::Transient(error.to_string()),
                },
            }
        })
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
