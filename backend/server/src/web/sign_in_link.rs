//! `/sign-in/{token}`: a member's one-time link from their e-mail. Opening it
//! shows whose account it signs into and a button; only the button's POST
//! uses the link, starts a session and goes to their registrations. Mail
//! scanners that open every link change nothing, and a link someone forwarded
//! shows the reader an address that is not theirs before anything happens.

use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use paperclub_core::accounts::links::{self, Redeemed};
use paperclub_core::accounts::sessions;
use paperclub_core::channel_posts::html::escape;
use paperclub_core::lang::Lang;
use paperclub_core::words::words;

use super::AppState;
use super::error::WebError;
use super::plain_page::page;

fn gone(lang: Lang) -> Response {
    let w = &words(lang).site;
    page(
        StatusCode::GONE,
        lang,
        &format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"/me\">{}</a></p>",
            w.sign_in_link_title, w.sign_in_link_gone, w.sign_in_link_ask_again
        ),
    )
}

pub async fn ask(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let cx = &state.server_context;
    let lang = super::viewer::lang(&headers);
    let Some(email) = links::pending(&cx.pool, &token, cx.clock.now()).await? else { return Ok(gone(lang)) };
    let w = &words(lang).site;
    Ok(page(
        StatusCode::OK,
        lang,
        &format!(
            "<h1>{}</h1><p>{} <strong>{}</strong></p>\
             <form method=\"post\" action=\"/sign-in/{}\"><button class=\"button primary\" type=\"submit\">{}</button></form>\
             <p class=\"muted\">{}</p>",
            w.sign_in_link_title,
            w.sign_in_link_question,
            escape(&email),
            escape(&token),
            w.sign_in_link_button,
            w.sign_in_link_not_you,
        ),
    ))
}

pub async fn redeem(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let cx = &state.server_context;
    let lang = super::viewer::lang(&headers);
    let now = cx.clock.now();
    match links::redeem(&cx.pool, &token, now).await? {
        Redeemed::SignedIn(account) => {
            let session = sessions::start(&cx.pool, account.id, now).await?;
            let cookie = sessions::cookie_header(Some(&session), cx.secure_cookies);
            Ok((StatusCode::SEE_OTHER, [(SET_COOKIE, cookie), (LOCATION, "/me".to_owned())]).into_response())
        }
        Redeemed::Gone => Ok(gone(lang)),
        Redeemed::StaffUsePassword => {
            let w = &words(lang).site;
            Ok(page(
                StatusCode::FORBIDDEN,
                lang,
                &format!(
                    "<h1>{}</h1><p>{}</p><p><a class=\"button primary\" href=\"/admin/sign-in\">{}</a></p>",
                    w.sign_in_link_title, w.sign_in_link_staff, w.sign_in
                ),
            ))
        }
    }
}
