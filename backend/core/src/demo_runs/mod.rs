//! Demo runs as jobs: submitted with checked parameters, queued in
//! PostgreSQL, run one at a time by a worker on a blocking thread, with
//! progress, cancel, a stored result that identical requests reuse, and
//! leases so a crashed worker's run is picked up again.

pub mod attachments;
pub mod budget;
pub mod calibration;
pub mod datasets;
pub mod dlrm;
pub mod gqa;
pub mod lidb;
pub mod performative;
pub mod registry;
pub mod sequences;
pub mod sizes;
pub mod spec;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::views::{DemoPage, DemoRunLink, DemoRunPage, DemoRunStatus};
use spec::Input;

/// A running run is its worker's for this long after each progress report.
pub const LEASE: Duration = Duration::seconds(60);

/// Part of the cache key: a new version of the demo code recomputes.
pub const CODE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The cookie that marks a visitor's browser, so they (and only they, or an
/// organiser) can stop the runs they asked for. Its value is a random token;
/// the database keeps only its digest.
pub const VISITOR_COOKIE: &str = "paperclub_demo_visitor";

/// The `Set-Cookie` value that gives a browser its visitor token for a year.
pub fn visitor_cookie_header(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{VISITOR_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}")
}

/// The visitor token in a request's `Cookie` headers, if it has the right shape.
pub fn visitor_token<'a>(cookie_headers: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    crate::cookies::find(cookie_headers, VISITOR_COOKIE).filter(|token| crate::secrets::is_token(token))
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Run {
    pub id: i64,
    pub demo: String,
    pub params: Value,
    pub status: DemoRunStatus,
    pub progress: f32,
    pub result: Option<Value>,
    pub error: Option<String>,
    pub stopped_because: Option<Stop>,
    pub dataset_id: Option<i64>,
    /// Claims so far, this one included.
    pub attempts: i32,
}

const RUN_COLUMNS: &str = "id, demo, params, status, progress, result, error, stopped_because, dataset_id, attempts";

db_enum!(
    /// Why the platform, not the demo, ended a run: its worker died twice
    /// while running it (out of memory, killed), it ran past the time one run
    /// may take, or it could not start (its data set or demo went missing).
    Stop as "demo_run_stop" {
        WorkerDied = "worker_died",
        TimeLimit = "time_limit",
        CouldNotStart = "could_not_start",
    }
);

/// Claims of one run before it is failed: a run that kills its worker twice
/// would kill the next one too.
pub const MAX_ATTEMPTS: i32 = 2;

/// What a visitor asks to run.
pub struct Request<'a> {
    pub demo: &'a str,
    pub raw: &'a BTreeMap<String, String>,
    /// An uploaded data set (see [`datasets::store`]) instead of generated data.
    pub dataset: Option<i64>,
    /// The visitor's token (from [`VISITOR_COOKIE`]).
    pub visitor: Option<&'a str>,
}

/// Queues a run, or returns the identical one already queued, running or done.
#[tracing::instrument(skip(pool, request), fields(demo = request.demo))]
pub async fn submit(pool: &PgPool, request: Request<'_>, now: DateTime<Utc>) -> Result<i64> {
    let spec = registry::find(request.demo).ok_or(Error::NotFound)?;
    let mut params = spec.parse(request.raw).map_err(Error::Invalid)?;
    if let Some(dataset) = request.dataset {
        if !spec.accepts_upload {
            return Err(Error::invalid(datasets::FIELD, crate::forms::Problem::UnknownDemo));
        }
        params.insert("dataset".to_owned(), Value::from(dataset));
    }
    let params = Value::Object(params);
    let key = format!("{}:{CODE_VERSION}:{params}", request.demo);
    // An identical request gets the stored or coming result, queue or not.
    let existing = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM demo_runs WHERE params_key = $1 AND status IN ('queued', 'running', 'done')",
    )
    .bind(&key)
    .fetch_optional(pool)
    .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    check_queue(pool, request.visitor).await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO demo_runs (demo, params, params_key, code_version, created_at, dataset_id, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (params_key) WHERE status IN ('queued', 'running', 'done') DO NOTHING
         RETURNING id",
    )
    .bind(request.demo)
    .bind(&params)
    .bind(&key)
    .bind(CODE_VERSION)
    .bind(now)
    .bind(request.dataset)
    .bind(request.visitor.map(crate::secrets::digest))
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

/// Unfinished runs one visitor may have, and queued runs in all: past them a
/// request is refused with an estimate of when to come back, instead of
/// waiting behind hours of work.
pub const MAX_UNFINISHED_PER_VISITOR: i64 = 2;
pub const MAX_QUEUED: i64 = 20;

async fn check_queue(pool: &PgPool, visitor: Option<&str>) -> Result<()> {
    let (mine, queued, typical_seconds) = sqlx::query_as::<_, (i64, i64, Option<f64>)>(
        "SELECT count(*) FILTER (WHERE requested_by = $1 AND status IN ('queued', 'running')),
                count(*) FILTER (WHERE status = 'queued'),
                (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM finished_at - started_at))
                 FROM (SELECT finished_at, started_at FROM demo_runs WHERE status = 'done'
                       ORDER BY finished_at DESC LIMIT 20) recent)
         FROM demo_runs WHERE status IN ('queued', 'running')",
    )
    .bind(visitor.map(crate::secrets::digest))
    .fetch_one(pool)
    .await?;
    if mine >= MAX_UNFINISHED_PER_VISITOR || queued >= MAX_QUEUED {
        let ahead = if mine >= MAX_UNFINISHED_PER_VISITOR { mine } else { queued };
        let minutes = ((ahead as f64 * typical_seconds.unwrap_or(60.0)) / 60.0).ceil().max(1.0) as u32;
        return Err(Error::invalid(crate::forms::FieldErrors::FORM, crate::forms::Problem::QueueBusy { minutes }));
    }
    Ok(())
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Run> {
    sqlx::query_as::<_, Run>(&format!("SELECT {RUN_COLUMNS} FROM demo_runs WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)
}

/// Asks a queued or running run to stop; a queued one stops at once. Only
/// the visitor who asked for it, or an organiser, may; stopping a run that
/// has already ended does nothing.
#[tracing::instrument(skip(pool, visitor))]
pub async fn cancel(pool: &PgPool, id: i64, visitor: Option<&str>, organiser: bool, now: DateTime<Utc>) -> Result<()> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query_as::<_, (DemoRunStatus, Option<Vec<u8>>)>(
        "SELECT status, requested_by FROM demo_runs WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let (status, requested_by) = row;
    if !status.is_unfinished() {
        return Ok(());
    }
    if !(Viewer { visitor, organiser }).owns(requested_by.as_deref()) {
        return Err(Error::Forbidden);
    }
    sqlx::query(
        "UPDATE demo_runs SET cancel_requested = true,
             status = CASE WHEN status = 'queued' THEN 'cancelled'::demo_run_status ELSE status END,
             finished_at = CASE WHEN status = 'queued' THEN $2 ELSE finished_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Claims the oldest queued run, or a running one whose worker's lease ran
/// out (its worker died), counting the attempt. A lapsed run that has had
/// its attempts is failed instead, with the reason, and never claimed again.
async fn claim(pool: &PgPool, now: DateTime<Utc>, lease: Duration) -> Result<Option<Run>> {
    let exhausted = sqlx::query_scalar::<_, i64>(
        "UPDATE demo_runs SET status = 'failed', stopped_because = 'worker_died', finished_at = $1, lease_until = NULL
         WHERE status = 'running' AND lease_until <= $1 AND attempts >= $2
         RETURNING id",
    )
    .bind(now)
    .bind(MAX_ATTEMPTS)
    .fetch_all(pool)
    .await?;
    for id in exhausted {
        tracing::warn!(run_id = id, "demo run failed: its worker died on every attempt");
    }
    Ok(sqlx::query_as::<_, Run>(&format!(
        "UPDATE demo_runs SET status = 'running', started_at = COALESCE(started_at, $1), lease_until = $2,
             attempts = attempts + 1
         WHERE id = (SELECT id FROM demo_runs
                     WHERE status = 'queued' OR (status = 'running' AND lease_until <= $1)
                     ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING {RUN_COLUMNS}"
    ))
    .bind(now)
    .bind(now + lease)
    .fetch_optional(pool)
    .await?)
}

/// Records progress, extends the lease, and says whether to stop.
async fn report(pool: &PgPool, id: i64, fraction: f64, now: DateTime<Utc>, lease: Duration) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>(
        "UPDATE demo_runs SET progress = $2, lease_until = $3 WHERE id = $1 RETURNING cancel_requested",
    )
    .bind(id)
    .bind(fraction.clamp(0.0, 1.0) as f32)
    .bind(now + lease)
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

/// How the worker runs demos: how long a run's lease lasts without a
/// progress report, and how long one run may take in all.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub lease: Duration,
    pub time_limit: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { lease: LEASE, time_limit: std::time::Duration::from_secs(15 * 60) }
    }
}

/// Runs the next queued run to its end on a blocking thread, reporting
/// progress as it goes. The worker loop calls it; tests call it directly.
pub async fn run_next(pool: &PgPool, clock: std::sync::Arc<dyn crate::clock::Clock>) -> Result<Ran> {
    run_next_within(pool, clock, Limits::default()).await
}

pub async fn run_next_within(
    pool: &PgPool,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    limits: Limits,
) -> Result<Ran> {
    let Some(run) = claim_next(pool, clock.now(), limits).await? else { return Ok(Ran::Nothing) };
    carry_out(pool, clock, run, limits).await
}

/// Claims the next run for this worker (see [`claim`]).
pub async fn claim_next(pool: &PgPool, now: DateTime<Utc>, limits: Limits) -> Result<Option<Run>> {
    claim(pool, now, limits.lease).await
}

/// Runs a claimed run to its end and records how it ended.
pub async fn carry_out(
    pool: &PgPool,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    run: Run,
    limits: Limits,
) -> Result<Ran> {
    let id = run.id;
    match execute(pool, clock.clone(), run, limits).await {
        Ok(ran) => Ok(ran),
        // Anything that went wrong around the demo (its data set could not be
        // read, the database went away mid-run) ends this run; left "running",
        // it would be claimed again every minute for ever.
        Err(error) => {
            tracing::error!(run_id = id, %error, "demo run could not be carried out");
            finish(pool, id, DemoRunStatus::Failed, None, None, Some(Stop::CouldNotStart), clock.now()).await?;
            Ok(Ran::Failed(id))
        }
    }
}

async fn execute(
    pool: &PgPool,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    run: Run,
    limits: Limits,
) -> Result<Ran> {
    let spec = registry::find(&run.demo).ok_or(Error::NotFound)?;
    let dataset = match run.dataset_id {
        Some(id) => Some(datasets::csv(pool, id).await?),
        None => None,
    };
    let handle = tokio::runtime::Handle::current();
    let (id, params, reporter_pool, reporter_clock) = (run.id, run.params.clone(), pool.clone(), clock.clone());
    let timed_out = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let out_of_time = timed_out.clone();
    let joined = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let mut last: Option<std::time::Instant> = None;
        let input = Input { params: &params, dataset: dataset.as_deref() };
        (spec.execute)(input, &mut |fraction| {
            if started.elapsed() > limits.time_limit {
                out_of_time.store(true, std::sync::atomic::Ordering::Relaxed);
                return false;
            }
            // Report at once, then at most twice a second: progress is for people.
            if last.is_some_and(|at| at.elapsed() < std::time::Duration::from_millis(500)) {
                return true;
            }
            last = Some(std::time::Instant::now());
            let stop = handle.block_on(report(&reporter_pool, id, fraction, reporter_clock.now(), limits.lease));
            !stop.unwrap_or(false)
        })
    })
    .await;
    // A panic inside a demo is that run's failure, not the worker's.
    let outcome = joined.unwrap_or_else(|crash| Err(format!("the demo crashed: {crash}")));
    let (status, result, error, stop, ran) = match outcome {
        Ok(Some(result)) => (DemoRunStatus::Done, Some(result), None, None, Ran::Done(id)),
        Ok(None) if timed_out.load(std::sync::atomic::Ordering::Relaxed) => {
            (DemoRunStatus::Failed, None, None, Some(Stop::TimeLimit), Ran::Failed(id))
        }
        Ok(None) => (DemoRunStatus::Cancelled, None, None, None, Ran::Cancelled(id)),
        Err(message) => (DemoRunStatus::Failed, None, Some(message), None, Ran::Failed(id)),
    };
    finish(pool, id, status, result, error, stop, clock.now()).await?;
    tracing::info!(run_id = id, status = status.code(), "demo run finished");
    Ok(ran)
}

async fn finish(
    pool: &PgPool,
    id: i64,
    status: DemoRunStatus,
    result: Option<Value>,
    error: Option<String>,
    stop: Option<Stop>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE demo_runs SET status = $2, result = $3, error = $4, stopped_because = $5, finished_at = $6,
             lease_until = NULL, progress = CASE WHEN $2 = 'done'::demo_run_status THEN 1 ELSE progress END
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(result)
    .bind(error)
    .bind(stop)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

fn stop_words(stop: Stop, lang: Lang) -> &'static str {
    let w = &crate::words::words(lang).site;
    match stop {
        Stop::WorkerDied => w.demo_stopped_worker_died,
        Stop::TimeLimit => w.demo_stopped_time_limit,
        Stop::CouldNotStart => w.demo_stopped_could_not_start,
    }
}

/// Puts a run this worker is giving up on (it is shutting down) back in the
/// queue, its attempt not counted: the next worker starts it afresh.
pub async fn requeue(pool: &PgPool, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE demo_runs SET status = 'queued', lease_until = NULL, progress = 0, attempts = greatest(attempts - 1, 0)
         WHERE id = $1 AND status = 'running'",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// The catalogue: every demo, in the registry's order.
pub fn catalogue(lang: Lang) -> Vec<crate::views::DemoCard> {
    registry::DEMOS.iter().map(|demo| demo.card(lang)).collect()
}

/// A demo's page: its form, the paper's numbers, its latest runs and the
/// sessions it is attached to.
pub async fn demo_page(pool: &PgPool, demo: &str, lang: Lang) -> Result<DemoPage> {
    let spec = registry::find(demo).ok_or(Error::NotFound)?;
    let recent_runs = sqlx::query_as::<_, (i64, DemoRunStatus, Option<bool>)>(
        "SELECT id, status, (result->>'claim_held')::boolean FROM demo_runs
         WHERE demo = $1 AND dataset_id IS NULL ORDER BY id DESC LIMIT 10",
    )
    .bind(demo)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, status, claim_held)| DemoRunLink { id, status, claim_held })
    .collect();
    let sessions = attachments::events_showing(pool, demo).await?;
    Ok(DemoPage {
        card: spec.card(lang),
        fields: spec.fields(lang),
        paper_numbers: (spec.paper_numbers)(lang),
        upload_fields: spec.upload_fields(lang),
        recent_runs,
        sessions,
    })
}

/// Who is looking at a run: the visitor token of their browser, and whether
/// they are an organiser.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub visitor: Option<&'a str>,
    pub organiser: bool,
}

impl Viewer<'_> {
    /// Whether this viewer may stop the run and read its data: whoever started
    /// it (their token's digest is the run's `requested_by`), or an organiser.
    pub fn owns(self, requested_by: Option<&[u8]>) -> bool {
        self.organiser
            || matches!((requested_by, self.visitor), (Some(hash), Some(token)) if hash == crate::secrets::digest(token).as_slice())
    }
}

/// A run for its page: parameters listed, the report presented by its demo.
pub async fn page(pool: &PgPool, id: i64, lang: Lang, viewer: Viewer<'_>) -> Result<DemoRunPage> {
    let run = get(pool, id).await?;
    let (requested_by, seconds, dataset_rows) = sqlx::query_as::<_, (Option<Vec<u8>>, Option<f64>, Option<i32>)>(
        "SELECT r.requested_by, EXTRACT(EPOCH FROM r.finished_at - r.started_at)::float8, d.interactions
         FROM demo_runs r LEFT JOIN demo_datasets d ON d.id = r.dataset_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let spec = registry::find(&run.demo).ok_or(Error::NotFound)?;
    let params = run
        .params
        .as_object()
        .map(|object| object.iter().filter(|(k, _)| *k != "dataset").map(|(k, v)| (k.clone(), v.to_string())).collect())
        .unwrap_or_default();
    let unfinished = run.status.is_unfinished();
    Ok(DemoRunPage {
        id: run.id,
        demo: spec.card(lang),
        status: run.status,
        progress: run.progress,
        params,
        dataset: dataset_rows.map(|rows| rows.to_string()),
        error: run.error.clone().or_else(|| run.stopped_because.map(|stop| stop_words(stop, lang).to_owned())),
        seconds,
        can_cancel: unfinished && viewer.owns(requested_by.as_deref()),
        has_data: (spec.export_data.is_some() || run.dataset_id.is_some()) && viewer.owns(requested_by.as_deref()),
        result: run.result.as_ref().and_then(|result| (spec.present)(result, lang)),
        paper_numbers: (spec.paper_numbers)(lang),
    })
}

/// The data a run learned from, as CSV: the uploaded file, or the demo's
/// generated data rebuilt from the run's parameters (same seed, same data).
pub async fn data_csv(pool: &PgPool, id: i64, viewer: Viewer<'_>) -> Result<String> {
    let run = get(pool, id).await?;
    let requested_by: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT requested_by FROM demo_runs WHERE id = $1").bind(id).fetch_one(pool).await?;
    // Someone else's run answers as if there were none: ids are sequential,
    // and an upload is that visitor's own data.
    if !viewer.owns(requested_by.as_deref()) {
        return Err(Error::NotFound);
    }
    if let Some(dataset) = run.dataset_id {
        return datasets::csv(pool, dataset).await;
    }
    let spec = registry::find(&run.demo).ok_or(Error::NotFound)?;
    let export = spec.export_data.ok_or(Error::NotFound)?;
    // Rebuilding the data can take a while (megabytes of CSV): off the async threads.
    let params = run.params.clone();
    let rebuilt = tokio::task::spawn_blocking(move || export(&params)).await;
    rebuilt.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic())).ok_or(Error::NotFound)
}
