//! Core errors as HTTP answers, for the handlers outside Leptos.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub struct WebError(pub paperclub_core::Error);

impl From<paperclub_core::Error> for WebError {
    fn from(error: paperclub_core::Error) -> Self {
        WebError(error)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        use paperclub_core::Error;
        match self.0 {
            Error::NotFound => {
                (StatusCode::NOT_FOUND, "Not found. Check the address, or open the site's home page.\n").into_response()
            }
            Error::Invalid(errors) => {
                (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(serde_json::json!({ "errors": errors }))).into_response()
            }
            Error::Unauthenticated => (StatusCode::UNAUTHORIZED, "Sign in first.\n").into_response(),
            Error::Forbidden => (StatusCode::FORBIDDEN, "This needs an organiser account.\n").into_response(),
            Error::Database(error) => {
                tracing::error!(%error, "database error");
                (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again in a minute.\n")
                    .into_response()
            }
        }
    }
}
