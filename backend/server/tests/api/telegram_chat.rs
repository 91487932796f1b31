//! The private chat against the fake: deep links, registering and
//! cancelling with buttons through the web's rules, personal reminders,
//! organisers' commands, and people who blocked the bot.

use std::sync::Arc;

use chrono::Duration;
use paperclub_bot::channel_delivery::TelegramDeliverer;
use paperclub_bot::chat::{ChatContext, handle_update, process_updates};
use paperclub_bot::fake::{Config, Fake, User};
use paperclub_core::clock::Clock;
use paperclub_core::events::authoring::{self, StatusChange};
use teloxide::payloads::GetUpdatesSetters;
use teloxide::prelude::Requester;

use crate::helpers::{TestApp, spawn_app};

const TOKEN: &str = "515151:chat";

struct Chat {
    app: TestApp,
    fake: Fake,
    bot: teloxide::Bot,
    me: teloxide::types::Me,
    cx: Arc<ChatContext>,
    offset: i32,
}

impl Chat {
    async fn start() -> Chat {
        let app = spawn_app().await;
        app.seed().await;
        let fake = Fake::new(Config { enforce_rate_limits: false, ..Config::local(TOKEN) });
        let url = fake.clone().spawn().await.unwrap();
        let bot = teloxide::Bot::new(TOKEN).set_api_url(url.parse().unwrap());
        let me = bot.get_me().await.unwrap();
        let cx = Arc::new(ChatContext {
            pool: app.pool.clone(),
            clock: Arc::new(app.clock.clone()),
            base_url: "https://paperclub.test".into(),
        });
        Chat { app, fake, bot, me, cx, offset: 0 }
    }

    /// Handles every update waiting, as the poller would.
    async fn process(&mut self) {
        self.offset = process_updates(&self.bot, &self.me, &self.cx, self.offset, 0).await.unwrap();
    }

    async fn says(&mut self, user: &User, text: &str) -> String {
        self.fake.user_writes(user.clone(), text);
        self.process().await;
        self.last_to(user.id)
    }

    /// Presses the button `data` under the bot's last message; returns what
    /// the person saw, and checks they saw it once: a pop-up or a message,
    /// never the same words twice.
    async fn presses(&mut self, user: &User, data: &str) -> String {
        let message =
            self.fake.messages_in(user.id).into_iter().rev().find(|m| !m.from_user).map_or(0, |m| m.message_id);
        let (answers_before, messages_before) = (self.fake.callback_answers().len(), self.bot_messages(user.id).len());
        self.fake.user_presses(user.clone(), message, data);
        self.process().await;
        let answers = self.fake.callback_answers();
        assert_eq!(answers.len(), answers_before + 1, "every press is answered, once");
        let popup = answers.last().and_then(|answer| answer["text"].as_str()).map(str::to_owned);
        let messages: Vec<String> = self.bot_messages(user.id).into_iter().skip(messages_before).collect();
        match popup {
            Some(popup) => {
                assert!(messages.is_empty(), "a pop-up ({popup}) and a message ({messages:?}) for one press");
                popup
            }
            None => {
                assert_eq!(messages.len(), 1, "a press without a pop-up answers with one message: {messages:?}");
                messages.into_iter().next().unwrap()
            }
        }
    }

    fn bot_messages(&self, chat: i64) -> Vec<String> {
        self.fake.messages_in(chat).into_iter().filter(|m| !m.from_user).map(|m| m.text).collect()
    }

    fn last_to(&self, chat: i64) -> String {
        self.fake.messages_in(chat).into_iter().rev().find(|m| !m.from_user).map(|m| m.text).unwrap_or_default()
    }

    fn buttons_of_last(&self, chat: i64) -> Vec<String> {
        let message = self.fake.messages_in(chat).into_iter().rev().find(|m| !m.from_user).unwrap();
        message.reply_markup.unwrap_or_default()["inline_keyboard"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["callback_data"].as_str().map(str::to_owned))
            .collect()
    }

    async fn open_session(&self) -> i64 {
        self.open_session_titled("Registration by bot").await
    }

    async fn open_session_titled(&self, title: &str) -> i64 {
        let series = self.app.series_id("reading-group").await.to_string();
        let form = paperclub_core::forms::EventForm {
            series_id: series,
            kind: "session".into(),
            title: title.into(),
            date: "2026-12-10".into(),
            start_time: "15:00".into(),
            end_time: "16:30".into(),
            format: "online".into(),
            registration_mode: "open".into(),
            capacity: "1".into(),
            ..Default::default()
        };
        let now = self.app.clock.now();
        let id = authoring::create(&self.app.pool, &form, now).await.unwrap();
        authoring::change_status(&self.app.pool, id, StatusChange::Publish, now).await.unwrap();
        id
    }

    /// Links `user`'s Telegram to the account of `email` as a person would:
    /// signed in on the site, "Link Telegram", then opening the deep link in
    /// Telegram (the fake passes its parameter only as Telegram would).
    async fn link(&mut self, user: &User, email: &str, organiser: bool) {
        let cookie = if organiser {
            assert_eq!(email, crate::helpers::ORGANISER_EMAIL);
            self.app.sign_in_as_organiser().await
        } else {
            self.app.sign_in_as_member(email).await
        };
        let answer = self.app.call("/api/link_telegram", &cookie, &[]).await;
        let url: String = serde_json::from_str(&answer.body).expect("the deep link");
        self.fake.user_opens(user.clone(), &url).expect("a link to this bot");
        self.process().await;
        let answer = self.last_to(user.id);
        assert!(answer.contains(email), "{answer}");
    }
}

fn ana() -> User {
    User { id: 9001, first_name: "Ана".into(), username: Some("ana".into()), blocked_bot: false }
}

/// Telegram's rule for a start parameter, as the Bot API documentation
/// states it (deep linking): "up to 64 characters long", of "A-Z, a-z,
/// 0-9, _ and -". A link outside it opens the bot without its parameter.
fn telegram_accepts_start_parameter(parameter: &str) -> bool {
    !parameter.is_empty()
        && parameter.len() <= 64
        && parameter
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn start_parameter_of(url: &str) -> &str {
    url.split_once("?start=").map(|(_, parameter)| parameter).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_deep_link_the_platform_builds_passes_telegrams_rule_for_start_parameters() {
    use paperclub_core::deep_links::DeepLink;
    let mut chat = Chat::start().await;
    let cookie = chat.app.sign_in_as_member("ana@example.org").await;
    let answer = chat.app.call("/api/link_telegram", &cookie, &[]).await;
    let link_account: String = serde_json::from_str(&answer.body).unwrap();
    let event = DeepLink::Event(i64::MAX).url("paperclub_bot");
    for url in [&link_account, &event] {
        assert!(url.starts_with("https://t.me/paperclub_bot?start="), "{url}");
        assert!(telegram_accepts_start_parameter(start_parameter_of(url)), "Telegram drops the parameter of {url}");
    }
    // The fake holds links to the same rule: a parameter Telegram would drop
    // opens the chat with a bare /start, which links nothing.
    let ana = ana();
    let too_long = format!("{link_account}{}", "x".repeat(64));
    chat.fake.user_opens(ana.clone(), &too_long).unwrap();
    chat.process().await;
    assert!(chat.last_to(ana.id).contains("/upcoming"), "greeted with the help");
    assert!(paperclub_core::accounts::telegram_link::linked_account(&chat.app.pool, ana.id).await.unwrap().is_none());
    chat.fake.user_opens(ana.clone(), &link_account).unwrap();
    chat.process().await;
    assert!(chat.last_to(ana.id).contains("ana@example.org"), "the site's own link links the account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_link_opens_the_event_and_registering_goes_through_the_same_rules_as_the_web() {
    let mut chat = Chat::start().await;
    let event = chat.open_session().await;
    let ana = ana();
    assert!(chat.says(&ana, "/help").await.contains("/upcoming"));
    let shown = chat.says(&ana, &format!("/start event_{event}")).await;
    assert!(shown.contains("Registration by bot"), "{shown}");
    assert!(chat.buttons_of_last(ana.id).contains(&format!("reg:{event}")));
    // Not linked yet: told how, nothing registered.
    let refused = chat.presses(&ana, &format!("reg:{event}")).await;
    assert!(refused.contains("Связать Telegram") || refused.contains("связать аккаунт"), "{refused}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&chat.app.pool).await.unwrap();
    assert_eq!(count, 0);

    chat.link(&ana, "ana@example.org", false).await;
    assert!(chat.presses(&ana, &format!("reg:{event}")).await.contains("Вы записаны"));
    let status: String = sqlx::query_scalar("SELECT status::text FROM registrations WHERE email = 'ana@example.org'")
        .fetch_one(&chat.app.pool)
        .await
        .unwrap();
    assert_eq!(status, "confirmed");
    // The organisers see where it came from.
    let cookie = chat.app.sign_in_as_organiser().await;
    let csv = chat.app.get_with_cookie(&format!("/admin/events/{event}/registrations.csv"), &cookie).await;
    assert!(csv.body.contains("ana@example.org,confirmed,,telegram,"), "{}", csv.body);
    let roster = chat.app.get_with_cookie(&format!("/admin/events/{event}/registrations"), &cookie).await;
    assert!(roster.body.contains("<td>Telegram</td>"));
    assert!(!chat.fake.callback_answers().is_empty(), "every button press is answered");
    // The one seat is taken: the next linked person joins the waitlist, as on the web.
    let boris = User { id: 9002, first_name: "Борис".into(), username: None, blocked_bot: false };
    chat.link(&boris, "boris@example.org", false).await;
    assert!(chat.presses(&boris, &format!("reg:{event}")).await.contains("листе ожидания, номер 1"));

    let mine = chat.says(&ana, "/my").await;
    assert!(mine.contains("Registration by bot"));
    assert!(chat.presses(&ana, &format!("unreg:{event}")).await.contains("отменена"));
    // Ana's seat went to Boris.
    let promoted: String =
        sqlx::query_scalar("SELECT status::text FROM registrations WHERE email = 'boris@example.org'")
            .fetch_one(&chat.app.pool)
            .await
            .unwrap();
    assert_eq!(promoted, "confirmed");
    // The registration shows on the web, on the member's page and the roster.
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations WHERE event_id = $1")
        .bind(event)
        .fetch_one(&chat.app.pool)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_says_why_it_cannot_register_someone_for_an_event_with_questions_or_a_cancelled_one() {
    let mut chat = Chat::start().await;
    let event = chat.open_session().await;
    let ana = ana();
    chat.link(&ana, "ana@example.org", false).await;
    sqlx::query("INSERT INTO event_questions (event_id, position, kind, label, required) VALUES ($1, 1, 'text', 'Your company', true)")
        .bind(event)
        .execute(&chat.app.pool)
        .await
        .unwrap();
    let asked = chat.presses(&ana, &format!("reg:{event}")).await;
    assert!(asked.contains("запишитесь на странице события"), "{asked}");
    sqlx::query("DELETE FROM event_questions WHERE event_id = $1").bind(event).execute(&chat.app.pool).await.unwrap();
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE id = $1")
        .bind(event)
        .execute(&chat.app.pool)
        .await
        .unwrap();
    let cancelled = chat.presses(&ana, &format!("reg:{event}")).await;
    assert!(cancelled.contains("Это событие отменено"), "{cancelled}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&chat.app.pool).await.unwrap();
    assert_eq!(count, 0, "nobody was registered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_reminders_arrive_by_direct_message_and_a_blocked_bot_stops_quietly() {
    let mut chat = Chat::start().await;
    let event = chat.open_session().await;
    let ana = ana();
    chat.link(&ana, "ana@example.org", false).await;
    chat.presses(&ana, &format!("reg:{event}")).await;
    chat.says(&ana, "/remind").await;
    assert!(chat.presses(&ana, "remind:15").await.contains("Напомню"));
    let telegram = TelegramDeliverer::new(chat.app.pool.clone(), chat.bot.clone(), "https://paperclub.test");
    let starts: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT starts_at FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&chat.app.pool)
        .await
        .unwrap();
    chat.app.clock.set(starts - Duration::minutes(15));
    chat.app.run_outbox(&[&telegram]).await;
    assert!(chat.last_to(ana.id).contains("через 15 минут"), "{}", chat.last_to(ana.id));

    // Boris blocks the bot: his reminder is dropped with a reason, no retries pile up.
    let boris = User { id: 9002, first_name: "Борис".into(), username: None, blocked_bot: false };
    chat.link(&boris, "boris@example.org", false).await;
    chat.app.clock.set(starts - Duration::hours(2));
    chat.presses(&boris, &format!("reg:{event}")).await;
    chat.says(&boris, "/remind").await;
    chat.presses(&boris, "remind:60").await;
    chat.fake.user_blocks(boris.id);
    chat.app.clock.set(starts - Duration::minutes(60));
    let ran = chat.app.run_outbox(&[&telegram]).await;
    assert_eq!((ran.skipped, ran.retried, ran.failed), (1, 0, 0));
    let blocked: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT blocked_at FROM telegram_users WHERE telegram_user_id = $1")
            .bind(boris.id)
            .fetch_one(&chat.app.pool)
            .await
            .unwrap();
    assert!(blocked.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_cancel_and_pin_from_the_chat_and_others_cannot() {
    let mut chat = Chat::start().await;
    let event = chat.open_session().await;
    let ana = ana();
    chat.link(&ana, "ana@example.org", false).await;
    assert!(chat.says(&ana, &format!("/cancel {event}")).await.contains("для организаторов"));
    let org = User { id: 9100, first_name: "Org".into(), username: Some("org".into()), blocked_bot: false };
    chat.link(&org, "org@example.org", true).await;
    assert!(chat.says(&org, &format!("/pin {event}")).await.contains("Закреплю"));
    assert!(chat.says(&org, &format!("/cancel {event}")).await.contains("отменено"));
    let status: String = sqlx::query_scalar("SELECT status::text FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&chat.app.pool)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
    assert!(chat.says(&org, &format!("/cancel {event}")).await.contains("нынешнем статусе"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_webhook_telegram_delivers_updates_to_the_site_and_only_with_the_secret() {
    use paperclub_server::config::BotToken;
    let fake = Fake::new(Config { enforce_rate_limits: false, ..Config::local(TOKEN) });
    let url = fake.clone().spawn().await.unwrap();
    let app = crate::helpers::spawn_app_with(|settings| {
        settings.telegram_bot_token = Some(BotToken(TOKEN.into()));
        settings.telegram_api_url = url.clone();
        settings.telegram_webhook_url = Some("https://paperclub.test/telegram/webhook".into());
        settings.telegram_webhook_secret = Some(BotToken("webhook-secret".into()));
    })
    .await;
    // An update as Telegram would deliver it.
    let ana = ana();
    fake.user_writes(ana.clone(), "/help");
    let bot = teloxide::Bot::new(TOKEN).set_api_url(url.parse().unwrap());
    let update = bot.get_updates().await.unwrap().remove(0);
    let body = serde_json::to_vec(&update).unwrap();
    let client = reqwest::Client::new();
    let post = |secret: &'static str| {
        client
            .post(format!("{}/telegram/webhook", app.address))
            .header("x-telegram-bot-api-secret-token", secret)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
    };
    assert_eq!(post("wrong").await.unwrap().status(), 401);
    assert!(fake.messages_in(ana.id).iter().all(|m| m.from_user), "nothing answered without the secret");
    assert_eq!(post("webhook-secret").await.unwrap().status(), 200);
    let answer = fake.messages_in(ana.id).into_iter().rev().find(|m| !m.from_user).unwrap();
    assert!(answer.text.contains("/upcoming"), "{}", answer.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_the_site_failed_to_handle_is_refused_so_telegram_sends_it_again() {
    use paperclub_bot::fake::Fault;
    use paperclub_server::config::BotToken;
    let fake = Fake::new(Config { enforce_rate_limits: false, ..Config::local(TOKEN) });
    let url = fake.clone().spawn().await.unwrap();
    let app = crate::helpers::spawn_app_with(|settings| {
        settings.telegram_bot_token = Some(BotToken(TOKEN.into()));
        settings.telegram_api_url = url.clone();
        settings.telegram_webhook_url = Some("https://paperclub.test/telegram/webhook".into());
        settings.telegram_webhook_secret = Some(BotToken("webhook-secret".into()));
    })
    .await;
    let ana = ana();
    fake.user_writes(ana.clone(), "/help");
    let bot = teloxide::Bot::new(TOKEN).set_api_url(url.parse().unwrap());
    let body = serde_json::to_vec(&bot.get_updates().await.unwrap().remove(0)).unwrap();
    let deliver = || {
        reqwest::Client::new()
            .post(format!("{}/telegram/webhook", app.address))
            .header("x-telegram-bot-api-secret-token", "webhook-secret")
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
    };
    // Telegram's API fails while the site answers: the update is not lost.
    fake.add_fault(Fault { method: Some("sendMessage".into()), kind: "500".into(), retry_after: None });
    assert_eq!(deliver().await.unwrap().status(), 500, "Telegram re-sends what was not answered 2xx");
    assert!(fake.messages_in(ana.id).iter().all(|m| m.from_user));
    // Telegram's retry succeeds.
    assert_eq!(deliver().await.unwrap().status(), 200);
    assert!(fake.messages_in(ana.id).iter().any(|m| !m.from_user && m.text.contains("/upcoming")));
}

/// One thing a person does in the chat, for the fuzz below.
#[derive(Debug, Clone)]
enum Act {
    Writes(usize, String),
    Presses(usize, String),
}

fn hostile_chat(event: i64) -> impl proptest::strategy::Strategy<Value = Vec<Act>> {
    use proptest::prelude::*;
    let corpus = prop::sample::select(vec![
        "<script>alert(1)</script>",
        "[Подтвердите место](https://evil.example)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "&amp; &lt; < > & \" '",
        "\u{0}\u{7}\r\n\t\u{202e}",
        "/start event_99999999999999999999999",
        "/start event_-1",
        "/start link_",
        "/start link_<b>",
        "/announce -1",
        "/pin 1e9",
        "/cancel <b>",
        "/remind",
        "/my",
        "/upcoming",
        "/help@paperclub_bot",
    ])
    .prop_map(str::to_owned);
    let deep_link = prop::sample::select(vec!["/start event_", "/announce ", "/pin ", "/cancel "])
        .prop_map(move |command| format!("{command}{event}"));
    let command = (
        prop::sample::select(vec!["start", "upcoming", "my", "remind", "help", "announce", "pin", "cancel", "nope"]),
        ".{0,80}",
    )
        .prop_map(|(command, argument)| format!("/{command} {argument}"));
    let text = prop_oneof![corpus, deep_link, command, ".{1,300}", "\\PC{3000,5000}"];
    let data = prop_oneof![
        (prop::sample::select(vec!["reg", "unreg", "remind", "event", "x", ""]), ".{0,40}")
            .prop_map(|(action, argument)| format!("{action}:{argument}")),
        (prop::sample::select(vec!["reg", "unreg", "event"]), any::<i64>())
            .prop_map(|(action, id)| format!("{action}:{id}")),
        prop::sample::select(vec!["remind:off", "remind:60", "remind:1440", "remind:-5"]).prop_map(str::to_owned),
        prop::sample::select(vec!["reg", "unreg", "event"]).prop_map(move |action| format!("{action}:{event}")),
        ".{0,64}",
    ];
    let act = prop_oneof![
        (0..3usize, text).prop_map(|(who, text)| Act::Writes(who, text)),
        (0..3usize, data).prop_map(|(who, data)| Act::Presses(who, data)),
    ];
    prop::collection::vec(act, 1..8)
}

/// Strangers' text and button data (anything a modified client can send)
/// go through the real handler against the strict fake, which refuses HTML
/// that does not parse and texts over Telegram's limit. `TELEGRAM_FUZZ_CASES`
/// (default 40; `scripts/fuzz.sh` runs thousands) sets how many chats.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatever_strangers_write_or_press_the_bot_answers_without_failing() {
    use proptest::strategy::{Strategy, ValueTree};
    let cases: usize = std::env::var("TELEGRAM_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    let mut chat = Chat::start().await;
    // Organisers type titles too: one that is not HTML-safe.
    let event = chat.open_session_titled("<b>Сессия</b> & <script>alert(1)</script>").await;
    let org = User { id: 9100, first_name: "Org".into(), username: Some("org".into()), blocked_bot: false };
    chat.link(&org, "org@example.org", true).await;
    chat.link(&ana(), "ana@example.org", false).await;
    // A name is typed by its owner too: it goes into replies and rosters.
    let stranger =
        User {
            id: 9200, first_name: "<b>Мал</b>лори & <script>x</script>".into(), username: None, blocked_bot: false
        };
    let people = [ana(), stranger, org];
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = hostile_chat(event);
    for case in 0..cases {
        let acts = strategy.new_tree(&mut runner).unwrap().current();
        for act in &acts {
            match act {
                Act::Writes(who, text) => chat.fake.user_writes(people[*who].clone(), text),
                Act::Presses(who, data) => {
                    let user = &people[*who];
                    let message = chat
                        .fake
                        .messages_in(user.id)
                        .into_iter()
                        .rev()
                        .find(|m| !m.from_user)
                        .map_or(0, |m| m.message_id);
                    chat.fake.user_presses(user.clone(), message, data);
                }
            }
            let updates = chat.bot.get_updates().offset(chat.offset).timeout(0).await.unwrap();
            for update in updates {
                chat.offset = update.id.0 as i32 + 1;
                if let Err(error) = handle_update(&chat.bot, &chat.me, &chat.cx, update).await {
                    panic!("case {case}, {act:?} in {acts:?}: {error:#}");
                }
            }
        }
    }
    // Nothing above registered anyone for an event that does not exist.
    let strays: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations WHERE event_id <> $1")
        .bind(event)
        .fetch_one(&chat.app.pool)
        .await
        .unwrap();
    assert_eq!(strays, 0);
}
