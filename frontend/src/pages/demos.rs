//! The demo pages: the calibrated-ranking demo's form, and a run's page with
//! its progress and results (a table beside the paper's claim, an SVG plot).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use paperclub_core::views::{CalibrationSummary, DemoRunPage};

use crate::api::{SubmitDemo, load_demo_run};
use crate::components::form::FormProblems;
use crate::components::loaded::{Loaded, by_id};
use crate::i18n::use_texts;
use crate::pages::admin::{ActionTrouble, problems_of};

/// (name, default) of the form's fields, in the registry's order.
const CALIBRATION_FIELDS: &[(&str, &str)] = &[
    ("seed", "0"),
    ("days", "5"),
    ("lists_per_day", "400"),
    ("items_per_list", "20"),
    ("features", "8"),
    ("steps", "1500"),
    ("learning_rate", "1.0"),
    ("drift", "0.02"),
    ("y0", "0.1"),
    ("alpha", "0.5"),
];

#[component]
pub fn DemosView() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SubmitDemo>::new();
    let problems = problems_of(action.value(), Default::default());
    view! {
        <Title text=t.demos_title/>
        <section class="editor">
            <h1>{t.demos_title}</h1>
            <h2>{t.demo_calibration_title}</h2>
            <p>{t.demo_calibration_summary}</p>
            <FormProblems problems/>
            <ActionTrouble answer=action.value()/>
            <ActionForm action>
                <input type="hidden" name="demo" value="calibrated-ranking"/>
                <fieldset>
                    <legend>{t.demo_parameters}</legend>
                    {CALIBRATION_FIELDS.iter().map(|(name, default)| {
                        let id = format!("demo-{name}");
                        let key = *name;
                        view! {
                            <div class="field" class:invalid=move || problems.with(|p| p.get(key).is_some())>
                                <label for=id.clone()>{*name}</label>
                                <input id=id name=format!("params[{name}]") value=*default inputmode="decimal"/>
                                {move || problems.with(|p| p.get(key).map(|problem| t.problem(problem))).map(|text| view! { <p class="field-error">{text}</p> })}
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button primary">{t.demo_run}</button>
            </ActionForm>
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
    let unfinished = run.status == "queued" || run.status == "running";
    let percent = (run.progress * 100.0).round() as u32;
    view! {
        <Title text=format!("{} #{}", t.demo_calibration_title, run.id)/>
        // Without JavaScript the page refreshes itself until the run is over.
        {unfinished.then(|| view! { <Meta http_equiv="refresh" content="2"/> })}
        <section>
            <h1>{t.demo_calibration_title} " #" {run.id}</h1>
            <p data-testid="run-status">{t.status} ": " {t.demo_status(&run.status)}</p>
            {unfinished.then(|| view! {
                <progress max="100" value=percent aria-label=t.demo_progress>{percent} "%"</progress>
            })}
            {run.error.clone().map(|error| view! { <p class="notice notice-error">{error}</p> })}
            <details>
                <summary>{t.demo_parameters}</summary>
                <ul>{run.params.iter().map(|(k, v)| view! { <li>{k.clone()} " = " {v.clone()}</li> }).collect_view()}</ul>
            </details>
            {run.calibration.clone().map(|summary| view! { <CalibrationResult summary/> })}
        </section>
    }
}

fn loss_label(name: &str) -> &'static str {
    match name {
        "Softmax" => "Softmax (uncalibrated)",
        "CalibratedSoftmax" => "Calibrated softmax",
        "Sigmoid" => "Sigmoid cross-entropy",
        "Rcr" => "RCR",
        _ => "?",
    }
}

const COLOURS: [&str; 4] = ["#b3261e", "#1a56b8", "#1e6b34", "#7a4cc2"];

#[component]
fn CalibrationResult(summary: CalibrationSummary) -> impl IntoView {
    let t = use_texts();
    let verdict = if summary.claim_held { t.demo_claim_held } else { t.demo_claim_not_held };
    view! {
        <p class=if summary.claim_held { "notice notice-ok" } else { "notice notice-error" } data-testid="claim">
            {verdict} " (" {format!("{:.1}", summary.spread_ratio)} "×, ΔNDCG " {format!("{:.4}", summary.ndcg_gap)} ")"
        </p>
        <table class="dashboard">
            <caption>{t.demo_metrics}</caption>
            <thead><tr>
                <th scope="col">"Loss"</th>
                <th scope="col">{t.demo_spread}</th>
                <th scope="col">"NDCG@10"</th>
                <th scope="col">"LogLoss"</th>
                <th scope="col">"ECE"</th>
            </tr></thead>
            <tbody>
                {summary.losses.iter().map(|loss| view! {
                    <tr>
                        <th scope="row">{loss_label(&loss.name)}</th>
                        <td>{format!("{:.3}", loss.spread)}</td>
                        <td>{format!("{:.4}", loss.ndcg_at_10)}</td>
                        <td>{format!("{:.3}", loss.log_loss)}</td>
                        <td>{format!("{:.3}", loss.ece)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="field-help">{t.demo_paper_says}</p>
        <DailyMeanPlot summary/>
    }
}

/// Daily mean score per loss as an SVG line chart, with a text alternative.
#[component]
fn DailyMeanPlot(summary: CalibrationSummary) -> impl IntoView {
    let t = use_texts();
    let (width, height, pad) = (560.0, 260.0, 40.0);
    let values: Vec<f64> =
        summary.losses.iter().flat_map(|l| l.daily_mean_score.iter().copied()).filter(|v| v.is_finite()).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (lo, hi) = if lo < hi { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
    let days = summary.losses.first().map(|l| l.daily_mean_score.len()).unwrap_or(1).max(2);
    let x = move |day: usize| pad + (width - 2.0 * pad) * day as f64 / (days - 1) as f64;
    let y = move |v: f64| height - pad - (height - 2.0 * pad) * (v - lo) / (hi - lo);
    let description = summary
        .losses
        .iter()
        .map(|l| {
            format!(
                "{}: {}",
                loss_label(&l.name),
                l.daily_mean_score.iter().map(|v| format!("{v:.2}")).collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="plot">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="plot-title plot-desc" width="100%">
                <title id="plot-title">{t.demo_plot_title}</title>
                <desc id="plot-desc">{description.clone()}</desc>
                <line x1=pad y1=height - pad x2=width - pad y2=height - pad stroke="currentColor"/>
                <line x1=pad y1=pad x2=pad y2=height - pad stroke="currentColor"/>
                <text x=pad y=pad - 8.0 font-size="12" fill="currentColor">{format!("{hi:.2}")}</text>
                <text x=pad y=height - pad + 16.0 font-size="12" fill="currentColor">{format!("{lo:.2}")}</text>
                <text x=width - pad y=height - pad + 16.0 font-size="12" fill="currentColor" text-anchor="end">{t.demo_days}</text>
                {summary.losses.iter().enumerate().map(|(i, loss)| {
                    let points = loss.daily_mean_score.iter().enumerate().map(|(d, v)| format!("{:.1},{:.1}", x(d), y(*v))).collect::<Vec<_>>().join(" ");
                    view! {
                        <polyline points=points fill="none" stroke=COLOURS[i % 4] stroke-width="2"/>
                        <text x=width - pad - 4.0 y=pad + 14.0 * (i + 1) as f64 font-size="11" fill=COLOURS[i % 4] text-anchor="end">{loss_label(&loss.name)}</text>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{t.demo_plot_title}</figcaption>
        </figure>
    }
}
