//! A seeded click stream shaped like Criteo's: log-normal dense counts,
//! Zipf-popular categorical ids with a share of brand-new ids every day, and
//! a hidden true click model whose per-id biases drift from day to day.

use super::model::Sample;
use crate::random::{Random, cumulative};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Stream {
    pub days: usize,
    pub samples_per_day: usize,
    pub dense: usize,
    pub fields: usize,
    /// Ids alive at the start, per field.
    pub ids_per_field: usize,
    /// Share of impressions that show an id never seen before.
    pub new_id_share: f64,
    /// How far the true per-id biases move each day (standard deviation).
    pub drift: f64,
}

struct Truth {
    dense_weights: Vec<f64>,
    bias: f64,
    /// Per field: the true effect of each id (ids are indices).
    effects: Vec<Vec<f64>>,
    /// Per field: how many ids exist so far (ids are 0..count).
    counts: Vec<u64>,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            days: 6,
            samples_per_day: 12_000,
            dense: 8,
            fields: 4,
            ids_per_field: 1500,
            new_id_share: 0.08,
            drift: 0.35,
        }
    }
}

impl Stream {
    /// Every day's samples, in order.
    pub fn generate(&self, seed: u64) -> Vec<Vec<Sample>> {
        let mut random = Random::new(seed);
        let mut truth = Truth {
            dense_weights: (0..self.dense).map(|_| random.normal() * 0.4).collect(),
            bias: -1.6,
            effects: vec![Vec::new(); self.fields],
            counts: vec![self.ids_per_field as u64; self.fields],
        };
        for field in 0..self.fields {
            for _ in 0..self.ids_per_field {
                truth.effects[field].push(random.normal());
            }
        }
        // Popularity: Zipf over ids in order of creation (old ids are the popular ones).
        let zipf: Vec<f64> = (0..self.ids_per_field).map(|rank| 1.0 / ((rank + 1) as f64).powf(1.05)).collect();
        let popular = cumulative(&zipf);
        (0..self.days)
            .map(|day| {
                if day > 0 {
                    // Tastes move: every known id's effect drifts a little.
                    for effects in &mut truth.effects {
                        for effect in effects.iter_mut() {
                            *effect += random.normal() * self.drift;
                        }
                    }
                }
                (0..self.samples_per_day)
                    .map(|_| {
                        let dense: Vec<f64> =
                            (0..self.dense).map(|_| (1.0 + (random.normal() * 1.2 + 1.0).exp()).ln()).collect();
                        let ids: Vec<u64> = (0..self.fields)
                            .map(|field| {
                                if random.bernoulli(self.new_id_share) {
                                    let id = truth.counts[field];
                                    truth.counts[field] += 1;
                                    truth.effects[field].push(random.normal());
                                    id
                                } else {
                                    // Mostly the popular old ids, sometimes a recent one.
                                    let recent = truth.counts[field] - self.ids_per_field as u64;
                                    if recent > 0 && random.bernoulli(0.3) {
                                        self.ids_per_field as u64 + random.below(recent as usize) as u64
                                    } else {
                                        random.pick(&popular) as u64
                                    }
                                }
                            })
                            .collect();
                        let mean_dense = 1.2;
                        let logit = truth.bias
                            + dense.iter().zip(&truth.dense_weights).map(|(x, w)| (x - mean_dense) * w).sum::<f64>()
                            + ids.iter().enumerate().map(|(field, id)| truth.effects[field][*id as usize]).sum::<f64>()
                                * 0.8;
                        let click = random.bernoulli(1.0 / (1.0 + (-logit).exp()));
                        Sample { dense, ids, click }
                    })
                    .collect()
            })
            .collect()
    }
}
