//! `/unsubscribe/{token}`: the reminder e-mail's `List-Unsubscribe` address.
//! A POST (the mail app's one-click button, RFC 8058, or the form below)
//! turns the reminder off; a GET only shows that form, so link scanners that
//! open every URL change nothing.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use paperclub_core::registrations::{self, tokens::RegistrationToken};

use super::AppState;
use super::error::WebError;

fn page(body: &str) -> Response {
    (
        [(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-store")],
        format!(
            "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
             <link rel=\"stylesheet\" href=\"/pkg/paperclub.css\"><title>paperclub</title></head>\
             <body><main class=\"wrap narrow\">{body}</main></body></html>"
        ),
    )
        .into_response()
}

fn token(raw: &str) -> Result<RegistrationToken, WebError> {
    RegistrationToken::parse(raw).ok_or(WebError(paperclub_core::Error::NotFound))
}

pub async fn confirm(Path(raw): Path<String>) -> Result<Response, WebError> {
    let token = token(&raw)?;
    Ok(page(&format!(
        "<h1>Напоминания · Reminders</h1>\
         <p>Не присылать напоминание накануне события? Регистрация останется в силе.</p>\
         <p lang=\"en\">Stop the day-before reminder? Your registration stays.</p>\
         <form method=\"post\" action=\"/unsubscribe/{}\"><button class=\"button primary\" type=\"submit\">\
         Не присылать · Stop reminders</button></form>",
        token.as_str()
    )))
}

pub async fn stop(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, WebError> {
    let token = token(&raw)?;
    registrations::stop_reminders(&state.server_context.pool, &token).await?;
    Ok((
        StatusCode::OK,
        page("<h1>Готово · Done</h1><p>Напоминаний больше не будет.</p><p lang=\"en\">No more reminders for this event.</p>"),
    )
        .into_response())
}
