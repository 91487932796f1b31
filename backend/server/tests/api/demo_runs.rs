use std::collections::BTreeMap;
use std::sync::Arc;

use paperclub_core::clock::Clock;
use paperclub_core::demo_runs::{self, Ran, Request};
use paperclub_core::forms::Problem;

use crate::helpers::{TestApp, as_fields, spawn_app};

fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn small(seed: &str) -> BTreeMap<String, String> {
    raw(&[("seed", seed), ("days", "3"), ("lists_per_day", "60"), ("steps", "200")])
}

/// GA-SATF at a size that runs in a blink.
const SMALL_SATF: &[(&str, &str)] = &[
    ("users", "200"),
    ("items", "60"),
    ("clusters", "6"),
    ("positions", "10"),
    ("rank_users", "8"),
    ("rank_items", "8"),
    ("rank_positions", "3"),
    ("svd_rank", "8"),
];

async fn submit(
    app: &TestApp,
    demo: &str,
    raw: &BTreeMap<String, String>,
    visitor: Option<&str>,
) -> paperclub_core::error::Result<i64> {
    demo_runs::submit(&app.pool, Request { demo, raw, dataset: None, visitor }, app.clock.now()).await
}

fn clock(app: &TestApp) -> Arc<dyn Clock> {
    Arc::new(app.clock.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_is_queued_once_run_to_its_end_and_its_result_reused() {
    let app = spawn_app().await;
    let first = submit(&app, "calibrated-ranking", &small("4"), None).await.unwrap();
    let again = submit(&app, "calibrated-ranking", &small("4"), None).await.unwrap();
    assert_eq!(first, again, "an identical request joins the queued run");
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(first));
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Nothing);
    let run = demo_runs::get(&app.pool, first).await.unwrap();
    assert_eq!(run.status.code(), "done");
    assert_eq!(run.progress, 1.0);
    let result = run.result.unwrap();
    assert_eq!(result["losses"].as_array().unwrap().len(), 4);
    assert!(result["claim_held"].is_boolean());
    let later = submit(&app, "calibrated-ranking", &small("4"), None).await.unwrap();
    assert_eq!(later, first, "a finished run's result serves the same request");
    let other = submit(&app, "calibrated-ranking", &small("5"), None).await.unwrap();
    assert_ne!(other, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_are_refused_and_queue_nothing() {
    let app = spawn_app().await;
    let mut bad = small("1");
    bad.insert("days".into(), "100".into());
    let refused = submit(&app, "calibrated-ranking", &bad, None).await;
    assert!(matches!(refused, Err(paperclub_core::Error::Invalid(ref errors)) if errors.get("days").is_some()));
    // Bounds that depend on other parameters are checked before anything is queued.
    let refused = submit(&app, "ga-satf", &raw(&[("positions", "10"), ("rank_positions", "12")]), None).await;
    assert!(matches!(
        refused,
        Err(paperclub_core::Error::Invalid(ref errors)) if errors.get("rank_positions") == Some(&Problem::NotAbove { limit: "10".into() })
    ));
    assert!(matches!(submit(&app, "no-such-demo", &small("1"), None).await, Err(paperclub_core::Error::NotFound)));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_runs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_stops_and_a_run_left_by_a_dead_worker_is_taken_again() {
    let app = spawn_app().await;
    // Queued and cancelled by the visitor who asked for it: never runs.
    let queued = submit(&app, "calibrated-ranking", &small("6"), Some("a".repeat(64).as_str())).await.unwrap();
    demo_runs::cancel(&app.pool, queued, Some(&"a".repeat(64)), false, app.clock.now()).await.unwrap();
    assert_eq!(demo_runs::get(&app.pool, queued).await.unwrap().status.code(), "cancelled");
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Nothing);

    // A worker died holding this one: after its lease it runs again, and the
    // cancel asked meanwhile stops it at its first progress report.
    let orphan = submit(&app, "calibrated-ranking", &small("7"), None).await.unwrap();
    sqlx::query("UPDATE demo_runs SET status = 'running', lease_until = $2, cancel_requested = true WHERE id = $1")
        .bind(orphan)
        .bind(app.clock.now() - chrono::Duration::seconds(1))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Cancelled(orphan));
    let stopped = demo_runs::get(&app.pool, orphan).await.unwrap();
    assert_eq!(stopped.status.code(), "cancelled");
    assert!(stopped.progress > 0.0, "the progress report that learned of the cancel was recorded");

    let restarted = submit(&app, "calibrated-ranking", &small("8"), None).await.unwrap();
    sqlx::query("UPDATE demo_runs SET status = 'running', lease_until = $2 WHERE id = $1")
        .bind(restarted)
        .bind(app.clock.now() + chrono::Duration::seconds(30))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Nothing, "still leased");
    app.clock.advance(chrono::Duration::seconds(31));
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(restarted));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_visitor_who_asked_or_an_organiser_can_stop_a_run() {
    let app = spawn_app().await;
    // The visitor's browser gets its token with the first run it asks for.
    let fields = [("demo", "calibrated-ranking"), ("params[seed]", "11"), ("params[days]", "3")];
    let asked =
        app.post_form_from(&format!("{}/demos/calibrated-ranking", app.address), "/api/submit_demo", "", &fields).await;
    let token = asked.cookie(demo_runs::VISITOR_COOKIE).expect("a visitor cookie");
    let location = asked.location.unwrap();
    let id = location.rsplit('/').next().unwrap().to_owned();
    let mine = format!("{}={token}", demo_runs::VISITOR_COOKIE);
    let stranger = format!("{}={}", demo_runs::VISITOR_COOKIE, "b".repeat(64));

    assert!(app.get_with_cookie(&location, &mine).await.body.contains(r#"name="id""#), "the owner sees Stop");
    assert!(!app.get_with_cookie(&location, &stranger).await.body.contains(r#"name="id""#));
    let refused = app.call("/api/cancel_demo_run", &stranger, &[("id", &id)]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(demo_runs::get(&app.pool, id.parse().unwrap()).await.unwrap().status.code(), "queued");
    let stopped = app.post_form("/api/cancel_demo_run", &mine, &[("id", &id)]).await;
    assert_eq!(stopped.location.as_deref(), Some(location.as_str()));
    assert_eq!(demo_runs::get(&app.pool, id.parse().unwrap()).await.unwrap().status.code(), "cancelled");

    let other = submit(&app, "calibrated-ranking", &small("12"), Some(&"c".repeat(64))).await.unwrap();
    let organiser = app.sign_in_as_organiser().await;
    app.call("/api/cancel_demo_run", &organiser, &[("id", &other.to_string())]).await;
    assert_eq!(demo_runs::get(&app.pool, other).await.unwrap().status.code(), "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_lists_both_demos_and_a_satf_run_shows_tables_a_plot_and_the_authors_numbers() {
    let app = spawn_app().await;
    let catalogue = app.get("/demos").await;
    assert!(
        catalogue.body.contains(r#"href="/demos/ga-satf""#)
            && catalogue.body.contains(r#"href="/demos/calibrated-ranking""#)
    );
    let page = app.get("/demos/ga-satf").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"name="params[rank_positions]""#));
    assert!(page.body.contains("0.112"), "the authors' HR@10 beside the form");
    assert!(page.body.contains(r#"enctype="multipart/form-data""#));
    assert_eq!(app.get("/demos/no-such-demo").await.status, 404);

    let mut fields = vec![("demo", "ga-satf")];
    let named: Vec<(String, &str)> = SMALL_SATF.iter().map(|(k, v)| (format!("params[{k}]"), *v)).collect();
    fields.extend(named.iter().map(|(k, v)| (k.as_str(), *v)));
    let submitted =
        app.post_form_from(&format!("{}/demos/ga-satf", app.address), "/api/submit_demo", "", &fields).await;
    let submitted_visitor = submitted.cookie(demo_runs::VISITOR_COOKIE).expect("the visitor is marked");
    let location = submitted.location.expect("redirected to the run");
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert!(app.get(&location).await.body.contains(r#"http-equiv="refresh""#));
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(id));
    let done = app.get(&location).await;
    for expected in
        ["GA-SATF", "PureSVD", "HR@10", "<svg", "<desc id=\"plot-0-desc\">", "MovieLens-1M", r#"data-testid="claim""#]
    {
        assert!(done.body.contains(expected), "{expected} missing");
    }
    // The generated data can be taken to the numpy reference, by whoever started the run.
    let visitor = format!("{}={}", demo_runs::VISITOR_COOKIE, submitted_visitor);
    let data = app.get_with_cookie(&format!("{location}/data.csv"), &visitor).await;
    assert_eq!(data.status, 200);
    assert_eq!(data.headers["cache-control"], "private, max-age=3600");
    assert!(data.body.starts_with("user,item,timestamp\n"));
    assert_eq!(data.body.lines().count(), 1 + sqlx_count_interactions(&done.body));
    // The demo page now lists the run.
    assert!(app.get("/demos/ga-satf").await.body.contains(&format!("/demos/runs/{id}")));
}

/// The number of interactions the run's data table reports.
fn sqlx_count_interactions(body: &str) -> usize {
    let marker = "Взаимодействия</th><td>";
    let start = body.find(marker).expect("the data table") + marker.len();
    body[start..].split('<').next().unwrap().parse().unwrap()
}

fn upload_csv(users: usize) -> String {
    // Every user walks a ring of 30 items from their own start.
    let mut csv = String::from("user,item,timestamp\n");
    for user in 0..users {
        for step in 0..12 {
            csv.push_str(&format!("{user},{},{}\n", (user + step) % 30, 1_000 + step));
        }
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_csv_runs_once_per_content_and_a_malformed_one_is_sent_back_with_its_line() {
    let app = spawn_app().await;
    let params = [
        ("params[positions]", "8"),
        ("params[rank_users]", "6"),
        ("params[rank_items]", "6"),
        ("params[rank_positions]", "3"),
        ("params[svd_rank]", "6"),
    ];
    let csv = upload_csv(60);
    let uploaded =
        app.post_multipart("/demos/ga-satf/upload", "", &params, &[("data", "mine.csv", csv.as_bytes())]).await;
    assert_eq!(uploaded.status, 303);
    let location = uploaded.location.clone().unwrap();
    assert!(location.starts_with("/demos/runs/"), "{location}");
    assert!(uploaded.cookie(demo_runs::VISITOR_COOKIE).is_some());
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    // Queued: without JavaScript the page refreshes itself; with it, an
    // island follows the run (a `noscript` refresh does not run with scripts).
    let queued = app.get(&location).await.body;
    assert!(queued.contains(r#"<noscript><meta http-equiv="refresh" content="2"></noscript>"#), "{queued}");
    assert_eq!(queued.matches("http-equiv=\"refresh\"").count(), 1, "no refresh outside the noscript");
    assert!(queued.contains("RunProgress"), "the progress follows the run after hydration");
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(id));
    let run = demo_runs::get(&app.pool, id).await.unwrap();
    assert_eq!(run.result.as_ref().unwrap()["uploaded"], true);
    assert_eq!(run.result.as_ref().unwrap()["users"], 60);
    let page = app.get(&location).await;
    assert!(page.body.contains("загруженный CSV"));
    assert!(!page.body.contains("http-equiv=\"refresh\""), "a finished run's page stays put");
    let starter = format!("{}={}", demo_runs::VISITOR_COOKIE, uploaded.cookie(demo_runs::VISITOR_COOKIE).unwrap());
    let export = app.get_with_cookie(&format!("{location}/data.csv"), &starter).await;
    assert_eq!(export.body, csv, "the upload comes back as it was");
    assert!(app.get_with_cookie(&location, &starter).await.body.contains("/data.csv"), "offered to its owner");
    // Nobody else reads someone's upload, whatever the id they guess; organisers may.
    let stranger = app.get(&format!("{location}/data.csv")).await;
    assert_eq!(stranger.status, 404);
    assert!(!stranger.body.contains("user,item,timestamp"));
    let other_visitor = format!("{}={}", demo_runs::VISITOR_COOKIE, paperclub_core::secrets::random_token());
    assert_eq!(app.get_with_cookie(&format!("{location}/data.csv"), &other_visitor).await.status, 404);
    assert!(!app.get(&location).await.body.contains("/data.csv"), "not offered to others");
    let organiser = app.sign_in_as_organiser().await;
    assert_eq!(app.get_with_cookie(&format!("{location}/data.csv"), &organiser).await.body, csv);

    // The same file again: the same data set and the stored result.
    let again = app.post_multipart("/demos/ga-satf/upload", "", &params, &[("data", "copy.csv", csv.as_bytes())]).await;
    assert_eq!(again.location.as_deref(), Some(location.as_str()));
    let datasets: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_datasets").fetch_one(&app.pool).await.unwrap();
    assert_eq!(datasets, 1);

    // A broken line: back to the form, which names the line and the column.
    let broken = format!("{csv}7,seven,1\n");
    let refused =
        app.post_multipart("/demos/ga-satf/upload", "", &params, &[("data", "bad.csv", broken.as_bytes())]).await;
    assert_eq!(refused.status, 303);
    let back = refused.location.unwrap();
    assert!(back.starts_with("/demos/ga-satf?"), "{back}");
    let form = app.get(&back).await;
    let line = csv.lines().count() + 1;
    assert!(form.body.contains(&format!("Строка {line}: поле item должно быть числом")), "{}", form.body);
    // No file at all, or too few users to learn from.
    let empty = app.post_multipart("/demos/ga-satf/upload", "", &params, &[]).await;
    assert!(app.get(&empty.location.unwrap()).await.body.contains("Заполните это поле."));
    let tiny = upload_csv(5);
    let few = app.post_multipart("/demos/ga-satf/upload", "", &params, &[("data", "tiny.csv", tiny.as_bytes())]).await;
    assert!(app.get(&few.location.unwrap()).await.body.contains("Нужно хотя бы 20 пользователей"));
    // Uploads are for demos that take them.
    let elsewhere =
        app.post_multipart("/demos/calibrated-ranking/upload", "", &[], &[("data", "x.csv", csv.as_bytes())]).await;
    assert_eq!(elsewhere.status, 404);
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_runs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(runs, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_attach_a_demo_or_a_run_to_a_session_and_both_pages_link_each_other() {
    let app = spawn_app().await;
    app.seed().await;
    let run = submit(&app, "ga-satf", &raw(SMALL_SATF), None).await.unwrap();
    let cookie = app.sign_in_as_organiser().await;
    let title = "Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations";
    let event = app.event_id(title).await.expect("the seeded 100th meeting");
    // The seed already shows the GA-SATF demo on the 100th meeting.
    assert!(app.get(&format!("/events/{event}")).await.body.contains(r#"href="/demos/ga-satf""#));
    let form = paperclub_core::events::authoring::form_of(&app.pool, event).await.unwrap();
    let mut values = form.values();
    values.insert("demos".into(), format!("calibrated-ranking\n/demos/runs/{run}"));
    let mut fields: Vec<(String, String)> = values.into_iter().map(|(k, v)| (format!("form[{k}]"), v)).collect();
    fields.push(("id".into(), event.to_string()));
    let saved = app.call("/api/save_event", &cookie, &as_fields(&fields)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let page = app.get(&format!("/events/{event}")).await;
    assert!(page.body.contains(r#"href="/demos/calibrated-ranking""#));
    assert!(page.body.contains(&format!(r#"href="/demos/runs/{run}""#)), "the run line took the run's demo");
    assert!(app.get("/demos/ga-satf").await.body.contains(&format!(r#"href="/events/{event}""#)));
    // The form shows the attachments as they were written, normalised.
    let form = paperclub_core::events::authoring::form_of(&app.pool, event).await.unwrap();
    assert_eq!(form.demos, format!("calibrated-ranking\nga-satf #{run}"));

    // A run that does not exist is refused on its line.
    fields.retain(|(k, _)| k != "form[demos]");
    fields.push(("form[demos]".into(), "ga-satf #999999".into()));
    let refused = app.call("/api/save_event", &cookie, &as_fields(&fields)).await;
    assert!(refused.body.contains("Rejected") && refused.body.contains("unknown_demo"), "{}", refused.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calculators_run_like_any_demo_and_show_the_papers_arithmetic() {
    let app = spawn_app().await;
    let cache = submit(&app, "gqa-cache", &raw(&[]), None).await.unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(cache));
    let page = app.get(&format!("/demos/runs/{cache}")).await;
    assert!(page.body.contains("320 KiB") && page.body.contains("2.5 MiB"), "Llama 2 70B's cache per token");
    assert!(page.body.contains("44.3"), "the ablation beside");
    let refused = submit(&app, "gqa-cache", &raw(&[("query_heads", "64"), ("kv_heads", "6")]), None).await;
    assert!(matches!(refused, Err(paperclub_core::Error::Invalid(ref e)) if e.get("kv_heads").is_some()));

    let sizes = submit(&app, "lidb-size", &raw(&[]), None).await.unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(sizes));
    let page = app.get(&format!("/demos/runs/{sizes}")).await;
    assert!(page.body.contains("19200"), "128 matrices x r(a+b) = 150");
    assert!(page.body.contains("600 байт на матрицу"), "4·r·(a+b) bytes");
    let catalogue = app.get("/demos").await;
    for id in ["ga-satf", "calibrated-ranking", "dlrm", "gqa-cache", "lidb-size"] {
        assert!(catalogue.body.contains(&format!("href=\"/demos/{id}\"")), "{id}");
    }
}

/// About `bytes` of valid data: 6,000 users walking items with ten-digit timestamps.
fn upload_csv_of_size(bytes: usize) -> String {
    let mut csv = String::from("user,item,timestamp\n");
    let mut step = 0;
    while csv.len() < bytes {
        for user in 0..6_000 {
            csv.push_str(&format!("{user},{},{}\n", (user + step) % 3_000, 1_700_000_000 + step));
        }
        step += 1;
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_of_three_and_twenty_megabytes_are_taken_whole() {
    let app = spawn_app().await;
    let params = [("params[positions]", "8")];
    for mib in [3, 20] {
        let csv = upload_csv_of_size(mib << 20);
        let uploaded =
            app.post_multipart("/demos/ga-satf/upload", "", &params, &[("data", "big.csv", csv.as_bytes())]).await;
        let location = uploaded.location.unwrap_or_default();
        assert!(location.starts_with("/demos/runs/"), "{mib} MiB: sent back to {location}");
        let stored: i32 = sqlx::query_scalar("SELECT interactions FROM demo_datasets ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(stored as usize, csv.lines().count() - 1, "{mib} MiB: every line kept");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_with_two_runs_waiting_is_told_when_to_come_back() {
    let app = spawn_app().await;
    let (ana, bob) = (paperclub_core::secrets::random_token(), paperclub_core::secrets::random_token());
    let first = submit(&app, "calibrated-ranking", &small("1"), Some(&ana)).await.unwrap();
    submit(&app, "calibrated-ranking", &small("2"), Some(&ana)).await.unwrap();
    let third = submit(&app, "calibrated-ranking", &small("3"), Some(&ana)).await;
    match third {
        Err(paperclub_core::Error::Invalid(errors)) => {
            assert!(
                matches!(errors.0.get("_form"), Some(Problem::QueueBusy { minutes }) if *minutes >= 1),
                "{errors:?}"
            )
        }
        other => panic!("a third run was queued: {other:?}"),
    }
    assert_eq!(
        submit(&app, "calibrated-ranking", &small("1"), Some(&ana)).await.unwrap(),
        first,
        "an identical request still joins"
    );
    assert!(submit(&app, "calibrated-ranking", &small("3"), Some(&bob)).await.is_ok(), "another visitor queues");
    // Once a run is done there is room again.
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(first));
    assert!(submit(&app, "calibrated-ranking", &small("3"), Some(&ana)).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_cannot_start_is_failed_with_the_reason_not_claimed_for_ever() {
    let app = spawn_app().await;
    let id = submit(&app, "calibrated-ranking", &small("1"), None).await.unwrap();
    // The demo it names is gone (renamed in a later version, say).
    sqlx::query("UPDATE demo_runs SET demo = 'retired-demo' WHERE id = $1").bind(id).execute(&app.pool).await.unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Failed(id));
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Nothing, "never claimed again");
    let run = demo_runs::get(&app.pool, id).await.unwrap();
    assert_eq!(run.status.code(), "failed");
    assert_eq!(run.stopped_because, Some(demo_runs::Stop::CouldNotStart));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_whose_worker_died_twice_is_failed_and_says_why() {
    let app = spawn_app().await;
    let id = submit(&app, "calibrated-ranking", &small("1"), None).await.unwrap();
    // Its worker claimed it and died: the lease lapsed.
    let lapse = |attempts: i32| {
        sqlx::query("UPDATE demo_runs SET status = 'running', attempts = $2, lease_until = $3 WHERE id = $1")
            .bind(id)
            .bind(attempts)
            .bind(app.clock.now() - chrono::Duration::seconds(1))
    };
    lapse(1).execute(&app.pool).await.unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Done(id), "a second attempt");
    sqlx::query("UPDATE demo_runs SET status = 'queued', result = NULL WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    lapse(2).execute(&app.pool).await.unwrap();
    assert_eq!(demo_runs::run_next(&app.pool, clock(&app)).await.unwrap(), Ran::Nothing, "no third attempt");
    let run = demo_runs::get(&app.pool, id).await.unwrap();
    assert_eq!(run.status.code(), "failed");
    assert_eq!(run.stopped_because, Some(demo_runs::Stop::WorkerDied));
    let page = app.get(&format!("/demos/runs/{id}")).await;
    assert!(page.body.contains("превысил память"), "the page says why");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_past_its_time_limit_is_stopped_and_failed_with_the_reason() {
    let app = spawn_app().await;
    let id = submit(&app, "calibrated-ranking", &small("1"), None).await.unwrap();
    let no_time = demo_runs::Limits { time_limit: std::time::Duration::ZERO, ..Default::default() };
    assert_eq!(demo_runs::run_next_within(&app.pool, clock(&app), no_time).await.unwrap(), Ran::Failed(id));
    let run = demo_runs::get(&app.pool, id).await.unwrap();
    assert_eq!(run.stopped_because, Some(demo_runs::Stop::TimeLimit));
    assert!(app.get(&format!("/demos/runs/{id}")).await.body.contains("дольше, чем отведено"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gqa_run_whose_cache_would_not_fit_in_memory_is_refused_on_its_field() {
    let app = spawn_app().await;
    let huge = raw(&[("model", "256"), ("heads", "8"), ("layers", "6"), ("decode_context", "131072")]);
    match submit(&app, "gqa-training", &huge, None).await {
        Err(paperclub_core::Error::Invalid(errors)) => assert!(
            matches!(
                errors.0.get("decode_context"),
                Some(Problem::OverMemoryBudget { need_mib: 1536, budget_mib: 1024 })
            ),
            "{errors:?}"
        ),
        other => panic!("queued: {other:?}"),
    }
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_runs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(runs, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_perceptron_calibration_at_its_largest_is_refused_next_to_its_steps_with_the_time_it_would_take() {
    let app = spawn_app().await;
    // Each field within its bounds; together about 700 times the defaults' minute.
    let fields = [
        ("demo", "calibrated-ranking"),
        ("params[days]", "14"),
        ("params[lists_per_day]", "2000"),
        ("params[items_per_list]", "50"),
        ("params[features]", "32"),
        ("params[hidden]", "32"),
        ("params[steps]", "5000"),
    ];
    let refused = app.call("/api/submit_demo", "", &fields).await;
    assert_eq!(refused.status, 200, "{}", refused.body);
    assert!(refused.body.contains(r#""steps":{"over_time_budget""#), "{}", refused.body);
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_runs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(runs, 0);
    // The same demo at the defaults' size with a perceptron is about a minute: it queues.
    let queued = app.call("/api/submit_demo", "", &[("demo", "calibrated-ranking"), ("params[hidden]", "16")]).await;
    assert!(queued.body.contains("Saved"), "{}", queued.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_refused_demo_form_comes_back_with_its_message_and_what_was_typed() {
    let app = spawn_app().await;
    let page = format!("{}/demos/calibrated-ranking", app.address);
    let fields = [
        ("demo", "calibrated-ranking"),
        ("params[hidden]", "32"),
        ("params[steps]", "5000"),
        ("params[lists_per_day]", "2000"),
    ];
    let refused = app.post_form_from(&page, "/api/submit_demo", "", &fields).await;
    assert_eq!(refused.status, 302);
    let back = refused.location.expect("back to the form");
    assert!(back.starts_with("/demos/calibrated-ranking?") && back.ends_with("#run"), "{back}");
    let shown = app.get(back.trim_end_matches("#run")).await.body.replace("<!>", "");
    assert!(shown.contains("Такой запуск займёт около"), "the message is on the page");
    for (name, typed) in [("steps", "5000"), ("lists_per_day", "2000")] {
        assert!(shown.contains(&format!(r#"name="params[{name}]" value="{typed}""#)), "{name} keeps {typed}");
    }
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_runs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(runs, 0);
}
