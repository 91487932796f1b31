use leptos::prelude::*;
use leptos_meta::Title;
use paperclub_core::forms::FieldErrors;

use crate::api::SignIn;
use crate::components::action_answer::{ActionTrouble, problems_of};
use crate::components::form::{FormProblems, TextField};
use crate::i18n::use_texts;

#[component]
pub fn SignInView() -> impl IntoView {
    let t = use_texts();
    // After a post without JavaScript the problem comes back in the address.
    let from_address = crate::refusal_in_address::in_address();
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
