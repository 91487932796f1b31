//! The one delivery loop of a process: it only calls `run_due` for every
//! channel it was given and sleeps until the next row falls due, a NOTIFY
//! says something was planned (a trigger on insert), or the process stops.
//! Several processes may run it against one database: the claim's
//! `SKIP LOCKED` and leases keep them from sending a row twice.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;
use tracing::Instrument;

use super::Channel;
use super::delivery::{self, BATCH, Deliverer};
use crate::clock::Clock;

/// The longest nap: even without NOTIFY (a lost connection) nothing waits longer.
const MAX_IDLE: Duration = Duration::from_secs(30);
/// A look again soon: something waits for the rates, or is held by another worker.
const SHORTLY: Duration = Duration::from_millis(250);

pub async fn run(
    pool: PgPool,
    clock: Arc<dyn Clock>,
    deliverers: Vec<Arc<dyn Deliverer>>,
    mut stop: watch::Receiver<bool>,
) {
    let channels: Vec<Channel> = deliverers.iter().map(|d| d.channel()).collect();
    let borrowed: Vec<&dyn Deliverer> = deliverers.iter().map(|d| d.as_ref()).collect();
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
    let names: Vec<&str> = channels.iter().map(|c| c.code()).collect();
    tracing::info!(channels = ?names, "outbox worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        let ran = delivery::run_due(&pool, clock.now(), &borrowed).instrument(tracing::info_span!("outbox_run")).await;
        let nap = match ran {
            Ok(ran) if ran.claimed() as i64 >= BATCH && ran.progressed() => Duration::ZERO,
            Ok(ran) if ran.waiting > 0 => SHORTLY,
            Ok(ran) if ran.progressed() => Duration::ZERO,
            Ok(_) => match delivery::next_due(&pool, &channels).await {
                // Due now but nothing claimed: another worker holds it. Don't spin.
                Ok(Some(due)) => (due - clock.now()).to_std().unwrap_or(SHORTLY).clamp(SHORTLY, MAX_IDLE),
                _ => MAX_IDLE,
            },
            Err(error) => {
                tracing::error!(%error, "outbox run failed");
                Duration::from_secs(5)
            }
        };
        if nap.is_zero() {
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
    tracing::info!("outbox worker stopped");
}
