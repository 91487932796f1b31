//! `/unsubscribe/{token}`: the reminder e-mail's `List-Unsubscribe` address.
//! A POST (the mail app's one-click button, RFC 8058, or the form below)
//! turns the reminder off; a GET only shows that form, so link scanners that
//! open every URL change nothing.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use paperclub_core::lang::Lang;
use paperclub_core::registrations::{self, tokens::RegistrationToken};
use paperclub_core::words::words;

use super::AppState;
use super::error::WebError;
use super::plain_page::page;

fn token(raw: &str) -> Result<RegistrationToken, WebError> {
    RegistrationToken::parse(raw).ok_or(WebError(paperclub_core::Error::NotFound))
}

pub async fn confirm(Path(raw): Path<String>) -> Result<Response, WebError> {
    let token = token(&raw)?;
    let (ru, en) = (&words(Lang::Ru).site, &words(Lang::En).site);
    Ok(page(
        StatusCode::OK,
        Lang::Ru,
        &format!(
            "<h1>{} · {}</h1><p>{}</p><p lang=\"en\">{}</p>\
         <form method=\"post\" action=\"/unsubscribe/{}\"><button class=\"button primary\" type=\"submit\">\
         {} · {}</button></form>",
            ru.unsubscribe_title,
            en.unsubscribe_title,
            ru.unsubscribe_question,
            en.unsubscribe_question,
            token.as_str(),
            ru.unsubscribe_button,
            en.unsubscribe_button,
        ),
    ))
}

pub async fn stop(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, WebError> {
    let token = token(&raw)?;
    let cx = &state.server_context;
    registrations::stop_reminders(&cx.pool, &token, cx.clock.now()).await?;
    let (ru, en) = (&words(Lang::Ru).site, &words(Lang::En).site);
    Ok(page(
        StatusCode::OK,
        Lang::Ru,
        &format!(
            "<h1>{} · {}</h1><p>{}</p><p lang=\"en\">{}</p>",
            ru.unsubscribed_title, en.unsubscribed_title, ru.unsubscribed_text, en.unsubscribed_text
        ),
    ))
}
