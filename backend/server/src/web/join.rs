//! `/join/{token}`: a registrant's personal door to the online meeting. It
//! redirects to the event's current link, so the link can change without
//! re-sending anything, and never shows the link to anyone else.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, LOCATION, REFERRER_POLICY};
use axum::response::{IntoResponse, Response};
use paperclub_core::registrations::{self, tokens::RegistrationToken};

use super::AppState;
use super::error::WebError;

pub async fn join(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let Some(token) = RegistrationToken::parse(&token) else {
        return Err(WebError(paperclub_core::Error::NotFound));
    };
    let cx = &state.server_context;
    match registrations::join_link(&cx.pool, &token, cx.clock.now()).await? {
        Some(url) => Ok((
            StatusCode::SEE_OTHER,
            [(LOCATION, url.as_str()), (CACHE_CONTROL, "no-store"), (REFERRER_POLICY, "no-referrer")],
        )
            .into_response()),
        None => Ok((
            StatusCode::NOT_FOUND,
            [(CACHE_CONTROL, "no-store")],
            format!(
                "There is no link to join yet, or this registration does not hold a seat. \
                 Open your registration page for details: /tickets/{}\n",
                token.as_str()
            ),
        )
            .into_response()),
    }
}
