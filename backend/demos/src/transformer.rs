//! A tiny decoder-only transformer for the attention demos (grouped-query
//! attention, Lightweight DreamBooth): token embeddings tied with the output,
//! rotary positions, pre-norm blocks of causal self-attention and a ReLU
//! MLP. Trained with candle's autodiff; generation runs on a plain-Rust
//! decoder with a key-value cache laid out per KV head, so grouped-query
//! attention reads each cached key once for its whole group, as in Llama 2.
//!
//! Every projection can carry an adapter: LoRA (ΔW = down·up, rank r) or
//! LiDB (ΔW = aux_in·down·up·aux_out with frozen random orthonormal
//! auxiliary matrices rebuilt from a seed, so only r·(a+b) numbers are
//! trained and stored).

use candle_core::{D, DType, Tensor, Var};
use serde::{Deserialize, Serialize};

use crate::linalg::random_orthonormal;
use crate::progress::{Cancelled, Halt};
use crate::random::Random;
use crate::training::{self, Adam, CPU, Result, normal_var};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub vocab: usize,
    pub model: usize,
    pub heads: usize,
    /// Key/value heads: `heads` is multi-head attention, 1 is multi-query,
    /// anything between (dividing `heads`) is grouped-query attention.
    pub kv_heads: usize,
    pub layers: usize,
    pub hidden: usize,
}

impl Config {
    pub fn head_dim(&self) -> usize {
        self.model / self.heads
    }

    /// Bytes of key/value cache per token (f32): 2 × layers × KV heads × head size × 4.
    pub fn cache_bytes_per_token(&self) -> u64 {
        (2 * self.layers * self.kv_heads * self.head_dim() * 4) as u64
    }
}

/// How a projection may be adapted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum AdapterKind {
    Lora { rank: usize },
    Lidb { rank: usize, a: usize, b: usize },
}

#[derive(Debug, Clone)]
enum Adapter {
    Lora { down: Var, up: Var },
    Lidb { aux_in: Tensor, down: Var, up: Var, aux_out: Tensor },
}

/// A weight matrix `[in, out]` (applied as `x · W`), with an optional adapter.
#[derive(Debug)]
pub struct Projection {
    pub weight: Var,
    adapter: Option<Adapter>,
}

impl Projection {
    fn new(random: &mut Random, inputs: usize, outputs: usize, dtype: DType) -> Result<Projection> {
        Ok(Projection {
            weight: normal_var(random, &[inputs, outputs], (inputs as f64).powf(-0.5), dtype)?,
            adapter: None,
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let base = x.matmul(self.weight.as_tensor())?;
        match &self.adapter {
            None => Ok(base),
            Some(Adapter::Lora { down, up }) => base + x.matmul(down.as_tensor())?.matmul(up.as_tensor())?,
            Some(Adapter::Lidb { aux_in, down, up, aux_out }) => {
                base + x.matmul(aux_in)?.matmul(down.as_tensor())?.matmul(up.as_tensor())?.matmul(aux_out)?
            }
        }
    }

    /// The weight with the adapter's update folded in.
    fn merged(&self) -> Result<Tensor> {
        let w = self.weight.as_tensor();
        match &self.adapter {
            None => Ok(w.clone()),
            Some(Adapter::Lora { down, up }) => w + down.as_tensor().matmul(up.as_tensor())?,
            Some(Adapter::Lidb { aux_in, down, up, aux_out }) => {
                w + aux_in.matmul(down.as_tensor())?.matmul(up.as_tensor())?.matmul(aux_out)?
            }
        }
    }

    fn adapter_vars(&self) -> Vec<Var> {
        match &self.adapter {
            None => Vec::new(),
            Some(Adapter::Lora { down, up } | Adapter::Lidb { down, up, .. }) => vec![down.clone(), up.clone()],
        }
    }

    /// Puts an adapter on: the update starts at zero (`up` is zero), so the
    /// adapted model starts as the pretrained one.
    fn adapt(&mut self, kind: AdapterKind, random: &mut Random) -> Result<()> {
        let (inputs, outputs) = self.weight.as_tensor().dims2()?;
        let dtype = self.weight.as_tensor().dtype();
        let zeros = |rows: usize, cols: usize| Var::zeros((rows, cols), dtype, &CPU);
        self.adapter = Some(match kind {
            AdapterKind::Lora { rank } => Adapter::Lora {
                down: normal_var(random, &[inputs, rank], (inputs as f64).powf(-0.5), dtype)?,
                up: zeros(rank, outputs)?,
            },
            AdapterKind::Lidb { rank, a, b } => {
                let aux_in = random_orthonormal(inputs, a.min(inputs), random);
                let aux_out = random_orthonormal(outputs, b.min(outputs), random);
                Adapter::Lidb {
                    aux_in: Tensor::from_vec(aux_in.data, (aux_in.rows, aux_in.cols), &CPU)?.to_dtype(dtype)?,
                    down: normal_var(random, &[aux_in.cols, rank], (aux_in.cols as f64).powf(-0.5), dtype)?,
                    up: zeros(rank, aux_out.cols)?,
                    aux_out: Tensor::from_vec(aux_out.data, (aux_out.rows, aux_out.cols), &CPU)?
                        .t()?
                        .to_dtype(dtype)?,
                }
            }
        });
        Ok(())
    }
}

#[derive(Debug)]
pub struct Block {
    pub query: Projection,
    pub key: Projection,
    pub value: Projection,
    pub output: Projection,
    pub up: Projection,
    pub down: Projection,
}

impl Block {
    fn projections(&self) -> [&Projection; 6] {
        [&self.query, &self.key, &self.value, &self.output, &self.up, &self.down]
    }
}

/// Not `Clone`: the weights are shared handles; use `copy`.
#[derive(Debug)]
pub struct Transformer {
    pub config: Config,
    pub embedding: Var,
    pub blocks: Vec<Block>,
}

fn rms_norm(x: &Tensor) -> Result<Tensor> {
    let scale = (x.sqr()?.mean_keepdim(D::Minus1)? + 1e-6)?.sqrt()?;
    x.broadcast_div(&scale)
}

/// Rotary angles of one position: cos and sin for each dimension, the
/// pair (i, i + head_dim/2) sharing one frequency.
fn rotary_row(position: usize, head_dim: usize) -> (Vec<f64>, Vec<f64>) {
    let half = head_dim / 2;
    (0..head_dim)
        .map(|i| {
            let angle = position as f64 * 10_000f64.powf(-2.0 * (i % half) as f64 / head_dim as f64);
            (angle.cos(), angle.sin())
        })
        .unzip()
}

/// Rotary tables `[positions, head_dim]` (cos, sin).
fn rotary_tables(positions: usize, head_dim: usize) -> (Vec<f64>, Vec<f64>) {
    let rows: Vec<(Vec<f64>, Vec<f64>)> = (0..positions).map(|t| rotary_row(t, head_dim)).collect();
    (rows.iter().flat_map(|r| r.0.clone()).collect(), rows.iter().flat_map(|r| r.1.clone()).collect())
}

fn rotate(x: &Tensor, cos: &Tensor, sin: &Tensor) -> Result<Tensor> {
    let half = x.dim(D::Minus1)? / 2;
    let (first, second) = (x.narrow(D::Minus1, 0, half)?, x.narrow(D::Minus1, half, half)?);
    let turned = Tensor::cat(&[&second.neg()?, &first], D::Minus1)?;
    x.broadcast_mul(cos)? + turned.broadcast_mul(sin)?
}

impl Transformer {
    pub fn new(config: Config, seed: u64, dtype: DType) -> Result<Transformer> {
        assert!(config.heads.is_multiple_of(config.kv_heads) && config.model.is_multiple_of(config.heads));
        let mut random = Random::new(seed);
        let (d, kv) = (config.model, config.kv_heads * config.head_dim());
        let blocks = (0..config.layers)
            .map(|_| {
                Ok(Block {
                    query: Projection::new(&mut random, d, d, dtype)?,
                    key: Projection::new(&mut random, d, kv, dtype)?,
                    value: Projection::new(&mut random, d, kv, dtype)?,
                    output: Projection::new(&mut random, d, d, dtype)?,
                    up: Projection::new(&mut random, d, config.hidden, dtype)?,
                    down: Projection::new(&mut random, config.hidden, d, dtype)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Transformer { config, embedding: normal_var(&mut random, &[config.vocab, d], 0.5, dtype)?, blocks })
    }

    /// Every weight of the model (for full training).
    pub fn weights(&self) -> Vec<Var> {
        let mut all = vec![self.embedding.clone()];
        for block in &self.blocks {
            all.extend(block.projections().iter().map(|p| p.weight.clone()));
        }
        all
    }

    /// Number of weights.
    pub fn size(&self) -> usize {
        self.weights().iter().map(|v| v.as_tensor().elem_count()).sum()
    }

    /// Puts an adapter on every projection of every block (seeded); returns
    /// the adapters' trainable variables.
    pub fn adapt(&mut self, kind: AdapterKind, seed: u64) -> Result<Vec<Var>> {
        let mut random = Random::new(seed);
        let mut trainable = Vec::new();
        for block in &mut self.blocks {
            for p in
                [&mut block.query, &mut block.key, &mut block.value, &mut block.output, &mut block.up, &mut block.down]
            {
                p.adapt(kind, &mut random)?;
                trainable.extend(p.adapter_vars());
            }
        }
        Ok(trainable)
    }

    /// Logits `[batch, positions, vocab]` for token ids `[batch, positions]`.
    pub fn forward(&self, tokens: &Tensor) -> Result<Tensor> {
        let c = self.config;
        let (batch, positions) = tokens.dims2()?;
        let (heads, kv_heads, head_dim) = (c.heads, c.kv_heads, c.head_dim());
        let dtype = self.embedding.as_tensor().dtype();
        let (cos, sin) = rotary_tables(positions, head_dim);
        let cos = Tensor::from_vec(cos, (positions, head_dim), &CPU)?.to_dtype(dtype)?;
        let sin = Tensor::from_vec(sin, (positions, head_dim), &CPU)?.to_dtype(dtype)?;
        let mask: Vec<f64> =
            (0..positions * positions).map(|i| if i % positions > i / positions { -1e9 } else { 0.0 }).collect();
        let mask = Tensor::from_vec(mask, (positions, positions), &CPU)?.to_dtype(dtype)?;
        let mut x = self.embedding.as_tensor().embedding(&tokens.flatten_all()?)?; // [batch*positions, model]
        for block in &self.blocks {
            let h = rms_norm(&x)?;
            let split = |t: Tensor, n: usize| -> Result<Tensor> {
                t.reshape((batch, positions, n, head_dim))?.transpose(1, 2)?.contiguous()
            };
            let q = rotate(&split(block.query.forward(&h)?, heads)?, &cos, &sin)?;
            let k = rotate(&split(block.key.forward(&h)?, kv_heads)?, &cos, &sin)?;
            let v = split(block.value.forward(&h)?, kv_heads)?;
            // Each KV head serves `group` consecutive query heads.
            let group = heads / kv_heads;
            let share = |t: Tensor| -> Result<Tensor> {
                t.unsqueeze(2)?
                    .broadcast_as((batch, kv_heads, group, positions, head_dim))?
                    .reshape((batch, heads, positions, head_dim))
            };
            let (k, v) = (share(k)?, share(v)?);
            let scores = (q.matmul(&k.t()?)? / (head_dim as f64).sqrt())?.broadcast_add(&mask)?;
            let weights = softmax_last(&scores)?;
            let attended = weights.matmul(&v)?.transpose(1, 2)?.reshape((batch * positions, c.model))?;
            x = (x + block.output.forward(&attended)?)?;
            let h = rms_norm(&x)?;
            x = (&x + block.down.forward(&block.up.forward(&h)?.relu()?)?)?;
        }
        let logits = rms_norm(&x)?.matmul(&self.embedding.as_tensor().t()?)?;
        logits.reshape((batch, positions, c.vocab))
    }

    /// Mean cross-entropy of the targets at the positions where `weights`
    /// (`[batch, positions]`, 0 or 1) is 1.
    pub fn loss(&self, tokens: &Tensor, targets: &Tensor, weights: &Tensor) -> Result<Tensor> {
        let logits = self.forward(tokens)?;
        let log_probs = logits.broadcast_sub(&logits.log_sum_exp(D::Minus1)?.unsqueeze(D::Minus1)?)?;
        let picked = log_probs.gather(&targets.unsqueeze(D::Minus1)?, D::Minus1)?.squeeze(D::Minus1)?;
        let total = weights.sum_all()?;
        (picked * weights)?.sum_all()?.neg()?.div(&total)
    }

    /// Turns the attention into grouped-query attention with `kv_heads`
    /// heads by averaging the key and value projections of the heads in each
    /// group (Ainslie et al.'s conversion of a multi-head checkpoint).
    pub fn pooled(&self, kv_heads: usize) -> Result<Transformer> {
        let c = self.config;
        let group = c.kv_heads / kv_heads;
        let pool = |p: &Projection| -> Result<Projection> {
            let w = p.weight.as_tensor();
            let pooled = w
                .reshape((c.model, kv_heads, group, c.head_dim()))?
                .mean(2)?
                .reshape((c.model, kv_heads * c.head_dim()))?;
            Ok(Projection { weight: Var::from_tensor(&pooled)?, adapter: None })
        };
        let copy = |p: &Projection| -> Result<Projection> {
            Ok(Projection { weight: Var::from_tensor(&p.weight.as_tensor().copy()?)?, adapter: None })
        };
        let blocks = self
            .blocks
            .iter()
            .map(|b| {
                Ok(Block {
                    query: copy(&b.query)?,
                    key: pool(&b.key)?,
                    value: pool(&b.value)?,
                    output: copy(&b.output)?,
                    up: copy(&b.up)?,
                    down: copy(&b.down)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Transformer {
            config: Config { kv_heads, ..c },
            embedding: Var::from_tensor(&self.embedding.as_tensor().copy()?)?,
            blocks,
        })
    }

    /// An independent copy of the weights (adapters left behind): training
    /// the copy leaves this model as it is. Pooling into as many groups as
    /// there are KV heads changes nothing else.
    pub fn copy(&self) -> Result<Transformer> {
        self.pooled(self.config.kv_heads)
    }

    /// The weights as plain f32 matrices for the cached decoder, adapters folded in.
    pub fn decoder(&self) -> Result<Decoder> {
        let flat = |t: &Tensor| -> Result<Vec<f32>> { t.flatten_all()?.to_dtype(DType::F32)?.to_vec1::<f32>() };
        let blocks = self
            .blocks
            .iter()
            .map(|b| b.projections().into_iter().map(|p| p.merged().and_then(|m| flat(&m))).collect::<Result<Vec<_>>>())
            .collect::<Result<Vec<_>>>()?;
        Ok(Decoder { config: self.config, embedding: flat(self.embedding.as_tensor())?, blocks })
    }
}

fn softmax_last(x: &Tensor) -> Result<Tensor> {
    let shifted = x.broadcast_sub(&x.max_keepdim(D::Minus1)?.detach())?.exp()?;
    shifted.broadcast_div(&shifted.sum_keepdim(D::Minus1)?)
}

/// Token-by-token generation with a key-value cache, on plain f32 slices.
pub struct Decoder {
    config: Config,
    embedding: Vec<f32>,
    /// Per block: query, key, value, output, up, down (row-major `[in, out]`).
    blocks: Vec<Vec<Vec<f32>>>,
}

/// The cache of one sequence: per layer, per KV head, the keys and the
/// values of every position so far, contiguous (`[position, head_dim]`).
pub struct Cache {
    keys: Vec<Vec<Vec<f32>>>,
    values: Vec<Vec<Vec<f32>>>,
    pub length: usize,
}

impl Cache {
    pub fn bytes(&self) -> u64 {
        let count: usize = self.keys.iter().chain(&self.values).flatten().map(Vec::len).sum();
        (count * 4) as u64
    }
}

/// `x · W` for a row vector and a row-major `[in, out]` matrix.
fn times(x: &[f32], w: &[f32], out: usize) -> Vec<f32> {
    let mut y = vec![0.0f32; out];
    for (xi, row) in x.iter().zip(w.chunks_exact(out)) {
        for (yj, wij) in y.iter_mut().zip(row) {
            *yj += xi * wij;
        }
    }
    y
}

fn normalised(x: &[f32]) -> Vec<f32> {
    let scale = (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32 + 1e-6).sqrt();
    x.iter().map(|v| v / scale).collect()
}

impl Decoder {
    pub fn cache(&self) -> Cache {
        let c = self.config;
        let empty = || (0..c.layers).map(|_| vec![Vec::new(); c.kv_heads]).collect();
        Cache { keys: empty(), values: empty(), length: 0 }
    }

    /// Puts `positions` more entries of unit-normal noise in the cache: for
    /// measuring decoding speed at a long context, where only the cache's
    /// size matters, without paying to compute it.
    pub fn fill_with_noise(&self, cache: &mut Cache, positions: usize, random: &mut Random) {
        let width = positions * self.config.head_dim();
        for part in cache.keys.iter_mut().chain(cache.values.iter_mut()).flatten() {
            part.extend((0..width).map(|_| random.normal() as f32));
        }
        cache.length += positions;
    }

    /// Feeds one token at the cache's next position; returns the logits of the token after it.
    pub fn step(&self, token: usize, cache: &mut Cache) -> Vec<f32> {
        let c = self.config;
        let (d, head_dim) = (c.model, c.head_dim());
        let half = head_dim / 2;
        let position = cache.length;
        let (cos, sin) = rotary_row(position, head_dim);
        let rotate = |v: &mut [f32]| {
            for head in v.chunks_exact_mut(head_dim) {
                let turned: Vec<f32> =
                    (0..head_dim).map(|i| if i < half { -head[i + half] } else { head[i - half] }).collect();
                for i in 0..head_dim {
                    head[i] = head[i] * cos[i] as f32 + turned[i] * sin[i] as f32;
                }
            }
        };
        let mut x = self.embedding[token * d..(token + 1) * d].to_vec();
        let group = c.heads / c.kv_heads;
        let scale = 1.0 / (head_dim as f32).sqrt();
        for (layer, w) in self.blocks.iter().enumerate() {
            let h = normalised(&x);
            let mut q = times(&h, &w[0], d);
            let mut k = times(&h, &w[1], c.kv_heads * head_dim);
            let v = times(&h, &w[2], c.kv_heads * head_dim);
            rotate(&mut q);
            rotate(&mut k);
            let mut attended = vec![0.0f32; d];
            for g in 0..c.kv_heads {
                cache.keys[layer][g].extend_from_slice(&k[g * head_dim..(g + 1) * head_dim]);
                cache.values[layer][g].extend_from_slice(&v[g * head_dim..(g + 1) * head_dim]);
                let (keys, values) = (&cache.keys[layer][g], &cache.values[layer][g]);
                // One pass over this KV head's keys and one over its values
                // serve all the group's query heads (the heads of a group are
                // consecutive, so their queries and outputs are contiguous).
                let span = g * group * head_dim..(g + 1) * group * head_dim;
                let queries = &q[span.clone()];
                let mut scores = vec![0.0f32; keys.len() / head_dim * group];
                for (key, row) in keys.chunks_exact(head_dim).zip(scores.chunks_exact_mut(group)) {
                    for (score, query) in row.iter_mut().zip(queries.chunks_exact(head_dim)) {
                        *score = query.iter().zip(key).map(|(a, b)| a * b).sum::<f32>() * scale;
                    }
                }
                for j in 0..group {
                    let top = scores.iter().skip(j).step_by(group).copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut total = 0.0;
                    for score in scores.iter_mut().skip(j).step_by(group) {
                        *score = (*score - top).exp();
                        total += *score;
                    }
                    scores.iter_mut().skip(j).step_by(group).for_each(|score| *score /= total);
                }
                let out = &mut attended[span];
                for (value, row) in values.chunks_exact(head_dim).zip(scores.chunks_exact(group)) {
                    for (head, weight) in out.chunks_exact_mut(head_dim).zip(row) {
                        for (o, v) in head.iter_mut().zip(value) {
                            *o += weight * v;
                        }
                    }
                }
            }
            for (xi, oi) in x.iter_mut().zip(times(&attended, &w[3], d)) {
                *xi += oi;
            }
            let h = normalised(&x);
            let hidden: Vec<f32> = times(&h, &w[4], c.hidden).into_iter().map(|v| v.max(0.0)).collect();
            for (xi, oi) in x.iter_mut().zip(times(&hidden, &w[5], d)) {
                *xi += oi;
            }
        }
        cache.length += 1;
        let h = normalised(&x);
        self.embedding.chunks_exact(d).map(|row| row.iter().zip(&h).map(|(a, b)| a * b).sum()).collect()
    }
}

/// The index of the largest logit.
pub fn greedy(logits: &[f32]) -> usize {
    logits.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i)
}

/// A training loss curve for a plot: the mean over each of about 25
/// stretches of steps, at the stretch's last step.
pub fn loss_curve(losses: &[f64]) -> Vec<(usize, f64)> {
    let stretch = (losses.len() / 25).max(1);
    let mut end = 0;
    losses
        .chunks(stretch)
        .map(|chunk| {
            end += chunk.len();
            (end, chunk.iter().sum::<f64>() / chunk.len() as f64)
        })
        .collect()
}

/// Token ids as a `[batch, positions]` tensor.
pub fn tokens(rows: &[Vec<u32>]) -> Result<Tensor> {
    let width = rows.first().map_or(0, Vec::len);
    Tensor::from_vec(rows.concat(), (rows.len(), width), &CPU)
}

/// One training sequence: the tokens read, the token expected after each,
/// and whether that prediction counts in the loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub tokens: Vec<u32>,
    pub targets: Vec<u32>,
    pub counted: Vec<bool>,
}

impl Example {
    /// A sequence read left to right, each token predicting the next; the
    /// predictions of the tokens at `answers` (indices into `sequence`) count.
    pub fn predicting(sequence: &[u32], answers: &[usize]) -> Example {
        let n = sequence.len() - 1;
        Example {
            tokens: sequence[..n].to_vec(),
            targets: sequence[1..].to_vec(),
            counted: (0..n).map(|t| answers.contains(&(t + 1))).collect(),
        }
    }
}

/// Examples of one length as the three tensors `loss` takes.
pub struct Batch {
    pub tokens: Tensor,
    pub targets: Tensor,
    pub counted: Tensor,
}

impl Batch {
    pub fn of(examples: &[Example], dtype: DType) -> Result<Batch> {
        let rows = examples.len();
        let width = examples.first().map_or(0, |e| e.tokens.len());
        let counted: Vec<f64> =
            examples.iter().flat_map(|e| e.counted.iter().map(|c| f64::from(u8::from(*c)))).collect();
        Ok(Batch {
            tokens: tokens(&examples.iter().map(|e| e.tokens.clone()).collect::<Vec<_>>())?,
            targets: tokens(&examples.iter().map(|e| e.targets.clone()).collect::<Vec<_>>())?,
            counted: Tensor::from_vec(counted, (rows, width), &CPU)?.to_dtype(dtype)?,
        })
    }
}

/// What a model scores on a set of examples: mean loss over the counted
/// predictions and the share of them the model gets right (greedy).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub loss: f64,
    pub accuracy: f64,
}

impl Transformer {
    pub fn batch_loss(&self, batch: &Batch) -> Result<Tensor> {
        self.loss(&batch.tokens, &batch.targets, &batch.counted)
    }

    pub fn score(&self, examples: &[Example]) -> Result<Score> {
        let dtype = self.embedding.as_tensor().dtype();
        let batch = Batch::of(examples, dtype)?;
        let loss = training::scalar(&self.batch_loss(&batch)?)?;
        let guesses = self.forward(&batch.tokens)?.argmax(D::Minus1)?.to_vec2::<u32>()?;
        let (mut right, mut counted) = (0usize, 0usize);
        for (example, guess) in examples.iter().zip(guesses) {
            for ((target, counts), g) in example.targets.iter().zip(&example.counted).zip(guess) {
                if *counts {
                    counted += 1;
                    right += usize::from(g == *target);
                }
            }
        }
        Ok(Score { loss, accuracy: right as f64 / counted.max(1) as f64 })
    }

    /// Adam on `trainable` for `steps` batches drawn by `draw(step)`; `tick`
    /// after each step may stop the run. Returns the training loss per step.
    pub fn fit(
        &self,
        trainable: Vec<Var>,
        steps: usize,
        learning_rate: f64,
        draw: &mut dyn FnMut(usize) -> Vec<Example>,
        tick: &mut dyn FnMut() -> std::result::Result<(), Cancelled>,
    ) -> std::result::Result<Vec<f64>, Halt> {
        let failed = |e: training::Error| Halt::Failed(e.to_string());
        let dtype = self.embedding.as_tensor().dtype();
        let mut adam = Adam::new(trainable, learning_rate).map_err(failed)?;
        let mut losses = Vec::with_capacity(steps);
        for step in 0..steps {
            // A short warm-up, then cosine decay to a tenth.
            let warm = (step as f64 + 1.0) / (steps as f64 * 0.05).max(1.0);
            let decay = 0.55 + 0.45 * (std::f64::consts::PI * step as f64 / steps.max(1) as f64).cos();
            adam.learning_rate = learning_rate * warm.min(1.0) * decay;
            let batch = Batch::of(&draw(step), dtype).map_err(failed)?;
            let loss = self.batch_loss(&batch).map_err(failed)?;
            losses.push(training::scalar(&loss).map_err(failed)?);
            adam.minimise(&loss).map_err(failed)?;
            tick()?;
        }
        Ok(losses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::gradient_gap;

    const TINY: Config = Config { vocab: 11, model: 8, heads: 4, kv_heads: 2, layers: 2, hidden: 12 };

    fn batch() -> (Tensor, Tensor, Tensor) {
        let rows = vec![vec![1u32, 4, 2, 7, 3], vec![0, 9, 9, 5, 10]];
        let targets = vec![vec![4u32, 2, 7, 3, 1], vec![9, 9, 5, 10, 0]];
        let weights = Tensor::new(&[[0.0f64, 1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 1.0, 1.0, 1.0]], &CPU).unwrap();
        (tokens(&rows).unwrap(), tokens(&targets).unwrap(), weights)
    }

    #[test]
    fn attention_gradients_match_finite_differences() {
        let model = Transformer::new(TINY, 3, DType::F64).unwrap();
        let (x, y, w) = batch();
        let block = &model.blocks[0];
        for var in [&block.query.weight, &block.key.weight, &block.value.weight, &model.embedding] {
            let gap = gradient_gap(var, &[0, 3, 5, 9, 14], &|| model.loss(&x, &y, &w)).unwrap();
            assert!(gap < 1e-5, "relative gap {gap}");
        }
    }

    #[test]
    fn adapter_gradients_match_finite_differences() {
        for kind in [AdapterKind::Lora { rank: 1 }, AdapterKind::Lidb { rank: 1, a: 4, b: 3 }] {
            let mut model = Transformer::new(TINY, 4, DType::F64).unwrap();
            let trainable = model.adapt(kind, 9).unwrap();
            // Move `up` off zero so both factors get gradients.
            for var in &trainable {
                let moved = (var.as_tensor() + 0.3).unwrap();
                var.set(&moved).unwrap();
            }
            let (x, y, w) = batch();
            for var in &trainable[..4] {
                let gap = gradient_gap(var, &[], &|| model.loss(&x, &y, &w)).unwrap();
                assert!(gap < 1e-5, "{kind:?}: relative gap {gap}");
            }
        }
    }

    #[test]
    fn the_cached_decoder_gives_the_same_logits_as_the_full_forward_pass() {
        for kv_heads in [4, 2, 1] {
            let mut model = Transformer::new(Config { kv_heads, ..TINY }, 7, DType::F32).unwrap();
            model.adapt(AdapterKind::Lidb { rank: 1, a: 4, b: 3 }, 2).unwrap();
            let row = vec![3u32, 1, 4, 1, 5, 9, 2, 6];
            let full = model.forward(&tokens(std::slice::from_ref(&row)).unwrap()).unwrap();
            let full = full.squeeze(0).unwrap().to_vec2::<f32>().unwrap();
            let decoder = model.decoder().unwrap();
            let mut cache = decoder.cache();
            for (t, token) in row.iter().enumerate() {
                let logits = decoder.step(*token as usize, &mut cache);
                for (a, b) in logits.iter().zip(&full[t]) {
                    assert!((a - b).abs() < 1e-4, "kv {kv_heads}, position {t}: {a} vs {b}");
                }
            }
            assert_eq!(cache.bytes(), row.len() as u64 * model.config.cache_bytes_per_token());
        }
    }

    #[test]
    fn pooling_heads_keeps_the_query_heads_and_shrinks_the_cache() {
        let model = Transformer::new(Config { kv_heads: 4, ..TINY }, 1, DType::F32).unwrap();
        let pooled = model.pooled(1).unwrap();
        assert_eq!(pooled.config.kv_heads, 1);
        assert_eq!(pooled.config.cache_bytes_per_token() * 4, model.config.cache_bytes_per_token());
        let row = tokens(&[vec![1u32, 2, 3]]).unwrap();
        assert_eq!(pooled.forward(&row).unwrap().dims(), &[1, 3, 11]);
    }
}
