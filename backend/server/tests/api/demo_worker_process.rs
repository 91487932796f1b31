//! The demo worker as its own process (`paperclub demo-worker`), killed by
//! its memory limit while the web server keeps answering.

use std::collections::BTreeMap;

use paperclub_core::clock::Clock;
use paperclub_core::demo_runs::{self, Request, Stop};

use crate::helpers::{TestApp, spawn_app};

/// `paperclub demo-worker --once` against the test's database, its memory
/// capped at `memory_mb`; a lease of 0 s makes a dead worker's run claimable
/// at once (there is no other worker here to steal it from).
fn worker_once(app: &TestApp, memory_mb: u32) -> std::process::ExitStatus {
    std::process::Command::new(env!("CARGO_BIN_EXE_paperclub"))
        .args(["demo-worker", "--once"])
        .env("DATABASE_URL", &app.database_url)
        .env("DEMO_MEMORY_LIMIT_MB", memory_mb.to_string())
        .env("DEMO_LEASE_SECONDS", "0")
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the worker starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_too_big_for_the_memory_limit_kills_only_its_worker_twice_then_fails() {
    let app = spawn_app().await;
    // A key-value cache of 131,072 positions, 768 MiB: within the budget the
    // form checks against (half of the default 2 GiB), far over this worker's 200 MB.
    let raw: BTreeMap<String, String> = [
        ("steps", "10"),
        ("uptrain_steps", "0"),
        ("batch", "1"),
        ("model", "256"),
        ("heads", "8"),
        ("layers", "3"),
        ("decode_context", "131072"),
        ("decode_tokens", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let request = Request { demo: "gqa-training", raw: &raw, dataset: None, visitor: None };
    let id = demo_runs::submit(&app.pool, request, app.clock.now()).await.unwrap();

    for attempt in 1..=2 {
        let status = tokio::task::block_in_place(|| worker_once(&app, 200));
        assert!(!status.success(), "attempt {attempt}: the worker should die at its limit, got {status:?}");
        // The web server never noticed.
        assert_eq!(app.get("/healthz").await.status, 200);
        let run = demo_runs::get(&app.pool, id).await.unwrap();
        assert_eq!((run.status.code(), run.attempts), ("running", attempt));
    }
    // The third worker finds a run that killed two: it fails it and moves on.
    assert!(tokio::task::block_in_place(|| worker_once(&app, 200)).success());
    let run = demo_runs::get(&app.pool, id).await.unwrap();
    assert_eq!(run.status.code(), "failed");
    assert_eq!(run.stopped_because, Some(Stop::WorkerDied));
    assert!(app.get(&format!("/demos/runs/{id}")).await.body.contains("превысил память"));
}
