//! Creating and editing a session or a meetup: one form for both, with the
//! people, papers and programme written one per line.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use paperclub_core::events::{EventFormat, EventKind, LinkVisibility, RegistrationMode};

use crate::api::{EventEditor, SaveEvent, load_event_editor};
use crate::components::action_answer::{ActionTrouble, problems_of};
use crate::components::form::{Choice, FormProblems, TextArea, TextField};
use crate::components::loaded::{Loaded, by_id};
use crate::i18n::use_texts;

#[component]
pub fn NewEventView() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("kind"), q.get("series").and_then(|s| s.parse::<i64>().ok()))
        },
        |(kind, series)| load_event_editor(None, kind, series),
    );
    view! { <Loaded data render=|editor| view! { <EventEditorForm editor/> }/> }
}

#[component]
pub fn EditEventView() -> impl IntoView {
    let data = by_id(|id| load_event_editor(Some(id), None, None));
    view! { <Loaded data render=|editor| view! { <EventEditorForm editor/> }/> }
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|&item| (code(item).to_owned(), label(item).to_owned())).collect()
}

fn heading(editor: &EventEditor) -> &'static str {
    let t = use_texts();
    match (editor.id, EventKind::parse(&editor.form.kind).unwrap_or(EventKind::Session)) {
        (Some(_), _) => t.edit_event,
        (None, EventKind::Session) => t.new_session,
        (None, EventKind::Meetup) => t.new_meetup,
    }
}

#[component]
fn EventEditorForm(editor: EventEditor) -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    view! {
        <Title text=heading(&editor)/>
        <EventEditorFields editor saved/>
    }
}

/// The form itself: with JavaScript a refusal shows next to its fields in place.
#[island]
fn EventEditorFields(editor: EventEditor, saved: bool) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SaveEvent>::new();
    let fallback = editor.rejected.as_ref().map(|r| r.errors.clone()).unwrap_or_default();
    let problems = problems_of(action.value(), fallback);
    let heading = heading(&editor);
    let form = editor.form;
    let series_options: Vec<(String, String)> =
        editor.series.iter().map(|s| (s.id.to_string(), format!("{} ({})", s.title, s.time_zone))).collect();
    view! {

        <section class="editor">
            <h1>{heading}</h1>
            {saved.then(|| view! { <p class="notice notice-ok" role="status">{t.saved}</p> })}
            {editor.id.map(|id| view! { <p><a href=format!("/events/{id}")>{t.view_page}</a></p> })}
            <FormProblems problems/>
            <ActionTrouble answer=action.value()/>
            <ActionForm action>
                {editor.id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                <fieldset>
                    <legend>{t.field_title}</legend>
                    <Choice name="series_id" label=t.field_series value=form.series_id options=series_options problems/>
                    <Choice name="kind" label=t.field_kind value=form.kind
                        options=options(EventKind::ALL, EventKind::code, |k| t.event_kind(k)) problems/>
                    <TextField name="number" label=t.field_number value=form.number kind="number" help=t.field_number_help problems/>
                    <TextField name="title" label=t.field_title value=form.title required=true problems/>
                    <TextArea name="description" label=t.field_description value=form.description help=t.field_description_help rows=8 problems/>
                </fieldset>
                <fieldset>
                    <legend>{t.when}</legend>
                    <TextField name="date" label=t.field_date value=form.date kind="date" required=true problems/>
                    <TextField name="start_time" label=t.field_start value=form.start_time kind="time" required=true problems/>
                    <TextField name="end_time" label=t.field_end value=form.end_time kind="time" required=true problems/>
                    <TextField name="time_zone" label=t.field_time_zone value=form.time_zone help=t.field_time_zone_help problems/>
                </fieldset>
                <fieldset>
                    <legend>{t.where_}</legend>
                    <Choice name="format" label=t.field_format value=form.format
                        options=options(EventFormat::ALL, EventFormat::code, |f| t.format(f)) problems/>
                    <TextField name="online_url" label=t.field_online_url value=form.online_url kind="url" problems/>
                    <Choice name="link_visibility" label=t.field_link_visibility value=form.link_visibility
                        options=options(LinkVisibility::ALL, LinkVisibility::code, |v| match v {
                            LinkVisibility::Everyone => t.link_everyone,
                            LinkVisibility::Registered => t.link_registered,
                        }) problems/>
                    <TextField name="venue_name" label=t.field_venue_name value=form.venue_name problems/>
                    <TextField name="venue_address" label=t.field_venue_address value=form.venue_address problems/>
                </fieldset>
                <fieldset>
                    <legend>{t.registration}</legend>
                    <Choice name="registration_mode" label=t.field_registration_mode value=form.registration_mode
                        options=options(RegistrationMode::ALL, RegistrationMode::code, |m| t.registration_mode(m)) problems/>
                    <TextField name="capacity" label=t.field_capacity value=form.capacity kind="number" help=t.field_capacity_help problems/>
                    <TextField name="registration_deadline" label=t.field_registration_deadline value=form.registration_deadline kind="datetime-local" help=t.field_registration_deadline_help problems/>
                    <TextArea name="questions" label=t.field_questions value=form.questions help=t.field_questions_help rows=3 problems/>
                </fieldset>
                <fieldset>
                    <legend>{t.presenters} " · " {t.papers} " · " {t.programme}</legend>
                    <TextArea name="presenters" label=t.field_presenters value=form.presenters help=t.field_presenters_help rows=3 problems/>
                    <TextArea name="papers" label=t.field_papers value=form.papers help=t.field_papers_help rows=3 problems/>
                    <TextArea name="programme" label=t.field_programme value=form.programme help=t.field_programme_help rows=8 problems/>
                </fieldset>
                <fieldset>
                    <legend>{t.recording} " · " {t.slides}</legend>
                    <TextField name="recording_url" label=t.field_recording_url value=form.recording_url kind="url" problems/>
                    <TextField name="recording_file_name" label=t.field_recording_file_name value=form.recording_file_name problems/>
                    <TextField name="recording_size_mb" label=t.field_recording_size_mb value=form.recording_size_mb kind="number" problems/>
                    <TextField name="slides_url" label=t.field_slides_url value=form.slides_url kind="url" problems/>
                    <TextArea name="demos" label=t.field_demos value=form.demos help=t.help_demos rows=2 problems/>
                </fieldset>
                <fieldset>
                    <legend>"Telegram"</legend>
                    <div class="field">
                        <label>
                            <input type="checkbox" name="form[pin_announcement]" value="on" checked=form.pin_announcement == "on"/>
                            " " {t.field_pin_announcement}
                        </label>
                    </div>
                    <TextField name="reminder_minutes" label=t.field_reminder_minutes value=form.reminder_minutes help=t.help_event_reminder_minutes problems/>
                </fieldset>
                <button type="submit" class="button primary">{t.save}</button>
            </ActionForm>
        </section>
    }
}
