//! The two calculators (grouped-query attention's KV cache, Lightweight
//! DreamBooth's trainable size) in the catalogue. Exact arithmetic, so a run
//! is instant; the papers' own numbers stand beside ours.

use paperclub_demos::sizes::{self, AdapterParams, AdapterReport, CacheParams, CacheReport};
use serde_json::{Map, Value};

use super::spec::{DemoSpec, Input, ParamSpec, Text, int, number, says};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{DemoResult, Plot, PlotPoint, PlotSeries, ResultTable};

const CACHE_PARAMS: &[ParamSpec] = &[
    int("layers", 80.0, 1.0, 256.0, "Слоёв декодера.", "Decoder layers."),
    int("query_heads", 64.0, 1.0, 256.0, "Голов запросов.", "Query heads."),
    int(
        "kv_heads",
        8.0,
        1.0,
        256.0,
        "Голов ключей и значений (делит число голов запросов).",
        "Key/value heads (divides the query heads).",
    ),
    int("head_dim", 128.0, 8.0, 512.0, "Размер головы.", "Head size."),
    int(
        "bytes_per_value",
        2.0,
        1.0,
        4.0,
        "Байт на число: 2 — fp16/bf16, 1 — int8.",
        "Bytes per value: 2 for fp16/bf16, 1 for int8.",
    ),
    int("sequence_length", 4096.0, 1.0, 1_048_576.0, "Длина последовательности.", "Sequence length."),
    int("batch", 1.0, 1.0, 1024.0, "Последовательностей в батче.", "Sequences in a batch."),
];

pub const CACHE: DemoSpec = DemoSpec {
    id: "gqa-cache",
    title: Text { ru: "GQA: сколько весит KV-кэш", en: "GQA: how big the KV cache is" },
    paper: "Ainslie et al. 2023 (GQA); Touvron et al. 2023 (Llama 2)",
    idea: Text {
        ru: "При генерации модель хранит ключи и значения всех прошлых токенов. В grouped-query attention головы запросов делят ключи и значения группами: голов KV в несколько раз меньше, и кэш во столько же раз меньше, а качество почти как у обычного multi-head. По умолчанию — Llama 2 70B.",
        en: "While generating, a model keeps the keys and values of all past tokens. In grouped-query attention, query heads share keys and values in groups: there are several times fewer KV heads, the cache is that many times smaller, and quality stays close to multi-head attention. Defaults: Llama 2 70B.",
    },
    default_seconds: 1,
    params: CACHE_PARAMS,
    check: check_cache,
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
    let t = says(lang);
    ResultTable {
        caption: t(
            "Абляция Llama 2 (модели 30B, среднее по 11 бенчмаркам)",
            "Llama 2's ablation (30B models, mean of 11 benchmarks)",
        ),
        columns: vec![t("Внимание", "Attention"), t("Среднее", "Mean")],
        rows: vec![
            vec!["MHA".into(), "44.2".into()],
            vec!["MQA".into(), "43.8".into()],
            vec!["GQA".into(), "44.3".into()],
        ],
        note: t(
            "Числа авторов; крошечный трансформер с MHA, GQA и MQA обучается в демо «GQA: обучение».",
            "The authors' numbers; the demo \"GQA, trained\" trains a tiny transformer with MHA, GQA and MQA.",
        ),
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
    let t = says(lang);
    let p = &report.params;
    let names = [format!("MHA ({} KV)", p.query_heads), format!("GQA ({} KV)", p.kv_heads), "MQA (1 KV)".to_owned()];
    let ratio = report.per_token[0] as f64 / report.per_token[1] as f64;
    let claim = if lang == Lang::Ru {
        format!(
            "Кэш на токен: {} у GQA против {} у MHA — в {ratio:.0} раз меньше (query_heads / kv_heads). На последовательность из {} токенов: {} против {}.",
            bytes(report.per_token[1]),
            bytes(report.per_token[0]),
            p.sequence_length,
            bytes(report.per_sequence[1]),
            bytes(report.per_sequence[0])
        )
    } else {
        format!(
            "Cache per token: {} with GQA against {} with MHA, {ratio:.0} times smaller (query_heads / kv_heads). For a sequence of {} tokens: {} against {}.",
            bytes(report.per_token[1]),
            bytes(report.per_token[0]),
            p.sequence_length,
            bytes(report.per_sequence[1]),
            bytes(report.per_sequence[0])
        )
    };
    let table = ResultTable {
        caption: t("KV-кэш", "KV cache"),
        columns: vec![
            t("Внимание", "Attention"),
            t("На токен", "Per token"),
            t("На батч последовательностей", "Per batch of sequences"),
        ],
        rows: (0..3)
            .map(|k| vec![names[k].clone(), bytes(report.per_token[k]), bytes(report.per_sequence[k])])
            .collect(),
        note: t(
            "2 (ключ и значение) × слои × головы KV × размер головы × байт на число.",
            "2 (key and value) × layers × KV heads × head size × bytes per value.",
        ),
    };
    let plot = Plot {
        scatter: false,
        title: t("KV-кэш батча в зависимости от длины, ГиБ", "The batch's KV cache by sequence length, GiB"),
        x_label: t("токенов", "tokens"),
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
    int(
        "rank",
        1.0,
        1.0,
        64.0,
        "Ранг обучаемой части (и LoRA для сравнения).",
        "Rank of the trainable part (and of LoRA to compare).",
    ),
    int(
        "a",
        100.0,
        1.0,
        4096.0,
        "Размер замороженной случайной матрицы слева.",
        "Size of the frozen random matrix on the left.",
    ),
    int(
        "b",
        50.0,
        1.0,
        4096.0,
        "Размер замороженной случайной матрицы справа.",
        "Size of the frozen random matrix on the right.",
    ),
    int("bytes_per_value", 4.0, 1.0, 4.0, "Байт на число (4 — fp32).", "Bytes per value (4 for fp32)."),
];

pub const ADAPTERS: DemoSpec = DemoSpec {
    id: "lidb-size",
    title: Text {
        ru: "LiDB: сколько весит персонализация", en: "LiDB: how small a personalisation is"
    },
    paper: "Ruiz et al. 2023 (HyperDreamBooth)",
    idea: Text {
        ru: "Lightweight DreamBooth раскладывает поправку к весу как A_aux · A · B · B_aux: внешние матрицы случайные, замороженные и восстанавливаются из сохранённого seed, обучаются только маленькие A (a × r) и B (r × b). Считаем обучаемые параметры и байты для слоёв внимания UNet Stable Diffusion 1.5 и сравниваем с LoRA того же ранга.",
        en: "Lightweight DreamBooth writes a weight update as A_aux · A · B · B_aux: the outer matrices are random, frozen and rebuilt from a stored seed; only the small A (a × r) and B (r × b) are trained. We count trainable parameters and bytes for Stable Diffusion 1.5's UNet attention layers and compare with LoRA of the same rank.",
    },
    default_seconds: 1,
    params: ADAPTER_PARAMS,
    check: |_| Vec::new(),
    accepts_upload: false,
    upload_params: &[],
    paper_numbers: adapter_paper,
    execute: execute_adapters,
    export_data: None,
    present: present_adapters,
};

pub(super) fn adapter_paper(lang: Lang) -> ResultTable {
    let t = says(lang);
    ResultTable {
        caption: t("Что сообщают авторы HyperDreamBooth", "What HyperDreamBooth's authors report"),
        columns: vec![t("Адаптер", "Adapter"), t("Параметров", "Parameters"), t("Размер", "Size")],
        rows: vec![
            vec!["LiDB (a = 100, b = 50, r = 1)".into(), "≈ 30K".into(), "≈ 120 KB".into()],
            vec!["LoRA, r = 1".into(), "".into(), "≈ 1.6 MB".into()],
        ],
        note: t(
            "Их подсчёт включает свой набор адаптируемых слоёв; наш — только 128 проекций внимания UNet, поэтому числа отличаются, а соотношение — того же порядка.",
            "Their count covers their own set of adapted layers; ours only the UNet's 128 attention projections, so the numbers differ while the ratio is of the same order.",
        ),
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
    let t = says(lang);
    let claim = if lang == Lang::Ru {
        format!(
            "LiDB обучает {} параметров ({}), LoRA того же ранга — {} ({}): в {:.1} раза меньше. Ровно 4·r·(a+b) = {} байт на матрицу в fp32.",
            report.lidb_parameters,
            bytes(report.lidb_bytes),
            report.lora_parameters,
            bytes(report.lora_bytes),
            report.ratio,
            4 * report.params.rank * (report.params.a + report.params.b)
        )
    } else {
        format!(
            "LiDB trains {} parameters ({}), LoRA of the same rank {} ({}): {:.1} times fewer. Exactly 4·r·(a+b) = {} bytes per matrix in fp32.",
            report.lidb_parameters,
            bytes(report.lidb_bytes),
            report.lora_parameters,
            bytes(report.lora_bytes),
            report.ratio,
            4 * report.params.rank * (report.params.a + report.params.b)
        )
    };
    let table = ResultTable {
        caption: t(
            "Обучаемые параметры на 128 проекциях внимания UNet SD 1.5",
            "Trainable parameters on SD 1.5 UNet's 128 attention projections",
        ),
        columns: vec![t("Способ", "Method"), t("Параметров", "Parameters"), t("Байт", "Bytes")],
        rows: vec![
            vec![
                t("Полное дообучение этих матриц", "Full fine-tuning of these matrices"),
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
        note: t(
            "Эксперимент с обучением маленькой языковой модели (полное дообучение, LoRA, LiDB) пока не запускается.",
            "The experiment that teaches a tiny language model (full fine-tuning, LoRA, LiDB) is not part of this calculator yet.",
        ),
    };
    Some(DemoResult { claim_held: report.ratio >= 10.0, claim, tables: vec![table], plots: Vec::new() })
}
