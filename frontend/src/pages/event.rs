//! The event page in its two shapes: a reading-group session (number,
//! presenter, papers, online link) and a meetup (programme, speakers, venue).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use paperclub_core::events::{EventKind, EventStatus, PersonRole, ProgrammeKind, RegistrationMode};
use paperclub_core::views::{EventPage, PaperRef, PersonRef, ProgrammeRow};

use crate::api::load_event;
use crate::components::loaded::{Loaded, by_id};
use crate::components::local_time::LocalTime;
use crate::components::registration_form::{RegistrationForm, answer_in_address};
use crate::i18n::use_texts;
use crate::site::use_site;

#[component]
pub fn EventView() -> impl IntoView {
    let data = by_id(load_event);
    view! { <Loaded data render=|page| view! { <EventDetail page/> }/> }
}

#[component]
fn PersonLink(person: PersonRef) -> impl IntoView {
    let details =
        [person.role.clone(), person.affiliation.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    view! {
        <a href=format!("/people/{}", person.id)>{person.name}</a>
        {(!details.is_empty()).then(|| view! { <span class="person-details">", " {details}</span> })}
    }
}

#[component]
fn EventDetail(page: EventPage) -> impl IntoView {
    let t = use_texts();
    let site = use_site();
    let card = page.card;
    let ics_path = format!("/events/{}/calendar.ics", card.id);
    let page_url = format!("{}/events/{}", site.base_url, card.id);
    let heading_number = match card.kind {
        EventKind::Session => format!("{}{}", t.meeting_number, card.number),
        EventKind::Meetup => format!("#{}", card.number),
    };
    let presenters: Vec<PersonRef> = page
        .people
        .iter()
        .filter(|p| p.role == PersonRole::Presenter || p.role == PersonRole::Host)
        .map(|p| p.person.clone())
        .collect();
    let presenter_label = match (card.kind, presenters.len()) {
        (EventKind::Meetup, _) => t.hosts,
        (_, 1) => t.presenter,
        _ => t.presenters,
    };
    let og_description = if page.summary.is_empty() { card.starts.label.clone() } else { page.summary.clone() };
    let where_text = [Some(t.format(card.format).to_owned()), page.venue_name.clone(), page.venue_address.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let online = card.format.is_online();
    view! {
        <Title text=card.title.clone()/>
        <Meta property="og:title" content=format!("{} · {}", card.title, card.series_title)/>
        <Meta property="og:description" content=og_description.clone()/>
        <Meta name="description" content=og_description/>
        <Meta property="og:type" content="article"/>
        <Meta property="og:url" content=page_url/>
        <Meta property="og:site_name" content=t.site_name/>
        <article class="event" class:cancelled=card.status == EventStatus::Cancelled>
            <p class="eyebrow">
                <span class="badge">{t.event_kind(card.kind)}</span>
                " "
                <a href=format!("/series/{}", card.series_slug)>{card.series_title.clone()}</a>
                " · " {heading_number}
            </p>
            <h1>{card.title.clone()}</h1>
            {(card.status == EventStatus::Cancelled).then(|| view! { <p class="notice notice-error" role="status">{t.cancelled_notice}</p> })}
            {(card.status == EventStatus::Draft).then(|| view! { <p class="notice" role="status">{t.draft_notice}</p> })}
            <dl class="facts">
                <dt>{t.when}</dt>
                <dd><LocalTime when=card.starts.clone() label=page.span_label.clone()/></dd>
                <dt>{t.where_}</dt>
                <dd>{where_text}</dd>
                {(!presenters.is_empty()).then(|| view! {
                    <dt>{presenter_label}</dt>
                    <dd class="presenters">
                        {presenters.into_iter().map(|person| view! { <p><PersonLink person/></p> }).collect_view()}
                    </dd>
                })}
                {online.then(|| view! {
                    <dt>{t.online_link}</dt>
                    <dd>
                        {match (page.online_url.clone(), page.online_url_hidden) {
                            (Some(url), _) => view! { <a class="button" href=url rel="noopener" data-testid="online-link">{t.join_online}</a> }.into_any(),
                            (None, true) => view! { <span>{t.link_for_registered}</span> }.into_any(),
                            (None, false) => view! { <span>{t.link_later}</span> }.into_any(),
                        }}
                    </dd>
                })}
                {(page.registration_mode != RegistrationMode::None).then(|| view! {
                    <dt>{t.registration}</dt>
                    <dd>
                        {t.registration_mode(page.registration_mode)}
                        {page.capacity.map(|c| format!(" · {}", t.seats(i64::from(c))))}
                    </dd>
                })}
            </dl>
            <p class="calendar-links">
                <a href=format!("{}{ics_path}", site.webcal())>{t.calendar_event}</a>
                " · "
                <a href=ics_path.clone() download=format!("event-{}.ics", card.id)>{t.download_ics}</a>
                {page.calendar_links.clone().map(|links| view! {
                    " · " <a href=links.google rel="noopener" data-testid="google-calendar">{t.calendar_google}</a>
                    " · " <a href=links.outlook rel="noopener" data-testid="outlook-calendar">{t.calendar_outlook}</a>
                })}
            </p>
            {(!page.registration_open && page.registration_mode != RegistrationMode::None && card.status == EventStatus::Scheduled)
                .then(|| view! { <p class="notice" role="status" data-testid="registration-closed">{t.registration_closed_note}</p> })}
            {page.registration_open.then(|| view! { <RegistrationForm event_id=card.id seats_left=page.seats_left approval={page.registration_mode == RegistrationMode::Approval} questions=page.questions.clone() from_address=answer_in_address()/> })}
            <div class="prose" inner_html=page.description_html></div>
            {(!page.papers.is_empty()).then(|| view! { <Papers papers=page.papers/> })}
            {(!page.programme.is_empty()).then(|| view! { <Programme rows=page.programme/> })}
            {(page.recording.is_some() || page.slides_url.is_some()).then(|| {
                let recording = page.recording.clone();
                let slides = page.slides_url.clone();
                view! {
                    <section aria-labelledby="materials-heading" class="materials">
                        <h2 id="materials-heading">{t.recording}</h2>
                        {recording.map(|r| {
                            let label = [r.file_name.clone(), r.size_label.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                            match r.url {
                                Some(url) => view! { <p><a href=url rel="noopener">{label}</a></p> }.into_any(),
                                None => view! { <p>{label}</p> }.into_any(),
                            }
                        })}
                        {slides.map(|url| view! { <p><a href=url rel="noopener">{t.slides}</a></p> })}
                    </section>
                }
            })}
            {(!page.demos.is_empty()).then(|| view! {
                <section aria-labelledby="demos-heading" class="materials" data-testid="event-demos">
                    <h2 id="demos-heading">{t.event_demos}</h2>
                    <ul>
                        {page.demos.iter().map(|demo| view! {
                            <li><a href=demo.href()>{demo.title.clone()}{demo.run_id.map(|run| format!(" · #{run}"))}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

#[component]
fn Papers(papers: Vec<PaperRef>) -> impl IntoView {
    let t = use_texts();
    view! {
        <section aria-labelledby="papers-heading" class="papers">
            <h2 id="papers-heading">{t.papers}</h2>
            <ul>
                {papers.into_iter().map(|paper| {
                    let link = paper.link();
                    let byline = [Some(paper.authors.join(", ")).filter(|a| !a.is_empty()), paper.year.map(|y| y.to_string())]
                        .into_iter().flatten().collect::<Vec<_>>().join(", ");
                    view! {
                        <li class="paper">
                            <a href=format!("/papers/{}", paper.id)>{paper.title}</a>
                            <span class="byline">{byline}</span>
                            {link.map(|href| view! { " " <a class="external" href=href rel="noopener">{t.open_paper}</a> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Programme(rows: Vec<ProgrammeRow>) -> impl IntoView {
    let t = use_texts();
    view! {
        <section aria-labelledby="programme-heading" class="programme">
            <h2 id="programme-heading">{t.programme}</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t.time}</th>
                        <th scope="col">{t.programme}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let talk = row.kind == ProgrammeKind::Talk;
                        view! {
                            <tr class:talk=talk>
                                <td class="slot">{row.time_range}</td>
                                <td>
                                    {(!talk).then(|| view! { <span class="badge">{t.programme_kind(row.kind)}</span> " " })}
                                    <span class="item-title">{row.title}</span>
                                    {(!row.speakers.is_empty()).then(|| view! {
                                        <ul class="speakers" aria-label=t.speakers>
                                            {row.speakers.into_iter().map(|person| view! { <li><PersonLink person/></li> }).collect_view()}
                                        </ul>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
