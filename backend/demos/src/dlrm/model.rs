//! DLRM (Naumov et al. 2019) small enough for one core: dense features
//! through a bottom MLP, categorical ids through bounded embedding tables
//! (a live id keeps its own row; when a table is full the least recently
//! seen id is evicted, the idea behind TorchRec's zero-collision hashing),
//! pairwise dot products of all the vectors, a top MLP, binary
//! cross-entropy. Gradients are written by hand (checked against finite
//! differences below); dense layers use Adagrad, embedding rows row-wise
//! Adagrad, and only the rows a sample touched are updated.

use std::collections::HashMap;

use crate::random::Random;

const EPS: f64 = 1e-8;

/// A dense layer `y = W x + b` with Adagrad state.
#[derive(Debug, Clone)]
pub struct Layer {
    pub inputs: usize,
    pub outputs: usize,
    /// outputs x inputs, row-major, then the bias.
    pub weights: Vec<f64>,
    pub bias: Vec<f64>,
    acc_w: Vec<f64>,
    acc_b: Vec<f64>,
}

impl Layer {
    fn new(inputs: usize, outputs: usize, random: &mut Random) -> Layer {
        let scale = (2.0 / inputs as f64).sqrt();
        Layer {
            inputs,
            outputs,
            weights: (0..inputs * outputs).map(|_| random.normal() * scale).collect(),
            bias: vec![0.0; outputs],
            acc_w: vec![0.0; inputs * outputs],
            acc_b: vec![0.0; outputs],
        }
    }

    fn forward(&self, x: &[f64]) -> Vec<f64> {
        self.weights
            .chunks(self.inputs)
            .zip(&self.bias)
            .map(|(row, b)| row.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + b)
            .collect()
    }

    /// Given dL/dy, returns dL/dx and adds dL/dW, dL/db into `grads`.
    fn backward(&self, x: &[f64], dy: &[f64], grads: &mut LayerGrads) -> Vec<f64> {
        let mut dx = vec![0.0; self.inputs];
        for (o, g) in dy.iter().enumerate() {
            if *g == 0.0 {
                continue;
            }
            let row = &self.weights[o * self.inputs..(o + 1) * self.inputs];
            grads.b[o] += g;
            for i in 0..self.inputs {
                grads.w[o * self.inputs + i] += g * x[i];
                dx[i] += g * row[i];
            }
        }
        dx
    }

    fn apply(&mut self, grads: &LayerGrads, rate: f64) {
        for ((w, a), g) in self.weights.iter_mut().zip(&mut self.acc_w).zip(&grads.w) {
            *a += g * g;
            *w -= rate * g / (a.sqrt() + EPS);
        }
        for ((b, a), g) in self.bias.iter_mut().zip(&mut self.acc_b).zip(&grads.b) {
            *a += g * g;
            *b -= rate * g / (a.sqrt() + EPS);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayerGrads {
    pub w: Vec<f64>,
    pub b: Vec<f64>,
}

impl LayerGrads {
    fn zeros(layer: &Layer) -> LayerGrads {
        LayerGrads { w: vec![0.0; layer.weights.len()], b: vec![0.0; layer.bias.len()] }
    }
}

/// One categorical feature's embeddings: at most `capacity` rows, one per
/// live id; the least recently seen id gives its row up when a new one comes.
#[derive(Debug, Clone)]
pub struct Table {
    pub dim: usize,
    pub capacity: usize,
    slot_of: HashMap<u64, usize>,
    id_of: Vec<Option<u64>>,
    last_seen: Vec<u64>,
    pub rows: Vec<f64>,
    acc: Vec<f64>,
    pub evictions: u64,
    random: Random,
}

impl Table {
    fn new(dim: usize, capacity: usize, seed: u64) -> Table {
        Table {
            dim,
            capacity,
            slot_of: HashMap::new(),
            id_of: vec![None; capacity],
            last_seen: vec![0; capacity],
            rows: vec![0.0; dim * capacity],
            acc: vec![0.0; capacity],
            evictions: 0,
            random: Random::new(seed),
        }
    }

    pub fn occupied(&self) -> usize {
        self.slot_of.len()
    }

    /// The row of `id`; in training an unseen id gets a row (evicting the
    /// stalest when full), in evaluation it has none (a cold id: zeros).
    fn row(&mut self, id: u64, step: u64, training: bool) -> Option<usize> {
        if let Some(&slot) = self.slot_of.get(&id) {
            self.last_seen[slot] = step;
            return Some(slot);
        }
        if !training {
            return None;
        }
        let slot = if self.slot_of.len() < self.capacity {
            self.slot_of.len()
        } else {
            let stalest = (0..self.capacity).min_by_key(|s| self.last_seen[*s]).expect("a full table has rows");
            if let Some(old) = self.id_of[stalest] {
                self.slot_of.remove(&old);
            }
            self.evictions += 1;
            stalest
        };
        self.slot_of.insert(id, slot);
        self.id_of[slot] = Some(id);
        self.last_seen[slot] = step;
        self.acc[slot] = 0.0;
        for x in &mut self.rows[slot * self.dim..(slot + 1) * self.dim] {
            *x = self.random.normal() * 0.05;
        }
        Some(slot)
    }
}

/// One example: dense features (already log-transformed), one id per field, and the click.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub dense: Vec<f64>,
    pub ids: Vec<u64>,
    pub click: bool,
}

#[derive(Debug, Clone)]
pub struct Dlrm {
    pub bottom: [Layer; 2],
    pub top: [Layer; 2],
    pub tables: Vec<Table>,
    pub dim: usize,
    step: u64,
}

/// Everything the backward pass needs from the forward one.
struct Cache {
    x: Vec<f64>,
    h1: Vec<f64>,
    vectors: Vec<Vec<f64>>,
    slots: Vec<Option<usize>>,
    t: Vec<f64>,
    h2: Vec<f64>,
    probability: f64,
}

/// The gradient of one sample's loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Grads {
    pub bottom: [LayerGrads; 2],
    pub top: [LayerGrads; 2],
    /// Per field: the row the sample used and dL/d(row).
    pub rows: Vec<Option<(usize, Vec<f64>)>>,
}

fn relu(v: Vec<f64>) -> Vec<f64> {
    v.into_iter().map(|x| x.max(0.0)).collect()
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 { 1.0 / (1.0 + (-z).exp()) } else { z.exp() / (1.0 + z.exp()) }
}

impl Dlrm {
    pub fn new(dense: usize, fields: usize, dim: usize, hidden: usize, table_rows: usize, seed: u64) -> Dlrm {
        let mut random = Random::new(seed);
        let vectors = fields + 1;
        let pairs = vectors * (vectors - 1) / 2;
        Dlrm {
            bottom: [Layer::new(dense, hidden, &mut random), Layer::new(hidden, dim, &mut random)],
            top: [Layer::new(dim + pairs, hidden, &mut random), Layer::new(hidden, 1, &mut random)],
            tables: (0..fields).map(|f| Table::new(dim, table_rows, seed.wrapping_add(1000 + f as u64))).collect(),
            dim,
            step: 0,
        }
    }

    fn forward(&mut self, sample: &Sample, training: bool) -> Cache {
        self.step += 1;
        let h1 = relu(self.bottom[0].forward(&sample.dense));
        let z0 = self.bottom[1].forward(&h1);
        let mut vectors = vec![z0.clone()];
        let mut slots = Vec::with_capacity(self.tables.len());
        for (table, id) in self.tables.iter_mut().zip(&sample.ids) {
            let slot = table.row(*id, self.step, training);
            vectors.push(match slot {
                Some(s) => table.rows[s * table.dim..(s + 1) * table.dim].to_vec(),
                None => vec![0.0; table.dim],
            });
            slots.push(slot);
        }
        let mut t = z0;
        for i in 0..vectors.len() {
            for j in i + 1..vectors.len() {
                t.push(vectors[i].iter().zip(&vectors[j]).map(|(a, b)| a * b).sum());
            }
        }
        let h2 = relu(self.top[0].forward(&t));
        let logit = self.top[1].forward(&h2)[0];
        Cache { x: sample.dense.clone(), h1, vectors, slots, t, h2, probability: sigmoid(logit) }
    }

    /// The click probability, without learning (unseen ids are cold).
    pub fn predict(&mut self, sample: &Sample) -> f64 {
        self.forward(sample, false).probability
    }

    fn backward(&self, cache: &Cache, click: bool) -> Grads {
        let mut grads = Grads {
            bottom: [LayerGrads::zeros(&self.bottom[0]), LayerGrads::zeros(&self.bottom[1])],
            top: [LayerGrads::zeros(&self.top[0]), LayerGrads::zeros(&self.top[1])],
            rows: Vec::new(),
        };
        // Binary cross-entropy through the sigmoid: dL/dlogit = p - y.
        let g = cache.probability - if click { 1.0 } else { 0.0 };
        let dh2 = self.top[1].backward(&cache.h2, &[g], &mut grads.top[1]);
        let dh2: Vec<f64> = dh2.iter().zip(&cache.h2).map(|(d, h)| if *h > 0.0 { *d } else { 0.0 }).collect();
        let dt = self.top[0].backward(&cache.t, &dh2, &mut grads.top[0]);
        let mut dv: Vec<Vec<f64>> = cache.vectors.iter().map(|v| vec![0.0; v.len()]).collect();
        dv[0].iter_mut().zip(&dt[..self.dim]).for_each(|(d, g)| *d += g);
        let mut k = self.dim;
        for i in 0..cache.vectors.len() {
            for j in i + 1..cache.vectors.len() {
                let dp = dt[k];
                k += 1;
                // d(v_i · v_j) = v_j dv_i + v_i dv_j
                let (left, right) = dv.split_at_mut(j);
                for ((di, dj), (vi, vj)) in
                    left[i].iter_mut().zip(right[0].iter_mut()).zip(cache.vectors[i].iter().zip(&cache.vectors[j]))
                {
                    *di += dp * vj;
                    *dj += dp * vi;
                }
            }
        }
        let dh1 = self.bottom[1].backward(&cache.h1, &dv[0], &mut grads.bottom[1]);
        let dh1: Vec<f64> = dh1.iter().zip(&cache.h1).map(|(d, h)| if *h > 0.0 { *d } else { 0.0 }).collect();
        self.bottom[0].backward(&cache.x, &dh1, &mut grads.bottom[0]);
        grads.rows = cache.slots.iter().zip(dv.into_iter().skip(1)).map(|(slot, d)| slot.map(|s| (s, d))).collect();
        grads
    }

    fn apply(&mut self, grads: &Grads, rate: f64) {
        for (layer, g) in self.bottom.iter_mut().zip(&grads.bottom) {
            layer.apply(g, rate);
        }
        for (layer, g) in self.top.iter_mut().zip(&grads.top) {
            layer.apply(g, rate);
        }
        // Row-wise Adagrad: one accumulator per row, only the touched rows.
        for (table, row) in self.tables.iter_mut().zip(&grads.rows) {
            if let Some((slot, g)) = row {
                let mean_square = g.iter().map(|x| x * x).sum::<f64>() / g.len() as f64;
                table.acc[*slot] += mean_square;
                let step = rate / (table.acc[*slot].sqrt() + EPS);
                for (x, g) in table.rows[slot * table.dim..(slot + 1) * table.dim].iter_mut().zip(g) {
                    *x -= step * g;
                }
            }
        }
    }

    /// One step of learning on one sample; returns its loss before the step.
    pub fn learn(&mut self, sample: &Sample, rate: f64) -> f64 {
        let cache = self.forward(sample, true);
        let grads = self.backward(&cache, sample.click);
        self.apply(&grads, rate);
        log_loss_of(cache.probability, sample.click)
    }

    pub fn evictions(&self) -> u64 {
        self.tables.iter().map(|t| t.evictions).sum()
    }

    pub fn occupancy(&self) -> f64 {
        let used: usize = self.tables.iter().map(Table::occupied).sum();
        let capacity: usize = self.tables.iter().map(|t| t.capacity).sum();
        used as f64 / capacity.max(1) as f64
    }
}

pub fn log_loss_of(probability: f64, click: bool) -> f64 {
    let p = probability.clamp(1e-12, 1.0 - 1e-12);
    if click { -p.ln() } else { -(1.0 - p).ln() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loss of a sample under the model as it is (no learning, rows already placed).
    fn loss(model: &Dlrm, sample: &Sample) -> f64 {
        let mut copy = model.clone();
        let p = copy.forward(sample, true).probability;
        log_loss_of(p, sample.click)
    }

    #[test]
    fn the_backward_pass_matches_finite_differences() {
        let mut model = Dlrm::new(3, 2, 4, 5, 8, 11);
        let sample = Sample { dense: vec![0.3, -1.2, 0.8], ids: vec![7, 9], click: true };
        // Place the rows first, so that perturbing them is meaningful.
        model.forward(&sample, true);
        let cache = model.forward(&sample, true);
        let grads = model.backward(&cache, sample.click);
        let h = 1e-6;
        let check = |analytic: f64, perturbed: &dyn Fn(&mut Dlrm, f64)| {
            let (mut plus, mut minus) = (model.clone(), model.clone());
            perturbed(&mut plus, h);
            perturbed(&mut minus, -h);
            let numeric = (loss(&plus, &sample) - loss(&minus, &sample)) / (2.0 * h);
            assert!((analytic - numeric).abs() < 1e-5, "{analytic} vs {numeric}");
        };
        for k in [0, 4, 9] {
            check(grads.bottom[0].w[k], &|m, d| m.bottom[0].weights[k] += d);
            check(grads.top[0].w[k], &|m, d| m.top[0].weights[k] += d);
        }
        check(grads.bottom[1].b[2], &|m, d| m.bottom[1].bias[2] += d);
        check(grads.top[1].b[0], &|m, d| m.top[1].bias[0] += d);
        for field in 0..2 {
            let (slot, g) = grads.rows[field].clone().unwrap();
            for (e, analytic) in g.iter().enumerate() {
                check(*analytic, &|m, d| m.tables[field].rows[slot * 4 + e] += d);
            }
        }
    }

    #[test]
    fn a_full_table_evicts_its_stalest_id_and_cold_ids_get_no_row() {
        let mut table = Table::new(2, 2, 1);
        assert_eq!(table.row(10, 1, true), Some(0));
        assert_eq!(table.row(11, 2, true), Some(1));
        assert_eq!(table.row(10, 3, true), Some(0));
        // 11 is the stalest: 12 takes its row.
        assert_eq!(table.row(12, 4, true), Some(1));
        assert_eq!(table.evictions, 1);
        assert_eq!(table.row(11, 5, false), None);
        assert_eq!(table.occupied(), 2);
    }
}
