//! The few pages served outside Leptos (they must work from a mail app's
//! browser before anything else loads): one shell, the site's stylesheet.

use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use paperclub_core::lang::Lang;

/// `body` is HTML the caller built from catalogue words and escaped values.
pub fn page(status: StatusCode, lang: Lang, body: &str) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-store")],
        format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
             <meta name=\"referrer\" content=\"no-referrer\">\
             <link rel=\"stylesheet\" href=\"/pkg/paperclub.css\"><title>paperclub</title></head>\
             <body><main class=\"wrap narrow\">{body}</main></body></html>",
            lang.code()
        ),
    )
        .into_response()
}
