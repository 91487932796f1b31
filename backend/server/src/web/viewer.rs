//! Who sent a request that reached a route outside Leptos: the account behind
//! its session cookie, and the demo visitor token of its browser.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use paperclub_core::accounts::sessions::{self, SessionToken};
use paperclub_core::demo_runs;

use super::AppState;
use super::error::WebError;

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok())
}

/// Whether the request comes from a signed-in organiser.
pub async fn is_organiser(state: &AppState, headers: &HeaderMap) -> Result<bool, WebError> {
    let token = paperclub_core::cookies::find(cookies(headers), sessions::COOKIE).and_then(SessionToken::parse);
    let Some(token) = token else { return Ok(false) };
    let cx = &state.server_context;
    let account = sessions::account(&cx.pool, &token, cx.clock.now()).await?;
    Ok(account.is_some_and(|account| account.is_organiser()))
}

/// The demo visitor token the browser carries, if any.
pub fn demo_visitor(headers: &HeaderMap) -> Option<&str> {
    demo_runs::visitor_token(cookies(headers))
}

/// The reader's language from the `lang` cookie; Russian by default, like the channel.
pub fn lang(headers: &HeaderMap) -> paperclub_core::lang::Lang {
    paperclub_core::cookies::find(cookies(headers), paperclub_core::lang::Lang::COOKIE)
        .and_then(paperclub_core::lang::Lang::parse)
        .unwrap_or(paperclub_core::lang::Lang::Ru)
}
