//! An event's messages for its organisers: every planned, sent, failed or
//! withdrawn e-mail and Telegram post with its due time, attempts and last
//! error; "send now", "retry" and "skip"; what the bot may do in the
//! channel; and each channel post previewed exactly as it will render.

use leptos::prelude::*;
use leptos_meta::Title;
use paperclub_core::outbox::{Channel, State};
use paperclub_core::views::{NotificationRow, PostPreview};

use crate::api::{NotificationAction, load_notifications};
use crate::components::action_answer::ActionTrouble;
use crate::components::loaded::{Loaded, route_id};
use crate::components::table_scroll::TableScroll;
use crate::i18n::use_texts;
use crate::pages::not_found::NotFound;

#[component]
pub fn NotificationsView() -> impl IntoView {
    let t = use_texts();
    let id = route_id();
    view! {
        <Title text=t.messages/>
        {match id {
            Some(id) => view! { <Notifications id/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        }}
    }
}

/// Event `id`'s messages, reloaded after every send, retry or skip.
#[island]
fn Notifications(id: i64) -> impl IntoView {
    let t = use_texts();
    let act = ServerAction::<NotificationAction>::new();
    let data = Resource::new(move || act.version().get(), move |_| load_notifications(id));
    view! {
        <ActionTrouble answer=act.value()/>
        <Loaded data render=move |page| {
            let id = page.event.id;
            view! {
                <section class="notifications">
                    <p><a href="/admin">"← " {t.dashboard}</a> " · " <a href=format!("/admin/events/{id}/registrations")>{t.registrations}</a></p>
                    <h1>{t.messages} ": " {page.event.title.clone()}</h1>
                    {match (&page.chat, &page.rights) {
                        (None, _) => view! { <p class="notice">{t.telegram_no_channel}</p> }.into_any(),
                        (Some(chat), None) => view! { <p class="notice">{t.telegram_channel} " " {chat.clone()} " · " {t.telegram_not_checked}</p> }.into_any(),
                        (Some(chat), Some(rights)) => match &rights.problem {
                            Some(problem) => view! {
                                <p class="notice notice-error" role="alert" data-testid="rights-problem">{t.telegram_channel} " " {chat.clone()} ": " {t.channel_problem(*problem)}</p>
                            }.into_any(),
                            None => view! { <p class="notice notice-ok">{t.telegram_channel} " " {chat.clone()} ": " {t.telegram_rights_ok}</p> }.into_any(),
                        },
                    }}
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
                                    <th scope="col"><span class="visually-hidden">{t.actions}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.rows.into_iter().map(|row| view! { <Row row event_id=id act/> }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                    <h2>{t.telegram_previews}</h2>
                    <div class="previews">
                        {page.previews.into_iter().map(|preview| view! { <Preview preview/> }).collect_view()}
                    </div>
                </section>
            }
        }/>
    }
}

#[component]
fn Row(row: NotificationRow, event_id: i64, act: ServerAction<NotificationAction>) -> impl IntoView {
    let t = use_texts();
    let actions: Vec<(&'static str, &'static str)> = match row.state {
        State::Pending => vec![("send_now", t.send_now), ("skip", t.skip)],
        State::Failed => vec![("retry", t.retry), ("send_now", t.send_now)],
        State::Cancelled | State::Missed => vec![("send_now", t.send_now)],
        State::Sending | State::Sent => vec![],
    };
    view! {
        <tr data-kind=row.kind.code() data-state=row.state.code()>
            <td>{if row.channel == Channel::Telegram { "✈ " } else { "✉ " }} {row.kind.code()}</td>
            <td>{row.recipient.clone()}</td>
            <td>{row.due_at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
            <td><span class=format!("status status-{}", row.state.code())>{row.state.code()}</span></td>
            <td>{row.attempts}</td>
            <td>{t.notification_note(row.why, row.last_error.as_deref())}</td>
            <td class="row-actions">
                {actions.into_iter().map(|(code, label)| view! {
                    <ActionForm action=act>
                        <input type="hidden" name="event_id" value=event_id/>
                        <input type="hidden" name="id" value=row.id/>
                        <input type="hidden" name="action" value=code/>
                        <button type="submit" class="link-button">{label}</button>
                    </ActionForm>
                }).collect_view()}
            </td>
        </tr>
    }
}

/// A post as Telegram shows it: the HTML is the bot's own (only Telegram's
/// tags; every piece of text escaped when it was rendered).
#[component]
fn Preview(preview: PostPreview) -> impl IntoView {
    view! {
        <figure class="tg-post" data-kind=preview.kind.clone()>
            <figcaption>{preview.kind.clone()}</figcaption>
            <div class="tg-bubble" inner_html=preview.html.replace('\n', "<br>")></div>
            {preview.button.map(|(label, url)| view! { <a class="tg-button" href=url>{label}</a> })}
        </figure>
    }
}
