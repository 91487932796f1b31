//! The calibrated-ranking demo in the catalogue: its parameters, the papers'
//! claim, and its report as tables and plots.

use paperclub_demos::calibration::{self, Loss, Report};
use serde_json::Value;

use super::budget::CostModel;
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, verdict};
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{CalibrationClaim, CalibrationWords, demo_words};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("days", 5.0, 2.0, 14.0, Text(|w| w.calibration.days)),
    int("lists_per_day", 400.0, 20.0, 2000.0, Text(|w| w.calibration.lists_per_day)),
    int("items_per_list", 20.0, 5.0, 50.0, Text(|w| w.calibration.items_per_list)),
    int("features", 8.0, 2.0, 32.0, Text(|w| w.calibration.features)),
    int("hidden", 0.0, 0.0, 32.0, Text(|w| w.calibration.hidden)),
    int("steps", 1500.0, 50.0, 5000.0, Text(|w| w.calibration.steps)),
    real("learning_rate", 1.0, 0.01, 5.0, Text(|w| w.calibration.learning_rate)),
    real("drift", 0.02, 0.0, 1.0, Text(|w| w.calibration.drift)),
    real("y0", 0.1, 0.001, 1.0, Text(|w| w.calibration.y0)),
    real("alpha", 0.5, 0.0, 1.0, Text(|w| w.calibration.alpha)),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "calibrated-ranking",
    title: Text(|w| w.calibration.title),
    paper: "Yan et al., KDD 2022; Bai et al., CIKM 2023",
    idea: Text(|w| w.calibration.idea),
    default_seconds: 9,
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

/// Every step scores every item of every day's lists under each of the four
/// losses: a linear scorer costs about `features` multiply-adds an item, a
/// perceptron `hidden × (features + 1)` more, and the loss and its gradient
/// about 18 (fitted to the bench: the 16-unit perceptron took 6.5x the
/// linear model's time on the defaults). The data, the scores and the
/// hidden activations are held as f64.
const COST: CostModel = CostModel {
    work: |p| {
        let per_item = 18.0 + number(p, "features") + number(p, "hidden") * (number(p, "features") + 1.0);
        items(p) * number(p, "steps") * per_item
    },
    time_field: "steps",
    memory: |p| items(p) * (number(p, "features") + 2.0 + 2.0 * number(p, "hidden")) * 8.0,
    memory_field: "lists_per_day",
};

fn items(p: &serde_json::Map<String, Value>) -> f64 {
    number(p, "days") * number(p, "lists_per_day") * number(p, "items_per_list")
}

fn paper_numbers(lang: Lang) -> ResultTable {
    let w = &demo_words(lang).calibration;
    ResultTable {
        caption: w.what_authors_report.to_owned(),
        columns: vec![w.paper.to_owned(), w.claim_column.to_owned()],
        rows: vec![
            vec!["Yan et al., KDD 2022".into(), w.listwise_losses_give_uncalibrated.to_owned()],
            vec!["Bai et al., CIKM 2023".into(), w.rcr_is_calibrated_logloss.to_owned()],
            vec![w.teams_channel.to_owned(), w.reproduced_on_our_friend.to_owned()],
        ],
        note: w.papers_report_this_on.to_owned(),
    }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, calibration::run)
}

fn loss_label(loss: Loss, w: &'static CalibrationWords) -> &'static str {
    match loss {
        Loss::Softmax => w.softmax,
        Loss::CalibratedSoftmax { .. } => w.calibrated_softmax,
        Loss::Sigmoid => w.sigmoid,
        Loss::Rcr { .. } => w.rcr,
    }
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).calibration;
    let claim = (w.claim)(&CalibrationClaim {
        spread_ratio: report.spread_ratio,
        ndcg_gap: report.ndcg_gap,
        verdict: verdict(report.claim_held, lang),
    });
    let metrics = ResultTable {
        caption: w.metrics_per_loss_this.to_owned(),
        columns: vec![
            w.loss.to_owned(),
            w.spread_daily_mean.to_owned(),
            "NDCG@10".into(),
            "LogLoss".into(),
            "ECE".into(),
        ],
        rows: report
            .losses
            .iter()
            .map(|l| {
                vec![
                    loss_label(l.loss, w).to_owned(),
                    format!("{:.3}", l.spread),
                    format!("{:.4}", l.ndcg_at_10),
                    format!("{:.3}", l.log_loss),
                    format!("{:.3}", l.ece),
                ]
            })
            .collect(),
        note: w.ndcg_10_is_mean.to_owned(),
    };
    let days = report.losses.first().map_or(0, |l| l.daily_mean_score.len());
    let ratios = ResultTable {
        caption: w.each_days_mean_score.to_owned(),
        columns: std::iter::once(w.loss.to_owned()).chain((2..=days).map(|d| format!("{d}/{}", d - 1))).collect(),
        rows: report
            .losses
            .iter()
            .map(|l| {
                std::iter::once(loss_label(l.loss, w).to_owned())
                    .chain(l.day_over_day_ratio.iter().map(|r| format!("{r:.3}")))
                    .collect()
            })
            .collect(),
        note: w.channel_posts_picture_without.to_owned(),
    };
    let day_axis = w.day_axis.to_owned();
    let mean_plot = Plot {
        scatter: false,
        title: w.mean_held_out_score.to_owned(),
        x_label: day_axis.clone(),
        y_label: w.mean_score.to_owned(),
        series: report
            .losses
            .iter()
            .map(|l| PlotSeries {
                name: loss_label(l.loss, w).to_owned(),
                points: l
                    .daily_mean_score
                    .iter()
                    .enumerate()
                    .map(|(d, y)| PlotPoint { x: (d + 1) as f64, y: *y, range: None })
                    .collect(),
            })
            .collect(),
    };
    let distribution_plot = Plot {
        scatter: false,
        title: w.score_distribution_per_day.to_owned(),
        x_label: day_axis,
        y_label: w.score.to_owned(),
        series: report
            .losses
            .iter()
            .enumerate()
            .map(|(k, l)| PlotSeries {
                name: loss_label(l.loss, w).to_owned(),
                // Side by side within a day, so the whiskers do not hide each other.
                points: l
                    .daily_quantiles
                    .iter()
                    .enumerate()
                    .map(|(d, [p10, p50, p90])| PlotPoint {
                        x: (d + 1) as f64 + (k as f64 - 1.5) * 0.12,
                        y: *p50,
                        range: Some((*p10, *p90)),
                    })
                    .collect(),
            })
            .collect(),
    };
    Some(DemoResult {
        claim_held: report.claim_held,
        claim,
        tables: vec![metrics, ratios],
        plots: vec![mean_plot, distribution_plot],
    })
}
