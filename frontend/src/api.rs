//! Server functions: thin adapters between pages and `paperclub-core`.
//! Each authenticates, parses its arguments, calls one core service and maps
//! the answer. No SQL here.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use paperclub_core::forms::Rejected;
use paperclub_core::forms::{EventForm, SeriesForm};
use paperclub_core::views::{
    CheckIn, DemoCard, DemoPage, DemoRunPage, DoorPage, EventCard, EventPage, HomePage, MyPage, NotificationsPage,
    PaperPage, PersonPage, RegistrationReply, RosterPage, SeriesPage, TicketPage,
};

use crate::failure::Failure;

#[cfg(feature = "ssr")]
use crate::server;

pub use crate::replies::{Dashboard, EventEditor, FormReply, Me, SeriesEditor, SeriesOption};

#[server(endpoint = "load_home")]
pub async fn load_home() -> Result<HomePage, Failure> {
    let cx = server::context()?;
    server::respond(paperclub_core::events::queries::home(&cx.pool, server::lang(), cx.clock.now()).await)
}

/// `None` when there is no such public event (the response is then a 404).
#[server(endpoint = "load_event")]
pub async fn load_event(id: i64) -> Result<Option<EventPage>, Failure> {
    let cx = server::context()?;
    let viewer = server::viewer(&cx).await?;
    let page = paperclub_core::events::queries::event_page(&cx.pool, id, viewer, server::lang(), cx.clock.now()).await;
    let links = paperclub_core::calendar::event_links(&cx.pool, id, &cx.public_base_url).await;
    server::found(page.and_then(|page| Ok(EventPage { calendar_links: links?, ..page })))
}

#[server(endpoint = "load_series")]
pub async fn load_series(slug: String) -> Result<Option<SeriesPage>, Failure> {
    let cx = server::context()?;
    let viewer = server::viewer(&cx).await?;
    server::found(paperclub_core::series::authoring::page(&cx.pool, &slug, viewer, server::lang()).await)
}

#[server(endpoint = "load_person")]
pub async fn load_person(id: i64) -> Result<Option<PersonPage>, Failure> {
    let cx = server::context()?;
    server::found(paperclub_core::people::repository::page(&cx.pool, id, server::lang()).await)
}

#[server(endpoint = "load_paper")]
pub async fn load_paper(id: i64) -> Result<Option<PaperPage>, Failure> {
    let cx = server::context()?;
    server::found(paperclub_core::papers::repository::page(&cx.pool, id, server::lang()).await)
}

/// The signed-in organiser, if any.
#[server(endpoint = "current_organiser")]
pub async fn current_organiser() -> Result<Option<Me>, Failure> {
    let cx = server::context()?;
    Ok(server::account(&cx).await?.map(|(account, _)| Me { display_name: account.display_name, email: account.email }))
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<FormReply, Failure> {
    let cx = server::context()?;
    let result =
        paperclub_core::accounts::sign_in::sign_in(&cx.pool, &email, &password, &server::client_addr(), cx.clock.now())
            .await;
    match result {
        Ok(account) => {
            let token =
                server::respond(paperclub_core::accounts::sessions::start(&cx.pool, account.id, cx.clock.now()).await)?;
            server::set_session_cookie(&cx, Some(&token));
            // Check-in staff work the door; everyone else starts at the dashboard.
            leptos_axum::redirect(if account.is_organiser() { "/admin" } else { "/admin/door" });
            Ok(FormReply::Saved { id: account.id })
        }
        Err(paperclub_core::Error::Invalid(errors)) => {
            let values = [("email".to_owned(), email)].into_iter().collect();
            let rejected = Rejected { errors, values };
            if server::is_plain_form_post() {
                // No session to keep the problem in yet: it rides in the address.
                let query = crate::refusal_in_address::to_query(&rejected.errors);
                leptos_axum::redirect(&format!("/admin/sign-in?{query}"));
            }
            Ok(FormReply::Rejected(rejected))
        }
        Err(other) => Err(server::unexpected(other)),
    }
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), Failure> {
    let cx = server::context()?;
    if let Some(token) = server::session_token() {
        server::respond(paperclub_core::accounts::sessions::end(&cx.pool, &token).await)?;
    }
    server::set_session_cookie(&cx, None);
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "load_dashboard")]
pub async fn load_dashboard() -> Result<Option<Dashboard>, Failure> {
    let cx = server::context()?;
    let Some((account, _)) = server::require_organiser(&cx).await? else {
        return Ok(None);
    };
    let events = server::respond(paperclub_core::events::queries::all_cards(&cx.pool, server::lang()).await)?;
    let series = server::series_options(&cx).await?;
    let telegram_problems = server::respond(paperclub_core::channel_posts::rights_problems(&cx.pool).await)?;
    Ok(Some(Dashboard {
        me: Me { display_name: account.display_name, email: account.email },
        events,
        series,
        telegram_problems,
    }))
}

/// The editor for a new event (`id` = None; `kind` and `series` preselect)
/// or an existing one.
#[server(endpoint = "load_event_editor")]
pub async fn load_event_editor(
    id: Option<i64>,
    kind: Option<String>,
    series: Option<i64>,
) -> Result<Option<EventEditor>, Failure> {
    let cx = server::context()?;
    let Some((_, token)) = server::require_organiser(&cx).await? else {
        return Ok(None);
    };
    let options = server::series_options(&cx).await?;
    let rejected: Option<Rejected> = server::take_flash(&cx, &token).await?;
    let mut form = match id {
        Some(id) => match paperclub_core::events::authoring::form_of(&cx.pool, id).await {
            Ok(form) => form,
            Err(paperclub_core::Error::NotFound) => {
                return server::found(Err(paperclub_core::Error::NotFound));
            }
            Err(other) => return Err(server::unexpected(other)),
        },
        None => EventForm {
            kind: kind.filter(|k| k == "meetup").unwrap_or_else(|| "session".into()),
            series_id: series.or(options.first().map(|s| s.id)).map(|id| id.to_string()).unwrap_or_default(),
            ..EventForm::default()
        },
    };
    if let Some(rejected) = &rejected {
        form = server::refill(&rejected.values).unwrap_or(form);
    }
    Ok(Some(EventEditor { id, series: options, form, rejected }))
}

#[server(endpoint = "save_event")]
pub async fn save_event(id: Option<i64>, form: EventForm) -> Result<FormReply, Failure> {
    let cx = server::context()?;
    let Some((_, token)) = server::require_organiser(&cx).await? else {
        return Ok(FormReply::Rejected(Rejected::default()));
    };
    let result = match id {
        Some(id) => paperclub_core::events::authoring::update(&cx.pool, id, &form, cx.clock.now()).await.map(|()| id),
        None => paperclub_core::events::authoring::create(&cx.pool, &form, cx.clock.now()).await,
    };
    server::form_outcome(&cx, &token, result, form.values(), |id| format!("/admin/events/{id}/edit?saved=1")).await
}

#[server(endpoint = "change_event_status")]
pub async fn change_event_status(id: i64, change: String) -> Result<(), Failure> {
    use paperclub_core::events::authoring::{StatusChange, change_status};
    let cx = server::context()?;
    let Some(_) = server::require_organiser(&cx).await? else {
        return Ok(());
    };
    let change = StatusChange::parse(&change).ok_or_else(|| server::fail(Failure::UnknownAction))?;
    match change_status(&cx.pool, id, change, cx.clock.now()).await {
        Ok(_) => {
            if server::is_plain_form_post() {
                leptos_axum::redirect("/admin");
            }
            Ok(())
        }
        Err(paperclub_core::Error::Invalid(_)) => Err(server::fail(Failure::StatusChangeDoesNotFit)),
        Err(other) => Err(server::unexpected(other)),
    }
}

#[server(endpoint = "load_series_editor")]
pub async fn load_series_editor(id: Option<i64>) -> Result<Option<SeriesEditor>, Failure> {
    let cx = server::context()?;
    let Some((_, token)) = server::require_organiser(&cx).await? else {
        return Ok(None);
    };
    let rejected: Option<Rejected> = server::take_flash(&cx, &token).await?;
    let form = match id {
        Some(id) => match paperclub_core::series::authoring::form_of(&cx.pool, id).await {
            Ok(form) => form,
            Err(paperclub_core::Error::NotFound) => {
                return server::found(Err(paperclub_core::Error::NotFound));
            }
            Err(other) => return Err(server::unexpected(other)),
        },
        None => SeriesForm { time_zone: "Europe/Moscow".into(), language: "ru".into(), ..SeriesForm::default() },
    };
    let form = rejected.as_ref().and_then(|rejected| server::refill(&rejected.values)).unwrap_or(form);
    Ok(Some(SeriesEditor { id, form, rejected }))
}

#[server(endpoint = "save_series")]
pub async fn save_series(id: Option<i64>, form: SeriesForm) -> Result<FormReply, Failure> {
    let cx = server::context()?;
    let Some((_, token)) = server::require_organiser(&cx).await? else {
        return Ok(FormReply::Rejected(Rejected::default()));
    };
    let result = match id {
        Some(id) => paperclub_core::series::authoring::update(&cx.pool, id, &form).await.map(|()| id),
        None => paperclub_core::series::authoring::create(&cx.pool, &form).await,
    };
    server::form_outcome(&cx, &token, result, form.values(), |_| "/admin".to_owned()).await
}

/// Registers a visitor for an event. Without JavaScript the answer travels
/// back to the event page in its address (`?registration=...`).
#[server(endpoint = "register")]
pub async fn register(
    event_id: i64,
    name: String,
    email: String,
    answers: Option<std::collections::BTreeMap<String, String>>,
) -> Result<RegistrationReply, Failure> {
    use paperclub_core::registrations::{self, Applicant, Registered, RegistrationError};
    let cx = server::context()?;
    let allowed = server::respond(cx.registration_limit.allow(&cx.pool, &server::client_addr(), cx.clock.now()).await)?;
    let reply = match Applicant::parse(&name, &email) {
        _ if !allowed => RegistrationReply::Rejected(paperclub_core::forms::FieldErrors::single(
            paperclub_core::forms::FieldErrors::FORM,
            paperclub_core::forms::Problem::TooManyRequests,
        )),
        Err(errors) => RegistrationReply::Rejected(errors),
        Ok(applicant) => match registrations::register(
            &cx.pool,
            event_id,
            &applicant.with_answers(answers.unwrap_or_default()),
            cx.clock.now(),
        )
        .await
        {
            Ok(Registered::Confirmed) => RegistrationReply::Confirmed,
            Ok(Registered::Waitlisted { position }) => RegistrationReply::Waitlisted { position },
            Ok(Registered::Pending) => RegistrationReply::Pending,
            Ok(Registered::AlreadyRegistered { .. }) => RegistrationReply::AlreadyRegistered,
            // Without JavaScript the browser shows whatever comes back: send
            // it to the event's page, which says the event is not there.
            Err(RegistrationError::NoSuchEvent) if server::is_plain_form_post() => {
                RegistrationReply::Rejected(paperclub_core::forms::FieldErrors::single(
                    paperclub_core::forms::FieldErrors::FORM,
                    paperclub_core::forms::Problem::RegistrationNotOffered,
                ))
            }
            Err(RegistrationError::NoSuchEvent) => return Err(server::fail(Failure::EventNotOpen)),
            Err(RegistrationError::Other(other)) => return Err(server::unexpected(other)),
            Err(refused) => RegistrationReply::Rejected(refused.field_errors().unwrap_or_default()),
        },
    };
    if server::is_plain_form_post() {
        leptos_axum::redirect(&format!(
            "/events/{event_id}?{}#registration",
            crate::registration_reply::to_query(&reply)
        ));
    }
    Ok(reply)
}

/// A registrant's personal page; `None` for an unknown or malformed token.
#[server(endpoint = "load_ticket")]
pub async fn load_ticket(token: String) -> Result<Option<TicketPage>, Failure> {
    use paperclub_core::registrations::{self, tokens::RegistrationToken};
    let cx = server::context()?;
    let Some(token) = RegistrationToken::parse(&token) else {
        return server::found(Err(paperclub_core::Error::NotFound));
    };
    server::found(registrations::ticket(&cx.pool, &token, server::lang(), cx.clock.now()).await)
}

#[server(endpoint = "cancel_registration")]
pub async fn cancel_registration(token: String) -> Result<(), Failure> {
    use paperclub_core::registrations::{self, tokens::RegistrationToken};
    let cx = server::context()?;
    let token = RegistrationToken::parse(&token).ok_or_else(|| server::fail(Failure::LinkNotValid))?;
    match registrations::cancel(&cx.pool, &token, cx.clock.now()).await {
        Ok(_) => {
            // Without JavaScript, back to the ticket, which now says it is
            // cancelled (the page sends no referrer to come back by).
            if server::is_plain_form_post() {
                leptos_axum::redirect(&format!("/tickets/{}", token.as_str()));
            }
            Ok(())
        }
        Err(paperclub_core::Error::NotFound) => Err(server::fail(Failure::LinkNotValid)),
        Err(other) => Err(server::unexpected(other)),
    }
}

/// The organiser's list of an event's registrations.
#[server(endpoint = "load_roster")]
pub async fn load_roster(event_id: i64) -> Result<Option<RosterPage>, Failure> {
    use paperclub_core::events::queries::{self, Viewer};
    use paperclub_core::registrations::roster;
    let cx = server::context()?;
    let Some(_) = server::require_organiser(&cx).await? else { return Ok(None) };
    let page = match queries::event_page(&cx.pool, event_id, Viewer::Organiser, server::lang(), cx.clock.now()).await {
        Ok(page) => page,
        Err(error) => return server::found(Err(error)),
    };
    let entries = server::respond(roster::list(&cx.pool, event_id).await)?;
    let notifications = server::respond(paperclub_core::outbox::organiser::for_event(&cx.pool, event_id).await)?;
    Ok(Some(RosterPage { event: page.card, capacity: page.capacity, entries, notifications }))
}

/// Every message of one event, with previews of the channel's posts.
#[server(endpoint = "load_notifications")]
pub async fn load_notifications(event_id: i64) -> Result<Option<NotificationsPage>, Failure> {
    use paperclub_core::channel_posts::{self, texts as posts, texts::PostKind};
    use paperclub_core::events::queries::{self, Viewer};
    use paperclub_core::outbox::organiser;
    use paperclub_core::views::PostPreview;
    let cx = server::context()?;
    let Some(_) = server::require_organiser(&cx).await? else { return Ok(None) };
    let now = cx.clock.now();
    let lang = server::lang();
    let organiser_view = match queries::event_page(&cx.pool, event_id, Viewer::Organiser, lang, now).await {
        Ok(page) => page,
        Err(error) => return server::found(Err(error)),
    };
    // Previews as the public channel will see them (no registered-only links), in the series' language.
    let series_lang = server::respond(queries::series_language(&cx.pool, event_id).await)?;
    let public = server::respond(queries::event_page(&cx.pool, event_id, Viewer::Public, series_lang, now).await).ok();
    let minutes = server::respond(queries::reminder_minutes(&cx.pool, event_id).await)?;
    let mut kinds = vec![PostKind::Announcement];
    kinds.extend(minutes.into_iter().map(PostKind::Reminder));
    kinds.extend([PostKind::Recording, PostKind::Cancelled]);
    let previews = public
        .map(|page| {
            kinds
                .into_iter()
                .map(|kind| {
                    let post = posts::render(kind, &page, series_lang, &cx.public_base_url);
                    PostPreview { kind: kind.key(), html: post.html, button: post.button }
                })
                .collect()
        })
        .unwrap_or_default();
    let (chat, rights) = server::respond(channel_posts::channel_of(&cx.pool, event_id).await)?;
    let rows = server::respond(organiser::for_event(&cx.pool, event_id).await)?;
    Ok(Some(NotificationsPage { event: organiser_view.card, chat, rights, previews, rows }))
}

/// Send now, retry or skip one message.
#[server(endpoint = "notification_action")]
pub async fn notification_action(event_id: i64, id: i64, action: String) -> Result<(), Failure> {
    use paperclub_core::outbox::organiser::{self, OrganiserAction};
    let cx = server::context()?;
    let Some(_) = server::require_organiser(&cx).await? else { return Ok(()) };
    let action = OrganiserAction::parse(&action).ok_or_else(|| server::fail(Failure::UnknownAction))?;
    server::respond(organiser::act(&cx.pool, event_id, id, action, cx.clock.now()).await)?;
    leptos_axum::redirect(&format!("/admin/events/{event_id}/notifications"));
    Ok(())
}

/// Approve, decline, promote or cancel one registration.
#[server(endpoint = "roster_action")]
pub async fn roster_action(registration_id: i64, action: String) -> Result<(), Failure> {
    use paperclub_core::registrations::roster::{self, RosterAction, RosterError};
    let cx = server::context()?;
    let Some(_) = server::require_organiser(&cx).await? else { return Ok(()) };
    let action = RosterAction::parse(&action).ok_or_else(|| server::fail(Failure::UnknownAction))?;
    match roster::act(&cx.pool, registration_id, action, cx.clock.now()).await {
        Ok(_) => Ok(()),
        Err(RosterError::NoSeatFree) => Err(server::fail(Failure::NoSeatFree)),
        Err(RosterError::DoesNotFit { now }) => Err(server::fail(Failure::RegistrationChanged { now })),
        Err(RosterError::NotFound) => Err(server::fail(Failure::Gone)),
        Err(RosterError::Other(other)) => Err(server::unexpected(other)),
    }
}

/// The door page of an event: counts and the last scan's answer (kept in the
/// session for a check-in made without JavaScript).
#[server(endpoint = "load_door")]
pub async fn load_door(event_id: i64) -> Result<Option<DoorPage>, Failure> {
    use paperclub_core::events::queries::{self, Viewer};
    use paperclub_core::registrations;
    let cx = server::context()?;
    let Some((_, token)) = server::require_staff(&cx).await? else { return Ok(None) };
    let page = match queries::event_page(&cx.pool, event_id, Viewer::Organiser, server::lang(), cx.clock.now()).await {
        Ok(page) => page,
        Err(error) => return server::found(Err(error)),
    };
    let counts = server::respond(registrations::counts(&cx.pool, event_id).await)?;
    let last: Option<CheckIn> = server::take_flash(&cx, &token).await?;
    Ok(Some(DoorPage {
        event: page.card,
        checked_in: counts.checked_in,
        expected: counts.confirmed + counts.checked_in,
        last,
    }))
}

#[server(endpoint = "check_in_ticket")]
pub async fn check_in_ticket(event_id: i64, code: String) -> Result<CheckIn, Failure> {
    use paperclub_core::accounts::sessions;
    use paperclub_core::registrations::door;
    let cx = server::context()?;
    let Some((_, token)) = server::require_staff(&cx).await? else { return Ok(CheckIn::Unknown) };
    let outcome = server::respond(door::check_in(&cx.pool, event_id, &code, server::lang(), cx.clock.now()).await)?;
    if server::is_plain_form_post() {
        let flash = serde_json::to_value(&outcome).map_err(|_| Failure::OurFault)?;
        server::respond(sessions::set_flash(&cx.pool, &token, &flash).await)?;
    }
    Ok(outcome)
}

/// A member's page: their registrations, or nothing when not signed in.
#[server(endpoint = "load_my_page")]
pub async fn load_my_page() -> Result<MyPage, Failure> {
    let cx = server::context()?;
    match server::account(&cx).await? {
        Some((account, _)) => {
            let registrations = server::respond(
                paperclub_core::registrations::of_email(
                    &cx.pool,
                    &account.email,
                    server::lang(),
                    paperclub_core::registrations::TicketLinks::Mint { now: cx.clock.now() },
                )
                .await,
            )?;
            Ok(MyPage { email: Some(account.email), registrations })
        }
        None => Ok(MyPage { email: None, registrations: Vec::new() }),
    }
}

/// A one-time deep link that links this member's Telegram to their account.
/// A post without JavaScript goes straight to it.
#[server(endpoint = "link_telegram")]
pub async fn link_telegram() -> Result<String, Failure> {
    use paperclub_core::accounts::telegram_link as telegram;
    let cx = server::context()?;
    let Some((account, _)) = server::account(&cx).await? else {
        return Err(server::fail(Failure::SignInFirst));
    };
    let token = server::respond(telegram::create_link_token(&cx.pool, account.id, cx.clock.now()).await)?;
    let url = paperclub_core::deep_links::DeepLink::LinkAccount(token).url(&cx.telegram_bot_username);
    if server::is_plain_form_post() {
        leptos_axum::redirect(&url);
    }
    Ok(url)
}

/// Sends a one-time sign-in link. The answer is the same whether or not the
/// address has registrations, so the form tells nobody who registered.
#[server(endpoint = "request_sign_in_link")]
pub async fn request_sign_in_link(email: String) -> Result<FormReply, Failure> {
    use paperclub_core::forms::{FieldErrors, Problem};
    use paperclub_core::values::Email;
    let cx = server::context()?;
    let allowed = server::respond(cx.registration_limit.allow(&cx.pool, &server::client_addr(), cx.clock.now()).await)?;
    let reply = if !allowed {
        FormReply::Rejected(Rejected {
            errors: FieldErrors::single(FieldErrors::FORM, Problem::TooManyRequests),
            values: Default::default(),
        })
    } else {
        match Email::parse(&email) {
            Ok(email) => {
                server::respond(
                    paperclub_core::accounts::links::send_link(&cx.pool, &email, server::lang(), cx.clock.now()).await,
                )?;
                FormReply::Saved { id: 0 }
            }
            Err(problem) => FormReply::Rejected(Rejected {
                errors: FieldErrors::single("email", problem),
                values: Default::default(),
            }),
        }
    };
    if server::is_plain_form_post() {
        let query = match &reply {
            FormReply::Saved { .. } => "sent=1".to_owned(),
            FormReply::Rejected(rejected) => crate::refusal_in_address::to_query(&rejected.errors),
        };
        leptos_axum::redirect(&format!("/me?{query}"));
    }
    Ok(reply)
}

/// The events check-in staff can work the door of: scheduled ones, soonest first.
#[server(endpoint = "load_door_events")]
pub async fn load_door_events() -> Result<Option<Vec<EventCard>>, Failure> {
    use paperclub_core::events::EventStatus;
    let cx = server::context()?;
    let Some(_) = server::require_staff(&cx).await? else { return Ok(None) };
    let mut cards = server::respond(paperclub_core::events::queries::all_cards(&cx.pool, server::lang()).await)?;
    cards.retain(|card| card.status == EventStatus::Scheduled);
    cards.sort_by_key(|card| card.starts.at);
    Ok(Some(cards))
}

/// Every demo, for the catalogue.
#[server(endpoint = "load_demo_catalogue")]
pub async fn load_demo_catalogue() -> Result<Vec<DemoCard>, Failure> {
    Ok(paperclub_core::demo_runs::catalogue(server::lang()))
}

#[server(endpoint = "load_demo")]
pub async fn load_demo(demo: String) -> Result<Option<DemoPage>, Failure> {
    let cx = server::context()?;
    server::found(paperclub_core::demo_runs::demo_page(&cx.pool, &demo, server::lang()).await)
}

/// Queues a demo run (or finds the identical one) and goes to its page.
#[server(endpoint = "submit_demo")]
pub async fn submit_demo(
    demo: String,
    params: Option<std::collections::BTreeMap<String, String>>,
) -> Result<FormReply, Failure> {
    use paperclub_core::demo_runs::{self, Request};
    let cx = server::context()?;
    let raw = params.unwrap_or_default();
    if !server::respond(cx.demo_limit.allow(&cx.pool, &server::client_addr(), cx.clock.now()).await)? {
        return Ok(FormReply::Rejected(Rejected {
            errors: paperclub_core::forms::FieldErrors::single(
                paperclub_core::forms::FieldErrors::FORM,
                paperclub_core::forms::Problem::TooManyRequests,
            ),
            values: raw,
        }));
    }
    let visitor = server::demo_visitor(&cx, true);
    let request = Request { demo: &demo, raw: &raw, dataset: None, visitor: visitor.as_deref() };
    match demo_runs::submit(&cx.pool, request, cx.clock.now()).await {
        Ok(id) => {
            leptos_axum::redirect(&format!("/demos/runs/{id}"));
            Ok(FormReply::Saved { id })
        }
        Err(paperclub_core::Error::Invalid(errors)) => {
            // Without JavaScript the browser goes back to the form, with the
            // first problem in the address for the page to show.
            if server::is_plain_form_post() {
                let query = crate::refusal_in_address::to_query_with_values(&errors, &raw);
                leptos_axum::redirect(&format!("/demos/{demo}?{query}#run"));
            }
            Ok(FormReply::Rejected(Rejected { errors, values: raw }))
        }
        Err(paperclub_core::Error::NotFound) => Err(server::fail(Failure::NoSuchDemo)),
        Err(other) => Err(server::unexpected(other)),
    }
}

#[server(endpoint = "load_demo_run")]
pub async fn load_demo_run(id: i64) -> Result<Option<DemoRunPage>, Failure> {
    use paperclub_core::demo_runs::{self, Viewer};
    let cx = server::context()?;
    let visitor = server::demo_visitor(&cx, false);
    let organiser = server::viewer(&cx).await? == paperclub_core::events::queries::Viewer::Organiser;
    let viewer = Viewer { visitor: visitor.as_deref(), organiser };
    server::found(demo_runs::page(&cx.pool, id, server::lang(), viewer).await)
}

/// A run's status and progress (0 to 1), for its page to follow without
/// loading itself again; `None` for an unknown run.
#[server(endpoint = "demo_run_progress")]
pub async fn demo_run_progress(id: i64) -> Result<Option<(paperclub_core::views::DemoRunStatus, f32)>, Failure> {
    let cx = server::context()?;
    server::found(paperclub_core::demo_runs::get(&cx.pool, id).await.map(|run| (run.status, run.progress)))
}

/// Stops a queued or running run; only its visitor or an organiser may.
#[server(endpoint = "cancel_demo_run")]
pub async fn cancel_demo_run(id: i64) -> Result<(), Failure> {
    let cx = server::context()?;
    let visitor = server::demo_visitor(&cx, false);
    let organiser = server::viewer(&cx).await? == paperclub_core::events::queries::Viewer::Organiser;
    match paperclub_core::demo_runs::cancel(&cx.pool, id, visitor.as_deref(), organiser, cx.clock.now()).await {
        Ok(()) => {
            leptos_axum::redirect(&format!("/demos/runs/{id}"));
            Ok(())
        }
        Err(paperclub_core::Error::Forbidden) => {
            server::set_status(axum::http::StatusCode::FORBIDDEN);
            Err(server::fail(Failure::NotYourRun))
        }
        Err(paperclub_core::Error::NotFound) => Err(server::fail(Failure::NoSuchRun)),
        Err(other) => Err(server::unexpected(other)),
    }
}
