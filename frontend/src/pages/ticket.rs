//! A registrant's personal page: status, ticket code, join link, calendar
//! file and the cancel button. The address itself is the secret.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::{CancelRegistration, load_ticket};
use crate::components::action_answer::ActionTrouble;
use crate::components::loaded::Loaded;
use crate::i18n::use_texts;

#[component]
pub fn TicketView() -> impl IntoView {
    let t = use_texts();
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    view! {
        <Title text=t.ticket_title/>
        // The address is a secret: keep it out of search engines and referrers.
        <Meta name="robots" content="noindex"/>
        <Meta name="referrer" content="no-referrer"/>
        <Ticket token/>
    }
}

/// The ticket, reloaded after a cancel.
#[island]
fn Ticket(token: String) -> impl IntoView {
    let t = use_texts();
    let cancel = ServerAction::<CancelRegistration>::new();
    let data = Resource::new(move || cancel.version().get(), move |_| load_ticket(token.clone()));
    view! {
        <Loaded data render=move |ticket| {
            let event_href = format!("/events/{}", ticket.event.id);
            let ics = format!("/events/{}/calendar.ics", ticket.event.id);
            let cancelled = ticket.status == paperclub_core::views::RegistrationStatus::Cancelled;
            let event_cancelled = ticket.event.status == paperclub_core::events::EventStatus::Cancelled;
            view! {
                <section class="ticket narrow">
                    <h1>{t.ticket_title}</h1>
                    <p class="eyebrow">{ticket.event.series_title.clone()} " · #" {ticket.event.number}</p>
                    <h2><a href=event_href>{ticket.event.title.clone()}</a></h2>
                    <dl class="facts">
                        <dt>{t.when}</dt>
                        <dd>{ticket.span_label.clone()}</dd>
                        {ticket.venue.clone().map(|venue| view! { <dt>{t.where_}</dt><dd>{venue}</dd> })}
                        <dt>{t.field_name}</dt>
                        <dd>{ticket.name.clone()} " · " {ticket.email.clone()}</dd>
                        <dt>{t.your_status}</dt>
                        <dd data-testid="ticket-status"><strong>{if event_cancelled { t.event_cancelled_ticket } else { t.registration_status(ticket.status) }}</strong></dd>
                        {ticket.waitlist_position.map(|position| view! {
                            <dt>{t.waitlist_position}</dt>
                            <dd data-testid="waitlist-position">{position}</dd>
                        })}
                        {(!event_cancelled).then(|| view! {
                            <dt>{t.ticket_code}</dt>
                            <dd><code class="ticket-code" data-testid="ticket-code">{ticket.short_code.clone()}</code></dd>
                        })}
                    </dl>
                    {ticket.qr_svg.clone().map(|svg| view! {
                        <figure class="ticket-qr">
                            <div role="img" aria-label=format!("{}: {}", t.ticket_code, ticket.short_code) inner_html=svg></div>
                        </figure>
                    })}
                    {ticket.can_join.then(|| view! {
                        <p><a class="button primary" href=format!("/join/{}", ticket.token) rel="noopener">{t.join_button}</a></p>
                    })}
                    {event_cancelled.then(|| view! { <p class="notice notice-error" role="status" data-testid="event-cancelled">{t.event_cancelled_ticket_note}</p> })}
                    {(cancelled && !event_cancelled).then(|| view! { <p class="notice" role="status">{t.registration_cancelled_note}</p> })}
                    {(!cancelled && !event_cancelled).then(|| view! { <p><a href=ics.clone() download="event.ics">{t.download_ics}</a></p> })}
                    <ActionTrouble answer=cancel.value()/>
                    {ticket.can_cancel.then(|| view! {
                        <ActionForm action=cancel>
                            <input type="hidden" name="token" value=ticket.token.clone()/>
                            <button type="submit" class="button">{t.cancel_registration}</button>
                        </ActionForm>
                    })}
                </section>
            }
        }/>
    }
}
