//! The registration form on an event page. It is drawn on the server only:
//! the form posts, the server redirects back to the event with the answer in
//! the address (`answer_in_address`), and the page shows it. With
//! JavaScript the same post is answered in place (`answer_in_place`), so the
//! public bundle carries none of this.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use paperclub_core::forms::FieldErrors;
use paperclub_core::views::{
    EMAIL_MAX_CHARS, NAME_MAX_CHARS, Question, QuestionKind, RegistrationReply, TEXT_ANSWER_MAX_CHARS,
};

use crate::api::Register;
use crate::components::answer_in_place::AnswersInPlace;
use crate::components::form::{FormProblems, TextField};
use crate::i18n::use_texts;
use crate::registration_reply;

/// The element the answer replaces.
const SECTION_ID: &str = "registration";

/// The answer a post was redirected back with.
pub fn answer_in_address() -> Option<RegistrationReply> {
    use_query_map().with_untracked(|q| {
        registration_reply::from_query(
            q.get("registration").as_deref(),
            q.get("position").as_deref(),
            q.get("field").as_deref(),
            q.get("problem").as_deref(),
        )
    })
}

#[component]
pub fn RegistrationForm(
    event_id: i64,
    seats_left: Option<i64>,
    /// Organisers approve each request: with every seat taken, an approved
    /// request joins the waitlist, and the form says so before anyone applies.
    approval: bool,
    questions: Vec<Question>,
    from_address: Option<RegistrationReply>,
) -> impl IntoView {
    let t = use_texts();
    let action = <Register as ServerFn>::PATH;
    let full = seats_left == Some(0);
    let problems = Signal::stored(match &from_address {
        Some(RegistrationReply::Rejected(errors)) => errors.clone(),
        _ => FieldErrors::new(),
    });
    let message = from_address.and_then(|reply| match reply {
        RegistrationReply::Confirmed => Some(t.reg_confirmed.to_owned()),
        RegistrationReply::Waitlisted { position } => Some(format!("{} {position}.", t.reg_waitlisted)),
        RegistrationReply::Pending if full => Some(t.reg_pending_waitlist.to_owned()),
        RegistrationReply::Pending => Some(t.reg_pending.to_owned()),
        RegistrationReply::AlreadyRegistered => Some(t.reg_already.to_owned()),
        RegistrationReply::Rejected(_) => None,
    });
    view! {
        <section id=SECTION_ID aria-labelledby="registration-heading" class="registration">
            <h2 id="registration-heading">{t.register_heading}</h2>
            {match seats_left {
                Some(0) if approval => Some(view! { <p data-testid="seats">{t.all_seats_taken_approval}</p> }.into_any()),
                Some(0) => Some(view! { <p data-testid="seats">{t.all_seats_taken}</p> }.into_any()),
                Some(n) => Some(view! { <p>{t.seats_left} " " <strong>{n}</strong></p> }.into_any()),
                None => None,
            }}
            {message.map(|text| view! { <p class="notice notice-ok" role="status" data-testid="registration-result">{text}</p> })}
            <FormProblems problems/>
            // `data-answer-in-place` is `answer_in_place::ATTRIBUTE`.
            <form method="post" action=action data-answer-in-place=SECTION_ID>
                <input type="hidden" name="event_id" value=event_id/>
                <div class="inline-fields">
                    <TextField name="name" form_name="name".to_owned() label=t.field_name value=String::new() required=true problems help=t.at_most_chars(NAME_MAX_CHARS)/>
                    <TextField name="email" form_name="email".to_owned() label=t.email value=String::new() kind="email" required=true problems help=t.at_most_chars(EMAIL_MAX_CHARS)/>
                </div>
                {questions.into_iter().enumerate().map(|(index, question)| view! { <QuestionField index question problems/> }).collect_view()}
                <button type="submit" class="button primary">
                    {match (full, approval) {
                        (true, true) => t.apply_for_waitlist_button,
                        (true, false) => t.join_waitlist_button,
                        (false, _) => t.register_button,
                    }}
                </button>
            </form>
        </section>
        <AnswersInPlace/>
    }
}

/// One extra question, named `answers[index]` for the server function.
#[component]
fn QuestionField(index: usize, question: Question, problems: Signal<FieldErrors>) -> impl IntoView {
    let t = use_texts();
    let name = format!("answers[{index}]");
    let id = format!("question-{index}");
    let key = name.clone();
    let problem = move || problems.with(|p| p.get(&key).map(|problem| t.problem(problem)));
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let control = match question.kind {
        // No `maxlength`: a longer paste would be cut without a word; the
        // limit is stated instead, and the server names it if it is passed.
        QuestionKind::Text => view! {
            <label for=id.clone()>{question.label.clone()}</label>
            <input id=id.clone() name=name.clone() required=question.required aria-describedby=format!("{help_id} {error_id}")/>
            <p class="field-help" id=help_id.clone()>{t.at_most_chars(TEXT_ANSWER_MAX_CHARS)}</p>
        }
        .into_any(),
        QuestionKind::Choice => view! {
            <label for=id.clone()>{question.label.clone()}</label>
            <select id=id.clone() name=name.clone() required=question.required aria-describedby=error_id.clone()>
                <option value="">"—"</option>
                {question.options.iter().map(|option| view! { <option value=option.clone()>{option.clone()}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        QuestionKind::Checkbox => view! {
            <label class="checkbox">
                <input type="checkbox" name=name.clone() value="on" required=question.required aria-describedby=error_id.clone()/>
                " " {question.label.clone()}
            </label>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            {control}
            {move || problem().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}
