//! `.ics` files for one event, one series, or everything public, and the
//! Atom feeds of everything and of a series.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use paperclub_core::calendar::{self, Scope};
use paperclub_core::feeds::{self, FeedScope};
use paperclub_core::lang::Lang;

use super::AppState;
use super::error::WebError;

async fn render(state: &AppState, scope: Scope, name: &str) -> Result<impl IntoResponse + use<>, WebError> {
    let cx = &state.server_context;
    let entries = calendar::entries(&cx.pool, &scope).await?;
    let body = calendar::render(name, &entries, &cx.public_base_url);
    Ok(([(CONTENT_TYPE, "text/calendar; charset=utf-8"), (CACHE_CONTROL, "public, max-age=300")], body))
}

pub async fn all(State(state): State<AppState>) -> Result<impl IntoResponse, WebError> {
    render(&state, Scope::All, "paperclub").await
}

pub async fn series(State(state): State<AppState>, Path(slug): Path<String>) -> Result<impl IntoResponse, WebError> {
    let name = format!("paperclub: {slug}");
    render(&state, Scope::Series(slug), &name).await
}

async fn feed(state: &AppState, scope: FeedScope) -> Result<impl IntoResponse + use<>, WebError> {
    let cx = &state.server_context;
    let body = feeds::atom(&cx.pool, &scope, &cx.public_base_url, Lang::default()).await?;
    Ok(([(CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (CACHE_CONTROL, "public, max-age=300")], body))
}

pub async fn feed_all(State(state): State<AppState>) -> Result<impl IntoResponse, WebError> {
    feed(&state, FeedScope::All).await
}

pub async fn feed_series(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, WebError> {
    feed(&state, FeedScope::Series(slug)).await
}

pub async fn event(State(state): State<AppState>, Path(id): Path<String>) -> Result<impl IntoResponse, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError(paperclub_core::Error::NotFound))?;
    render(&state, Scope::Event(id), "paperclub").await
}
