//! The GA-SATF demo in the catalogue: parameters, the authors' table, the
//! bounds of an uploaded data set, and the report as tables and a plot.

use paperclub_demos::sequences::{self, CsvError, CsvLimits, Params, Report, Sequences};
use serde_json::{Map, Value};

use super::budget::CostModel;
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, int, number, real, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{SequencesClaim, SequencesWords, demo_words};

/// What an upload may hold: about MovieLens-1M's size, no more.
pub const UPLOAD_LIMITS: CsvLimits =
    CsvLimits { max_rows: 1_200_000, max_item_id: 9_999, min_users: 20, max_users: 6_100 };
pub const UPLOAD_MAX_BYTES: usize = 24 * 1024 * 1024;

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("users", 2000.0, 50.0, 6000.0, Text(|w| w.sequences.users)),
    int("items", 600.0, 20.0, 4000.0, Text(|w| w.sequences.items)),
    int("clusters", 12.0, 2.0, 100.0, Text(|w| w.sequences.clusters)),
    int("min_length", 20.0, 3.0, 400.0, Text(|w| w.sequences.min_length)),
    int("max_length", 80.0, 3.0, 400.0, Text(|w| w.sequences.max_length)),
    real("p_next", 0.6, 0.0, 1.0, Text(|w| w.sequences.p_next)),
    real("p_taste", 0.3, 0.0, 1.0, Text(|w| w.sequences.p_taste)),
    int("positions", 50.0, 2.0, 200.0, Text(|w| w.sequences.positions)),
    int("rank_users", 64.0, 1.0, 128.0, Text(|w| w.sequences.rank_users)),
    int("rank_items", 64.0, 1.0, 128.0, Text(|w| w.sequences.rank_items)),
    int("rank_positions", 8.0, 1.0, 32.0, Text(|w| w.sequences.rank_positions)),
    real("decay", 0.0, 0.0, 3.0, Text(|w| w.sequences.decay)),
    real("scaling", 1.0, 0.0, 2.0, Text(|w| w.sequences.scaling)),
    int("iterations", 4.0, 1.0, 10.0, Text(|w| w.sequences.iterations)),
    int("svd_rank", 64.0, 1.0, 256.0, Text(|w| w.sequences.svd_rank)),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "ga-satf",
    title: Text(|w| w.sequences.title),
    paper: "Frolov & Oseledets, IEEE Access 2023 (arXiv 2212.05720)",
    idea: Text(|w| w.sequences.idea),
    default_seconds: 1,
    params: PARAMS,
    check,
    cost: COST,
    accepts_upload: true,
    upload_params: &[
        "seed",
        "positions",
        "rank_users",
        "rank_items",
        "rank_positions",
        "decay",
        "scaling",
        "iterations",
        "svd_rank",
    ],
    paper_numbers,
    execute,
    export_data: Some(export_data),
    present,
};

fn check(params: &Map<String, Value>) -> Vec<(&'static str, Problem)> {
    let mut problems = Vec::new();
    let (min_length, max_length) = (number(params, "min_length"), number(params, "max_length"));
    if min_length > max_length {
        problems.push(("min_length", Problem::NotAbove { limit: format!("max_length ({max_length})") }));
    }
    let (p_next, p_taste) = (number(params, "p_next"), number(params, "p_taste"));
    if p_next + p_taste > 1.0 + 1e-12 {
        problems.push(("p_taste", Problem::NotAbove { limit: format!("1 − p_next ({})", 1.0 - p_next) }));
    }
    if number(params, "clusters") > number(params, "items") {
        problems.push(("clusters", Problem::NotAbove { limit: format!("items ({})", number(params, "items")) }));
    }
    if let Ok(parsed) = serde_json::from_value::<Params>(Value::Object(params.clone())) {
        for (name, limit) in parsed.limits(parsed.data.users, parsed.data.items) {
            problems.push((name, Problem::NotAbove { limit: limit.to_string() }));
        }
    }
    problems
}

/// On generated data (an upload is capped by its rows instead): each
/// iteration of the tensor factorisation projects every interaction through
/// two of the three factor matrices and takes a truncated SVD of each
/// unfolding; PureSVD and the evaluation score every user against every item.
/// Memory: the users × items scores, f64, twice, and the users' unfolding.
const COST: CostModel = CostModel {
    work: |p| {
        let (users, items, positions) = (number(p, "users"), number(p, "items"), number(p, "positions"));
        let (ru, ri, rp) = (number(p, "rank_users"), number(p, "rank_items"), number(p, "rank_positions"));
        let length = ((number(p, "min_length") + number(p, "max_length")) / 2.0).min(positions);
        let per_iteration = users * length * (ri * rp + ru * rp + ru * ri)
            + users * ri * rp * ru
            + items * ru * rp * ri
            + positions * ru * ri * rp;
        number(p, "iterations") * per_iteration + users * items * (number(p, "svd_rank") + ri)
    },
    time_field: "users",
    memory: |p| {
        let (users, items) = (number(p, "users"), number(p, "items"));
        2.0 * users * items * 8.0 + users * number(p, "rank_items") * number(p, "rank_positions") * 8.0
    },
    memory_field: "items",
};

fn paper_numbers(lang: Lang) -> ResultTable {
    let w = &demo_words(lang).sequences;
    let row = |model: &str, hr: &str, ndcg: &str| vec![model.to_owned(), hr.to_owned(), ndcg.to_owned()];
    ResultTable {
        caption: w.authors_results_on_movielens.to_owned(),
        columns: vec![w.model.to_owned(), "HR@10".into(), "NDCG@10".into()],
        rows: vec![
            row("GA-SATF", "0.112", "0.061"),
            row("LA-SATF", "0.132", "0.072"),
            row("SASRec", "0.134", "0.069"),
            row("PureSVD", "0.060", "0.029"),
        ],
        note: w.their_numbers_on_different.to_owned(),
    }
}

/// Why an uploaded file cannot be used, as a form problem.
pub fn upload_problem(error: CsvError) -> Problem {
    let at = |line: usize, problem: Problem| Problem::Line { line, problem: Box::new(problem) };
    match error {
        CsvError::Columns { line } => at(line, Problem::CsvColumns),
        CsvError::NotANumber { line, column } => at(line, Problem::CsvNotANumber { column: column.to_owned() }),
        CsvError::ItemTooLarge { line, max } => at(line, Problem::OutOfRange { min: 0, max: max as i64 }),
        CsvError::TooManyRows { max } => Problem::TooManyRows { max },
        CsvError::TooFewUsers { min } => Problem::TooFewUsers { min },
        CsvError::TooManyUsers { max } => Problem::TooManyUsers { max },
    }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    use paperclub_demos::progress::{Flow, Halt};
    let params: Params = serde_json::from_value(input.params.clone()).map_err(|e| e.to_string())?;
    let data = match input.dataset {
        Some(csv) => Some(Sequences::from_csv(csv, UPLOAD_LIMITS).map_err(|e| format!("{e:?}"))?),
        None => None,
    };
    match sequences::run(&params, data.as_ref(), &mut |p| {
        if progress(p.fraction()) { Flow::Continue } else { Flow::Stop }
    }) {
        Ok(report) => serde_json::to_value(report).map(Some).map_err(|e| e.to_string()),
        Err(Halt::Cancelled) => Ok(None),
        Err(Halt::Failed(reason)) => Err(reason),
    }
}

fn export_data(params: &Value) -> Option<String> {
    let params: Params = serde_json::from_value(params.clone()).ok()?;
    Some(params.data.generate(params.seed).to_csv())
}

fn model_label(model: &str, w: &'static SequencesWords) -> String {
    match model {
        "most_popular" => w.most_popular,
        "pure_svd" => "PureSVD",
        "ga_satf" => "GA-SATF",
        "markov" => w.markov,
        other => other,
    }
    .to_owned()
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).sequences;
    let hr = |name: &str| report.models.iter().find(|m| m.model == name).map_or(0.0, |m| m.ranking.hr_at_10);
    let claim = (w.claim)(&SequencesClaim {
        ga_satf: hr("ga_satf"),
        pure_svd: hr("pure_svd"),
        most_popular: hr("most_popular"),
        verdict: verdict(report.claim_held, lang),
    });
    let models = ResultTable {
        caption: w.this_run_leave_last.to_owned(),
        columns: vec![w.model.to_owned(), "HR@10".into(), "NDCG@10".into(), w.coverage.to_owned(), w.fit.to_owned()],
        rows: report
            .models
            .iter()
            .map(|m| {
                vec![
                    model_label(&m.model, w),
                    format!("{:.4}", m.ranking.hr_at_10),
                    format!("{:.4}", m.ranking.ndcg_at_10),
                    format!("{:.3}", m.ranking.coverage),
                    format!("{:.2}", m.fit_seconds),
                ]
            })
            .collect(),
        note: w.every_users_last_item.to_owned(),
    };
    let data = ResultTable {
        caption: w.data.to_owned(),
        columns: vec![w.what.to_owned(), w.how_many.to_owned()],
        rows: vec![
            vec![w.source.to_owned(), if report.uploaded { w.uploaded_csv.to_owned() } else { w.generator.to_owned() }],
            vec![w.users_label.to_owned(), report.users.to_string()],
            vec![w.items_label.to_owned(), report.items.to_string()],
            vec![w.interactions.to_owned(), report.interactions.to_string()],
        ],
        note: String::new(),
    };
    // The weight of the item k steps before the one being predicted (1 = the latest).
    let len = report.position_weights.len();
    let weights = Plot {
        scatter: false,
        title: w.which_past_positions_matter.to_owned(),
        x_label: w.steps_back.to_owned(),
        y_label: w.weight.to_owned(),
        series: vec![PlotSeries {
            name: "GA-SATF".into(),
            points: (1..len)
                .map(|back| PlotPoint { x: back as f64, y: report.position_weights[len - 1 - back], range: None })
                .collect(),
        }],
    };
    Some(DemoResult { claim_held: report.claim_held, claim, tables: vec![models, data], plots: vec![weights] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_parameter_bounds_are_named_on_their_fields() {
        let raw = crate::demo_runs::spec::raw_form(&[
            ("min_length", "90"),
            ("p_taste", "0.5"),
            ("rank_positions", "20"),
            ("positions", "10"),
        ]);
        let errors = SPEC.parse(&raw).unwrap_err();
        assert_eq!(errors.get("min_length"), Some(&Problem::NotAbove { limit: "max_length (80)".into() }));
        assert!(matches!(errors.get("p_taste"), Some(Problem::NotAbove { .. })));
        assert_eq!(errors.get("rank_positions"), Some(&Problem::NotAbove { limit: "10".into() }));
    }

    #[test]
    fn a_small_run_presents_its_tables_and_plot_in_both_languages() {
        let raw = crate::demo_runs::spec::raw_form(&[
            ("users", "200"),
            ("items", "60"),
            ("clusters", "6"),
            ("positions", "10"),
            ("rank_users", "8"),
            ("rank_items", "8"),
            ("rank_positions", "3"),
            ("svd_rank", "8"),
        ]);
        let params = Value::Object(SPEC.parse(&raw).unwrap());
        let stored = (SPEC.execute)(Input { params: &params, dataset: None }, &mut |_| true).unwrap().unwrap();
        for lang in Lang::ALL {
            let result = (SPEC.present)(&stored, lang).unwrap();
            assert_eq!(result.tables[0].rows.len(), 4);
            assert_eq!(result.plots[0].series[0].points.len(), 9);
            assert!(result.claim.contains("GA-SATF"));
        }
    }
}
