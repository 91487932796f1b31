//! A strict fake of the Telegram Bot API, for tests and for local runs
//! without a token. It answers the same paths (`/bot<token>/<method>`) with
//! the same JSON as Telegram for the methods the bot uses, and is as strict:
//! a wrong token, an unknown chat, a missing right, HTML Telegram would not
//! parse, a text over the limits or callback data over 64 bytes get
//! Telegram's errors in Telegram's words. Faults can be injected (429 with
//! `retry_after`, 5xx, dropped connections), per-chat and global rate limits
//! can be enforced, updates can be scripted for long polling, and every call
//! is recorded. Users can be scripted to write, press buttons and open
//! `t.me` deep links, which pass their start parameter only when Telegram
//! would. `/control/...` is the test side; `/` shows the channels.

mod control;
mod methods;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Notify;

/// What the fake pretends Telegram has.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    pub token: String,
    pub bot_id: i64,
    pub bot_username: String,
    pub channels: Vec<ChannelConfig>,
    /// Enforce Telegram's rates (20 messages a minute per chat, 30 a second
    /// overall) with 429s, measured in real time.
    pub enforce_rate_limits: bool,
    /// How long each answer takes, like a real network round trip.
    #[serde(default)]
    pub latency_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChannelConfig {
    pub id: i64,
    /// Without the "@".
    pub username: String,
    pub title: String,
    /// "administrator", "member", "left" or "kicked".
    pub bot_status: String,
    pub can_post: bool,
    pub can_edit: bool,
    pub can_pin: bool,
}

impl Config {
    /// One channel, `@ml_is_ok`, where the bot is an administrator with every right it needs.
    pub fn local(token: &str) -> Config {
        Config {
            token: token.to_owned(),
            bot_id: 7_000_001,
            bot_username: "paperclub_bot".into(),
            channels: vec![ChannelConfig {
                id: -1_001_000_000_001,
                username: "ml_is_ok".into(),
                title: "ML — это ОК".into(),
                bot_status: "administrator".into(),
                can_post: true,
                can_edit: true,
                can_pin: true,
            }],
            enforce_rate_limits: true,
            latency_ms: 0,
        }
    }
}

/// A message as the fake keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredMessage {
    pub message_id: i64,
    pub chat_id: i64,
    /// As sent (HTML when the parse mode was HTML).
    pub html: String,
    /// The text after entity parsing, as users see it.
    pub text: String,
    pub reply_markup: Option<Value>,
    pub date: i64,
    pub edit_date: Option<i64>,
    pub pinned: bool,
    /// Sent by a user to the bot (scripted), rather than by the bot.
    pub from_user: bool,
}

/// One API call, as recorded for tests.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Call {
    pub method: String,
    pub params: Value,
    /// 200 for success, else Telegram's error code (or 0 for a dropped connection).
    pub status: u16,
    pub description: Option<String>,
}

/// A fault to answer the next matching call with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    /// The method it applies to; None: any.
    #[serde(default)]
    pub method: Option<String>,
    /// "429", "500" or "drop".
    pub kind: String,
    #[serde(default)]
    pub retry_after: Option<u32>,
}

/// A private chat with a user who started the bot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub blocked_bot: bool,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) channels: Vec<ChannelConfig>,
    pub(crate) users: BTreeMap<i64, User>,
    pub(crate) messages: Vec<StoredMessage>,
    pub(crate) next_message_id: i64,
    pub(crate) calls: Vec<Call>,
    pub(crate) faults: VecDeque<Fault>,
    pub(crate) updates: Vec<(i64, Value)>,
    pub(crate) next_update_id: i64,
    pub(crate) callback_answers: Vec<Value>,
    /// Real-time send instants, per chat and overall, for the rate limits.
    pub(crate) sent_at: BTreeMap<i64, VecDeque<Instant>>,
    pub(crate) sent_overall: VecDeque<Instant>,
}

#[derive(Clone)]
pub struct Fake {
    pub(crate) config: Arc<Config>,
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) new_update: Arc<Notify>,
}

impl Fake {
    pub fn new(config: Config) -> Fake {
        let state =
            State { channels: config.channels.clone(), next_message_id: 1, next_update_id: 1, ..State::default() };
        Fake { config: Arc::new(config), state: Arc::new(Mutex::new(state)), new_update: Arc::new(Notify::new()) }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(control::home))
            .route("/{bot}/{method}", post(methods::call).get(methods::call))
            .route("/control/calls", get(control::calls))
            .route("/control/messages", get(control::messages))
            .route("/control/faults", post(control::add_fault))
            .route("/control/channels", post(control::set_channel))
            .route("/control/users/{id}/messages", post(control::user_writes))
            .route("/control/users/{id}/press", post(control::user_presses))
            .route("/control/users/{id}/opens", post(control::user_opens))
            .route("/control/users/{id}/block", post(control::user_blocks))
            .with_state(self.clone())
    }

    /// Serves on 127.0.0.1 at a free port; returns the base URL.
    pub async fn spawn(self) -> anyhow::Result<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let router = self.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(url)
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().expect("fake state").calls.clone()
    }

    /// Messages in a chat (by id), oldest first.
    pub fn messages_in(&self, chat_id: i64) -> Vec<StoredMessage> {
        self.state.lock().expect("fake state").messages.iter().filter(|m| m.chat_id == chat_id).cloned().collect()
    }

    pub fn add_fault(&self, fault: Fault) {
        self.state.lock().expect("fake state").faults.push_back(fault);
    }

    pub fn set_channel(&self, channel: ChannelConfig) {
        let mut state = self.state.lock().expect("fake state");
        state.channels.retain(|c| c.id != channel.id);
        state.channels.push(channel);
    }

    /// A user writes `text` to the bot (a command, or a reply).
    pub fn user_writes(&self, user: User, text: &str) {
        control::script_message(self, user, text);
    }

    /// A user opens a `t.me` deep link to this bot: the bot gets what
    /// Telegram would pass it (see `control::script_open`). A link to another
    /// bot or not to t.me is refused.
    pub fn user_opens(&self, user: User, url: &str) -> Result<(), String> {
        control::script_open(self, user, url)
    }

    /// A user presses an inline button whose callback data is `data` under message `message_id`.
    pub fn user_presses(&self, user: User, message_id: i64, data: &str) {
        control::script_press(self, user, message_id, data);
    }

    pub fn user_blocks(&self, user_id: i64) {
        if let Some(user) = self.state.lock().expect("fake state").users.get_mut(&user_id) {
            user.blocked_bot = true;
        }
    }

    /// Answers to callback queries (the pop-ups users saw).
    pub fn callback_answers(&self) -> Vec<Value> {
        self.state.lock().expect("fake state").callback_answers.clone()
    }
}

#[cfg(test)]
mod tests;
