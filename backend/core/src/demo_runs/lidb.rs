//! Lightweight DreamBooth, trained: a tiny pretrained language model taught
//! a new subject by full fine-tuning, rank-1 LoRA and LiDB. The authors'
//! sizes stand beside it, as in the calculator.

use paperclub_demos::lidb::{self, CLOSE, Report};
use serde_json::{Map, Value};

use super::budget::CostModel;
use super::gqa::{decoder_work, head_size_problem};
use super::sizes::{adapter_paper, bytes};
use super::spec::{DemoSpec, Input, ParamSpec, SEED, Text, execute_report, int, number, real, verdict};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{LidbClaim, LidbWords, demo_words};

const PARAMS: &[ParamSpec] = &[
    SEED,
    int("entities", 24.0, 2.0, 200.0, Text(|w| w.lidb.entities)),
    int("relations", 4.0, 1.0, 16.0, Text(|w| w.lidb.relations)),
    int("attributes", 24.0, 2.0, 200.0, Text(|w| w.lidb.attributes)),
    int("facts_per_sentence", 4.0, 1.0, 16.0, Text(|w| w.lidb.facts_per_sentence)),
    int("model", 64.0, 16.0, 256.0, Text(|w| w.lidb.model)),
    int("heads", 4.0, 1.0, 16.0, Text(|w| w.lidb.heads)),
    int("layers", 2.0, 1.0, 6.0, Text(|w| w.lidb.layers)),
    int("pretrain_steps", 400.0, 10.0, 5000.0, Text(|w| w.lidb.pretrain_steps)),
    int("batch", 32.0, 1.0, 256.0, Text(|w| w.lidb.batch)),
    real("pretrain_learning_rate", 0.004, 0.0001, 0.1, Text(|w| w.lidb.pretrain_learning_rate)),
    int("examples", 4.0, 1.0, 64.0, Text(|w| w.lidb.examples)),
    int("tune_steps", 120.0, 1.0, 2000.0, Text(|w| w.lidb.tune_steps)),
    real("full_learning_rate", 0.001, 0.00001, 0.1, Text(|w| w.lidb.full_learning_rate)),
    real("lora_learning_rate", 0.01, 0.0001, 0.5, Text(|w| w.lidb.lora_learning_rate)),
    real("lidb_learning_rate", 0.03, 0.0001, 0.5, Text(|w| w.lidb.lidb_learning_rate)),
    int("rank", 1.0, 1.0, 16.0, Text(|w| w.lidb.rank)),
    int("a", 24.0, 1.0, 256.0, Text(|w| w.lidb.a)),
    int("b", 12.0, 1.0, 256.0, Text(|w| w.lidb.b)),
];

pub const SPEC: DemoSpec = DemoSpec {
    id: "lidb-training",
    title: Text(|w| w.lidb.title),
    paper: "Ruiz et al. 2023 (HyperDreamBooth)",
    idea: Text(|w| w.lidb.idea),
    default_seconds: 10,
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
    let mut problems: Vec<_> = head_size_problem(params).into_iter().collect();
    let model = number(params, "model");
    for side in ["a", "b"] {
        if number(params, side) > model {
            problems.push((side, Problem::NotAbove { limit: format!("model ({model})") }));
        }
    }
    problems
}

/// Pretraining batches of sentences, then each of the three methods tuned on
/// the subject's sentences, through the same decoder as GQA's. Memory is
/// small next to the budget: the model, its Adam state and one batch.
const COST: CostModel = CostModel {
    work: |p| {
        let tokens = 3.0 * number(p, "facts_per_sentence") + 1.0;
        let vocabulary = number(p, "entities") + number(p, "relations") + number(p, "attributes");
        let pretrain = number(p, "pretrain_steps") * decoder_work(p, number(p, "batch"), tokens, vocabulary);
        let tune = 3.0 * number(p, "tune_steps") * decoder_work(p, number(p, "examples"), tokens, vocabulary);
        pretrain + tune
    },
    time_field: "pretrain_steps",
    memory: |p| {
        let (layers, model) = (number(p, "layers"), number(p, "model"));
        let tokens = 3.0 * number(p, "facts_per_sentence") + 1.0;
        let weights = 12.0 * layers * model * model * 4.0 * 4.0;
        weights + 16.0 * number(p, "batch") * tokens * layers * model * 4.0
    },
    memory_field: "batch",
};

/// The authors' sizes, with a note for this experiment rather than the calculator's.
fn paper_numbers(lang: Lang) -> ResultTable {
    let note = demo_words(lang).lidb.paper_note;
    ResultTable { note: note.to_owned(), ..adapter_paper(lang) }
}

fn execute(input: Input<'_>, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    execute_report(input, progress, lidb::run)
}

fn method_name(name: &str, w: &'static LidbWords) -> String {
    match name {
        "full fine-tuning" => w.full_fine_tuning.to_owned(),
        other => other.to_owned(),
    }
}

fn present(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: Report = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).lidb;
    let (lora, lidb) = (report.methods.get(1)?, report.methods.get(2)?);
    let p = &report.params;
    let fewer = lora.trainable_bytes as f64 / lidb.trainable_bytes.max(1) as f64;
    let claim = (w.claim)(&LidbClaim {
        close_points: CLOSE * 100.0,
        lidb_accuracy: lidb.subject.accuracy * 100.0,
        lora_accuracy: lora.subject.accuracy * 100.0,
        lidb_bytes: lidb.trainable_bytes,
        lora_bytes: lora.trainable_bytes,
        fewer,
        bytes_per_matrix: (4 * p.rank * (p.a + p.b)) as u64,
        matrices: report.adapted_matrices as u64,
        verdict: verdict(report.claim_held, lang),
    });
    let table = ResultTable {
        caption: w.ways_to_fine_tune.to_owned(),
        columns: vec![
            w.method.to_owned(),
            w.trainable_numbers.to_owned(),
            w.bytes.to_owned(),
            w.subject_loss.to_owned(),
            w.subject_accuracy.to_owned(),
            w.accuracy_on_old_facts.to_owned(),
            w.drift_loss_on_old.to_owned(),
            w.time.to_owned(),
        ],
        rows: report
            .methods
            .iter()
            .map(|m| {
                vec![
                    method_name(&m.name, w),
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
            w.the_model.to_owned(),
            report.model_parameters,
            w.weights_after_pretraining_accuracy.to_owned(),
            report.pretrained_original.accuracy * 100.0,
            report.pretrained_subject.accuracy * 100.0,
            w.pretraining_took.to_owned(),
            report.pretrain_seconds,
            w.seconds_unit.to_owned()
        ),
    };
    let curves = Plot {
        title: w.loss_while_fine_tuning.to_owned(),
        x_label: w.step_.to_owned(),
        y_label: w.loss_nats.to_owned(),
        series: report
            .methods
            .iter()
            .map(|m| PlotSeries {
                name: method_name(&m.name, w),
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
