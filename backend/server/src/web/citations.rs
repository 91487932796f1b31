//! BibTeX files: one paper's entry, and a series' reading list.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use paperclub_core::papers::bibtex;

use super::AppState;
use super::error::WebError;

fn bib(body: String) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/x-bibtex; charset=utf-8"), (CACHE_CONTROL, "public, max-age=300")], body)
}

pub async fn paper(State(state): State<AppState>, Path(id): Path<String>) -> Result<impl IntoResponse, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError(paperclub_core::Error::NotFound))?;
    Ok(bib(bibtex::of_paper(&state.server_context.pool, id).await?))
}

pub async fn series(State(state): State<AppState>, Path(slug): Path<String>) -> Result<impl IntoResponse, WebError> {
    Ok(bib(bibtex::of_series(&state.server_context.pool, &slug).await?))
}
