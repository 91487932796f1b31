//! Demo runs as jobs: submitted with checked parameters, queued in
//! PostgreSQL, run one at a time by a worker on a blocking thread, with
//! progress, cancel, a stored result that identical requests reuse, and
//! leases so a crashed worker's run is picked up again.

pub mod registry;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::PgPool;

use crate::error::{Error, Result};

/// A running run is its worker's for this long after each progress report.
pub const LEASE: Duration = Duration::seconds(60);

/// Part of the cache key: a new version of the demo code recomputes.
pub const CODE_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Run {
    pub id: i64,
    pub demo: String,
    pub params: Value,
    pub status: String,
    pub progress: f32,
    pub result: Option<Value>,
    pub error: Option<String>,
}

/// Queues a run, or returns the identical one already queued, running or done.
pub async fn submit(
    pool: &PgPool,
    demo: &str,
    raw: &std::collections::BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let spec = registry::find(demo).ok_or(Error::NotFound)?;
    let params = spec.parse(raw).map_err(Error::Invalid)?;
    let key = format!("{demo}:{CODE_VERSION}:{params}");
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO demo_runs (demo, params, params_key, code_version, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (params_key) WHERE status IN ('queued', 'running', 'done') DO NOTHING
         RETURNING id",
    )
    .bind(demo)
    .bind(&params)
    .bind(&key)
    .bind(CODE_VERSION)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    match inserted {
        Some(id) => Ok(id),
        None => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT id FROM demo_runs WHERE params_key = $1 AND status IN ('queued', 'running', 'done')",
        )
        .bind(&key)
        .fetch_one(pool)
        .await?),
    }
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Run> {
    sqlx::query_as::<_, Run>(
        "SELECT id, demo, params, status::text AS status, progress, result, error FROM demo_runs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)
}

/// Asks a queued or running run to stop; a queued one stops at once.
pub async fn cancel(pool: &PgPool, id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE demo_runs SET cancel_requested = true,
             status = CASE WHEN status = 'queued' THEN 'cancelled'::demo_run_status ELSE status END,
             finished_at = CASE WHEN status = 'queued' THEN $2 ELSE finished_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Claims the oldest queued run, or a running one whose worker's lease ran out.
async fn claim(pool: &PgPool, now: DateTime<Utc>) -> Result<Option<Run>> {
    Ok(sqlx::query_as::<_, Run>(
        "UPDATE demo_runs SET status = 'running', started_at = COALESCE(started_at, $1), lease_until = $2
         WHERE id = (SELECT id FROM demo_runs
                     WHERE status = 'queued' OR (status = 'running' AND lease_until <= $1)
                     ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, demo, params, status::text AS status, progress, result, error",
    )
    .bind(now)
    .bind(now + LEASE)
    .fetch_optional(pool)
    .await?)
}

/// Records progress, extends the lease, and says whether to stop.
async fn report(pool: &PgPool, id: i64, fraction: f64, now: DateTime<Utc>) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>(
        "UPDATE demo_runs SET progress = $2, lease_until = $3 WHERE id = $1 RETURNING cancel_requested",
    )
    .bind(id)
    .bind(fraction.clamp(0.0, 1.0) as f32)
    .bind(now + LEASE)
    .fetch_one(pool)
    .await?)
}

/// What one `run_next` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    Nothing,
    Done(i64),
    Failed(i64),
    Cancelled(i64),
}

/// Runs the next queued run to its end on a blocking thread, reporting
/// progress as it goes. The worker loop calls it; tests call it directly.
pub async fn run_next(pool: &PgPool, clock: std::sync::Arc<dyn crate::clock::Clock>) -> Result<Ran> {
    let Some(run) = claim(pool, clock.now()).await? else { return Ok(Ran::Nothing) };
    let spec = registry::find(&run.demo).ok_or(Error::NotFound)?;
    let handle = tokio::runtime::Handle::current();
    let (id, params, reporter_pool, reporter_clock) = (run.id, run.params.clone(), pool.clone(), clock.clone());
    let joined = tokio::task::spawn_blocking(move || {
        let mut last: Option<std::time::Instant> = None;
        (spec.execute)(&params, &mut |fraction| {
            // Report at once, then at most twice a second: progress is for people.
            if last.is_some_and(|at| at.elapsed() < std::time::Duration::from_millis(500)) {
                return true;
            }
            last = Some(std::time::Instant::now());
            let stop = handle.block_on(report(&reporter_pool, id, fraction, reporter_clock.now()));
            !stop.unwrap_or(false)
        })
    })
    .await;
    // A panic inside a demo is that run's failure, not the worker's.
    let outcome = joined.unwrap_or_else(|crash| Err(format!("the demo crashed: {crash}")));
    let now = clock.now();
    let (status, result, error, ran) = match outcome {
        Ok(Some(result)) => ("done", Some(result), None, Ran::Done(id)),
        Ok(None) => ("cancelled", None, None, Ran::Cancelled(id)),
        Err(message) => ("failed", None, Some(message), Ran::Failed(id)),
    };
    sqlx::query(
        "UPDATE demo_runs SET status = $2::demo_run_status, result = $3, error = $4, finished_at = $5, lease_until = NULL,
             progress = CASE WHEN $2 = 'done' THEN 1 ELSE progress END
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(result)
    .bind(error)
    .bind(now)
    .execute(pool)
    .await?;
    tracing::info!(run_id = id, status, "demo run finished");
    Ok(ran)
}

/// A run for its page: parameters listed, the result read into the demo's summary.
pub async fn page(pool: &PgPool, id: i64) -> Result<crate::views::DemoRunPage> {
    use crate::views::{CalibrationLoss, CalibrationSummary, DemoRunPage};
    let run = get(pool, id).await?;
    let params = run
        .params
        .as_object()
        .map(|object| object.iter().map(|(k, v)| (k.clone(), v.to_string())).collect())
        .unwrap_or_default();
    let calibration = run.result.as_ref().filter(|_| run.demo == "calibrated-ranking").map(|result| {
        let number = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        CalibrationSummary {
            claim_held: result["claim_held"].as_bool().unwrap_or(false),
            spread_ratio: number(&result["spread_ratio"]),
            ndcg_gap: number(&result["ndcg_gap"]),
            losses: result["losses"]
                .as_array()
                .map(|losses| {
                    losses
                        .iter()
                        .map(|loss| CalibrationLoss {
                            name: match &loss["loss"] {
                                Value::String(name) => name.clone(),
                                Value::Object(object) => object.keys().next().cloned().unwrap_or_default(),
                                _ => String::new(),
                            },
                            daily_mean_score: loss["daily_mean_score"]
                                .as_array()
                                .map(|days| days.iter().map(number).collect())
                                .unwrap_or_default(),
                            spread: number(&loss["spread"]),
                            ndcg_at_10: number(&loss["ndcg_at_10"]),
                            log_loss: number(&loss["log_loss"]),
                            ece: number(&loss["ece"]),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    });
    Ok(DemoRunPage {
        id: run.id,
        demo: run.demo,
        status: run.status,
        progress: run.progress,
        params,
        error: run.error,
        calibration,
    })
}
