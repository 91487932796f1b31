//! The real binary, killed with SIGKILL in the middle of a burst of
//! registrations, then started again: every registration that got a success
//! answer exists, and its confirmation arrives.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::{maildev_url, smtp_url, spawn_app, unique_email};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(database_url: &str, port: u16) -> Server {
    start_with(database_url, port, &[])
}

fn start_with(database_url: &str, port: u16, env: &[(&str, &str)]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_paperclub"))
        .arg("serve")
        .envs(env.iter().copied())
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("SMTP_URL", smtp_url())
        .env("RUN_WORKERS", "true")
        // The burst comes from one address.
        .env("REGISTRATION_RATE_LIMIT", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    Server(child)
}

async fn wait_until_healthy(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not come up");
}

/// Waits for the restarted worker to deliver everything due on `channel`;
/// returns how much is left (0 when all went out).
async fn wait_until_delivered(pool: &sqlx::PgPool, channel: &str) -> i64 {
    let mut left = i64::MAX;
    for _ in 0..600 {
        left = sqlx::query_scalar(
            "SELECT count(*) FROM notifications
             WHERE channel = $1::notification_channel AND state IN ('pending', 'sending') AND due_at <= now()",
        )
        .bind(channel)
        .fetch_one(pool)
        .await
        .unwrap();
        if left == 0 {
            break;
        }
        // The lease of rows the dead worker held runs out (60 s) on the real
        // clock; move those leases into the past instead of waiting.
        sqlx::query(
            "UPDATE notifications SET lease_until = now() WHERE state = 'sending' AND lease_until > now() + interval '5 seconds'",
        )
        .execute(pool)
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    left
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_burst_loses_no_registration_and_no_confirmation() {
    // The test app only prepares the database; the real binary serves.
    let app = spawn_app().await;
    let event = app.open_event(Some(50), "in_person").await;
    let database_url = app.database_url.clone();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();

    let mut server = start(&database_url, port);
    wait_until_healthy(&client, &base).await;

    let emails: Vec<String> = (0..150).map(|i| unique_email(&format!("crash{i}"))).collect();
    let (answered_tx, mut answered_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let burst: Vec<_> = emails
        .iter()
        .cloned()
        .map(|email| {
            let client = client.clone();
            let base = base.clone();
            let answered = answered_tx.clone();
            tokio::spawn(async move {
                let response = client
                    .post(format!("{base}/api/register"))
                    .form(&[("event_id", event.to_string()), ("name", "Crash".into()), ("email", email.clone())])
                    .send()
                    .await;
                if let Ok(response) = response
                    && response.status().is_success()
                    && response.text().await.is_ok_and(|body| body.contains("Confirmed") || body.contains("Waitlisted"))
                {
                    let _ = answered.send(email);
                }
            })
        })
        .collect();
    drop(answered_tx);

    // Kill once part of the burst has been answered.
    let mut succeeded = Vec::new();
    while succeeded.len() < 30 {
        succeeded.push(answered_rx.recv().await.expect("some registrations succeed before the kill"));
    }
    // SIGKILL: no graceful shutdown, no chance to flush anything.
    unsafe { libc_kill(server.0.id() as i32, 9) };
    for task in burst {
        let _ = task.await;
    }
    while let Ok(email) = answered_rx.try_recv() {
        succeeded.push(email);
    }
    let _ = server.0.wait();
    drop(server);

    // Every answered registration is in the database.
    for email in &succeeded {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM registrations WHERE email = $1")
            .bind(email)
            .fetch_optional(&app.pool)
            .await
            .unwrap();
        assert!(found.is_some(), "{email} was told it registered, so it must exist");
    }
    let confirmed: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations WHERE status = 'confirmed'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(confirmed <= 50, "never more than the capacity");

    // Restart: the worker delivers what the dead one promised.
    let _server = start(&database_url, port);
    wait_until_healthy(&client, &base).await;
    let undelivered = wait_until_delivered(&app.pool, "email").await;
    assert_eq!(undelivered, 0, "everything planned was delivered after the restart");
    let inbox: serde_json::Value =
        client.get(format!("{}/api/email", maildev_url())).send().await.unwrap().json().await.unwrap();
    for email in &succeeded {
        let received = inbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["to"].as_array().is_some_and(|to| to.iter().any(|t| t["address"].as_str() == Some(email))))
            .count();
        assert!(
            (1..=2).contains(&received),
            "{email} got its confirmation ({received} copies; at most one duplicate per crash)"
        );
    }
}

/// Each answered registration's e-mails in maildev.
async fn copies_received(client: &reqwest::Client, email: &str) -> usize {
    let inbox: serde_json::Value =
        client.get(format!("{}/api/email", maildev_url())).send().await.unwrap().json().await.unwrap();
    inbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["to"].as_array().is_some_and(|to| to.iter().any(|t| t["address"].as_str() == Some(email))))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_oversell_nothing_and_lose_nothing_when_one_is_killed() {
    use paperclub_bot::fake::{Config, Fake};
    let app = spawn_app().await;
    app.seed().await;
    let event = app.open_event(Some(40), "in_person").await;
    let database_url = app.database_url.clone();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    // Both post to the same channel; the fake lives in this process.
    let fake = Fake::new(Config { enforce_rate_limits: false, latency_ms: 250, ..Config::local("777:pair") });
    let fake_url = fake.clone().spawn().await.unwrap();
    let env = [("TELEGRAM_BOT_TOKEN", "777:pair"), ("TELEGRAM_API_URL", fake_url.as_str())];
    // Each `serve` also starts its demo worker process.
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = start_with(&database_url, port_a, &env);
    let _b = start_with(&database_url, port_b, &env);
    let bases = [format!("http://127.0.0.1:{port_a}"), format!("http://127.0.0.1:{port_b}")];
    for base in &bases {
        wait_until_healthy(&client, base).await;
    }

    let emails: Vec<String> = (0..120).map(|i| unique_email(&format!("pair{i}"))).collect();
    let (answered_tx, mut answered_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let burst: Vec<_> = emails
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, email)| {
            let (client, base, answered) = (client.clone(), bases[i % 2].clone(), answered_tx.clone());
            tokio::spawn(async move {
                let response = client
                    .post(format!("{base}/api/register"))
                    .form(&[("event_id", event.to_string()), ("name", "Pair".into()), ("email", email.clone())])
                    .send()
                    .await;
                if let Ok(response) = response
                    && response.status().is_success()
                    && response.text().await.is_ok_and(|body| body.contains("Confirmed") || body.contains("Waitlisted"))
                {
                    let _ = answered.send(email);
                }
            })
        })
        .collect();
    drop(answered_tx);
    let mut succeeded = Vec::new();
    while succeeded.len() < 30 {
        succeeded.push(answered_rx.recv().await.expect("registrations succeed on both"));
    }
    // Eight announcements and eight reminders fall due while the burst goes
    // on (fewer than Telegram's 20 a minute in one channel, which each
    // process keeps on its own); A dies once posting has begun.
    publish_sessions_with_reminders(&app, 8).await;
    for _ in 0..600 {
        if channel_posts_sent(&fake) >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let posted_before_kill = channel_posts_sent(&fake);
    assert!((4..16).contains(&posted_before_kill), "the kill came while posting: {posted_before_kill} of 16");
    unsafe { libc_kill(a.0.id() as i32, 9) };
    let _ = a.0.wait();
    for task in burst {
        let _ = task.await;
    }
    while let Ok(email) = answered_rx.try_recv() {
        succeeded.push(email);
    }
    assert!(succeeded.len() > 60, "B kept answering after A died: {} answered", succeeded.len());

    let confirmed: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations WHERE status = 'confirmed'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(confirmed, 40, "exactly the capacity, across two processes");
    // B's worker delivers what A had promised, once A's leases run out.
    assert_eq!(wait_until_delivered(&app.pool, "email").await, 0);
    for email in &succeeded {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM registrations WHERE email = $1")
            .bind(email)
            .fetch_optional(&app.pool)
            .await
            .unwrap();
        assert!(found.is_some(), "{email} was told it registered");
        let copies = copies_received(&client, email).await;
        assert!((1..=2).contains(&copies), "{email}: {copies} copies (at most one duplicate per kill)");
    }
    // B posts what A had claimed once its lease runs out; one kill, at most one repeat.
    assert_eq!(wait_until_delivered(&app.pool, "telegram").await, 0);
    assert!(duplicate_posts(&fake, 8) <= 1, "at most one duplicate post for one kill");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_while_posting_to_telegram_loses_nothing_and_repeats_at_most_one_post() {
    use paperclub_bot::fake::{Config, Fake};
    let app = spawn_app().await;
    app.seed().await;
    // The fake lives in this process, so it outlives the server's crash.
    let fake = Fake::new(Config { enforce_rate_limits: false, latency_ms: 120, ..Config::local("777:crash") });
    let fake_url = fake.clone().spawn().await.unwrap();
    publish_sessions_with_reminders(&app, 8).await;
    let env = [("TELEGRAM_BOT_TOKEN", "777:crash"), ("TELEGRAM_API_URL", fake_url.as_str())];
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut server = start_with(&app.database_url, port, &env);
    wait_until_healthy(&client, &base).await;
    let sent = channel_posts_sent;
    for _ in 0..600 {
        if sent(&fake) >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(sent(&fake) >= 5, "posting had begun");
    unsafe { libc_kill(server.0.id() as i32, 9) };
    let _ = server.0.wait();
    drop(server);
    let before_restart = sent(&fake);
    assert!(before_restart < 16, "the crash came while posting ({before_restart} of 16 sent)");

    let _server = start_with(&app.database_url, port, &env);
    wait_until_healthy(&client, &base).await;
    let left = wait_until_delivered(&app.pool, "telegram").await;
    let rows: Vec<(String, String, i32, Option<String>)> = sqlx::query_as(
        "SELECT kind::text, state::text, attempts, last_error FROM notifications WHERE channel = 'telegram' AND due_at <= now() ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(left, 0, "everything planned went out after the restart: {rows:?}");
    assert!(duplicate_posts(&fake, 8) <= 1, "at most one duplicate for one crash");
}

/// Publishes `n` sessions (each posts its announcement to the channel at
/// once) with a channel reminder falling due now as well.
async fn publish_sessions_with_reminders(app: &crate::helpers::TestApp, n: usize) -> Vec<i64> {
    use paperclub_core::events::authoring::{self, StatusChange};
    let series = app.series_id("reading-group").await.to_string();
    let now = chrono::Utc::now();
    let mut events = Vec::new();
    for n in 0..n {
        let form = paperclub_core::forms::EventForm {
            series_id: series.clone(),
            kind: "session".into(),
            title: format!("Crash session {n:02}"),
            date: "2026-12-15".into(),
            start_time: format!("{:02}:00", 8 + n),
            end_time: format!("{:02}:30", 8 + n),
            format: "online".into(),
            registration_mode: "none".into(),
            ..Default::default()
        };
        let id = authoring::create(&app.pool, &form, now).await.unwrap();
        authoring::change_status(&app.pool, id, StatusChange::Publish, now).await.unwrap();
        sqlx::query(
            "INSERT INTO notifications (channel, kind, event_id, recipient, dedupe_key, payload, due_at)
             VALUES ('telegram', 'tg_reminder', $1, '@ml_is_ok', 'crash-reminder:' || $1, '{\"minutes\": 15}', now())",
        )
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
        events.push(id);
    }
    events
}

/// How many announcements and reminders of the `n` sessions the channel got
/// more than once; each must have arrived at least once and at most twice.
fn duplicate_posts(fake: &paperclub_bot::fake::Fake, n: usize) -> usize {
    let texts: Vec<String> = fake.messages_in(-1_001_000_000_001).into_iter().map(|m| m.text).collect();
    let mut duplicates = 0;
    for n in 0..n {
        let title = format!("Crash session {n:02}");
        let announcements = texts.iter().filter(|t| t.contains(&title) && !t.contains("Напоминаем")).count();
        let reminders = texts.iter().filter(|t| t.contains(&title) && t.contains("Напоминаем")).count();
        assert!((1..=2).contains(&announcements), "{title}: {announcements} announcements");
        assert!((1..=2).contains(&reminders), "{title}: {reminders} reminders");
        duplicates += announcements - 1 + reminders - 1;
    }
    duplicates
}

fn channel_posts_sent(fake: &paperclub_bot::fake::Fake) -> usize {
    fake.calls().iter().filter(|c| c.method == "sendMessage" && c.status == 200).count()
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, signal: i32) -> i32;
}
