//! Grouped-query attention, trained: a tiny decoder with MHA, GQA and MQA
//! (and MHA pooled into GQA) on a key-value recall language. Llama 2's
//! ablation stands beside it, as in the calculator.

use paperclub_demos::gqa::{self, CLOSE_LOSS, Report};
use serde_json::{Map, Value};

use super::sizes::{bytes, cache_paper};
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, says, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("pairs", 6.0, 1.0, 32.0, "Пар «ключ значение» в начале строки.", "Key-value pairs listed first."),
    int(
        "questions",
        6.0,
        1.0,
        32.0,
        "Вопросов: ключ ещё раз, модель отвечает значением.",
        "Questions: a key again, answered with its value.",
    ),
    int("keys", 16.0, 2.0, 256.0, "Разных ключей в языке.", "Distinct keys in the language."),
    int("values", 16.0, 2.0, 256.0, "Разных значений в языке.", "Distinct values in the language."),
    int("model", 64.0, 16.0, 256.0, "Ширина модели.", "Model width."),
    int(
        "heads",
        8.0,
        4.0,
        32.0,
        "Голов запросов (кратно 4: у GQA их вчетверо меньше для ключей и значений).",
        "Query heads (a multiple of 4: GQA has a quarter as many key/value heads).",
    ),
    int("layers", 2.0, 1.0, 6.0, "Слоёв.", "Layers."),
    int("steps", 400.0, 10.0, 5000.0, "Шагов обучения каждой модели.", "Training steps per model."),
    int("batch", 32.0, 1.0, 256.0, "Строк в батче.", "Sequences per batch."),
    real("learning_rate", 0.01, 0.0001, 0.1, "Шаг Adam.", "Adam's learning rate."),
    int(
        "uptrain_steps",
        40.0,
        0.0,
        2000.0,
        "Шагов дообучения MHA, превращённой в GQA усреднением голов.",
        "Steps of training on after pooling the MHA model's heads into GQA.",
    ),
    int(
        "decode_context",
        16384.0,
        16.0,
        131072.0,
        "Токенов в кэше, когда меряем скорость генерации.",
        "Tokens in the cache when decoding speed is measured.",
    ),
    int(
        "decode_tokens",
        64.0,
        1.0,
        4096.0,
        "Сгенерировать токенов для замера.",
        "Tokens generated for the measurement.",
    ),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "gqa-training",
    title: Text {
        ru: "GQA: обучение крошечного трансформера", en: "GQA, trained: a tiny transformer"
    },
    paper: "Ainslie et al. 2023 (GQA); Touvron et al. 2023 (Llama 2)",
    idea: Text {
        ru: "Крошечный декодер учит искусственный язык, где без кэша не обойтись: строка перечисляет пары «ключ значение», потом спрашивает ключи ещё раз, и модель должна вспомнить значения из контекста. Одна и та же модель с восемью головами ключей и значений (MHA), двумя (GQA) и одной (MQA), а также MHA, превращённая в GQA усреднением голов и немного дообученная: качество на отложенных строках, размер кэша и скорость генерации на длинном контексте.",
        en: "A tiny decoder learns a made-up language where the cache matters: a sequence lists key-value pairs, then asks for some keys again, and the model must recall their values from its context. The same model with as many key/value heads as query heads (MHA), a quarter of them (GQA) and one (MQA), plus the MHA model turned into GQA by mean-pooling its heads and trained on briefly: held-out quality, cache size and decoding speed at a long context.",
    },
    default_seconds: 50,
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
    let mut problems = Vec::new();
    if !(number(params, "heads") as u64).is_multiple_of(4) {
        problems.push(("heads", Problem::NotMultipleOf { factor: "4".into() }));
    } else {
        problems.extend(head_size_problem(params));
    }
    if number(params, "pairs") > number(params, "keys") {
        problems.push(("pairs", Problem::NotAbove { limit: format!("keys ({})", number(params, "keys")) }));
    }
    let work = number(params, "steps") * number(params, "batch");
    if work > 60_000.0 {
        problems
            .push(("steps", Problem::NotAbove { limit: format!("{}", (60_000.0 / number(params, "batch")).floor()) }));
    }
    problems
}

/// Llama 2's ablation, with a note for this experiment rather than the calculator's.
fn paper_numbers(lang: Lang) -> ResultTable {
    let note = if lang == Lang::Ru {
        "Числа авторов — модели 30B на 11 бенчмарках; здесь крошечная модель на искусственном языке: сравнивайте варианты между собой."
    } else {
        "The authors' numbers: 30B models on 11 benchmarks; here a tiny model on a made-up language: compare the variants with each other."
    };
    ResultTable { note: note.to_owned(), ..cache_paper(lang) }
}

/// The tiny transformer's width must split into heads of an even size:
/// rotary positions turn pairs of numbers. (The LiDB experiment uses it too.)
pub(super) fn head_size_problem(params: &Map<String, Value>) -> Option<(&'static str, Problem)> {
    let (model, heads) = (number(params, "model") as u64, number(params, "heads") as u64);
    (!model.is_multiple_of(2 * heads))
        .then(|| ("model", Problem::NotMultipleOf { factor: format!("2 × heads ({})", 2 * heads) }))
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, gqa::run)
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let ru = lang == Lang::Ru;
    let t = says(lang);
    let (mha, gqa) = (report.variants.first()?, report.variants.get(1)?);
    let speedup = gqa.tokens_per_second / mha.tokens_per_second.max(1e-9);
    let ratio = mha.cache_bytes_per_token as f64 / gqa.cache_bytes_per_token.max(1) as f64;
    let claim = if ru {
        format!(
            "Утверждение: GQA почти не уступает MHA в качестве (не хуже чем на {CLOSE_LOSS} нат на отложенных строках), а кэш у неё в {ratio:.0} раз меньше. Потери: MHA {:.3}, GQA {:.3}, MQA {:.3} (угадывание: {:.3}); кэш на {} токенов: {} против {} — {}. Скорость генерации: {:.0} против {:.0} токенов/с (×{speedup:.2}); у такой маленькой модели генерация упирается в арифметику, одинаковую для всех вариантов, а не в чтение кэша, поэтому разница мала.",
            mha.validation.loss,
            gqa.validation.loss,
            report.variants.get(2)?.validation.loss,
            report.chance_loss,
            report.params.decode_context,
            bytes(gqa.cache_bytes_at_context),
            bytes(mha.cache_bytes_at_context),
            verdict(report.claim_held, Lang::Ru),
            gqa.tokens_per_second,
            mha.tokens_per_second,
        )
    } else {
        format!(
            "The claim: GQA is nearly as good as MHA (within {CLOSE_LOSS} nats on held-out sequences) with a {ratio:.0} times smaller cache. Loss: MHA {:.3}, GQA {:.3}, MQA {:.3} (guessing: {:.3}); cache at {} tokens: {} against {}: {}. Decoding speed: {:.0} against {:.0} tokens/s (×{speedup:.2}); a model this small is bound by arithmetic, the same for every variant, rather than by reading the cache, so the gap is small.",
            mha.validation.loss,
            gqa.validation.loss,
            report.variants.get(2)?.validation.loss,
            report.chance_loss,
            report.params.decode_context,
            bytes(gqa.cache_bytes_at_context),
            bytes(mha.cache_bytes_at_context),
            verdict(report.claim_held, Lang::En),
            gqa.tokens_per_second,
            mha.tokens_per_second,
        )
    };
    let table = ResultTable {
        caption: t("Модели", "Models"),
        columns: vec![
            t("Внимание", "Attention"),
            t("Голов KV", "KV heads"),
            t("Потери (отложенные)", "Loss (held out)"),
            t("Точность ответов", "Answer accuracy"),
            t("Кэш на токен", "Cache per token"),
            t("Кэш на контексте", "Cache at the context"),
            t("Токенов/с", "Tokens/s"),
            t("Обучение, с", "Training, s"),
        ],
        rows: report
            .variants
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    v.kv_heads.to_string(),
                    format!("{:.3}", v.validation.loss),
                    format!("{:.1}%", v.validation.accuracy * 100.0),
                    bytes(v.cache_bytes_per_token),
                    bytes(v.cache_bytes_at_context),
                    format!("{:.0}", v.tokens_per_second),
                    format!("{:.1}", v.train_seconds),
                ]
            })
            .collect(),
        note: format!(
            "{} {:.3} / {:.1}%. {}",
            t(
                "MHA → GQA: головы ключей и значений усреднены по группам; сразу после этого",
                "MHA → GQA: key and value heads averaged per group; right after that",
            ),
            report.pooled_before.loss,
            report.pooled_before.accuracy * 100.0,
            t(
                "Скорость — жадная генерация с кэшем на одном ядре (кэш заполнен шумом нужного размера).",
                "Speed: greedy cached decoding on one core (the cache filled with noise of the right size).",
            )
        ),
    };
    let curves = Plot {
        title: t("Потери при обучении", "Training loss"),
        x_label: t("шаг", "step"),
        y_label: t("потери, нат", "loss, nats"),
        series: report
            .variants
            .iter()
            .map(|v| PlotSeries {
                name: v.name.clone(),
                points: v
                    .curve
                    .iter()
                    .map(|(step, loss)| PlotPoint { x: *step as f64, y: *loss, range: None })
                    .collect(),
            })
            .collect(),
        scatter: false,
    };
    let trained = &report.variants[..3.min(report.variants.len())];
    let by_heads = |name: String, value: &dyn Fn(&gqa::Variant) -> f64| PlotSeries {
        name,
        points: trained.iter().map(|v| PlotPoint { x: v.kv_heads as f64, y: value(v), range: None }).collect(),
    };
    let speed = Plot {
        title: format!(
            "{} {}",
            t("Скорость генерации при контексте", "Decoding speed at a context of"),
            report.params.decode_context
        ),
        x_label: t("голов KV", "KV heads"),
        y_label: t("токенов/с", "tokens/s"),
        series: vec![by_heads(t("токенов/с", "tokens/s"), &|v| v.tokens_per_second)],
        scatter: false,
    };
    let cache = Plot {
        title: t("Кэш одной последовательности на контексте, МиБ", "One sequence's cache at the context, MiB"),
        x_label: t("голов KV", "KV heads"),
        y_label: t("МиБ", "MiB"),
        series: vec![by_heads(t("кэш", "cache"), &|v| v.cache_bytes_at_context as f64 / 1_048_576.0)],
        scatter: false,
    };
    Some(DemoResult { claim_held: report.claim_held, claim, tables: vec![table], plots: vec![curves, speed, cache] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_presents_four_models_and_three_plots() {
        let raw = crate::demo_runs::spec::raw_form(&[
            ("pairs", "3"),
            ("questions", "2"),
            ("keys", "6"),
            ("values", "6"),
            ("model", "16"),
            ("heads", "4"),
            ("layers", "1"),
            ("steps", "20"),
            ("batch", "8"),
            ("uptrain_steps", "5"),
            ("decode_context", "32"),
            ("decode_tokens", "4"),
        ]);
        let params = Value::Object(SPEC.parse(&raw).unwrap());
        let stored = (SPEC.execute)(Input { params: &params, dataset: None }, &mut |_| true).unwrap().unwrap();
        for lang in Lang::ALL {
            let result = (SPEC.present)(&stored, lang).unwrap();
            assert_eq!(result.tables[0].rows.len(), 4);
            assert_eq!(result.plots.len(), 3);
        }
        let odd = crate::demo_runs::spec::raw_form(&[("heads", "6")]);
        assert!(SPEC.parse(&odd).unwrap_err().get("heads").is_some());
        let uneven = crate::demo_runs::spec::raw_form(&[("model", "72"), ("heads", "8")]);
        assert!(SPEC.parse(&uneven).unwrap_err().get("model").is_some());
    }
}
