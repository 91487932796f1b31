//! Registration throughput against a real PostgreSQL (not a test: the
//! figures go to docs/benchmarks.md). Run with `scripts/bench.sh` or:
//!
//!   DATABASE_URL=postgres://postgres@127.0.0.1:5432/paperclub_bench \
//!     cargo bench -p paperclub-core --bench registrations
//!
//! 1. The rush: 1,000 simultaneous registrations for one event with 100 seats.
//! 2. Spread load: 5,000 registrations over 50 events, 32 at a time.

use std::time::{Duration, Instant};

use chrono::Utc;
use paperclub_core::registrations::{self, Applicant};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

async fn event(pool: &PgPool, series: i64, number: i32, capacity: i32) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO events (series_id, kind, number, title, starts_at, ends_at, time_zone, format, capacity,
                             registration_mode, status, published_at, venue_name)
         VALUES ($1, 'meetup', $2, 'Bench', now() + interval '30 days', now() + interval '30 days 3 hours',
                 'Europe/Moscow', 'in_person', $3, 'required', 'scheduled', now(), 'Hall')
         RETURNING id",
    )
    .bind(series)
    .bind(number)
    .bind(capacity)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn burst(pool: &PgPool, targets: Vec<(i64, String)>, concurrency: usize) -> (Duration, Vec<Duration>) {
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let tasks: Vec<_> = targets
        .into_iter()
        .map(|(event_id, email)| {
            let pool = pool.clone();
            let semaphore = semaphore.clone();
            tokio::spawn(async move {
                let _permit = semaphore.acquire_owned().await.unwrap();
                let begun = Instant::now();
                let applicant = Applicant::parse("Bench", &email).unwrap();
                registrations::register(&pool, event_id, &applicant, Utc::now()).await.unwrap();
                begun.elapsed()
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.push(task.await.unwrap());
    }
    latencies.sort();
    (started.elapsed(), latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/paperclub_bench".into());
    paperclub_core::db::ensure_database(&url).await.unwrap();
    let pool =
        PgPoolOptions::new().max_connections(32).acquire_timeout(Duration::from_secs(120)).connect(&url).await.unwrap();
    paperclub_core::db::migrate(&pool).await.unwrap();
    sqlx::query("TRUNCATE series, events, registrations, notifications RESTART IDENTITY CASCADE")
        .execute(&pool)
        .await
        .unwrap();
    let series: i64 = sqlx::query_scalar("INSERT INTO series (slug, title) VALUES ('bench', 'Bench') RETURNING id")
        .fetch_one(&pool)
        .await
        .unwrap();

    let rush = event(&pool, series, 1, 100).await;
    let targets = (0..1000).map(|i| (rush, format!("rush{i}@example.org"))).collect();
    let (elapsed, latencies) = burst(&pool, targets, 1000).await;
    let counts = registrations::counts(&pool, rush).await.unwrap();
    println!(
        "rush: 1000 simultaneous registrations for 100 seats in {:.2} s; confirmed {}, waitlisted {}; latency p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        counts.confirmed,
        counts.waitlisted,
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );

    let mut events = Vec::new();
    for number in 2..52 {
        events.push(event(&pool, series, number, 60).await);
    }
    let targets = (0..5000).map(|i| (events[i % events.len()], format!("spread{i}@example.org"))).collect();
    let (elapsed, latencies) = burst(&pool, targets, 32).await;
    println!(
        "spread: 5000 registrations over 50 events, 32 at a time, in {:.2} s = {:.0} registrations/s; latency p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        5000.0 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
}
