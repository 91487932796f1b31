//! Waiting for a page's data, then showing it, its absence (404) or trouble.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::failure::Failure;
use crate::i18n::use_texts;
use crate::pages::not_found::NotFound;

pub type PageData<T> = Resource<Result<Option<T>, Failure>>;

/// Page data for a route with a numeric `:id`; an id that is not a number is "not found".
pub fn by_id<T, Fut>(load: impl Fn(i64) -> Fut + Copy + Send + Sync + 'static) -> PageData<T>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Option<T>, Failure>> + Send + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    Resource::new(
        move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()),
        move |id| async move {
            match id {
                Some(id) => load(id).await,
                None => Ok(None),
            }
        },
    )
}

/// The route's numeric `:id`, read on the server, for an island's props
/// (an island has no router in the browser); `None` when it is not a number.
pub fn route_id() -> Option<i64> {
    leptos_router::hooks::use_params_map().read_untracked().get("id").and_then(|id| id.parse().ok())
}

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
                        Err(failure) => view! { <Trouble failure/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Something could not be done; says what happened and what to do, in the
/// reader's language.
#[component]
pub fn Trouble(failure: Failure) -> impl IntoView {
    let text = crate::i18n::failure(use_texts(), &failure);
    view! { <p class="notice notice-error" role="alert" data-failure=format!("{failure:?}")>{text}</p> }
}
