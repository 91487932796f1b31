//! `/sign-in/{token}`: a member's one-time link from their e-mail. It starts
//! a session and goes to their registrations.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use paperclub_core::accounts::{links, sessions};

use super::AppState;
use super::error::WebError;

pub async fn redeem(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let cx = &state.server_context;
    let now = cx.clock.now();
    match links::redeem(&cx.pool, &token, now).await {
        Ok(account) => {
            let session = sessions::start(&cx.pool, account.id, now).await?;
            let cookie = sessions::cookie_header(Some(&session), cx.secure_cookies);
            Ok((StatusCode::SEE_OTHER, [(SET_COOKIE, cookie), (LOCATION, "/me".to_owned())]).into_response())
        }
        Err(paperclub_core::Error::NotFound) => Ok((
            StatusCode::GONE,
            [(CACHE_CONTROL, "no-store")],
            "This sign-in link has expired or was already used. Ask for a new one at /me.\n",
        )
            .into_response()),
        Err(other) => Err(other.into()),
    }
}
