use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use paperclub_core::forms::{FieldErrors, Problem};

use crate::api::SignIn;
use crate::components::action_answer::{ActionTrouble, problems_of};
use crate::components::form::{FormProblems, TextField};
use crate::i18n::use_texts;

#[component]
pub fn SignInView() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    // After a post without JavaScript the problem comes back in the address.
    let from_address = match query.read_untracked().get("problem").as_deref().map(Problem::from_address_code) {
        Some(Some(Problem::BadEmail)) => FieldErrors::single("email", Problem::BadEmail),
        Some(problem) => FieldErrors::single(FieldErrors::FORM, problem.unwrap_or(Problem::Required)),
        None => FieldErrors::new(),
    };
    view! {
        <Title text=t.sign_in/>
        <SignInForm from_address/>
    }
}

#[island]
fn SignInForm(from_address: FieldErrors) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignIn>::new();
    let problems = problems_of(action.value(), from_address);
    view! {
        <section class="narrow">
            <h1>{t.sign_in}</h1>
            <FormProblems problems/>
            <ActionTrouble answer=action.value()/>
            <ActionForm action>
                <TextField name="email" form_name="email".to_owned() label=t.email value=String::new() kind="email" required=true problems/>
                <TextField name="password" form_name="password".to_owned() label=t.password value=String::new() kind="password" required=true problems/>
                <button type="submit" class="button primary">{t.sign_in}</button>
            </ActionForm>
        </section>
    }
}
