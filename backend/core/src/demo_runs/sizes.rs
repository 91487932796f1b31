//! The two calculators (grouped-query attention's KV cache, Lightweight
//! DreamBooth's trainable size) in the catalogue. Exact arithmetic, so a run
//! is instant; the papers' own numbers stand beside ours.

use paperclub_demos::sizes::{self, AdapterParams, AdapterReport, CacheParams, CacheReport};
use serde_json::{Map, Value};

use super::budget::CostModel;
use super::spec::{DemoSpec, Input, ParamSpec, Text, int, number};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};
use crate::words::demos::{AdaptersClaim, CacheClaim, demo_words};

const CACHE_PARAMS: &[ParamSpec] = &[
    int("layers", 80.0, 1.0, 256.0, Text(|w| w.sizes.layers)),
    int("query_heads", 64.0, 1.0, 256.0, Text(|w| w.sizes.query_heads)),
    int("kv_heads", 8.0, 1.0, 256.0, Text(|w| w.sizes.kv_heads)),
    int("head_dim", 128.0, 8.0, 512.0, Text(|w| w.sizes.head_dim)),
    int("bytes_per_value", 2.0, 1.0, 4.0, Text(|w| w.sizes.bytes_per_value)),
    int("sequence_length", 4096.0, 1.0, 1_048_576.0, Text(|w| w.sizes.sequence_length)),
    int("batch", 1.0, 1.0, 1024.0, Text(|w| w.sizes.batch)),
];

pub const CACHE: DemoSpec = DemoSpec {
    id: "gqa-cache",
    title: Text(|w| w.sizes.cache_title),
    paper: "Ainslie et al. 2023 (GQA); Touvron et al. 2023 (Llama 2)",
    idea: Text(|w| w.sizes.cache_idea),
    default_seconds: 1,
    params: CACHE_PARAMS,
    check: check_cache,
    cost: CostModel::NEGLIGIBLE,
    accepts_upload: false,
    upload_params: &[],
    paper_numbers: cache_paper,
    execute: execute_cache,
    export_data: None,
    present: present_cache,
};

fn check_cache(params: &Map<String, Value>) -> Vec<(&'static str, Problem)> {
    let (q, kv) = (number(params, "query_heads"), number(params, "kv_heads"));
    if kv > q || !(q as u64).is_multiple_of((kv as u64).max(1)) {
        return vec![("kv_heads", Problem::NotAbove { limit: format!("query_heads ({q}), and divide it") })];
    }
    Vec::new()
}

pub(super) fn cache_paper(lang: Lang) -> ResultTable {
    let w = &demo_words(lang).sizes;
    ResultTable {
        caption: w.llama_2s_ablation_30b.to_owned(),
        columns: vec![w.attention.to_owned(), w.mean.to_owned()],
        rows: vec![
            vec!["MHA".into(), "44.2".into()],
            vec!["MQA".into(), "43.8".into()],
            vec!["GQA".into(), "44.3".into()],
        ],
        note: w.authors_numbers_demo_gqa.to_owned(),
    }
}

fn execute_cache(input: Input<'_>, _: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    let params: CacheParams = serde_json::from_value(input.params.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(sizes::cache(&params)).map(Some).map_err(|e| e.to_string())
}

/// "320 KiB", "2.5 MiB", "12.8 GiB".
pub(super) fn bytes(n: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.2}");
    format!("{} {}", text.trim_end_matches('0').trim_end_matches('.'), units[unit])
}

fn present_cache(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: CacheReport = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).sizes;
    let p = &report.params;
    let names = [format!("MHA ({} KV)", p.query_heads), format!("GQA ({} KV)", p.kv_heads), "MQA (1 KV)".to_owned()];
    let ratio = report.per_token[0] as f64 / report.per_token[1] as f64;
    let claim = (w.cache_claim)(&CacheClaim {
        gqa_per_token: bytes(report.per_token[1]),
        mha_per_token: bytes(report.per_token[0]),
        ratio,
        length: p.sequence_length,
        gqa_per_sequence: bytes(report.per_sequence[1]),
        mha_per_sequence: bytes(report.per_sequence[0]),
    });
    let table = ResultTable {
        caption: w.kv_cache.to_owned(),
        columns: vec![w.attention.to_owned(), w.per_token.to_owned(), w.per_batch_sequences.to_owned()],
        rows: (0..3)
            .map(|k| vec![names[k].clone(), bytes(report.per_token[k]), bytes(report.per_sequence[k])])
            .collect(),
        note: w.n2_key_and_value.to_owned(),
    };
    let plot = Plot {
        scatter: false,
        title: w.batchs_kv_cache_by.to_owned(),
        x_label: w.tokens.to_owned(),
        y_label: "GiB".into(),
        series: (0..3)
            .map(|k| PlotSeries {
                name: names[k].clone(),
                points: report
                    .curve
                    .iter()
                    .map(|(length, bytes)| PlotPoint {
                        x: *length as f64,
                        y: bytes[k] as f64 / (1u64 << 30) as f64,
                        range: None,
                    })
                    .collect(),
            })
            .collect(),
    };
    Some(DemoResult {
        claim_held: (ratio - (p.query_heads / p.kv_heads) as f64).abs() < 1e-9,
        claim,
        tables: vec![table],
        plots: vec![plot],
    })
}

const ADAPTER_PARAMS: &[ParamSpec] = &[
    int("rank", 1.0, 1.0, 64.0, Text(|w| w.sizes.rank)),
    int("a", 100.0, 1.0, 4096.0, Text(|w| w.sizes.a)),
    int("b", 50.0, 1.0, 4096.0, Text(|w| w.sizes.b)),
    int("bytes_per_value", 4.0, 1.0, 4.0, Text(|w| w.sizes.adapter_bytes_per_value)),
];

pub const ADAPTERS: DemoSpec = DemoSpec {
    id: "lidb-size",
    title: Text(|w| w.sizes.adapters_title),
    paper: "Ruiz et al. 2023 (HyperDreamBooth)",
    idea: Text(|w| w.sizes.adapters_idea),
    default_seconds: 1,
    params: ADAPTER_PARAMS,
    check: |_| Vec::new(),
    cost: CostModel::NEGLIGIBLE,
    accepts_upload: false,
    upload_params: &[],
    paper_numbers: adapter_paper,
    execute: execute_adapters,
    export_data: None,
    present: present_adapters,
};

pub(super) fn adapter_paper(lang: Lang) -> ResultTable {
    let w = &demo_words(lang).sizes;
    ResultTable {
        caption: w.what_hyperdreambooths_authors_report.to_owned(),
        columns: vec![w.adapter.to_owned(), w.parameters.to_owned(), w.size.to_owned()],
        rows: vec![
            vec!["LiDB (a = 100, b = 50, r = 1)".into(), "≈ 30K".into(), "≈ 120 KB".into()],
            vec!["LoRA, r = 1".into(), "".into(), "≈ 1.6 MB".into()],
        ],
        note: w.their_count_covers_their.to_owned(),
    }
}

fn execute_adapters(input: Input<'_>, _: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    let params: AdapterParams = serde_json::from_value(input.params.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(sizes::adapters(&params, &sizes::stable_diffusion_attention()))
        .map(Some)
        .map_err(|e| e.to_string())
}

fn present_adapters(stored: &Value, lang: Lang) -> Option<DemoResult> {
    let report: AdapterReport = serde_json::from_value(stored.clone()).ok()?;
    let w = &demo_words(lang).sizes;
    let claim = (w.adapters_claim)(&AdaptersClaim {
        lidb_parameters: report.lidb_parameters,
        lidb_bytes: bytes(report.lidb_bytes),
        lora_parameters: report.lora_parameters,
        lora_bytes: bytes(report.lora_bytes),
        ratio: report.ratio,
        bytes_per_matrix: 4 * report.params.rank * (report.params.a + report.params.b),
    });
    let table = ResultTable {
        caption: w.trainable_parameters_on_sd.to_owned(),
        columns: vec![w.method.to_owned(), w.parameters.to_owned(), w.bytes.to_owned()],
        rows: vec![
            vec![
                w.full_fine_tuning_these.to_owned(),
                report.full_parameters.to_string(),
                bytes(report.full_parameters * report.params.bytes_per_value),
            ],
            vec![
                format!("LoRA, r = {}", report.params.rank),
                report.lora_parameters.to_string(),
                bytes(report.lora_bytes),
            ],
            vec![
                format!("LiDB, a = {}, b = {}, r = {}", report.params.a, report.params.b, report.params.rank),
                report.lidb_parameters.to_string(),
                bytes(report.lidb_bytes),
            ],
        ],
        note: w.experiment_that_teaches_tiny.to_owned(),
    };
    Some(DemoResult { claim_held: report.ratio >= 10.0, claim, tables: vec![table], plots: Vec::new() })
}
