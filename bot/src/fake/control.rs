//! The fake's test side: what was called, what each chat holds, faults to
//! inject, channels to reconfigure, users who write to the bot or press its
//! buttons, and a page that shows the channels as Telegram would.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::methods::{chat_json, html_text, message_json};
use super::{ChannelConfig, Fake, Fault, StoredMessage, User};

pub(crate) async fn calls(State(fake): State<Fake>) -> Response {
    Json(fake.calls()).into_response()
}

#[derive(Deserialize)]
pub(crate) struct ChatQuery {
    chat: String,
}

/// `GET /control/messages?chat=@ml_is_ok` (or a numeric id).
pub(crate) async fn messages(State(fake): State<Fake>, Query(query): Query<ChatQuery>) -> Response {
    let id = {
        let state = fake.state.lock().expect("fake state");
        match query.chat.strip_prefix('@') {
            Some(name) => state.channels.iter().find(|c| c.username.eq_ignore_ascii_case(name)).map(|c| c.id),
            None => query.chat.parse().ok(),
        }
    };
    Json(id.map(|id| fake.messages_in(id)).unwrap_or_default()).into_response()
}

pub(crate) async fn add_fault(State(fake): State<Fake>, Json(fault): Json<Fault>) -> Response {
    fake.add_fault(fault);
    Json(json!({ "ok": true })).into_response()
}

pub(crate) async fn set_channel(State(fake): State<Fake>, Json(channel): Json<ChannelConfig>) -> Response {
    fake.set_channel(channel);
    Json(json!({ "ok": true })).into_response()
}

#[derive(Deserialize)]
pub(crate) struct Written {
    first_name: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    message_id: i64,
    #[serde(default)]
    data: String,
    #[serde(default)]
    url: String,
}

fn user_of(id: i64, written: &Written) -> User {
    User { id, first_name: written.first_name.clone(), username: written.username.clone(), blocked_bot: false }
}

pub(crate) async fn user_writes(
    State(fake): State<Fake>,
    Path(id): Path<i64>,
    Json(written): Json<Written>,
) -> Response {
    script_message(&fake, user_of(id, &written), &written.text);
    Json(json!({ "ok": true })).into_response()
}

pub(crate) async fn user_presses(
    State(fake): State<Fake>,
    Path(id): Path<i64>,
    Json(written): Json<Written>,
) -> Response {
    script_press(&fake, user_of(id, &written), written.message_id, &written.data);
    Json(json!({ "ok": true })).into_response()
}

pub(crate) async fn user_opens(
    State(fake): State<Fake>,
    Path(id): Path<i64>,
    Json(written): Json<Written>,
) -> Response {
    match script_open(&fake, user_of(id, &written), &written.url) {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(refused) => {
            (axum::http::StatusCode::BAD_REQUEST, Json(json!({ "ok": false, "description": refused }))).into_response()
        }
    }
}

pub(crate) async fn user_blocks(State(fake): State<Fake>, Path(id): Path<i64>) -> Response {
    fake.user_blocks(id);
    Json(json!({ "ok": true })).into_response()
}

fn user_json(user: &User) -> Value {
    json!({ "id": user.id, "is_bot": false, "first_name": user.first_name, "username": user.username, "language_code": "ru" })
}

/// Remembers the user (writing again unblocks the bot) and queues the update.
fn enqueue(fake: &Fake, user: User, update: impl FnOnce(&Fake, &mut super::State) -> Value) {
    {
        let mut state = fake.state.lock().expect("fake state");
        state.users.insert(user.id, User { blocked_bot: false, ..user });
        let id = state.next_update_id;
        state.next_update_id += 1;
        let mut json = update(fake, &mut state);
        json["update_id"] = json!(id);
        state.updates.push((id, json));
    }
    fake.new_update.notify_waiters();
}

pub(crate) fn script_message(fake: &Fake, user: User, text: &str) {
    let user_id = user.id;
    enqueue(fake, user, |fake, state| {
        let message = StoredMessage {
            message_id: state.next_message_id,
            chat_id: user_id,
            html: text.to_owned(),
            text: text.to_owned(),
            reply_markup: None,
            date: chrono::Utc::now().timestamp(),
            edit_date: None,
            pinned: false,
            from_user: true,
        };
        state.next_message_id += 1;
        let mut json = message_json(fake, state, &message);
        if let Some(command) = text.split_whitespace().next().filter(|word| word.starts_with('/')) {
            json["entities"] =
                json!([{ "type": "bot_command", "offset": 0, "length": command.encode_utf16().count() }]);
        }
        state.messages.push(message);
        json!({ "message": json })
    });
}

/// A user opens a deep link `https://t.me/<bot>?start=<parameter>`. As in
/// Telegram ("Bot API: deep linking"), the bot receives `/start <parameter>`
/// only when the parameter is up to 64 characters of `A-Z`, `a-z`, `0-9`,
/// `_` and `-`; any other parameter opens the chat with a bare `/start`.
pub(crate) fn script_open(fake: &Fake, user: User, url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://t.me/").ok_or_else(|| format!("not a t.me link: {url}"))?;
    let (bot, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !bot.eq_ignore_ascii_case(&fake.config.bot_username) {
        return Err(format!("a link to @{bot}, not to this bot (@{})", fake.config.bot_username));
    }
    let parameter = query.split('&').find_map(|pair| pair.strip_prefix("start="));
    let passed = parameter.filter(|p| {
        (1..=64).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
    });
    match passed {
        Some(parameter) => script_message(fake, user, &format!("/start {parameter}")),
        None => script_message(fake, user, "/start"),
    }
    Ok(())
}

pub(crate) fn script_press(fake: &Fake, user: User, message_id: i64, data: &str) {
    let user_json = user_json(&user);
    let user_id = user.id;
    enqueue(fake, user, |fake, state| {
        let message = state.messages.iter().find(|m| m.message_id == message_id).cloned();
        let message = message.map(|m| message_json(fake, state, &m)).unwrap_or_else(
            || json!({ "message_id": message_id, "date": 0, "chat": chat_json(state, user_id), "text": "" }),
        );
        json!({
            "callback_query": {
                "id": format!("cb{message_id}-{}", state.next_update_id),
                "from": user_json,
                "chat_instance": format!("ci{user_id}"),
                "data": data,
                "message": message,
            }
        })
    });
}

/// `/`: the channels and private chats, newest post first, as text.
pub(crate) async fn home(State(fake): State<Fake>) -> Html<String> {
    let state = fake.state.lock().expect("fake state");
    let escape = paperclub_core::channel_posts::html::escape;
    let mut page = String::from(
        "<!doctype html><meta charset=utf-8><title>Fake Telegram</title>\
         <style>body{font:15px/1.45 system-ui;max-width:44rem;margin:2rem auto;padding:0 1rem}\
         article{border:1px solid #ccd;border-radius:10px;padding:.7rem 1rem;margin:.6rem 0;white-space:pre-wrap}\
         .meta{color:#667;font-size:12px}</style><h1>Fake Telegram</h1>\
         <p>What the bot posted. Telegram itself is not reachable from here; this fake answers the Bot API.</p>",
    );
    for channel in &state.channels {
        page.push_str(&format!(
            "<h2>{} (@{})</h2><p class=meta>bot: {}; post {}, edit {}, pin {}</p>",
            escape(&channel.title),
            escape(&channel.username),
            escape(&channel.bot_status),
            channel.can_post,
            channel.can_edit,
            channel.can_pin
        ));
        for message in state.messages.iter().rev().filter(|m| m.chat_id == channel.id) {
            page.push_str(&format!(
                "<article data-message-id={}><div class=meta>#{}{}{}</div>{}</article>",
                message.message_id,
                message.message_id,
                if message.pinned { " · 📌 pinned" } else { "" },
                if message.edit_date.is_some() { " · edited" } else { "" },
                escape(&html_text(&message.html))
            ));
        }
    }
    for user in state.users.values() {
        page.push_str(&format!("<h2>Chat with {}</h2>", escape(&user.first_name)));
        for message in state.messages.iter().filter(|m| m.chat_id == user.id) {
            let who = if message.from_user { &user.first_name } else { "bot" };
            page.push_str(&format!(
                "<article><div class=meta>{}</div>{}</article>",
                escape(who),
                escape(&message.text)
            ));
        }
    }
    Html(page)
}
