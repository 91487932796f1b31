//! The demo pages: the catalogue, a demo's page (its idea, the paper's
//! numbers, the parameter form, an upload of the visitor's own data), and a
//! run's page (progress, then the claim, tables and plots). Everything works
//! without JavaScript: forms post, and a running run's page refreshes itself.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use paperclub_core::forms::{FieldErrors, Problem};
use paperclub_core::views::{DemoCard, DemoField, DemoPage, DemoRunPage, DemoRunStatus};

use crate::api::{CancelDemoRun, SubmitDemo, load_demo, load_demo_catalogue, load_demo_run};
use crate::components::answer_in_place::AnswersInPlace;
use crate::components::form::{FormProblems, Problems};
use crate::components::loaded::{Loaded, Trouble, by_id};
use crate::components::plot::{PlotView, ResultTableView};
use crate::i18n::use_texts;

#[component]
pub fn DemosView() -> impl IntoView {
    let t = use_texts();
    let cards = Resource::new(|| (), |_| load_demo_catalogue());
    view! {
        <Title text=t.demos_title/>
        <section>
            <h1>{t.demos_title}</h1>
            <p>{t.demos_intro}</p>
            <Suspense fallback=move || view! { <p class="loading">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match cards.await {
                        Ok(cards) => view! {
                            <ul class="cards demo-cards">
                                {cards.into_iter().map(|card| view! { <li><DemoCardView card/></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <Trouble failure=error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DemoCardView(card: DemoCard) -> impl IntoView {
    let t = use_texts();
    let href = format!("/demos/{}", card.id);
    view! {
        <article class="card" data-demo=card.id.clone()>
            <h2><a href=href.clone()>{card.title}</a></h2>
            <p class="meta">{card.paper}</p>
            <p>{card.idea}</p>
            <p class="meta">{t.demo_about_seconds} " " {card.default_seconds}</p>
            <a class="button" href=href>{t.demo_open}</a>
        </article>
    }
}

#[component]
pub fn DemoView() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("demo").unwrap_or_default(),
        |demo| async move { load_demo(demo).await },
    );
    view! { <Loaded data render=|page| view! { <DemoDetail page/> }/> }
}

/// The fields of a demo's form, named `params[<name>]`.
#[component]
fn ParamFields(fields: Vec<DemoField>, problems: Problems, prefix: &'static str) -> impl IntoView {
    let t = use_texts();
    view! {
        <fieldset>
            <legend>{t.demo_parameters}</legend>
            {fields.into_iter().map(|field| {
                let id = format!("{prefix}-{}", field.name);
                let help_id = format!("{id}-help");
                let key = field.name.clone();
                let invalid = {
                    let key = key.clone();
                    move || problems.with(|p| p.get(&key).is_some())
                };
                let aria_invalid = invalid.clone();
                let problem = move || problems.with(|p| p.get(&key).map(|problem| t.problem(problem)));
                view! {
                    <div class="field" class:invalid=invalid.clone()>
                        <label for=id.clone()>{field.name.clone()}</label>
                        <input
                            id=id
                            name=format!("params[{}]", field.name)
                            value=field.default.clone()
                            inputmode=if field.integer { "numeric" } else { "decimal" }
                            aria-describedby=help_id.clone()
                            aria-invalid=move || aria_invalid().to_string()
                        />
                        <p class="field-help" id=help_id>{field.help.clone()} " (" {field.min.clone()} "…" {field.max.clone()} ")"</p>
                        {move || problem().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The form's fields, filled with what was typed when a post without
/// JavaScript was refused (else their defaults).
fn typed_back(fields: &[DemoField]) -> Vec<DemoField> {
    fields
        .iter()
        .map(|field| DemoField {
            default: crate::refusal_in_address::typed_in_address(&field.name).unwrap_or_else(|| field.default.clone()),
            ..field.clone()
        })
        .collect()
}

/// The parameter form. It posts; a refusal comes back to this page with its
/// problem in the address (answered in place with JavaScript), and a queued
/// run sends the visitor to its page.
#[component]
fn DemoForm(demo: String, fields: Vec<DemoField>, from_address: FieldErrors) -> impl IntoView {
    let t = use_texts();
    let action = <SubmitDemo as ServerFn>::PATH;
    let problems = Signal::stored(from_address);
    view! {
        <div id="run">
            <FormProblems problems/>
            // `data-answer-in-place` is `answer_in_place::ATTRIBUTE`.
            <form method="post" action=action data-answer-in-place="run">
                <input type="hidden" name="demo" value=demo/>
                <ParamFields fields problems prefix="demo"/>
                <button type="submit" class="button primary">{t.demo_run}</button>
            </form>
        </div>
        <AnswersInPlace/>
    }
}

#[component]
fn DemoDetail(page: DemoPage) -> impl IntoView {
    let t = use_texts();
    let card = page.card.clone();
    let upload_action = format!("/demos/{}/upload", card.id);
    // An upload posted without JavaScript comes back with its problem in the address.
    let query = use_query_map();
    let upload_problem = move || {
        query.with(|q| {
            let problem = q.get("upload_problem").filter(|raw| raw.len() <= 300)?;
            let problem: Problem = serde_json::from_str(&problem).ok()?;
            let field = q.get("upload_field").filter(|f| f.len() <= 40 && f != "data");
            Some(match field {
                Some(field) => format!("{field}: {}", t.problem(&problem)),
                None => t.problem(&problem),
            })
        })
    };
    view! {
        <Title text=card.title.clone()/>
        <section class="editor demo">
            <p><a href="/demos">"← " {t.demo_back}</a></p>
            <h1>{card.title.clone()}</h1>
            <p class="meta">{card.paper.clone()}</p>
            <p>{card.idea.clone()}</p>
            {(!page.sessions.is_empty()).then(|| view! {
                <p>{t.demo_used_in} ": "
                    {page.sessions.iter().map(|s| view! { <a href=format!("/events/{}", s.id)>{s.title.clone()}</a> " " }).collect_view()}
                </p>
            })}
            <ResultTableView table=page.paper_numbers.clone()/>
            <DemoForm demo=card.id.clone() fields=typed_back(&page.fields) from_address=crate::refusal_in_address::in_address()/>
            {page.upload_fields.clone().map(|fields| view! {
                <h2 id="upload">{t.demo_upload_title}</h2>
                <p class="field-help">{t.demo_upload_help}</p>
                {move || upload_problem().map(|text| view! { <p class="notice notice-error" role="alert" data-testid="upload-problem">{text}</p> })}
                <form method="post" action=upload_action.clone() enctype="multipart/form-data">
                    <div class="field">
                        <label for="upload-data">"CSV"</label>
                        <input id="upload-data" type="file" name="data" accept=".csv,text/csv" required/>
                    </div>
                    <ParamFields fields problems=Signal::derive(Default::default) prefix="upload"/>
                    <button type="submit" class="button">{t.demo_upload_button}</button>
                </form>
            })}
            {(!page.recent_runs.is_empty()).then(|| view! {
                <h2>{t.demo_recent_runs}</h2>
                <ul class="runs">
                    {page.recent_runs.iter().map(|run| view! {
                        <li>
                            <a href=format!("/demos/runs/{}", run.id)>{t.demo_run_link} " #" {run.id}</a>
                            " · " {t.demo_status(run.status)}
                            {run.claim_held.map(|held| format!(" · {}", if held { t.demo_claim_held } else { t.demo_claim_not_held }))}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
pub fn DemoRunView() -> impl IntoView {
    let data = by_id(load_demo_run);
    view! { <Loaded data render=|run| view! { <RunDetail run/> }/> }
}

#[component]
fn RunDetail(run: DemoRunPage) -> impl IntoView {
    let t = use_texts();
    let unfinished = run.status.is_unfinished();
    let percent = (run.progress * 100.0).round() as u32;
    view! {
        <Title text=format!("{} #{}", run.demo.title, run.id)/>
        // Without JavaScript the page refreshes itself until the run is over
        // (a `noscript` refresh: with JavaScript, `RunProgress` follows the run).
        {unfinished.then(|| view! { <noscript><meta http-equiv="refresh" content="2"/></noscript> })}
        <section class="demo-run">
            <p><a href=format!("/demos/{}", run.demo.id)>"← " {run.demo.title.clone()}</a></p>
            <h1>{run.demo.title.clone()} " #" {run.id}</h1>
            {if unfinished {
                view! { <RunProgress id=run.id status=run.status percent/> }.into_any()
            } else {
                view! {
                    <p data-testid="run-status">{t.status} ": " {t.demo_status(run.status)}
                        {run.seconds.map(|s| format!(" · {} {s:.1}", t.demo_elapsed))}
                    </p>
                }.into_any()
            }}
            {run.can_cancel.then(|| view! { <CancelRun id=run.id/> })}
            {run.error.clone().map(|error| view! { <p class="notice notice-error" role="alert">{error}</p> })}
            <details>
                <summary>{t.demo_parameters}</summary>
                <ul>{run.params.iter().map(|(k, v)| view! { <li>{k.clone()} " = " {v.clone()}</li> }).collect_view()}</ul>
                {run.dataset.clone().map(|rows| view! { <p>{t.demo_uploaded_rows} " " {rows}</p> })}
            </details>
            {run.result.clone().map(|result| view! {
                <p class=if result.claim_held { "notice notice-ok" } else { "notice notice-error" } data-testid="claim">
                    <strong>{if result.claim_held { t.demo_claim_held } else { t.demo_claim_not_held }}</strong>
                    ". " {result.claim.clone()}
                </p>
                {result.tables.into_iter().map(|table| view! { <ResultTableView table/> }).collect_view()}
                {result.plots.into_iter().enumerate().map(|(i, plot)| view! { <PlotView plot id=format!("plot-{i}")/> }).collect_view()}
            })}
            <ResultTableView table=run.paper_numbers.clone()/>
            {run.has_data.then(|| view! {
                <p><a href=format!("/demos/runs/{}/data.csv", run.id) download="">{t.demo_download_data}</a></p>
            })}
        </section>
    }
}

/// An unfinished run's status and progress bar, asked of the server every
/// two seconds; once the run is over the page loads once more, to show the
/// results rendered on the server.
#[island]
fn RunProgress(id: i64, status: DemoRunStatus, percent: u32) -> impl IntoView {
    let t = use_texts();
    let now = RwSignal::new((status, percent));
    // On the server the island only renders; it follows the run in the browser.
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    #[cfg(feature = "hydrate")]
    {
        use crate::api::demo_run_progress;
        let asking = StoredValue::new(false);
        let handle = set_interval_with_handle(
            move || {
                if asking.get_value() {
                    return;
                }
                asking.set_value(true);
                leptos::task::spawn_local(async move {
                    match demo_run_progress(id).await {
                        Ok(Some((status, _))) if !status.is_unfinished() => {
                            let _ = window().location().reload();
                        }
                        Ok(Some((status, progress))) => now.set((status, (progress * 100.0).round() as u32)),
                        // Gone or unreachable for now: ask again at the next tick.
                        _ => {}
                    }
                    asking.set_value(false);
                });
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <p data-testid="run-status">{t.status} ": " {move || t.demo_status(now.get().0)}</p>
        <progress max="100" value=move || now.get().1 aria-label=t.demo_progress>{move || now.get().1} "%"</progress>
        <p class="field-help">{t.demo_waiting}</p>
    }
}

/// Stop: the run's owner (or an organiser) asks the worker to stop. A plain
/// post, answered with the run's page.
#[component]
fn CancelRun(id: i64) -> impl IntoView {
    let t = use_texts();
    let action = <CancelDemoRun as ServerFn>::PATH;
    view! {
        <form method="post" action=action>
            <input type="hidden" name="id" value=id/>
            <button type="submit" class="button">{t.demo_cancel}</button>
        </form>
    }
}
