//! The background worker that delivers the channel's posts: checks what the
//! bot may do in each channel, then calls `Publisher::run_due` and sleeps
//! until the next post falls due, the rates allow more, a NOTIFY says
//! something was planned, or the server stops.

use std::sync::Arc;
use std::time::Duration;

use paperclub_bot::publisher::Publisher;
use paperclub_core::clock::Clock;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;
use tracing::Instrument;

use crate::config::Settings;

const MAX_IDLE: Duration = Duration::from_secs(30);
/// How often the bot's rights in its channels are checked again.
const RIGHTS_EVERY: Duration = Duration::from_secs(600);

/// The Bot API client for these settings (Telegram, or the fake).
pub fn bot(settings: &Settings) -> anyhow::Result<Option<teloxide::Bot>> {
    let Some(token) = &settings.telegram_bot_token else { return Ok(None) };
    let url = settings.telegram_api_url.parse().map_err(|e| anyhow::anyhow!("TELEGRAM_API_URL is not a URL: {e}"))?;
    Ok(Some(teloxide::Bot::new(token.0.clone()).set_api_url(url)))
}

pub async fn run_telegram_worker(
    pool: PgPool,
    clock: Arc<dyn Clock>,
    bot: teloxide::Bot,
    base_url: String,
    mut stop: watch::Receiver<bool>,
) {
    let publisher = Publisher::new(pool.clone(), bot.clone(), &base_url);
    let mut listener = match PgListener::connect_with(&pool).await {
        Ok(mut listener) => listener.listen("outbox").await.ok().map(|()| listener),
        Err(_) => None,
    };
    tracing::info!("telegram publisher started");
    let mut rights_checked: Option<tokio::time::Instant> = None;
    loop {
        if rights_checked.is_none_or(|at| at.elapsed() >= RIGHTS_EVERY) {
            if let Err(error) = paperclub_bot::rights::check(&pool, &bot, clock.now()).await {
                tracing::warn!(%error, "could not check the bot's rights in its channels");
            }
            rights_checked = Some(tokio::time::Instant::now());
        }
        let ran = publisher.run_due(clock.now()).instrument(tracing::info_span!("publish_telegram")).await;
        let nap = match ran {
            // Held back by the rates: look again shortly.
            Ok(ran) if ran.waiting > 0 => Duration::from_millis(250),
            Ok(ran) if ran.sent + ran.retried + ran.failed + ran.skipped > 0 => Duration::ZERO,
            Ok(_) => match publisher.next_due().await {
                Ok(Some(due)) => (due - clock.now()).to_std().unwrap_or(Duration::from_millis(200)).min(MAX_IDLE),
                _ => MAX_IDLE,
            },
            Err(error) => {
                tracing::error!(%error, "telegram outbox run failed");
                Duration::from_secs(5)
            }
        };
        if nap.is_zero() {
            if *stop.borrow() {
                break;
            }
            continue;
        }
        tokio::select! {
            _ = stop.changed() => break,
            () = tokio::time::sleep(nap) => {}
            _ = async {
                match listener.as_mut() {
                    Some(listener) => listener.recv().await.map(|_| ()),
                    None => std::future::pending().await,
                }
            } => {}
        }
    }
    tracing::info!("telegram publisher stopped");
}
