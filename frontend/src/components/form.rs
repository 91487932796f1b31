//! Labelled form fields that show their problem next to them.

use leptos::prelude::*;
use paperclub_core::forms::FieldErrors;

use crate::i18n::use_texts;

/// The problems to show: from the last post made with JavaScript (the
/// action's answer), else from the page's data (a post made without it).
pub type Problems = Signal<FieldErrors>;

fn problem_view(name: &'static str, problems: Problems) -> impl IntoView {
    let t = use_texts();
    move || {
        problems.with(|p| p.get(name).map(|problem| t.problem(problem))).map(|text| {
            view! { <p class="field-error" id=format!("{name}-error")>{text}</p> }
        })
    }
}

#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    value: String,
    problems: Problems,
    #[prop(optional, into)] help: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] form_name: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let invalid = move || problems.with(|p| p.get(name).is_some());
    let has_help = help.is_some();
    let described = move || {
        let mut ids = Vec::new();
        if has_help {
            ids.push(format!("{name}-help"));
        }
        if invalid() {
            ids.push(format!("{name}-error"));
        }
        ids.join(" ")
    };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=form_name.unwrap_or_else(|| format!("form[{name}]"))
                type=kind
                value=value
                required=required
                aria-invalid=move || invalid().to_string()
                aria-describedby=described
            />
            {help.map(|help| view! { <p class="field-help" id=format!("{name}-help")>{help}</p> })}
            {problem_view(name, problems)}
        </div>
    }
}

#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    value: String,
    problems: Problems,
    #[prop(optional)] help: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let id = format!("field-{name}");
    let invalid = move || problems.with(|p| p.get(name).is_some());
    view! {
        <div class="field field-wide" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=format!("form[{name}]")
                rows=rows
                aria-invalid=move || invalid().to_string()
                aria-describedby=format!("{name}-help {name}-error")
            >{value}</textarea>
            {help.map(|help| view! { <p class="field-help" id=format!("{name}-help")>{help}</p> })}
            {problem_view(name, problems)}
        </div>
    }
}

#[component]
pub fn Choice(
    name: &'static str,
    label: &'static str,
    value: String,
    /// (code, label) pairs.
    options: Vec<(String, String)>,
    problems: Problems,
) -> impl IntoView {
    let id = format!("field-{name}");
    let invalid = move || problems.with(|p| p.get(name).is_some());
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            <select id=id name=format!("form[{name}]") aria-invalid=move || invalid().to_string()>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let selected = code == value;
                        view! { <option value=code selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {problem_view(name, problems)}
        </div>
    }
}

/// The form-wide message (`_form`) and, when any field has a problem, a
/// summary that screen readers announce.
#[component]
pub fn FormProblems(problems: Problems) -> impl IntoView {
    let t = use_texts();
    move || {
        problems.with(|p| {
            if p.is_empty() {
                return None;
            }
            let text =
                p.get(FieldErrors::FORM).map(|problem| t.problem(problem)).unwrap_or_else(|| t.fix_errors.to_owned());
            Some(view! { <p class="notice notice-error" role="alert">{text}</p> })
        })
    }
}
