//! What paperclub forgets, and when: the cleanup job. Every web process runs
//! it hourly (deletes are idempotent, so several at once do no harm):
//!
//! - sessions, sign-in links and Telegram link tokens once expired or used
//!   (a day later, so a just-used link still answers "already used");
//! - sign-in attempts and rate-limit hits older than a day (the longest
//!   window counted is an hour);
//! - uploaded data sets after `uploads_for` (30 days by default,
//!   `UPLOAD_RETENTION_DAYS`), with the data export of their runs; runs still
//!   waiting keep theirs;
//! - notifications that ended (sent, failed, cancelled, missed) more than
//!   `notifications_for` ago (90 days, `NOTIFICATION_RETENTION_DAYS`).
//!   Pending ones are never touched.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use crate::error::Result;

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub uploads_for: Duration,
    pub notifications_for: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { uploads_for: Duration::days(30), notifications_for: Duration::days(90) }
    }
}

/// Rows removed by one cleanup, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub sessions: u64,
    pub links: u64,
    pub attempts: u64,
    pub uploads: u64,
    pub notifications: u64,
}

/// A day of grace after expiry for secrets and counters.
const GRACE: Duration = Duration::days(1);

#[tracing::instrument(skip(pool))]
pub async fn clean(pool: &PgPool, now: DateTime<Utc>, policy: Policy) -> Result<Cleaned> {
    let old = now - GRACE;
    let mut tx = pool.begin().await?;
    let sessions =
        sqlx::query("DELETE FROM account_sessions WHERE expires_at < $1").bind(old).execute(&mut *tx).await?;
    let sign_in_links = sqlx::query("DELETE FROM sign_in_links WHERE expires_at < $1 OR used_at < $1")
        .bind(old)
        .execute(&mut *tx)
        .await?;
    let telegram_links = sqlx::query("DELETE FROM telegram_link_tokens WHERE expires_at < $1 OR used_at < $1")
        .bind(old)
        .execute(&mut *tx)
        .await?;
    let attempts = sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(old).execute(&mut *tx).await?;
    let hits = sqlx::query("DELETE FROM rate_limit_hits WHERE at < $1").bind(old).execute(&mut *tx).await?;
    // Finished runs let go of an old upload; then uploads no run holds go.
    sqlx::query(
        "UPDATE demo_runs SET dataset_id = NULL
         WHERE status NOT IN ('queued', 'running')
           AND dataset_id IN (SELECT id FROM demo_datasets WHERE created_at < $1)",
    )
    .bind(now - policy.uploads_for)
    .execute(&mut *tx)
    .await?;
    let uploads = sqlx::query(
        "DELETE FROM demo_datasets d WHERE created_at < $1
           AND NOT EXISTS (SELECT 1 FROM demo_runs r WHERE r.dataset_id = d.id)",
    )
    .bind(now - policy.uploads_for)
    .execute(&mut *tx)
    .await?;
    let notifications = sqlx::query(
        "DELETE FROM notifications
         WHERE state IN ('sent', 'failed', 'cancelled', 'missed') AND COALESCE(sent_at, due_at) < $1",
    )
    .bind(now - policy.notifications_for)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let cleaned = Cleaned {
        sessions: sessions.rows_affected(),
        links: sign_in_links.rows_affected() + telegram_links.rows_affected(),
        attempts: attempts.rows_affected() + hits.rows_affected(),
        uploads: uploads.rows_affected(),
        notifications: notifications.rows_affected(),
    };
    tracing::info!(?cleaned, "cleanup done");
    Ok(cleaned)
}

/// Cleans up now and then every hour until `stop`.
pub async fn run(
    pool: PgPool,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    policy: Policy,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if let Err(error) = clean(&pool, clock.now(), policy).await {
            tracing::error!(%error, "cleanup failed; trying again in an hour");
        }
        tokio::select! {
            _ = stop.changed() => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
        }
    }
}
