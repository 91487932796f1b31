//! Two calculators from the second wave of papers, exact arithmetic:
//! the KV cache of grouped-query attention (Ainslie et al. 2023; Llama 2)
//! and the trainable size of Lightweight DreamBooth against LoRA
//! (HyperDreamBooth, Ruiz et al. 2023).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheParams {
    pub layers: u64,
    pub query_heads: u64,
    pub kv_heads: u64,
    pub head_dim: u64,
    /// 2 for fp16/bf16, 1 for int8.
    pub bytes_per_value: u64,
    pub sequence_length: u64,
    pub batch: u64,
}

impl Default for CacheParams {
    /// Llama 2 70B in fp16.
    fn default() -> Self {
        CacheParams {
            layers: 80,
            query_heads: 64,
            kv_heads: 8,
            head_dim: 128,
            bytes_per_value: 2,
            sequence_length: 4096,
            batch: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheReport {
    pub params: CacheParams,
    /// Bytes per token for multi-head (as many KV heads as query heads), this grouping, and multi-query (one).
    pub per_token: [u64; 3],
    pub per_sequence: [u64; 3],
    /// (sequence length, bytes for the batch) for each of the three, for the plot.
    pub curve: Vec<(u64, [u64; 3])>,
}

/// Keys and values (2) for every layer, KV head and dimension.
pub fn kv_bytes_per_token(p: &CacheParams, kv_heads: u64) -> u64 {
    2 * p.layers * kv_heads * p.head_dim * p.bytes_per_value
}

pub fn cache(p: &CacheParams) -> CacheReport {
    let heads = [p.query_heads, p.kv_heads, 1];
    let per_token = heads.map(|h| kv_bytes_per_token(p, h));
    let per_sequence = per_token.map(|b| b * p.sequence_length * p.batch);
    let curve = (0..=8)
        .map(|k| {
            let length = p.sequence_length * k / 8;
            (length, per_token.map(|b| b * length * p.batch))
        })
        .collect();
    CacheReport { params: p.clone(), per_token, per_sequence, curve }
}

/// One adapted weight matrix: its input and output sizes.
pub type Matrix = (u64, u64);

/// The attention projections of Stable Diffusion 1.5's UNet: 16 transformer
/// blocks (model widths 320 x5, 640 x5, 1280 x6), each with self-attention
/// (q, k, v, out: width x width) and cross-attention (q, out: width x width;
/// k, v: 768 text features -> width).
pub fn stable_diffusion_attention() -> Vec<Matrix> {
    let widths = [320u64, 320, 640, 640, 1280, 1280, 1280, 1280, 1280, 1280, 640, 640, 640, 320, 320, 320];
    widths.iter().flat_map(|&d| [(d, d), (d, d), (d, d), (d, d), (d, d), (768, d), (768, d), (d, d)]).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdapterParams {
    pub rank: u64,
    /// LiDB's frozen auxiliary sizes: ΔW = A_aux (out x a) · A (a x r) · B (r x b) · B_aux (b x in).
    pub a: u64,
    pub b: u64,
    pub bytes_per_value: u64,
}

impl Default for AdapterParams {
    fn default() -> Self {
        AdapterParams { rank: 1, a: 100, b: 50, bytes_per_value: 4 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterReport {
    pub params: AdapterParams,
    pub matrices: u64,
    pub lora_parameters: u64,
    pub lidb_parameters: u64,
    pub full_parameters: u64,
    pub lora_bytes: u64,
    pub lidb_bytes: u64,
    /// How many times smaller LiDB is than LoRA of the same rank.
    pub ratio: f64,
}

pub fn adapters(p: &AdapterParams, matrices: &[Matrix]) -> AdapterReport {
    let lora: u64 = matrices.iter().map(|(input, output)| p.rank * (input + output)).sum();
    // Only A (a x r) and B (r x b) are trained; the auxiliary matrices are rebuilt from a stored seed.
    let lidb = matrices.len() as u64 * p.rank * (p.a + p.b);
    let full: u64 = matrices.iter().map(|(input, output)| input * output).sum();
    AdapterReport {
        params: p.clone(),
        matrices: matrices.len() as u64,
        lora_parameters: lora,
        lidb_parameters: lidb,
        full_parameters: full,
        lora_bytes: lora * p.bytes_per_value,
        lidb_bytes: lidb * p.bytes_per_value,
        ratio: lora as f64 / lidb.max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_2_70b_caches_320_kib_per_token_against_2_5_mib_for_multi_head() {
        let report = cache(&CacheParams::default());
        assert_eq!(report.per_token[1], 320 * 1024);
        assert_eq!(report.per_token[0], 2 * 1024 * 1024 + 512 * 1024);
        assert_eq!(report.per_token[0] / report.per_token[1], 8);
        assert_eq!(report.per_token[2], 40 * 1024);
        assert_eq!(report.per_sequence[1], 320 * 1024 * 4096);
    }

    #[test]
    fn lidb_trains_exactly_r_times_a_plus_b_per_matrix() {
        let matrices = stable_diffusion_attention();
        assert_eq!(matrices.len(), 128);
        let report = adapters(&AdapterParams::default(), &matrices);
        assert_eq!(report.lidb_parameters, 128 * 150);
        assert_eq!(report.lidb_bytes, 128 * 4 * 150, "4·r·(a+b) bytes per adapted matrix");
        // Rank-1 LoRA: 14·width + 1536 per block, summed over the 16 blocks.
        assert_eq!(report.lora_parameters, 14 * (320 * 5 + 640 * 5 + 1280 * 6) + 16 * 1536);
        assert!(report.ratio > 10.0);
    }
}
