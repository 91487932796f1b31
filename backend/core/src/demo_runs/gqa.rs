//! Grouped-query attention, trained: a tiny decoder with MHA, GQA and MQA
//! (and MHA pooled into GQA) on a key-value recall language. Llama 2's
//! ablation stands beside it, as in the calculator.

use paperclub_demos::gqa::{self, CLOSE_LOSS, Report};
use serde_json::{Map, Value};

use super::budget::CostModel;
use super::sizes::{bytes, cache_paper};
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{GqaClaim, demo_words};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("pairs", 6.0, 1.0, 32.0, Text(|w| w.gqa.pairs)),
    int("questions", 6.0, 1.0, 32.0, Text(|w| w.gqa.questions)),
    int("keys", 16.0, 2.0, 256.0, Text(|w| w.gqa.keys)),
    int("values", 16.0, 2.0, 256.0, Text(|w| w.gqa.values)),
    int("model", 64.0, 16.0, 256.0, Text(|w| w.gqa.model)),
    int("heads", 8.0, 4.0, 32.0, Text(|w| w.gqa.heads)),
    int("layers", 2.0, 1.0, 6.0, Text(|w| w.gqa.layers)),
    int("steps", 400.0, 10.0, 5000.0, Text(|w| w.gqa.steps)),
    int("batch", 32.0, 1.0, 256.0, Text(|w| w.gqa.batch)),
    real("learning_rate", 0.01, 0.0001, 0.1, Text(|w| w.gqa.learning_rate)),
    int("uptrain_steps", 40.0, 0.0, 2000.0, Text(|w| w.gqa.uptrain_steps)),
    int("decode_context", 16384.0, 16.0, 131072.0, Text(|w| w.gqa.decode_context)),
    int("decode_tokens", 64.0, 1.0, 4096.0, Text(|w| w.gqa.decode_tokens)),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "gqa-training",
    title: Text(|w| w.gqa.title),
    paper: "Ainslie et al. 2023 (GQA); Touvron et al. 2023 (Llama 2)",
    idea: Text(|w| w.gqa.idea),
    default_seconds: 50,
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
    let mut problems = Vec::new();
    if !(number(params, "heads") as u64).is_multiple_of(4) {
        problems.push(("heads", Problem::NotMultipleOf { factor: "4".into() }));
    } else {
        problems.extend(head_size_problem(params));
    }
    if number(params, "pairs") > number(params, "keys") {
        problems.push(("pairs", Problem::NotAbove { limit: format!("keys ({})", number(params, "keys")) }));
    }
    problems
}

/// Training: three variants for `steps` and the pooled one for
/// `uptrain_steps`, each step a batch of sequences through the decoder
/// (`decoder_work`, shared with LiDB). Decoding: `decode_tokens` tokens for
/// each of three variants, each attending over the whole cached context.
/// Memory: the decode's key-value cache, known exactly (the multi-head
/// variant's keys and values, f32, for every position of the context).
const COST: CostModel = CostModel {
    work: |p| {
        let tokens = 2.0 * number(p, "pairs") + 2.0 * number(p, "questions");
        let vocabulary = number(p, "keys") + number(p, "values");
        let steps = 3.0 * number(p, "steps") + number(p, "uptrain_steps");
        let train = steps * decoder_work(p, number(p, "batch"), tokens, vocabulary);
        let (layers, model) = (number(p, "layers"), number(p, "model"));
        let per_token = layers * model * (12.0 * model + 2.0 * number(p, "decode_context"));
        train + 3.0 * number(p, "decode_tokens") * per_token
    },
    time_field: "steps",
    memory: |p| 8.0 * number(p, "layers") * number(p, "model") * number(p, "decode_context"),
    memory_field: "decode_context",
};

/// One training step of the tiny decoder, in multiply-adds: forward and
/// backward (three times the forward) over `batch` sequences of `tokens`,
/// plus a fixed cost per step for the framework's own work (about a quarter
/// of a step at the GQA defaults).
pub(super) fn decoder_work(p: &Map<String, Value>, batch: f64, tokens: f64, vocabulary: f64) -> f64 {
    let (layers, model) = (number(p, "layers"), number(p, "model"));
    let per_token = layers * model * (12.0 * model + 2.0 * tokens) + model * vocabulary;
    3.0 * (2.0e7 + batch * tokens * per_token)
}

/// Llama 2's ablation, with a note for this experiment rather than the calculator's.
fn paper_numbers(lang: Lang) -> ResultTable {
    let note = demo_words(lang).gqa.paper_note;
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
    let w = &demo_words(lang).gqa;
    let (mha, gqa) = (report.variants.first()?, report.variants.get(1)?);
    let speedup = gqa.tokens_per_second / mha.tokens_per_second.max(1e-9);
    let ratio = mha.cache_bytes_per_token as f64 / gqa.cache_bytes_per_token.max(1) as f64;
    let claim = (w.claim)(&GqaClaim {
        close_loss: CLOSE_LOSS,
        cache_ratio: ratio,
        mha_loss: mha.validation.loss,
        gqa_loss: gqa.validation.loss,
        mqa_loss: report.variants.get(2)?.validation.loss,
        chance_loss: report.chance_loss,
        context: report.params.decode_context as u64,
        gqa_cache: bytes(gqa.cache_bytes_at_context),
        mha_cache: bytes(mha.cache_bytes_at_context),
        verdict: verdict(report.claim_held, lang),
        gqa_speed: gqa.tokens_per_second,
        mha_speed: mha.tokens_per_second,
        speedup,
    });
    let table = ResultTable {
        caption: w.models.to_owned(),
        columns: vec![
            w.attention.to_owned(),
            w.kv_heads_column.to_owned(),
            w.loss_held_out.to_owned(),
            w.answer_accuracy.to_owned(),
            w.cache_per_token.to_owned(),
            w.cache_at_context.to_owned(),
            w.tokens_per_second_column.to_owned(),
            w.training.to_owned(),
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
            w.mha_gqa_key_and.to_owned(),
            report.pooled_before.loss,
            report.pooled_before.accuracy * 100.0,
            w.speed_greedy_cached_decoding.to_owned()
        ),
    };
    let curves = Plot {
        title: w.training_loss.to_owned(),
        x_label: w.step_.to_owned(),
        y_label: w.loss_nats.to_owned(),
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
        title: format!("{} {}", w.decoding_speed_at_context.to_owned(), report.params.decode_context),
        x_label: w.kv_heads_axis.to_owned(),
        y_label: w.tokens_per_second_axis.to_owned(),
        series: vec![by_heads(w.tokens_per_second_axis.to_owned(), &|v| v.tokens_per_second)],
        scatter: false,
    };
    let cache = Plot {
        title: w.one_sequences_cache_at.to_owned(),
        x_label: w.kv_heads_axis.to_owned(),
        y_label: w.mib.to_owned(),
        series: vec![by_heads(w.cache.to_owned(), &|v| v.cache_bytes_at_context as f64 / 1_048_576.0)],
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
