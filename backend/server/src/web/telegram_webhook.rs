//! `POST /telegram/webhook`: Telegram delivers updates here when
//! `TELEGRAM_WEBHOOK_URL` is set (instead of long polling). Telegram sends
//! the secret given to `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`;
//! anything without it is refused (compared in constant time). Each update
//! goes through the same `handler_tree()` as polled ones; one whose handling
//! failed is answered 500 so that Telegram sends it again.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use paperclub_bot::chat::{ChatContext, handle_update};
use teloxide::types::{Me, Update};

pub const PATH: &str = "/telegram/webhook";
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

#[derive(Clone)]
pub struct Webhook {
    pub bot: teloxide::Bot,
    pub me: Me,
    pub cx: Arc<ChatContext>,
    pub secret: String,
}

/// Telegram's updates are small; a megabyte is far more than any.
const MAX_UPDATE_BYTES: usize = 1024 * 1024;

pub fn routes(webhook: Webhook) -> Router {
    Router::new()
        .route(PATH, post(receive))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_UPDATE_BYTES))
        .with_state(webhook)
}

#[tracing::instrument(skip_all)]
async fn receive(State(webhook): State<Webhook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let presented = headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if webhook.secret.is_empty() || !paperclub_core::secrets::same_secret(presented, &webhook.secret) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(update) = serde_json::from_slice::<Update>(&body) else {
        // Telegram would only resend it: accept and log.
        tracing::warn!("an update that does not parse");
        return StatusCode::OK;
    };
    let id = update.id.0;
    if let Err(error) = handle_update(&webhook.bot, &webhook.me, &webhook.cx, update).await {
        // Anything but 2xx makes Telegram deliver the update again later (with
        // its own backoff), so a passing outage of the Bot API or the database
        // loses no member's command.
        tracing::error!(update_id = id, %error, "update handling failed; Telegram will send it again");
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::OK
}
