//! The GA-SATF demo in the catalogue: parameters, the authors' table, the
//! bounds of an uploaded data set, and the report as tables and a plot.

use paperclub_demos::sequences::{self, CsvError, CsvLimits, Params, Report, Sequences};
use serde_json::{Map, Value};

use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, int, number, real, says, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

/// What an upload may hold: about MovieLens-1M's size, no more.
pub const UPLOAD_LIMITS: CsvLimits =
    CsvLimits { max_rows: 1_200_000, max_item_id: 9_999, min_users: 20, max_users: 6_100 };
pub const UPLOAD_MAX_BYTES: usize = 24 * 1024 * 1024;

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("users", 2000.0, 50.0, 6000.0, "Пользователей в сгенерированных данных.", "Users in the generated data."),
    int(
        "items",
        600.0,
        20.0,
        4000.0,
        "Товаров (делятся поровну между кластерами).",
        "Items (split evenly between clusters).",
    ),
    int(
        "clusters",
        12.0,
        2.0,
        100.0,
        "Кластеров; товары кластера образуют цепочку, как серии сериала.",
        "Clusters; a cluster's items form a chain, like episodes of a series.",
    ),
    int("min_length", 20.0, 3.0, 400.0, "Самая короткая история пользователя.", "The shortest user history."),
    int("max_length", 80.0, 3.0, 400.0, "Самая длинная история пользователя.", "The longest user history."),
    real(
        "p_next",
        0.6,
        0.0,
        1.0,
        "Вероятность, что следующий товар — следующий в цепочке.",
        "Chance that the next item continues the chain.",
    ),
    real(
        "p_taste",
        0.3,
        0.0,
        1.0,
        "Вероятность прыжка в любимый кластер; остальное — популярные товары.",
        "Chance of a jump within a liked cluster; the rest are popular items.",
    ),
    int(
        "positions",
        50.0,
        2.0,
        200.0,
        "Сколько последних товаров пользователя держит тензор (K).",
        "How many of a user's latest items the tensor holds (K).",
    ),
    int("rank_users", 64.0, 1.0, 128.0, "Ранг Таккера по пользователям.", "Tucker rank of the user mode."),
    int("rank_items", 64.0, 1.0, 128.0, "Ранг Таккера по товарам.", "Tucker rank of the item mode."),
    int("rank_positions", 8.0, 1.0, 32.0, "Ранг Таккера по позициям.", "Tucker rank of the position mode."),
    real(
        "decay",
        0.0,
        0.0,
        3.0,
        "Затухание внимания: вес расстояния d равен (d+1)^-decay; 0 — всё прошлое поровну.",
        "Attention decay: distance d weighs (d+1)^-decay; 0 weighs the whole past equally.",
    ),
    real(
        "scaling",
        1.0,
        0.0,
        2.0,
        "Масштаб по популярности: факторы товаров умножаются на pop^((s−1)/2).",
        "Popularity scaling: item factors are multiplied by pop^((s-1)/2).",
    ),
    int("iterations", 4.0, 1.0, 10.0, "Итераций HOOI.", "HOOI iterations."),
    int("svd_rank", 64.0, 1.0, 256.0, "Ранг PureSVD.", "PureSVD's rank."),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "ga-satf",
    title: Text {
        ru: "GA-SATF: последовательные рекомендации через тензорное разложение",
        en: "GA-SATF: sequential recommendations from a tensor decomposition",
    },
    paper: "Frolov & Oseledets, IEEE Access 2023 (arXiv 2212.05720)",
    idea: Text {
        ru: "SASRec без нейросетей: история пользователя раскладывается в тензор пользователь × товар × позиция, и его разложение Таккера (HOOI) находит факторы товаров и веса позиций. Причинная тёплицева матрица «внимания» по позициям даёт товару влиять и на следующие позиции с затухающим весом. Следующий товар предсказывает позиционный проектор. Сравниваем с базовыми моделями статьи (популярное, PureSVD) и с марковской цепью первого порядка, которая знает истинную структуру генератора.",
        en: "SASRec without neural networks: user histories form a user x item x position tensor, and its Tucker decomposition (HOOI) finds item factors and position weights. A causal Toeplitz \"attention\" matrix on positions lets an item count at later positions too, with decaying weight. A positional projector predicts the next item. Compared with the paper's baselines (most popular, PureSVD) and a first-order Markov chain, which knows the generator's true structure.",
    },
    default_seconds: 1,
    params: PARAMS,
    check,
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

fn paper_numbers(lang: Lang) -> ResultTable {
    let t = says(lang);
    let row = |model: &str, hr: &str, ndcg: &str| vec![model.to_owned(), hr.to_owned(), ndcg.to_owned()];
    ResultTable {
        caption: t("Результаты авторов на MovieLens-1M", "The authors' results on MovieLens-1M"),
        columns: vec![t("Модель", "Model"), "HR@10".into(), "NDCG@10".into()],
        rows: vec![
            row("GA-SATF", "0.112", "0.061"),
            row("LA-SATF", "0.132", "0.072"),
            row("SASRec", "0.134", "0.069"),
            row("PureSVD", "0.060", "0.029"),
        ],
        note: t(
            "Их числа, на другом наборе данных и с глобальным временным разбиением: сравнивайте порядок моделей, а не сами значения.",
            "Their numbers, on a different dataset with a global temporal split: compare the order of the models, not the values.",
        ),
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

fn model_label(model: &str, lang: Lang) -> String {
    match (model, lang) {
        ("most_popular", Lang::Ru) => "Популярное".into(),
        ("most_popular", Lang::En) => "Most popular".into(),
        ("pure_svd", _) => "PureSVD".into(),
        ("ga_satf", _) => "GA-SATF".into(),
        ("markov", Lang::Ru) => "Марков-1 (эталон структуры)".into(),
        ("markov", Lang::En) => "Markov-1 (the structure's reference)".into(),
        (other, _) => other.to_owned(),
    }
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let ru = lang == Lang::Ru;
    let t = says(lang);
    let hr = |name: &str| report.models.iter().find(|m| m.model == name).map_or(0.0, |m| m.ranking.hr_at_10);
    let claim = if ru {
        format!(
            "Утверждение: модель, учитывающая порядок (GA-SATF), предсказывает следующий товар лучше PureSVD и популярного (у авторов HR@10 0,112 против 0,060). В этом запуске HR@10: GA-SATF {:.3}, PureSVD {:.3}, популярное {:.3} — {}.",
            hr("ga_satf"),
            hr("pure_svd"),
            hr("most_popular"),
            verdict(report.claim_held, Lang::Ru)
        )
    } else {
        format!(
            "The claim: the order-aware model (GA-SATF) predicts the next item better than PureSVD and most popular (the authors: HR@10 0.112 against 0.060). This run's HR@10: GA-SATF {:.3}, PureSVD {:.3}, most popular {:.3}: {}.",
            hr("ga_satf"),
            hr("pure_svd"),
            hr("most_popular"),
            verdict(report.claim_held, Lang::En)
        )
    };
    let models = ResultTable {
        caption: t("Наш запуск: leave-last-out, полное ранжирование", "This run: leave-last-out, full ranking"),
        columns: vec![
            t("Модель", "Model"),
            "HR@10".into(),
            "NDCG@10".into(),
            t("Покрытие", "Coverage"),
            t("Обучение, с", "Fit, s"),
        ],
        rows: report
            .models
            .iter()
            .map(|m| {
                vec![
                    model_label(&m.model, lang),
                    format!("{:.4}", m.ranking.hr_at_10),
                    format!("{:.4}", m.ranking.ndcg_at_10),
                    format!("{:.3}", m.ranking.coverage),
                    format!("{:.2}", m.fit_seconds),
                ]
            })
            .collect(),
        note: t(
            "Последний товар каждого пользователя отложен; ранжируются все товары, кроме уже виденных.",
            "Every user's last item is held out; all items the user has not seen are ranked.",
        ),
    };
    let data = ResultTable {
        caption: t("Данные", "Data"),
        columns: vec![t("Что", "What"), t("Сколько", "How many")],
        rows: vec![
            vec![
                t("Источник", "Source"),
                if report.uploaded {
                    t("загруженный CSV", "uploaded CSV")
                } else {
                    t("генератор", "generator")
                },
            ],
            vec![t("Пользователи", "Users"), report.users.to_string()],
            vec![t("Товары", "Items"), report.items.to_string()],
            vec![t("Взаимодействия", "Interactions"), report.interactions.to_string()],
        ],
        note: String::new(),
    };
    // The weight of the item k steps before the one being predicted (1 = the latest).
    let len = report.position_weights.len();
    let weights = Plot {
        scatter: false,
        title: t(
            "Какие позиции прошлого важны: веса позиционного проектора",
            "Which past positions matter: the positional projector's weights",
        ),
        x_label: t("шагов назад", "steps back"),
        y_label: t("вес", "weight"),
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
