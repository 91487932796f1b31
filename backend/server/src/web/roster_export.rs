//! `/admin/events/{id}/registrations.csv`: the registrations for organisers'
//! spreadsheets. Only for a signed-in organiser.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use paperclub_core::accounts::sessions::{self, SessionToken};
use paperclub_core::registrations::roster;

use super::AppState;
use super::error::WebError;

/// The organiser behind the request's session cookie, if any.
async fn organiser(state: &AppState, headers: &HeaderMap) -> Result<bool, WebError> {
    let cookies = headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
    let token = paperclub_core::cookies::find(cookies, sessions::COOKIE).and_then(SessionToken::parse);
    let Some(token) = token else { return Ok(false) };
    let cx = &state.server_context;
    let account = sessions::account(&cx.pool, &token, cx.clock.now()).await?;
    Ok(account.is_some_and(|account| account.is_organiser()))
}

pub async fn export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if !organiser(&state, &headers).await? {
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
