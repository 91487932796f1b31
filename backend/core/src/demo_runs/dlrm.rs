//! The DLRM continual-learning demo in the catalogue: parameters, TorchRec's
//! reference numbers, and the report as tables and plots.

use paperclub_demos::dlrm::{self, Report};
use serde_json::Value;

use super::budget::CostModel;
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, verdict};
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{DlrmClaim, DlrmWords, demo_words};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("days", 6.0, 3.0, 14.0, Text(|w| w.dlrm.days)),
    int("samples_per_day", 12000.0, 1000.0, 60000.0, Text(|w| w.dlrm.samples_per_day)),
    int("dense", 8.0, 1.0, 13.0, Text(|w| w.dlrm.dense)),
    int("fields", 4.0, 1.0, 8.0, Text(|w| w.dlrm.fields)),
    int("ids_per_field", 1500.0, 100.0, 50000.0, Text(|w| w.dlrm.ids_per_field)),
    real("new_id_share", 0.08, 0.0, 0.5, Text(|w| w.dlrm.new_id_share)),
    real("drift", 0.35, 0.0, 2.0, Text(|w| w.dlrm.drift)),
    int("embedding_dim", 8.0, 2.0, 32.0, Text(|w| w.dlrm.embedding_dim)),
    int("table_rows", 2000.0, 16.0, 100000.0, Text(|w| w.dlrm.table_rows)),
    int("hidden", 24.0, 4.0, 128.0, Text(|w| w.dlrm.hidden)),
    real("learning_rate", 0.03, 0.001, 1.0, Text(|w| w.dlrm.learning_rate)),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "dlrm",
    title: Text(|w| w.dlrm.title),
    paper: "Naumov et al. 2019 (arXiv 1906.00091); TorchRec",
    idea: Text(|w| w.dlrm.idea),
    default_seconds: 2,
    params: PARAMS,
    check: |_| Vec::new(),
    cost: COST,
    accepts_upload: false,
    upload_params: &[],
    paper_numbers,
    execute,
    export_data: None,
    present,
};

/// Samples passed forward and backward: day 0 twice, one pass a day for
/// the continual model, every day so far for each full retrain (the square
/// of the days), and three models scored on each next day. A sample costs
/// the two MLPs, the lookups and the pairwise dot products. Memory: the three
/// models' tables (f64 rows with their Adagrad state) and the days' samples.
const COST: CostModel = CostModel {
    work: |p| {
        let (days, per_day) = (number(p, "days"), number(p, "samples_per_day"));
        let samples = per_day * (days + days * (days - 1.0) / 2.0 + 3.0 * (days - 1.0));
        let (fields, dim) = (number(p, "fields"), number(p, "embedding_dim"));
        let per_sample = number(p, "hidden") * (number(p, "dense") + 2.0 * dim + fields * fields / 2.0) + fields * dim;
        samples * per_sample
    },
    time_field: "samples_per_day",
    memory: |p| {
        let tables = 3.0 * number(p, "fields") * number(p, "table_rows") * (number(p, "embedding_dim") + 1.0) * 8.0;
        let samples =
            number(p, "days") * number(p, "samples_per_day") * (number(p, "dense") + number(p, "fields") + 1.0) * 8.0;
        tables + samples
    },
    memory_field: "table_rows",
};

fn paper_numbers(lang: Lang) -> ResultTable {
    let w = &demo_words(lang).dlrm;
    ResultTable {
        caption: w.torchrecs_reference_on_criteo.to_owned(),
        columns: vec![w.what.to_owned(), "AUROC".into()],
        rows: vec![
            vec![w.torchrecs_dlrm_one_epoch.to_owned(), "0.8030".into()],
            vec![w.mlperf_target.to_owned(), "0.8025".into()],
        ],
        note: w.their_numbers_are_on.to_owned(),
    }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, dlrm::run)
}

fn strategy(k: usize, w: &'static DlrmWords) -> String {
    match k {
        0 => w.trained_once,
        1 => w.continual,
        _ => w.full_retrain,
    }
    .to_owned()
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).dlrm;
    let [stale, continual, full] = report.mean_auc;
    let claim = (w.claim)(&DlrmClaim {
        stale,
        continual,
        full,
        cost_share: report.cost_share,
        verdict: verdict(report.claim_held, lang),
    });
    let per_day = ResultTable {
        caption: w.per_day_each_tested.to_owned(),
        columns: vec![
            w.day_column.to_owned(),
            format!("AUC: {}", strategy(0, w)),
            format!("AUC: {}", strategy(1, w)),
            format!("AUC: {}", strategy(2, w)),
            format!("LogLoss: {}", strategy(1, w)),
            w.trained_samples_continual_full.to_owned(),
            w.table_occupancy.to_owned(),
            w.evictions.to_owned(),
        ],
        rows: report
            .days
            .iter()
            .map(|d| {
                vec![
                    d.day.to_string(),
                    format!("{:.4}", d.auc[0]),
                    format!("{:.4}", d.auc[1]),
                    format!("{:.4}", d.auc[2]),
                    format!("{:.4}", d.log_loss[1]),
                    format!("{} / {}", d.trained_samples[1], d.trained_samples[2]),
                    format!("{:.0}%", d.occupancy * 100.0),
                    d.evictions.to_string(),
                ]
            })
            .collect(),
        note: format!(
            "{} {:.0} {}",
            w.training_speed_on_one.to_owned(),
            report.samples_per_second,
            w.samples_per_second_unit.to_owned()
        ),
    };
    let series = |value: &dyn Fn(&paperclub_demos::dlrm::DayReport, usize) -> f64| -> Vec<PlotSeries> {
        (0..3)
            .map(|k| PlotSeries {
                name: strategy(k, w),
                points: report
                    .days
                    .iter()
                    .map(|d| PlotPoint { x: d.day as f64, y: value(d, k), range: None })
                    .collect(),
            })
            .collect()
    };
    let day_axis = w.day_axis.to_owned();
    let plots = vec![
        Plot {
            scatter: false,
            title: w.auc_on_next_day.to_owned(),
            x_label: day_axis.clone(),
            y_label: "AUC".into(),
            series: series(&|d, k| d.auc[k]),
        },
        Plot {
            scatter: false,
            title: w.logloss_on_next_day.to_owned(),
            x_label: day_axis.clone(),
            y_label: "LogLoss".into(),
            series: series(&|d, k| d.log_loss[k]),
        },
        Plot {
            scatter: false,
            title: w.training_cost_per_day.to_owned(),
            x_label: day_axis.clone(),
            y_label: w.samples_axis.to_owned(),
            series: series(&|d, k| d.trained_samples[k] as f64),
        },
        Plot {
            scatter: false,
            title: w.continual_models_embedding_tables.to_owned(),
            x_label: day_axis,
            y_label: w.rows_in_use_evictions.to_owned(),
            series: vec![
                PlotSeries {
                    name: w.occupancy.to_owned(),
                    points: report
                        .days
                        .iter()
                        .map(|d| PlotPoint { x: d.day as f64, y: d.occupancy, range: None })
                        .collect(),
                },
                PlotSeries {
                    name: w.evictions_thousands.to_owned(),
                    points: report
                        .days
                        .iter()
                        .map(|d| PlotPoint { x: d.day as f64, y: d.evictions as f64 / 1000.0, range: None })
                        .collect(),
                },
            ],
        },
    ];
    Some(DemoResult { claim_held: report.claim_held, claim, tables: vec![per_day], plots })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_presents_its_days_and_four_plots() {
        let raw = crate::demo_runs::spec::raw_form(&[
            ("days", "3"),
            ("samples_per_day", "1500"),
            ("ids_per_field", "200"),
            ("table_rows", "300"),
        ]);
        let params = Value::Object(SPEC.parse(&raw).unwrap());
        let stored = (SPEC.execute)(Input { params: &params, dataset: None }, &mut |_| true).unwrap().unwrap();
        for lang in Lang::ALL {
            let result = (SPEC.present)(&stored, lang).unwrap();
            assert_eq!(result.tables[0].rows.len(), 2);
            assert_eq!(result.plots.len(), 4);
        }
        let too_much = crate::demo_runs::spec::raw_form(&[
            ("days", "14"),
            ("samples_per_day", "60000"),
            ("hidden", "128"),
            ("fields", "8"),
            ("embedding_dim", "32"),
        ]);
        assert!(SPEC.parse(&too_much).unwrap_err().get("samples_per_day").is_some());
    }
}
