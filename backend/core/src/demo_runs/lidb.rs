//! Lightweight DreamBooth, trained: a tiny pretrained language model taught
//! a new subject by full fine-tuning, rank-1 LoRA and LiDB. The authors'
//! sizes stand beside it, as in the calculator.

use paperclub_demos::lidb::{self, CLOSE, Report};
use serde_json::{Map, Value};

use super::gqa::head_size_problem;
use super::sizes::{adapter_paper, bytes};
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, says, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("entities", 24.0, 2.0, 200.0, "Сущностей в языке фактов.", "Entities in the language of facts."),
    int("relations", 4.0, 1.0, 16.0, "Отношений у каждой сущности.", "Relations of each entity."),
    int("attributes", 24.0, 2.0, 200.0, "Возможных значений отношения.", "Possible values of a relation."),
    int("facts_per_sentence", 4.0, 1.0, 16.0, "Фактов в строке.", "Facts per sentence."),
    int("model", 64.0, 16.0, 256.0, "Ширина модели.", "Model width."),
    int("heads", 4.0, 1.0, 16.0, "Голов внимания.", "Attention heads."),
    int("layers", 2.0, 1.0, 6.0, "Слоёв.", "Layers."),
    int("pretrain_steps", 400.0, 10.0, 5000.0, "Шагов предобучения.", "Pretraining steps."),
    int("batch", 32.0, 1.0, 256.0, "Строк в батче предобучения.", "Sequences per pretraining batch."),
    real(
        "pretrain_learning_rate",
        0.004,
        0.0001,
        0.1,
        "Шаг Adam при предобучении.",
        "Adam's learning rate for pretraining.",
    ),
    int(
        "examples",
        4.0,
        1.0,
        64.0,
        "Строк о новом субъекте для обучения.",
        "Sentences about the new subject to learn from.",
    ),
    int("tune_steps", 120.0, 1.0, 2000.0, "Шагов дообучения каждым способом.", "Fine-tuning steps for each method."),
    real("full_learning_rate", 0.001, 0.00001, 0.1, "Шаг полного дообучения.", "Learning rate of full fine-tuning."),
    real("lora_learning_rate", 0.01, 0.0001, 0.5, "Шаг LoRA.", "LoRA's learning rate."),
    real("lidb_learning_rate", 0.03, 0.0001, 0.5, "Шаг LiDB.", "LiDB's learning rate."),
    int("rank", 1.0, 1.0, 16.0, "Ранг обучаемых матриц LoRA и LiDB.", "Rank of LoRA's and LiDB's trainable matrices."),
    int(
        "a",
        24.0,
        1.0,
        256.0,
        "LiDB: размер входной вспомогательной матрицы (≤ model).",
        "LiDB: size of the input auxiliary matrix (≤ model).",
    ),
    int(
        "b",
        12.0,
        1.0,
        256.0,
        "LiDB: размер выходной вспомогательной матрицы (≤ model).",
        "LiDB: size of the output auxiliary matrix (≤ model).",
    ),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "lidb-training",
    title: Text {
        ru: "LiDB: дообучение крошечной языковой модели",
        en: "LiDB, trained: teaching a tiny language model",
    },
    paper: "Ruiz et al. 2023 (HyperDreamBooth)",
    idea: Text {
        ru: "Крошечная модель сначала выучивает язык фактов «сущность отношение значение», потом по нескольким строкам узнаёт новый «субъект» — токен, которого не видела. Три способа: полное дообучение, LoRA ранга 1 на всех проекциях и LiDB: обучаются только матрицы ранга 1 между замороженными случайными ортонормированными матрицами (их восстанавливают из сохранённого seed), то есть ровно r·(a+b) чисел на матрицу. Сравниваем байты обучаемых весов, качество на субъекте, сдвиг потерь на старых фактах и время.",
        en: "A tiny model first learns a language of facts (entity relation attribute), then learns a new \"subject\", a token it never saw, from a few sentences. Three ways: full fine-tuning, rank-1 LoRA on every projection, and LiDB: only rank-1 matrices between frozen random orthonormal ones (rebuilt from a stored seed) are trained, exactly r·(a+b) numbers per matrix. Compared: trainable bytes, quality on the subject, drift of the loss on the old facts, and time.",
    },
    default_seconds: 10,
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
    let mut problems: Vec<_> = head_size_problem(params).into_iter().collect();
    let model = number(params, "model");
    for side in ["a", "b"] {
        if number(params, side) > model {
            problems.push((side, Problem::NotAbove { limit: format!("model ({model})") }));
        }
    }
    if number(params, "pretrain_steps") * number(params, "batch") > 60_000.0 {
        let limit = (60_000.0 / number(params, "batch")).floor();
        problems.push(("pretrain_steps", Problem::NotAbove { limit: format!("{limit}") }));
    }
    problems
}

/// The authors' sizes, with a note for this experiment rather than the calculator's.
fn paper_numbers(lang: Lang) -> ResultTable {
    let note = if lang == Lang::Ru {
        "Их числа — для Stable Diffusion; здесь крошечная языковая модель (по умолчанию матрицы 64×64 и 64×128), поэтому байты меньше, а соотношение LiDB и LoRA зависит от a и b."
    } else {
        "Their numbers are for Stable Diffusion; here a tiny language model (64x64 and 64x128 matrices by default), so the bytes are fewer and the LiDB-to-LoRA ratio depends on a and b."
    };
    ResultTable { note: note.to_owned(), ..adapter_paper(lang) }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, lidb::run)
}

fn method_name(name: &str, lang: Lang) -> String {
    match (name, lang) {
        ("full fine-tuning", Lang::Ru) => "Полное дообучение".into(),
        ("full fine-tuning", Lang::En) => "Full fine-tuning".into(),
        (other, _) => other.to_owned(),
    }
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let ru = lang == Lang::Ru;
    let t = says(lang);
    let (lora, lidb) = (report.methods.get(1)?, report.methods.get(2)?);
    let p = &report.params;
    let fewer = lora.trainable_bytes as f64 / lidb.trainable_bytes.max(1) as f64;
    let claim = if ru {
        format!(
            "Утверждение: LiDB выучивает субъект почти так же, как LoRA ранга 1 (точность на его фактах не ниже чем на {:.0} п. п.), при в разы меньшем числе обучаемых байт. Точность на субъекте: LiDB {:.0}%, LoRA {:.0}%; байт: {} против {} (в {fewer:.1} раза меньше; по {} = 4·r·(a+b) на каждую из {} матриц) — {}.",
            CLOSE * 100.0,
            lidb.subject.accuracy * 100.0,
            lora.subject.accuracy * 100.0,
            lidb.trainable_bytes,
            lora.trainable_bytes,
            4 * p.rank * (p.a + p.b),
            report.adapted_matrices,
            verdict(report.claim_held, Lang::Ru)
        )
    } else {
        format!(
            "The claim: LiDB learns the subject nearly as well as rank-1 LoRA (accuracy on its facts at most {:.0} points lower) with several times fewer trainable bytes. Subject accuracy: LiDB {:.0}%, LoRA {:.0}%; bytes: {} against {} ({fewer:.1} times fewer; {} = 4·r·(a+b) for each of {} matrices): {}.",
            CLOSE * 100.0,
            lidb.subject.accuracy * 100.0,
            lora.subject.accuracy * 100.0,
            lidb.trainable_bytes,
            lora.trainable_bytes,
            4 * p.rank * (p.a + p.b),
            report.adapted_matrices,
            verdict(report.claim_held, Lang::En)
        )
    };
    let table = ResultTable {
        caption: t("Способы дообучения", "Ways to fine-tune"),
        columns: vec![
            t("Способ", "Method"),
            t("Обучаемых чисел", "Trainable numbers"),
            t("Байт", "Bytes"),
            t("Потери на субъекте", "Subject loss"),
            t("Точность на субъекте", "Subject accuracy"),
            t("Точность на старых фактах", "Accuracy on the old facts"),
            t("Сдвиг потерь на старых фактах", "Drift of the loss on the old facts"),
            t("Время, с", "Time, s"),
        ],
        rows: report
            .methods
            .iter()
            .map(|m| {
                vec![
                    method_name(&m.name, lang),
                    m.trainable_parameters.to_string(),
                    bytes(m.trainable_bytes),
                    format!("{:.3}", m.subject.loss),
                    format!("{:.0}%", m.subject.accuracy * 100.0),
                    format!("{:.0}%", m.original.accuracy * 100.0),
                    format!("{:+.3}", m.drift),
                    format!("{:.2}", m.seconds),
                ]
            })
            .collect(),
        note: format!(
            "{} {} {} {:.0}% / {:.0}% {} {:.1} {}",
            t("Модель:", "The model:"),
            report.model_parameters,
            t(
                "весов. После предобучения точность на старых фактах и на субъекте:",
                "weights. After pretraining, accuracy on the old facts and on the subject:",
            ),
            report.pretrained_original.accuracy * 100.0,
            report.pretrained_subject.accuracy * 100.0,
            t("; предобучение заняло", "; pretraining took"),
            report.pretrain_seconds,
            t("с.", "s.")
        ),
    };
    let curves = Plot {
        title: t("Потери при дообучении на субъекте", "Loss while fine-tuning on the subject"),
        x_label: t("шаг", "step"),
        y_label: t("потери, нат", "loss, nats"),
        series: report
            .methods
            .iter()
            .map(|m| PlotSeries {
                name: method_name(&m.name, lang),
                points: m
                    .curve
                    .iter()
                    .map(|(step, loss)| PlotPoint { x: *step as f64, y: *loss, range: None })
                    .collect(),
            })
            .collect(),
        scatter: false,
    };
    Some(DemoResult { claim_held: report.claim_held, claim, tables: vec![table], plots: vec![curves] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_presents_three_methods() {
        let raw = crate::demo_runs::spec::raw_form(&[
            ("entities", "6"),
            ("attributes", "6"),
            ("model", "16"),
            ("heads", "2"),
            ("layers", "1"),
            ("pretrain_steps", "20"),
            ("batch", "8"),
            ("tune_steps", "5"),
            ("a", "4"),
            ("b", "2"),
        ]);
        let params = Value::Object(SPEC.parse(&raw).unwrap());
        let stored = (SPEC.execute)(Input { params: &params, dataset: None }, &mut |_| true).unwrap().unwrap();
        for lang in Lang::ALL {
            let result = (SPEC.present)(&stored, lang).unwrap();
            assert_eq!(result.tables[0].rows.len(), 3);
            // LiDB: 4 bytes × rank 1 × (4 + 2) per matrix, 6 matrices in the one layer.
            assert_eq!(result.tables[0].rows[2][2], "144 B");
        }
        let wide = crate::demo_runs::spec::raw_form(&[("model", "32"), ("heads", "4"), ("a", "40")]);
        assert!(SPEC.parse(&wide).unwrap_err().get("a").is_some());
    }
}
