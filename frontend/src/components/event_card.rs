//! An event in a list: what, when, who, where.

use leptos::prelude::*;
use paperclub_core::events::{EventKind, EventStatus};
use paperclub_core::views::EventCard;

use crate::components::local_time::LocalTime;
use crate::i18n::use_texts;

#[component]
pub fn EventCardView(card: EventCard) -> impl IntoView {
    let t = use_texts();
    let href = format!("/events/{}", card.id);
    let cancelled = card.status == EventStatus::Cancelled;
    let draft = card.status == EventStatus::Draft;
    let number = match card.kind {
        EventKind::Session => format!("{}{}", t.meeting_number, card.number),
        EventKind::Meetup => format!("#{}", card.number),
    };
    view! {
        <article class="event-card" class:cancelled=cancelled class:draft=draft>
            <p class="eyebrow">
                <span class="badge">{t.event_kind(card.kind)}</span>
                " " {card.series_title} " · " {number}
                {cancelled.then(|| view! { " · " <strong>{t.status(EventStatus::Cancelled)}</strong> })}
                {draft.then(|| view! { " · " <strong>{t.status(EventStatus::Draft)}</strong> })}
            </p>
            <h3><a href=href>{card.title}</a></h3>
            <p class="when"><LocalTime when=card.starts/></p>
            {(!card.people.is_empty()).then(|| view! { <p class="people">{card.people.join(", ")}</p> })}
            {card.place.map(|place| view! { <p class="place">{t.format(card.format)} " · " {place}</p> })}
        </article>
    }
}
