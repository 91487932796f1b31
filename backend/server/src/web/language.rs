//! The language switch: a plain form post that sets the `lang` cookie and
//! goes back to the page it came from.

use axum::Form;
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use paperclub_core::lang::Lang;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Switch {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Only paths on this site: never `//elsewhere` or `https://elsewhere`.
fn safe_back(back: &str) -> &str {
    if paperclub_core::site_paths::is_local_path(back) && back.len() <= 2000 { back } else { "/" }
}

pub async fn switch(Form(form): Form<Switch>) -> Response {
    let Some(lang) = Lang::parse(&form.lang) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "Unknown language: choose ru or en.\n").into_response();
    };
    let cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", Lang::COOKIE, lang.code());
    (StatusCode::SEE_OTHER, [(SET_COOKIE, cookie), (LOCATION, safe_back(&form.back).to_owned())]).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn the_way_back_stays_on_this_site() {
        assert_eq!(safe_back("/events/3?x=1"), "/events/3?x=1");
        assert_eq!(safe_back("//evil.example/"), "/");
        assert_eq!(safe_back("https://evil.example/"), "/");
        assert_eq!(safe_back("/\\evil.example"), "/");
        // Browsers drop tabs and line breaks from addresses: these are `//evil`.
        assert_eq!(safe_back("/\t/evil.example"), "/");
        assert_eq!(safe_back("/\n/evil.example"), "/");
        assert_eq!(safe_back("/\r/evil.example"), "/");
    }
}
