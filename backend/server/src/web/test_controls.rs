//! Test-only controls, mounted only when `PAPERCLUB_TEST_CONTROLS=1`:
//! `POST /test/clock?seconds=N` moves the server's clock forward, then wakes
//! the delivery workers so what fell due goes out now.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::post;
use paperclub_core::clock::{Clock, OffsetClock};
use serde::Deserialize;
use sqlx::PgPool;

#[derive(Clone)]
struct Controls {
    clock: OffsetClock,
    pool: PgPool,
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

pub fn routes(clock: OffsetClock, pool: PgPool) -> Router {
    Router::new().route("/test/clock", post(advance)).with_state(Controls { clock, pool })
}

async fn advance(State(controls): State<Controls>, Query(advance): Query<Advance>) -> String {
    controls.clock.advance(chrono::Duration::seconds(advance.seconds.max(0)));
    let _ = sqlx::query("SELECT pg_notify('outbox', '')").execute(&controls.pool).await;
    controls.clock.now().to_rfc3339()
}
