//! The calibrated-ranking demo in the catalogue: its parameters, the papers'
//! claim, and its report as tables and plots.

use paperclub_demos::calibration::{self, Loss, Report};
use serde_json::Value;

use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, real, says, verdict};
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("days", 5.0, 2.0, 14.0, "Сколько дней модель переобучается с нуля.", "Days of retraining from scratch."),
    int("lists_per_day", 400.0, 20.0, 2000.0, "Списков кандидатов в день.", "Candidate lists per day."),
    int("items_per_list", 20.0, 5.0, 50.0, "Кандидатов в списке.", "Candidates per list."),
    int("features", 8.0, 2.0, 32.0, "Признаков у кандидата.", "Features per candidate."),
    int(
        "hidden",
        0.0,
        0.0,
        32.0,
        "Нейронов скрытого слоя; 0 — линейная модель. Перцептрон медленнее: с 16 нейронами и 1500 шагами запуск идёт около минуты, берите 300–500 шагов.",
        "Hidden units of the two-layer perceptron; 0 trains a linear scorer. The perceptron is slower: with 16 units and 1,500 steps a run takes about a minute; try 300-500 steps.",
    ),
    int("steps", 1500.0, 50.0, 5000.0, "Шагов градиентного спуска в день.", "Gradient steps per day."),
    real("learning_rate", 1.0, 0.01, 5.0, "Шаг обучения.", "Learning rate."),
    real(
        "drift",
        0.02,
        0.0,
        1.0,
        "Насколько сдвигается истинный сдвиг кликов за день.",
        "How much the true click bias moves per day.",
    ),
    real(
        "y0",
        0.1,
        0.001,
        1.0,
        "Метка виртуального элемента в калиброванном softmax.",
        "The virtual item's label in the calibrated softmax.",
    ),
    real("alpha", 0.5, 0.0, 1.0, "Доля листвайз-части в RCR.", "The listwise share in RCR."),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "calibrated-ranking",
    title: Text { ru: "Калибровка ранжирующих лоссов", en: "Calibrated ranking losses" },
    paper: "Yan et al., KDD 2022; Bai et al., CIKM 2023",
    idea: Text {
        ru: "Рекомендер друзей переобучается каждый день. Обычный softmax-лосс не видит сдвига всех скоров на константу, поэтому уровень скоров гуляет от дня ко дню и порог не переживает переобучения. Калиброванный softmax (виртуальный элемент со скором 0 и маленькой меткой) и RCR (сигмоидная кросс-энтропия плюс листвайз-часть над log-sigmoid скорами) закрепляют уровень, а качество ранжирования не меняется.",
        en: "A friend recommender is retrained every day. The plain softmax loss cannot see a shift of all scores by a constant, so the score level wanders from day to day and no threshold survives a retrain. Calibrated softmax (a virtual item with score 0 and a small label) and RCR (sigmoid cross-entropy plus a listwise term over log-sigmoid scores) pin the level, and ranking quality stays the same.",
    },
    default_seconds: 9,
    params: PARAMS,
    check: |_| Vec::new(),
    accepts_upload: false,
    upload_params: &[],
    paper_numbers,
    execute,
    export_data: None,
    present,
};

fn paper_numbers(lang: Lang) -> ResultTable {
    let t = says(lang);
    ResultTable {
        caption: t("Что сообщают авторы", "What the authors report"),
        columns: vec![t("Статья", "Paper"), t("Утверждение", "Claim")],
        rows: vec![
            vec![
                "Yan et al., KDD 2022".into(),
                t(
                    "Листвайз-лоссы дают некалиброванные скоры; калиброванный softmax делает их вероятностями, не ухудшая ранжирование.",
                    "Listwise losses give uncalibrated scores; the calibrated softmax makes them probabilities without hurting ranking.",
                ),
            ],
            vec![
                "Bai et al., CIKM 2023".into(),
                t(
                    "RCR одновременно калиброван (LogLoss, ECE как у сигмоиды) и ранжирует как листвайз-лосс.",
                    "RCR is calibrated (LogLoss and ECE like the sigmoid's) and ranks like a listwise loss.",
                ),
            ],
            vec![
                t("Канал команды", "The team's channel"),
                t(
                    "Воспроизвели на рекомендере друзей: без калибровки соотношение скоров по дням непредсказуемо, с ней стабильно; метрики ранжирования не изменились.",
                    "Reproduced on our friend recommender: without calibration the ratio of scores across days is unpredictable, with it stable; ranking metrics unchanged.",
                ),
            ],
        ],
        note: t(
            "Статьи сообщают это на своих данных; ниже — наши числа на сгенерированном потоке.",
            "The papers report this on their own data; our numbers on a generated stream are below.",
        ),
    }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, calibration::run)
}

fn loss_label(loss: Loss, lang: Lang) -> &'static str {
    match (loss, lang) {
        (Loss::Softmax, Lang::Ru) => "Softmax (без калибровки)",
        (Loss::Softmax, Lang::En) => "Softmax (uncalibrated)",
        (Loss::CalibratedSoftmax { .. }, Lang::Ru) => "Калиброванный softmax",
        (Loss::CalibratedSoftmax { .. }, Lang::En) => "Calibrated softmax",
        (Loss::Sigmoid, Lang::Ru) => "Сигмоидная кросс-энтропия",
        (Loss::Sigmoid, Lang::En) => "Sigmoid cross-entropy",
        (Loss::Rcr { .. }, _) => "RCR",
    }
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let ru = lang == Lang::Ru;
    let t = says(lang);
    let claim = if ru {
        format!(
            "Утверждение: разброс среднего скора по дням у некалиброванного лосса хотя бы в 10 раз больше, чем у калиброванных, а NDCG@10 отличается меньше чем на 0,005. В этом запуске: в {:.1} раза, ΔNDCG@10 = {:.4} — {}.",
            report.spread_ratio,
            report.ndcg_gap,
            verdict(report.claim_held, Lang::Ru)
        )
    } else {
        format!(
            "The claim: the uncalibrated loss's day-to-day spread of the mean score is at least 10x the calibrated ones' while NDCG@10 differs by less than 0.005. This run: {:.1}x, ΔNDCG@10 = {:.4}: {}.",
            report.spread_ratio,
            report.ndcg_gap,
            verdict(report.claim_held, Lang::En)
        )
    };
    let metrics = ResultTable {
        caption: t("Метрики по лоссам (наш запуск)", "Metrics per loss (this run)"),
        columns: vec![
            t("Лосс", "Loss"),
            t("Разброс среднего скора", "Spread of the daily mean"),
            "NDCG@10".into(),
            "LogLoss".into(),
            "ECE".into(),
        ],
        rows: report
            .losses
            .iter()
            .map(|l| {
                vec![
                    loss_label(l.loss, lang).to_owned(),
                    format!("{:.3}", l.spread),
                    format!("{:.4}", l.ndcg_at_10),
                    format!("{:.3}", l.log_loss),
                    format!("{:.3}", l.ece),
                ]
            })
            .collect(),
        note: t(
            "NDCG@10 — среднее по дням; LogLoss и ECE — у модели последнего дня на отложенном дне.",
            "NDCG@10 is the mean over days; LogLoss and ECE are the last day's model on the held-out day.",
        ),
    };
    let days = report.losses.first().map_or(0, |l| l.daily_mean_score.len());
    let ratios = ResultTable {
        caption: t(
            "Средний скор дня, делённый на средний скор предыдущего",
            "Each day's mean score over the previous day's",
        ),
        columns: std::iter::once(t("Лосс", "Loss")).chain((2..=days).map(|d| format!("{d}/{}", d - 1))).collect(),
        rows: report
            .losses
            .iter()
            .map(|l| {
                std::iter::once(loss_label(l.loss, lang).to_owned())
                    .chain(l.day_over_day_ratio.iter().map(|r| format!("{r:.3}")))
                    .collect()
            })
            .collect(),
        note: t(
            "Картинка из поста канала: без калибровки соотношение непредсказуемо, с калибровкой близко к 1.",
            "The channel post's picture: without calibration the ratio is unpredictable, with it close to 1.",
        ),
    };
    let day_axis = t("день", "day");
    let mean_plot = Plot {
        scatter: false,
        title: t("Средний скор на отложенных данных по дням", "Mean held-out score per day"),
        x_label: day_axis.clone(),
        y_label: t("средний скор", "mean score"),
        series: report
            .losses
            .iter()
            .map(|l| PlotSeries {
                name: loss_label(l.loss, lang).to_owned(),
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
        title: t(
            "Распределение скоров по дням: медиана, 10-й и 90-й перцентили",
            "Score distribution per day: median, 10th and 90th percentiles",
        ),
        x_label: day_axis,
        y_label: t("скор", "score"),
        series: report
            .losses
            .iter()
            .enumerate()
            .map(|(k, l)| PlotSeries {
                name: loss_label(l.loss, lang).to_owned(),
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
