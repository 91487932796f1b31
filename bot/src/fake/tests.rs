//! The fake as teloxide sees it: the same client the bot uses gets
//! Telegram's answers and Telegram's errors.

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters};
use teloxide::prelude::Requester;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode, Recipient};

use super::*;

const TOKEN: &str = "123456:test-token";

async fn start(enforce_rate_limits: bool) -> (Fake, teloxide::Bot) {
    let fake = Fake::new(Config { enforce_rate_limits, ..Config::local(TOKEN) });
    let url = fake.clone().spawn().await.unwrap();
    (fake, teloxide::Bot::new(TOKEN).set_api_url(url.parse().unwrap()))
}

fn channel() -> Recipient {
    Recipient::ChannelUsername("@ml_is_ok".into())
}

#[tokio::test]
async fn posts_edits_and_pins_are_kept_and_recorded() {
    let (fake, bot) = start(false).await;
    let me = bot.get_me().await.unwrap();
    assert_eq!(me.username(), "paperclub_bot");
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::url(
        "Register",
        "https://paperclub.example/events/1".parse().unwrap(),
    )]]);
    let sent = bot
        .send_message(channel(), "<b>Встреча №100</b> &amp; co")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .await
        .unwrap();
    assert_eq!(sent.text(), Some("Встреча №100 & co"));
    bot.edit_message_text(sent.chat.id, sent.id, "<b>Встреча №100</b> moved")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    bot.pin_chat_message(sent.chat.id, sent.id).await.unwrap();
    let messages = fake.messages_in(sent.chat.id.0);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].text, "Встреча №100 moved");
    assert!(messages[0].pinned && messages[0].edit_date.is_some());
    let methods: Vec<String> = fake.calls().into_iter().map(|c| c.method).collect();
    assert_eq!(methods, ["getMe", "sendMessage", "editMessageText", "pinChatMessage"]);
}

#[tokio::test]
async fn what_telegram_refuses_the_fake_refuses_in_telegrams_words() {
    let (fake, bot) = start(false).await;
    let error = |result: Result<teloxide::types::Message, RequestError>| result.unwrap_err();
    assert!(matches!(
        error(bot.send_message(channel(), "<b>open").parse_mode(ParseMode::Html).await),
        RequestError::Api(ApiError::CantParseEntities(_))
    ));
    assert!(matches!(
        error(bot.send_message(channel(), "x".repeat(4097)).await),
        RequestError::Api(ApiError::MessageIsTooLong)
    ));
    let long_data = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Go", "d".repeat(65))]]);
    assert!(matches!(
        error(bot.send_message(channel(), "x").reply_markup(long_data).await),
        RequestError::Api(ApiError::ButtonDataInvalid)
    ));
    assert!(matches!(
        error(bot.send_message(Recipient::ChannelUsername("@nobody_here".into()), "x").await),
        RequestError::Api(ApiError::ChatNotFound)
    ));
    let wrong = teloxide::Bot::new("1:wrong").set_api_url(bot.api_url().clone());
    assert!(matches!(wrong.get_me().await.unwrap_err(), RequestError::Api(ApiError::InvalidToken)));
    // The same text again is "not modified".
    let sent = bot.send_message(channel(), "same").await.unwrap();
    assert!(matches!(
        bot.edit_message_text(sent.chat.id, sent.id, "same").await.unwrap_err(),
        RequestError::Api(ApiError::MessageNotModified)
    ));
    assert!(matches!(
        bot.edit_message_text(sent.chat.id, MessageId(999), "other").await.unwrap_err(),
        RequestError::Api(ApiError::MessageToEditNotFound)
    ));
    // Rights: no pin right, then thrown out of the channel.
    let mut channel_config = Config::local(TOKEN).channels.remove(0);
    channel_config.can_pin = false;
    fake.set_channel(channel_config.clone());
    assert!(matches!(
        bot.pin_chat_message(sent.chat.id, sent.id).await.unwrap_err(),
        RequestError::Api(ApiError::NotEnoughRightsToManagePins)
    ));
    channel_config.bot_status = "kicked".into();
    fake.set_channel(channel_config);
    assert!(matches!(error(bot.send_message(channel(), "x").await), RequestError::Api(ApiError::BotKickedFromChannel)));
}

#[tokio::test]
async fn faults_are_injected_and_rates_enforced() {
    let (fake, bot) = start(true).await;
    fake.add_fault(Fault { method: Some("sendMessage".into()), kind: "429".into(), retry_after: Some(7) });
    match bot.send_message(channel(), "x").await.unwrap_err() {
        RequestError::RetryAfter(seconds) => assert_eq!(seconds.seconds(), 7),
        other => panic!("{other:?}"),
    }
    fake.add_fault(Fault { method: None, kind: "drop".into(), retry_after: None });
    assert!(matches!(bot.send_message(channel(), "x").await.unwrap_err(), RequestError::InvalidJson { .. }));
    // 20 messages a minute in one channel, then 429 with the wait.
    for n in 0..20 {
        bot.send_message(channel(), format!("post {n}")).await.unwrap();
    }
    assert!(matches!(bot.send_message(channel(), "one too many").await.unwrap_err(), RequestError::RetryAfter(_)));
}

#[tokio::test]
async fn scripted_updates_arrive_by_long_polling_with_offsets() {
    let (fake, bot) = start(false).await;
    let ana = User { id: 501, first_name: "Ana".into(), username: Some("ana".into()), blocked_bot: false };
    fake.user_writes(ana.clone(), "/start event_3");
    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 1);
    let first = updates[0].id;
    // Not confirmed yet: it comes again; confirmed by the offset: gone.
    assert_eq!(bot.get_updates().await.unwrap().len(), 1);
    use teloxide::payloads::GetUpdatesSetters;
    assert!(bot.get_updates().offset((first.0 + 1) as i32).await.unwrap().is_empty());
    // The bot answers in the private chat; a user who blocked it cannot be written to.
    bot.send_message(teloxide::types::ChatId(501), "Привет").await.unwrap();
    fake.user_blocks(501);
    assert!(matches!(
        bot.send_message(teloxide::types::ChatId(501), "again").await.unwrap_err(),
        RequestError::Api(ApiError::BotBlocked)
    ));
}
