//! Waiting for a page's data, then showing it, its absence (404) or trouble.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::i18n::use_texts;
use crate::pages::not_found::NotFound;

pub type PageData<T> = Resource<Result<Option<T>, ServerFnError>>;

#[component]
pub fn Loaded<T, F, V>(data: PageData<T>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let t = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="loading" aria-live="polite">{t.loading}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(Some(value)) => render(value).into_any(),
                        Ok(None) => view! { <NotFound/> }.into_any(),
                        Err(error) => view! { <Trouble message=error.to_string()/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Something failed on the server; says so and what to do.
#[component]
pub fn Trouble(message: String) -> impl IntoView {
    let t = use_texts();
    // Our own messages are written for readers; anything else gets the apology.
    let text = if message.contains("Sign in") || message.contains("organisers") {
        message
    } else {
        t.server_trouble.to_owned()
    };
    view! { <p class="notice notice-error" role="alert">{text}</p> }
}
