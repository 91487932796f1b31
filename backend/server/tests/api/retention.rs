//! The cleanup job forgets what paperclub no longer needs, and nothing else.

use paperclub_core::clock::Clock;
use paperclub_core::retention::{self, Policy};

use crate::helpers::{spawn_app, unique_email};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cleanup_forgets_expired_secrets_old_uploads_and_old_messages_and_keeps_the_rest() {
    let app = spawn_app().await;
    app.sign_in_as_organiser().await;
    let email = unique_email("kept");
    app.call("/api/request_sign_in_link", "", &[("email", &email)]).await;
    app.deliver_emails().await;
    let count = |table: &'static str| {
        let pool = app.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await.unwrap() }
    };
    let _ = app.call("/api/sign_in", "", &[("email", "nobody@example.org"), ("password", "wrong")]).await;
    assert_eq!(count("sign_in_failures").await, 1);

    // Today nothing is old enough.
    let now = app.clock.now();
    assert_eq!(retention::clean(&app.pool, now, Policy::default()).await.unwrap(), Default::default());

    // A year on: the session, link, failed attempt, the link request's
    // rate-limit hit and the sent e-mail are gone.
    let later = now + chrono::Duration::days(365);
    let cleaned = retention::clean(&app.pool, later, Policy::default()).await.unwrap();
    assert_eq!((cleaned.sessions, cleaned.links, cleaned.attempts, cleaned.notifications), (1, 1, 2, 1), "{cleaned:?}");
    for table in ["account_sessions", "sign_in_links", "sign_in_failures", "rate_limit_hits", "notifications"] {
        assert_eq!(count(table).await, 0, "{table}");
    }
    // Accounts are not the job's to delete.
    assert!(count("accounts").await >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_is_kept_while_its_run_waits_and_forgotten_after_its_retention() {
    let app = spawn_app().await;
    let mut csv = String::from("user,item,timestamp\n");
    for user in 0..30 {
        for step in 0..5 {
            csv.push_str(&format!("{user},{},{step}\n", (user + step) % 20));
        }
    }
    let now = app.clock.now();
    let dataset = paperclub_core::demo_runs::datasets::store(&app.pool, csv.as_bytes(), now).await.unwrap();
    let raw =
        [("positions", "8"), ("rank_users", "6"), ("rank_items", "6"), ("rank_positions", "3"), ("svd_rank", "6")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    let request =
        paperclub_core::demo_runs::Request { demo: "ga-satf", raw: &raw, dataset: Some(dataset), visitor: None };
    let run = paperclub_core::demo_runs::submit(&app.pool, request, now).await.unwrap();
    let later = now + chrono::Duration::days(31);
    retention::clean(&app.pool, later, Policy::default()).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_datasets").fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, 1, "the queued run still needs its data");
    sqlx::query("UPDATE demo_runs SET status = 'done' WHERE id = $1").bind(run).execute(&app.pool).await.unwrap();
    let cleaned = retention::clean(&app.pool, later, Policy::default()).await.unwrap();
    assert_eq!(cleaned.uploads, 1);
    let page = app.get(&format!("/demos/runs/{run}")).await;
    assert_eq!(page.status, 200, "the run's page stays");
}
