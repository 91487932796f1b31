//! The DLRM continual-learning demo in the catalogue: parameters, TorchRec's
//! reference numbers, and the report as tables and plots.

use paperclub_demos::dlrm::{self, Report};
use serde_json::{Map, Value};

use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, says, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int(
        "days",
        6.0,
        3.0,
        14.0,
        "Дней трафика; на каждом следующем дне проверяются все три подхода.",
        "Days of traffic; each next day tests all three ways.",
    ),
    int("samples_per_day", 12000.0, 1000.0, 60000.0, "Показов в день.", "Impressions per day."),
    int(
        "dense",
        8.0,
        1.0,
        13.0,
        "Числовых признаков (как счётчики в Criteo, лог-нормальные).",
        "Dense features (log-normal counts, as in Criteo).",
    ),
    int("fields", 4.0, 1.0, 8.0, "Категориальных признаков.", "Categorical features."),
    int(
        "ids_per_field",
        1500.0,
        100.0,
        50000.0,
        "Идентификаторов в поле в первый день (популярность по Ципфу).",
        "Ids per field on the first day (Zipf popularity).",
    ),
    real(
        "new_id_share",
        0.08,
        0.0,
        0.5,
        "Доля показов с совсем новым идентификатором.",
        "Share of impressions with a brand-new id.",
    ),
    real(
        "drift",
        0.35,
        0.0,
        2.0,
        "Насколько за день смещаются истинные эффекты идентификаторов.",
        "How far the true id effects move per day.",
    ),
    int("embedding_dim", 8.0, 2.0, 32.0, "Размер эмбеддинга.", "Embedding size."),
    int(
        "table_rows",
        2000.0,
        16.0,
        100000.0,
        "Строк в каждой таблице эмбеддингов; когда места нет, вытесняется самый давний id.",
        "Rows per embedding table; when full, the stalest id is evicted.",
    ),
    int(
        "hidden",
        24.0,
        4.0,
        128.0,
        "Нейронов в скрытых слоях нижнего и верхнего MLP.",
        "Hidden units of the bottom and top MLPs.",
    ),
    real("learning_rate", 0.03, 0.001, 1.0, "Шаг Adagrad.", "Adagrad learning rate."),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "dlrm",
    title: Text { ru: "DLRM с дообучением каждый день", en: "DLRM with continual learning" },
    paper: "Naumov et al. 2019 (arXiv 1906.00091); TorchRec",
    idea: Text {
        ru: "DLRM: числовые признаки идут через нижний MLP, категориальные — через таблицы эмбеддингов, все векторы попарно перемножаются, верхний MLP даёт вероятность клика. Каждый день приходят новые идентификаторы и вкусы смещаются. Сравниваем на следующем дне: модель, обученную один раз, дообучаемую (тёплый старт, один проход по новому дню, Adagrad по строкам только для затронутых строк, вытеснение давних id из ограниченных таблиц) и переобучаемую с нуля на всех днях.",
        en: "DLRM: dense features go through a bottom MLP, categorical ones through embedding tables, all vectors interact by pairwise dot products, and a top MLP gives the click probability. Every day brings new ids and drifting tastes. On each next day we compare a model trained once, one trained on continually (warm start, one pass over the new day, row-wise Adagrad on the touched rows only, stale ids evicted from bounded tables), and one retrained from scratch on all days.",
    },
    default_seconds: 2,
    params: PARAMS,
    check,
    accepts_upload: false,
    upload_params: &[],
    paper_numbers,
    execute,
    export_data: None,
    present,
};

fn check(params: &Map<String, Value>) -> Vec<(&'static str, Problem)> {
    let work = number(params, "days") * number(params, "samples_per_day");
    // Full retraining grows with the square of the days: keep a run within minutes.
    if work > 300_000.0 {
        return vec![(
            "samples_per_day",
            Problem::NotAbove { limit: format!("{}", (300_000.0 / number(params, "days")).floor()) },
        )];
    }
    Vec::new()
}

fn paper_numbers(lang: Lang) -> ResultTable {
    let t = says(lang);
    ResultTable {
        caption: t("Эталон TorchRec на Criteo 1TB", "TorchRec's reference on Criteo 1TB"),
        columns: vec![t("Что", "What"), "AUROC".into()],
        rows: vec![
            vec![t("DLRM в TorchRec, одна эпоха, 8 GPU", "TorchRec's DLRM, one epoch, 8 GPUs"), "0.8030".into()],
            vec![t("Цель MLPerf", "MLPerf target"), "0.8025".into()],
        ],
        note: t(
            "Их числа — на 4 млрд показов настоящего Criteo; наши — на маленьком сгенерированном потоке, сравнивайте подходы между собой.",
            "Their numbers are on 4 billion real Criteo impressions; ours are on a small generated stream: compare the three ways with each other.",
        ),
    }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, dlrm::run)
}

fn strategy(k: usize, lang: Lang) -> String {
    match (k, lang) {
        (0, Lang::Ru) => "Обучена один раз".into(),
        (0, Lang::En) => "Trained once".into(),
        (1, Lang::Ru) => "Дообучение".into(),
        (1, Lang::En) => "Continual".into(),
        (_, Lang::Ru) => "Переобучение с нуля".into(),
        (_, Lang::En) => "Full retrain".into(),
    }
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let ru = lang == Lang::Ru;
    let t = says(lang);
    let [stale, continual, full] = report.mean_auc;
    let claim = if ru {
        format!(
            "Утверждение: после дрейфа дообучение лучше модели, обученной один раз, и близко к переобучению с нуля за долю его стоимости. Средний AUC: один раз {stale:.4}, дообучение {continual:.4}, с нуля {full:.4}; дообучение стоит {:.0}% обучающих примеров переобучения — {}.",
            report.cost_share * 100.0,
            verdict(report.claim_held, Lang::Ru)
        )
    } else {
        format!(
            "The claim: after the drift, continual learning beats the model trained once and comes close to full retraining at a fraction of its cost. Mean AUC: once {stale:.4}, continual {continual:.4}, full {full:.4}; continual costs {:.0}% of full retraining's training samples: {}.",
            report.cost_share * 100.0,
            verdict(report.claim_held, Lang::En)
        )
    };
    let per_day = ResultTable {
        caption: t("По дням (каждый день — на следующем дне трафика)", "Per day (each tested on that day's traffic)"),
        columns: vec![
            t("День", "Day"),
            format!("AUC: {}", strategy(0, lang)),
            format!("AUC: {}", strategy(1, lang)),
            format!("AUC: {}", strategy(2, lang)),
            format!("LogLoss: {}", strategy(1, lang)),
            t("Обучение, примеров: дообучение / с нуля", "Trained samples: continual / full"),
            t("Заполненность таблиц", "Table occupancy"),
            t("Вытеснений", "Evictions"),
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
            t("Скорость обучения на одном ядре:", "Training speed on one core:"),
            report.samples_per_second,
            t("примеров/с.", "samples/s.")
        ),
    };
    let series = |value: &dyn Fn(&paperclub_demos::dlrm::DayReport, usize) -> f64| -> Vec<PlotSeries> {
        (0..3)
            .map(|k| PlotSeries {
                name: strategy(k, lang),
                points: report
                    .days
                    .iter()
                    .map(|d| PlotPoint { x: d.day as f64, y: value(d, k), range: None })
                    .collect(),
            })
            .collect()
    };
    let day_axis = t("день", "day");
    let plots = vec![
        Plot {
            scatter: false,
            title: t("AUC на следующем дне", "AUC on the next day"),
            x_label: day_axis.clone(),
            y_label: "AUC".into(),
            series: series(&|d, k| d.auc[k]),
        },
        Plot {
            scatter: false,
            title: t("LogLoss на следующем дне", "LogLoss on the next day"),
            x_label: day_axis.clone(),
            y_label: "LogLoss".into(),
            series: series(&|d, k| d.log_loss[k]),
        },
        Plot {
            scatter: false,
            title: t("Стоимость обучения за день, примеров", "Training cost per day, samples"),
            x_label: day_axis.clone(),
            y_label: t("примеров", "samples"),
            series: series(&|d, k| d.trained_samples[k] as f64),
        },
        Plot {
            scatter: false,
            title: t("Таблицы эмбеддингов дообучаемой модели", "The continual model's embedding tables"),
            x_label: day_axis,
            y_label: t("доля строк / вытеснения, тыс.", "rows in use / evictions, thousands"),
            series: vec![
                PlotSeries {
                    name: t("заполненность", "occupancy"),
                    points: report
                        .days
                        .iter()
                        .map(|d| PlotPoint { x: d.day as f64, y: d.occupancy, range: None })
                        .collect(),
                },
                PlotSeries {
                    name: t("вытеснения, тыс.", "evictions, thousands"),
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
        let too_much = crate::demo_runs::spec::raw_form(&[("days", "14"), ("samples_per_day", "60000")]);
        assert!(SPEC.parse(&too_much).unwrap_err().get("samples_per_day").is_some());
    }
}
