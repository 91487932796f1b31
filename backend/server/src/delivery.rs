//! The background worker that delivers the e-mail outbox. It only calls
//! `outbox::run_due` and sleeps until the next message falls due, a NOTIFY
//! says something new was planned, or the server stops.

use std::sync::Arc;
use std::time::Duration;

use paperclub_core::clock::Clock;
use paperclub_core::notifications::email::Site;
use paperclub_core::notifications::outbox;
use paperclub_core::notifications::smtp::SmtpMailer;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;
use tracing::Instrument;

/// The longest nap: even without NOTIFY (a lost connection) nothing waits longer.
const MAX_IDLE: Duration = Duration::from_secs(30);

pub async fn run_email_worker(
    pool: PgPool,
    clock: Arc<dyn Clock>,
    mailer: SmtpMailer,
    site: Site,
    mut stop: watch::Receiver<bool>,
) {
    let mut listener = match PgListener::connect_with(&pool).await {
        Ok(mut listener) => match listener.listen("outbox").await {
            Ok(()) => Some(listener),
            Err(error) => {
                tracing::warn!(%error, "cannot LISTEN on outbox; polling instead");
                None
            }
        },
        Err(error) => {
            tracing::warn!(%error, "cannot open a LISTEN connection; polling instead");
            None
        }
    };
    tracing::info!("e-mail delivery worker started");
    loop {
        let span = tracing::info_span!("deliver_email");
        let ran = outbox::run_due(&pool, clock.now(), &mailer, &site).instrument(span).await;
        let busy = match ran {
            Ok(ran) => {
                if ran.claimed() > 0 {
                    tracing::info!(sent = ran.sent, retried = ran.retried, failed = ran.failed, "e-mail outbox run");
                }
                ran.claimed() as i64 >= outbox::BATCH
            }
            Err(error) => {
                tracing::error!(%error, "e-mail outbox run failed");
                false
            }
        };
        if busy {
            continue;
        }
        let nap = match outbox::next_due(&pool).await {
            Ok(Some(due)) => (due - clock.now()).to_std().unwrap_or(Duration::ZERO).min(MAX_IDLE),
            _ => MAX_IDLE,
        };
        if nap.is_zero() {
            // Due now but nothing claimed: another worker holds it. Don't spin.
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        tokio::select! {
            _ = stop.changed() => break,
            () = tokio::time::sleep(nap) => {}
            woke = async {
                match listener.as_mut() {
                    Some(listener) => listener.recv().await.map(|_| ()),
                    None => std::future::pending().await,
                }
            } => {
                if let Err(error) = woke {
                    tracing::warn!(%error, "LISTEN connection lost; polling until it returns");
                }
            }
        }
    }
    tracing::info!("e-mail delivery worker stopped");
}
