//! Public pages as anonymous visitors see them, rendered once and served
//! from memory until something on them changes.
//!
//! A page is kept under its path, the reader's language, the site's content
//! version and the minute of the site's clock. The version is a row that a
//! trigger bumps in the same transaction as any change to what public pages
//! show (events, series, people, papers, programmes, questions, attached
//! demos; migration `site_version`), so the next request after a commit
//! renders afresh; an event's page also carries its own seat version, bumped
//! by every change to its registrations. The minute covers what changes with
//! time alone (registration closing at its deadline, an event moving from
//! upcoming to past). Reading the versions is one round trip, the cost of
//! `/healthz`.
//!
//! Only GET requests without a query and without a cookie other than the
//! language are served from here: a session, a ticket token or a form's
//! answer in the address always reach the page itself. Each answer gets a
//! fresh CSP nonce: the stored page holds a placeholder where the nonce was.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use paperclub_core::clock::Clock;
use paperclub_core::lang::Lang;
use sqlx::PgPool;

/// Stands where a page's nonce was; never occurs in a rendered page.
const NONCE_PLACEHOLDER: &str = "\u{1}nonce\u{1}";

/// More pages than the site has, with room to spare; when full, it starts over.
const MAX_PAGES: usize = 4096;

/// Pages are tens of kilobytes; a larger answer is passed on, not kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    lang: Option<Lang>,
    version: i64,
    seats: i64,
    minute: i64,
}

struct Stored {
    headers: HeaderMap,
    /// The page with `NONCE_PLACEHOLDER` for its nonce.
    body: String,
}

#[derive(Clone)]
pub struct PageCache {
    pool: PgPool,
    clock: Arc<dyn Clock>,
    pages: Arc<Mutex<HashMap<Key, Arc<Stored>>>>,
}

impl PageCache {
    pub fn new(pool: PgPool, clock: Arc<dyn Clock>) -> PageCache {
        PageCache { pool, clock, pages: Arc::default() }
    }
}

/// The public pages: the home page, events, series, people and papers.
fn cacheable_path(path: &str) -> bool {
    path == "/"
        || ["/events/", "/series/", "/people/", "/papers/"]
            .iter()
            .any(|prefix| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/')))
}

/// The reader's language when the request carries no cookie but that one;
/// `None` inside means no cookie at all. `Err` when another cookie is there.
fn only_language(request: &Request) -> Result<Option<Lang>, ()> {
    let mut lang = None;
    for header in request.headers().get_all(COOKIE) {
        for pair in header.to_str().map_err(|_| ())?.split(';') {
            let (name, value) = pair.trim().split_once('=').ok_or(())?;
            if name != Lang::COOKIE {
                return Err(());
            }
            lang = Some(Lang::parse(value).ok_or(())?);
        }
    }
    Ok(lang)
}

pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let eligible =
        request.method() == Method::GET && request.uri().query().is_none() && cacheable_path(request.uri().path());
    let lang = match only_language(&request) {
        Ok(lang) if eligible => lang,
        _ => return next.run(request).await,
    };
    let event = request.uri().path().strip_prefix("/events/").and_then(|id| id.parse::<i64>().ok());
    let versions = sqlx::query_as::<_, (i64, i64)>(
        "SELECT version, coalesce((SELECT version FROM event_seat_versions WHERE event_id = $1), 0)
         FROM site_version",
    )
    .bind(event)
    .fetch_one(&cache.pool)
    .await;
    let (version, seats) = match versions {
        Ok(versions) => versions,
        // Without the version nothing can be trusted: render.
        Err(error) => {
            tracing::warn!(%error, "the site's version could not be read; rendering");
            return next.run(request).await;
        }
    };
    let minute = cache.clock.now().timestamp() / 60;
    let key = Key { path: request.uri().path().to_owned(), lang, version, seats, minute };
    let found = cache.pages.lock().expect("page cache").get(&key).cloned();
    if let Some(stored) = found {
        return answer(&stored);
    }
    let response = next.run(request).await;
    let storable = response.status() == StatusCode::OK
        && !response.headers().contains_key(SET_COOKIE)
        && response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !storable {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        tracing::error!("a page could not be read whole for the page cache");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let nonce = parts
        .headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|csp| csp.to_str().ok())
        .and_then(super::revalidation::nonce_of)
        .map(str::to_owned);
    if let (Some(nonce), Ok(text)) = (nonce, std::str::from_utf8(&bytes)) {
        let mut headers = parts.headers.clone();
        // The body's length changes with its nonce; the server counts it anew.
        headers.remove(axum::http::header::CONTENT_LENGTH);
        let stored = Stored { headers, body: text.replace(&nonce, NONCE_PLACEHOLDER) };
        let mut pages = cache.pages.lock().expect("page cache");
        if pages.len() >= MAX_PAGES || pages.keys().next().is_some_and(|k| k.version != version) {
            pages.clear();
        }
        pages.insert(key, Arc::new(stored));
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The stored page with a nonce of its own.
fn answer(stored: &Stored) -> Response {
    let nonce = paperclub_core::secrets::random_token();
    let mut response = Response::new(Body::from(stored.body.replace(NONCE_PLACEHOLDER, &nonce)));
    *response.headers_mut() = stored.headers.clone();
    let policy = paperclub_frontend::server::content_security_policy(Some(&nonce));
    response.headers_mut().insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).expect("ASCII policy"));
    response
}

#[cfg(test)]
mod tests {
    use super::cacheable_path;

    #[test]
    fn only_the_public_pages_are_kept() {
        for path in ["/", "/events/3", "/series/ok-tech-talk", "/people/7", "/papers/2"] {
            assert!(cacheable_path(path), "{path}");
        }
        for path in
            ["/me", "/tickets/abc", "/admin", "/events/3/calendar.ics", "/events/", "/demos/runs/1", "/api/load_event"]
        {
            assert!(!cacheable_path(path), "{path}");
        }
    }
}
