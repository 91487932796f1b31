//! The performative-recommendation demo in the catalogue: parameters, the
//! authors' setting, and the report as tables, curves and the items on the
//! circle round by round.

use paperclub_demos::performative::{self, Report, SMALL_NDCG_COST, Spread};
use serde_json::{Map, Value};

use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, says, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("seeds", 3.0, 1.0, 10.0, "Независимых миров (для разброса).", "Independent worlds (for the spread)."),
    int("users", 200.0, 10.0, 500.0, "Пользователей.", "Users."),
    int("items", 50.0, 5.0, 200.0, "Единиц контента на окружности.", "Items of content on the circle."),
    int("list", 10.0, 1.0, 50.0, "Длина списка рекомендаций (NDCG@list).", "Length of each list (NDCG@list)."),
    int("clusters", 3.0, 1.0, 8.0, "Групп вкусов пользователей.", "Clusters of users' tastes."),
    real("spread", 0.35, 0.0, 3.0, "Разброс вкусов в группе, радиан.", "Spread of tastes within a cluster, radians."),
    real(
        "strength",
        0.8,
        0.0,
        1.0,
        "Насколько автор сдвигает контент к вкусу своей аудитории за раунд.",
        "How far a creator moves an item toward its audience's taste per round.",
    ),
    real(
        "lambda",
        0.15,
        0.0,
        5.0,
        "Вес разнообразия контента после отклика в функции потерь.",
        "Weight of the diversity of the responded content in the loss.",
    ),
    real("temperature", 0.1, 0.01, 5.0, "Температура мягкой сортировки.", "Temperature of the soft sort."),
    int(
        "sinkhorn_iterations",
        1.0,
        0.0,
        10.0,
        "Итераций Синхорна поверх NeuralSort.",
        "Sinkhorn iterations on top of NeuralSort.",
    ),
    int(
        "rounds",
        5.0,
        1.0,
        10.0,
        "Раундов: обучение, затем отклик авторов.",
        "Rounds: train, then the creators respond.",
    ),
    int("steps", 40.0, 5.0, 500.0, "Шагов Adam в раунде.", "Adam steps per round."),
    real("learning_rate", 0.05, 0.001, 1.0, "Шаг Adam.", "Adam's learning rate."),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "performative",
    title: Text {
        ru: "Перформативные рекомендации: разнообразие через стимулы",
        en: "Performative recommendation: diversity through incentives",
    },
    paper: "Eilat & Rosenfeld, ICML 2023 (Performative Recommendation: Diversifying Content via Strategic Incentives)",
    idea: Text {
        ru: "Авторы подстраивают контент под рекомендательную систему: после обучения каждая единица контента сдвигается к тому, что, по мнению модели, любит её аудитория. Модель, обученная только на точность, раунд за раундом стягивает контент к нескольким точкам. Если в функцию потерь добавить разнообразие контента после отклика (дифференцируемое: NeuralSort с нормализацией Синхорна), модель сама создаёт стимулы, при которых контент остаётся разнообразным, почти не теряя в NDCG. Контент двумерный, поэтому его видно на окружности.",
        en: "Creators adapt their content to the recommender: after training, each item moves toward what the model believes its audience likes. A model trained for accuracy alone pulls the content together round after round. Adding the diversity of the content after the response to the loss (differentiable: NeuralSort with Sinkhorn normalisation) makes the model set incentives that keep the content diverse at a small cost in NDCG. Content is two-dimensional, so it can be drawn on the unit circle.",
    },
    default_seconds: 30,
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
    let items = number(params, "items");
    if number(params, "list") > items {
        return vec![("list", Problem::NotAbove { limit: format!("items ({items})") })];
    }
    // Each step sorts every user's items softly (users × items² numbers):
    // keep a run within a few minutes.
    let work = number(params, "seeds")
        * 2.0
        * number(params, "rounds")
        * number(params, "steps")
        * number(params, "users")
        * items
        * items;
    let limit = 3e9;
    if work > limit {
        let per_step = work / number(params, "steps");
        return vec![("steps", Problem::NotAbove { limit: format!("{}", (limit / per_step).floor()) })];
    }
    Vec::new()
}

fn paper_numbers(lang: Lang) -> ResultTable {
    let t = says(lang);
    ResultTable {
        caption: t("Синтетическая постановка авторов", "The authors' synthetic setting"),
        columns: vec![t("Что", "What"), t("У авторов", "The authors")],
        rows: vec![
            vec![t("Размерность контента", "Content dimension"), "2".into()],
            vec![t("Пользователей / контента / длина списка", "Users / items / list length"), "≈ 200 / 50 / 10".into()],
            vec![
                t("Потери", "Loss"),
                t(
                    "NDCG (NeuralSort) + λ · разнообразие после отклика",
                    "NDCG (NeuralSort) + λ · diversity after the response",
                ),
            ],
            vec![
                t("Результат", "Result"),
                t(
                    "разнообразие выше при λ > 0, интервалы не пересекаются; NDCG почти не падает",
                    "diversity higher with λ > 0, intervals not overlapping; NDCG barely drops",
                ),
            ],
        ],
        note: t(
            "Это их постановка и вывод (по их графикам); мы повторяем её на своих сгенерированных данных.",
            "Their setting and finding (from their plots); we repeat it on data generated here.",
        ),
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
    let ru = lang == Lang::Ru;
    let t = says(lang);
    let lambda = report.params.lambda;
    let [without, with] = *report.diversity.last()?;
    let held = |yes: bool| match (yes, ru) {
        (true, true) => "да",
        (false, true) => "нет",
        (true, false) => "yes",
        (false, false) => "no",
    };
    let claim = if ru {
        format!(
            "Утверждение: с λ > 0 разнообразие контента после отклика выше (интервалы не пересекаются) при небольшой потере NDCG, а без этого слагаемого контент за несколько раундов однороднеет. После {} раундов разнообразие {:.3} при λ = {lambda} против {:.3} при λ = 0 (диапазоны по мирам не пересекаются: {}); NDCG в среднем теряет {:.3} (небольшая — не больше {SMALL_NDCG_COST}: {}); без слагаемого разнообразие упало с {:.3} до {:.3}: {}. Итог — {}.",
            report.params.rounds,
            with.mean,
            without.mean,
            held(report.diversity_separated),
            report.ndcg_cost,
            held(report.ndcg_cost <= SMALL_NDCG_COST),
            report.initial_diversity.mean,
            without.mean,
            held(report.homogenised),
            verdict(report.claim_held, Lang::Ru)
        )
    } else {
        format!(
            "The claim: with λ > 0 the diversity of the content after the response is higher (intervals not overlapping) at a small NDCG cost, and without the term several rounds homogenise the content. After {} rounds diversity is {:.3} with λ = {lambda} against {:.3} with λ = 0 (ranges over worlds apart: {}); NDCG loses {:.3} on average (small, at most {SMALL_NDCG_COST}: {}); without the term diversity fell from {:.3} to {:.3}: {}. So {}.",
            report.params.rounds,
            with.mean,
            without.mean,
            held(report.diversity_separated),
            report.ndcg_cost,
            held(report.ndcg_cost <= SMALL_NDCG_COST),
            report.initial_diversity.mean,
            without.mean,
            held(report.homogenised),
            verdict(report.claim_held, Lang::En)
        )
    };
    let with_name = format!("λ = {lambda}");
    let rounds = ResultTable {
        caption: t(
            "По раундам: среднее по мирам (наименьшее…наибольшее)",
            "Per round: mean over worlds (lowest…highest)",
        ),
        columns: vec![
            t("Раунд", "Round"),
            t("Разнообразие, λ = 0", "Diversity, λ = 0"),
            format!("{} {with_name}", t("Разнообразие,", "Diversity,")),
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
            t(
                "Разнообразие — среднее расстояние между единицами контента после отклика; в начале",
                "Diversity is the mean distance between items after the response; at the start"
            ),
            spread(report.initial_diversity),
            t(". Время прогона:", ". Run time:"),
            report.seconds,
            t("с.", "s.")
        ),
    };
    let names = [t("λ = 0", "λ = 0"), with_name.clone()];
    let by_round = |title: String, y_label: &str, values: &[[Spread; 2]]| Plot {
        title,
        x_label: t("раунд", "round"),
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
        by_round(
            t("Разнообразие контента после отклика", "Diversity of the content after the response"),
            "",
            &report.diversity,
        ),
        by_round(t("NDCG@list на обучающем контенте", "NDCG@list on the content trained on"), "NDCG", &report.ndcg),
        Plot {
            title: format!(
                "{} (seed {})",
                t("Начало: вкусы пользователей и контент", "Start: users' tastes and the items"),
                world.seed
            ),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![points(t("пользователи", "users"), &world.users), points(t("контент", "items"), &world.items)],
            scatter: true,
        },
    ];
    for r in 0..world.rounds[0].len() {
        plots.push(Plot {
            title: format!(
                "{} {} (seed {})",
                t("Контент после отклика, раунд", "Items after the response, round"),
                r + 1,
                world.seed
            ),
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
