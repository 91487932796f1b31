//! The performative-recommendation demo in the catalogue: parameters, the
//! authors' setting, and the report as tables, curves and the items on the
//! circle round by round.

use paperclub_demos::performative::{self, Report, SMALL_NDCG_COST, Spread};
use serde_json::{Map, Value};

use super::budget::CostModel;
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{PerformativeClaim, demo_words};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("seeds", 3.0, 1.0, 10.0, Text(|w| w.performative.seeds)),
    int("users", 200.0, 10.0, 500.0, Text(|w| w.performative.users)),
    int("items", 50.0, 5.0, 200.0, Text(|w| w.performative.items)),
    int("list", 10.0, 1.0, 50.0, Text(|w| w.performative.list)),
    int("clusters", 3.0, 1.0, 8.0, Text(|w| w.performative.clusters)),
    real("spread", 0.35, 0.0, 3.0, Text(|w| w.performative.spread)),
    real("strength", 0.8, 0.0, 1.0, Text(|w| w.performative.strength)),
    real("lambda", 0.15, 0.0, 5.0, Text(|w| w.performative.lambda)),
    real("temperature", 0.1, 0.01, 5.0, Text(|w| w.performative.temperature)),
    int("sinkhorn_iterations", 1.0, 0.0, 10.0, Text(|w| w.performative.sinkhorn_iterations)),
    int("rounds", 5.0, 1.0, 10.0, Text(|w| w.performative.rounds)),
    int("steps", 40.0, 5.0, 500.0, Text(|w| w.performative.steps)),
    real("learning_rate", 0.05, 0.001, 1.0, Text(|w| w.performative.learning_rate)),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "performative",
    title: Text(|w| w.performative.title),
    paper: "Eilat & Rosenfeld, ICML 2023 (Performative Recommendation: Diversifying Content via Strategic Incentives)",
    idea: Text(|w| w.performative.idea),
    default_seconds: 30,
    params: PARAMS,
    check,
    cost: COST,
    accepts_upload: false,
    upload_params: &[],
    paper_numbers,
    execute,
    export_data: None,
    present,
};

fn check(params: &Map<String, Value>) -> Vec<(&'static str, Problem)> {
    let items = number(params, "items");
    if number(params, "list") > items {
        return vec![("list", Problem::NotAbove { limit: format!("items ({items})") })];
    }
    Vec::new()
}

/// Each Adam step sorts every user's items softly (users × items² numbers
/// for the pairwise comparisons, then each Sinkhorn iteration over the top
/// ranks), for both λ in every world and round. Memory: those numbers, f32,
/// kept with about eight more of the same size for the backward pass.
const COST: CostModel = CostModel {
    work: |p| {
        let (users, items) = (number(p, "users"), number(p, "items"));
        let per_step = users * items * (items + number(p, "list") * number(p, "sinkhorn_iterations"));
        number(p, "seeds") * 2.0 * number(p, "rounds") * number(p, "steps") * per_step
    },
    time_field: "steps",
    memory: |p| 9.0 * number(p, "users") * number(p, "items") * number(p, "items") * 4.0,
    memory_field: "users",
};

fn paper_numbers(lang: Lang) -> ResultTable {
    let w = &demo_words(lang).performative;
    ResultTable {
        caption: w.authors_synthetic_setting.to_owned(),
        columns: vec![w.what.to_owned(), w.authors.to_owned()],
        rows: vec![
            vec![w.content_dimension.to_owned(), "2".into()],
            vec![w.users_items_list_length.to_owned(), "≈ 200 / 50 / 10".into()],
            vec![w.loss.to_owned(), w.ndcg_neuralsort_diversity_after.to_owned()],
            vec![w.result.to_owned(), w.diversity_higher_with_0.to_owned()],
        ],
        note: w.their_setting_and_finding.to_owned(),
    }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, performative::run)
}

fn spread(s: Spread) -> String {
    format!("{:.3} ({:.3}…{:.3})", s.mean, s.low, s.high)
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).performative;
    let lambda = report.params.lambda;
    let [without, with] = *report.diversity.last()?;
    let held = |yes: bool| if yes { w.yes } else { w.no };
    let claim = (w.claim)(&PerformativeClaim {
        rounds: report.params.rounds as u64,
        with_term: with.mean,
        without_term: without.mean,
        lambda,
        separated: held(report.diversity_separated),
        ndcg_cost: report.ndcg_cost,
        small_cost: SMALL_NDCG_COST,
        cost_small: held(report.ndcg_cost <= SMALL_NDCG_COST),
        initial: report.initial_diversity.mean,
        homogenised: held(report.homogenised),
        verdict: verdict(report.claim_held, lang),
    });
    let with_name = format!("λ = {lambda}");
    let rounds = ResultTable {
        caption: w.per_round_mean_over.to_owned(),
        columns: vec![
            w.round_column.to_owned(),
            w.diversity_0.to_owned(),
            format!("{} {with_name}", w.diversity.to_owned()),
            "NDCG, λ = 0".into(),
            format!("NDCG, {with_name}"),
        ],
        rows: report
            .diversity
            .iter()
            .zip(&report.ndcg)
            .enumerate()
            .map(|(r, (d, n))| vec![(r + 1).to_string(), spread(d[0]), spread(d[1]), spread(n[0]), spread(n[1])])
            .collect(),
        note: format!(
            "{} {} {} {:.1} {}",
            w.diversity_is_mean_distance.to_owned(),
            spread(report.initial_diversity),
            w.run_time.to_owned(),
            report.seconds,
            w.seconds_unit.to_owned()
        ),
    };
    let names = [w.lambda_zero.to_owned(), with_name.clone()];
    let by_round = |title: String, y_label: &str, values: &[[Spread; 2]]| Plot {
        title,
        x_label: w.round_axis.to_owned(),
        y_label: y_label.to_owned(),
        series: (0..2)
            .map(|k| PlotSeries {
                name: names[k].clone(),
                points: values
                    .iter()
                    .enumerate()
                    .map(|(r, s)| PlotPoint { x: (r + 1) as f64, y: s[k].mean, range: Some((s[k].low, s[k].high)) })
                    .collect(),
            })
            .collect(),
        scatter: false,
    };
    let points = |name: String, points: &[[f64; 2]]| PlotSeries {
        name,
        points: points.iter().map(|p| PlotPoint { x: p[0], y: p[1], range: None }).collect(),
    };
    let world = &report.shown;
    let mut plots = vec![
        by_round(w.diversity_content_after_response.to_owned(), "", &report.diversity),
        by_round(w.ndcg_list_on_content.to_owned(), "NDCG", &report.ndcg),
        Plot {
            title: format!("{} (seed {})", w.start_users_tastes_and.to_owned(), world.seed),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![
                points(w.users_label.to_owned(), &world.users),
                points(w.items_label.to_owned(), &world.items),
            ],
            scatter: true,
        },
    ];
    for r in 0..world.rounds[0].len() {
        plots.push(Plot {
            title: format!("{} {} (seed {})", w.items_after_response_round.to_owned(), r + 1, world.seed),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![
                points(names[0].clone(), &world.rounds[0][r].items_after),
                points(names[1].clone(), &world.rounds[1][r].items_after),
            ],
            scatter: true,
        });
    }
    Some(DemoResult { claim_held: report.claim_held, claim, tables: vec![rounds], plots })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_presents_its_rounds_and_the_circle_round_by_round() {
        let raw = crate::demo_runs::spec::raw_form(&[
            ("users", "30"),
            ("items", "12"),
            ("list", "4"),
            ("seeds", "2"),
            ("rounds", "2"),
            ("steps", "10"),
        ]);
        let params = Value::Object(SPEC.parse(&raw).unwrap());
        let stored = (SPEC.execute)(Input { params: &params, dataset: None }, &mut |_| true).unwrap().unwrap();
        for lang in Lang::ALL {
            let result = (SPEC.present)(&stored, lang).unwrap();
            assert_eq!(result.tables[0].rows.len(), 2);
            // Diversity, NDCG, the start, then one picture per round.
            assert_eq!(result.plots.len(), 5);
            assert!(result.plots[2].scatter && !result.plots[0].scatter);
        }
        let too_long = crate::demo_runs::spec::raw_form(&[("items", "8"), ("list", "9")]);
        assert!(SPEC.parse(&too_long).unwrap_err().get("list").is_some());
        let too_much = crate::demo_runs::spec::raw_form(&[("users", "500"), ("items", "200"), ("steps", "500")]);
        assert!(SPEC.parse(&too_much).unwrap_err().get("steps").is_some());
    }
}
