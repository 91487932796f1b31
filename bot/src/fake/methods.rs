//! The Bot API methods the bot uses, answered as Telegram does.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Call, Fake, State as FakeState, StoredMessage};
use paperclub_core::channel_posts::html;

/// A Telegram error: HTTP status, description, and `retry_after` for 429.
struct ApiError(u16, String, Option<u32>);

fn bad(description: &str) -> ApiError {
    ApiError(400, format!("Bad Request: {description}"), None)
}

fn ok(result: Value) -> Response {
    axum::Json(json!({ "ok": true, "result": result })).into_response()
}

fn refuse(error: &ApiError) -> Response {
    let mut body = json!({ "ok": false, "error_code": error.0, "description": error.1 });
    if let Some(seconds) = error.2 {
        body["parameters"] = json!({ "retry_after": seconds });
    }
    (StatusCode::from_u16(error.0).unwrap_or(StatusCode::BAD_REQUEST), axum::Json(body)).into_response()
}

/// The call's parameters, whether sent as JSON, a form or a query.
fn params(headers: &HeaderMap, query: Option<String>, body: &Bytes) -> Value {
    let json_body =
        headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    if json_body {
        return serde_json::from_slice(body).unwrap_or(Value::Null);
    }
    let raw = if body.is_empty() { query.unwrap_or_default() } else { String::from_utf8_lossy(body).into_owned() };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw).unwrap_or_default();
    let mut object = serde_json::Map::new();
    for (key, value) in pairs {
        // Nested values (reply_markup) travel as JSON strings in forms.
        let parsed =
            serde_json::from_str::<Value>(&value).ok().filter(|v| v.is_object() || v.is_array() || v.is_number());
        object.insert(key, parsed.unwrap_or(Value::String(value)));
    }
    Value::Object(object)
}

pub(crate) async fn call(
    State(fake): State<Fake>,
    Path((bot, method)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = params(&headers, query, &body);
    if fake.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fake.config.latency_ms)).await;
    }
    // Telegram takes method names in any case (teloxide sends "SendMessage").
    let method = canonical(&method);
    if bot != format!("bot{}", fake.config.token) {
        return record(&fake, &method, &params, Err(ApiError(401, "Unauthorized".into(), None)));
    }
    if method == "getUpdates" {
        return get_updates(&fake, &params).await;
    }
    let fault = {
        let mut state = fake.state.lock().expect("fake state");
        let at = state.faults.iter().position(|f| f.method.as_deref().is_none_or(|m| m == method));
        at.and_then(|at| state.faults.remove(at))
    };
    if let Some(fault) = fault {
        return match fault.kind.as_str() {
            "429" => {
                let seconds = fault.retry_after.unwrap_or(1);
                let error = ApiError(429, format!("Too Many Requests: retry after {seconds}"), Some(seconds));
                record(&fake, &method, &params, Err(error))
            }
            "drop" => {
                // The connection breaks mid-answer: the client gets no usable reply.
                record_call(&fake, &method, &params, 0, Some("connection dropped".into()));
                (StatusCode::OK, "{\"ok\":tr").into_response()
            }
            _ => record(&fake, &method, &params, Err(ApiError(500, "Internal Server Error".into(), None))),
        };
    }
    let outcome = {
        let mut state = fake.state.lock().expect("fake state");
        answer(&fake, &mut state, &method, &params)
    };
    record(&fake, &method, &params, outcome)
}

const METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "setWebhook",
    "setMyCommands",
    "setMyDescription",
    "sendMessage",
    "editMessageText",
    "pinChatMessage",
    "unpinChatMessage",
    "getChatMember",
    "answerCallbackQuery",
];

fn canonical(method: &str) -> String {
    METHODS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |m| (*m).to_owned())
}

fn record_call(fake: &Fake, method: &str, params: &Value, status: u16, description: Option<String>) {
    let call = Call { method: method.to_owned(), params: params.clone(), status, description };
    fake.state.lock().expect("fake state").calls.push(call);
}

fn record(fake: &Fake, method: &str, params: &Value, outcome: Result<Value, ApiError>) -> Response {
    match outcome {
        Ok(result) => {
            record_call(fake, method, params, 200, None);
            ok(result)
        }
        Err(error) => {
            record_call(fake, method, params, error.0, Some(error.1.clone()));
            refuse(&error)
        }
    }
}

/// Where a `chat_id` points.
enum Target {
    Channel(usize),
    Private(i64),
}

fn resolve(state: &FakeState, chat_id: &Value) -> Result<(Target, i64), ApiError> {
    let raw = match chat_id {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Err(bad("chat_id is empty")),
    };
    if let Some(username) = raw.strip_prefix('@') {
        return state
            .channels
            .iter()
            .position(|c| c.username.eq_ignore_ascii_case(username))
            .map(|at| (Target::Channel(at), state.channels[at].id))
            .ok_or_else(|| bad("chat not found"));
    }
    let id: i64 = raw.parse().map_err(|_| bad("chat not found"))?;
    if let Some(at) = state.channels.iter().position(|c| c.id == id) {
        return Ok((Target::Channel(at), id));
    }
    if state.users.contains_key(&id) {
        return Ok((Target::Private(id), id));
    }
    Err(bad("chat not found"))
}

/// What the bot may do in the target: post (and edit), or pin.
#[derive(Clone, Copy, PartialEq)]
enum Act {
    Post,
    Edit,
    Pin,
}

fn allowed(state: &FakeState, target: &Target, act: Act) -> Result<(), ApiError> {
    match target {
        Target::Channel(at) => {
            let channel = &state.channels[*at];
            match channel.bot_status.as_str() {
                "kicked" => return Err(ApiError(403, "Forbidden: bot was kicked from the channel chat".into(), None)),
                "left" => return Err(ApiError(403, "Forbidden: bot is not a member of the channel chat".into(), None)),
                _ => {}
            }
            let admin = channel.bot_status == "administrator";
            match act {
                Act::Post if !(admin && channel.can_post) => Err(bad("need administrator rights in the channel chat")),
                Act::Edit if !(admin && channel.can_edit) => Err(bad("need administrator rights in the channel chat")),
                Act::Pin if !(admin && channel.can_pin) => {
                    Err(bad("not enough rights to manage pinned messages in the chat"))
                }
                _ => Ok(()),
            }
        }
        Target::Private(id) => {
            if state.users.get(id).is_some_and(|u| u.blocked_bot) {
                Err(ApiError(403, "Forbidden: bot was blocked by the user".into(), None))
            } else {
                Ok(())
            }
        }
    }
}

/// Telegram's rates: 20 messages a minute in one chat, 30 a second overall.
fn rate_limit(fake: &Fake, state: &mut FakeState, chat_id: i64, target: &Target) -> Result<(), ApiError> {
    if !fake.config.enforce_rate_limits {
        return Ok(());
    }
    let now = Instant::now();
    while state.sent_overall.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
        state.sent_overall.pop_front();
    }
    if state.sent_overall.len() >= 30 {
        return Err(ApiError(429, "Too Many Requests: retry after 1".into(), Some(1)));
    }
    if matches!(target, Target::Channel(_)) {
        let times = state.sent_at.entry(chat_id).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60)) {
            times.pop_front();
        }
        if times.len() >= 20 {
            let wait = 60 - now.duration_since(*times.front().expect("a send")).as_secs();
            let wait = wait.max(1) as u32;
            return Err(ApiError(429, format!("Too Many Requests: retry after {wait}"), Some(wait)));
        }
        times.push_back(now);
    }
    state.sent_overall.push_back(now);
    Ok(())
}

/// The visible text and its check: HTML must parse, and fit `limit`.
fn checked_text(params: &Value, too_long: &str) -> Result<(String, String), ApiError> {
    let raw = params["text"].as_str().unwrap_or_default().to_owned();
    let html_mode = params["parse_mode"].as_str().is_some_and(|m| m.eq_ignore_ascii_case("html"));
    let (visible, length) = if html_mode {
        let length = html::parse(&raw).map_err(|e| ApiError(400, e, None))?;
        (html_text(&raw), length)
    } else {
        (raw.clone(), raw.encode_utf16().count())
    };
    if visible.trim().is_empty() {
        return Err(bad("message text is empty"));
    }
    if length > html::MAX_TEXT {
        return Err(bad(too_long));
    }
    Ok((raw, visible))
}

/// The text users see: tags dropped, entities decoded.
pub(crate) fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            rest = &rest[end..];
        } else if c == '&' {
            let end = rest.find(';').unwrap_or(0);
            let entity = &rest[1..end.max(1)];
            out.push_str(match entity {
                "lt" => "<",
                "gt" => ">",
                "amp" => "&",
                "quot" => "\"",
                _ => "",
            });
            if !matches!(entity, "lt" | "gt" | "amp" | "quot") {
                let code = entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()));
                out.extend(code.and_then(char::from_u32));
            }
            rest = &rest[end + 1..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Inline keyboards: every button has text and a URL or callback data of at most 64 bytes.
fn checked_markup(params: &Value) -> Result<Option<Value>, ApiError> {
    let markup = match &params["reply_markup"] {
        Value::Null => return Ok(None),
        Value::String(raw) => {
            serde_json::from_str(raw).map_err(|_| bad("can't parse reply keyboard markup JSON object"))?
        }
        other => other.clone(),
    };
    for row in markup["inline_keyboard"].as_array().into_iter().flatten() {
        for button in row.as_array().into_iter().flatten() {
            if button["text"].as_str().is_none_or(str::is_empty) {
                return Err(bad("button text is empty"));
            }
            match (button["url"].as_str(), button["callback_data"].as_str()) {
                (Some(url), _)
                    if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with("tg://")) =>
                {
                    return Err(bad(&format!("inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")));
                }
                (None, Some(data)) if data.is_empty() || data.len() > html::MAX_CALLBACK_DATA_BYTES => {
                    return Err(bad("BUTTON_DATA_INVALID"));
                }
                (None, None) => return Err(bad("can't find field \"text\"")),
                _ => {}
            }
        }
    }
    Ok(Some(markup))
}

pub(crate) fn chat_json(state: &FakeState, chat_id: i64) -> Value {
    if let Some(channel) = state.channels.iter().find(|c| c.id == chat_id) {
        return json!({ "id": channel.id, "type": "channel", "title": channel.title, "username": channel.username });
    }
    let user = state.users.get(&chat_id);
    json!({
        "id": chat_id,
        "type": "private",
        "first_name": user.map(|u| u.first_name.clone()).unwrap_or_default(),
        "username": user.and_then(|u| u.username.clone()),
    })
}

pub(crate) fn bot_json(fake: &Fake) -> Value {
    json!({ "id": fake.config.bot_id, "is_bot": true, "first_name": "paperclub", "username": fake.config.bot_username })
}

pub(crate) fn message_json(fake: &Fake, state: &FakeState, message: &StoredMessage) -> Value {
    let chat = chat_json(state, message.chat_id);
    let mut json = json!({
        "message_id": message.message_id,
        "date": message.date,
        "chat": chat,
        "text": message.text,
    });
    if message.from_user {
        let user = state.users.get(&message.chat_id);
        json["from"] = json!({
            "id": message.chat_id,
            "is_bot": false,
            "first_name": user.map(|u| u.first_name.clone()).unwrap_or_default(),
            "username": user.and_then(|u| u.username.clone()),
            "language_code": "ru",
        });
    } else if chat["type"] == "channel" {
        json["sender_chat"] = chat.clone();
    } else {
        json["from"] = bot_json(fake);
    }
    if let Some(markup) = &message.reply_markup {
        json["reply_markup"] = markup.clone();
    }
    if let Some(edited) = message.edit_date {
        json["edit_date"] = json!(edited);
    }
    json
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn answer(fake: &Fake, state: &mut FakeState, method: &str, params: &Value) -> Result<Value, ApiError> {
    match method {
        "getMe" => {
            let mut me = bot_json(fake);
            for (key, value) in [
                ("can_join_groups", true),
                ("can_read_all_group_messages", false),
                ("supports_inline_queries", false),
                ("can_connect_to_business", false),
                ("has_main_web_app", false),
            ] {
                me[key] = json!(value);
            }
            Ok(me)
        }
        "deleteWebhook" | "setMyCommands" | "setMyDescription" | "setWebhook" => Ok(json!(true)),
        "sendMessage" => {
            let (target, chat_id) = resolve(state, &params["chat_id"])?;
            allowed(state, &target, Act::Post)?;
            let (raw, text) = checked_text(params, "message is too long")?;
            let reply_markup = checked_markup(params)?;
            rate_limit(fake, state, chat_id, &target)?;
            let message = StoredMessage {
                message_id: state.next_message_id,
                chat_id,
                html: raw,
                text,
                reply_markup,
                date: unix_now(),
                edit_date: None,
                pinned: false,
                from_user: false,
            };
            state.next_message_id += 1;
            let json = message_json(fake, state, &message);
            state.messages.push(message);
            Ok(json)
        }
        "editMessageText" => {
            let (target, chat_id) = resolve(state, &params["chat_id"])?;
            allowed(state, &target, Act::Edit)?;
            let (raw, text) = checked_text(params, "MESSAGE_TOO_LONG")?;
            let reply_markup = checked_markup(params)?;
            let message_id = params["message_id"].as_i64().ok_or_else(|| bad("message identifier is not specified"))?;
            let at = state
                .messages
                .iter()
                .position(|m| m.chat_id == chat_id && m.message_id == message_id && !m.from_user)
                .ok_or_else(|| bad("message to edit not found"))?;
            if state.messages[at].html == raw && state.messages[at].reply_markup == reply_markup {
                return Err(bad(
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
                ));
            }
            rate_limit(fake, state, chat_id, &target)?;
            let message = &mut state.messages[at];
            message.html = raw;
            message.text = text;
            message.reply_markup = reply_markup;
            message.edit_date = Some(unix_now());
            let message = message.clone();
            Ok(message_json(fake, state, &message))
        }
        "pinChatMessage" => {
            let (target, chat_id) = resolve(state, &params["chat_id"])?;
            allowed(state, &target, Act::Pin)?;
            let message_id = params["message_id"].as_i64().ok_or_else(|| bad("message identifier is not specified"))?;
            let at = state
                .messages
                .iter()
                .position(|m| m.chat_id == chat_id && m.message_id == message_id)
                .ok_or_else(|| bad("message to pin not found"))?;
            rate_limit(fake, state, chat_id, &target)?;
            state.messages[at].pinned = true;
            Ok(json!(true))
        }
        // Like Telegram: unpins the given message (or the most recent pinned one).
        "unpinChatMessage" => {
            let (target, chat_id) = resolve(state, &params["chat_id"])?;
            allowed(state, &target, Act::Pin)?;
            let at = match params["message_id"].as_i64() {
                Some(message_id) => {
                    state.messages.iter().position(|m| m.chat_id == chat_id && m.message_id == message_id)
                }
                None => state.messages.iter().rposition(|m| m.chat_id == chat_id && m.pinned),
            }
            .ok_or_else(|| bad("message to unpin not found"))?;
            rate_limit(fake, state, chat_id, &target)?;
            state.messages[at].pinned = false;
            Ok(json!(true))
        }
        "getChatMember" => {
            let (target, _) = resolve(state, &params["chat_id"])?;
            let user_id = params["user_id"].as_i64().unwrap_or_default();
            let user = if user_id == fake.config.bot_id {
                bot_json(fake)
            } else {
                json!({ "id": user_id, "is_bot": false, "first_name": "" })
            };
            match target {
                Target::Channel(at) if user_id == fake.config.bot_id => {
                    let channel = &state.channels[at];
                    if channel.bot_status == "administrator" {
                        Ok(json!({
                            "status": "administrator",
                            "user": user,
                            "can_be_edited": false,
                            "is_anonymous": false,
                            "can_manage_chat": true,
                            "can_delete_messages": channel.can_edit,
                            "can_manage_video_chats": false,
                            "can_restrict_members": false,
                            "can_promote_members": false,
                            "can_change_info": false,
                            "can_invite_users": false,
                            "can_post_messages": channel.can_post,
                            "can_edit_messages": channel.can_edit,
                            "can_pin_messages": channel.can_pin,
                            "can_post_stories": false,
                            "can_edit_stories": false,
                            "can_delete_stories": false,
                        }))
                    } else if channel.bot_status == "kicked" {
                        Ok(json!({ "status": "kicked", "user": user, "until_date": 0 }))
                    } else {
                        Ok(json!({ "status": channel.bot_status, "user": user }))
                    }
                }
                _ => Ok(json!({ "status": "member", "user": user })),
            }
        }
        "answerCallbackQuery" => {
            state.callback_answers.push(params.clone());
            Ok(json!(true))
        }
        _ => Err(ApiError(404, "Not Found: method not found".into(), None)),
    }
}

/// Long polling: updates after `offset` (earlier ones are confirmed and
/// forgotten); waits up to `timeout` seconds for one to arrive.
async fn get_updates(fake: &Fake, params: &Value) -> Response {
    let offset = params["offset"].as_i64().unwrap_or(0);
    let timeout = params["timeout"].as_u64().unwrap_or(0).min(50);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = fake.new_update.notified();
        let pending: Vec<Value> = {
            let mut state = fake.state.lock().expect("fake state");
            state.updates.retain(|(id, _)| *id >= offset);
            state.updates.iter().map(|(_, update)| update.clone()).collect()
        };
        if !pending.is_empty() || tokio::time::Instant::now() >= deadline {
            record_call(fake, "getUpdates", params, 200, None);
            return ok(Value::Array(pending));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}
