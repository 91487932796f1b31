use leptos::prelude::*;
use leptos_meta::Title;
use paperclub_core::lang::Lang;

use crate::api::{SaveSeries, SeriesEditor, load_series_editor};
use crate::components::action_answer::{ActionTrouble, problems_of};
use crate::components::form::{Choice, FormProblems, TextArea, TextField};
use crate::components::loaded::{Loaded, by_id};
use crate::i18n::use_texts;

#[component]
pub fn NewSeriesView() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_series_editor(None));
    view! { <Loaded data render=|editor| view! { <SeriesEditorForm editor/> }/> }
}

#[component]
pub fn EditSeriesView() -> impl IntoView {
    let data = by_id(|id| load_series_editor(Some(id)));
    view! { <Loaded data render=|editor| view! { <SeriesEditorForm editor/> }/> }
}

#[component]
fn SeriesEditorForm(editor: SeriesEditor) -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=if editor.id.is_some() { t.edit_series } else { t.new_series }/>
        <SeriesEditorFields editor/>
    }
}

/// The form itself: with JavaScript a refusal shows next to its fields in place.
#[island]
fn SeriesEditorFields(editor: SeriesEditor) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SaveSeries>::new();
    let fallback = editor.rejected.as_ref().map(|r| r.errors.clone()).unwrap_or_default();
    let problems = problems_of(action.value(), fallback);
    let heading = if editor.id.is_some() { t.edit_series } else { t.new_series };
    let form = editor.form;
    let languages = Lang::ALL
        .iter()
        .map(|l| (l.code().to_owned(), paperclub_core::words::words(*l).site.language_name.to_owned()))
        .collect();
    view! {
        <section class="editor narrow">
            <h1>{heading}</h1>
            <FormProblems problems/>
            <ActionTrouble answer=action.value()/>
            <ActionForm action>
                {editor.id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                <TextField name="title" label=t.field_title value=form.title required=true problems/>
                <TextField name="slug" label=t.field_slug value=form.slug help=t.field_slug_help required=true problems/>
                <TextArea name="description" label=t.field_description value=form.description help=t.field_description_help problems/>
                <TextField name="time_zone" label=t.field_time_zone value=form.time_zone required=true problems/>
                <Choice name="language" label=t.field_language value=form.language options=languages problems/>
                <TextField name="telegram_chat" label=t.field_telegram_chat value=form.telegram_chat help=t.help_telegram_chat problems/>
                <TextField name="reminder_minutes" label=t.field_reminder_minutes value=form.reminder_minutes help=t.help_reminder_minutes problems/>
                <button type="submit" class="button primary">{t.save}</button>
            </ActionForm>
        </section>
    }
}
