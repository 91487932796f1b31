//! 1,000 personal reminders due in the same second, each to its own private
//! chat, through the real publisher (outbox in PostgreSQL, our rate limits)
//! against the fake Bot API enforcing Telegram's rates in real time.
//! Reports how late each message was beyond what the 30-a-second limit
//! forces, and the achieved rate against the allowed one.
//!
//!     scripts/bench-telegram.sh   (or: cargo bench -p paperclub-bot --bench reminders)
//!
//! DATABASE_URL names the server to use (a fresh database is made and dropped).

use std::time::{Duration, Instant};

use chrono::Utc;
use paperclub_bot::channel_delivery::TelegramDeliverer;
use paperclub_bot::fake::{Config, Fake, User};

const REMINDERS: usize = 1000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/paperclub".into());
    let server = server.rsplit_once('/').map_or(server.clone(), |(s, _)| s.to_owned());
    let database = format!("{server}/paperclub_bench_telegram_{}", std::process::id());
    paperclub_core::db::ensure_database(&database).await?;
    let pool = paperclub_core::db::connect(&database, 8).await?;
    paperclub_core::db::migrate(&pool).await?;

    let fake = Fake::new(Config::local("1:bench"));
    let url = fake.clone().spawn().await?;
    let bot = teloxide::Bot::new("1:bench").set_api_url(url.parse()?);

    let series: i64 = sqlx::query_scalar(
        "INSERT INTO series (slug, title, telegram_chat) VALUES ('bench', 'Bench', '@ml_is_ok') RETURNING id",
    )
    .fetch_one(&pool)
    .await?;
    let event: i64 = sqlx::query_scalar(
        "INSERT INTO events (series_id, kind, number, title, starts_at, ends_at, time_zone, format, registration_mode, status, published_at)
         VALUES ($1, 'session', 1, 'Bench session', now() + interval '1 hour', now() + interval '2 hours', 'Europe/Moscow', 'online', 'none', 'scheduled', now())
         RETURNING id",
    )
    .bind(series)
    .fetch_one(&pool)
    .await?;
    for k in 0..REMINDERS as i64 {
        let id = 10_000 + k;
        fake.user_writes(User { id, first_name: format!("u{k}"), username: None, blocked_bot: false }, "/start");
    }
    // All due in the same second, two seconds from now.
    let due = Utc::now() + chrono::Duration::seconds(2);
    sqlx::query(
        "INSERT INTO notifications (channel, kind, event_id, recipient, dedupe_key, payload, due_at)
         SELECT 'telegram', 'tg_personal_reminder', $1, (10000 + k)::text, 'bench:' || k, '{\"minutes\": 60}', $2
         FROM generate_series(0, $3 - 1) AS k",
    )
    .bind(event)
    .bind(due)
    .bind(REMINDERS as i64)
    .execute(&pool)
    .await?;

    let telegram = TelegramDeliverer::new(pool.clone(), bot, "https://paperclub.bench");
    let started = Instant::now();
    loop {
        let ran = paperclub_core::outbox::delivery::run_due(&pool, Utc::now(), &[&telegram]).await?;
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE state IN ('pending', 'sending')")
            .fetch_one(&pool)
            .await?;
        if left == 0 {
            break;
        }
        if ran.sent == 0 {
            tokio::time::sleep(Duration::from_millis(if Utc::now() < due { 100 } else { 10 })).await;
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "the bench did not finish");
    }
    let sent_at: Vec<chrono::DateTime<Utc>> =
        sqlx::query_scalar("SELECT sent_at FROM notifications WHERE state = 'sent' ORDER BY sent_at, id")
            .fetch_all(&pool)
            .await?;
    let refused = fake.calls().iter().filter(|c| c.status == 429).count();
    // The k-th message (from 0) cannot go out before due + k/30 s: that much lateness the limit forces.
    let mut lateness: Vec<f64> = sent_at
        .iter()
        .enumerate()
        .map(|(k, at)| {
            let allowed = due + chrono::Duration::milliseconds((k as i64 * 1000) / 30);
            ((*at - allowed).num_milliseconds() as f64 / 1000.0).max(0.0)
        })
        .collect();
    lateness.sort_by(f64::total_cmp);
    let p = |q: f64| lateness[((lateness.len() - 1) as f64 * q).round() as usize];
    let span = (*sent_at.last().unwrap() - *sent_at.first().unwrap()).num_milliseconds() as f64 / 1000.0;
    let rate = (sent_at.len() - 1) as f64 / span.max(1e-9);
    println!("{REMINDERS} reminders due at the same second, {} sent, {refused} refused with 429", sent_at.len());
    println!("lateness beyond the rate limit: p50 {:.3} s, p99 {:.3} s, max {:.3} s", p(0.5), p(0.99), p(1.0));
    println!("achieved {rate:.1} messages/s over {span:.1} s: {:.0}% of the allowed 30/s", rate / 30.0 * 100.0);
    drop(pool);
    let admin = paperclub_core::db::connect(&format!("{server}/postgres"), 1).await?;
    let name = database.rsplit('/').next().unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&admin).await?;
    Ok(())
}
