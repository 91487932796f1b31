//! What a form's server function answered, for the page that posted it:
//! the problems to show next to the fields, or what went wrong.

use leptos::prelude::*;
use paperclub_core::forms::FieldErrors;

use crate::api::FormReply;
use crate::components::loaded::Trouble;
use crate::failure::Failure;

type Answer = Option<Result<FormReply, Failure>>;

/// The problems to show: the action's last answer (a post made with
/// JavaScript), else `fallback` (a post made without it, read back from the
/// session by the page's data).
pub fn problems_of(answer: MappedSignal<Answer>, fallback: FieldErrors) -> Signal<FieldErrors> {
    Signal::derive(move || match answer.get() {
        Some(Ok(FormReply::Rejected(rejected))) => rejected.errors,
        Some(_) => FieldErrors::new(),
        None => fallback.clone(),
    })
}

/// A failed call (not a rejected form): says what happened.
#[component]
pub fn ActionTrouble<T>(answer: MappedSignal<Option<Result<T, Failure>>>) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    move || match answer.get() {
        Some(Err(failure)) => Some(view! { <Trouble failure/> }),
        _ => None,
    }
}
