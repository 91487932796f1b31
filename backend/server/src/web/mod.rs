//! The HTTP edge outside Leptos: calendar files, health, the language switch,
//! the cross-site post guard, request tracing, and the one place core errors
//! become HTTP answers.

pub mod calendar;
pub mod citations;
pub mod client_address;
pub mod cross_site;
pub mod demos;
pub mod error;
pub mod health;
pub mod join;
pub mod language;
pub mod page_cache;
pub mod plain_page;
pub mod revalidation;
pub mod roster_export;
pub mod security_headers;
pub mod sign_in_link;
pub mod telegram_webhook;
pub mod test_controls;
pub mod unsubscribe;
pub mod viewer;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{MethodRouter, get, post};
use leptos::config::LeptosOptions;
use paperclub_frontend::server::ServerContext;
use tower_http::trace::TraceLayer;

use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub server_context: ServerContext,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The routes outside Leptos, by path. The authorisation test walks this
/// list (with Leptos's pages and server functions): a route added here
/// without a line in its table fails it.
pub fn edge_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(health::healthz)),
        ("/calendar.ics", get(calendar::all)),
        ("/series/{slug}/calendar.ics", get(calendar::series)),
        ("/events/{id}/calendar.ics", get(calendar::event)),
        ("/feed.atom", get(calendar::feed_all)),
        ("/series/{slug}/feed.atom", get(calendar::feed_series)),
        ("/papers/{id}/cite.bib", get(citations::paper)),
        ("/series/{slug}/papers.bib", get(citations::series)),
        ("/lang", post(language::switch)),
        ("/join/{token}", get(join::join)),
        ("/sign-in/{token}", get(sign_in_link::ask).post(sign_in_link::redeem)),
        ("/unsubscribe/{token}", get(unsubscribe::confirm).post(unsubscribe::stop)),
        ("/admin/events/{id}/registrations.csv", get(roster_export::export)),
        ("/demos/runs/{id}/data.csv", get(demos::data_csv)),
        (UPLOAD_PATH, post(demos::upload)),
    ]
}

/// Where a visitor's data set is posted; it takes a large body.
pub const UPLOAD_PATH: &str = "/demos/{demo}/upload";

pub fn routes() -> Router<AppState> {
    edge_routes()
        .into_iter()
        .filter(|(path, _)| *path != UPLOAD_PATH)
        .fold(Router::new(), |router, (path, method)| router.route(path, method))
}

/// Routes that take large bodies (a visitor's data set), with a limit of their own.
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route(UPLOAD_PATH, post(demos::upload))
        // axum's extractors stop at 2 MB of their own accord (`DefaultBodyLimit`),
        // far below the 24 MiB a data set may have: one limit, the advertised one.
        .layer(axum::extract::DefaultBodyLimit::max(demos::MAX_UPLOAD_BODY_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(demos::MAX_UPLOAD_BODY_BYTES))
}

/// A request's path as logs may keep it: a segment that looks like a secret
/// (tickets, sign-in links, unsubscribe and join addresses carry one; 20 or
/// more URL-safe characters with a digit) is replaced, so a log shipped
/// anywhere cannot be used to open someone's ticket.
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let secret = segment.len() >= 20
                && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && segment.bytes().any(|b| b.is_ascii_digit());
            if secret { "{token}" } else { segment }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The largest request body accepted: forms are small; anything bigger is refused with 413.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Every route of the process, in the layers every request passes: a
/// tracing span for all; the cross-site guard for all but Telegram's webhook
/// (no browser sends it; it proves itself with its secret); a body limit for
/// all (the uploads and the webhook bring their own).
pub struct Routes {
    /// The site: Leptos pages, server functions and the routes above.
    pub site: Router,
    /// Large bodies: a visitor's data set.
    pub uploads: Router,
    /// `POST /test/clock`, only with `PAPERCLUB_TEST_CONTROLS=1`.
    pub test_controls: Option<Router>,
    pub webhook: Option<Router>,
    /// Public pages as anonymous visitors see them.
    pub page_cache: page_cache::PageCache,
}

pub fn with_layers(routes: Routes, settings: &Settings) -> Router {
    let guard = cross_site::Guard::new(&settings.public_base_url);
    let mut guarded = routes.site;
    if let Some(test_controls) = routes.test_controls {
        guarded = guarded.merge(test_controls);
    }
    let mut router = guarded
        .layer(axum::middleware::from_fn_with_state(routes.page_cache, page_cache::serve))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(routes.uploads)
        .layer(axum::middleware::from_fn_with_state(guard, cross_site::reject_cross_site_posts));
    if let Some(webhook) = routes.webhook {
        router = router.merge(webhook);
    }
    router
        // Pages, calendars and CSVs in brotli or gzip, as the browser asks; the
        // static files come precompressed and pass through untouched.
        .layer(axum::middleware::from_fn(revalidation::revalidate))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            security_headers::Policy::new(&settings.public_base_url),
            security_headers::add,
        ))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(settings.trusted_proxies.clone()),
            client_address::resolve,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                tracing::info_span!("request", method = %request.method(), path = %loggable_path(request.uri().path()))
            }),
        )
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn secrets_in_paths_stay_out_of_logs() {
        let token = "ac8d9eb375575854b168bf1525b63e15df3fb81e0a4b5f30ee4480b70d771cab";
        assert_eq!(loggable_path(&format!("/tickets/{token}")), "/tickets/{token}");
        assert_eq!(loggable_path(&format!("/sign-in/{token}")), "/sign-in/{token}");
        assert_eq!(loggable_path("/events/3/calendar.ics"), "/events/3/calendar.ics");
        assert_eq!(loggable_path("/series/ok-tech-talk-reading-group"), "/series/ok-tech-talk-reading-group");
    }
}
