use std::collections::BTreeMap;
use std::sync::Arc;

use paperclub_core::clock::Clock;
use paperclub_core::demo_runs::{self, Ran};

use crate::helpers::spawn_app;

fn small(seed: &str) -> BTreeMap<String, String> {
    [("seed", seed), ("days", "3"), ("lists_per_day", "60"), ("steps", "200")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_is_queued_once_run_to_its_end_and_its_result_reused() {
    let app = spawn_app().await;
    let clock: Arc<dyn Clock> = Arc::new(app.clock.clone());
    let first = demo_runs::submit(&app.pool, "calibrated-ranking", &small("4"), app.clock.now()).await.unwrap();
    let again = demo_runs::submit(&app.pool, "calibrated-ranking", &small("4"), app.clock.now()).await.unwrap();
    assert_eq!(first, again, "an identical request joins the queued run");
    assert_eq!(demo_runs::run_next(&app.pool, clock.clone()).await.unwrap(), Ran::Done(first));
    assert_eq!(demo_runs::run_next(&app.pool, clock).await.unwrap(), Ran::Nothing);
    let run = demo_runs::get(&app.pool, first).await.unwrap();
    assert_eq!(run.status, "done");
    assert_eq!(run.progress, 1.0);
    let result = run.result.unwrap();
    assert_eq!(result["losses"].as_array().unwrap().len(), 4);
    assert!(result["claim_held"].is_boolean());
    let later = demo_runs::submit(&app.pool, "calibrated-ranking", &small("4"), app.clock.now()).await.unwrap();
    assert_eq!(later, first, "a finished run's result serves the same request");
    let other = demo_runs::submit(&app.pool, "calibrated-ranking", &small("5"), app.clock.now()).await.unwrap();
    assert_ne!(other, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_are_refused_and_queue_nothing() {
    let app = spawn_app().await;
    let mut raw = small("1");
    raw.insert("days".into(), "100".into());
    let refused = demo_runs::submit(&app.pool, "calibrated-ranking", &raw, app.clock.now()).await;
    assert!(matches!(refused, Err(paperclub_core::Error::Invalid(ref errors)) if errors.get("days").is_some()));
    assert!(matches!(
        demo_runs::submit(&app.pool, "no-such-demo", &small("1"), app.clock.now()).await,
        Err(paperclub_core::Error::NotFound)
    ));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_runs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_stops_and_a_run_left_by_a_dead_worker_is_taken_again() {
    let app = spawn_app().await;
    let clock: Arc<dyn Clock> = Arc::new(app.clock.clone());
    // Queued and cancelled: never runs.
    let queued = demo_runs::submit(&app.pool, "calibrated-ranking", &small("6"), app.clock.now()).await.unwrap();
    demo_runs::cancel(&app.pool, queued, app.clock.now()).await.unwrap();
    assert_eq!(demo_runs::get(&app.pool, queued).await.unwrap().status, "cancelled");
    assert_eq!(demo_runs::run_next(&app.pool, clock.clone()).await.unwrap(), Ran::Nothing);

    // A worker died holding this one: after its lease it runs again, and the
    // cancel asked meanwhile stops it at its first progress report.
    let orphan = demo_runs::submit(&app.pool, "calibrated-ranking", &small("7"), app.clock.now()).await.unwrap();
    sqlx::query("UPDATE demo_runs SET status = 'running', lease_until = $2, cancel_requested = true WHERE id = $1")
        .bind(orphan)
        .bind(app.clock.now() - chrono::Duration::seconds(1))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock.clone()).await.unwrap(), Ran::Cancelled(orphan));

    let restarted = demo_runs::submit(&app.pool, "calibrated-ranking", &small("8"), app.clock.now()).await.unwrap();
    sqlx::query("UPDATE demo_runs SET status = 'running', lease_until = $2 WHERE id = $1")
        .bind(restarted)
        .bind(app.clock.now() + chrono::Duration::seconds(30))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock.clone()).await.unwrap(), Ran::Nothing, "still leased");
    app.clock.advance(chrono::Duration::seconds(31));
    assert_eq!(demo_runs::run_next(&app.pool, clock).await.unwrap(), Ran::Done(restarted));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_runs_the_demo_from_its_page_and_the_run_page_shows_the_result() {
    let app = spawn_app().await;
    let clock: Arc<dyn Clock> = Arc::new(app.clock.clone());
    let page = app.get("/demos").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"name="params[days]""#));
    let fields = [
        ("demo", "calibrated-ranking"),
        ("params[seed]", "3"),
        ("params[days]", "3"),
        ("params[lists_per_day]", "60"),
        ("params[steps]", "200"),
    ];
    let submitted = app.post_form_from(&format!("{}/demos", app.address), "/api/submit_demo", "", &fields).await;
    let location = submitted.location.expect("redirected to the run");
    assert!(location.starts_with("/demos/runs/"), "{location}");
    let queued = app.get(&location).await;
    assert!(queued.body.contains("в очереди"));
    assert!(queued.body.contains(r#"http-equiv="refresh""#), "without JS the page refreshes while it waits");
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock).await.unwrap(), Ran::Done(id));
    let done = app.get(&location).await;
    assert!(done.body.contains(r#"data-testid="claim""#));
    assert!(done.body.contains("<svg") && done.body.contains("<desc id=\"plot-desc\">"));
    assert!(done.body.contains("Calibrated softmax"));
    assert!(!done.body.contains(r#"http-equiv="refresh""#));
    let bad = app.call("/api/submit_demo", "", &[("demo", "calibrated-ranking"), ("params[steps]", "999999")]).await;
    assert!(bad.body.contains("out_of_range"), "{}", bad.body);
    assert_eq!(app.get("/demos/runs/999999").await.status, 404);
}
