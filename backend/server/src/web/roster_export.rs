//! `/admin/events/{id}/registrations.csv`: the registrations for organisers'
//! spreadsheets. Only for a signed-in organiser.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use paperclub_core::registrations::roster;

use super::AppState;
use super::error::WebError;

pub async fn export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if !super::viewer::is_organiser(&state, &headers).await? {
        return Ok((StatusCode::SEE_OTHER, [(LOCATION, "/admin/sign-in")]).into_response());
    }
    let id: i64 = id.parse().map_err(|_| WebError(paperclub_core::Error::NotFound))?;
    let entries = roster::list(&state.server_context.pool, id).await?;
    let questions = paperclub_core::registrations::questions::of_event(&state.server_context.pool, id).await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"registrations-{id}.csv\"")),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        roster::to_csv(&entries, &questions),
    )
        .into_response())
}
