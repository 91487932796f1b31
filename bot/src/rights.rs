//! What the bot may do in each channel a series posts to, checked at start
//! (and again when its membership changes), kept for the organisers'
//! dashboard with the exact right that is missing.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use teloxide::prelude::Requester;
use teloxide::types::{ChatMemberKind, UserId};
use teloxide::{Bot, RequestError};

use paperclub_core::views::ChannelProblem;
use teloxide::ApiError;

use crate::channel_delivery::recipient;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRights {
    pub chat: String,
    pub can_post: bool,
    pub can_pin: bool,
    pub problem: Option<ChannelProblem>,
}

fn judge(chat: &str, member: Result<ChatMemberKind, RequestError>) -> ChatRights {
    let (can_post, can_pin, problem) = match member {
        Ok(ChatMemberKind::Owner(_)) => (true, true, None),
        Ok(ChatMemberKind::Administrator(admin)) => {
            let can_pin = admin.can_edit_messages || admin.can_pin_messages;
            let problem = match (admin.can_post_messages, can_pin) {
                (false, _) => Some(ChannelProblem::CannotPost),
                (true, false) => Some(ChannelProblem::CannotPin),
                _ => None,
            };
            (admin.can_post_messages, can_pin, problem)
        }
        Ok(ChatMemberKind::Member(_)) => (false, false, Some(ChannelProblem::NotAdministrator)),
        Ok(ChatMemberKind::Left) => (false, false, Some(ChannelProblem::NotInChannel)),
        Ok(ChatMemberKind::Banned(_)) => (false, false, Some(ChannelProblem::Removed)),
        Ok(ChatMemberKind::Restricted(_)) => (false, false, Some(ChannelProblem::Restricted)),
        Err(error) => (false, false, Some(problem_of(&error))),
    };
    ChatRights { chat: chat.to_owned(), can_post, can_pin, problem }
}

/// What a refused rights check says about the channel.
fn problem_of(error: &RequestError) -> ChannelProblem {
    match error {
        RequestError::Api(ApiError::ChatNotFound) => ChannelProblem::ChatUnknown,
        RequestError::Api(ApiError::BotKicked | ApiError::BotKickedFromChannel | ApiError::BotKickedFromSupergroup) => {
            ChannelProblem::Removed
        }
        RequestError::Api(ApiError::InvalidToken) => ChannelProblem::TokenRefused,
        _ => ChannelProblem::CheckFailed,
    }
}

/// Checks every channel a series posts to and records the answer.
#[tracing::instrument(skip(pool, bot))]
pub async fn check(pool: &PgPool, bot: &Bot, now: DateTime<Utc>) -> anyhow::Result<Vec<ChatRights>> {
    let me = bot.get_me().await?;
    let chats: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT telegram_chat FROM series WHERE telegram_chat IS NOT NULL ORDER BY 1")
            .fetch_all(pool)
            .await?;
    let mut all = Vec::new();
    for chat in chats {
        let recipient = recipient(&chat);
        let member = bot.get_chat_member(recipient, UserId(me.id.0)).await.map(|m| m.kind);
        let rights = judge(&chat, member);
        sqlx::query(
            "INSERT INTO telegram_chat_rights (chat, checked_at, can_post, can_pin, problem) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (chat) DO UPDATE SET checked_at = $2, can_post = $3, can_pin = $4, problem = $5",
        )
        .bind(&rights.chat)
        .bind(now)
        .bind(rights.can_post)
        .bind(rights.can_pin)
        .bind(rights.problem)
        .execute(pool)
        .await?;
        if let Some(problem) = rights.problem {
            tracing::warn!(chat = %rights.chat, problem = problem.code(), "the bot cannot do everything it needs in a channel");
        }
        all.push(rights);
    }
    Ok(all)
}

/// How often the bot's rights in its channels are checked again.
const CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// Checks the rights at start and every ten minutes until `stop`.
pub async fn keep_checking(
    pool: PgPool,
    bot: Bot,
    clock: std::sync::Arc<dyn paperclub_core::clock::Clock>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if let Err(error) = check(&pool, &bot, clock.now()).await {
            tracing::warn!(%error, "could not check the bot's rights in its channels");
        }
        tokio::select! {
            _ = stop.changed() => break,
            () = tokio::time::sleep(CHECK_EVERY) => {}
        }
    }
}
