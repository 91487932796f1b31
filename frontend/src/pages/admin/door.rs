//! Check-in at the door: type or scan a ticket code, see who it is.

use leptos::prelude::*;
use leptos_meta::Title;
use paperclub_core::views::CheckIn;

use crate::api::{CheckInTicket, load_door};
use crate::components::action_answer::ActionTrouble;
use crate::components::loaded::{Loaded, route_id};
use crate::i18n::{Texts, use_texts};
use crate::pages::not_found::NotFound;

fn answer(t: &'static Texts, outcome: &CheckIn) -> (&'static str, String) {
    match outcome {
        CheckIn::Admitted { name } => ("notice-ok", format!("{} {name}", t.admitted)),
        CheckIn::AlreadyCheckedIn { name, at_label, .. } => {
            ("notice-error", format!("{} {name} ({at_label})", t.already_checked_in))
        }
        CheckIn::NotAdmitted { name, status } => {
            ("notice-error", format!("{} {name} — {}", t.not_admitted, t.registration_status(*status)))
        }
        CheckIn::Unknown => ("notice-error", t.unknown_ticket.to_owned()),
        CheckIn::Ambiguous => ("notice-error", t.ambiguous_ticket.to_owned()),
    }
}

#[component]
pub fn DoorView() -> impl IntoView {
    let t = use_texts();
    let id = route_id();
    view! {
        <Title text=t.door/>
        {match id {
            Some(id) => view! { <Door id/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        }}
    }
}

/// The door of event `id`: each code checked in reloads the count.
#[island]
fn Door(id: i64) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<CheckInTicket>::new();
    let data = Resource::new(move || action.version().get(), move |_| load_door(id));
    view! {
        <Loaded data render=move |door| {
            let last = door.last.clone();
            let shown = move || match action.value().get() {
                Some(Ok(outcome)) => Some(outcome),
                _ => last.clone(),
            };
            view! {
                <section class="narrow door">
                    <p class="eyebrow"><a href=format!("/admin/events/{}/registrations", door.event.id)>{t.registrations}</a></p>
                    <h1>{t.door} ": " {door.event.title.clone()}</h1>
                    <p data-testid="door-count">{t.checked_in_count} ": " {door.checked_in} " / " {door.expected}</p>
                    {move || shown().map(|outcome| {
                        let (class, text) = answer(t, &outcome);
                        view! { <p class=format!("notice {class} door-answer") role="status" data-testid="door-answer">{text}</p> }
                    })}
                    <ActionTrouble answer=action.value()/>
                    <ActionForm action>
                        <input type="hidden" name="event_id" value=door.event.id/>
                        <div class="field">
                            <label for="ticket-code">{t.ticket_code_label}</label>
                            <input id="ticket-code" name="code" autocomplete="off" autocapitalize="characters" required autofocus/>
                        </div>
                        <button type="submit" class="button primary">{t.check_in_button}</button>
                    </ActionForm>
                </section>
            }
        }/>
    }
}

/// Where check-in staff land: the scheduled events, each with its door page.
#[component]
pub fn DoorEventsView() -> impl IntoView {
    let t = use_texts();
    let data = Resource::new(|| (), |_| crate::api::load_door_events());
    view! {
        <Title text=t.door/>
        <Loaded data render=move |cards| view! {
            <section class="narrow">
                <h1>{t.door}</h1>
                <ul>
                    {cards.into_iter().map(|card| view! {
                        <li>
                            <a href=format!("/admin/events/{}/check-in", card.id)>{card.title.clone()}</a>
                            " · " {card.starts.label.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }/>
    }
}
