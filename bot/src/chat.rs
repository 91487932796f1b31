//! The private chat: `/start` (with deep links to an event or to link the
//! Telegram account to a site account), `/upcoming`, registering and
//! cancelling with buttons (through the same rules as the web), `/my`,
//! `/remind` for personal reminders, `/help`; organisers whose account is
//! linked can `/announce`, `/pin` and `/cancel` an event. `handler_tree()`
//! is the whole behaviour; tests dispatch updates into it with their own
//! dependencies, the poller feeds it from long polling.

use std::sync::Arc;

use paperclub_core::accounts::{self, Account};
use paperclub_core::clock::Clock;
use paperclub_core::deep_links::DeepLink;
use paperclub_core::events::EventStatus;
use paperclub_core::events::authoring::{self, StatusChange};
use paperclub_core::events::queries::{self, Viewer};
use paperclub_core::forms::Problem;
use paperclub_core::lang::Lang;
use paperclub_core::registrations::{self, Applicant, Registered, RegistrationError, RegistrationSource};
use paperclub_core::values::Email;
use paperclub_core::words::chat::ChatWords;
use paperclub_core::words::words;
use paperclub_core::{channel_posts, reminders};
use sqlx::PgPool;
use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Me, ParseMode, User};
use teloxide::utils::command::BotCommands;

use paperclub_core::channel_posts::html::escape;

/// What the handlers need, injected.
pub struct ChatContext {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub base_url: String,
}

#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// Start, or open a deep link.
    Start(String),
    /// Upcoming events.
    Upcoming,
    /// My registrations.
    My,
    /// Personal reminders.
    Remind,
    /// What the bot can do.
    Help,
    /// (organisers) Publish or announce an event: /announce 12
    Announce(String),
    /// (organisers) Pin an event's announcement: /pin 12
    Pin(String),
    /// (organisers) Cancel an event: /cancel 12
    Cancel(String),
}

pub fn handler_tree() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().filter_command::<Command>().endpoint(on_command))
        .branch(Update::filter_callback_query().endpoint(on_button))
        .branch(Update::filter_my_chat_member().endpoint(on_membership))
        .branch(Update::filter_message().endpoint(on_text))
}

fn lang_of(user: Option<&User>) -> Lang {
    match user.and_then(|u| u.language_code.as_deref()) {
        Some(code) if code.starts_with("en") => Lang::En,
        _ => Lang::Ru,
    }
}

/// The bot's words in `lang` (the product's catalogue).
fn w(lang: Lang) -> &'static ChatWords {
    &words(lang).chat
}

/// Remembers who writes to the bot (writing again means they no longer block it).
async fn remember(cx: &ChatContext, user: &User, chat_id: i64, lang: Lang) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO telegram_users (telegram_user_id, chat_id, username, first_name, language, created_at)
         VALUES ($1, $2, $3, $4, $5::language_code, $6)
         ON CONFLICT (telegram_user_id) DO UPDATE
             SET chat_id = $2, username = $3, first_name = $4, language = $5::language_code, blocked_at = NULL",
    )
    .bind(user.id.0 as i64)
    .bind(chat_id)
    .bind(user.username.as_deref())
    .bind(&user.first_name)
    .bind(lang.code())
    .bind(cx.clock.now())
    .execute(&cx.pool)
    .await?;
    Ok(())
}

/// Sends a reply; a person who blocked the bot is noted, not retried.
async fn reply(
    bot: &Bot,
    cx: &ChatContext,
    chat: ChatId,
    html: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> anyhow::Result<()> {
    let mut request = bot.send_message(chat, html).parse_mode(ParseMode::Html);
    if let Some(keyboard) = keyboard {
        request = request.reply_markup(keyboard);
    }
    match request.await {
        Ok(_) => Ok(()),
        Err(teloxide::RequestError::Api(teloxide::ApiError::BotBlocked)) => {
            sqlx::query("UPDATE telegram_users SET blocked_at = $2 WHERE chat_id = $1")
                .bind(chat.0)
                .bind(cx.clock.now())
                .execute(&cx.pool)
                .await?;
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

fn url_button(label: &str, url: String) -> Option<InlineKeyboardButton> {
    url.parse().ok().map(|url| InlineKeyboardButton::url(label.to_owned(), url))
}

fn help(lang: Lang) -> String {
    escape(w(lang).help)
}

async fn on_command(bot: Bot, msg: Message, command: Command, cx: Arc<ChatContext>) -> anyhow::Result<()> {
    let Some(user) = msg.from.clone() else { return Ok(()) };
    let lang = lang_of(Some(&user));
    remember(&cx, &user, msg.chat.id.0, lang).await?;
    let chat = msg.chat.id;
    match command {
        Command::Start(payload) => start(&bot, &cx, chat, &user, lang, payload.trim()).await,
        Command::Help => reply(&bot, &cx, chat, help(lang), None).await,
        Command::Upcoming => upcoming(&bot, &cx, chat, lang).await,
        Command::My => my(&bot, &cx, chat, &user, lang).await,
        Command::Remind => {
            let options = [(1440, w(lang).remind_day), (60, w(lang).remind_hour), (15, w(lang).remind_quarter)];
            let mut rows: Vec<Vec<InlineKeyboardButton>> = options
                .iter()
                .map(|(m, label)| vec![InlineKeyboardButton::callback(*label, format!("remind:{m}"))])
                .collect();
            rows.push(vec![InlineKeyboardButton::callback(w(lang).remind_off, "remind:off")]);
            let text = escape(w(lang).remind_question);
            reply(&bot, &cx, chat, text, Some(InlineKeyboardMarkup::new(rows))).await
        }
        Command::Announce(id) => organiser_command(&bot, &cx, chat, &user, lang, "announce", id.trim()).await,
        Command::Pin(id) => organiser_command(&bot, &cx, chat, &user, lang, "pin", id.trim()).await,
        Command::Cancel(id) => organiser_command(&bot, &cx, chat, &user, lang, "cancel", id.trim()).await,
    }
}

async fn start(
    bot: &Bot,
    cx: &ChatContext,
    chat: ChatId,
    user: &User,
    lang: Lang,
    payload: &str,
) -> anyhow::Result<()> {
    match DeepLink::parse(payload) {
        Some(DeepLink::LinkAccount(token)) => {
            let text = match accounts::telegram_link::redeem(&cx.pool, &token, user.id.0 as i64, cx.clock.now()).await {
                Ok(account) => format!(
                    "{} <b>{}</b>. {}",
                    escape(w(lang).linked),
                    escape(&account.email),
                    escape(w(lang).register_here)
                ),
                Err(paperclub_core::Error::NotFound) => escape(w(lang).link_expired),
                Err(error) => return Err(error.into()),
            };
            return reply(bot, cx, chat, text, None).await;
        }
        Some(DeepLink::Event(id)) => return show_event(bot, cx, chat, lang, id).await,
        None => {}
    }
    reply(bot, cx, chat, help(lang), None).await
}

async fn show_event(bot: &Bot, cx: &ChatContext, chat: ChatId, lang: Lang, id: i64) -> anyhow::Result<()> {
    let page = match queries::event_page(&cx.pool, id, Viewer::Public, lang, cx.clock.now()).await {
        Ok(page) => page,
        Err(paperclub_core::Error::NotFound) => {
            return reply(bot, cx, chat, escape(w(lang).no_such_event), None).await;
        }
        Err(error) => return Err(error.into()),
    };
    let text = format!("<b>{}</b>\n{}", escape(&page.card.title), escape(&page.span_label));
    let mut row = Vec::new();
    if page.registration_open {
        row.push(InlineKeyboardButton::callback(w(lang).register, format!("reg:{id}")));
    }
    row.extend(url_button(w(lang).event_page, format!("{}/events/{id}", cx.base_url)));
    reply(bot, cx, chat, text, Some(InlineKeyboardMarkup::new([row]))).await
}

async fn upcoming(bot: &Bot, cx: &ChatContext, chat: ChatId, lang: Lang) -> anyhow::Result<()> {
    let cards = queries::all_cards(&cx.pool, lang).await?;
    let now = cx.clock.now();
    let mut cards: Vec<_> =
        cards.into_iter().filter(|c| c.status == EventStatus::Scheduled && c.starts.at > now).collect();
    cards.sort_by_key(|c| c.starts.at);
    cards.truncate(5);
    if cards.is_empty() {
        return reply(bot, cx, chat, escape(w(lang).no_upcoming), None).await;
    }
    let text = cards
        .iter()
        .map(|c| format!("<b>{}</b> — {}", escape(&c.title), escape(&c.starts.label)))
        .collect::<Vec<_>>()
        .join("\n");
    let rows: Vec<Vec<InlineKeyboardButton>> = cards
        .iter()
        .map(|c| {
            vec![InlineKeyboardButton::callback(
                format!("{} · {}", w(lang).details, truncate(&c.title, 40)),
                format!("event:{}", c.id),
            )]
        })
        .collect();
    reply(bot, cx, chat, text, Some(InlineKeyboardMarkup::new(rows))).await
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(chars - 1).collect::<String>())
    }
}

async fn my(bot: &Bot, cx: &ChatContext, chat: ChatId, user: &User, lang: Lang) -> anyhow::Result<()> {
    let Some(account) = linked_or_told(bot, cx, chat, user, lang).await? else {
        return Ok(());
    };
    let now = cx.clock.now();
    let registrations: Vec<_> =
        registrations::of_email(&cx.pool, &account.email, lang, registrations::TicketLinks::Omit)
            .await?
            .into_iter()
            .filter(|r| r.event.starts.at > now && r.status.is_live())
            .collect();
    if registrations.is_empty() {
        return reply(bot, cx, chat, escape(w(lang).no_registrations), None).await;
    }
    let text = registrations
        .iter()
        .map(|r| {
            format!(
                "<b>{}</b> — {} ({})",
                escape(&r.event.title),
                escape(&r.event.starts.label),
                escape(words(lang).site.registration_status(r.status))
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let rows: Vec<Vec<InlineKeyboardButton>> = registrations
        .iter()
        .map(|r| {
            vec![InlineKeyboardButton::callback(
                format!("{} · {}", w(lang).cancel, truncate(&r.event.title, 40)),
                format!("unreg:{}", r.event.id),
            )]
        })
        .collect();
    reply(bot, cx, chat, text, Some(InlineKeyboardMarkup::new(rows))).await
}

/// The site account linked to this Telegram user; when there is none, the
/// user is told how to link one (and `None` comes back).
async fn linked_or_told(
    bot: &Bot,
    cx: &ChatContext,
    chat: ChatId,
    user: &User,
    lang: Lang,
) -> anyhow::Result<Option<Account>> {
    let account = accounts::telegram_link::linked_account(&cx.pool, user.id.0 as i64).await?;
    if account.is_none() {
        not_linked(bot, cx, chat, lang).await?;
    }
    Ok(account)
}

async fn not_linked(bot: &Bot, cx: &ChatContext, chat: ChatId, lang: Lang) -> anyhow::Result<()> {
    let text = escape(w(lang).link_first);
    let keyboard =
        url_button(w(lang).my_registrations, format!("{}/me", cx.base_url)).map(|b| InlineKeyboardMarkup::new([[b]]));
    reply(bot, cx, chat, text, keyboard).await
}

/// How a button press is answered: once, in the place that fits.
enum Pressed {
    /// A short pop-up over the chat: the result of a toggle.
    Popup(String),
    /// A message went to the chat (something to read, or a button to
    /// press), or there is nothing to say: the press only stops spinning.
    InChat,
}

async fn on_button(bot: Bot, query: CallbackQuery, cx: Arc<ChatContext>) -> anyhow::Result<()> {
    let lang = lang_of(Some(&query.from));
    let chat = ChatId(query.from.id.0 as i64);
    remember(&cx, &query.from, chat.0, lang).await?;
    let data = query.data.clone().unwrap_or_default();
    let (action, argument) = data.split_once(':').unwrap_or((data.as_str(), ""));
    let pressed = match action {
        "event" => {
            if let Ok(id) = argument.parse() {
                show_event(&bot, &cx, chat, lang, id).await?;
            }
            Pressed::InChat
        }
        "reg" => register(&bot, &cx, chat, &query.from, lang, argument.parse().unwrap_or_default()).await?,
        "unreg" => unregister(&bot, &cx, chat, &query.from, lang, argument.parse().unwrap_or_default()).await?,
        "remind" => Pressed::Popup(choose_reminders(&cx, &query.from, lang, argument).await?),
        _ => Pressed::InChat,
    };
    let answer = bot.answer_callback_query(query.id.clone());
    match pressed {
        Pressed::Popup(text) => {
            use teloxide::payloads::AnswerCallbackQuerySetters;
            answer.text(text).await?
        }
        Pressed::InChat => answer.await?,
    };
    Ok(())
}

/// Registers the linked account's e-mail for the event, as the web would.
async fn register(
    bot: &Bot,
    cx: &ChatContext,
    chat: ChatId,
    user: &User,
    lang: Lang,
    event_id: i64,
) -> anyhow::Result<Pressed> {
    let Some(account) = linked_or_told(bot, cx, chat, user, lang).await? else {
        return Ok(Pressed::InChat);
    };
    let email = Email::parse(&account.email).map_err(|p| anyhow::anyhow!("account e-mail: {p:?}"))?;
    let applicant = Applicant {
        name: account.display_name.clone(),
        email,
        answers: Default::default(),
        source: RegistrationSource::Telegram,
    };
    let now = cx.clock.now();
    let popup = match registrations::register(&cx.pool, event_id, &applicant, now).await {
        Ok(Registered::Confirmed) => {
            personal_reminders(cx, user, event_id).await?;
            w(lang).registered.to_owned()
        }
        Ok(Registered::Waitlisted { position }) => format!("{} {position}", w(lang).waitlisted),
        Ok(Registered::Pending) => w(lang).pending.to_owned(),
        Ok(Registered::AlreadyRegistered { .. }) => w(lang).already_registered.to_owned(),
        Err(RegistrationError::Answers(_)) => {
            // The questions are answered on the site: a message with the way there.
            let keyboard = url_button(w(lang).event_page, format!("{}/events/{event_id}#registration", cx.base_url))
                .map(|b| InlineKeyboardMarkup::new([[b]]));
            reply(bot, cx, chat, escape(w(lang).has_questions), keyboard).await?;
            return Ok(Pressed::InChat);
        }
        Err(RegistrationError::Refused(Problem::EventCancelled)) => w(lang).event_cancelled.to_owned(),
        Err(RegistrationError::Refused(Problem::RegistrationNotOffered)) => w(lang).not_offered.to_owned(),
        Err(RegistrationError::Refused(_)) => w(lang).registration_closed.to_owned(),
        Err(RegistrationError::NoSuchEvent) => w(lang).no_such_event.to_owned(),
        Err(RegistrationError::Other(error)) => return Err(error.into()),
    };
    Ok(Pressed::Popup(popup))
}

async fn unregister(
    bot: &Bot,
    cx: &ChatContext,
    chat: ChatId,
    user: &User,
    lang: Lang,
    event_id: i64,
) -> anyhow::Result<Pressed> {
    let Some(account) = linked_or_told(bot, cx, chat, user, lang).await? else {
        return Ok(Pressed::InChat);
    };
    let registration =
        sqlx::query_scalar::<_, i64>("SELECT id FROM registrations WHERE event_id = $1 AND lower(email) = lower($2)")
            .bind(event_id)
            .bind(&account.email)
            .fetch_optional(&cx.pool)
            .await?;
    let Some(registration) = registration else {
        return Ok(Pressed::Popup(w(lang).not_registered.to_owned()));
    };
    registrations::cancel_registration(&cx.pool, registration, cx.clock.now()).await?;
    Ok(Pressed::Popup(w(lang).registration_cancelled.to_owned()))
}

async fn choose_reminders(cx: &ChatContext, user: &User, lang: Lang, choice: &str) -> anyhow::Result<String> {
    let minutes: Vec<i32> = choice.parse::<i32>().ok().filter(|m| [1440, 60, 15].contains(m)).into_iter().collect();
    sqlx::query("UPDATE telegram_users SET reminder_minutes = $2 WHERE telegram_user_id = $1")
        .bind(user.id.0 as i64)
        .bind(&minutes)
        .execute(&cx.pool)
        .await?;
    // Apply to every upcoming event the linked account is registered for.
    if let Some(account) = accounts::telegram_link::linked_account(&cx.pool, user.id.0 as i64).await? {
        let now = cx.clock.now();
        for registration in
            registrations::of_email(&cx.pool, &account.email, lang, registrations::TicketLinks::Omit).await?
        {
            if registration.event.starts.at > now && registration.status.is_live() {
                personal_reminders(cx, user, registration.event.id).await?;
            }
        }
    }
    Ok(if minutes.is_empty() { w(lang).no_personal_reminders.to_owned() } else { w(lang).will_remind.to_owned() })
}

async fn personal_reminders(cx: &ChatContext, user: &User, event_id: i64) -> anyhow::Result<()> {
    let row = sqlx::query_as::<_, (i64, Vec<i32>)>(
        "SELECT chat_id, reminder_minutes FROM telegram_users WHERE telegram_user_id = $1",
    )
    .bind(user.id.0 as i64)
    .fetch_optional(&cx.pool)
    .await?;
    if let Some((chat_id, minutes)) = row {
        let mut tx = cx.pool.begin().await?;
        reminders::plan_personal(&mut tx, event_id, chat_id, &minutes, cx.clock.now()).await?;
        tx.commit().await?;
    }
    Ok(())
}

async fn organiser_command(
    bot: &Bot,
    cx: &ChatContext,
    chat: ChatId,
    user: &User,
    lang: Lang,
    action: &str,
    id: &str,
) -> anyhow::Result<()> {
    let organiser =
        accounts::telegram_link::linked_account(&cx.pool, user.id.0 as i64).await?.filter(Account::is_organiser);
    if organiser.is_none() {
        let text = escape(w(lang).organisers_only);
        return reply(bot, cx, chat, text, None).await;
    }
    let Ok(event_id) = id.parse::<i64>() else {
        let text = escape(w(lang).give_event_id);
        return reply(bot, cx, chat, text, None).await;
    };
    let now = cx.clock.now();
    let outcome = match action {
        "announce" => match authoring::change_status(&cx.pool, event_id, StatusChange::Publish, now).await {
            Ok(_) => Ok(w(lang).published),
            // Already published: post the announcement again if it never went out.
            Err(paperclub_core::Error::Invalid(_)) => {
                channel_posts::announce_again(&cx.pool, event_id, now).await?;
                Ok(w(lang).already_published)
            }
            Err(error) => Err(error),
        },
        "pin" => {
            if channel_posts::pin_now(&cx.pool, event_id, now).await? {
                Ok(w(lang).will_pin)
            } else {
                Ok(w(lang).no_channel)
            }
        }
        _ => authoring::change_status(&cx.pool, event_id, StatusChange::Cancel, now)
            .await
            .map(|_| w(lang).cancelled_event),
    };
    let text = match outcome {
        Ok(text) => escape(text),
        Err(paperclub_core::Error::NotFound) => escape(w(lang).no_such_event),
        Err(paperclub_core::Error::Invalid(_)) => escape(w(lang).does_not_fit),
        Err(error) => return Err(error.into()),
    };
    reply(bot, cx, chat, text, None).await
}

/// The bot was added to, promoted in or removed from a chat: check its rights again.
async fn on_membership(bot: Bot, _update: ChatMemberUpdated, cx: Arc<ChatContext>) -> anyhow::Result<()> {
    crate::rights::check(&cx.pool, &bot, cx.clock.now()).await?;
    Ok(())
}

async fn on_text(bot: Bot, msg: Message, cx: Arc<ChatContext>) -> anyhow::Result<()> {
    if !msg.chat.is_private() {
        return Ok(());
    }
    let lang = lang_of(msg.from.as_ref());
    if let Some(user) = &msg.from {
        remember(&cx, user, msg.chat.id.0, lang).await?;
    }
    reply(&bot, &cx, msg.chat.id, help(lang), None).await
}

/// Long polling, one update consumer at a time: processes what is waiting
/// and returns the next offset. The poller loop and tests call it.
pub async fn process_updates(
    bot: &Bot,
    me: &Me,
    cx: &Arc<ChatContext>,
    offset: i32,
    timeout: u32,
) -> anyhow::Result<i32> {
    use teloxide::payloads::GetUpdatesSetters;
    let updates = bot.get_updates().offset(offset).timeout(timeout).await?;
    let mut next = offset;
    for update in updates {
        next = next.max(update.id.0 as i32 + 1);
        let id = update.id.0;
        // Polling moves past a failed update: retrying it here would hold
        // every later one behind it (the webhook asks Telegram to resend).
        if let Err(error) = handle_update(bot, me, cx, update).await {
            tracing::error!(update_id = id, %error, "update handling failed");
        }
    }
    Ok(next)
}

/// Handles one update through `handler_tree()`: the poller's and the
/// webhook's one way in.
pub async fn handle_update(bot: &Bot, me: &Me, cx: &Arc<ChatContext>, update: Update) -> anyhow::Result<()> {
    let deps = dptree::deps![update, bot.clone(), me.clone(), cx.clone()];
    match handler_tree().dispatch(deps).await {
        std::ops::ControlFlow::Break(Err(error)) => Err(error),
        _ => Ok(()),
    }
}

/// How long one getUpdates call waits for updates (teloxide's default client
/// gives up on a request after 17 s).
pub const LONG_POLL_SECONDS: u32 = 10;

/// The advisory lock key that makes one process the update consumer.
pub const CONSUMER_LOCK: i64 = 7242;

/// Polls for updates for as long as `stop` is false, holding the consumer
/// lock on a connection of its own; another process waits for it.
pub async fn run_poller(bot: Bot, cx: Arc<ChatContext>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut conn = loop {
        match cx.pool.acquire().await {
            Ok(mut conn) => {
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(CONSUMER_LOCK)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap_or(false);
                if got {
                    break conn;
                }
            }
            Err(error) => tracing::warn!(%error, "no connection for the update consumer"),
        }
        tokio::select! {
            _ = stop.changed() => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(30)) => {}
        }
    };
    let me = loop {
        match bot.get_me().await {
            Ok(me) => break me,
            Err(error) => {
                tracing::warn!(%error, "getMe failed; retrying");
                tokio::select! {
                    _ = stop.changed() => return,
                    () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
                }
            }
        }
    };
    let _ = bot.delete_webhook().await;
    tracing::info!(bot = %me.username(), "telegram update consumer started");
    let mut offset = 0;
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            // Under teloxide's default HTTP timeout (17 s): a longer poll is
            // cut off by our own client and logged as a network error.
            polled = process_updates(&bot, &me, &cx, offset, LONG_POLL_SECONDS) => match polled {
                Ok(next) => offset = next,
                Err(error) => {
                    tracing::warn!(%error, "getUpdates failed");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            }
        }
    }
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(CONSUMER_LOCK).execute(&mut *conn).await;
    tracing::info!("telegram update consumer stopped");
}
