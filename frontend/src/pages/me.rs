//! A member's own page: sign in by e-mail link, then see every registration
//! made with that address, each with its ticket page (where it can be cancelled).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use paperclub_core::forms::FieldErrors;

use crate::api::{FormReply, LinkTelegram, RequestSignInLink, SignOut, load_my_page};
use crate::components::action_answer::{ActionTrouble, problems_of};
use crate::components::form::{FormProblems, TextField};
use crate::components::local_time::LocalTimeView;
use crate::i18n::use_texts;

#[component]
pub fn MyView() -> impl IntoView {
    let t = use_texts();
    // A link request posted without JavaScript comes back in the address.
    let (sent, problems) = use_query_map().with_untracked(|q| {
        let problems = crate::refusal_in_address::from_query(q.get("field").as_deref(), q.get("problem").as_deref());
        (q.get("sent").is_some(), problems)
    });
    view! {
        <Title text=t.my_title/>
        <MyPage sent problems/>
    }
}

/// The member's registrations, or the form asking for a sign-in link.
#[island]
fn MyPage(sent: bool, problems: FieldErrors) -> impl IntoView {
    let t = use_texts();
    let data = Resource::new(|| (), |_| load_my_page());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || {
                let problems = problems.clone();
                Suspend::new(async move {
                match data.await {
                    Ok(page) => match page.email {
                        Some(email) => view! { <MyRegistrations email registrations=page.registrations/> }.into_any(),
                        None => view! { <AskForLink sent_by_address=sent from_address=problems.clone()/> }.into_any(),
                    },
                    Err(error) => view! { <crate::components::loaded::Trouble failure=error/> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

#[component]
fn MyRegistrations(email: String, registrations: Vec<paperclub_core::views::MyRegistration>) -> impl IntoView {
    let t = use_texts();
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <section>
            <div class="title-row">
                <h1>{t.my_title}</h1>
                <ActionForm action=sign_out>
                    <span class="me">{t.signed_in_as} " " {email} " · "</span>
                    <button type="submit" class="link-button">{t.sign_out}</button>
                </ActionForm>
            </div>
            <LinkTelegramForm/>
            {if registrations.is_empty() {
                view! { <p class="empty">{t.no_my_registrations}</p> }.into_any()
            } else {
                view! {
                    <ul class="my-registrations">
                        {registrations.into_iter().map(|r| view! {
                            <li class="event-card">
                                <p class="eyebrow">{r.event.series_title.clone()} " · #" {r.event.number}</p>
                                <h3><a href=format!("/events/{}", r.event.id)>{r.event.title.clone()}</a></h3>
                                <p class="when"><LocalTimeView when=r.event.starts.clone()/></p>
                                <p><strong>{t.registration_status(r.status)}</strong>
                                    {r.token.clone().map(|token| view! { " · " <a href=format!("/tickets/{token}")>{t.open_ticket}</a> })}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// "Link Telegram": makes a one-time deep link to the bot and shows it.
#[component]
fn LinkTelegramForm() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<LinkTelegram>::new();
    view! {
        <div class="link-telegram">
            <ActionForm action>
                <button type="submit" class="button">{t.link_telegram}</button>
            </ActionForm>
            {move || match action.value().get() {
                Some(Ok(url)) => Some(view! {
                    <p class="notice" data-testid="telegram-link">
                        {t.link_telegram_help} " " <a href=url rel="noopener">{t.link_telegram_open}</a>
                    </p>
                }.into_any()),
                Some(Err(error)) => Some(view! { <crate::components::loaded::Trouble failure=error/> }.into_any()),
                None => None,
            }}
        </div>
    }
}

#[component]
fn AskForLink(sent_by_address: bool, from_address: FieldErrors) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<RequestSignInLink>::new();
    let problems = problems_of(action.value(), from_address);
    let sent = move || sent_by_address || matches!(action.value().get(), Some(Ok(FormReply::Saved { .. })));
    view! {
        <section class="narrow">
            <h1>{t.my_title}</h1>
            <p>{t.my_intro}</p>
            {move || sent().then(|| view! { <p class="notice notice-ok" role="status" data-testid="link-sent">{t.link_sent}</p> })}
            <FormProblems problems/>
            <ActionTrouble answer=action.value()/>
            <ActionForm action>
                <TextField name="email" form_name="email".to_owned() label=t.email value=String::new() kind="email" required=true problems/>
                <button type="submit" class="button primary">{t.send_link}</button>
            </ActionForm>
        </section>
    }
}
