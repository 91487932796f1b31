//! The background worker that runs queued demo runs, one at a time: on a
//! 2-core machine one core computes while the other serves pages.

use std::sync::Arc;
use std::time::Duration;

use paperclub_core::clock::Clock;
use paperclub_core::demo_runs::{self, Ran};
use sqlx::PgPool;
use tokio::sync::watch;
use tracing::Instrument;

pub async fn run_demo_worker(pool: PgPool, clock: Arc<dyn Clock>, mut stop: watch::Receiver<bool>) {
    tracing::info!("demo worker started");
    loop {
        let ran = demo_runs::run_next(&pool, clock.clone()).instrument(tracing::info_span!("demo_run")).await;
        let idle = match ran {
            Ok(Ran::Nothing) => true,
            Ok(_) => false,
            Err(error) => {
                tracing::error!(%error, "demo run failed to start");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = stop.changed() => break,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        } else if *stop.borrow() {
            break;
        }
    }
    tracing::info!("demo worker stopped");
}
