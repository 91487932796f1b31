use leptos::prelude::*;
use leptos_meta::Title;
use paperclub_core::events::EventStatus;

use crate::api::{ChangeEventStatus, SignOut, load_dashboard};
use crate::components::loaded::Loaded;
use crate::components::local_time::LocalTimeView;
use crate::components::table_scroll::TableScroll;
use crate::i18n::use_texts;

#[component]
pub fn DashboardView() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.dashboard/>
        <Dashboard/>
    }
}

/// Every event and series, with status changes that reload the list.
#[island]
fn Dashboard() -> impl IntoView {
    let t = use_texts();
    let change = ServerAction::<ChangeEventStatus>::new();
    let sign_out = ServerAction::<SignOut>::new();
    // Reload the list whenever a status change completes.
    let data = Resource::new(move || change.version().get(), |_| load_dashboard());
    view! {
        <Loaded data render=move |board| {
            view! {
                <section>
                    <div class="title-row">
                        <h1>{t.dashboard}</h1>
                        <ActionForm action=sign_out>
                            <span class="me">{board.me.display_name.clone()} " · "</span>
                            <button type="submit" class="link-button">{t.sign_out}</button>
                        </ActionForm>
                    </div>
                    {board.telegram_problems.into_iter().map(|rights| view! {
                        <p class="notice notice-error" role="alert" data-testid="rights-problem">
                            {t.telegram_channel} " " {rights.chat} ": " {rights.problem.map(|problem| t.channel_problem(problem))}
                        </p>
                    }).collect_view()}
                    <p class="actions">
                        <a href="/admin/events/new?kind=session" class="button">{t.new_session}</a>
                        <a href="/admin/events/new?kind=meetup" class="button">{t.new_meetup}</a>
                        <a href="/admin/series/new" class="button">{t.new_series}</a>
                    </p>
                    <TableScroll label=t.dashboard>
                        <table class="dashboard">
                            <thead>
                                <tr>
                                    <th scope="col">{t.field_title}</th>
                                    <th scope="col">{t.when}</th>
                                    <th scope="col">{t.status}</th>
                                    <th scope="col"><span class="visually-hidden">{t.edit}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {board.events.into_iter().map(|card| {
                                    let id = card.id;
                                    let status = card.status;
                                    let changes: Vec<(&'static str, &'static str)> = match status {
                                        EventStatus::Draft => vec![("publish", t.publish)],
                                        EventStatus::Scheduled => vec![("finish", t.mark_finished), ("cancel", t.cancel_event)],
                                        _ => vec![],
                                    };
                                    view! {
                                        <tr data-event-id=id>
                                            <td>
                                                <a href=format!("/events/{id}")>{card.series_title} " #" {card.number} ": " {card.title}</a>
                                            </td>
                                            <td><LocalTimeView when=card.starts/></td>
                                            <td><span class=format!("status status-{}", status.code())>{t.status(status)}</span></td>
                                            <td class="row-actions">
                                                <a href=format!("/admin/events/{id}/edit")>{t.edit}</a>
                                                <a href=format!("/admin/events/{id}/registrations")>{t.registrations}</a>
                                                <a href=format!("/admin/events/{id}/notifications")>{t.messages}</a>
                                                {changes.into_iter().map(|(code, label)| view! {
                                                    <ActionForm action=change>
                                                        <input type="hidden" name="id" value=id/>
                                                        <input type="hidden" name="change" value=code/>
                                                        <button type="submit" class="link-button">{label}</button>
                                                    </ActionForm>
                                                }).collect_view()}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                    <h2>{t.all_series}</h2>
                    <ul>
                        {board.series.into_iter().map(|series| view! {
                            <li>
                                {series.title} " (" {series.time_zone} ") · "
                                <a href=format!("/admin/series/{}/edit", series.id)>{t.edit}</a>
                                " · "
                                <a href=format!("/admin/events/new?kind=session&series={}", series.id)>{t.new_session}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        }/>
    }
}
