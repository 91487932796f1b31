use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;

/// 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.server_context.pool).await {
        Ok(_) => (StatusCode::OK, "ok\n"),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
        }
    }
}
