//! The server side of the server functions: request context, the reader's
//! language, sessions and the mapping of core errors to answers. Compiled
//! only with `ssr`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::header::{ACCEPT, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use paperclub_core::accounts::sessions::SessionToken;
use paperclub_core::accounts::{Account, sessions};
use paperclub_core::clock::Clock;
use paperclub_core::events::queries::Viewer;
use paperclub_core::forms::Rejected;
use paperclub_core::lang::Lang;
use serde::de::DeserializeOwned;
use sqlx::PgPool;

use crate::failure::Failure;
use crate::replies::{FormReply, SeriesOption};

/// What the server functions need from the running server, provided by it
/// as Leptos context for every request.
#[derive(Clone)]
pub struct ServerContext {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    /// The site's public address without a trailing slash, e.g. `https://paperclub.example`.
    pub public_base_url: String,
    /// Mark cookies `Secure` (the site is served over https).
    pub secure_cookies: bool,
    /// Registrations per client address.
    pub registration_limit: Arc<paperclub_core::rate_limit::RateLimiter>,
    /// Demo runs asked for per client address (each can take a core for a while).
    pub demo_limit: Arc<paperclub_core::rate_limit::RateLimiter>,
    /// The bot's @username without the "@", for t.me deep links.
    pub telegram_bot_username: String,
}

/// The Content-Security-Policy of every answer: scripts only from this site
/// and, for the inline hydration script, the page's nonce; WebAssembly may be
/// compiled (`'wasm-unsafe-eval'`); styles from this site plus inline `style`
/// attributes (plot swatches); images from here or `data:` (the favicon, QR
/// codes); no plugins, no framing, forms and `<base>` only to this site.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; {scripts}; style-src 'self'; style-src-attr 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// What every page render gets: the server's context, a fresh nonce for its
/// inline scripts, and the policy that names that nonce.
pub fn provide_page_context(cx: ServerContext) {
    provide_context(cx);
    leptos::nonce::provide_nonce();
    let nonce = leptos::nonce::use_nonce();
    let policy = content_security_policy(nonce.as_ref().map(|nonce| nonce.as_inner().as_ref()));
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&policy)) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

pub fn context() -> Result<ServerContext, Failure> {
    use_context::<ServerContext>().ok_or(Failure::OurFault)
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The path of the page being rendered.
pub fn request_path() -> String {
    parts().map(|parts| parts.uri.path().to_owned()).unwrap_or_default()
}

fn cookie(name: &str) -> Option<String> {
    let parts = parts()?;
    let headers = parts.headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
    paperclub_core::cookies::find(headers, name).map(str::to_owned)
}

/// The reader's language: the `lang` cookie, else Russian.
pub fn lang() -> Lang {
    cookie(Lang::COOKIE).and_then(|code| Lang::parse(&code)).unwrap_or_default()
}

/// This browser's demo visitor token; with `create`, a new one is made and
/// set on the response when there is none yet.
pub fn demo_visitor(cx: &ServerContext, create: bool) -> Option<String> {
    use paperclub_core::demo_runs;
    let existing = parts().and_then(|parts| {
        let headers = parts.headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
        demo_runs::visitor_token(headers).map(str::to_owned)
    });
    if existing.is_some() || !create {
        return existing;
    }
    let token = paperclub_core::secrets::random_token();
    let cookie = demo_runs::visitor_cookie_header(&token, cx.secure_cookies);
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        response.append_header(SET_COOKIE, value);
    }
    Some(token)
}

pub fn session_token() -> Option<SessionToken> {
    cookie(sessions::COOKIE).and_then(|raw| SessionToken::parse(&raw))
}

/// The visitor's address as the limits count it (the peer, or behind a
/// trusted proxy the address it forwarded; IPv6 per /64), resolved once per
/// request by the server's `client_address` layer.
pub fn client_addr() -> String {
    parts()
        .and_then(|parts| parts.extensions.get::<paperclub_core::client_address::ClientAddr>().copied())
        .map_or_else(|| "unknown".to_owned(), |client| client.limit_key())
}

/// A browser's form post without JavaScript (as opposed to a `fetch` by the
/// hydrated page): it expects HTML, and so a redirect.
pub fn is_plain_form_post() -> bool {
    parts()
        .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

pub async fn account(cx: &ServerContext) -> Result<Option<(Account, SessionToken)>, Failure> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let account = respond(sessions::account(&cx.pool, &token, cx.clock.now()).await)?;
    Ok(account.map(|account| (account, token)))
}

pub async fn viewer(cx: &ServerContext) -> Result<Viewer, Failure> {
    Ok(match account(cx).await? {
        Some((account, _)) if account.is_organiser() => Viewer::Organiser,
        _ => Viewer::Public,
    })
}

/// The organiser making this request. Without a session the browser is sent
/// to the sign-in page and `None` comes back; other accounts are refused.
pub async fn require_organiser(cx: &ServerContext) -> Result<Option<(Account, SessionToken)>, Failure> {
    match account(cx).await? {
        Some((account, token)) if account.is_organiser() => Ok(Some((account, token))),
        Some(_) => Err(fail(Failure::OrganisersOnly)),
        None => {
            leptos_axum::redirect("/admin/sign-in");
            Ok(None)
        }
    }
}

/// Organisers or check-in staff (the door pages).
pub async fn require_staff(cx: &ServerContext) -> Result<Option<(Account, SessionToken)>, Failure> {
    match account(cx).await? {
        Some((account, token)) if account.is_staff() => Ok(Some((account, token))),
        Some(_) => Err(fail(Failure::StaffOnly)),
        None => {
            leptos_axum::redirect("/admin/sign-in");
            Ok(None)
        }
    }
}

fn is_server_fn_call() -> bool {
    parts().is_some_and(|parts| parts.uri.path().starts_with(crate::SERVER_FN_PREFIX))
}

/// Sets the response status, unless a redirect was already decided: a page
/// that sent the browser elsewhere renders nothing worth a status of its own.
pub fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        let redirecting = response
            .0
            .read()
            .map(|parts| {
                parts.status.is_some_and(|s| s.is_redirection())
                    || parts.headers.contains_key(axum::http::header::LOCATION)
            })
            .unwrap_or(false);
        if !redirecting {
            response.set_status(status);
        }
    }
}

pub fn set_session_cookie(cx: &ServerContext, token: Option<&SessionToken>) {
    let cookie = sessions::cookie_header(token, cx.secure_cookies);
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        response.append_header(SET_COOKIE, value);
    }
}

/// An error the reader cannot fix: logged with the request's span, answered
/// with an apology and no internals.
/// A failure to answer with, its status set on the response (see
/// [`Failure::status`]); every server function fails through here.
pub fn fail(failure: Failure) -> Failure {
    set_status(failure.status());
    failure
}

pub fn unexpected(error: paperclub_core::Error) -> Failure {
    tracing::error!(error = %error, details = ?error, "request failed");
    set_status(StatusCode::INTERNAL_SERVER_ERROR);
    Failure::OurFault
}

pub fn respond<T>(result: paperclub_core::error::Result<T>) -> Result<T, Failure> {
    result.map_err(unexpected)
}

/// `NotFound` becomes `Ok(None)` and a 404 status, so the page renders its
/// "not found" view with the right code.
pub fn found<T>(result: paperclub_core::error::Result<T>) -> Result<Option<T>, Failure> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(paperclub_core::Error::NotFound) => {
            // Only the page's own response says 404; a server-function call
            // from a hydrated page answers 200 with "nothing" and the page
            // shows its not-found view.
            if !is_server_fn_call() {
                set_status(StatusCode::NOT_FOUND);
            }
            Ok(None)
        }
        Err(other) => Err(unexpected(other)),
    }
}

pub async fn take_flash<T: DeserializeOwned>(cx: &ServerContext, token: &SessionToken) -> Result<Option<T>, Failure> {
    let flash = respond(sessions::take_flash(&cx.pool, token).await)?;
    Ok(flash.and_then(|value| serde_json::from_value(value).ok()))
}

/// Rebuilds a form struct from the values a rejected post kept.
pub fn refill<F: DeserializeOwned>(values: &BTreeMap<String, String>) -> Option<F> {
    serde_json::to_value(values).ok().and_then(|value| serde_json::from_value(value).ok())
}

/// Turns a save into the form's answer. Rejected input is kept in the session
/// for a post without JavaScript (it is redirected back and shows it again);
/// a saved one goes to `next`.
pub async fn form_outcome(
    cx: &ServerContext,
    token: &SessionToken,
    result: paperclub_core::error::Result<i64>,
    values: BTreeMap<String, String>,
    next: impl FnOnce(i64) -> String,
) -> Result<FormReply, Failure> {
    match result {
        Ok(id) => {
            leptos_axum::redirect(&next(id));
            Ok(FormReply::Saved { id })
        }
        Err(paperclub_core::Error::Invalid(errors)) => {
            let rejected = Rejected { errors, values };
            if is_plain_form_post() {
                let flash = serde_json::to_value(&rejected).map_err(|_| Failure::OurFault)?;
                respond(sessions::set_flash(&cx.pool, token, &flash).await)?;
            }
            Ok(FormReply::Rejected(rejected))
        }
        Err(paperclub_core::Error::NotFound) => Err(fail(Failure::Gone)),
        Err(other) => Err(unexpected(other)),
    }
}

pub async fn series_options(cx: &ServerContext) -> Result<Vec<SeriesOption>, Failure> {
    Ok(respond(paperclub_core::series::authoring::list(&cx.pool).await)?
        .into_iter()
        .map(|(id, title, time_zone)| SeriesOption { id, title, time_zone })
        .collect())
}
