//! An event's registrations for its organisers: who is in, the waitlist in
//! order, who waits for approval, who cancelled; actions and CSV export.

use leptos::prelude::*;
use leptos_meta::Title;
use paperclub_core::views::{RegistrationStatus, RosterEntry};

use crate::api::{RosterAction, load_roster};
use crate::components::action_answer::ActionTrouble;
use crate::components::loaded::{Loaded, route_id};
use crate::components::table_scroll::TableScroll;
use crate::i18n::use_texts;
use crate::pages::not_found::NotFound;

#[component]
pub fn RosterView() -> impl IntoView {
    let t = use_texts();
    let id = route_id();
    view! {
        <Title text=t.registrations/>
        {match id {
            Some(id) => view! { <Roster id/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        }}
    }
}

/// The registrations of event `id`, reloaded after every action.
#[island]
fn Roster(id: i64) -> impl IntoView {
    let t = use_texts();
    let act = ServerAction::<RosterAction>::new();
    let data = Resource::new(move || act.version().get(), move |_| load_roster(id));
    view! {
        <ActionTrouble answer=act.value()/>
        <Loaded data render=move |roster| {
            let id = roster.event.id;
            let count = |wanted: &[RegistrationStatus]| roster.entries.iter().filter(|e| wanted.contains(&e.status)).count();
            let seats = count(&[RegistrationStatus::Confirmed, RegistrationStatus::CheckedIn]);
            // With every seat taken, approving puts a request on the waitlist: the button says so.
            let full = roster.capacity.is_some_and(|capacity| seats >= capacity as usize);
            let summary = format!(
                "{}: {seats}{} · {}: {} · {}: {}",
                t.capacity,
                roster.capacity.map(|c| format!(" / {c}")).unwrap_or_default(),
                t.registration_status(RegistrationStatus::Waitlisted),
                count(&[RegistrationStatus::Waitlisted]),
                t.checked_in_count,
                count(&[RegistrationStatus::CheckedIn]),
            );
            view! {
                <section>
                    <p class="eyebrow"><a href="/admin">{t.dashboard}</a></p>
                    <h1>{t.registrations} ": " {roster.event.title.clone()}</h1>
                    <p data-testid="roster-summary">{summary}</p>
                    <p class="actions">
                        <a class="button" href=format!("/admin/events/{id}/registrations.csv") download=format!("registrations-{id}.csv")>{t.export_csv}</a>
                        <a href=format!("/admin/events/{id}/check-in") class="button">{t.door}</a>
                    </p>
                    {if roster.entries.is_empty() {
                        view! { <p class="empty">{t.no_registrations}</p> }.into_any()
                    } else {
                        view! {
                            <TableScroll label=t.registrations>
                                <table class="dashboard roster">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t.field_name}</th>
                                            <th scope="col">{t.email}</th>
                                            <th scope="col">{t.source}</th>
                                            <th scope="col">{t.status}</th>
                                            <th scope="col">{t.registered_at}</th>
                                            <th scope="col"><span class="visually-hidden">{t.edit}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {roster.entries.into_iter().map(|entry| view! { <RosterRow entry act full/> }).collect_view()}
                                    </tbody>
                                </table>
                            </TableScroll>
                        }.into_any()
                    }}
                    <h2>{t.messages}</h2>
                    <TableScroll label=t.messages>
                        <table class="dashboard messages">
                            <thead>
                                <tr>
                                    <th scope="col">{t.message_kind}</th>
                                    <th scope="col">{t.recipient}</th>
                                    <th scope="col">{t.due}</th>
                                    <th scope="col">{t.status}</th>
                                    <th scope="col">{t.attempts}</th>
                                    <th scope="col">{t.last_error}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {roster.notifications.into_iter().map(|n| view! {
                                    <tr>
                                        <td>{n.kind.code()}</td>
                                        <td>{n.recipient}</td>
                                        <td>{n.due_at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
                                        <td><span class=format!("status status-{}", n.state.code())>{n.state.code()}</span></td>
                                        <td>{n.attempts}</td>
                                        <td>{t.notification_note(n.why, n.last_error.as_deref())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                </section>
            }
        }/>
    }
}

#[component]
fn RosterRow(entry: RosterEntry, act: ServerAction<RosterAction>, full: bool) -> impl IntoView {
    let t = use_texts();
    let actions: Vec<(&'static str, &'static str)> = match entry.status {
        RegistrationStatus::Pending => {
            let approve = if full { t.approve_to_waitlist } else { t.approve };
            vec![("approve", approve), ("decline", t.decline), ("cancel", t.cancel_action)]
        }
        RegistrationStatus::Waitlisted => vec![("promote", t.promote), ("cancel", t.cancel_action)],
        RegistrationStatus::Confirmed | RegistrationStatus::CheckedIn => vec![("cancel", t.cancel_action)],
        _ => vec![],
    };
    let status_text = match entry.waitlist_position {
        Some(position) => format!("{} #{position}", t.registration_status(entry.status)),
        None => t.registration_status(entry.status).to_owned(),
    };
    let email = entry.email.clone();
    view! {
        <tr data-registration=email>
            <td>{entry.name}</td>
            <td>{entry.email}</td>
            <td>{t.registration_source(entry.source)}</td>
            <td><span class=format!("status status-{}", entry.status.code())>{status_text}</span></td>
            <td><time datetime=entry.created_at.to_rfc3339()>{entry.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}</time></td>
            <td class="row-actions">
                {actions.into_iter().map(|(action, label)| view! {
                    <ActionForm action=act>
                        <input type="hidden" name="registration_id" value=entry.id/>
                        <input type="hidden" name="action" value=action/>
                        <button type="submit" class="link-button">{label}</button>
                    </ActionForm>
                }).collect_view()}
            </td>
        </tr>
    }
}
