use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_texts;

/// The 404 page. Rendering it on the server sets the status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::set_status(axum::http::StatusCode::NOT_FOUND);
    let t = use_texts();
    view! {
        <Title text=t.not_found_title/>
        <section class="not-found">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}</p>
            <p><a href="/">{t.back_home}</a></p>
        </section>
    }
}
