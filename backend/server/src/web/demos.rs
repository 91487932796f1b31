//! The demo routes outside Leptos: uploading a data set to run a demo on
//! (a multipart form that works without JavaScript), and downloading the
//! data a run learned from.

use std::collections::BTreeMap;

use axum::extract::{Extension, Multipart, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use paperclub_core::client_address::ClientAddr;
use paperclub_core::demo_runs::{self, Request, datasets};
use paperclub_core::forms::{FieldErrors, Problem};

use super::AppState;
use super::error::WebError;

/// The body limit of an upload: the file's own limit plus room for the form.
pub const MAX_UPLOAD_BODY_BYTES: usize = paperclub_core::demo_runs::sequences::UPLOAD_MAX_BYTES + 64 * 1024;

/// Sends the browser back to the demo's upload form with the first problem.
fn back_with(demo: &str, field: &str, problem: &Problem) -> Response {
    let problem = serde_json::to_string(problem).unwrap_or_default();
    let query =
        serde_urlencoded::to_string([("upload_field", field), ("upload_problem", &problem)]).unwrap_or_default();
    (StatusCode::SEE_OTHER, [(LOCATION, format!("/demos/{demo}?{query}#upload"))]).into_response()
}

fn first_problem(errors: &FieldErrors) -> (String, Problem) {
    errors
        .0
        .iter()
        .next()
        .map(|(field, problem)| (field.clone(), problem.clone()))
        .unwrap_or_else(|| (datasets::FIELD.to_owned(), Problem::Required))
}

/// `POST /demos/{demo}/upload`: a `data` file plus `params[<name>]` fields.
/// Stores the data set, queues the run and goes to its page.
#[tracing::instrument(skip_all, fields(demo = %demo))]
pub async fn upload(
    State(state): State<AppState>,
    Path(demo): Path<String>,
    Extension(client): Extension<ClientAddr>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let cx = &state.server_context;
    let Some(spec) = demo_runs::registry::find(&demo).filter(|spec| spec.accepts_upload) else {
        return Err(WebError(paperclub_core::Error::NotFound));
    };
    if !cx.demo_limit.allow(&cx.pool, &client.limit_key(), cx.clock.now()).await? {
        return Ok(back_with(spec.id, FieldErrors::FORM, &Problem::TooManyRequests));
    }
    let mut data: Option<Vec<u8>> = None;
    let mut params = BTreeMap::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // A body over the limit, or a broken form.
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let max_mib = demo_runs::sequences::UPLOAD_MAX_BYTES >> 20;
                return Ok(back_with(spec.id, datasets::FIELD, &Problem::FileTooLarge { max_mib }));
            }
            Err(_) => return Ok(back_with(spec.id, datasets::FIELD, &Problem::Required)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(_) => {
                let max_mib = demo_runs::sequences::UPLOAD_MAX_BYTES >> 20;
                return Ok(back_with(spec.id, datasets::FIELD, &Problem::FileTooLarge { max_mib }));
            }
        };
        if name == datasets::FIELD {
            data = Some(bytes.to_vec());
        } else if let Some(param) = name.strip_prefix("params[").and_then(|rest| rest.strip_suffix(']')) {
            params.insert(param.to_owned(), String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    let Some(data) = data else { return Ok(back_with(spec.id, datasets::FIELD, &Problem::Required)) };
    let now = cx.clock.now();
    let dataset = match datasets::store(&cx.pool, &data, now).await {
        Ok(id) => id,
        Err(paperclub_core::Error::Invalid(errors)) => {
            let (field, problem) = first_problem(&errors);
            return Ok(back_with(spec.id, &field, &problem));
        }
        Err(other) => return Err(other.into()),
    };
    let cookies = headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
    let existing = demo_runs::visitor_token(cookies).map(str::to_owned);
    let visitor = existing.clone().unwrap_or_else(paperclub_core::secrets::random_token);
    let request = Request { demo: spec.id, raw: &params, dataset: Some(dataset), visitor: Some(&visitor) };
    let id = match demo_runs::submit(&cx.pool, request, now).await {
        Ok(id) => id,
        Err(paperclub_core::Error::Invalid(errors)) => {
            let (field, problem) = first_problem(&errors);
            return Ok(back_with(spec.id, &field, &problem));
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, format!("/demos/runs/{id}"))]).into_response();
    if existing.is_none()
        && let Ok(cookie) = HeaderValue::from_str(&demo_runs::visitor_cookie_header(&visitor, cx.secure_cookies))
    {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `GET /demos/runs/{id}/data.csv`: the data the run learned from, for whoever
/// started the run and for organisers.
pub async fn data_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError(paperclub_core::Error::NotFound))?;
    let viewer = demo_runs::Viewer {
        visitor: super::viewer::demo_visitor(&headers),
        organiser: super::viewer::is_organiser(&state, &headers).await?,
    };
    let csv = demo_runs::data_csv(&state.server_context.pool, id, viewer).await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"demo-run-{id}.csv\"")),
            // One person's data: never in a shared cache.
            (CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        csv,
    )
        .into_response())
}
